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
is clean and quick: the current step finishes, then last.pt is written (and best.pt, which
keeps the best of the scores so far) and a `DoneEvent` is sent.

Across processes (`torchrun`, see `artkit.gan.distributed`), G and D train inside
DistributedDataParallel, each process on its share of the data with its own latents, and only
rank 0 scores, draws grids and writes files. Models with `augment` show D DiffAugmented images
(`artkit.gan.augment`); `TrainConfig.precision` "bf16" runs the networks under autocast.

`run_job` trains a `TrainJob` (`artkit.gan.job`) and prints what `artkit gan train` prints.
Run as a module (`python -m artkit.gan.train ...`, which is how `torchrun --nproc_per_node N
-m artkit.gan.train ...` starts each process, and how `artkit gan train --nproc N` has
torchrun start them, `artkit.gan.launch`) it takes the options of `artkit gan train`.
"""

from __future__ import annotations

import copy
import csv
import math
import os
import queue
import random
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from artkit.errors import ArtkitError
from artkit.files import atomic_write
from artkit.gan import checkpoint as ckpt
from artkit.gan import data as gan_data
from artkit.gan import models
from artkit.gan.augment import augment as diff_augment
from artkit.gan.augment import resolve as resolve_augment
from artkit.gan.clusters import equal_clusters
from artkit.gan.device import autocast, describe, pick_device, use_threads
from artkit.gan.distributed import (Cluster, ShardedOrder, any_rank, mean_over_ranks,
                                    ranks_agree, wrap)
from artkit.gan.job import TrainJob
from artkit.gan.job import prepare as prepare_job
from artkit.gan.options import ERROR_PREFIX, job_from_arguments, worker_parser
from artkit.gan.sample import sample_images, save_grid, to_numpy_images
from artkit.gan.text import kilo

EVENT_QUEUE_SIZE = 1000
RANK_SEED_STRIDE = 1_000_003  # process r draws from seed + r * this (rank 0: the run's seed)
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
    precision: "fp32", or "bf16" to run the networks under autocast (losses and optimiser
    steps stay in float32). plot: draw losses.png at the end (matplotlib). vote_every: across
    processes, steps between votes on stopping (each vote is one small all-reduce).
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
    precision: str = "fp32"
    plot: bool = True
    vote_every: int = 8

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
    last generator counts as the best. cluster: this process's place among several training
    together (`artkit.gan.distributed.Cluster`; None: training alone).
    """

    def __init__(self, model, data=None, config: TrainConfig | None = None, device=None,
                 seed: int = 0, score_fn: Callable | None = None,
                 on_event: Callable | None = None, notice: Callable[[str], None] = print,
                 model_name: str | None = None, cluster: Cluster | None = None):
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
        self.cluster = cluster or Cluster.single()
        device = pick_device(device) if not isinstance(device, torch.device) else device
        self.device = self.cluster.device(device)
        self.cluster.start(self.device)
        self.seed = int(seed)
        self.notice = notice
        self.on_event = on_event
        self._autocast = lambda: autocast(self.device, self.config.precision)
        self._autocast()  # an unknown or unsupported precision is refused now, not mid-run
        # Bounded, dropping the oldest when full, so a run nobody listens to cannot grow
        # without limit.
        self.events: queue.Queue = queue.Queue(maxsize=EVENT_QUEUE_SIZE)

        _seed_everything(self.seed)  # the same on every process: the same starting weights
        self.gan = models.build_gan(self.model_config, self.device)
        self.generator, self.discriminator = self.gan.generator, self.gan.discriminator
        # What the training step calls: the networks themselves, or across processes their
        # DistributedDataParallel wrappers, which average gradients over the processes.
        self._g_train = wrap(self.generator, self.cluster, self.device)
        self._d_train = wrap(self.discriminator, self.cluster, self.device)
        # The weight-averaged generator (models with `ema`), which samples, is scored and saved.
        self.averaged = (copy.deepcopy(self.generator).requires_grad_(False)
                         if getattr(self.model_config, "ema", 0) else None)
        self._average_measured_at: int | None = None
        self.data = self._prepare_data(data)
        # Every process draws its own latents, augmentations and (for the pattern) samples.
        rank_seed = self.seed + RANK_SEED_STRIDE * self.cluster.rank
        if self.cluster.rank:
            _seed_everything(rank_seed)
        # The trainer's own RNG (CPU, so runs repeat on any device) draws data order and latents.
        self.rng = torch.Generator().manual_seed(rank_seed)
        self.fixed_latents = self._fixed_latents()
        # DiffAugment's policy for this data: "auto" means on for small data sets.
        self.augment_policy = () if isinstance(self.data, gan_data.PatternData) else \
            resolve_augment(getattr(self.model_config, "augment", "off"), len(self.data))
        # Across processes each epoch's order is DistributedSampler's, this process's share.
        self._shards = (ShardedOrder(len(self.data), self.cluster, self.seed)
                        if self.cluster.distributed and
                        not isinstance(self.data, gan_data.PatternData) else None)
        self._epoch_index = 0
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
        self.ranks_agree: bool | None = None  # after a run across processes: identical weights?

    # ------------------------------------------------------------------ set-up

    def _prepare_data(self, data):
        kind = models.data_kind(self.model_config)
        if data is None:
            data = gan_data.load_data(kind, self.model_config, notice=self.notice)
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
        kind = models.data_kind(self.model_config)
        if kind == "faces":
            return self._face_score_fn()
        if kind != "digits" or tuple(self.generator.image_shape) != (1, 28, 28):
            return None
        try:
            from artkit.gan import metrics

            metrics.classifier()  # loads (and caches) the weights, so a problem shows up now
        except (ImportError, ArtkitError) as error:
            self.notice(f"Scoring is off, so best.pt will be the last generator: the digit "
                        f"classifier is not available ({error}).")
            return None
        return metrics.digit_scores

    def _face_score_fn(self):
        """Faces are judged against the faces scikit-image bundles (`artkit.gan.face_judge`)."""
        try:
            from artkit.gan import face_judge

            face_judge.real_statistics()  # a missing scikit-image shows up now
        except (ImportError, ArtkitError) as error:
            self.notice(f"Scoring is off, so best.pt will be the last generator: the face "
                        f"judge is not available ({error}).")
            return None
        return face_judge.face_scores

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
        gan, G = self.gan, self.generator
        real, real_labels = self._next_batch(batch)
        ones = torch.ones((batch, 1), device=self.device)
        zeros = torch.zeros((batch, 1), device=self.device)

        def judge(D, images, labels):  # a conditional D also sees which class each image is
            if self.augment_policy:  # DiffAugment: real and generated images alike
                images = diff_augment(images, self.augment_policy, self.rng)
            with self._autocast():
                verdict = D(images) if labels is None else D(images, labels)
            return verdict.float()  # the loss in float32, outside autocast

        def make_fakes():
            z = G.sample_latent(batch, self.rng)
            labels = G.labels_of(z)
            with self._autocast():
                fake = self._g_train(z.to(self.device))
            return fake.float(), None if labels is None else labels.to(self.device)

        gan.d_optimizer.zero_grad(set_to_none=True)
        loss_real = gan.loss_fn(judge(self._d_train, real, real_labels), ones)
        loss_real.backward()
        gan.d_optimizer.step()

        reuse_fakes = getattr(self.model_config, "reuse_fakes", False)
        # Reused, the fakes keep their graph for the generator's step below; otherwise this is
        # the book's .detach(): no generator gradients here.
        with torch.set_grad_enabled(reuse_fakes):
            fake, fake_labels = make_fakes()
        gan.d_optimizer.zero_grad(set_to_none=True)
        loss_fake = gan.loss_fn(judge(self._d_train, fake.detach(), fake_labels), zeros)
        loss_fake.backward()
        gan.d_optimizer.step()

        gan.g_optimizer.zero_grad(set_to_none=True)
        if not reuse_fakes:  # the book: a fresh batch for the generator's step
            fake, fake_labels = make_fakes()
        # D's weights are not trained by this loss, so their gradients are not computed: the
        # same numbers as computing and discarding them, and a conv step 1.04-1.09x faster
        # (two paired timings of alternating bursts). Across processes D is called without
        # its DDP wrapper here: nothing of D's is to be averaged, and only G's gradients are.
        D = self.discriminator
        D.requires_grad_(False)
        try:
            loss_g = gan.loss_fn(judge(D, fake, fake_labels), ones)
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
        self.images_seen += batch * self.cluster.world_size  # every process's batch counts
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
                self._order = self._next_order()
                self._cursor = 0
            take = self._order[self._cursor:self._cursor + needed]
            self._cursor += len(take)
            needed -= len(take)
            parts.append(take)
        indices = torch.cat(parts) if len(parts) > 1 else parts[0]
        indices = indices.to(self.data.images.device)
        labels = self.data.labels[indices] if self.generator.classes else None
        return self.data.images[indices], labels

    def _next_order(self) -> torch.Tensor:
        """The next epoch's order: a permutation from the trainer's RNG, or across processes
        this process's share of DistributedSampler's shuffle for the epoch."""
        if self._shards is None:
            return torch.randperm(len(self.data), generator=self.rng)
        order = self._shards.epoch_order(self._epoch_index)
        self._epoch_index += 1
        return order

    def run(self, steps: int | None = None, minutes: float | None = None,
            epochs: float | None = None) -> RunResult:
        """Train until a limit is reached or `request_stop()`; returns a `RunResult`.

        steps / epochs are totals since the start of training; minutes is this call's budget
        (paused time excluded). Arguments override the TrainConfig. At the end: a last sample
        grid and score (not after a stop request: stopping is quick, and best.pt keeps the
        best of the scores so far), last.pt, best.pt, losses.csv and losses.png (when out_dir
        is set). Across processes every process calls this; they stop together.
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
                if steps is not None and self.step_count >= steps:
                    reason = "steps"
                    break
                if epochs is not None and self.epoch >= epochs:
                    reason = "epochs"
                    break
                time_up = minutes is not None and \
                    time.perf_counter() - started - paused_seconds >= minutes * 60
                stop = self._agreed_stop(time_up)
                if stop:
                    reason = stop
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
        paths = self._finish(final_score=reason != "stopped")
        self._end_progress()
        result = RunResult(reason, self.step_count, self.images_seen,
                           time.perf_counter() - started - paused_seconds,
                           self.best_step, dict(self.best_scores), paths)
        self._emit(DoneEvent(reason))
        return result

    def _agreed_stop(self, time_up: bool) -> str:
        """"stopped" or "minutes" when training should end now, else "". Alone, that is this
        process's own stop request or clock. Across processes rank 0's clock decides the time
        and any process's request counts; they vote every `vote_every` steps, so all of them
        stop after the same step and nobody waits for a partner that has gone."""
        if not self.cluster.distributed:
            return "stopped" if self._stop.is_set() else "minutes" if time_up else ""
        if self.step_count % max(1, self.config.vote_every):
            return ""
        stopped, minutes_up = any_rank([self._stop.is_set(), time_up and self.cluster.is_main],
                                       self.cluster, self.device)
        return "stopped" if stopped else "minutes" if minutes_up else ""

    # ------------------------------------------------------------------ periodic work

    def _log(self) -> None:
        if not self._loss_count:
            return
        # Across processes every process logs after the same steps: the losses are averaged
        # over all of them, and the images counted are all of theirs.
        d_real, d_fake, g = (mean_over_ranks(self._loss_sum, self.cluster)
                             / self._loss_count).tolist()
        seen = self._loss_count * self.config.batch_size * self.cluster.world_size
        speed = seen / self._step_seconds if self._step_seconds > 0 else 0.0
        self._loss_sum.zero_()
        self._loss_count, self._step_seconds = 0, 0.0
        event = LossEvent(self.step_count, self.images_seen, d_real, d_fake, g, speed)
        self.history.append([event.step, event.images_seen, d_real, d_fake, g, speed])
        self._emit(event)
        self._progress(event)

    def _samples(self) -> None:
        if not self.cluster.is_main:
            return
        images = to_numpy_images(self.sampler.generate(self.fixed_latents))
        self._last_samples_step = self.step_count
        self._emit(SamplesEvent(self.step_count, images))
        if self.config.out_dir:
            save_grid(images, self._out(f"samples/step_{self.step_count:06d}.png"),
                      ncols=self.grid_columns)

    def _score(self) -> None:
        if self.score_fn is None or not self.cluster.is_main:
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

    def _finish(self, final_score: bool = True) -> list:
        """End-of-run work: flush the log, a final grid and score (unless `final_score` is
        False: a stop request ends quickly), and every file. Across processes, first check
        that every process holds the same weights; then only rank 0 writes."""
        self._log()
        if self.cluster.distributed:
            self.ranks_agree = ranks_agree(self.cluster, self.device, self.generator,
                                           self.discriminator, *filter(None, [self.averaged]))
        if not self.cluster.is_main:
            return []
        if self._last_samples_step != self.step_count:
            self._samples()
        if final_score and self.score_fn is not None and self.step_count and (
                not self.score_history or self.score_history[-1]["step"] != self.step_count):
            self._score()
        if not self.config.out_dir:
            return []
        paths = [self._save("last.pt")]
        best = self._out("best.pt")
        if self.score_fn is None or not best.exists():
            # Nothing has measured quality (no scores here, or stopped before the first), so
            # the latest generator is the best we know.
            self._save("best.pt")
        paths.append(best)
        paths += self._write_history()
        return paths

    def _finish_quietly(self) -> None:
        """After an error: keep what was learned if the files can still be written."""
        try:
            if self.config.out_dir and self.step_count and self.cluster.is_main:
                self._save("last.pt")
                self._write_history()
        except Exception:
            pass

    def _write_history(self) -> list:
        csv_path = self._out("losses.csv")
        with atomic_write(csv_path, "w") as file:
            writer = csv.writer(file)
            writer.writerow(LOSS_COLUMNS)
            for row in self.history:
                writer.writerow([int(row[0]), int(row[1])] + [f"{v:.6g}" for v in row[2:]])
        paths = [csv_path]
        if self.score_history:
            scores_path = self._out("scores.csv")
            keys = [k for k in self.score_history[-1] if not isinstance(self.score_history[-1][k], list)]
            with atomic_write(scores_path, "w") as file:
                writer = csv.writer(file)
                writer.writerow(keys)
                for row in self.score_history:
                    writer.writerow([row.get(key, "") for key in keys])
            paths.append(scores_path)
        if self.history and self.config.plot:
            paths.append(plot_losses(self.history, self._out("losses.png"),
                                     title=f"{self.model_name} GAN losses"))
        return paths

    def _out(self, name: str) -> Path:
        path = Path(self.config.out_dir) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    # ------------------------------------------------------------------ checkpoints

    def _save(self, name: str) -> Path | None:
        # Across processes only rank 0 writes: the others' snapshot would hold their own
        # share of the data order and their own random state, and a restart resumes from it.
        if not self.config.out_dir or not self.cluster.is_main:
            return None
        return self.save_checkpoint(self._out(name))

    def save_checkpoint(self, path) -> Path:
        """Write everything needed to resume exactly (see `restore`)."""
        trainer_state = {
            "seed": self.seed,
            "batch_size": self.config.batch_size,
            "order": self._order.clone(),
            "cursor": self._cursor,
            # Across processes each has its own share of an epoch: the epoch and the place in
            # it rebuild every share (`order` is rank 0's).
            "world_size": self.cluster.world_size,
            "epoch_index": self._epoch_index,
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
        it had never stopped (with the same batch size, on the CPU).

        Across processes every process reads the same snapshot: the weights, optimisers and
        the place in the data order are restored exactly (with the same number of processes);
        the random draws of ranks above 0, which the snapshot doesn't hold, are seeded afresh
        from the run's seed, the rank and the step, so a resumed run repeats itself but not
        the run that was never interrupted."""
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
        if "seed" in trainer:  # the run's own seed picks its grid, score and statistics latents
            self.seed = int(trainer["seed"])
            self.fixed_latents = self._fixed_latents()
        self._restore_order(trainer)
        history = trainer.get("history")
        self.history = [] if history is None else history.tolist()
        self.score_history = list(trainer.get("score_history", []))
        self.best_scores = dict(trainer.get("best_scores", {}))
        best_step = trainer.get("best_step", -1)
        self.best_step = None if best_step is None or best_step < 0 else int(best_step)
        self.best_generator_state = trainer.get("best_generator")
        if "rng" in trainer:
            _set_rng_states(trainer["rng"], self.rng)
        if self.cluster.rank:
            rank_seed = self.seed + RANK_SEED_STRIDE * self.cluster.rank + self.step_count
            _seed_everything(rank_seed)
            self.rng.manual_seed(rank_seed)

    def _restore_order(self, trainer: dict) -> None:
        """The place in the data order a checkpoint was saved at, when it fits this run."""
        empty = torch.empty(0, dtype=torch.long)
        self._order, self._cursor, self._epoch_index = empty, 0, 0
        if isinstance(self.data, gan_data.PatternData):
            return
        saved_world = int(trainer.get("world_size", 1))
        if self._shards is None:
            order = trainer.get("order", empty)
            if saved_world == 1 and len(order) == len(self.data):
                self._order, self._cursor = order.clone(), int(trainer.get("cursor", 0))
                return
        else:
            self._shards = ShardedOrder(len(self.data), self.cluster, self.seed)
            epoch_index = int(trainer.get("epoch_index", 0))
            if saved_world == self.cluster.world_size and epoch_index > 0:
                self._epoch_index = epoch_index - 1  # the epoch the snapshot was inside
                self._order = self._next_order()
                self._cursor = int(trainer.get("cursor", 0))
                return
        if self.step_count:
            # Another data set, or another number of processes: a fresh order, from the epoch
            # the images seen so far have reached.
            self._epoch_index = int(self.epoch)
            self.notice("The checkpoint's data order does not fit this run (other data or "
                        "another number of processes); starting a fresh one.")

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
        if not self.config.progress or not self.cluster.is_main:
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


def better(new: dict, old: dict) -> bool:
    """Is score dict `new` better than `old`? Lower Fréchet distance wins; without one, higher
    inception score, then lower KL."""
    for key, lower_is_better in (("fid", True), ("inception_score", False), ("kl", True)):
        if key in new and key in old:
            return new[key] < old[key] if lower_is_better else new[key] > old[key]
    return True


def format_scores(scores: dict) -> str:
    """A short text of the usual scores, e.g. "10 classes, KL 0.031, FID 12.5", or for faces
    "FID 12.5, 96% faces, 0% copies"."""
    parts = []
    if "classes_covered" in scores:
        parts.append(f"{scores['classes_covered']} classes")
    if "kl" in scores:
        parts.append(f"KL {scores['kl']:.3f}")
    if "fid" in scores:
        parts.append(f"FID {scores['fid']:.2f}")
    if "inception_score" in scores:
        parts.append(f"IS {scores['inception_score']:.2f}")
    if "face_share" in scores:
        parts.append(f"{scores['face_share']:.0%} faces")
    if "copies" in scores:
        parts.append(f"{scores['copies']:.0%} copies")
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
        with atomic_write(path) as file:
            fig.savefig(file, format="png")
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


# --------------------------------------------------------------------------- running a job


def main(argv=None) -> int:
    """`python -m artkit.gan.train [options]`: one training process (see the module note).
    Like the command line, it ends a mistake in one sentence (exit 2) and a bug in one
    sentence naming errors.log, where the details go (exit 1): never a traceback."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = worker_parser().parse_args(argv)
    try:
        return run_job(job_from_arguments(args), Cluster.from_environment())
    except ArtkitError as error:
        print(f"{ERROR_PREFIX}{error}", file=sys.stderr, flush=True)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 (the last resort, as in artkit.cli)
        from artkit.errorlog import log_unexpected

        path = log_unexpected(error, ["python", "-m", "artkit.gan.train", *argv])
        where = f"; the details are in '{path}'" if path else ""
        print(f"{ERROR_PREFIX}something went wrong inside artkit ({type(error).__name__}), "
              f"which is a bug in artkit, not your mistake{where}.", file=sys.stderr, flush=True)
        return 1


def run_job(job: TrainJob, cluster=None, notice=print) -> int:
    """Train the job here (one process of `cluster`, or alone) and print what happened."""
    cluster = cluster or Cluster.single()
    say = notice if cluster.is_main else _silent
    use_threads(job.threads)
    job.check()
    if cluster.restarted and not job.resume:
        snapshot = Path(job.out or f"gan-{job.model or job.default_model}") / "last.pt"
        if snapshot.is_file():
            job.resume = str(snapshot)
            say(f"torchrun restarted the processes: resuming from {snapshot}")
    prepared = prepare_job(job, notice=say)
    if prepared.config.kind == "part1":
        return _train_part1(prepared, job, say)
    device = pick_device(job.device)
    out = Path(job.out or f"gan-{prepared.name}")
    train_config = TrainConfig(
        batch_size=prepared.batch_size, sample_every=job.sample_every,
        score_every=job.score_every, out_dir=str(out), progress=True, threads=job.threads,
        precision=job.precision)
    trainer = Trainer(prepared.config, prepared.data, train_config, device=device,
                      seed=job.seed, model_name=prepared.name, notice=say, cluster=cluster)
    if prepared.resumed is not None:
        trainer.restore(job.resume)
        say(f"resuming {prepared.name} at step {trainer.step_count:,}")
    processes = f", {cluster.world_size} processes" if cluster.distributed else ""
    say(f"training {prepared.name} on {_data_name(trainer.data)} ({describe(trainer.device)}"
        f"{processes}, batch {prepared.batch_size}{' each' if processes else ''}) → {out}")
    if trainer.augment_policy:
        say(f"DiffAugment before the discriminator: {', '.join(trainer.augment_policy)}")
    result = trainer.run(**prepared.limits)
    if cluster.distributed:
        cluster.stop()
        if not trainer.ranks_agree:
            raise ArtkitError("the training processes ended with different weights, which "
                              "DistributedDataParallel should never allow; please report it.")
    epochs = f", {trainer.epoch:.1f} epochs" if trainer.epoch else ""
    say(f"stopped after {result.step:,} steps ({result.images_seen:,} images{epochs}) in "
        f"{result.seconds:.0f} s: {_why(result.reason)}")
    if cluster.distributed:
        say(f"all {cluster.world_size} processes hold identical weights")
    if result.best_scores:
        say(f"best at step {result.best_step:,}: {format_scores(result.best_scores)}")
    elif trainer.score_fn is None:
        say("no scores for this data, so best.pt is the last generator")
    if prepared.config.kind == "pattern" and cluster.is_main:
        values = trainer.sampler.generate(trainer.fixed_latents[:1]).flatten().tolist()
        say("generator output: " + " ".join(f"{v:.3f}" for v in values) + " (aim: 1 0 1 0)")
    grids = sorted((out / "samples").glob("step_*.png"))
    say("wrote " + ", ".join(str(p) for p in result.paths) +
        (f", and {len(grids)} sample grids in {out / 'samples'}" if grids else ""))
    return 0


def _silent(*_args, **_kwargs) -> None:
    """What processes other than rank 0 print: nothing (rank 0 speaks for them)."""


def _train_part1(prepared, job: TrainJob, say) -> int:
    from artkit.gan import part1

    if job.data not in (None, "none"):
        raise ArtkitError("part1 needs no data: its real sample is the number 1.0; leave out --data.")
    config, steps = prepared.config, prepared.limits["steps"]
    out = Path(job.out or "gan-part1")
    out.mkdir(parents=True, exist_ok=True)
    history = part1.train_part1(steps, config.lr, job.seed)
    plot = out / "part1.png"
    part1.plot_part1(history, plot)
    say(f"trained part1 for {steps} steps (lr {config.lr}): generator output "
        f"{history['g'][-1]:.3f}, D(real) {history['d_real'][-1]:.3f}, "
        f"D(fake) {history['d_fake'][-1]:.3f}")
    say(f"wrote {plot}")
    return 0


def _data_name(data) -> str:
    count = f"{len(data):,} " if hasattr(data, "images") else ""
    return f"{data.name}" + (f" ({count.strip()} images)" if count else "")


def _why(reason: str) -> str:
    return {"steps": "reached the steps asked for", "epochs": "reached the epochs asked for",
            "minutes": "time is up", "stopped": "stopped on request"}.get(reason, reason)


if __name__ == "__main__":
    # `python -m artkit.gan.train ...`: how torchrun starts each process (artkit.gan.launch).
    code = main()
    # Every file is written and closed by now, and the process group left. The process ends
    # without the C++ teardown after it: there torch sometimes aborts a process that has
    # finished ("terminate called without an active exception", SIGABRT; about 1 run in 40
    # on a busy 2-core machine), and torchrun then reports the whole run as failed.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
