"""The GAN panel: watch a GAN learn beside the canvas, and paint from what it makes.

G shows or hides the panel (the canvas stays paintable). It shows the training data, the model,
Train / Pause / Stop, live loss curves, a 5 x 5 grid of samples from fixed seeds refreshed about
once a second, the step, images per second, the device and the best score so far. Clicking a
sample makes it the painting's source (smoothly enlarged, optionally tinted with a palette: P);
W starts a latent walk, the source slowly morphing from that sample into others while the brush
keeps painting; N draws new seeds; Save writes the generator on screen. Dropping a `.pt` file
loads a checkpoint (Train then continues it); dropping a folder, .h5 or .npz file makes it the
training data.

Training runs in a separate process (`artkit.app.gan_worker`), so painting keeps its frame rate.
Runs live in the user's data folder: `<data folder>/gan/<date>-<model>/` holds best.pt, last.pt,
losses, sample grids, and the generators painted from (`painted/step_*.pt`), so every painting's
`gan:` source spec can be opened again (`artkit paint --resume`).

torch is never imported in the window's process; without torch the panel says how to get it.
"""

from __future__ import annotations

import datetime as _dt
import functools
import random
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pygame

from artkit.app import gan_worker as gw
from artkit.app import theme
from artkit.app.hits import HitMap
from artkit.app.panels import Panel
from artkit.errors import ArtkitError
from artkit.sessions import data_dir
from artkit.gan.text import kilo

PANEL_WIDTH = 344
PAD = 16
GRID_COLS = 5
GAP = 4
MODELS_BY_KIND = {"digits": ("mlp", "conv", "conv-cond", "mlp-naive"),
                  "faces": ("conv-faces", "conv-faces-colour")}
MODEL_NOTES = {
    "mlp": "the book's MLP with its fixes",
    "conv": "convolutional (DCGAN-style)",
    "conv-cond": "convolutional, told which digit",
    "mlp-naive": "the book's first MLP: it collapses",
    "conv-faces": "convolutional, grey, 32 px",
    "conv-faces-colour": "convolutional, colour, 32 px",
}
# The panel trains each model as `artkit gan train` does: the GAN lab's config and its measured
# batch size (8 for the MLPs: on the 5,000 bundled digits that covered all ten digits within a
# minute, where batches of 32 reached five; bench/bench_panel.py --quality 60 --batch 32).
# bench/bench_panel.py sets these two to compare other choices; None and {} mean "the lab's".
BATCH_SIZE: int | None = None
MODEL_OVERRIDES: dict = {}
PREVIEW_SECONDS = 1.0
RENDER_EVERY_S = 0.2          # new numbers and losses are redrawn at most 5 times a second
LOSS_POINTS = 4000
WALK_LEG_FRAMES = 48          # source pictures per morph from one sample to the next
WALK_FRAME_S = 0.35           # seconds each of them stays (a morph takes ~17 s)
WALK_PAINT_BUDGET_S = 0.005   # painting the walk by itself: this much work per frame
LINE_COLOURS = {"d_real": (104, 162, 232), "d_fake": theme.ACCENT, "g": theme.TOAST_OK}
LINE_LABELS = (("d_real", "D on real"), ("d_fake", "D on fake"), ("g", "G"))
STATUS_COLOURS = {"training": theme.TOAST_OK, "paused": theme.ACCENT, "stopping": theme.TEXT_DIM,
                  "starting": theme.TEXT_DIM, "loading": theme.TEXT_DIM}


@dataclass
class Dataset:
    label: str          # what the panel shows
    kind: str           # "digits" or "faces": which models fit
    source: str         # "digits", "faces" or a path


def guess_data_kind(path: Path) -> str:
    """Digits for MNIST-like files (IDX, the book's CSV, a folder of IDX files), else faces."""
    name = path.name.lower()
    if path.is_dir():
        idx = any("idx" in p.name.lower() or p.name.lower().endswith("-ubyte")
                  for p in path.iterdir())
        return "digits" if idx else "faces"
    if "idx" in name or name.endswith((".csv", ".csv.gz", "-ubyte", "-ubyte.gz")):
        return "digits"
    if name.endswith(".npz") and "mnist" in name:
        return "digits"
    return "faces"


class LossHistory:
    """Loss rows (images seen, D on real, D on fake, G) for the chart, in one numpy array.
    When it is full, every other row is dropped: the whole run stays in view, coarser."""

    def __init__(self, capacity: int = LOSS_POINTS):
        self._rows = np.zeros((capacity, 4))
        self._count = 0

    def add(self, images_seen, d_real, d_fake, g) -> None:
        if self._count == len(self._rows):
            half = self._rows[1::2].copy()
            self._count = len(half)
            self._rows[:self._count] = half
        self._rows[self._count] = (images_seen, d_real, d_fake, g)
        self._count += 1

    def rows(self) -> np.ndarray:
        return self._rows[:self._count]

    def clear(self) -> None:
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        return self.rows()[index]


# --------------------------------------------------------------------------- source building


class SourceBuilder:
    """Turns samples into painting sources in a helper thread (enlarging a sample and finding
    its edges takes ~0.1–0.3 s, far too long for one frame). The newest request wins."""

    def __init__(self):
        self._lock = threading.Condition()
        self._request = None
        self._result = None
        self._busy = False
        self._closed = False
        self._thread = None

    @property
    def idle(self) -> bool:
        with self._lock:
            return self._request is None and not self._busy

    def request(self, image, size, palette: str, spec: str, label: str, note: str = "") -> None:
        with self._lock:
            self._request = (np.array(image, copy=True), tuple(size), palette, spec, label, note)
            self._lock.notify()
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, daemon=True,
                                            name="artkit-gan-sources")
            self._thread.start()

    def take(self):
        """(source, spec, note) of the newest finished picture, or None."""
        with self._lock:
            result, self._result = self._result, None
            return result

    def _work(self) -> None:
        from artkit.gan.painting import sample_source

        while True:
            with self._lock:
                while self._request is None and not self._closed:
                    self._lock.wait()
                if self._closed:
                    return
                request, self._request = self._request, None
                self._busy = True
            image, size, palette, spec, label, note = request
            try:
                result = (sample_source(image, size, palette, name=label), spec, note)
            except ArtkitError as error:
                result = (None, str(error), "error")
            with self._lock:
                self._busy = False
                if self._request is None:  # a newer request makes this one stale
                    self._result = result

    def wait(self, timeout: float = 10.0) -> bool:
        """Block until nothing is pending (tests and scripts)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.idle:
                return True
            time.sleep(0.01)
        return self.idle

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._lock.notify()


# --------------------------------------------------------------------------- the panel


class GanPanel(Panel):
    width = PANEL_WIDTH
    help_line = ("G", "GAN panel: train a GAN, click a sample to paint it (T P W N)")

    def __init__(self, worker_mode: str = "process", busy: float | None = None,
                 nice: int = gw.DEFAULT_NICE):
        super().__init__()
        self.worker_mode = worker_mode
        self.nice = nice
        # In a thread the trainer shares the window's GIL: pace it so painting stays smooth.
        self.busy = busy if busy is not None else (1.0 if worker_mode == "process" else 0.35)
        self.worker: gw.GanWorker | None = None
        self.retired: list[gw.GanWorker] = []
        self.state = "off"       # off, starting, idle, loading, training, paused, stopping
        self.datasets = [Dataset("digits · MNIST", "digits", "digits"),
                         Dataset("faces · built in", "faces", "faces")]
        self.data_index = 0
        self.model_choice = {"digits": 0, "faces": 0}
        self.device_text = "starts with the panel"
        self.data_text = ""
        self.batch_size = None
        self.step = 0
        self.images_seen = 0
        self.rate = 0.0
        self._rate_marks: deque = deque(maxlen=40)
        self.losses = LossHistory()
        self.best_scores: dict = {}
        self.best_step = None
        self.preview = None      # gw.Preview on screen
        self.preview_from = None  # "training" or the checkpoint path it was drawn from
        self.seeds = tuple(range(gw.PREVIEW_COUNT))
        self.palette_index = 0
        self.run_dir: Path | None = None
        self.checkpoint: str | None = None   # loaded checkpoint (sampling without training)
        self.resume_from: str | None = None  # Train continues this checkpoint
        self.resume_key = None
        self.painted = None      # dict(checkpoint, seed, image, step) of the source sample
        self.selected_seed = None
        self.walk = None
        self.message = None      # (text, kind)
        self.builder = SourceBuilder()
        self.quit_when_stopped = False
        self._pending = None     # "train" while a start of training awaits the engine
        self._walk_request = 0
        self._thumbs = None
        self._thumb_key = None
        self._image = None
        self._dirty = True
        self._stats_dirty = False  # new losses: redrawn at most every RENDER_EVERY_S
        self._rendered_at = 0.0
        self._hits = HitMap()
        self._text_cache: dict = {}
        self._hover = None
        self._pressed = False
        self._rng = random.Random()

    # -- plumbing ----------------------------------------------------------------------------
    def attach(self, app) -> None:
        super().attach(app)
        for suffix in (".pt", ".pth"):
            app.drop_handlers[suffix] = self.load_checkpoint
        for suffix in (".h5", ".hdf5", ".npz"):
            app.drop_handlers[suffix] = self.use_data
        previous = app.drop_handlers.get("")
        app.drop_handlers[""] = lambda path: self._drop_no_suffix(path, previous)

    def _drop_no_suffix(self, path: Path, previous) -> None:
        if Path(path).is_dir():
            self.use_data(path)
        elif previous is not None:
            previous(path)
        else:
            self.app.session.open_source(str(path))
            self.app.toasts.show(f"Painting from {Path(path).name} now.", "ok")

    @property
    def dataset(self) -> Dataset:
        return self.datasets[self.data_index]

    @property
    def model_name(self) -> str:
        names = MODELS_BY_KIND[self.dataset.kind]
        return names[self.model_choice[self.dataset.kind] % len(names)]

    @property
    def palette(self) -> str:
        from artkit.gan.painting import PALETTE_NAMES

        return PALETTE_NAMES[self.palette_index % len(PALETTE_NAMES)]

    @property
    def busy_training(self) -> bool:
        return self.state in ("training", "paused", "stopping")

    def _ensure_worker(self) -> gw.GanWorker | None:
        if not gw.torch_available():
            self._say(gw.NO_TORCH, "error")
            return None
        if self.worker is not None and not self.worker.alive:
            self.worker = None  # the engine ended (it reported why)
        if self.worker is None:
            self.worker = gw.GanWorker(self.worker_mode, nice=self.nice).start()
            self.state = "starting"
            self.device_text = "starting…"
        return self.worker

    def _say(self, text: str, kind: str = "info", toast: bool = True) -> None:
        self.message = (text, kind)
        self._dirty = True
        if toast and self.app is not None:
            self.app.toasts.show(text, kind, seconds=6 if kind == "error" else 4)

    # -- showing and hiding --------------------------------------------------------------------
    def show(self) -> None:
        self.visible = True
        self.quit_when_stopped = False
        self._dirty = True
        self._ensure_worker()  # torch loads in the engine while the painter looks around

    def hide(self) -> None:
        """Hide the panel: training stops cleanly (its best generator is kept), walks end."""
        self.visible = False
        self.stop_walk(quiet=True)
        if self.worker is None:
            return
        if self.busy_training:
            self.stop_training()
            self.quit_when_stopped = True
        else:
            self._retire()

    def toggle(self) -> None:
        self.hide() if self.visible else self.show()

    def _retire(self) -> None:
        if self.worker is not None:
            self.worker.quit()
            self.retired.append(self.worker)
            self.worker = None
        self.state = "off"
        if self.preview_from == "training":
            # Those samples' generator ended with the engine; Continue resumes from last.pt.
            self.preview = self.preview_from = None
            self._thumb_key = None

    # -- choices -------------------------------------------------------------------------------
    def cycle_data(self) -> None:
        if self.busy_training:
            self._say("Stop training before changing the data.", "error")
            return
        self.data_index = (self.data_index + 1) % len(self.datasets)
        self._selection_changed()

    def cycle_model(self) -> None:
        if self.busy_training:
            self._say("Stop training before changing the model.", "error")
            return
        self.model_choice[self.dataset.kind] += 1
        self._selection_changed()

    def _selection_changed(self) -> None:
        if self.resume_key != (self.dataset.source, self.model_name):
            self.resume_from = None
        self._dirty = True

    def use_data(self, path) -> None:
        """Train on a folder or file of pictures from now on (drop it, or --gan-data)."""
        path = Path(path).expanduser()
        if not path.exists():
            raise ArtkitError(f"I can't find '{path}' to train the GAN on.")
        kind = guess_data_kind(path)
        entry = Dataset(f"{kind} · {path.name}", kind, str(path))
        self.datasets = [d for d in self.datasets if d.source != entry.source] + [entry]
        self.data_index = len(self.datasets) - 1
        self._selection_changed()
        if not self.visible:
            self.show()
        self._say(f"The GAN will train on {path.name} ({kind}); press Train.", "ok")

    # -- training --------------------------------------------------------------------------------
    def train_button(self) -> None:
        """Train, pause or resume (T)."""
        if self.state == "training":
            self.worker.pause()
            self.state = "paused"
        elif self.state == "paused":
            self.worker.resume()
            self.state = "training"
        elif self.state in ("stopping", "loading"):
            return
        else:
            self.start_training()
        self._dirty = True

    def start_training(self) -> None:
        worker = self._ensure_worker()
        if worker is None:
            return
        self.stop_walk(quiet=True)
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        self.run_dir = data_dir() / "gan" / f"{stamp}-{self.model_name}"
        resume = self.resume_from if self.resume_key == (self.dataset.source,
                                                          self.model_name) else None
        settings = gw.TrainSettings(
            model=self.model_name, overrides=dict(MODEL_OVERRIDES.get(self.model_name, {})),
            data=self.dataset.source, batch_size=BATCH_SIZE, out_dir=str(self.run_dir),
            resume_from=resume, preview_seeds=self.seeds, preview_seconds=PREVIEW_SECONDS,
            busy=self.busy)
        worker.train(settings)
        self.state = "starting"
        self._pending = "train"
        self.checkpoint = None
        self.losses.clear()
        self._rate_marks.clear()
        self.rate = 0.0
        if resume is None:
            self.best_scores, self.best_step = {}, None
        self._say("Loading the data and building the GAN…", toast=False)

    def stop_training(self) -> None:
        if self.state in ("training", "paused", "starting") and self.worker is not None:
            self.worker.stop()
            if self.state != "starting":
                self.state = "stopping"
                self._say("Stopping: keeping the best generator…", toast=False)
            self._dirty = True

    def save_generator(self) -> None:
        if self.preview is None or self.preview_from is None:
            self._say("There is no generator to save yet: press Train first.", "error")
            return
        if self.preview_from != "training":
            self._say(f"This generator is already saved in {self.preview_from}.", "info")
            return
        path = self.run_dir / f"generator-step_{self.preview.step:07d}.pt"
        self.worker.save(path, self.preview.step, "save")

    def load_checkpoint(self, path) -> None:
        """Sample from a checkpoint (drop a .pt file, or --gan CKPT); Train then continues it.
        A wrong or unsafe file gets the GAN lab's message in the panel; the painting is kept."""
        path = Path(path).expanduser()
        if self.busy_training:
            raise ArtkitError("Stop training before loading another generator.")
        if not path.is_file():
            raise ArtkitError(f"I can't find the checkpoint '{path}'.")
        if not self.visible:
            self.show()
        worker = self._ensure_worker()
        if worker is None:
            return
        self.stop_walk(quiet=True)
        worker.load(path.resolve())
        self.state = "loading"
        self._say(f"Loading {path.name}…", toast=False)

    # -- painting from samples -------------------------------------------------------------------
    def paint_sample(self, index: int) -> None:
        """Make sample `index` of the grid the painting's source."""
        preview = self.preview
        if preview is None or not 0 <= index < len(preview.images):
            return
        seed, image = preview.seeds[index], preview.images[index]
        if self.preview_from == "training":
            checkpoint = self.run_dir / "painted" / f"step_{preview.step:07d}.pt"
            self.worker.save(checkpoint, preview.step, "paint")
        elif self.preview_from:
            checkpoint = Path(self.preview_from)
        else:
            return
        self.stop_walk(quiet=True)
        self.painted = {"checkpoint": str(checkpoint), "seed": int(seed), "image": image,
                        "step": preview.step}
        self.selected_seed = int(seed)
        self._build_painted_source(f"Painting from sample #{seed} (step {preview.step:,}). "
                                   f"Tab shows it; P changes its colours.")

    def _build_painted_source(self, note: str) -> None:
        from artkit.gan.painting import format_spec

        p = self.painted
        spec = format_spec(p["checkpoint"], p["seed"], self.palette)
        self.builder.request(p["image"], self.app.session.size, self.palette, spec,
                             f"GAN sample #{p['seed']}", note)
        self._dirty = True

    def cycle_palette(self) -> None:
        self.palette_index += 1
        self._thumb_key = None
        self._dirty = True
        if self.painted is not None and self.walk is None:
            self._build_painted_source(f"Palette: {self.palette}.")
        else:
            self._say(f"Palette: {self.palette}.", toast=False)

    def new_samples(self) -> None:
        if self.worker is None or self.preview is None:
            self._say("Train a GAN or load a checkpoint first.", "error")
            return
        base = self._rng.randrange(1000, 2**31 - gw.PREVIEW_COUNT)
        self.seeds = tuple(range(base, base + gw.PREVIEW_COUNT))
        self.worker.set_seeds(self.seeds)

    # -- the latent walk -------------------------------------------------------------------------
    def toggle_walk(self) -> None:
        if self.walk is not None:
            self.stop_walk()
            return
        if self.painted is None:
            self._say("Click a sample first: the walk starts from the one you paint.", "error")
            return
        if self.worker is None:
            self._say("The GAN engine is not running; press G to open the panel.", "error")
            return
        start = self.painted["seed"]
        self.walk = {"checkpoint": self.painted["checkpoint"], "from": start,
                     "to": self._next_walk_seed(start), "frames": None, "index": 0,
                     "next": None, "asked_next": False, "shown_at": 0.0}
        self._ask_walk_leg(self.walk["from"], self.walk["to"])
        self.walk["first"] = self._walk_request
        self._say("Walking: the source drifts from sample to sample and the brush follows. "
                  "W stops.", "ok")

    def _next_walk_seed(self, avoid: int) -> int:
        choices = [s for s in self.seeds if s != avoid]
        return self._rng.choice(choices) if choices else avoid + 1

    def _ask_walk_leg(self, seed_from: int, seed_to: int) -> None:
        self._walk_request += 1
        self.walk["request"] = self._walk_request
        self.worker.walk(self._walk_request, self.walk["checkpoint"], (seed_from, seed_to),
                         WALK_LEG_FRAMES)

    def stop_walk(self, quiet: bool = False) -> None:
        if self.walk is None:
            return
        self.walk = None
        self.app.session.end_gesture()
        if not quiet:
            self._say("The walk stopped; the painting keeps its last source.", toast=False)
        self._dirty = True

    def _walk_frame(self) -> None:
        """Move the source one step along the walk when its time comes, and keep painting."""
        from artkit.gan.painting import format_spec, walk_schedule

        walk = self.walk
        if walk["frames"] is not None and self.builder.idle and \
                time.perf_counter() - walk["shown_at"] >= WALK_FRAME_S:
            i = walk["index"]
            frames = walk["frames"]
            t = walk_schedule(1, len(frames))[i][1]
            spec = format_spec(walk["checkpoint"], walk["from"], self.palette, walk["to"], t)
            self.builder.request(frames[i], self.app.session.size, self.palette, spec,
                                 f"GAN walk #{walk['from']}→#{walk['to']}")
            walk["shown_at"] = time.perf_counter()
            walk["index"] += 1
            if walk["index"] >= len(frames) // 2 and not walk["asked_next"]:
                walk["asked_next"] = True
                walk["after"] = self._next_walk_seed(walk["to"])
                self._ask_walk_leg(walk["to"], walk["after"])
            if walk["index"] >= len(frames):
                if walk["next"] is not None:
                    walk.update(frames=walk["next"], next=None, index=1, asked_next=False)
                    walk["from"], walk["to"] = walk["to"], walk["after"]
                else:
                    walk["index"] = len(frames) - 1  # wait for the next leg at this picture
        if not self.app.autopaint and getattr(self.app, "_held", None) is None:
            self._paint_a_little()

    def _paint_a_little(self) -> None:
        """The walk paints by itself (like autopaint, but it never decides it is finished):
        one batch of the core's autopaint size per frame, within WALK_PAINT_BUDGET_S."""
        from artkit.autopaint import batch_sizes

        session = self.app.session
        batch = batch_sizes(session.size, session.brush_size)[1]
        started = time.perf_counter()
        while True:
            t0 = time.perf_counter()
            session.autopaint(batch)
            now = time.perf_counter()
            if now - started + (now - t0) > WALK_PAINT_BUDGET_S:
                break

    # -- events from the engine ------------------------------------------------------------------
    def update(self, dt: float) -> None:
        if self.worker is not None:
            for event in self.worker.poll():
                self._on_engine_event(event)
        for worker in self.retired:
            worker.poll(limit=1000)  # unread events would keep a finished engine from exiting
        self.retired = [w for w in self.retired if w.alive]
        result = self.builder.take()
        if result is not None:
            source, spec, note = result
            if source is None:
                self._say(spec, "error")
            else:
                self.app.set_source(source, spec)
                if note:
                    self._say(note, "ok")
        if self.walk is not None:
            self._walk_frame()

    def _on_engine_event(self, event) -> None:
        # Losses arrive many times a second and are redrawn at most every RENDER_EVERY_S;
        # anything else shows on the next frame.
        if isinstance(event, gw.Progress):
            self._stats_dirty = True
        else:
            self._dirty = True
        if isinstance(event, gw.Progress):
            self.step, self.images_seen = event.step, event.images_seen
            self.losses.add(event.images_seen, event.d_real, event.d_fake, event.g)
            self._rate_marks.append((time.perf_counter(), event.images_seen))
            if len(self._rate_marks) > 1:
                (t0, n0), (t1, n1) = self._rate_marks[0], self._rate_marks[-1]
                if t1 > t0:
                    self.rate = (n1 - n0) / (t1 - t0)
        elif isinstance(event, gw.Preview):
            self.preview = event
            self.seeds = tuple(event.seeds)
            self._thumb_key = None
        elif isinstance(event, gw.Ready):
            self.device_text = event.device
            if self.state == "starting" and self._pending is None:
                self.state = "idle"
        elif isinstance(event, gw.Started):
            self.state = "training"
            self._pending = None
            self.preview_from = "training"
            self.step = event.step
            self.device_text = event.device
            self.data_text = f"{event.data_name} ({event.images:,} images)"
            self.batch_size = event.batch_size
            self._say(f"Training {event.model} on {event.data_name}.", toast=False)
        elif isinstance(event, gw.Scored):
            if event.best_scores:
                self.best_scores, self.best_step = event.best_scores, event.best_step
        elif isinstance(event, gw.Stopped):
            self._stopped(event)
        elif isinstance(event, gw.Loaded):
            self._loaded(event)
        elif isinstance(event, gw.WalkFrames):
            walk = self.walk
            if walk is not None:
                if walk["frames"] is None and event.request == walk["first"]:
                    walk["frames"] = event.images
                elif walk["frames"] is not None and event.request == walk["request"]:
                    walk["next"] = event.images
        elif isinstance(event, gw.Saved):
            if event.purpose == "save":
                self._say(f"Saved the generator (step {event.step:,}) as {event.path}", "ok")
        elif isinstance(event, gw.Notice):
            self._say(event.message, "info")
        elif isinstance(event, gw.Failed):
            self._failed(event)

    def _stopped(self, event: gw.Stopped) -> None:
        self.state = "idle"
        kept = event.best_path or event.last_path
        if event.last_path:
            self.resume_from = event.last_path
            self.resume_key = (self.dataset.source, self.model_name)
        where = f"; the best generator is kept in {kept}" if kept else ""
        kind = "error" if event.reason.startswith("error") else "ok"
        self._say(f"Training stopped at step {event.step:,}{where}.", kind)
        if self.quit_when_stopped:
            self._retire()

    def _loaded(self, event: gw.Loaded) -> None:
        self.state = "idle"
        self.checkpoint = event.path
        self.preview_from = event.path
        self.step = event.step
        self.best_scores, self.best_step = dict(event.scores), event.step if event.scores else None
        self.losses.clear()
        self.rate = 0.0
        # Show the data and model the checkpoint was made with, so Train continues it.
        kinds = [i for i, d in enumerate(self.datasets) if d.kind == event.data_kind]
        if kinds and self.dataset.kind != event.data_kind:
            self.data_index = kinds[0]
        names = MODELS_BY_KIND.get(event.data_kind, ())
        if event.model in names:
            self.model_choice[event.data_kind] = names.index(event.model)
        self.resume_from = event.path
        self.resume_key = (self.dataset.source, self.model_name)
        more = " Train continues it." if event.can_resume else ""
        self._say(f"Loaded {Path(event.path).name} ({event.model}, step {event.step:,}). "
                  f"Click a sample to paint from it.{more}", "ok")

    def _failed(self, event: gw.Failed) -> None:
        if event.command in ("train", "start"):
            self.state = "idle" if event.command == "train" else "off"
            self._pending = None
        if event.command == "load":
            self.state = "idle"
        if event.command == "walk":
            self.walk = None
        if event.command == "start":
            self.worker = None
        self._say(event.message, "error")

    # -- input -----------------------------------------------------------------------------------
    def handle_event(self, event) -> bool:
        kind = event.type
        if kind == pygame.KEYDOWN:
            return self._key(event)
        if not self.visible:
            return False
        if kind == pygame.MOUSEBUTTONDOWN and self.rect.collidepoint(event.pos):
            self._pressed = True
            if event.button == 1:
                self._click(event.pos)
            return True
        if kind == pygame.MOUSEBUTTONUP and self._pressed:
            self._pressed = False
            return True
        if kind == pygame.MOUSEMOTION:
            hover = self._hit(event.pos) if self.rect.collidepoint(event.pos) else None
            if hover != self._hover:
                self._hover = hover
                self._dirty = True
        return False

    def _key(self, event) -> bool:
        if event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META | pygame.KMOD_ALT):
            return False
        if event.key == pygame.K_g:
            self.toggle()
            return True
        if not self.visible:
            return False
        action = {pygame.K_t: self.train_button, pygame.K_p: self.cycle_palette,
                  pygame.K_w: self.toggle_walk, pygame.K_n: self.new_samples}.get(event.key)
        if action is None:
            return False
        action()
        return True

    def _hit(self, pos):
        found = self._hits.at(pos)
        return found[1] if found else None

    def target_rect(self, target) -> pygame.Rect | None:
        """Screen rect of a clickable thing, e.g. ("button", "train") or ("sample", 3)."""
        return self._hits.rect_of(target)

    def _click(self, pos) -> None:
        target = self._hit(pos)
        if target is None:
            return
        what, value = target
        try:
            if what == "sample":
                self.paint_sample(value)
            elif what == "row":
                self.cycle_data() if value == "data" else self.cycle_model()
            elif what == "button":
                {"train": self.train_button, "stop": self.stop_training,
                 "palette": self.cycle_palette, "walk": self.toggle_walk,
                 "new": self.new_samples, "save": self.save_generator}[value]()
        except ArtkitError as error:
            self._say(str(error), "error")

    # -- drawing -----------------------------------------------------------------------------
    def draw(self, screen: pygame.Surface, force: bool = False) -> bool:
        now = time.perf_counter()
        stale = self._image is None or self._image.get_size() != self.rect.size
        changed = stale or self._dirty or (self._stats_dirty and
                                           now - self._rendered_at >= RENDER_EVERY_S)
        if changed:
            self._image = self._render()
            self._rendered_at = now
            self._dirty = self._stats_dirty = False
        if changed or force:
            screen.blit(self._image, self.rect)
        return changed or force

    def _render(self) -> pygame.Surface:
        w, h = self.rect.size
        img = pygame.Surface((w, h))
        img.fill(theme.SIDEBAR)
        pygame.draw.line(img, theme.SIDEBAR_EDGE, (0, 0), (0, h))
        hits = []
        inner = w - 2 * PAD
        mouse = self._hover

        def hit(rect, target):
            hits.append((rect.move(self.rect.topleft), target))

        # title and state
        r = self._text(img, "GAN", (PAD, 14), 21, bold=True)
        self._text(img, "lab", (r.right + 7, r.bottom - 4), 14, theme.TEXT_DIM,
                   anchor="bottomleft")
        self._pill(img, self._state_label(), (w - PAD, 26))

        # data and model: click to change
        y = 54
        for key, label, value, note in (
                ("data", "Data", self.dataset.label, self._data_note()),
                ("model", "Model", self.model_name, self._model_note())):
            row = pygame.Rect(PAD - 6, y, inner + 12, 40)
            if mouse == ("row", key) and not self.busy_training:
                pygame.draw.rect(img, theme.ROW_HOVER, row, border_radius=7)
            self._text(img, label.upper(), (PAD, y + 5), 11, theme.TEXT_FAINT, bold=True)
            self._text(img, value, (PAD + 58, y + 3), 15, theme.TEXT, bold=True)
            self._text(img, _fit(note, 12, inner - 58), (PAD + 58, y + 22), 12, theme.TEXT_DIM)
            if not self.busy_training:
                self._text(img, "⟳", (w - PAD, y + 4), 14, theme.TEXT_FAINT, anchor="topright")
            hit(row, ("row", key))
            y += 44

        # Train / Pause / Stop
        y += 4
        bw = (inner - 2 * 8) // 3
        train_label = {"training": "Pause", "paused": "Resume"}.get(self.state, "Train")
        if train_label == "Train" and self.resume_from and \
                self.resume_key == (self.dataset.source, self.model_name):
            train_label = "Continue"
        can_stop = self.state in ("training", "paused")
        buttons = (("train", train_label, "T", True, self.state not in ("stopping", "loading")),
                   ("stop", "Stop", "", False, can_stop),
                   ("save", "Save G", "", False, self.preview_from == "training"))
        for i, (name, label, key, primary, enabled) in enumerate(buttons):
            rect = pygame.Rect(PAD + i * (bw + 8), y, bw, 32)
            self._button(img, rect, label, key, primary and enabled, enabled,
                         mouse == ("button", name))
            hit(rect, ("button", name))
        y += 44

        # numbers
        third = inner // 3
        cols = ((PAD, "Step", f"{self.step:,}"),
                (PAD + third, "Images/s", kilo(self.rate) if self.rate else "—"),
                (PAD + 2 * third, "Device", _device_short(self.device_text)))
        for x, label, value in cols:
            self._text(img, label.upper(), (x, y), 11, theme.TEXT_FAINT, bold=True)
            self._text(img, _fit(value, 14, third - 6), (x, y + 14), 14, theme.TEXT, bold=True)
        y += 40
        self._text(img, "BEST", (PAD, y), 11, theme.TEXT_FAINT, bold=True)
        self._text(img, _fit(self._best_text(), 13, inner - 46), (PAD + 46, y - 1), 13)
        y += 24

        # loss curves
        bottom_h = 92  # a two-line message and the bottom buttons
        room = h - y - bottom_h - 16 - 14 - 16 - 6  # minus the labels and gaps
        grid_side = min(inner, max(120, room - 64))
        chart_h = max(48, min(96, room - grid_side))
        chart = pygame.Rect(PAD, y + 16, inner, chart_h)
        self._text(img, "LOSSES", (PAD, y), 11, theme.TEXT_FAINT, bold=True)
        lx = w - PAD
        for key, label in reversed(LINE_LABELS):
            r = self._text(img, label, (lx, y - 1), 11, theme.TEXT_DIM, anchor="topright")
            pygame.draw.line(img, LINE_COLOURS[key], (r.left - 14, r.centery),
                             (r.left - 4, r.centery), 3)
            lx = r.left - 22
        self._chart(img, chart)
        y = chart.bottom + 14

        # samples
        self._text(img, "SAMPLES", (PAD, y), 11, theme.TEXT_FAINT, bold=True)
        if self.preview is not None:
            self._text(img, f"step {self.preview.step:,} · click one to paint it",
                       (w - PAD, y), 11, theme.TEXT_DIM, anchor="topright")
        y += 16
        cell = (grid_side - GAP * (GRID_COLS - 1)) // GRID_COLS
        left = PAD + (inner - (cell * GRID_COLS + GAP * (GRID_COLS - 1))) // 2
        thumbs = self._thumbnails(cell)
        for i in range(gw.PREVIEW_COUNT):
            row, col = divmod(i, GRID_COLS)
            rect = pygame.Rect(left + col * (cell + GAP), y + row * (cell + GAP), cell, cell)
            if thumbs is not None and i < len(thumbs):
                img.blit(thumbs[i], rect)
                hit(rect, ("sample", i))
                seed = self.preview.seeds[i] if i < len(self.preview.seeds) else None
                if mouse == ("sample", i):
                    pygame.draw.rect(img, theme.TEXT, rect.inflate(4, 4), 2, border_radius=3)
                if seed is not None and seed == self.selected_seed and self.painted is not None:
                    pygame.draw.rect(img, theme.ACCENT, rect.inflate(4, 4), 3, border_radius=3)
            else:
                pygame.draw.rect(img, theme.BACKDROP, rect, border_radius=3)
        y += GRID_COLS * (cell + GAP) + 6
        if thumbs is None:
            self._empty_grid_hint(img, pygame.Rect(left, y - GRID_COLS * (cell + GAP) - 6,
                                                   grid_side, grid_side))

        # message line
        bottom = h - bottom_h + 6
        if self.message:
            text, kind = self.message
            colour = {"error": (236, 128, 112), "ok": (150, 210, 160)}.get(kind, theme.TEXT_DIM)
            lines = _wrap(text, 12, inner)
            if len(lines) > 2:
                lines = [lines[0], _fit(" ".join(lines[1:]), 12, inner)]
            top = max(y, bottom - 6 - 15 * len(lines))
            for i, line in enumerate(lines[:2]):
                self._text(img, line, (PAD, top + 15 * i), 12, colour)

        # palette, walk, new samples
        y = h - 52
        bw = (inner - 2 * 8) // 3
        has_samples = self.preview is not None
        row = (("palette", f"{self.palette}", "P", True),
               ("walk", "Walk" + (" · on" if self.walk else ""), "W", self.painted is not None),
               ("new", "New", "N", has_samples))
        for i, (name, label, key, enabled) in enumerate(row):
            rect = pygame.Rect(PAD + i * (bw + 8), y, bw, 32)
            on = name == "walk" and self.walk is not None
            self._button(img, rect, label, key, on, enabled, mouse == ("button", name),
                         swatch=self.palette if name == "palette" else None)
            hit(rect, ("button", name))
        self._hits.replace(hits)
        return img

    def _text(self, surface, string, pos, size=14, colour=theme.TEXT, bold=False,
              anchor="topleft") -> pygame.Rect:
        """Like `theme.text`, with the rendered words cached: most of the panel's text stays
        the same from one redraw to the next, and rendering text is most of a redraw's cost."""
        key = (string, size, colour, bold)
        image = self._text_cache.get(key)
        if image is None:
            if len(self._text_cache) > 600:
                self._text_cache.clear()
            image = self._text_cache[key] = theme.font(size, bold).render(string, True, colour)
        rect = image.get_rect(**{anchor: pos})
        surface.blit(image, rect)
        return rect

    def _state_label(self) -> str:
        return {"off": "off", "starting": "starting", "idle": "ready", "loading": "loading",
                "training": "training", "paused": "paused", "stopping": "stopping"}[self.state]

    def _model_note(self) -> str:
        note = MODEL_NOTES.get(self.model_name, "")
        if self.batch_size and self.busy_training:
            note = f"{note} · batches of {self.batch_size}"
        return note

    def _data_note(self) -> str:
        if self.data_text and self.busy_training:
            return self.data_text
        if self.dataset.source == "digits":
            return "handwritten digits, 28 px"
        if self.dataset.source == "faces":
            return "100 small faces from scikit-image"
        return self.dataset.source

    def _best_text(self) -> str:
        s = self.best_scores
        if not s:
            return "—  (scored every 20 s on digits)" if self.dataset.kind == "digits" else "—"
        parts = []
        if "classes_covered" in s:
            parts.append(f"{s['classes_covered']} of 10 digits")
        if "fid" in s:
            parts.append(f"FID {s['fid']:.1f}")
        if self.best_step is not None:
            parts.append(f"step {self.best_step:,}")
        return " · ".join(parts)

    def _pill(self, img, label, topright) -> None:
        colour = STATUS_COLOURS.get(self.state, theme.BADGE)
        face = theme.font(12, bold=True)
        text = face.render(label, True, theme.ACCENT_TEXT if colour != theme.BADGE else theme.TEXT)
        rect = pygame.Rect(0, 0, text.get_width() + 18, text.get_height() + 6)
        rect.midright = topright
        pygame.draw.rect(img, colour, rect, border_radius=rect.height // 2)
        img.blit(text, text.get_rect(center=rect.center))

    def _button(self, img, rect, label, key, primary, enabled, hover, swatch=None) -> None:
        if primary:
            fill, colour = theme.ACCENT, theme.ACCENT_TEXT
        else:
            fill = theme.ROW_HOVER if hover and enabled else theme.BADGE
            colour = theme.TEXT if enabled else theme.TEXT_FAINT
        if primary and hover:
            fill = (246, 186, 112)
        pygame.draw.rect(img, fill, rect, border_radius=8)
        content_x = rect.x + 10
        if swatch is not None:
            self._swatch(img, pygame.Rect(content_x, rect.centery - 7, 22, 14), swatch)
            content_x += 28
        r = self._text(img, label, (content_x, rect.centery), 14, colour, bold=primary,
                       anchor="midleft")
        if key and r.right + 24 < rect.right:
            self._text(img, key, (rect.right - 9, rect.centery), 10,
                       theme.ACCENT_TEXT if primary else theme.TEXT_FAINT, bold=True,
                       anchor="midright")

    @staticmethod
    @functools.lru_cache(maxsize=16)
    def _swatch_surface(size, palette) -> pygame.Surface:
        from artkit.gan.painting import tint

        ramp = tint(np.linspace(0, 1, size[0], dtype=np.float32)[None, :], palette)
        ramp = np.round(np.repeat(ramp, size[1], axis=0) * 255).astype(np.uint8)
        return pygame.surfarray.make_surface(ramp.transpose(1, 0, 2))

    def _swatch(self, img, rect, palette) -> None:
        img.blit(self._swatch_surface(rect.size, palette), rect)
        pygame.draw.rect(img, theme.SIDEBAR_EDGE, rect, 1)

    def _chart(self, img, rect) -> None:
        pygame.draw.rect(img, theme.BACKDROP, rect, border_radius=6)
        if len(self.losses) < 2:
            self._text(img, "losses appear as the GAN trains", rect.center, 12, theme.TEXT_FAINT,
                       anchor="center")
            return
        data = self.losses.rows()
        if len(data) > rect.width:  # one point per pixel column is all the eye can see
            data = data[np.linspace(0, len(data) - 1, rect.width).astype(int)]
        x = data[:, 0]
        top = max(0.5, float(np.percentile(data[:, 1:], 99)) * 1.1)
        inner = rect.inflate(-12, -12)
        for frac in (0.25, 0.5, 0.75):
            gy = inner.bottom - frac * inner.height
            pygame.draw.line(img, theme.SIDEBAR_EDGE, (inner.left, gy), (inner.right, gy))
        self._text(img, f"{top:.1f}", (rect.left + 4, rect.top + 2), 10, theme.TEXT_FAINT)
        span = max(1.0, x[-1] - x[0])
        xs = inner.left + (x - x[0]) / span * inner.width
        for column, (key, _) in enumerate(LINE_LABELS, start=1):
            ys = inner.bottom - np.clip(data[:, column] / top, 0, 1) * inner.height
            pygame.draw.aalines(img, LINE_COLOURS[key], False, np.stack([xs, ys], axis=1))
        self._text(img, f"{kilo(x[-1])} images", (rect.right - 4, rect.bottom - 2), 10,
                   theme.TEXT_FAINT, anchor="bottomright")

    def _thumbnails(self, cell: int):
        preview = self.preview
        if preview is None:
            return None
        key = (id(preview), cell, self.palette)
        if self._thumb_key != key:
            from artkit.gan.painting import tint

            thumbs = []
            for image in preview.images:
                rgb = np.ascontiguousarray(np.round(tint(image, self.palette) * 255)
                                           .astype(np.uint8))
                small = pygame.image.frombuffer(rgb.tobytes(), (rgb.shape[1], rgb.shape[0]),
                                                "RGB")
                thumbs.append(pygame.transform.smoothscale(small, (cell, cell)))
            self._thumbs, self._thumb_key = thumbs, key
        return self._thumbs

    def _empty_grid_hint(self, img, rect) -> None:
        if self.state in ("starting", "loading"):
            text = "starting the GAN engine…" if self.state == "starting" else "loading…"
        elif self.state == "off" and not gw.torch_available():
            text = "the GAN lab needs torch"
        else:
            text = "press Train (T) or drop a .pt file"
        self._text(img, text, rect.center, 13, theme.TEXT_DIM, anchor="center")

    # -- the end -----------------------------------------------------------------------------
    def close(self) -> None:
        """The app is quitting: stop training cleanly (best.pt is written) and end the engine."""
        self.walk = None
        self.builder.close()
        workers = [w for w in [self.worker] + self.retired if w is not None]
        if any(w.alive for w in workers) and self.busy_training:
            print("Stopping the GAN: keeping its best generator…", flush=True)
        for worker in workers:
            worker.close(timeout=60)
        self.worker, self.retired = None, []


def _device_short(text: str) -> str:
    """"cpu (1 thread)" → "CPU · 1 thread"; "cuda (NVIDIA H100)" → "CUDA · NVIDIA H100"."""
    kind, _, rest = text.partition(" (")
    if kind not in ("cpu", "cuda", "mps"):
        return text
    label = {"cpu": "CPU", "cuda": "CUDA", "mps": "Apple mps"}[kind]
    return f"{label} · {rest.rstrip(')')}" if rest else label


@functools.lru_cache(maxsize=256)
def _wrap(text: str, size: int, width: int) -> list:
    return theme.wrap(text, size, width)


@functools.lru_cache(maxsize=512)
def _fit(text: str, size: int, width: int) -> str:
    """`text` shortened with an ellipsis to fit `width` px at font `size`."""
    face = theme.font(size)
    if face.size(text)[0] <= width:
        return text
    while text and face.size(text + "…")[0] > width:
        text = text[:-1]
    return text + "…"


# --------------------------------------------------------------------------- plugging in


def attach(app) -> GanPanel:
    """Add the GAN panel to a paint app (called by `PaintApp.attach_plugins`)."""
    panel = GanPanel()
    app.add_panel(panel)
    return panel


def find_panel(app) -> GanPanel | None:
    return next((p for p in app.panels if isinstance(p, GanPanel)), None)


def show_panel(app, checkpoint=None, data=None) -> GanPanel:
    """Open the GAN panel (for `artkit paint --gan [CHECKPOINT] [--gan-data PATH]`): load the
    checkpoint and/or train on the data given."""
    panel = find_panel(app) or attach(app)
    panel.show()
    try:
        if data:
            panel.use_data(data)
        if checkpoint:
            panel.load_checkpoint(checkpoint)
    except ArtkitError as error:  # the window stays open; the panel says what went wrong
        panel._say(str(error), "error")
    app.layout()
    return panel
