"""`artkit render`, `artkit replay` and `artkit brushes`: paint without a window.

`render` lets a brush paint a source by itself (autopaint) until the canvas is covered, then
writes the PNG (with provenance: brush, parameters, seed, source hash) and the stroke log
beside it (`NAME.strokes`). `replay` re-renders a stroke log at any scale, e.g. for a print.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from artkit.commands.values import number, seed, whole
from artkit.errors import ArtkitError
from artkit.params import SEED_HELP

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
    render.add_argument("--strokes", type=whole(0, 10_000_000), default=None, metavar="N",
                        help="paint exactly N touches (default: until the canvas is covered)")
    render.add_argument("--seed", type=seed, default=0,
                        help=f"random seed: the same seed paints the same picture ({SEED_HELP})")
    render.add_argument("--size", default=None, metavar="WxH",
                        help="canvas size (default 1024x768, or the image's shape 1024 px long)")
    render.add_argument("--scale", type=number(0, 16, above_low=True), default=1.0, metavar="K",
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
    add_plan_arguments(render)
    add_speed_arguments(render)
    render.add_argument("--walk", action="store_true",
                        help="with --source gan:CHECKPOINT: paint a latent walk into an animated "
                             "--out .webp or .gif, or an .mp4 video (--strokes: marks per "
                             "frame)")
    render.add_argument("--frames", type=whole(2, 10_000), default=120, metavar="N",
                        help="frames of the --walk animation (default 120)")
    render.set_defaults(func=run_render)

    replay = subparsers.add_parser(
        "replay", help="re-render a .strokes log, at any scale",
        description="Draw a stroke log again, e.g. --scale 4 for a print-size picture.")
    replay.add_argument("log", metavar="FILE.strokes")
    replay.add_argument("--scale", type=number(0, 16, above_low=True), default=1.0, metavar="K")
    replay.add_argument("--background", default=None, metavar="COLOUR")
    replay.add_argument("--out", default=None, metavar="BIG.png|X.svg|X.pdf",
                        help="the picture: a PNG, or vector graphics (.svg for browsers and "
                             "plotters, .pdf for print)")
    replay.add_argument("--pens", type=int, default=None, metavar="N",
                        help="an .svg groups its marks into N pens, one layer each (default 8)")
    replay.add_argument("--timelapse", default=None, metavar="OUT.webp|OUT.gif|OUT.mp4",
                        help="write the painting's build-up as an animation instead "
                             "(.mp4/.webm need the video extra)")
    replay.add_argument("--seconds", type=number(0, 600, above_low=True), default=8.0, metavar="S",
                        help="length of the --timelapse animation (default 8)")
    replay.add_argument("--quiet", action="store_true")
    add_speed_arguments(replay)
    replay.set_defaults(func=run_replay)

    brushes = subparsers.add_parser("brushes", help="list the brushes",
                                    description="List the brushes with one line each.")
    brushes.set_defaults(func=run_brushes)


def add_plan_arguments(parser) -> None:
    """--plan and --detail: how autopaint paints (shared with `artkit paint`)."""
    parser.add_argument("--plan", choices=("uniform", "layered"), default=None,
                        help="uniform: touches anywhere until covered (the default; a resumed "
                             "painting keeps its own); layered: coarse to fine, only where "
                             "the painting still differs from the picture")
    parser.add_argument("--detail", default=None, metavar="LAYERS[/PX]",
                        help="with --plan layered: how many layers, and optionally the finest "
                             "brush size in px, e.g. 4 or 4/3 (default 5 layers, down to the "
                             "canvas's shorter side / 150, at least 3 px)")


def add_speed_arguments(parser) -> None:
    """--jobs and --exact: how the marks are drawn (the pixels don't depend on --jobs)."""
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="draw with N threads (processes for --exact; default: one per "
                             "core; 1: all in one); the picture is the same either way")
    parser.add_argument("--exact", action="store_true",
                        help="draw every mark with skia: lines as stroked paths, each round "
                             "dab with its own call (2-6x slower; the defaults differ from it "
                             "by under a level on average)")
    # The older name, from when only dabs had a faster way.
    parser.add_argument("--exact-dabs", dest="exact", action="store_true",
                        help=argparse.SUPPRESS)


def speed_choice(args) -> int | None:
    """The number of drawing threads (processes for --exact) from --jobs (None: one per
    core), after applying --exact."""
    from artkit.strokes import use_exact_marks

    if args.jobs is not None:
        from artkit.parallel import check_jobs

        check_jobs(args.jobs)
    use_exact_marks(args.exact)
    return args.jobs


def plan_choice(args) -> tuple[str, int | None, float | None] | None:
    """(plan, layers, finest px) from --plan and --detail; None when neither was given (the
    uniform plan, or a resumed painting's own)."""
    from artkit.layered import parse_detail

    if args.plan is None and args.detail is None:
        return None
    if args.detail is None:
        return args.plan, None, None
    if args.plan != "layered":
        raise ArtkitError("--detail sets the layers of --plan layered; add --plan layered.")
    return (args.plan, *parse_detail(args.detail))


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


def check_scaled_size(size, scale: float) -> None:
    """A picture `size` x `scale` must fit on a canvas here (skia's 2 GB, and memory): checked
    before any work, naming the largest --scale that would do."""
    from artkit.canvas import canvas_gigabytes, check_canvas_size, max_canvas_scale

    w, h = (max(1, round(v * scale)) for v in size)
    if scale == 1:
        check_canvas_size(w, h)
        return
    try:
        check_canvas_size(w, h)
    except ArtkitError:
        raise ArtkitError(f"--scale {scale:g} makes a {w}x{h} picture ({canvas_gigabytes(w, h)}), "
                          f"too big to draw on here; the largest --scale for {size[0]}x{size[1]} "
                          f"is {max_canvas_scale(*size):g}.") from None


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


def canvas_size(source_spec: str, size_text) -> tuple[int, int]:
    """The canvas for `source_spec`: --size when given, else an image file's own shape LONG_SIDE
    px long, else DEFAULT_SIZE (`artkit paint` frames a new painting the same way)."""
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
    plan = plan_choice(args)
    jobs = speed_choice(args)
    out = _out_path(args.out, f"{brush.name}.png")
    size = canvas_size(args.source, args.size)
    check_scaled_size(size, scale)
    background = _background(args.background)
    source = open_source(args.source, size, fit=args.fit)
    if source.size != size:
        source = type(source).from_array(source.rgb, size, args.fit, name=source.name)

    started = time.perf_counter()
    session = PaintSession(size, source, brush=brush.name, brush_params=params, seed=args.seed,
                           background=background, source_spec=str(args.source), scale=scale,
                           jobs=jobs)
    session.set_plan(*(plan or ("uniform",)))
    run = session.paint_until_covered(args.strokes)
    seconds = time.perf_counter() - started
    session.save_as(out)
    if not args.quiet:
        w, h = session.canvas.width, session.canvas.height
        layers = (f" in {run.passes} layers ({', '.join(f'{v:g}' for v in run.sizes)} px)"
                  if run.plan == "layered" else "")
        print(f"{out}: {brush.name} on {source.name}, {run.done} touches{layers} "
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
                       background=_background(args.background), progress=progress,
                       jobs=speed_choice(args))
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
    suffix = Path(args.out).suffix.lower()
    if suffix in (".svg", ".pdf"):
        return run_vector(args)
    if suffix != ".png":
        raise ArtkitError(f"--out must name a .png, .svg or .pdf file, not '{args.out}'.")
    out = _out_path(args.out, "replay.png")
    started = time.perf_counter()
    log = StrokeLog.load(args.log)
    check_scaled_size(log.size, scale)
    _say_damage(log, args.log)
    background = _background(args.background) if args.background else None
    session, _ = PaintSession.from_log(log, scale, background, open_source=False,
                                       jobs=speed_choice(args), undo=False)
    session.save_as(out, with_log=False, replayed_from=Path(args.log).name)
    if not args.quiet:
        print(f"{out}: {log.stroke_count()} marks replayed at {scale:g}x, "
              f"{session.canvas.width}x{session.canvas.height}, "
              f"{time.perf_counter() - started:.1f} s")
    return 0


def run_vector(args) -> int:
    """`artkit replay FILE.strokes --out X.svg|X.pdf [--scale K] [--pens N]`."""
    from artkit.strokelog import StrokeLog
    from artkit.vector import DEFAULT_PENS, check_vector_path, export_vector

    out = check_vector_path(args.out)   # before the log is read: a bad name costs nothing
    started = time.perf_counter()
    log = StrokeLog.load(args.log)
    _say_damage(log, args.log)
    background = _background(args.background) if args.background else None
    pens = DEFAULT_PENS if args.pens is None else args.pens
    made = export_vector(log, out, scale=args.scale, background=background, pens=pens)
    if not args.quiet:
        w, h = (max(1, round(v * args.scale)) for v in log.size)
        layers = f", {len(made.pens)} pens" if made.pens else ""
        print(f"{out}: {made.marks} marks at {args.scale:g}x, {w}x{h}{layers}, "
              f"{made.bytes / 2**20:.1f} MB, {time.perf_counter() - started:.1f} s")
    return 0


def run_timelapse(args) -> int:
    """`artkit replay FILE.strokes --timelapse OUT.webp|.gif|.mp4|.webm [--scale K]
    [--seconds S]`."""
    from artkit.strokelog import StrokeLog
    from artkit.timelapse import check_animation_path, timelapse

    check_animation_path(args.timelapse)   # before the log is read: a bad name costs nothing
    started = time.perf_counter()
    background = _background(args.background) if args.background else None
    log = StrokeLog.load(args.log)
    check_scaled_size(log.size, args.scale)
    _say_damage(log, args.log)
    path = timelapse(log, args.timelapse, scale=args.scale, seconds=args.seconds,
                     background=background, jobs=speed_choice(args))
    if not args.quiet:
        w, h = (max(1, round(v * args.scale)) for v in log.size)
        print(f"{path}: the painting's build-up over {args.seconds:g} s, {w}x{h}, "
              f"{path.stat().st_size / 2**20:.1f} MB, {time.perf_counter() - started:.1f} s")
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


__all__ = ["register", "parse_params", "canvas_size", "add_plan_arguments", "plan_choice"]
