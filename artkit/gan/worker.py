"""The GAN engine behind the paint window's GAN panel: training and sampling away from the UI.

The panel's model (`artkit.gan.lab.GanLab`) talks to a `GanWorker`. The worker runs an
engine — the GAN lab's `Trainer` plus a small command loop for sampling, saving and latent
walks — either in a separate process (the default) or in a thread of the paint app's own
process:

- "process": a `multiprocessing` "spawn" child with one torch thread which, once training
  starts, takes the lowest CPU priority (nice 19): it trains on whatever CPU the window leaves,
  a whole core on an idle two-core machine, and never delays a frame. Commands go over one
  queue, events come back over another, as plain picklable data (numpy arrays, numbers,
  text), so the window's process never imports torch and keeps the GIL to itself: the
  painter's frame time is the same with or without training (bench/bench_panel.py).
- "thread": the same engine in threads of the window's process. Cheaper to start, but the
  trainer's Python work competes with the frame loop for the GIL, so its steps are paced
  (`busy`, the share of wall time it may compute) to keep painting smooth.

What to train follows the same rules as `artkit gan train` (`artkit.gan.job`): the same
model configs, data and batch sizes. Stopping is clean and quick: the trainer finishes its
step, writes last.pt and best.pt (the best of the scores so far) in the run folder, and
reports `Stopped`; the loss chart is the panel's own, so no losses.png is drawn.

Everything here imports torch lazily (inside the engine), so `import artkit.gan.worker` is
cheap and works without torch installed (`torch_available`, `install_hint`).
"""

from __future__ import annotations

import functools
import multiprocessing as mp
import os
import queue
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from artkit.errors import ArtkitError

__all__ = ["GanWorker", "TrainSettings", "Ready", "Started", "Progress", "Preview", "Scored",
           "Stopped", "Loaded", "WalkFrames", "Saved", "Failed", "Notice", "PREVIEW_COUNT",
           "torch_available", "install_hint", "no_torch_message"]

DEFAULT_NICE = 19           # the engine process runs on CPU the window leaves (0: equal priority)
DEFAULT_MODEL = "conv-cond"  # legible digits soonest (see artkit.gan.lab.FIRST_CHOICE)
PREVIEW_COUNT = 25          # samples in the panel's grid (5 x 5)
STASH_KEEP = 4              # generator copies kept for "paint / save the one on screen"
FOREVER_STEPS = 10**12      # the panel trains until it is told to stop


def torch_available() -> bool:
    """Is torch importable (without importing it)?"""
    import importlib.util

    return importlib.util.find_spec("torch") is not None


def install_hint(package_file=None) -> str:
    """The command that adds the GAN lab's packages to this installation of artkit: for a
    clone (installed in place with `pip install -e .`, or not installed), the clone's `gan`
    extra; for an installed wheel, the package's. package_file: a file of the artkit package
    (default this one)."""
    from pathlib import Path

    # The folder holding the artkit package: a clone keeps pyproject.toml there,
    # site-packages doesn't.
    root = Path(package_file or __file__).resolve().parent
    while root.name != "artkit" and root.parent != root:
        root = root.parent
    root = root.parent
    if (root / "pyproject.toml").is_file():
        return f"pip install -e '{root}[gan]'"
    return "pip install 'artkit[gan]'"


def no_torch_message() -> str:
    return (f"The GAN lab needs torch, which is not installed here; install it with "
            f"{install_hint()}.")


# --------------------------------------------------------------------------- settings and events


@dataclass
class TrainSettings:
    """What to train. model: a name from `artkit gan models` (None: the resumed checkpoint's,
    else DEFAULT_MODEL);
    data: "digits", "faces" or a file/folder path; resume_from: a checkpoint to continue
    (a full one resumes exactly; a generator-only one warm-starts the generator)."""

    model: str | None = None
    overrides: dict = field(default_factory=dict)   # model settings, e.g. {"lr": 2e-4}
    data: str = "digits"
    batch_size: int | None = None   # None: the resumed run's, else the model's measured best
    seed: int = 0
    device: str | None = None
    out_dir: str | None = None
    resume_from: str | None = None
    preview_seeds: tuple = tuple(range(PREVIEW_COUNT))
    preview_seconds: float = 1.0
    score_seconds: float = 20.0
    busy: float = 1.0       # share of wall time the trainer may compute (1: no pacing)


@dataclass
class Ready:
    """The engine is up: where it computes, e.g. "cpu (1 thread)" or "cuda (NVIDIA H100)"."""

    device: str


@dataclass
class Started:
    model: str
    data_name: str
    images: int
    device: str
    out_dir: str | None
    step: int
    image_shape: tuple
    batch_size: int = 0


@dataclass
class Progress:
    """Mean losses over the last few steps: d_real / d_fake are the discriminator's losses on
    real and generated images, g the generator's."""

    step: int
    images_seen: int
    d_real: float
    d_fake: float
    g: float
    images_per_s: float


@dataclass
class Preview:
    """Samples of the current generator for `seeds`: float32 (N, H, W) or (N, H, W, 3)."""

    step: int
    seeds: tuple
    images: object


@dataclass
class Scored:
    step: int
    scores: dict
    is_best: bool
    best_scores: dict
    best_step: int | None


@dataclass
class Stopped:
    """Training ended: reason ("stopped", "error: …"), the step, and the files kept."""

    reason: str
    step: int
    best_path: str | None
    last_path: str | None


@dataclass
class Loaded:
    """A checkpoint's generator is ready to sample: its model, step and data kind."""

    path: str
    model: str
    step: int
    data_kind: str
    image_shape: tuple
    scores: dict = field(default_factory=dict)
    can_resume: bool = False


@dataclass
class WalkFrames:
    request: int
    checkpoint: str
    seeds: tuple
    images: object


@dataclass
class Saved:
    path: str
    step: int
    purpose: str


@dataclass
class Failed:
    """A command could not be done; `message` is one sentence for the user."""

    message: str
    command: str


@dataclass
class Notice:
    message: str


# --------------------------------------------------------------------------- the UI side


class GanWorker:
    """The panel's handle on the engine. Every method returns at once; results arrive as
    events from `poll()`. mode: "process" (default) or "thread"; nice: how much lower the
    child's CPU priority is (process mode; 0 leaves it equal)."""

    def __init__(self, mode: str = "process", nice: int = DEFAULT_NICE):
        if mode not in ("process", "thread"):
            raise ArtkitError(f"The GAN worker runs as a 'process' or a 'thread', not {mode!r}.")
        self.mode = mode
        self.nice = nice
        self._runner = None
        self._commands = None
        self._events = None
        self._closing = False
        #: events that arrived while `close` waited (e.g. the final Stopped)
        self.late_events: list = []

    @property
    def started(self) -> bool:
        return self._runner is not None

    @property
    def alive(self) -> bool:
        return self._runner is not None and self._runner.is_alive()

    def start(self) -> "GanWorker":
        """Start the engine (once); it reports `Ready` when torch is loaded."""
        if self._runner is not None:
            return self
        if self.mode == "process":
            context = mp.get_context("spawn")
            self._commands, self._events = context.Queue(), context.Queue()
            self._runner = context.Process(target=_engine_main, name="artkit-gan-engine",
                                           args=(self._commands, self._events, self.nice),
                                           daemon=True)
        else:
            self._commands, self._events = queue.Queue(), queue.Queue()
            self._runner = threading.Thread(target=_engine_main, name="artkit-gan-engine",
                                            args=(self._commands, self._events, 0), daemon=True)
        self._runner.start()
        return self

    def send(self, command: str, *args) -> None:
        self.start()
        if self._closing:
            return
        self._commands.put((command, *args))

    # commands ---------------------------------------------------------------------------
    def train(self, settings: TrainSettings) -> None:
        self.send("train", settings)

    def pause(self) -> None:
        self.send("pause")

    def resume(self) -> None:
        self.send("resume")

    def stop(self) -> None:
        """Stop training after the current step (best.pt and last.pt are written)."""
        self.send("stop")

    def load(self, path) -> None:
        self.send("load", str(path))

    def set_seeds(self, seeds) -> None:
        """Show samples for these seeds from now on (a Preview follows)."""
        self.send("seeds", tuple(int(s) for s in seeds))

    def save(self, path, step: int | None = None, purpose: str = "save") -> None:
        """Write the generator that made the samples of `step` (None: the newest) to `path`
        as a generator-only checkpoint."""
        self.send("save", str(path), step, purpose)

    def walk(self, request: int, checkpoint, seeds, frames: int) -> None:
        """Ask for `frames` images walking through the samples of `seeds` of `checkpoint`."""
        self.send("walk", int(request), str(checkpoint), tuple(int(s) for s in seeds),
                  int(frames))

    # events -----------------------------------------------------------------------------
    def poll(self, limit: int = 64) -> list:
        """Events that have arrived (at most `limit`), without waiting."""
        events = []
        if self._events is None:
            return events
        while len(events) < limit:
            try:
                events.append(self._events.get_nowait())
            except (queue.Empty, EOFError, OSError):
                break
        return events

    def wait_for(self, kinds, timeout: float = 30.0, collect: list | None = None):
        """Block until an event of one of `kinds` arrives (for scripts and tests); the other
        events go to `collect`. Returns the event, or None after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                event = self._events.get(timeout=min(0.2, max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                if not self.alive:
                    return None
                continue
            if isinstance(event, kinds):
                return event
            if collect is not None:
                collect.append(event)
        return None

    def quit(self) -> None:
        """Stop training (cleanly) and end the engine, without waiting."""
        if self._runner is not None and not self._closing:
            self._commands.put(("stop",))
            self._commands.put(("quit",))
        self._closing = True

    def close(self, timeout: float = 30.0) -> bool:
        """Stop training cleanly, end the engine and wait up to `timeout` s for it (it is
        killed after that). True when it ended by itself."""
        if self._runner is None:
            return True
        self.quit()
        # Keep reading while waiting: a child can't exit while its last events fill the pipe.
        deadline = time.monotonic() + timeout
        while self._runner.is_alive() and time.monotonic() < deadline:
            self.late_events += self.poll(limit=1000)
            self._runner.join(0.05)
        self.late_events += self.poll(limit=1000)
        ended = not self._runner.is_alive()
        if not ended and self.mode == "process":
            self._runner.terminate()
            self._runner.join(5)
        if self.mode == "process":
            for q in (self._commands, self._events):
                q.cancel_join_thread()
                q.close()
        return ended


# --------------------------------------------------------------------------- the engine


def _engine_main(commands, events, nice: int = 0) -> None:
    """Entry point of the engine (a spawned process or a thread)."""
    emit = events.put
    try:
        import torch  # noqa: F401
    except ImportError:
        emit(Failed(no_torch_message(), "start"))
        return
    try:
        engine = _Engine(emit, in_window_process=isinstance(commands, queue.Queue), nice=nice)
    except Exception as error:  # the engine could not even start: say so, don't hang the panel
        emit(Failed(f"The GAN engine could not start: {error}", "start"))
        return
    engine.serve(commands)
    if not isinstance(commands, queue.Queue):
        # A process of its own: everything is saved (atomically, on disk) and said, so once
        # the last events are through the pipe it ends at once. Python's usual shutdown with
        # torch loaded took 0.8 s of the 1.0 s a painter waited for the window to close.
        events.close()
        events.join_thread()
        os._exit(0)


class _Engine:
    def __init__(self, emit, in_window_process: bool, nice: int = 0):
        from artkit.gan.device import describe, pick_device, use_threads

        use_threads(1)
        self.emit = emit
        self.in_window_process = in_window_process  # a thread of the window: no parent to watch
        self.nice = nice              # applied when training starts (loading torch goes first)
        self.trainer = None
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()
        self.config = None            # the model config of the current generator
        self.model_name = None
        self.stashes: OrderedDict = OrderedDict()  # step → generator state (CPU copies)
        self.view = None              # a CPU generator for sampling from stashes
        self.view_key = None
        self.seeds = tuple(range(PREVIEW_COUNT))
        self.preview_seconds = 1.0
        self.preview_latents = None
        self.preview_generator = None  # a CPU generator the trainer's thread samples with
        self.preview_config = None
        self.last_preview = 0.0
        self.emit(Ready(describe(pick_device())))

    # -- the loop ----------------------------------------------------------------------------
    def serve(self, commands) -> None:
        parent = None if self.in_window_process else mp.parent_process()
        while True:
            try:
                command = commands.get(timeout=0.5)
            except queue.Empty:
                if parent is not None and not parent.is_alive():
                    command = ("quit",)  # the window died: keep what was learned, then go
                else:
                    continue
            except (EOFError, OSError):
                command = ("quit",)
            name, args = command[0], command[1:]
            if name == "quit":
                self.finish_training()
                return
            try:
                getattr(self, f"do_{name}")(*args)
            except ArtkitError as error:
                self.emit(Failed(str(error), name))
            except Exception as error:  # a bug must not kill training: report it
                self.emit(Failed(f"{name} failed: {type(error).__name__}: {error}", name))

    @property
    def training(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def finish_training(self, timeout: float = 120.0) -> None:
        if self.trainer is not None:
            self.trainer.request_stop()
        if self.thread is not None:
            self.thread.join(timeout)

    # -- training ----------------------------------------------------------------------------
    def do_train(self, settings: TrainSettings) -> None:
        import torch

        from artkit.gan import models
        from artkit.gan.job import TrainJob, load_resumed, prepare, resolve_model
        from artkit.gan.train import TrainConfig

        if self.training:
            raise ArtkitError("Training is already running; stop it before starting again.")
        # The same rules as `artkit gan train`: config, data and batch size (artkit.gan.job).
        job = TrainJob(model=None if settings.resume_from else settings.model,
                       data=_data_word(settings.data), overrides=dict(settings.overrides),
                       batch_size=settings.batch_size, seed=settings.seed,
                       device=settings.device, resume=settings.resume_from,
                       out=settings.out_dir, default_model=settings.model or DEFAULT_MODEL)
        resume_state = load_resumed(job)
        name, config = resolve_model(job, resume_state)
        kind = models.data_kind(config)
        if kind not in ("digits", "faces"):
            raise ArtkitError(f"The panel trains image GANs; {name} learns {kind}. Pick a "
                              "digits or faces model.")
        prepared = prepare(job, notice=self._notice, resumed=resume_state)
        config, data, batch_size = prepared.config, prepared.data, prepared.batch_size
        # Losses every ~512 images (at most every 100 steps): the chart and the ~1 s sample
        # refresh (which rides on them) stay lively for small batches too.
        log_every = max(1, min(100, round(512 / int(batch_size))))
        train_config = TrainConfig(batch_size=int(batch_size), sample_seconds=60.0,
                                   log_every=log_every,
                                   score_seconds=settings.score_seconds,
                                   out_dir=settings.out_dir, threads=1, plot=False)
        trainer = _PacedTrainer(config, data, train_config, device=settings.device,
                                seed=settings.seed, on_event=self._on_event,
                                notice=self._notice, model_name=name)
        trainer.busy = min(1.0, max(0.05, float(settings.busy)))
        if resume_state is not None:
            if resume_state.get("discriminator") is None or resume_state.get("g_optimizer") is None:
                trainer.start_from_generator(resume_state["generator"],
                                             os.path.basename(settings.resume_from))
                self._notice("That checkpoint holds only a generator: training goes on from it "
                             "with a fresh discriminator.")
            else:
                trainer.restore(settings.resume_from)
        with self.lock:
            self.trainer, self.config, self.model_name = trainer, config, name
            self.seeds = tuple(settings.preview_seeds)
            self.preview_seconds = settings.preview_seconds
            self.preview_latents = _seed_latents(trainer.generator, self.seeds)
            self.stashes.clear()
        self.emit(Started(name, data.name, len(data), _describe(trainer.device),
                          settings.out_dir, trainer.step_count,
                          tuple(trainer.generator.image_shape), train_config.batch_size))
        self._preview(trainer)
        torch.set_num_threads(1)
        self._lower_priority()
        self.thread = threading.Thread(target=self._train, args=(trainer,), daemon=True,
                                       name="artkit-gan-trainer")
        self.thread.start()

    def _lower_priority(self) -> None:
        """From the first training step on, the paint window wins any fight for the CPU (the
        engine started at normal priority so that loading torch doesn't crawl)."""
        if self.nice and not self.in_window_process and hasattr(os, "nice"):
            try:
                os.nice(self.nice)
            except OSError:
                pass
            self.nice = 0  # once: os.nice adds up

    def _train(self, trainer) -> None:
        reason = "stopped"
        try:
            reason = trainer.run(steps=FOREVER_STEPS).reason
        except ArtkitError as error:
            reason = f"error: {error}"
            self.emit(Failed(str(error), "train"))
        except Exception as error:
            reason = f"error: {type(error).__name__}: {error}"
            self.emit(Failed(f"Training stopped by an error: {type(error).__name__}: {error}",
                             "train"))
        self._preview(trainer)
        out = trainer.config.out_dir
        best = os.path.join(out, "best.pt") if out else None
        last = os.path.join(out, "last.pt") if out else None
        self.emit(Stopped(reason, trainer.step_count,
                          best if best and os.path.exists(best) else None,
                          last if last and os.path.exists(last) else None))

    def _on_event(self, event) -> None:
        """Called in the trainer's thread for each of its events."""
        from artkit.gan.train import LossEvent, ScoreEvent

        trainer = self.trainer
        if isinstance(event, LossEvent):
            self.emit(Progress(event.step, event.images_seen, event.d_real, event.d_fake,
                               event.g, event.images_per_s))
            if time.perf_counter() - self.last_preview >= self.preview_seconds:
                self._preview(trainer)
            _drain(trainer.events)  # the panel listens here, not on the trainer's own queue
        elif isinstance(event, ScoreEvent):
            scores = {k: v for k, v in event.scores.items() if not isinstance(v, list)}
            best = {k: v for k, v in trainer.best_scores.items() if not isinstance(v, list)}
            self.emit(Scored(event.step, scores, event.is_best, best, trainer.best_step))

    def _preview(self, trainer) -> None:
        """Samples for the grid, and a copy of the generator that made them (so the one on
        screen can be painted from or saved exactly)."""
        from artkit.gan import models
        from artkit.gan.painting import generate

        with self.lock:
            latents = self.preview_latents
            seeds = self.seeds
        state = {k: v.detach().to("cpu", copy=True) for k, v in trainer.sampler.state_dict().items()}
        # Samples are drawn on the CPU from the copy, whatever device trains: then a sample
        # picked from the grid is exactly what its `gan:` spec reopens from the saved copy.
        if self.preview_generator is None or self.preview_config is not self.config:
            self.preview_generator = models.build_generator(self.config).eval()
            self.preview_config = self.config
        self.preview_generator.load_state_dict(state)
        images = generate(self.preview_generator, latents)
        with self.lock:
            self.stashes[trainer.step_count] = state
            self.stashes.move_to_end(trainer.step_count)
            while len(self.stashes) > STASH_KEEP:
                self.stashes.popitem(last=False)
        self.last_preview = time.perf_counter()
        self.emit(Preview(trainer.step_count, seeds, images))

    def _notice(self, message: str) -> None:
        self.emit(Notice(str(message)))

    def do_pause(self) -> None:
        if self.trainer is not None:
            self.trainer.pause()

    def do_resume(self) -> None:
        if self.trainer is not None:
            self.trainer.resume()

    def do_stop(self) -> None:
        if self.trainer is not None:
            self.trainer.request_stop()

    # -- sampling, saving, walks ---------------------------------------------------------------
    def _stash(self, step=None):
        with self.lock:
            if not self.stashes:
                raise ArtkitError("There is no generator yet: train one or load a checkpoint.")
            if step is not None and step in self.stashes:
                return step, self.stashes[step]
            last = next(reversed(self.stashes))
            return last, self.stashes[last]

    def _view_generator(self, step=None):
        from artkit.gan import models

        step, state = self._stash(step)
        key = (id(self.config), step)
        if self.view is None or self.view_key is None or self.view_key[0] != id(self.config):
            self.view = models.build_generator(self.config)
        if self.view_key != key:
            self.view.load_state_dict(state)
            self.view.eval()
            self.view_key = key
        return step, self.view

    def do_seeds(self, seeds) -> None:
        from artkit.gan.painting import generate

        seeds = tuple(seeds)
        if self.training:
            with self.lock:
                self.seeds = seeds
                self.preview_latents = _seed_latents(self.trainer.generator, seeds)
            self.last_preview = 0.0  # the next log step shows them
            if self.trainer is not None and self.trainer.paused:
                step, generator = self._view_generator()
                self.emit(Preview(step, seeds, generate(generator, _seed_latents(generator, seeds))))
            return
        step, generator = self._view_generator()
        with self.lock:
            self.seeds = seeds
        self.emit(Preview(step, seeds, generate(generator, _seed_latents(generator, seeds))))

    def do_save(self, path, step=None, purpose="save") -> None:
        from artkit.gan import checkpoint as ckpt

        step, state = self._stash(step)
        if purpose == "paint" and os.path.exists(path):
            self.emit(Saved(path, step, purpose))  # painting the same generator again
            return
        scores = {}
        if self.trainer is not None:
            scores = {k: v for k, v in (self.trainer.score_history[-1]
                                        if self.trainer.score_history else {}).items()
                      if not isinstance(v, list)}
        ckpt.save_checkpoint(path, model_name=self.model_name, config=self.config,
                             generator=state, step=step, scores=scores)
        self.emit(Saved(path, step, purpose))

    def do_walk(self, request, checkpoint, seeds, frames) -> None:
        from artkit.gan.painting import generate, load_generator_cached, walk_latents

        generator, _ = load_generator_cached(checkpoint)
        images = generate(generator, walk_latents(generator, seeds, frames))
        self.emit(WalkFrames(request, checkpoint, tuple(seeds), images))

    def do_load(self, path) -> None:
        from artkit.gan import checkpoint as ckpt
        from artkit.gan import models
        from artkit.gan.painting import generate

        if self.training:
            raise ArtkitError("Stop training before loading another generator.")
        state = ckpt.load_checkpoint(path)
        generator, info = ckpt.load_generator(path)
        kind = models.data_kind(info["config"])
        if kind not in ("digits", "faces"):
            raise ArtkitError(f"{os.path.basename(path)} holds a {info['model_name']} model, "
                              "which makes no pictures to paint from.")
        with self.lock:
            self.trainer = None
            self.config, self.model_name = info["config"], info["model_name"]
            self.stashes.clear()
            self.stashes[int(info["step"])] = generator.state_dict()
            self.view_key = None
        scores = {k: v for k, v in (info.get("scores") or {}).items() if not isinstance(v, list)}
        can_resume = state.get("discriminator") is not None
        self.emit(Loaded(str(path), info["model_name"], int(info["step"]), kind,
                         tuple(generator.image_shape), scores, can_resume))
        self.emit(Preview(int(info["step"]), self.seeds,
                          generate(generator, _seed_latents(generator, self.seeds))))


@functools.lru_cache(maxsize=1)
def _paced_trainer_class():
    from artkit.gan.train import Trainer

    class PacedTrainer(Trainer):
        """A Trainer that may compute only a `busy` share of the wall time: after each step it
        sleeps in proportion, which hands the GIL (thread mode) or the core back."""

        busy = 1.0

        def step(self):
            started = time.perf_counter()
            losses = super().step()
            if self.busy < 1.0:
                time.sleep((time.perf_counter() - started) * (1.0 / self.busy - 1.0))
            return losses

    return PacedTrainer


def _PacedTrainer(*args, **kwargs):
    return _paced_trainer_class()(*args, **kwargs)


def _seed_latents(generator, seeds):
    from artkit.gan.painting import seed_latents

    return seed_latents(generator, seeds)


def _describe(device) -> str:
    from artkit.gan.device import describe

    return describe(device)


def _drain(q) -> None:
    while True:
        try:
            q.get_nowait()
        except queue.Empty:
            return


def _data_word(data: str | None):
    """The job's `data` for the panel's choice: None for the model's usual set (for digits,
    as in `artkit gan train`: full MNIST when cached or downloadable, else the 5,000 bundled
    ones, with a notice), or the user's path."""
    if data is None or str(data).lower() in ("digits", "faces"):
        return None
    return str(data)
