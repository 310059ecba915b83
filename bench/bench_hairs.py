"""Line marks drawn by artkit._hairs against skia: how alike they look, and how fast.

For each line brush, 2000 touches on a 1024x1024 canvas are painted once (skia drawing, so
the marks don't depend on what is drawn), and the stroke log is replayed both ways: skia's
stroked paths (`use_exact_marks`) and the compiled hairs. The per-pixel difference of the two
replays is printed (mean, 99th percentile and largest difference of a channel, in levels of
255, and the share of pixels within 1 and 3 levels), with flow also replayed at --scale 4.
For scale: skia against itself with every mark moved by up to 1/10 px (a replay at scale
1.0001) differs by about as much.

Then the time to draw one batch of 2000 flow touches (192,000 segments) both ways,
alternating, median of --repeats, and the painting phase of
`PaintSession(...).paint_until_covered(2000)` with the flow brush in one process.

    python bench/bench_hairs.py [--source PHOTO] [--repeats 7] [--out FOLDER]

--source: a picture file, "astronaut" (scikit-image's, if installed) or "default" (the
built-in picture). --out: write each replay pair as PNGs there, to look at side by side.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

from artkit.brushes import make_brush
from artkit.canvas import Canvas
from artkit.session import PaintSession
from artkit.source import SourceImage, open_source
from artkit.strokes import render_strokes, use_exact_marks

SIZE = (1024, 1024)
TOUCHES = 2000
LOOKS = [("flow", 1), ("flow_weighted", 1), ("broad_short", 1), ("curves", 1),
         ("diagonal", 1), ("sprinkles", 1), ("flow", 4)]


def source_for(spec: str) -> SourceImage:
    if spec == "astronaut":
        from skimage.data import astronaut

        picture = Image.fromarray(astronaut()).resize(SIZE, Image.LANCZOS)
        return SourceImage.from_array(np.asarray(picture), SIZE, name="astronaut")
    return open_source(spec, SIZE)


def replay(log, scale: float, exact: bool) -> np.ndarray:
    use_exact_marks(exact)
    session, _ = PaintSession.from_log(log, scale, open_source=False, jobs=1, undo=False)
    return session.canvas.pixels().copy()


def difference(a: np.ndarray, b: np.ndarray) -> str:
    d = np.abs(a[..., :3].astype(np.int16) - b[..., :3].astype(np.int16))
    return (f"mean {d.mean():5.2f}  p99 {np.percentile(d, 99):3.0f}  max {d.max():3d}  "
            f"within 1: {(d <= 1).mean():6.1%}  within 3: {(d <= 3).mean():6.1%}")


def looks(source: SourceImage, out: Path | None) -> None:
    print(f"{'brush':>16}  C against skia, per channel, levels of 255")
    logs = {}
    for name, scale in LOOKS:
        if name not in logs:
            use_exact_marks(True)
            session = PaintSession(SIZE, source, brush=name, seed=7, jobs=1)
            session.paint_until_covered(TOUCHES)
            logs[name] = session.log
        exact, fast = replay(logs[name], scale, True), replay(logs[name], scale, False)
        print(f"{name + (f' x{scale}' if scale != 1 else ''):>16}  {difference(fast, exact)}")
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            for label, pixels in (("skia", exact), ("hairs", fast)):
                Image.fromarray(pixels[..., :3]).save(out / f"{name}_x{scale}_{label}.png")
    skia_itself = replay(logs["flow"], 1.0001, True)
    print(f"{'skia, 1/10 px':>16}  {difference(skia_itself, replay(logs['flow'], 1, True))}")


def drawing_speed(source: SourceImage, repeats: int) -> None:
    strokes = make_brush("flow").autopaint(source, TOUCHES, np.random.default_rng(1))
    canvas = Canvas(*SIZE, background=(248, 245, 238))
    blank = canvas.snapshot()
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(repeats):
        for exact in (True, False):
            canvas.restore(blank)
            started = time.perf_counter()
            render_strokes(canvas.sk, strokes, pixels=canvas.pixels(), exact=exact)
            times[exact].append(time.perf_counter() - started)
    skia, hairs = np.median(times[True]), np.median(times[False])
    print(f"\none flow batch ({strokes.segments:,} segments): skia {skia * 1e3:.0f} ms, "
          f"hairs {hairs * 1e3:.0f} ms ({skia / hairs:.1f}x)")


def painting_speed(source: SourceImage, repeats: int) -> None:
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(max(1, repeats // 2)):
        for exact in (True, False):
            use_exact_marks(exact)
            session = PaintSession(SIZE, source, brush="flow", seed=7, jobs=1)
            started = time.perf_counter()
            session.paint_until_covered(TOUCHES)
            session.canvas   # everything drawn
            times[exact].append(time.perf_counter() - started)
    skia, hairs = np.median(times[True]), np.median(times[False])
    print(f"painting phase, flow, {TOUCHES} touches, jobs=1: skia {skia * 1e3:.0f} ms, "
          f"hairs {hairs * 1e3:.0f} ms ({skia / hairs:.1f}x)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", default="astronaut")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    source = source_for(args.source)
    print(f"{SIZE[0]}x{SIZE[1]}, {source.name}, {TOUCHES} touches; load average "
          f"{os.getloadavg()[0]:.1f}\n")
    looks(source, args.out)
    drawing_speed(source, args.repeats)
    painting_speed(source, args.repeats)
    use_exact_marks(False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
