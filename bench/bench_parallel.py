"""Where the worker processes start to pay: the crossover behind artkit.parallel.THRESHOLD.

A batch drawn by the pool pays a fixed cost (copy the canvas into shared memory, have the
workers load their bands, select and pickle each band's runs, write the bands back and copy
them out) that drawing in this process doesn't. For batches of the flow brush and the dabs
brush of growing size, on a 1024x768 canvas, this times drawing one batch and reading the
canvas back (what a render does between coverage checks), in this process and with the pool,
alternating, best of --repeats. The smallest batch where the pool wins is the crossover;
THRESHOLD is set a little above it, in segments (a dab counts as DAB_WORK segments: the
measured cost of a dab over that of a segment is printed too).

    python bench/bench_parallel.py [--repeats 5] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

from artkit import parallel
from artkit.brushes import make_brush
from artkit.canvas import Canvas
from artkit.source import SourceImage

SIZE = (1024, 768)
SEGMENTS = [250, 500, 1000, 2000, 4000, 8000, 16000, 32000]


def batch(name: str, segments: int, seed: int):
    brush = make_brush(name)
    per_touch = brush.marks_per_touch() * (12 if name == "flow" else 1)   # flow: 12 steps
    source = SourceImage.default(SIZE)
    touches = max(1, round(segments / per_touch))
    return brush.autopaint(source, touches, np.random.default_rng(seed))


def time_once(strokes, jobs: int) -> float:
    canvas = Canvas(*SIZE, background=(248, 245, 238))
    renderer = parallel.BandRenderer(canvas, jobs) if jobs > 1 else parallel.InProcess(canvas)
    started = time.perf_counter()
    renderer.draw(strokes)
    renderer.finish()
    canvas.pixels()
    seconds = time.perf_counter() - started
    renderer.close()
    return seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=parallel.available_cores())
    args = parser.parse_args(argv)
    saved, parallel.THRESHOLD = parallel.THRESHOLD, 0   # every pooled batch really is pooled
    print(f"{SIZE[0]}x{SIZE[1]} canvas, {args.jobs} workers, best of {args.repeats}; load "
          f"average {os.getloadavg()[0]:.1f}")
    time_once(batch("flow", 2000, 0), args.jobs)   # start the pool, warm the caches
    per_unit = {}
    for name in ("flow", "dabs"):
        print(f"\n{name}: {'segments':>9} {'in-process':>11} {'pool':>9} {'pool/in':>8}")
        crossover = None
        for segments in SEGMENTS:
            strokes = batch(name, segments, 1)
            serial = pooled = float("inf")
            for _ in range(args.repeats):
                serial = min(serial, time_once(strokes, 1))
                pooled = min(pooled, time_once(strokes, args.jobs))
            per_unit.setdefault(name, []).append(serial / strokes.segments)
            if crossover is None and pooled < serial:
                crossover = strokes.segments
            print(f"{'':6}{strokes.segments:>9} {serial * 1e3:>9.2f}ms {pooled * 1e3:>7.2f}ms "
                  f"{pooled / serial:>8.2f}")
        print(f"  the pool wins from about {crossover} {'dabs' if name == 'dabs' else 'segments'}"
              if crossover else "  the pool never won here")
    dab = np.median(per_unit["dabs"][-3:]) / np.median(per_unit["flow"][-3:])
    print(f"\na dab costs {dab:.1f} segments to draw in-process (DAB_WORK = {parallel.DAB_WORK}); "
          f"THRESHOLD = {saved} segments")
    return 0


if __name__ == "__main__":
    sys.exit(main())
