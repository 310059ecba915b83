"""Round dabs with the compiled blender (artkit._discblit) against the Pillow fallback.

Times the painting phase of the dabs brush, `PaintSession(...).paint_until_covered(N)` with
jobs=1, on scikit-image's astronaut fitted to 1024², each run in a fresh process (so the
masks are rasterised anew, as in a render), alternating the two ways, and prints the
medians: the whole painting and, inside it, `render_circles` (everything artkit.discs does)
and `_rasterise` (making the masks). Both ways must give the same bytes; the script checks.

    python bench/bench_discs.py [--touches 5000] [--rounds 5] [--size 1024]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

WAYS = ("compiled", "pillow")


def timed(module, name: str, totals: dict) -> None:
    """Wrap module.name to add its wall time to totals[name]."""
    inner = getattr(module, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            totals[name] = totals.get(name, 0.0) + time.perf_counter() - started

    setattr(module, name, wrapper)


def paint_once(way: str, touches: int, size: int) -> dict:
    from skimage import data

    from artkit import discs
    from artkit.session import PaintSession
    from artkit.source import SourceImage

    if way == "pillow":
        discs._discblit = None
    elif discs._discblit is None:
        raise SystemExit("artkit._discblit is not built: python setup.py build_ext --inplace")
    totals: dict = {}
    for name in ("render_circles", "_rasterise"):
        timed(discs, name, totals)
    source = SourceImage.from_array(data.astronaut(), size=(size, size))
    session = PaintSession((size, size), source=source, brush="dabs", seed=5, jobs=1)
    started = time.perf_counter()
    session.paint_until_covered(touches)
    totals["painting"] = time.perf_counter() - started
    totals["pixels"] = hashlib.sha256(session.canvas.pixels().tobytes()).hexdigest()
    return totals


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--touches", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--child", choices=WAYS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(paint_once(args.child, args.touches, args.size)))
        return 0
    runs: dict = {way: [] for way in WAYS}
    for _ in range(args.rounds):
        for way in WAYS:
            out = subprocess.run([sys.executable, __file__, "--child", way,
                                  "--touches", str(args.touches), "--size", str(args.size)],
                                 check=True, capture_output=True, text=True).stdout
            runs[way].append(json.loads(out.splitlines()[-1]))
    print(f"dabs brush, {args.touches} touches on {args.size}², jobs=1, median of "
          f"{args.rounds} fresh processes each, alternating; load average "
          f"{os.getloadavg()[0]:.1f}")
    print(f"{'':10} {'painting':>10} {'render_circles':>15} {'_rasterise':>11}")
    for way in WAYS:
        cells = [statistics.median(run.get(key, 0.0) for run in runs[way]) * 1e3
                 for key in ("painting", "render_circles", "_rasterise")]
        print(f"{way:10} {cells[0]:8.0f}ms {cells[1]:13.0f}ms {cells[2]:9.1f}ms")
    hashes = {run["pixels"] for way in WAYS for run in runs[way]}
    print("same pixels every run:", "yes" if len(hashes) == 1 else "NO")
    return 0 if len(hashes) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
