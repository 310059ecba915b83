"""Where drawing on every core starts to pay: threads for compiled marks, processes for skia's.

What artkit's compiled loops draw (lines, round dabs) goes to one thread per band of rows on
the canvas itself (artkit.threaded); what skia must draw (--exact, squares) goes to worker
processes (artkit.parallel), which pay a fixed cost a batch (copy the canvas into shared
memory, have the workers load their bands, select and pickle each band's runs, write the bands
back and copy them out). For batches of the flow brush and the dabs brush of growing size, on
a 1024x768 canvas, this times drawing one batch and reading the canvas back (what a render
does between coverage checks), in this process and on every core, alternating, best of
--repeats, first with the compiled loops (threads), then with skia (processes). The smallest
batch where the processes win is the crossover behind parallel.THRESHOLD (in segments; a dab
counts as DAB_WORK segments: the measured cost of a dab over that of a segment is printed).

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
from artkit.strokes import use_exact_marks

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
    renderer = parallel.renderer_for(canvas, jobs)
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
    print(f"{SIZE[0]}x{SIZE[1]} canvas, {args.jobs} threads or workers, best of "
          f"{args.repeats}; load average {os.getloadavg()[0]:.1f}")
    for exact, how in ((False, "compiled loops, threads"), (True, "skia (--exact), processes")):
        use_exact_marks(exact)
        time_once(batch("flow", 2000, 0), args.jobs)   # start the pool, warm the caches
        per_unit = {}
        for name in ("flow", "dabs"):
            print(f"\n{name}, {how}:\n{'segments':>15} {'one':>10} {'every core':>11} "
                  f"{'ratio':>6}")
            crossover = None
            for segments in SEGMENTS:
                strokes = batch(name, segments, 1)
                serial = shared = float("inf")
                for _ in range(args.repeats):
                    serial = min(serial, time_once(strokes, 1))
                    shared = min(shared, time_once(strokes, args.jobs))
                per_unit.setdefault(name, []).append(serial / strokes.segments)
                if crossover is None and shared < serial:
                    crossover = strokes.segments
                print(f"{'':6}{strokes.segments:>9} {serial * 1e3:>8.2f}ms "
                      f"{shared * 1e3:>9.2f}ms {shared / serial:>6.2f}")
            unit = "dabs" if name == "dabs" else "segments"
            print(f"  every core wins from about {crossover} {unit}" if crossover
                  else "  every core never won here")
        dab = np.median(per_unit["dabs"][-3:]) / np.median(per_unit["flow"][-3:])
        print(f"\na dab costs {dab:.1f} segments to draw ({how})")
    print(f"DAB_WORK = {parallel.DAB_WORK}; THRESHOLD = {saved} segments (for the processes)")
    use_exact_marks(False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
