"""`artkit gan ...`: the GAN lab on the command line.

This module adds the `gan` command and its `train`, `sample` and `models` subcommands, then
lets the metrics (`score`, `ablate`) and theory (`xy`, `shapes`) modules add theirs. torch is
imported inside the command functions only, so `artkit --help` stays fast and torch-free.
"""

from __future__ import annotations

from pathlib import Path

from artkit.commands import gan_metrics, gan_theory
from artkit.errors import ArtkitError

DATA_WORDS = ("digits", "faces", "pattern", "mnist5k")


def register(subparsers) -> None:
    gan = subparsers.add_parser(
        "gan", help="train and sample GANs (the GAN lab)",
        description="The GAN lab: train the book's GANs, sample them, score them, and explore "
                    "the theory. Run `artkit gan models` to see the models.")
    gan_subparsers = gan.add_subparsers(dest="gan_command", metavar="GAN_COMMAND")
    gan.set_defaults(func=lambda args: gan.print_help())

    train = gan_subparsers.add_parser(
        "train", help="train a GAN and write checkpoints, sample grids and loss plots",
        description="Train a GAN. Writes OUT/best.pt (best-scoring generator), OUT/last.pt "
                    "(to resume), OUT/samples/step_*.png (fixed-noise grids), OUT/losses.csv "
                    "and OUT/losses.png.")
    train.add_argument("--model", default=None,
                       help="model name from `artkit gan models` (default mlp, or the resumed "
                            "checkpoint's)")
    train.add_argument("--data", default=None, metavar="digits|faces|pattern|PATH",
                       help="training data: digits (full MNIST if cached or downloadable, else "
                            "the bundled 5,000), mnist5k, faces, pattern, or a file/folder "
                            "(default: the model's usual data)")
    length = train.add_mutually_exclusive_group()
    length.add_argument("--epochs", type=float, help="total passes over the data")
    length.add_argument("--minutes", type=float,
                        help="minutes of training (default 5; the pattern model: 10,000 steps)")
    length.add_argument("--steps", type=int, help="total training steps (batches)")
    train.add_argument("--batch-size", type=int, default=None,
                       help="images per step (default: the model's, see `artkit gan models`; 1 "
                            "is the book's per-image training)")
    train.add_argument("--lr", type=float, default=None,
                       help="learning rate (default: the model's; for mlp and conv models "
                            "the generator's, and the discriminator's keeps its ratio to it)")
    train.add_argument("--size", type=int, default=None,
                       help="image size for conv models: 28, 32 or 64")
    train.add_argument("--colour", action="store_true", help="colour faces (conv models)")
    train.add_argument("--seed", type=int, default=0,
                       help="random seed (default 0; a resumed run keeps its own)")
    train.add_argument("--device", default=None, help="cpu, cuda or mps (default: the best here)")
    train.add_argument("--threads", type=int, default=1, help="CPU threads for torch (default 1)")
    train.add_argument("--sample-every", type=int, default=None, metavar="STEPS",
                       help="steps between sample grids (default: every 15 s)")
    train.add_argument("--score-every", type=int, default=None, metavar="STEPS",
                       help="steps between scores and last.pt (default: every 20 s)")
    train.add_argument("--resume", default=None, metavar="CKPT",
                       help="continue from a last.pt; --steps/--epochs count from the start")
    train.add_argument("--out", default=None, metavar="DIR",
                       help="folder for the results (default gan-MODEL)")
    train.set_defaults(func=run_train)

    sample = gan_subparsers.add_parser(
        "sample", help="draw images from a trained generator into a PNG grid",
        description="Draw N images from a checkpoint's generator and save them as a PNG grid "
                    "(and optionally as a .npy array of floats 0..1, N×H×W or N×H×W×3).")
    sample.add_argument("checkpoint", help="a .pt file written by `artkit gan train`")
    sample.add_argument("--n", type=int, default=64, help="how many images (default 64)")
    sample.add_argument("--seed", type=int, default=0, help="seed for the latents (default 0)")
    sample.add_argument("--digit", type=int, default=None,
                        help="for a conditional model (mlp-cond, conv-cond): draw only this "
                             "digit (default: each column one digit, 0 to 9)")
    sample.add_argument("--ncols", type=int, default=None,
                        help="grid columns (default: square, or one per digit)")
    sample.add_argument("--smooth", action="store_true", help="enlarge smoothly, not as pixels")
    sample.add_argument("--device", default=None, help="cpu, cuda or mps (default: the best here)")
    sample.add_argument("--out", default="samples.png", metavar="GRID.png",
                        help="PNG grid to write (default samples.png)")
    sample.add_argument("--npy", default=None, metavar="FILE.npy", help="also save the images here")
    sample.set_defaults(func=run_sample)

    listing = gan_subparsers.add_parser("models", help="list the GAN models, one line each")
    listing.set_defaults(func=run_models)

    gan_metrics.register(gan_subparsers)
    gan_theory.register(gan_subparsers)


# --------------------------------------------------------------------------- models


def run_models(args) -> int:
    from artkit.gan.models import MODELS

    width = max(len(name) for name in MODELS)
    for name, spec in MODELS.items():
        batch = "" if name == "part1" else f" [batch {spec.batch_size}]"
        print(f"{name:<{width}}  {spec.summary}{batch}")
    return 0


# --------------------------------------------------------------------------- train


def run_train(args) -> int:
    from artkit.gan import checkpoint, models

    resumed = checkpoint.load_checkpoint(args.resume) if args.resume else None
    name = args.model or (resumed["model_name"] if resumed else "mlp")
    if resumed and not args.model:
        config = models.config_from_dict(resumed["config"])
    else:
        config = models.model_config(name)
    config = _apply_overrides(config, args)
    if config.kind == "part1":
        return _train_part1(config, args)
    for label, value in (("--batch-size", args.batch_size), ("--threads", args.threads)):
        if value is not None and value < 1:
            raise ArtkitError(f"{label} must be 1 or more, not {value}.")
    return _train_gan(name, config, args, resumed)


def _apply_overrides(config, args):
    import dataclasses

    changes = {}
    if args.lr is not None:
        if not args.lr > 0:
            raise ArtkitError(f"--lr must be more than 0, not {args.lr}.")
        changes["lr"] = args.lr
        if getattr(config, "d_lr", None) is not None:  # keep the discriminator's ratio
            changes["d_lr"] = config.d_lr * args.lr / config.lr
    if args.size is not None or args.colour:
        if config.kind != "conv":
            raise ArtkitError("--size and --colour are for the conv models; try --model conv-faces.")
        if args.size is not None:
            changes["image_size"] = args.size
        if args.colour:
            changes["channels"] = 3
    word = (args.data or "").lower()
    if config.kind == "conv" and word in ("digits", "mnist5k", "faces"):
        changes["data"] = "faces" if word == "faces" else "digits"
    config = dataclasses.replace(config, **changes) if changes else config
    if config.kind == "conv":
        from artkit.gan.models import conv_plan

        conv_plan(config)  # a clear sentence now if the size cannot be made
        if config.data == "digits" and (config.image_size, config.channels) != (28, 1):
            raise ArtkitError(f"digits are 28×28 grey but this model makes {config.image_size}"
                              f"×{config.image_size} {'colour' if config.channels == 3 else 'grey'}"
                              " images; use --model conv for digits, or --data faces.")
    return config


def _train_part1(config, args) -> int:
    from artkit.gan import part1

    if args.data not in (None, "none"):
        raise ArtkitError("part1 needs no data: its real sample is the number 1.0; leave out --data.")
    steps = args.steps or config.steps
    if steps < 1:
        raise ArtkitError(f"--steps must be 1 or more, not {steps}.")
    out = Path(args.out or "gan-part1")
    out.mkdir(parents=True, exist_ok=True)
    history = part1.train_part1(steps, config.lr, args.seed)
    plot = out / "part1.png"
    part1.plot_part1(history, plot)
    print(f"trained part1 for {steps} steps (lr {config.lr}): generator output "
          f"{history['g'][-1]:.3f}, D(real) {history['d_real'][-1]:.3f}, "
          f"D(fake) {history['d_fake'][-1]:.3f}")
    print(f"wrote {plot}")
    return 0


def _train_gan(name, config, args, resumed) -> int:
    from artkit.gan import train
    from artkit.gan.device import describe, pick_device, use_threads

    use_threads(args.threads)
    device = pick_device(args.device)
    data = _load_data(config, args.data)
    batch_size = args.batch_size or _default_batch_size(name, resumed)
    limits = {"steps": args.steps, "epochs": args.epochs, "minutes": args.minutes}
    if all(value is None for value in limits.values()):
        # The book trains the pattern GAN for 10,000 steps; image GANs get five minutes.
        limits["steps" if config.kind == "pattern" else "minutes"] = (
            10_000 if config.kind == "pattern" else 5.0)
    out = Path(args.out or f"gan-{name}")
    train_config = train.TrainConfig(
        batch_size=batch_size, sample_every=args.sample_every, score_every=args.score_every,
        out_dir=str(out), progress=True, threads=args.threads)
    trainer = train.Trainer(config, data, train_config, device=device, seed=args.seed,
                            model_name=name)
    if resumed is not None:
        trainer.restore(args.resume)
        print(f"resuming {name} at step {trainer.step_count:,}")
    print(f"training {name} on {_data_name(trainer.data)} ({describe(device)}, batch "
          f"{batch_size}) → {out}")
    result = trainer.run(**limits)
    epochs = f", {trainer.epoch:.1f} epochs" if trainer.epoch else ""
    print(f"stopped after {result.step:,} steps ({result.images_seen:,} images{epochs}) in "
          f"{result.seconds:.0f} s: {_why(result.reason)}")
    if result.best_scores:
        print(f"best at step {result.best_step:,}: {train.format_scores(result.best_scores)}")
    elif trainer.score_fn is None:
        print("no scores for this data, so best.pt is the last generator")
    if config.kind == "pattern":
        values = trainer.sampler.generate(trainer.fixed_latents[:1]).flatten().tolist()
        print("generator output: " + " ".join(f"{v:.3f}" for v in values) + " (aim: 1 0 1 0)")
    grids = sorted((out / "samples").glob("step_*.png"))
    print("wrote " + ", ".join(str(p) for p in result.paths) +
          (f", and {len(grids)} sample grids in {out / 'samples'}" if grids else ""))
    return 0


def _default_batch_size(name, resumed) -> int:
    """The resumed run's batch size (so it repeats exactly), else the model's measured best."""
    from artkit.gan.models import MODELS

    if resumed and resumed.get("trainer", {}).get("batch_size"):
        return int(resumed["trainer"]["batch_size"])
    return MODELS[name].batch_size if name in MODELS else 64


def _load_data(config, word):
    from artkit.gan import models, train

    kind = models.data_kind(config)
    if word is None:
        return train.load_data(kind, config)
    lowered = word.lower()
    if lowered == "pattern":
        if kind != "pattern":
            raise ArtkitError("--data pattern is for --model pattern.")
        return train.load_data("pattern", config)
    if kind == "pattern":
        raise ArtkitError("the pattern model makes its own data; leave out --data.")
    if lowered in ("digits", "faces"):
        if lowered == "faces" and config.kind == "mlp":
            raise ArtkitError("the MLP models make 28×28 digits; for faces use --model "
                              "conv-faces.")
        return train.load_data(lowered, config)
    if lowered == "mnist5k":
        from artkit.gan.data import digits

        return digits("mnist5k")
    return train.load_data(kind, config, source=word)


def _data_name(data) -> str:
    count = f"{len(data):,} " if hasattr(data, "images") else ""
    return f"{data.name}" + (f" ({count.strip()} images)" if count else "")


def _why(reason: str) -> str:
    return {"steps": "reached the steps asked for", "epochs": "reached the epochs asked for",
            "minutes": "time is up", "stopped": "stopped on request"}.get(reason, reason)


# --------------------------------------------------------------------------- sample


def run_sample(args) -> int:
    import numpy as np

    from artkit.gan.checkpoint import load_generator
    from artkit.gan.device import pick_device, use_threads
    from artkit.gan.sample import sample_images, save_grid

    if args.n < 1:
        raise ArtkitError(f"--n must be 1 or more, not {args.n}.")
    use_threads(1)
    generator, info = load_generator(args.checkpoint, device=pick_device(args.device))
    ncols = args.ncols
    if ncols is None and generator.classes and args.digit is None:
        ncols = generator.classes  # it draws each digit in turn: one column per digit
    images = sample_images(generator, args.n, seed=args.seed, labels=args.digit)
    grid = save_grid(images, args.out, ncols=ncols, smooth=args.smooth)
    print(f"drew {args.n} images from {info['model_name']} (step {info['step']:,}) → {grid}")
    if args.npy:
        np.save(args.npy, images)
        print(f"wrote {args.npy} ({' × '.join(str(n) for n in images.shape)}, floats 0..1)")
    return 0
