"""`artkit render`, `artkit replay` and `artkit brushes`: paint without a window.

`render` lets a brush paint a source by itself (autopaint) until the canvas is covered, then
writes the PNG (with provenance: brush, parameters, seed, source hash) and the stroke log
beside it (`NAME.strokes`). `replay` re-renders a stroke log at any scale, e.g. for a print.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from artkit.errors import ArtkitError

# Covered: this share of the canvas's pixels differ from the background.
COVERED = 0.995
DEFAULT_BACKGROUND = (250, 247, 240)   # warm paper white, so even white paint shows
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
                        help="canvas colour: a name or #hex (default: warm paper white)")
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

def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*[xX×,]\s*(\d+)\s*", str(text))
    if not match:
        raise ArtkitError(f"--size must look like 1024x768, not {text!r}.")
    w, h = int(match.group(1)), int(match.group(2))
    if not (1 <= w <= 16384 and 1 <= h <= 16384):
        raise ArtkitError(f"--size must be between 1x1 and 16384x16384, not {w}x{h}.")
    return w, h


def parse_params(items: list[str]) -> dict:
    params = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ArtkitError(f"--param must look like name=value, not {item!r}.")
        params[name.strip()] = value.strip()
    return params


def _check_scale(scale: float) -> float:
    if not (scale > 0 and scale <= 16):
        raise ArtkitError(f"--scale must be more than 0 and at most 16, not {scale}.")
    return scale


def _background(text):
    if text is None:
        return DEFAULT_BACKGROUND
    from artkit.color import to_rgba

    return tuple(to_rgba(text)[:3])


def _out_path(out, default_name: str) -> Path:
    from artkit.canvas import check_can_save

    path = Path(out if out else default_name)
    if path.suffix.lower() != ".png":
        raise ArtkitError(f"--out must name a .png file, not '{path}'.")
    return check_can_save(path)  # before painting, so a long render is never thrown away


def _canvas_size(source_spec: str, size_text) -> tuple[int, int]:
    if size_text:
        return parse_size(size_text)
    path = Path(str(source_spec))
    if source_spec not in (None, "", "default") and path.is_file():
        from artkit.source import image_size

        w, h = image_size(path)
        k = LONG_SIDE / max(w, h)
        return max(1, round(w * k)), max(1, round(h * k))
    return DEFAULT_SIZE


# -- the painting loop ------------------------------------------------------------------------

def coverage(pixels, background) -> float:
    """Share of pixels that differ from the background colour."""
    import numpy as np

    rgb = pixels[:, :, :3]
    bg = np.asarray(background[:3], np.uint8)
    return float(np.count_nonzero((rgb != bg).any(axis=2))) / (rgb.shape[0] * rgb.shape[1])


def autopaint(canvas, log, brush, source, rng, strokes=None, scale=1.0, background=None,
              progress=None) -> tuple[int, float]:
    """Paint touches onto `canvas` (recording them in `log`, one gesture per batch): exactly
    `strokes` touches, or until COVERED of the pixels have changed (stopping early if coverage
    stalls, e.g. where the source matches the background, or after a cap). Returns
    (touches, coverage)."""
    area = source.width * source.height
    per_touch_area = max(1.0, float(brush.size) ** 2)
    batch = int(min(2000, max(20, area / per_touch_area / 8)))
    cap = strokes if strokes is not None else int(max(2000, 20 * area / per_touch_area))
    done, covered, history = 0, 0.0, []
    while done < cap:
        n = min(batch, cap - done)
        marks = brush.autopaint(source, n, rng)
        log.begin_gesture()
        log.add(marks)
        log.end_gesture()
        canvas.draw(marks, scale)
        done += n
        if strokes is None or done >= cap:
            covered = coverage(canvas.pixels(), background)
        if progress:
            progress(done, covered)
        if strokes is None:
            if covered >= COVERED:
                break
            history.append(covered)
            # Stalled: the last 8 batches together gained less than 0.02 % of the canvas.
            if len(history) > 8 and history[-1] - history[-9] < 0.0002:
                break
    return done, covered


def run_render(args) -> int:
    import numpy as np

    from artkit.brushes import make_brush
    from artkit.canvas import Canvas
    from artkit.source import open_source
    from artkit.strokes import StrokeLog

    if str(args.source).lower().startswith("gan:"):
        from artkit.gan import painting

        if args.walk:
            return painting.render_walk_command(args)
        args.source = painting.with_seed(args.source, args.seed)
    elif args.walk:
        raise ArtkitError("--walk needs a GAN source: --source gan:CHECKPOINT (a .pt file).")
    brush = make_brush(args.brush, **parse_params(args.param))
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
    rng = np.random.default_rng(args.seed)
    meta = {"brush": brush.name, "params": brush.params(), "seed": args.seed,
            "source": str(args.source), "background": list(background)}
    log = StrokeLog(size, source.hash, meta)
    w, h = (max(1, round(v * scale)) for v in size)
    canvas = Canvas(w, h, background=background)
    touches, covered = autopaint(canvas, log, brush, source, rng, args.strokes, scale,
                                 background)
    seconds = time.perf_counter() - started

    provenance = {"brush": brush.name, "params": brush.params(), "seed": args.seed,
                  "source": str(args.source), "source-hash": source.hash,
                  "size": f"{size[0]}x{size[1]}", "scale": scale, "touches": touches,
                  "coverage": round(covered, 5)}
    canvas.save(out, provenance)
    log_path = log.save(out.with_suffix(".strokes"))
    if not args.quiet:
        marks = log.stroke_count()
        print(f"{out}: {brush.name} on {source.name}, {touches} touches ({marks} marks), "
              f"{covered:.1%} covered, {w}x{h}, {seconds:.1f} s; log {log_path}")
    return 0


def run_replay(args) -> int:
    from artkit.strokes import StrokeLog

    if args.timelapse:
        from artkit.timelapse import run_timelapse_command

        return run_timelapse_command(args)
    if not args.out:
        raise ArtkitError("Give --out BIG.png for the picture (or --timelapse OUT.webp for "
                          "its build-up).")
    scale = _check_scale(args.scale)
    out = _out_path(args.out, "replay.png")
    started = time.perf_counter()
    log = StrokeLog.load(args.log)
    background = _background(args.background) if args.background else None
    canvas = log.render(scale, background)
    provenance = {key: value for key, value in log.meta.items()
                  if isinstance(value, (str, int, float, bool, list, dict))}
    provenance.update({"source-hash": log.source_hash, "replayed-from": Path(args.log).name,
                       "scale": scale})
    canvas.save(out, provenance)
    if not args.quiet:
        print(f"{out}: {log.stroke_count()} marks replayed at {scale:g}x, "
              f"{canvas.width}x{canvas.height}, {time.perf_counter() - started:.1f} s")
    return 0


def run_brushes(args) -> int:
    from artkit.brushes import BRUSHES

    width = max(len(name) for name in BRUSHES)
    for name, cls in BRUSHES.items():
        print(f"{name:<{width}}  {cls.summary}")
    return 0


__all__ = ["register", "autopaint", "coverage", "parse_size", "parse_params", "COVERED",
           "DEFAULT_BACKGROUND"]
