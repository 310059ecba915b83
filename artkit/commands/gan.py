"""`artkit gan ...`: the GAN lab on the command line.

This module adds the `gan` command and its `train`, `sample` and `models` subcommands, then
lets the metrics (`score`, `ablate`) and theory (`xy`, `shapes`) modules add theirs. torch is
imported inside the command functions only, so `artkit --help` stays fast and torch-free.
`train`'s options are the GAN lab's own table (`artkit.gan.options`), which the worker that
torchrun starts (`python -m artkit.gan.train`) reads too; what they mean (which config, which
data, which batch size) is decided in `artkit.gan.job`, as for the painter's GAN panel.
"""

from __future__ import annotations

import math
from pathlib import Path

from artkit.commands import gan_metrics, gan_theory
from artkit.commands.values import seed, whole
from artkit.errors import ArtkitError
from artkit.params import SEED_HELP
from artkit.gan.options import add_train_arguments, job_from_arguments, launch_from_arguments


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
    add_train_arguments(train)
    _seed_as_everywhere(train)
    train.set_defaults(func=run_train)

    sample = gan_subparsers.add_parser(
        "sample", help="draw images from a trained generator into a PNG grid",
        description="Draw N images from a checkpoint's generator and save them as a PNG grid "
                    "(and optionally as a .npy array of floats 0..1, N×H×W or N×H×W×3).")
    sample.add_argument("checkpoint", help="a .pt file written by `artkit gan train`")
    sample.add_argument("--n", type=whole(1, 10_000), default=64,
                        help="how many images (default 64)")
    sample.add_argument("--seed", type=seed, default=0,
                        help=f"seed for the latents (default 0; {SEED_HELP})")
    sample.add_argument("--digit", type=whole(0, 1000), default=None,
                        help="for a conditional model (mlp-cond, conv-cond): draw only this "
                             "digit (default: each column one digit, 0 to 9)")
    sample.add_argument("--ncols", type=whole(1, 10_000), default=None,
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
    """One process trains here; with --nproc or torchrun's rendezvous options, torchrun starts
    the processes (each runs `python -m artkit.gan.train` with the same options)."""
    _check_train_arguments(args)
    job = job_from_arguments(args)
    processes = launch_from_arguments(args)
    if processes.distributed:
        from artkit.gan.launch import launch

        return launch(job, processes)
    from artkit.gan.train import run_job

    try:
        return run_job(job)
    except RuntimeError as error:   # torch's allocators: the batch (or model) is too big here
        if "alloc" in str(error) or "out of memory" in str(error).lower():
            batch = job.batch_size or "the model's default"
            raise ArtkitError(f"Training ran out of memory with batch size {batch}; try a "
                              f"smaller --batch-size, such as 64.") from None
        raise
    except OSError as error:   # a full disk or a vanished folder mid-run
        raise ArtkitError(f"Training stopped because a file in '{job.out or 'the run folder'}' "
                          f"could not be written ({error.strerror or error}); the checkpoints "
                          f"saved before are kept.") from None


def _seed_as_everywhere(parser) -> None:
    """`gan train --seed` (its table is `artkit.gan.options`') takes and documents seeds the way
    every other command does: any whole number, wrapping around at 2**32."""
    for action in parser._actions:
        if action.dest == "seed":
            action.type = seed
            action.help = f"{action.help} ({SEED_HELP})"


# Upper limits: far beyond any real run, low enough that a typo can't ask for the impossible.
_TRAIN_LIMITS = {"epochs": 100_000.0, "minutes": 100_000.0, "lr": 10.0, "steps": 10 ** 9,
                 "batch_size": 65_536, "size": 1024, "threads": 1024, "sample_every": 10 ** 9,
                 "score_every": 10 ** 9, "nproc": 1024}


def _check_train_arguments(args) -> None:
    """`gan train`'s numbers, seed, files and folder, checked before anything loads: finite,
    in range, the seed reduced as everywhere, a --resume or --data file that is an ordinary
    file, and an --out folder that can be written."""
    from artkit.files import check_regular_file, check_writable_folder
    from artkit.params import reduce_seed

    for name, high in _TRAIN_LIMITS.items():
        value = getattr(args, name, None)
        if value is None:
            continue
        flag = "--" + name.replace("_", "-")
        low = "more than 0" if isinstance(value, float) else "1 or more"
        if isinstance(value, float) and not math.isfinite(value):
            raise ArtkitError(f"{flag} must be a number {low}, not {value}.")
        if not (value > 0 and value <= high):
            most = f"{high:,}" if isinstance(high, int) else f"{high:,g}"
            raise ArtkitError(f"{flag} must be {low} and at most {most}, not {value}.")
    if getattr(args, "seed", None) is not None:
        args.seed = reduce_seed(args.seed)
    if args.resume:
        check_regular_file(args.resume, "checkpoint")
    if args.data and Path(args.data).exists() and not Path(args.data).is_dir():
        check_regular_file(args.data, "data file")
    check_writable_folder(args.out if args.out else ".", "--out")


# --------------------------------------------------------------------------- sample


def run_sample(args) -> int:
    import numpy as np

    from artkit.gan.checkpoint import load_generator
    from artkit.gan.device import pick_device, use_threads
    from artkit.gan.sample import sample_images, save_grid

    if args.n < 1:
        raise ArtkitError(f"--n must be 1 or more, not {args.n}.")
    # Both files are checked before the checkpoint is even read.
    _check_output(args.out, _grid_suffixes(), "--out")
    if args.npy:
        _check_output(args.npy, (".npy",), "--npy")
    use_threads(1)
    generator, info = load_generator(args.checkpoint, device=pick_device(args.device))
    ncols = args.ncols
    if ncols is None and generator.classes and args.digit is None:
        ncols = generator.classes  # it draws each digit in turn: one column per digit
    ncols = min(ncols, args.n) if ncols else ncols   # more columns than images are empty
    images = sample_images(generator, args.n, seed=args.seed, labels=args.digit)
    grid = save_grid(images, args.out, ncols=ncols, smooth=args.smooth)
    print(f"drew {args.n} images from {info['model_name']} (step {info['step']:,}) → {grid}")
    if args.npy:
        from artkit.files import atomic_write

        with atomic_write(args.npy) as f:
            np.save(f, images)
        print(f"wrote {args.npy} ({' × '.join(str(n) for n in images.shape)}, floats 0..1)")
    return 0


def _grid_suffixes() -> tuple:
    """The picture suffixes a sample grid can be saved as (those Pillow writes)."""
    from PIL import Image

    Image.init()
    return tuple(ext for ext, fmt in Image.registered_extensions().items() if fmt in Image.SAVE)


def _check_output(path, suffixes, flag: str) -> Path:
    """Refuse an output file name before any work: the wrong suffix, a folder's name, a pipe,
    or a place where files can't be made (its folder is made when missing, as saving does)."""
    from artkit.files import check_writable_folder

    path = Path(path)
    if path.is_dir():
        raise ArtkitError(f"{flag} names the folder '{path}'; give a file name, like "
                          f"{path / ('samples' + ('.png' if '.png' in suffixes else suffixes[0]))}.")
    if path.suffix.lower() not in suffixes:
        shown = [s for s in (".png", ".jpg", ".webp", ".npy") if s in suffixes]
        others = f" (or {', '.join(shown[1:])})" if len(shown) > 1 else ""
        raise ArtkitError(f"{flag} must name a {shown[0]}{others} file, not '{path}'.")
    if path.exists() and not path.is_file():
        raise ArtkitError(f"{flag} names '{path}', which is not an ordinary file (a pipe or a "
                          f"device?); give a new file name.")
    check_writable_folder(path.parent, flag)
    return path
