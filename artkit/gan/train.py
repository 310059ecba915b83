"""The GAN trainer: batched, seeded, resumable, and safe to run in a background thread.

Each step follows the book's training loop on a batch (batch size 1 is the book's per-sample
training exactly):

1. the discriminator learns from a batch of real images (target 1) — one optimiser step;
2. it learns from a batch of generated images (target 0) — a second optimiser step;
3. the generator learns through the discriminator from a fresh batch of latents (target 1),
   or, for models with `reuse_fakes` (the conv models), from the batch of step 2.

Around the steps the trainer logs losses (`losses.csv`, `losses.png`), draws a fixed-noise
sample grid every so often (`samples/step_000500.png`), scores the generator periodically
and keeps the best one (`best.pt`), and writes `last.pt` so training can resume. A resumed run
continues exactly as if it had never stopped: the checkpoint carries the weights, optimiser
states, data order and every RNG state (torch, numpy, python, the trainer's own).

For a GUI: run `trainer.run(minutes=...)` in a thread (`start_thread`), read `trainer.events`
(a `queue.Queue` of `LossEvent`, `SamplesEvent`, `ScoreEvent`, `DoneEvent`; it keeps the
newest 1000 when nobody reads it) or pass
`on_event`, and call `pause()`, `resume()` or `request_stop()` from the UI thread. Stopping
is clean: the current step finishes, then last.pt is written and a `DoneEvent` is sent.
"""

from __future__ import annotations

import copy
import csv
import math
import queue
import random
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from artkit.errors import ArtkitError
from artkit.gan import checkpoint as ckpt
from artkit.gan import data as gan_data
from artkit.gan import models
from artkit.gan.clusters import equal_clusters
from artkit.gan.device import pick_device, use_threads
from artkit.gan.sample import sample_images, save_grid, to_numpy_images
from artkit.gan.text import kilo

EVENT_QUEUE_SIZE = 1000
LOSS_COLUMNS = ("step", "images_seen", "d_real", "d_fake", "g", "images_per_s")
AVERAGE_STATISTICS_LATENTS = 1024  # latents that measure the averaged generator's BatchNorm


@dataclass
class TrainConfig:
    """How to train.

    steps / epochs: totals to reach, counted from the start of training (so a resumed run
    finishes the same job); minutes: a time budget for one `run()` call. `run()` arguments
    override these. out_dir None writes no files (events only).
    log_every: steps between loss log rows (None: about every 1k images, at most 100 steps).
    sample_every / score_every: steps between sample grids / between scores (each score also
    writes last.pt). None means by the clock instead — every `sample_seconds` /
    `score_seconds` of training — because speeds differ 50-fold between models and machines;
    the clock decides only when to look, never what is learned, so runs still repeat exactly.
    """

    batch_size: int = 64
    steps: int | None = None
    epochs: float | None = None
    minutes: float | None = None
    log_every: int | None = None
    sample_every: int | None = None
    score_every: int | None = None
    sample_seconds: float = 15.0
    score_seconds: float = 20.0
    n_samples: int = 64
    n_score: int = 1000
    out_dir: str | None = None
    progress: bool = False
    threads: int | None = 1

    def log_interval(self) -> int:
        if self.log_every is not None:
            return max(1, int(self.log_every))
        return min(100, max(1, round(1000 / self.batch_size)))


@dataclass
class LossEvent:
    """Mean losses since the previous LossEvent. d_real, d_fake: the discriminator's losses on
    real and generated batches; g: the generator's loss."""

    step: int
    images_seen: int
    d_real: float
    d_fake: float
    g: float
    images_per_s: float


@dataclass
class SamplesEvent:
    """Images from the fixed latents: float 0..1, (N, H, W) grey or (N, H, W, 3) colour."""

    step: int
    images: np.ndarray


@dataclass
class ScoreEvent:
    step: int
    scores: dict
    is_best: bool


@dataclass
class DoneEvent:
    """Training ended: reason is "steps", "epochs", "minutes", "stopped" or "error: ..."."""

    reason: str


@dataclass
class RunResult:
    reason: str
    step: int
    images_seen: int
    seconds: float
    best_step: int | None
    best_scores: dict
    paths: list = field(default_factory=list)


class Trainer:
    """Train a GAN: `Trainer(model, data, config, device=None, seed=0, score_fn=None)`.

    model: a name from `artkit.gan.models.MODELS` or a model config. data: `ImageData`,
    `PatternData` or None (the model's usual data, loaded with `notice`). score_fn: maps images
    (N, H, W[, 3]) in 0..1 to a dict of numbers; the best generator is the one with the lowest
    "fid" (or highest "inception_score", else lowest "kl"). None picks the default — for 28-pixel
    digits `artkit.gan.metrics.digit_scores` — and False turns scoring off; without scores the
    last generator counts as the best.
    """

    def __init__(self, model, data=None, config: TrainConfig | None = None, device=None,
                 seed: int = 0, score_fn: Callable | None = None,
                 on_event: Callable | None = None, notice: Callable[[str], None] = print,
                 model_name: str | None = None):
        self.config = config or TrainConfig()
        if self.config.batch_size < 1:
            raise ArtkitError(f"the batch size must be 1 or more, not {self.config.batch_size}.")
        if self.config.threads:
            use_threads(self.config.threads)
        if isinstance(model, str):
            self.model_name, self.model_config = model, models.model_config(model)
        else:
            self.model_config = model
            self.model_name = model_name or models.model_name_for(model)
        pack = getattr(self.model_config, "pack", 1)
        if self.config.batch_size % pack:
            raise ArtkitError(f"the {self.model_name} model's discriminator judges images in "
                              f"{models.groups_of(pack)}, so the batch size must be a multiple of "
                              f"{pack}, not {self.config.batch_size}.")
        self.device = pick_device(device) if not isinstance(device, torch.device) else device
        self.seed = int(seed)
        self.notice = notice
        self.on_event = on_event
        # Bounded, dropping the oldest when full, so a run nobody listens to cannot grow
        # without limit.
        self.events: queue.Queue = queue.Queue(maxsize=EVENT_QUEUE_SIZE)

        _seed_everything(self.seed)
        self.gan = models.build_gan(self.model_config, self.device)
        self.generator, self.discriminator = self.gan.generator, self.gan.discriminator
        # The weight-averaged generator (models with `ema`), which samples, is scored and saved.
        self.averaged = (copy.deepcopy(self.generator).requires_grad_(False)
                         if getattr(self.model_config, "ema", 0) else None)
        self._average_measured_at: int | None = None
        self.data = self._prepare_data(data)
        # The trainer's own RNG (CPU, so runs repeat on any device) draws data order and latents.
        self.rng = torch.Generator().manual_seed(self.seed)
        self.fixed_latents = self._fixed_latents()
        if score_fn is False:
            self.score_fn = None
        else:
            self.score_fn = score_fn if score_fn is not None else self._default_score_fn()

        self.step_count = 0
        self.images_seen = 0
        self._order = torch.empty(0, dtype=torch.long)
        self._cursor = 0
        self.history: list[list[float]] = []
        self.score_history: list[dict] = []
        self.best_scores: dict = {}
        self.best_step: int | None = None
        self.best_generator_state: dict | None = None
        self._loss_sum = torch.zeros(3, device=self.device)
        self._loss_count = 0
        self._step_seconds = 0.0
        self._stop = threading.Event()
        self._unpaused = threading.Event()
        self._unpaused.set()
        self._progress_at = 0.0
        self._last_samples_step = -1

    # ------------------------------------------------------------------ set-up

    def _prepare_data(self, data):
        kind = models.data_kind(self.model_config)
        if data is None:
            data = load_data(kind, self.model_config, notice=self.notice)
        if isinstance(data, gan_data.PatternData):
            if kind != "pattern":
                raise ArtkitError(f"the {self.model_name} model learns images, not the 1010 "
                                  "pattern; use --model pattern or give image data.")
            return data
        if tuple(data.image_shape) != tuple(self.generator.image_shape):
            c, h, w = self.generator.image_shape
            dc, dh, dw = data.image_shape
            raise ArtkitError(f"the {self.model_name} model makes {c}×{h}×{w} images but "
                              f"{data.name} are {dc}×{dh}×{dw}; pick a model made for this data.")
        if len(data) == 0:
            raise ArtkitError(f"{data.name} holds no images to train on.")
        return self._with_labels(data).to(self.device)

    def _with_labels(self, data):
        """The data with the labels a conditional model learns from: their own, or for a
        model with `clusters`, the cluster each image falls in (its seed picks the clusters)."""
        classes, clusters = self.generator.classes, getattr(self.model_config, "clusters", 0)
        if clusters and getattr(self.model_config, "classes", 0):
            raise ArtkitError("a model conditions on its data's labels (classes) or on clusters "
                              "it finds (clusters), not both; set one of them to 0.")
        if clusters:
            return gan_data.ImageData(data.images, equal_clusters(data.images, clusters, self.seed),
                                      f"{data.name} in {clusters} clusters")
        if classes and data.labels is None:
            raise ArtkitError(f"the {self.model_name} model is conditional: it learns each "
                              f"image with its label, and {data.name} have none; give labelled "
                              "data (an IDX file beside its labels file, the book's CSV, or an "
                              "NPZ with labels) or pick a model without -cond.")
        unknown = data.labels[(data.labels < 0) | (data.labels >= classes)] if classes else []
        if len(unknown):
            raise ArtkitError(f"the {self.model_name} model knows classes 0 to {classes - 1}, "
                              f"but {data.name} have label {int(unknown[0])}; give digits "
                              "labelled 0-9.")
        return data

    def _default_score_fn(self):
        if models.data_kind(self.model_config) != "digits" or \
                tuple(self.generator.image_shape) != (1, 28, 28):
            return None
        try:
            from artkit.gan import metrics

            metrics.classifier()  # loads (and caches) the weights, so a problem shows up now
        except (ImportError, ArtkitError) as error:
            self.notice(f"Scoring is off, so best.pt will be the last generator: the digit "
                        f"classifier is not available ({error}).")
            return None
        return metrics.digit_scores

    # ------------------------------------------------------------------ control (any thread)

    def request_stop(self) -> None:
        """Ask `run` to stop after the current step (it then writes last.pt and sends DoneEvent)."""
        self._stop.set()
        self._unpaused.set()

    def pause(self) -> None:
        """Hold training between steps until `resume()` (time paused does not count as minutes)."""
        self._unpaused.clear()

    def resume(self) -> None:
        """Continue after `pause()`."""
        self._unpaused.set()

    @property
    def paused(self) -> bool:
        return not self._unpaused.is_set()

    def start_thread(self, **limits) -> threading.Thread:
        """Run `run(**limits)` in a daemon thread and return the thread (already started)."""
        thread = threading.Thread(target=self._run_quietly, kwargs=limits, daemon=True,
                                  name="artkit-gan-trainer")
        thread.start()
        return thread

    def _run_quietly(self, **limits):
        try:
            self.run(**limits)
        except Exception:  # already reported through DoneEvent("error: ...")
            pass

    # ------------------------------------------------------------------ training

    @property
    def epoch(self) -> float:
        """Passes over the data so far (0 for the endless 1010 pattern)."""
        if isinstance(self.data, gan_data.PatternData):
            return 0.0
        return self.images_seen / len(self.data)

    def step(self) -> tuple[float, float, float]:
        """One training step on one batch; returns its losses (d_real, d_fake, g)."""
        started = time.perf_counter()
        batch = self.config.batch_size
        gan, D, G = self.gan, self.discriminator, self.generator
        real, real_labels = self._next_batch(batch)
        ones = torch.ones((batch, 1), device=self.device)
        zeros = torch.zeros((batch, 1), device=self.device)

        def judge(images, labels):  # a conditional D also sees which class each image is
            return D(images) if labels is None else D(images, labels)

        def make_fakes():
            z = G.sample_latent(batch, self.rng)
            labels = G.labels_of(z)
            return G(z.to(self.device)), None if labels is None else labels.to(self.device)

        gan.d_optimizer.zero_grad(set_to_none=True)
        loss_real = gan.loss_fn(judge(real, real_labels), ones)
        loss_real.backward()
        gan.d_optimizer.step()

        reuse_fakes = getattr(self.model_config, "reuse_fakes", False)
        # Reused, the fakes keep their graph for the generator's step below; otherwise this is
        # the book's .detach(): no generator gradients here.
        with torch.set_grad_enabled(reuse_fakes):
            fake, fake_labels = make_fakes()
        gan.d_optimizer.zero_grad(set_to_none=True)
        loss_fake = gan.loss_fn(judge(fake.detach(), fake_labels), zeros)
        loss_fake.backward()
        gan.d_optimizer.step()

        gan.g_optimizer.zero_grad(set_to_none=True)
        if not reuse_fakes:  # the book: a fresh batch for the generator's step
            fake, fake_labels = make_fakes()
        # D's weights are not trained by this loss, so their gradients are not computed: the
        # same numbers as computing and discarding them, and a conv step 1.04-1.09x faster
        # (two paired timings of alternating bursts).
        D.requires_grad_(False)
        try:
            loss_g = gan.loss_fn(judge(fake, fake_labels), ones)
            loss_g.backward()
        finally:
            D.requires_grad_(True)
        gan.g_optimizer.step()
        if self.averaged is not None:
            self._update_average()

        losses = torch.stack([loss_real.detach(), loss_fake.detach(), loss_g.detach()])
        self._loss_sum += losses
        self._loss_count += 1
        self.step_count += 1
        self.images_seen += batch
        self._step_seconds += time.perf_counter() - started
        return tuple(losses.tolist())

    @property
    def sampler(self):
        """The generator whose images count: the weight average when the model keeps one,
        with its BatchNorm statistics measured for the averaged weights."""
        if self.averaged is None:
            return self.generator
        if self._average_measured_at != self.step_count:
            self._measure_average()
        return self.averaged

    @torch.no_grad()
    def _update_average(self) -> None:
        # Early on the average follows closely (decay (1+t)/(10+t)), so the first grids
        # already show what G learned; later it remembers about 1/(1-ema) steps.
        decay = min(self.model_config.ema, (1 + self.step_count) / (10 + self.step_count))
        for average, trained in zip(self.averaged.parameters(), self.generator.parameters()):
            average.lerp_(trained, 1 - decay)

    @torch.no_grad()
    def _measure_average(self) -> None:
        # BatchNorm's running statistics belong to the weights that made them: borrowed from
        # the trained generator they fit the average only roughly (a conv best.pt scored
        # Fréchet 4.27 that way, 4.06 with statistics measured like this). Fixed latents, so
        # the same weights always get the same statistics and resuming stays exact.
        latents = self.generator.sample_latent(
            AVERAGE_STATISTICS_LATENTS, torch.Generator().manual_seed(self.seed + 3))
        torch.optim.swa_utils.update_bn(latents.split(128), self.averaged, device=self.device)
        self._average_measured_at = self.step_count

    def start_from_generator(self, state: dict, source: str) -> None:
        """Begin from a saved generator's weights (with a fresh discriminator)."""
        ckpt.load_weights(self.generator, state, "generator", source)
        if self.averaged is not None:
            self.averaged.load_state_dict(self.generator.state_dict())
            self._average_measured_at = None

    def _fixed_latents(self) -> torch.Tensor:
        """The latents of every sample grid, so the grids of a run show the same samples. A
        conditional model's grid has one column per class (`grid_columns`)."""
        n, classes = self.config.n_samples, self.generator.classes
        if classes:
            n = math.ceil(n / classes) * classes  # whole rows
        return self.generator.sample_latent(n, torch.Generator().manual_seed(self.seed + 1),
                                            self.generator.labels_in_turn(n))

    @property
    def grid_columns(self) -> int:
        return self.generator.classes or math.ceil(math.sqrt(len(self.fixed_latents)))

    def _next_batch(self, n: int) -> tuple[torch.Tensor, torch.Tensor | None]:
        """n training images, and their labels when the model is conditional (else None)."""
        if isinstance(self.data, gan_data.PatternData):
            return self.data.sample(n, self.rng).to(self.device), None
        # Walk a random permutation; when it runs out, draw the next one (so small data sets
        # and batches larger than the data both work, and no image is left out of an epoch).
        parts, needed = [], n
        while needed:
            if self._cursor >= len(self._order):
                self._order = torch.randperm(len(self.data), generator=self.rng)
                self._cursor = 0
            take = self._order[self._cursor:self._cursor + needed]
            self._cursor += len(take)
            needed -= len(take)
            parts.append(take)
        indices = torch.cat(parts) if len(parts) > 1 else parts[0]
        indices = indices.to(self.data.images.device)
        labels = self.data.labels[indices] if self.generator.classes else None
        return self.data.images[indices], labels

    def run(self, steps: int | None = None, minutes: float | None = None,
            epochs: float | None = None) -> RunResult:
        """Train until a limit is reached or `request_stop()`; returns a `RunResult`.

        steps / epochs are totals since the start of training; minutes is this call's budget
        (paused time excluded). Arguments override the TrainConfig. At the end: a last sample
        grid and score, last.pt, best.pt, losses.csv and losses.png (when out_dir is set).
        """
        config = self.config
        steps = steps if steps is not None else config.steps
        minutes = minutes if minutes is not None else config.minutes
        epochs = epochs if epochs is not None else config.epochs
        if steps is None and minutes is None and epochs is None:
            raise ArtkitError("say how long to train: give steps, epochs or minutes.")
        if epochs is not None and isinstance(self.data, gan_data.PatternData):
            raise ArtkitError("the 1010 pattern is endless, so epochs mean nothing; give steps "
                              "or minutes.")
        for label, value in (("steps", steps), ("minutes", minutes), ("epochs", epochs)):
            if value is not None and not value > 0:
                raise ArtkitError(f"{label} must be more than 0, not {value}.")
        log_every = config.log_interval()
        due_sample = _Schedule(config.sample_every, config.sample_seconds)
        due_score = _Schedule(config.score_every, config.score_seconds)
        started = time.perf_counter()
        paused_seconds = 0.0
        reason = "stopped"
        try:
            if self.step_count == 0:
                self._samples()
            while True:
                if not self._unpaused.is_set():
                    pause_start = time.perf_counter()
                    self._unpaused.wait()
                    paused_seconds += time.perf_counter() - pause_start
                if self._stop.is_set():
                    reason = "stopped"
                    break
                if steps is not None and self.step_count >= steps:
                    reason = "steps"
                    break
                if epochs is not None and self.epoch >= epochs:
                    reason = "epochs"
                    break
                if minutes is not None and \
                        time.perf_counter() - started - paused_seconds >= minutes * 60:
                    reason = "minutes"
                    break
                self.step()
                if self.step_count % log_every == 0:
                    self._log()
                if due_sample(self.step_count):
                    self._samples()
                if due_score(self.step_count):
                    self._score()
                    self._save("last.pt")
        except BaseException as error:
            self._stop.clear()
            self._finish_quietly()
            self._emit(DoneEvent(f"error: {error}"))
            raise
        # Cleared only now, so a stop asked for before this run began is still honoured.
        self._stop.clear()
        paths = self._finish()
        self._end_progress()
        result = RunResult(reason, self.step_count, self.images_seen,
                           time.perf_counter() - started - paused_seconds,
                           self.best_step, dict(self.best_scores), paths)
        self._emit(DoneEvent(reason))
        return result

    # ------------------------------------------------------------------ periodic work

    def _log(self) -> None:
        if not self._loss_count:
            return
        d_real, d_fake, g = (self._loss_sum / self._loss_count).tolist()
        seen = self._loss_count * self.config.batch_size
        speed = seen / self._step_seconds if self._step_seconds > 0 else 0.0
        self._loss_sum.zero_()
        self._loss_count, self._step_seconds = 0, 0.0
        event = LossEvent(self.step_count, self.images_seen, d_real, d_fake, g, speed)
        self.history.append([event.step, event.images_seen, d_real, d_fake, g, speed])
        self._emit(event)
        self._progress(event)

    def _samples(self) -> None:
        images = to_numpy_images(self.sampler.generate(self.fixed_latents))
        self._last_samples_step = self.step_count
        self._emit(SamplesEvent(self.step_count, images))
        if self.config.out_dir:
            save_grid(images, self._out(f"samples/step_{self.step_count:06d}.png"),
                      ncols=self.grid_columns)

    def _score(self) -> None:
        if self.score_fn is None:
            return
        images = sample_images(self.sampler, self.config.n_score, seed=self.seed + 2)
        scores = {key: _plain(value) for key, value in dict(self.score_fn(images)).items()}
        is_best = not self.best_scores or better(scores, self.best_scores)
        self.score_history.append({"step": self.step_count, "images_seen": self.images_seen,
                                   **scores})
        if is_best:
            self.best_scores, self.best_step = scores, self.step_count
            self.best_generator_state = {key: value.detach().cpu().clone()
                                         for key, value in self.sampler.state_dict().items()}
            self._save("best.pt")
        self._emit(ScoreEvent(self.step_count, scores, is_best))

    def _finish(self) -> list:
        """End-of-run work: flush the log, a final grid and score, and every file."""
        self._log()
        if self._last_samples_step != self.step_count:
            self._samples()
        if self.score_fn is not None and self.step_count and (
                not self.score_history or self.score_history[-1]["step"] != self.step_count):
            self._score()
        if not self.config.out_dir:
            return []
        paths = [self._save("last.pt")]
        best = self._out("best.pt")
        if self.score_fn is None:
            # Nothing measures quality here, so the latest generator is the best we know.
            shutil.copyfile(paths[0], best)
        if best.exists():
            paths.append(best)
        paths += self._write_history()
        return paths

    def _finish_quietly(self) -> None:
        """After an error: keep what was learned if the files can still be written."""
        try:
            if self.config.out_dir and self.step_count:
                self._save("last.pt")
                self._write_history()
        except Exception:
            pass

    def _write_history(self) -> list:
        csv_path = self._out("losses.csv")
        with open(csv_path, "w", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(LOSS_COLUMNS)
            for row in self.history:
                writer.writerow([int(row[0]), int(row[1])] + [f"{v:.6g}" for v in row[2:]])
        paths = [csv_path]
        if self.score_history:
            scores_path = self._out("scores.csv")
            keys = [k for k in self.score_history[-1] if not isinstance(self.score_history[-1][k], list)]
            with open(scores_path, "w", newline="") as file:
                writer = csv.writer(file)
                writer.writerow(keys)
                for row in self.score_history:
                    writer.writerow([row.get(key, "") for key in keys])
            paths.append(scores_path)
        if self.history:
            paths.append(plot_losses(self.history, self._out("losses.png"),
                                     title=f"{self.model_name} GAN losses"))
        return paths

    def _out(self, name: str) -> Path:
        path = Path(self.config.out_dir) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    # ------------------------------------------------------------------ checkpoints

    def _save(self, name: str) -> Path | None:
        if not self.config.out_dir:
            return None
        return self.save_checkpoint(self._out(name))

    def save_checkpoint(self, path) -> Path:
        """Write everything needed to resume exactly (see `restore`)."""
        trainer_state = {
            "seed": self.seed,
            "batch_size": self.config.batch_size,
            "order": self._order.clone(),
            "cursor": self._cursor,
            "history": torch.tensor(self.history, dtype=torch.float64).reshape(-1, len(LOSS_COLUMNS)),
            "score_history": [dict(row) for row in self.score_history],
            "best_scores": dict(self.best_scores),
            "best_step": -1 if self.best_step is None else self.best_step,
            "best_generator": self.best_generator_state,
            "rng": _rng_states(self.rng),
        }
        if self.averaged is not None:  # "generator" is the average: what sampling wants
            trainer_state["trained_generator"] = self.generator.state_dict()
        return ckpt.save_checkpoint(
            path, model_name=self.model_name, config=self.model_config,
            generator=self.sampler, discriminator=self.discriminator,
            g_optimizer=self.gan.g_optimizer, d_optimizer=self.gan.d_optimizer,
            step=self.step_count, images_seen=self.images_seen,
            scores=self.score_history[-1] if self.score_history else {}, trainer=trainer_state)

    def restore(self, path) -> None:
        """Continue from a checkpoint written by `save_checkpoint`: weights, optimisers, data
        order, loss history, best generator and RNG states, so training goes on exactly as if
        it had never stopped (with the same batch size, on the CPU)."""
        state = ckpt.load_checkpoint(path)
        name = Path(path).name
        if state.get("discriminator") is None or state.get("g_optimizer") is None:
            raise ArtkitError(f"{name} holds only a generator, so training cannot resume from "
                              "it; use last.pt from the training folder.")
        trainer = state.get("trainer") or {}
        # With an average, "generator" is the average and the trained one is kept beside it.
        ckpt.load_weights(self.generator, trainer.get("trained_generator", state["generator"]),
                          "generator", name)
        if self.averaged is not None:
            ckpt.load_weights(self.averaged, state["generator"], "generator", name)
            self._average_measured_at = None
        ckpt.load_weights(self.discriminator, state["discriminator"], "discriminator", name)
        try:
            self.gan.g_optimizer.load_state_dict(state["g_optimizer"])
            self.gan.d_optimizer.load_state_dict(state["d_optimizer"])
        except (ValueError, KeyError):
            raise ArtkitError(f"{name} was trained with a different optimiser than the model "
                              "asked for; resume with the same --model.") from None
        self.step_count = int(state["step"])
        self.images_seen = int(state["images_seen"])
        if trainer.get("batch_size", self.config.batch_size) != self.config.batch_size:
            self.notice(f"Resuming with batch size {self.config.batch_size} (the checkpoint "
                        f"used {trainer['batch_size']}); the run will not repeat exactly.")
        self._order = trainer.get("order", torch.empty(0, dtype=torch.long)).clone()
        self._cursor = int(trainer.get("cursor", 0))
        if not isinstance(self.data, gan_data.PatternData) and len(self._order) and \
                len(self._order) != len(self.data):
            self.notice("The data differ from the checkpoint's; starting a fresh data order.")
            self._order, self._cursor = torch.empty(0, dtype=torch.long), 0
        history = trainer.get("history")
        self.history = [] if history is None else history.tolist()
        self.score_history = list(trainer.get("score_history", []))
        self.best_scores = dict(trainer.get("best_scores", {}))
        best_step = trainer.get("best_step", -1)
        self.best_step = None if best_step is None or best_step < 0 else int(best_step)
        self.best_generator_state = trainer.get("best_generator")
        if "rng" in trainer:
            _set_rng_states(trainer["rng"], self.rng)
        if "seed" in trainer:  # the run's own seed picks its grid, score and statistics latents
            self.seed = int(trainer["seed"])
            self.fixed_latents = self._fixed_latents()

    # ------------------------------------------------------------------ events and progress

    def _emit(self, event) -> None:
        while True:
            try:
                self.events.put_nowait(event)
                break
            except queue.Full:
                try:
                    self.events.get_nowait()
                except queue.Empty:
                    pass
        if self.on_event is not None:
            self.on_event(event)

    def _progress(self, event: LossEvent) -> None:
        if not self.config.progress:
            return
        now = time.perf_counter()
        interactive = sys.stderr.isatty()
        if now - self._progress_at < (0.2 if interactive else 15.0):
            return
        self._progress_at = now
        best = ""
        if self.best_scores:
            best = "  best: " + format_scores(self.best_scores)
        line = (f"step {event.step:>7,}  images {kilo(event.images_seen):>6}  "
                f"D real {event.d_real:.3f} fake {event.d_fake:.3f}  G {event.g:.3f}  "
                f"{kilo(event.images_per_s)} img/s{best}")
        if interactive:
            sys.stderr.write("\r" + line[:160].ljust(100))
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def _end_progress(self) -> None:
        if self.config.progress and sys.stderr.isatty():
            sys.stderr.write("\n")
            sys.stderr.flush()


# --------------------------------------------------------------------------- helpers


class _Schedule:
    """Is periodic work due after this step? Every `steps` steps, or when `seconds` have
    passed since it was last due (steps None)."""

    def __init__(self, steps: int | None, seconds: float):
        self.steps = None if steps is None else max(1, int(steps))
        self.seconds = seconds
        self.last = time.perf_counter()

    def __call__(self, step: int) -> bool:
        if self.steps is not None:
            return step % self.steps == 0
        now = time.perf_counter()
        if now - self.last >= self.seconds:
            self.last = now
            return True
        return False


def load_data(kind: str, config, source=None, notice=print):
    """The data a model of this kind trains on: "pattern", "digits" or "faces" (source: a path,
    or None for the default set). Faces are made at the conv config's size and channels."""
    if kind == "pattern":
        if source is not None:
            raise ArtkitError("the 1010 pattern GAN makes its own data; leave out --data or "
                              "use --data pattern.")
        return gan_data.PatternData()
    if kind == "digits":
        return gan_data.digits(source, notice=notice)
    if kind == "faces":
        return gan_data.faces(source, size=config.image_size, colour=config.channels == 3,
                              notice=notice)
    raise ArtkitError(f"the {config.kind} model does not train on data.")


def better(new: dict, old: dict) -> bool:
    """Is score dict `new` better than `old`? Lower Fréchet distance wins; without one, higher
    inception score, then lower KL."""
    for key, lower_is_better in (("fid", True), ("inception_score", False), ("kl", True)):
        if key in new and key in old:
            return new[key] < old[key] if lower_is_better else new[key] > old[key]
    return True


def format_scores(scores: dict) -> str:
    """A short text of the usual digit scores, e.g. "10 classes, KL 0.031, FID 12.5"."""
    parts = []
    if "classes_covered" in scores:
        parts.append(f"{scores['classes_covered']} classes")
    if "kl" in scores:
        parts.append(f"KL {scores['kl']:.3f}")
    if "fid" in scores:
        parts.append(f"FID {scores['fid']:.2f}")
    if "inception_score" in scores:
        parts.append(f"IS {scores['inception_score']:.2f}")
    return ", ".join(parts)


def plot_losses(history, path, title: str = "GAN losses") -> Path:
    """Plot the logged losses against images seen (matplotlib, Agg, imported here)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib import pyplot as plt

    rows = np.asarray(history, dtype=np.float64)
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    try:
        x = rows[:, 1]
        for column, label, colour in ((2, "D on real", "tab:blue"), (3, "D on generated", "tab:orange"),
                                      (4, "G", "tab:green")):
            ax.plot(x, rows[:, column], label=label, color=colour, linewidth=1.0, alpha=0.85)
        ax.set_xlabel("images seen")
        ax.set_ylabel("loss (mean over each log interval)")
        ax.set_title(title)
        ax.grid(alpha=0.3)
        ax.legend(loc="best")
        fig.tight_layout()
        fig.savefig(path)
    finally:
        plt.close(fig)
    return Path(path)


def _plain(value):
    """Scores as plain Python numbers or lists (checkpoints hold no numpy objects)."""
    if isinstance(value, (np.ndarray, torch.Tensor)):
        return np.asarray(value).tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def _rng_states(trainer_rng: torch.Generator) -> dict:
    """Every RNG state as tensors and plain values (checkpoints must hold no objects)."""
    version, mt_state, gauss = random.getstate()
    kind, keys, pos, has_gauss, cached = np.random.get_state()
    states = {
        "trainer": trainer_rng.get_state(),
        "torch": torch.get_rng_state(),
        "python": {"version": version, "state": list(mt_state), "gauss": gauss},
        "numpy": {"kind": kind, "keys": torch.from_numpy(keys.astype(np.int64)), "pos": int(pos),
                  "has_gauss": int(has_gauss), "cached": float(cached)},
    }
    if torch.cuda.is_available():
        states["cuda"] = torch.cuda.get_rng_state_all()
    return states


def _set_rng_states(states: dict, trainer_rng: torch.Generator) -> None:
    trainer_rng.set_state(states["trainer"])
    torch.set_rng_state(states["torch"])
    python = states["python"]
    random.setstate((python["version"], tuple(python["state"]), python["gauss"]))
    numpy_state = states["numpy"]
    np.random.set_state((numpy_state["kind"], numpy_state["keys"].numpy().astype(np.uint32),
                         numpy_state["pos"], numpy_state["has_gauss"], numpy_state["cached"]))
    if "cuda" in states and torch.cuda.is_available() and \
            len(states["cuda"]) == torch.cuda.device_count():
        torch.cuda.set_rng_state_all(states["cuda"])
