"""GAN lab benchmark: training speed by batch size, and the quality reached in a time budget.

    python bench/bench_gan.py --speed                    # images/s at batch 1, 64, 128
    python bench/bench_gan.py --quality --minutes 1,2,5  # scores after 1, 2 and 5 minutes
    python bench/bench_gan.py --quality --models conv-clusters,conv-cond,mlp-cond
    python bench/bench_gan.py                            # both
    python bench/bench_gan.py --faces --images 240000 --seeds 0,1 --picture faces.png
    python bench/bench_gan.py --processes 1,2 --minutes 2      # torchrun: 1 and 2 processes
    python bench/bench_gan.py --device-check --minutes 2       # bench/gpu_check.sh's part

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

Faces: `conv-faces` on the 100 faces scikit-image bundles (24×24 grey), without and with
DiffAugment, the same seeds and number of images each (not minutes: DiffAugment's extra work
makes each step slower, and a busy machine would blur a race against the clock), scored 16
times on 1000 samples with the face judge (`artkit.gan.face_judge`: Fréchet distance in its
features, the share of samples it calls faces, and whether samples are copies of training
faces). --picture writes the best generator's samples of each, over the training faces
nearest to them.

Processes: `artkit gan train --nproc N` (torchrun, gloo) for each N, the same model and wall
time, reporting images/s (all processes together, from losses.csv) and the best score.

Device check (what bench/gpu_check.sh runs): each model for --minutes on the best device, in
bf16 autocast where it is supported and at --batch, printing images/s and the Fréchet distance.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
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
    parser.add_argument("--faces", action="store_true",
                        help="conv-faces on the bundled faces, without and with DiffAugment")
    parser.add_argument("--seeds", default="0,1", help="seeds for --faces (default 0,1)")
    parser.add_argument("--images", type=int, default=240_000,
                        help="images each --faces run trains on (default 240,000)")
    parser.add_argument("--picture", default=None, help="with --faces: write the samples here")
    parser.add_argument("--picture-from", default=None, metavar="OFF.pt,ON.pt",
                        help="with --picture: draw it from these two checkpoints instead")
    parser.add_argument("--processes", default=None, metavar="N,M",
                        help="train through torchrun with each number of processes")
    parser.add_argument("--device-check", action="store_true",
                        help="train each model for --minutes on the best device (bf16 where "
                             "supported), printing images/s and the Frechet distance")
    parser.add_argument("--batch", type=int, default=None,
                        help="batch size for --device-check and --processes (default: the model's)")
    args = parser.parse_args(argv)
    modes = (args.speed, args.quality, args.faces, args.processes, args.device_check)
    if not any(modes):
        args.speed = args.quality = True
    models = [name.strip() for name in args.models.split(",") if name.strip()]
    use_threads(1)
    print(f"torch {torch.__version__}; {os.cpu_count()} CPUs; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.picture_from:
        return faces_picture_from(args.picture_from, args.picture)
    if args.faces:
        return faces(args.images, [int(seed) for seed in args.seeds.split(",")], args.picture)
    if args.processes:
        return processes([int(n) for n in args.processes.split(",")], models,
                         float(args.minutes.split(",")[-1]), args.batch)
    if args.device_check:
        return device_check(models, float(args.minutes.split(",")[-1]), args.batch, args.device)
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


# --------------------------------------------------------------------------- faces


def faces(images: int, seeds, picture=None) -> int:
    """conv-faces on the 100 bundled faces without and with DiffAugment, the same seeds and
    images, scored 16 times on 1000 samples with the face judge."""
    from artkit.gan import face_judge

    data = gan_data.faces(size=24, notice=lambda message: None)
    batch = MODEL_SPECS["conv-faces"].batch_size
    steps = images // batch
    print(f"\nconv-faces on {len(data)} bundled faces (24x24 grey), {steps * batch:,} images "
          f"per run (batch {batch}), scored every {steps // 16:,} steps (face judge: held-out "
          f"accuracy {face_judge.judge_accuracy():.0%})")
    print(f"{'augment':<8} {'seed':>4} {'minutes':>7} {'D loss':>7} | best: {'FID':>6} "
          f"{'at images':>10} {'rough':>6} {'copies':>6} | last: {'FID':>6} {'rough':>6} "
          f"{'copies':>6} {'faces':>6} {'nn ratio':>8}")
    generators, results = {}, {}
    for augment in ("off", "on"):
        for seed in seeds:
            config = TrainConfig(batch_size=batch, threads=1, score_every=max(1, steps // 16),
                                 sample_every=10**12)
            trainer = Trainer(model_config("conv-faces", augment=augment), data, config,
                              seed=seed, score_fn=face_judge.face_scores,
                              notice=lambda message: None)
            result = trainer.run(steps=steps)
            best = next(row for row in trainer.score_history if row["step"] == trainer.best_step)
            last = trainer.score_history[-1]
            results.setdefault(augment, []).append((best, last))
            # D's mean loss over the last tenth: near 0 it tells real from fake perfectly (it
            # has learnt the 100 faces by heart); near 0.69 the two players are in balance.
            tail = trainer.history[-max(1, len(trainer.history) // 10):]
            d_loss = statistics.mean((row[2] + row[3]) / 2 for row in tail)
            print(f"{augment:<8} {seed:>4} {result.seconds / 60:>7.1f} {d_loss:>7.3f} | "
                  f"{best['fid']:>11.3f} {best['images_seen']:>10,} {best['roughness']:>6.2f} "
                  f"{best['copies']:>6.1%} | {last['fid']:>11.3f} {last['roughness']:>6.2f} "
                  f"{last['copies']:>6.1%} {last['face_share']:>6.0%} {last['nn_ratio']:>8.2f}")
            sys.stdout.flush()
            if seed == seeds[0]:
                generators[augment] = trainer.sampler
    for augment, rows in results.items():
        print(f"mean, augment {augment}: best FID "
              f"{statistics.mean(b['fid'] for b, _ in rows):.3f}, last FID "
              f"{statistics.mean(l['fid'] for _, l in rows):.3f}, last roughness "
              f"{statistics.mean(l['roughness'] for _, l in rows):.2f} (real faces 1.00), "
              f"copies {statistics.mean(l['copies'] for _, l in rows):.1%}")
    if picture:
        print(f"wrote {faces_picture(generators, picture)} (the last generators of seed "
              f"{seeds[0]})")
    return 0


def faces_picture(generators: dict, path, columns: int = 8, rows: int = 2, scale: int = 3) -> Path:
    """For each setting ("off", "on": a generator), rows of samples, each over the training
    faces nearest to them, side by side: without augmentation, then with."""
    from PIL import Image, ImageDraw

    from artkit.files import atomic_write
    from artkit.gan import face_judge
    from artkit.gan.sample import sample_images

    real = face_judge.bundled_pictures()[0]
    blocks = []
    for augment, generator in generators.items():
        samples = sample_images(generator, columns * rows, seed=7)
        nearest, _ = face_judge.nearest_training_faces(samples)
        strips = []
        for row in range(rows):
            picked = slice(row * columns, (row + 1) * columns)
            strips += [np.concatenate(list(samples[picked]), axis=1),
                       np.concatenate(list(real[nearest[picked]]), axis=1),
                       np.full((2, samples.shape[2] * columns), 0.16)]
        cells = np.concatenate(strips[:-1], axis=0)
        image = Image.fromarray(np.uint8(np.clip(cells, 0, 1) * 255)).resize(
            (cells.shape[1] * scale, cells.shape[0] * scale), Image.Resampling.NEAREST)
        label = "DiffAugment on" if augment == "on" else "no augmentation"
        framed = Image.new("L", (image.width, image.height + 16), 40)
        framed.paste(image, (0, 16))
        ImageDraw.Draw(framed).text((2, 2), f"{label}: samples, and below each row the "
                                    "nearest training faces", fill=230)
        blocks.append(framed)
    width = sum(block.width for block in blocks) + 8 * (len(blocks) - 1)
    sheet = Image.new("L", (width, blocks[0].height), 40)
    x = 0
    for block in blocks:
        sheet.paste(block, (x, 0))
        x += block.width + 8
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as file:
        sheet.save(file, format="PNG", optimize=True)
    return path


def faces_picture_from(checkpoints: str, path) -> int:
    """--picture-from OFF.pt,ON.pt: the picture from two saved generators (e.g. the last.pt of
    `artkit gan train --model conv-faces --steps 7500 --augment off` and `--augment on`)."""
    from artkit.gan.checkpoint import load_generator

    off, on = checkpoints.split(",")
    print(f"wrote {faces_picture({'off': load_generator(off)[0], 'on': load_generator(on)[0]}, path)}")
    return 0


# --------------------------------------------------------------------------- processes


def processes(counts, models, minutes: float, batch) -> int:
    """`artkit gan train --nproc N` for each N: images/s and the best score at equal time."""
    print(f"\nTraining through torchrun (gloo, one thread each), {minutes:g} min each; images/s "
          "counts every process's images, from losses.csv (after the first log row)")
    print(f"{'model':<10} {'processes':>9} {'batch':>11} {'images':>9} {'images/s':>9} "
          f"{'x 1 proc':>8} {'best FID':>9} {'classes':>7}")
    for name in models:
        base = None
        for count in counts:
            out = Path(tempfile.mkdtemp(prefix=f"artkit-{name}-{count}p-"))
            command = [sys.executable, "-m", "artkit", "gan", "train", "--model", name,
                       "--data", "mnist5k", "--minutes", str(minutes), "--out", str(out),
                       "--nproc", str(count)]
            if batch:
                command += ["--batch-size", str(batch)]
            done = subprocess.run(command, capture_output=True, text=True,
                                  env=dict(os.environ, ARTKIT_OFFLINE="1"))
            if done.returncode:
                print(done.stdout + done.stderr)
                return done.returncode
            rows = list(csv.DictReader(open(out / "losses.csv")))[1:]
            rate = statistics.median(float(row["images_per_s"]) for row in rows)
            base = base or rate
            scores = list(csv.DictReader(open(out / "scores.csv")))
            best = min(scores, key=lambda row: float(row["fid"]))
            per = batch or MODEL_SPECS[name].batch_size
            print(f"{name:<10} {count:>9} {f'{per} x {count}':>11} {int(rows[-1]['images_seen']):>9,} "
                  f"{rate:>9,.0f} {rate / base:>8.2f} {float(best['fid']):>9.2f} "
                  f"{best['classes_covered']:>7}")
            sys.stdout.flush()
    return 0


# --------------------------------------------------------------------------- device check


def device_check(models, minutes: float, batch, device_name) -> int:
    """Each model for `minutes` on the best device here, bf16 autocast where supported."""
    from artkit.gan.device import bf16_supported

    device = pick_device(device_name)
    precision = "bf16" if device.type == "cuda" and bf16_supported(device) else "fp32"
    digits = gan_data.digits("mnist5k").to(device)
    print(f"\nDevice check on {describe(device)}, {precision}, {minutes:g} min per model, "
          "scored every 20 s on 1000 samples")
    print(f"{'model':<10} {'batch':>6} {'steps':>8} {'images':>10} {'images/s':>10} "
          f"{'best FID':>9} {'classes':>7} {'at images':>10}")
    for name in models:
        size = batch or MODEL_SPECS[name].batch_size
        config = TrainConfig(batch_size=size, score_seconds=20, sample_every=10**12, threads=1,
                             precision=precision)
        trainer = Trainer(name, digits, config, device=device, seed=0,
                          notice=lambda message: None)
        result = trainer.run(minutes=minutes)
        rates = [row[5] for row in trainer.history[1:]] or [0.0]
        best = trainer.best_scores
        best_at = next((row["images_seen"] for row in trainer.score_history
                        if row["step"] == trainer.best_step), 0)
        print(f"{name:<10} {size:>6} {result.step:>8,} {result.images_seen:>10,} "
              f"{statistics.median(rates):>10,.0f} {best.get('fid', float('nan')):>9.2f} "
              f"{best.get('classes_covered', 0):>7} {best_at:>10,}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
