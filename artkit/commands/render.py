"""`artkit render`, `artkit replay` and `artkit brushes`: paint without a window.

`render` lets a brush paint a source by itself (autopaint) until the canvas is covered, then
writes the PNG (with provenance: brush, parameters, seed, source hash) and the stroke log
beside it (`NAME.strokes`). `replay` re-renders a stroke log at any scale, e.g. for a print.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from artkit.errors import ArtkitError

DEFAULT_SIZE = (1024, 768)
LONG_SIDE = 1024                       # a file source without --size: its shape, this long


def register(subparsers) -> None:
    render = subparsers.add_parser(
        "render", help="paint a picture with a brush, headless",
        description="Let a brush paint a source picture by itself until the canvas is covered "
                    "(or for --strokes touches), then write the PNG and its stroke log.")
    render.add_argument("--brush", default="flow", help="brush name (see `artkit brushes`)")
    render.add_argument("--source", default="default",
                        help="image file to take colours from, or 'default' (built-in sunset)")
    render.add_argument("--strokes", type=int, default=None, metavar="N",
                        help="paint exactly N touches (default: until the canvas is covered)")
    render.add_argument("--seed", type=int, default=0, help="random seed (same seed, same picture)")
    render.add_argument("--size", default=None, metavar="WxH",
                        help="canvas size (default 1024x768, or the image's shape 1024 px long)")
    render.add_argument("--scale", type=float, default=1.0, metavar="K",
                        help="write the picture K times bigger (marks scale too)")
    render.add_argument("--fit", choices=("cover", "contain"), default="cover",
                        help="cover: fill and crop the source; contain: show it all")
    render.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="change a brush parameter, e.g. --param size=20 (repeatable)")
    render.add_argument("--background", default=None, metavar="COLOUR",
                        help="canvas colour: a name or #hex (default: warm paper, as in the "
                             "painter)")
    render.add_argument("--out", default=None, metavar="NAME.png",
                        help="output picture (default: BRUSH.png); the log goes to NAME.strokes")
    render.add_argument("--quiet", action="store_true", help="print nothing but errors")
    render.add_argument("--walk", action="store_true",
                        help="with --source gan:CHECKPOINT: paint a latent walk into an animated "
                             "--out .webp or .gif (--strokes: marks per frame)")
    render.add_argument("--frames", type=int, default=120, metavar="N",
                        help="frames of the --walk animation (default 120)")
    render.set_defaults(func=run_render)

    replay = subparsers.add_parser(
        "replay", help="re-render a .strokes log, at any scale",
        description="Draw a stroke log again, e.g. --scale 4 for a print-size picture.")
    replay.add_argument("log", metavar="FILE.strokes")
    replay.add_argument("--scale", type=float, default=1.0, metavar="K")
    replay.add_argument("--background", default=None, metavar="COLOUR")
    replay.add_argument("--out", default=None, metavar="BIG.png")
    replay.add_argument("--timelapse", default=None, metavar="OUT.webp|OUT.gif",
                        help="write the painting's build-up as an animation instead")
    replay.add_argument("--seconds", type=float, default=8.0, metavar="S",
                        help="length of the --timelapse animation (default 8)")
    replay.add_argument("--quiet", action="store_true")
    replay.set_defaults(func=run_replay)

    brushes = subparsers.add_parser("brushes", help="list the brushes",
                                    description="List the brushes with one line each.")
    brushes.set_defaults(func=run_brushes)


# -- small parsers ----------------------------------------------------------------------------

def parse_params(items: list[str]) -> dict:
    """`--param NAME=VALUE` items as {name: text}; the brush checks each value's type and
    range (`artkit.params`)."""
    from artkit.params import split_assignment

    return dict(split_assignment(item) for item in items)


def _check_scale(scale: float) -> float:
    if not (scale > 0 and scale <= 16):
        raise ArtkitError(f"--scale must be more than 0 and at most 16, not {scale}.")
    return scale


def _background(text):
    if text is None:
        from artkit.session import PAPER

        return PAPER
    from artkit.color import to_rgba

    return tuple(to_rgba(text)[:3])


def _out_path(out, default_name: str) -> Path:
    from artkit.canvas import check_can_save

    path = Path(out if out else default_name)
    if path.suffix.lower() != ".png":
        raise ArtkitError(f"--out must name a .png file, not '{path}'.")
    return check_can_save(path)  # before painting, so a long render is never thrown away


def _canvas_size(source_spec: str, size_text) -> tuple[int, int]:
    from artkit.params import parse_size

    if size_text:
        return parse_size(size_text)
    path = Path(str(source_spec))
    if source_spec not in (None, "", "default") and path.is_file():
        from artkit.source import image_size

        w, h = image_size(path)
        k = LONG_SIDE / max(w, h)
        return max(1, round(w * k)), max(1, round(h * k))
    return DEFAULT_SIZE


# -- the commands -----------------------------------------------------------------------------

def run_render(args) -> int:
    from artkit.session import PaintSession
    from artkit.source import open_source

    if str(args.source).lower().startswith("gan:"):
        if args.walk:
            return run_walk(args)
        from artkit.gan.painting import with_seed

        args.source = with_seed(args.source, args.seed)
    elif args.walk:
        raise ArtkitError("--walk needs a GAN source: --source gan:CHECKPOINT (a .pt file).")
    from artkit.brushes import make_brush

    params = parse_params(args.param)
    brush = make_brush(args.brush, **params)   # bad names and values stop here, before work
    scale = _check_scale(args.scale)
    if args.strokes is not None and args.strokes < 0:
        raise ArtkitError(f"--strokes must be 0 or more, not {args.strokes}.")
    out = _out_path(args.out, f"{brush.name}.png")
    size = _canvas_size(args.source, args.size)
    background = _background(args.background)
    source = open_source(args.source, size, fit=args.fit)
    if source.size != size:
        source = type(source).from_array(source.rgb, size, args.fit, name=source.name)

    started = time.perf_counter()
    session = PaintSession(size, source, brush=brush.name, brush_params=params, seed=args.seed,
                           background=background, source_spec=str(args.source), scale=scale)
    run = session.paint_until_covered(args.strokes)
    seconds = time.perf_counter() - started
    session.save_as(out)
    if not args.quiet:
        w, h = session.canvas.width, session.canvas.height
        print(f"{out}: {brush.name} on {source.name}, {run.done} touches "
              f"({session.log.stroke_count()} marks), {run.covered:.1%} covered, {w}x{h}, "
              f"{seconds:.1f} s; log {out.with_suffix('.strokes')}")
    return 0


def run_walk(args) -> int:
    """`artkit render --source gan:CKPT[#SEED][,PALETTE] --walk --frames N --out anim.webp`:
    --size, --brush, --param, --seed (the first seed when the spec has none), --strokes
    (touches per frame) and --background apply."""
    from artkit.gan.painting import parse_spec, render_walk, with_seed
    from artkit.params import parse_size

    spec = parse_spec(with_seed(args.source, args.seed))
    out = args.out or "walk.webp"
    size = parse_size(args.size) if args.size else (512, 384)
    if args.strokes is not None and args.strokes < 1:
        raise ArtkitError(f"--strokes (touches per frame of a walk) must be 1 or more, not "
                          f"{args.strokes}.")
    started = time.perf_counter()

    def progress(done, total):
        if not args.quiet and (done == total or done % 10 == 0):
            print(f"\r  frame {done}/{total}", end="" if done < total else "\n", flush=True)

    path = render_walk(spec.checkpoint, out, frames=args.frames, size=size, seed=spec.seed,
                       palette=spec.palette, brush=args.brush,
                       brush_params=parse_params(args.param), touches=args.strokes,
                       background=_background(args.background), progress=progress)
    if not args.quiet:
        print(f"{path}: a {args.frames}-frame latent walk from seed {spec.seed} of "
              f"{Path(spec.checkpoint).name}, {size[0]}x{size[1]}, "
              f"{time.perf_counter() - started:.1f} s")
    return 0


def run_replay(args) -> int:
    from artkit.session import PaintSession
    from artkit.strokelog import StrokeLog

    scale = _check_scale(args.scale)
    if args.timelapse:
        return run_timelapse(args)
    if not args.out:
        raise ArtkitError("Give --out BIG.png for the picture (or --timelapse OUT.webp for "
                          "its build-up).")
    out = _out_path(args.out, "replay.png")
    started = time.perf_counter()
    log = StrokeLog.load(args.log)
    _say_damage(log, args.log)
    background = _background(args.background) if args.background else None
    session, _ = PaintSession.from_log(log, scale, background, open_source=False)
    session.save_as(out, with_log=False, replayed_from=Path(args.log).name)
    if not args.quiet:
        print(f"{out}: {log.stroke_count()} marks replayed at {scale:g}x, "
              f"{session.canvas.width}x{session.canvas.height}, "
              f"{time.perf_counter() - started:.1f} s")
    return 0


def run_timelapse(args) -> int:
    """`artkit replay FILE.strokes --timelapse OUT.webp|OUT.gif [--scale K] [--seconds S]`."""
    from PIL import Image

    from artkit.strokelog import StrokeLog
    from artkit.timelapse import timelapse

    started = time.perf_counter()
    background = _background(args.background) if args.background else None
    notice = (lambda message: None) if args.quiet else print
    log = StrokeLog.load(args.log)
    _say_damage(log, args.log)
    path = timelapse(log, args.timelapse, scale=args.scale, seconds=args.seconds,
                     background=background, notice=notice)
    if not args.quiet:
        with Image.open(path) as animation:
            frames, size = animation.n_frames, animation.size
        print(f"{path}: the painting's build-up in {frames} frames, {size[0]}x{size[1]}, "
              f"{time.perf_counter() - started:.1f} s")
    return 0


def _say_damage(log, path) -> None:
    """A damaged log is replayed as far as it goes, with one sentence on what was lost."""
    if log.damage is not None:
        print(f"artkit: {log.damage.sentence(Path(path).name)} The file itself is left as it "
              f"was.", file=sys.stderr)


def run_brushes(args) -> int:
    from artkit.brushes import BRUSHES

    width = max(len(name) for name in BRUSHES)
    for name, cls in BRUSHES.items():
        print(f"{name:<{width}}  {cls.summary}")
    return 0


__all__ = ["register", "parse_params"]
