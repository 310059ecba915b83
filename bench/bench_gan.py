"""GAN lab benchmark: training speed by batch size, and the quality reached in a time budget.

    python bench/bench_gan.py --speed                    # images/s at batch 1, 64, 128
    python bench/bench_gan.py --quality --minutes 1,2,5  # scores after 1, 2 and 5 minutes
    python bench/bench_gan.py --quality --models conv-clusters,conv-cond,mlp-cond
    python bench/bench_gan.py                            # both

Speed: training images per second (one full GAN step: D on real, D on generated, G) for the
MLP and conv digit GANs at each batch size, with the ratio to batch 1 measured in the same run,
on the CPU (one torch thread, as artkit trains) and on the best accelerator when there is one.
The mlp judges pairs of images, so `mlp-single` (the book's single images) gives its batch-1
figure. Then conv's loop against the book's: alternating bursts of each, timed in the same run.

Quality: each model trains on the 5000 bundled real MNIST digits (at the batch size
`artkit gan train` uses for it) and is scored every 10 seconds of training with artkit's MNIST
classifier; at each time mark the best generator so far (lowest Fréchet distance) is reported:
classes covered, KL to uniform, Fréchet distance, inception score. Scoring time counts inside
the budget, as it does in `artkit gan train`; so does the setup before training (building the
trainer, and for conv-clusters grouping the digits into clusters), printed with each model. Timings
depend on what else the machine is doing: note the load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import torch

from artkit.errors import ArtkitError
from artkit.gan import data as gan_data
from artkit.gan.device import describe, pick_device, use_threads
from artkit.gan.models import MODELS as MODEL_SPECS, model_config
from artkit.gan.train import TrainConfig, Trainer

MODELS = ("mlp", "conv")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--speed", action="store_true", help="measure images/s by batch size")
    parser.add_argument("--quality", action="store_true", help="train and score within time budgets")
    parser.add_argument("--models", default=",".join(MODELS), help="models to run (default mlp,conv)")
    parser.add_argument("--batches", default="1,64,128", help="batch sizes for --speed")
    parser.add_argument("--seconds", type=float, default=4.0, help="timing per speed point (default 4)")
    parser.add_argument("--minutes", default="1,2,5", help="time marks for --quality (default 1,2,5)")
    parser.add_argument("--seed", type=int, default=0, help="seed for --quality (default 0)")
    parser.add_argument("--device", default=None,
                        help="quality runs on this device (default: the best available); speed "
                             "always measures the CPU too")
    args = parser.parse_args(argv)
    if not args.speed and not args.quality:
        args.speed = args.quality = True
    models = [name.strip() for name in args.models.split(",") if name.strip()]
    use_threads(1)
    print(f"torch {torch.__version__}; {os.cpu_count()} CPUs; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    digits = gan_data.digits("mnist5k")
    if args.speed:
        batches = [int(b) for b in args.batches.split(",")]
        devices = [torch.device("cpu")]
        best = pick_device(None)
        if best.type != "cpu":
            devices.append(best)
        for device in devices:
            speed(models, batches, digits, device, args.seconds)
    if args.quality:
        marks = sorted(float(m) for m in args.minutes.split(","))
        for name in models:
            quality(name, digits, marks, pick_device(args.device), args.seed)
    return 0


def speed(models, batches, digits, device, seconds: float) -> None:
    print(f"\nTraining speed on {describe(device)} (images/s, one D-real, D-fake and G step per "
          "batch; ratio to the smallest batch that ran, in this run)")
    print(f"{'model':<10} " + " ".join(f"{'batch ' + str(b):>16}" for b in batches))
    rows = [(name, name) for name in models]
    if "mlp" in models:  # the mlp judges pairs, so it cannot train on one image: the book's way
        rows.append(("mlp-single", model_config("mlp", pack=1)))
    for label, model in rows:
        cells, baseline = [], None
        for batch in batches:
            try:
                rate = images_per_second(model, digits, batch, device, seconds)
            except (ValueError, ArtkitError):  # BatchNorm or pairs need more than one image
                cells.append("n/a")
                continue
            baseline = baseline or rate
            cells.append(f"{rate:>8,.0f} ({rate / baseline:>4.1f}x)")
        print(f"{label:<10} " + " ".join(f"{cell:>16}" for cell in cells))
        sys.stdout.flush()
    if "conv" in models:
        reuse_fakes_speedup(digits, device)


def reuse_fakes_speedup(digits, device, batch: int = 32, rounds: int = 24, steps: int = 40):
    """conv's G step reuses the fakes D has just judged; the book draws a fresh batch. Both
    train in alternating bursts, so a machine whose speed drifts slows both alike."""
    reuse, fresh = (timing_trainer(model, digits, batch, device)
                    for model in ("conv", model_config("conv", reuse_fakes=False)))

    def burst(trainer) -> float:
        started = time.perf_counter()
        for _ in range(steps):
            trainer.step()
        return time.perf_counter() - started

    burst(reuse), burst(fresh)  # warm up
    ratios = []
    for round_ in range(rounds):
        order = (reuse, fresh) if round_ % 2 == 0 else (fresh, reuse)  # alternate who goes first
        seconds = {id(trainer): burst(trainer) for trainer in order}
        ratios.append(seconds[id(fresh)] / seconds[id(reuse)])
    low, median, high = statistics.quantiles(ratios, n=4)
    print(f"conv reusing the fakes D judged, against the book's fresh batch for G (batch {batch}, "
          f"{rounds} alternating rounds of {steps} steps): {median:.2f}x the images/s "
          f"(quartiles {low:.2f}-{high:.2f})")


def timing_trainer(model, digits, batch: int, device) -> Trainer:
    """A seeded, unscored, one-thread trainer whose steps the speed figures time."""
    return Trainer(model, digits, TrainConfig(batch_size=batch, threads=1), device=device,
                   seed=0, score_fn=False, notice=lambda message: None)


def images_per_second(model, digits, batch, device, seconds: float) -> float:
    """Steady training speed: warm up, then time whole steps for about `seconds`."""
    trainer = timing_trainer(model, digits, batch, device)
    warm_until = time.perf_counter() + min(1.0, seconds / 4)
    while time.perf_counter() < warm_until:
        trainer.step()  # step() returns losses as floats, which waits for the GPU too
    steps, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        trainer.step()
        steps += 1
    return steps * batch / (time.perf_counter() - started)


def quality(name, digits, marks, device, seed: int) -> None:
    """Train one model (at its registered batch size) up to the last mark, reporting the best
    generator at each mark."""
    batch = MODEL_SPECS[name].batch_size
    config = TrainConfig(batch_size=batch, score_seconds=10, sample_every=10**12, threads=1)
    started = time.perf_counter()
    trainer = Trainer(name, digits, config, device=device, seed=seed, notice=lambda message: None)
    setup = time.perf_counter() - started
    print(f"\nQuality of {name} on the 5k bundled digits, {describe(device)}, batch {batch}, "
          f"seed {seed}, scored every 10 s on 1000 samples (best so far at each mark); "
          f"{setup:.1f} s of setup counted in the first mark")
    print(f"{'minutes':>7} {'images':>10} {'best at':>9} {'classes':>7} {'KL':>6} {'Frechet':>8} "
          f"{'IS':>5} {'scores':>6}   latest: classes Frechet")
    done = setup / 60
    for mark in marks:
        trainer.run(minutes=mark - done)
        done = mark
        best, latest = trainer.best_scores, trainer.score_history[-1]
        best_at = next((row["images_seen"] for row in trainer.score_history
                        if row["step"] == trainer.best_step), 0)
        print(f"{mark:>7g} {trainer.images_seen:>10,} {best_at:>9,} {best['classes_covered']:>7d} "
              f"{best['kl']:>6.3f} {best['fid']:>8.2f} {best['inception_score']:>5.2f} "
              f"{len(trainer.score_history):>6d}   {latest['classes_covered']:>15d} {latest['fid']:>7.2f}")
        sys.stdout.flush()


if __name__ == "__main__":
    raise SystemExit(main())
