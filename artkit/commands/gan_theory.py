"""`artkit gan xy` and `artkit gan shapes`: the theory corner of the GAN lab.

`xy` plays the two-player game f(x, y) = x·y with several update rules and writes figures;
`shapes` is a calculator for convolution output sizes and a layer-by-layer shape table for
artkit's GAN models. Heavy imports (matplotlib, torch) happen inside the command functions so
`artkit --help` stays fast and torch-free.
"""

import argparse
import math
import os

from artkit.commands.values import finite, number, whole
from artkit.errors import ArtkitError


def register(gan_subparsers) -> None:
    """Add `xy` and `shapes` to the `artkit gan` sub-subparsers."""
    xy = gan_subparsers.add_parser(
        "xy",
        help="watch two gradient players on f(x, y) = x*y spiral, and the fixes",
        description=(
            "Two players on f(x, y) = x*y: x descends, y ascends. Simultaneous gradient steps "
            "spiral outwards; alternating, extragradient, optimistic (OGDA) and consensus "
            "updates do not. Writes PNG figures and prints the radius each rule ends at."
        ),
    )
    xy.add_argument("--lr", type=finite, default=0.1, help="step size eta (default 0.1)")
    xy.add_argument("--steps", type=whole(1, 10_000), default=500,
                    help="number of steps (default 500)")
    xy.add_argument("--start", type=_point, default=(1.0, 0.0), metavar="X,Y",
                    help="starting point (default 1,0; e.g. --start -2,3)")
    xy.add_argument("--gamma", type=number(0, 100), default=None,
                    help="consensus optimisation's pull towards 0 (default 0.2)")
    xy.add_argument("--out", default="gan-xy", help="folder for the figures (default gan-xy)")
    xy.set_defaults(func=run_xy)

    shapes = gan_subparsers.add_parser(
        "shapes",
        help="convolution output sizes, worked examples, and model shape tables",
        description=(
            "With no options: print the size formulas and seven worked examples. With --input "
            "and --kernel: compute one layer's output size. With --model: print the model's "
            "layer-by-layer output shapes."
        ),
    )
    shapes.add_argument("--input", type=_size, metavar="N|HxW", help="input size, e.g. 28 or 32x24")
    shapes.add_argument("--kernel", type=_size, metavar="K|KHxKW", help="kernel size")
    shapes.add_argument("--stride", type=_size, default=(1, 1), metavar="S|SHxSW",
                        help="stride (default 1)")
    shapes.add_argument("--padding", type=_size, default=(0, 0), metavar="P|PHxPW",
                        help="padding (default 0)")
    shapes.add_argument("--dilation", type=_size, default=(1, 1), metavar="D|DHxDW",
                        help="dilation (default 1)")
    shapes.add_argument("--output-padding", type=_size, default=(0, 0), metavar="OP|OPHxOPW",
                        help="extra size on one side, transposed only (default 0)")
    shapes.add_argument("--transposed", action="store_true", help="a transposed convolution")
    shapes.add_argument("--model", metavar="NAME", help="a model name from `artkit gan models`")
    shapes.set_defaults(func=run_shapes)


def _size(text: str) -> tuple:
    """Parse '28' or '32x24' into (height, width)."""
    problem = argparse.ArgumentTypeError(
        f"{text!r} is not a size; write a whole number like 28 or HxW like 32x24")
    try:
        values = tuple(int(part) for part in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise problem from None
    if len(values) == 1:
        values = values * 2
    if len(values) != 2:
        raise problem
    return values


def _point(text: str) -> tuple:
    """Parse 'x,y' into two floats."""
    problem = argparse.ArgumentTypeError(f"{text!r} is not a point; write two numbers like 1,0")
    try:
        x, y = (float(part) for part in text.split(","))
    except ValueError:
        raise problem from None
    if not all(math.isfinite(v) and abs(v) <= 1e6 for v in (x, y)):
        raise argparse.ArgumentTypeError(f"{text!r} is too far out; each number of the point "
                                         f"must be between -1000000 and 1000000")
    return x, y


def run_xy(args) -> int:
    from artkit.gan import games

    if args.steps < 1:
        raise ArtkitError("--steps must be at least 1; try --steps 500.")
    if not 0 < args.lr < 2:
        raise ArtkitError("--lr must be between 0 and 2 (exclusive); try --lr 0.1.")
    if args.start == (0.0, 0.0):
        raise ArtkitError("a game started at (0, 0) never moves; start somewhere else, "
                          "e.g. --start 1,0.")
    gamma = games.DEFAULT_GAMMA if args.gamma is None else args.gamma
    if gamma < 0:
        raise ArtkitError("--gamma must be 0 or more; try --gamma 0.2.")
    from artkit.files import check_writable_folder

    check_writable_folder(args.out, "--out")
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as error:
        raise ArtkitError(f"cannot make the folder {args.out!r} ({error.strerror}); choose "
                          "another with --out.")
    runs = games.run_all(args.lr, args.steps, start=args.start, gamma=gamma)
    print(games.radius_table(runs, args.lr, args.steps, start=args.start))
    paths = games.plot_all(runs, args.out, lr=args.lr)
    for path in paths:
        print(f"wrote {path}")
    return 0


def _torch_available() -> bool:
    """True when torch can be imported, so the worked examples can be checked against it."""
    import importlib.util

    return importlib.util.find_spec("torch") is not None


def run_shapes(args) -> int:
    from artkit.gan import shapes

    if args.model:
        if args.input is not None or args.kernel is not None:
            raise ArtkitError("--model prints a whole model's shapes; leave out --input and "
                              "--kernel.")
        try:
            import torch
        except ImportError:
            raise ArtkitError("model shape tables need torch; install it with "
                              "`pip install artkit[gan]`.") from None
        torch.set_num_threads(1)  # a dummy forward pass needs no more, and the UI may be running
        print(shapes.model_shape_report(args.model))
        return 0
    if args.input is None and args.kernel is None:
        print(shapes.formulas_text())
        print()
        print(shapes.worked_examples_text(check_with_torch=_torch_available()))
        return 0
    if args.input is None or args.kernel is None:
        raise ArtkitError("give both --input and --kernel (e.g. --input 28 --kernel 4 "
                          "--stride 2 --padding 1).")
    print(shapes.explain_layer(
        args.input, args.kernel, stride=args.stride, padding=args.padding,
        dilation=args.dilation, output_padding=args.output_padding, transposed=args.transposed,
    ))
    return 0
