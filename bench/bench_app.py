"""Frame time of the paint app's real loop while painting, per brush, beside a naive baseline.

    python bench/bench_app.py [--seconds 2] [--repeats 3] [--size 1024x768] [--brushes flow,dabs]

Runs headless on SDL's dummy video driver (no real screen: the final flip to a display costs
nothing here, so on a desktop add the compositor's time). For each brush at its default size:

- app: `PaintApp.run` with a scripted mouse drag (a figure-eight across the canvas, ~700 px/s,
  4 motion events per frame as a real mouse reports them), measuring each frame's working time
  (events, brush, skia drawing onto the persistent canvas, zero-copy blit, toolbar, flip);
- naive: the same marks, frame by frame, drawn one `pygame.draw` call per mark onto a
  full-canvas SRCALPHA layer that is then blitted onto the canvas and the screen (what a first
  pygame paint program does; it is also aliased and doesn't blend marks within a frame);
- autopaint: frames of the app autopainting with that brush (as many of the plan's fixed
  batches as fit the frame budget).

Prints median and p99 frame times in ms and naive/app ratios (both measured in this run).
With --with-pool, also the app's frame times with the band threads and artkit.parallel's
worker processes started (as `render` starts them) and without, alternating: the painter draws
its strokes in its own thread, so the two should match.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import numpy as np  # noqa: E402
import pygame  # noqa: E402

FRAME_BUDGET_MS = 1000 / 60


def drag_script(app, frames: int, events_per_frame: int = 4, speed_px_s: float = 700.0):
    """Per-frame event lists: button down, a figure-eight of motion events, button up."""
    w, h = app.session.size
    cx, cy, ax, ay = w / 2, h / 2, w * 0.4, h * 0.38
    # Arc length of the figure-eight is about 3.9 * (ax + ay); pace t so the speed is constant-ish.
    period_s = 3.9 * (ax + ay) / speed_px_s
    steps = frames * events_per_frame

    def at(i):
        t = 2 * math.pi * (i / events_per_frame) / 60 / period_s
        return app.to_window(cx + ax * math.sin(t), cy + ay * math.sin(2 * t) / 1.0)

    script = [[pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=at(0), button=1)]]
    for f in range(1, frames - 1):
        script.append([pygame.event.Event(pygame.MOUSEMOTION, pos=at(i), rel=(0, 0),
                                          buttons=(1, 0, 0))
                       for i in range(f * events_per_frame, (f + 1) * events_per_frame)])
    script.append([pygame.event.Event(pygame.MOUSEBUTTONUP, pos=at(steps), button=1)])
    return script


def new_app(size, brush, seed=1):
    from artkit.app.paint_app import PaintApp
    from artkit.session import PaintSession

    session = PaintSession(size, brush=brush, seed=seed)
    return PaintApp(session, out_dir=tempfile.gettempdir(), fps=None, plugins=False)


def naive_frames(app, batches) -> list[float]:
    """Frame times of drawing each frame's marks with one pygame.draw call per mark."""
    from artkit.strokes import Kind

    screen = app.screen
    canvas = app.canvas_surface().copy()  # a plain surface: pygame draws on its own surfaces
    layer = pygame.Surface(canvas.get_size(), pygame.SRCALPHA)
    times = []
    for batch in batches:
        t0 = time.perf_counter()
        layer.fill((0, 0, 0, 0))
        pts = batch.points.tolist()
        rgba = [tuple(c) for c in batch.rgba.tolist()]
        widths = batch.width.tolist()
        kind = batch.kind
        for p, c, wd in zip(pts, rgba, widths):
            if kind == Kind.CIRCLE:
                pygame.draw.circle(layer, c, p[0], max(1.0, wd / 2))
            elif kind == Kind.SQUARE:
                side = max(1, round(wd))
                pygame.draw.rect(layer, c, (p[0][0] - side / 2, p[0][1] - side / 2, side, side))
            elif len(p) == 2:
                pygame.draw.line(layer, c, p[0], p[1], max(1, round(wd)))
            else:
                pygame.draw.lines(layer, c, False, p, max(1, round(wd)))
        canvas.blit(layer, (0, 0))
        screen.blit(canvas, app.canvas_rect)
        pygame.display.flip()
        times.append(time.perf_counter() - t0)
    return times


def autopaint_frames(size, brush, frames) -> list[float]:
    app = new_app(size, brush, seed=2)
    app.start_autopaint()
    stats = app.run(max_frames=frames)
    return stats.frame_times[3:]  # the first frames warm the brush up


def undo_timing(size, gestures=400, brush="flow"):
    """Undo latency at the end of a long painting: the session's snapshot undo against
    replaying the whole log (what undo would cost without snapshots)."""
    from artkit.session import PaintSession

    session = PaintSession(size, brush=brush, seed=3)
    rng = np.random.default_rng(0)
    for _ in range(gestures):
        session.begin_gesture()
        start = rng.uniform((0, 0), size)
        session.paint(start + np.cumsum(rng.normal(0, 6, (6, 2)), axis=0))
        session.end_gesture()
    undo = []
    for _ in range(10):
        t0 = time.perf_counter()
        session.undo()
        undo.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    session.log.replay(session.canvas, background=session.background)
    full = time.perf_counter() - t0
    return float(np.median(undo)), full, len(session._snapshots)


_STARTUP = """
import os, sys, time
t0 = time.perf_counter()
import pygame
from artkit.app.paint_app import PaintApp
from artkit.session import PaintSession
t1 = time.perf_counter()
session = PaintSession(({w}, {h}), seed=1)
t2 = time.perf_counter()
app = PaintApp(session, out_dir=".", fps=None, plugins=False)
app.run(max_frames=1)
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def startup_timing(size, repeats: int = 3) -> tuple[float, float, float]:
    """Seconds from a fresh process to the first frame, in three parts: imports; the session
    (the built-in picture, its hash and gradient, the first brush's caches); the window and
    the first frame. Best of `repeats` fresh processes (nothing is cached between them)."""
    import subprocess

    code = _STARTUP.format(w=size[0], h=size[1])
    runs = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, env=dict(os.environ))
        runs.append([float(v) for v in out.stdout.split()[-3:]])
    return tuple(min(run[i] for run in runs) for i in range(3))


def ms(times, q):
    return float(np.percentile(np.asarray(times) * 1000, q)) if len(times) else float("nan")


def measure(size, name, frames):
    """One run of each measurement for brush `name`: (marks per frame, app frame times,
    naive frame times, autopaint frame times)."""
    app = new_app(size, name)
    app.run(max_frames=2)  # fonts, toolbar, the first full-window draw
    # Keep each frame's batch as drawn (the log merges a gesture's batches when it ends).
    canvas, batches = app.session.canvas, []
    draw = canvas.draw
    canvas.draw = lambda strokes, scale=1.0: (batches.append(strokes), draw(strokes, scale))
    stats = app.run(max_frames=frames, script=drag_script(app, frames))
    del canvas.draw
    marks = float(np.mean([len(b) for b in batches])) if batches else 0.0
    naive = naive_frames(app, batches)
    app.close()
    auto = autopaint_frames(size, name, max(30, frames // 2))
    return marks, stats.frame_times[1:], naive, auto


def start_pool(size) -> None:
    """Start what `render` draws with on every core: the band threads (a batch of compiled
    marks) and artkit.parallel's worker processes (the same batch drawn exactly, by skia)."""
    from artkit import parallel
    from artkit.brushes import make_brush
    from artkit.canvas import Canvas
    from artkit.source import SourceImage
    from artkit.strokes import use_exact_marks

    strokes = make_brush("flow").autopaint(SourceImage.default(size), 500,
                                           np.random.default_rng(0))
    for exact in (False, True):
        use_exact_marks(exact)
        renderer = parallel.renderer_for(Canvas(*size), max(2, parallel.available_cores()))
        renderer.draw(strokes)
        renderer.finish()
        renderer.close()
    use_exact_marks(False)


def pool_comparison(size, names, frames, repeats) -> None:
    """App frame times per brush without and with the pool's workers running, alternating."""
    from artkit import parallel

    print(f"\npainter frames with and without the drawing pool's workers running (best of "
          f"{repeats}, alternating):")
    print(f"{'brush':<16}{'no pool med':>12}{'no pool p99':>12}{'pool med':>10}{'pool p99':>10}")
    for name in names:
        runs = {"without": [], "with": []}
        for _ in range(max(1, repeats)):
            for mode in ("without", "with"):
                if mode == "with":
                    start_pool(size)
                else:
                    parallel.shutdown()
                app = new_app(size, name)
                app.run(max_frames=2)
                stats = app.run(max_frames=frames, script=drag_script(app, frames))
                app.close()
                runs[mode].append(stats.frame_times[1:])
        without = [min(ms(r, q) for r in runs["without"]) for q in (50, 99)]
        with_pool = [min(ms(r, q) for r in runs["with"]) for q in (50, 99)]
        print(f"{name:<16}{without[0]:>12.2f}{without[1]:>12.2f}{with_pool[0]:>10.2f}"
              f"{with_pool[1]:>10.2f}")
    parallel.shutdown()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="painting time per brush")
    parser.add_argument("--repeats", type=int, default=3,
                        help="runs per brush; the best median and best p99 are kept, which "
                             "filters out other processes on a shared machine")
    parser.add_argument("--size", default="1024x768")
    parser.add_argument("--brushes", default="", help="comma-separated names (default: all)")
    parser.add_argument("--with-pool", action="store_true",
                        help="also compare frame times with the drawing pool running")
    args = parser.parse_args(argv)
    size = tuple(int(v) for v in args.size.lower().split("x"))
    frames = max(10, int(args.seconds * 60))

    from artkit.brushes import BRUSHES

    names = [n for n in args.brushes.split(",") if n] or list(BRUSHES)
    print(f"artkit paint frame times in ms, {size[0]}x{size[1]} canvas, SDL dummy video driver, "
          f"{frames} frames of dragging per brush, best of {args.repeats} runs; "
          f"budget {FRAME_BUDGET_MS:.1f} ms")
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start "
          f"(other processes slow every column alike)\n")
    header = (f"{'brush':<16}{'marks/frame':>12}{'app med':>9}{'app p99':>9}{'naive med':>11}"
              f"{'naive p99':>11}{'naive/app':>11}{'auto med':>10}{'auto p99':>10}")
    print(header)
    print("-" * len(header))
    worst = 0.0
    for name in names:
        runs = [measure(size, name, frames) for _ in range(max(1, args.repeats))]
        marks = runs[0][0]
        best = [min(ms(run[i], q) for run in runs) for i in (1, 2, 3) for q in (50, 99)]
        med, p99, naive_med, naive_p99, auto_med, auto_p99 = best
        worst = max(worst, p99)
        print(f"{name:<16}{marks:>12.0f}{med:>9.2f}{p99:>9.2f}{naive_med:>11.2f}"
              f"{naive_p99:>11.2f}{naive_med / med:>10.1f}x{auto_med:>10.2f}{auto_p99:>10.2f}")
    imports, session, first = startup_timing(size)
    print(f"\nstart-up to the first frame: {imports + session + first:.2f} s (imports "
          f"{imports:.2f} s, session with the built-in picture {session:.2f} s, window and "
          f"first frame {first:.2f} s; best of 3 fresh processes)")
    undo, full, kept = undo_timing(size)
    print(f"undo at the end of a 400-gesture flow painting: {undo * 1000:.1f} ms (median of 10, "
          f"{kept} snapshots kept) vs {full * 1000:.0f} ms to replay the whole log "
          f"({full / undo:.0f}x)")
    print(f"worst p99 while painting: {worst:.2f} ms "
          f"({'within' if worst < FRAME_BUDGET_MS else 'OVER'} the 60 fps budget of "
          f"{FRAME_BUDGET_MS:.1f} ms)")
    if args.with_pool:
        pool_comparison(size, names, frames, args.repeats)
    pygame.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
