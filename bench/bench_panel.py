"""The painter's frame time while the GAN panel trains, and what the trainer gets done meanwhile.

    python bench/bench_panel.py [--seconds 20] [--size 1024x768] [--modes none,process,thread]
    python bench/bench_panel.py --quality 60 [--model mlp] [--shot panel.png]
    python bench/bench_panel.py --quit 5 [--repeat 3]

Frame times: the real paint loop (`PaintApp.run` at 60 fps, SDL's dummy video driver) with the
GAN panel open, the flow brush dragged along a scripted figure-eight (~700 px/s, 4 pointer
events a frame, a new stroke every 2 s). Each mode runs for --seconds in the same process, one
after another, so the numbers sit side by side:

- none: the panel open, nothing training (the baseline);
- process: training in a spawned worker process (the panel's default);
- thread: training in a thread of the window's process, paced to 35 % busy (the panel's
  setting for thread mode);
- thread-unpaced: the same thread, unpaced: what the GIL does to the frame loop.

For each: median and 99th-percentile working time per frame (events, brush, drawing, blits,
panel; not the wait for the next frame), the share of frames over the 16.7 ms budget, and the
trainer's images per second measured by wall clock while painting.

--quality S: as a new painter would: open the panel, press Train (its first choice, or
--model) and paint for S seconds, counted from the press; then score the generator on screen
with artkit's MNIST classifier, the independent digit judge: how many of the ten digits it
reads legibly and how sure it is (`artkit.gan.metrics.legibility`), plus the usual scores, on
1000 samples (each digit asked for in turn when the model is conditional). The painting's
frame rate over those seconds is printed with it.

--quit S: train for S seconds while painting, then close the window as a painter would and
time how long closing takes (the trainer stops after its step, writes last.pt and best.pt,
and the engine process ends).

Timings depend on what else runs on the machine: the load average is printed first.
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
os.environ.setdefault("ARTKIT_OFFLINE", "1")

import numpy as np  # noqa: E402
import pygame  # noqa: E402

FRAME_BUDGET_MS = 1000 / 60
MODES = {"none": None, "process": ("process", None), "thread": ("thread", None),
         "thread-unpaced": ("thread", 1.0)}


def mouse_script(app, speed_px_s: float = 700.0, events_per_frame: int = 4, stroke_s: float = 2.0):
    """A function (frame, app) -> events: a figure-eight drag, lifted every `stroke_s`."""
    w, h = app.session.size
    cx, cy, ax, ay = w / 2, h / 2, w * 0.38, h * 0.36
    period_s = 3.9 * (ax + ay) / speed_px_s
    stroke_frames = int(stroke_s * 60)

    def at(i):
        t = 2 * math.pi * (i / events_per_frame) / 60 / period_s
        return app.to_window(cx + ax * math.sin(t), cy + ay * math.sin(2 * t))

    def script(frame, _app):
        k = frame % stroke_frames
        first = frame * events_per_frame
        if k == 0:
            return [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=at(first), button=1)]
        if k == stroke_frames - 1:
            return [pygame.event.Event(pygame.MOUSEBUTTONUP, pos=at(first), button=1)]
        return [pygame.event.Event(pygame.MOUSEMOTION, pos=at(i), rel=(0, 0), buttons=(1, 0, 0))
                for i in range(first, first + events_per_frame)]

    return script


NICE = None  # --nice: the worker process's priority (default: the panel's)


def new_app(size, mode):
    from artkit.app.gan_panel import GanPanel
    from artkit.app.paint_app import PaintApp
    from artkit.session import PaintSession

    session = PaintSession(size, brush="flow", seed=1)
    app = PaintApp(session, out_dir=tempfile.gettempdir(), fps=60, plugins=False)
    worker_mode, busy = MODES[mode] or ("process", None)
    extra = {} if NICE is None else {"nice": NICE}
    panel = GanPanel(worker_mode=worker_mode, busy=busy, **extra)
    app.add_panel(panel)
    panel.visible = True
    app.run(max_frames=2)
    return app, panel


def wait_for(app, condition, timeout=120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not condition():
        app.run(max_frames=1)
    return condition()


def start_training(app, panel) -> None:
    from artkit.gan.lab import LabState

    panel.lab.start_training()
    if not wait_for(app, lambda: panel.lab.state == LabState.TRAINING and
                    panel.lab.images_seen > 0):
        raise SystemExit(f"training did not start: {panel.lab.message}")
    app.run(max_frames=120)  # settle: the first steps and samples


def measure(size, mode, seconds):
    app, panel = new_app(size, mode)
    try:
        if MODES[mode] is not None:
            start_training(app, panel)
        script = mouse_script(app)
        app.run(max_frames=120, script=script)  # warm up: brush caches, the noise field
        seen0, t0 = panel.lab.images_seen, time.perf_counter()
        stats = app.run(max_frames=int(seconds * 60), script=script)
        wall = time.perf_counter() - t0
        rate = (panel.lab.images_seen - seen0) / wall if MODES[mode] is not None else 0.0
        ms = np.asarray(stats.frame_times) * 1000
        return {"mode": mode, "median": float(np.median(ms)), "p99": float(np.percentile(ms, 99)),
                "over": float((ms > FRAME_BUDGET_MS).mean()), "frames": len(ms),
                "fps": len(ms) / wall, "rate": rate}
    finally:
        app.close()


def quality(size, seconds, shot=None, model=None):
    from artkit.gan import lab as gan_lab
    from artkit.gan import worker as gw
    from artkit.gan.checkpoint import load_generator
    from artkit.gan.lab import LabState
    from artkit.gan.metrics import digit_scores, legibility
    from artkit.gan.sample import sample_images

    app, panel = new_app(size, "process")
    lab = panel.lab
    try:
        # As a painter would: the panel is open (its engine loads torch), then Train.
        lab.ensure_worker()
        wait_for(app, lambda: lab.state == LabState.IDLE)
        if model:
            lab.model_choice["digits"] = gan_lab.MODELS_BY_KIND["digits"].index(model)
        started = time.perf_counter()
        lab.start_training()
        wait_for(app, lambda: lab.state == LabState.TRAINING)
        print(f"  Train pressed ({lab.model_name}, first choice "
              f"{gan_lab.FIRST_CHOICE.get(lab.device_text.split(' ')[0])}); training after "
              f"{time.perf_counter() - started:.1f} s (batch {lab.batch_size}, overrides "
              f"{gan_lab.MODEL_OVERRIDES.get(lab.model_name)})")
        stats = app.run(max_frames=int(max(0, seconds - (time.perf_counter() - started)) * 60),
                        script=mouse_script(app))
        painted_for = time.perf_counter() - started
        preview = lab.preview
        path = os.path.join(tempfile.mkdtemp(), "at_time.pt")
        lab.worker.save(path, preview.step, "save")
        wait_for(app, lambda: os.path.exists(path), timeout=30)
        app.run(max_frames=30)
        if shot:
            pygame.image.save(app.screen, shot)
        generator, _ = load_generator(path)
        asked = generator.labels_in_turn(1000)
        many = sample_images(generator, 1000, seed=123)
        scores = {**digit_scores(many), **legibility(many, None if asked is None else
                                                     asked.numpy())}
        on_screen = legibility(np.asarray(preview.images))
        ms = np.asarray(stats.frame_times) * 1000
        print(f"  after {painted_for:.0f} s: step {preview.step:,}, {lab.images_seen:,} images; "
              f"painting {len(ms) / painted_for:.1f} fps over those seconds, median "
              f"{np.median(ms):.1f} ms, p99 {np.percentile(ms, 99):.1f} ms, "
              f"{(ms > FRAME_BUDGET_MS).mean():.1%} over 16.7 ms")
        print(f"  1000 samples: {scores['legible_kinds']}/10 legible digit kinds, judge "
              f"confidence {scores['confidence']:.2f}, {scores['classes_covered']} classes "
              f"covered, FID {scores['fid']:.2f}, KL {scores['kl']:.3f}")
        print(f"  the grid's {len(preview.images)}: {on_screen['legible_kinds']} legible kinds, "
              f"confidence {on_screen['confidence']:.2f}")
        assert isinstance(preview, gw.Preview)
    finally:
        app.close()


def quit_time(size, seconds, repeat: int = 1):
    """Seconds from closing the window mid-training to the engine being gone, `repeat` times."""
    from artkit.gan.lab import LabState

    for _ in range(repeat):
        app, panel = new_app(size, "process")
        start_training(app, panel)
        app.run(max_frames=int(seconds * 60), script=mouse_script(app))
        worker, run_dir = panel.lab.worker, panel.lab.run_dir
        assert panel.lab.state == LabState.TRAINING
        started = time.perf_counter()
        app.close()
        took = time.perf_counter() - started
        kept = [name for name in ("last.pt", "best.pt") if (run_dir / name).exists()]
        print(f"  closing mid-training took {took:.2f} s; engine alive after: {worker.alive}; "
              f"kept {', '.join(kept)} (step {panel.lab.step:,})")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="painting time per mode")
    parser.add_argument("--size", default="1024x768", help="canvas size (default 1024x768)")
    parser.add_argument("--modes", default="none,process,thread,thread-unpaced")
    parser.add_argument("--quality", type=float, default=None, metavar="S",
                        help="instead: train S seconds while painting, then score")
    parser.add_argument("--shot", default=None, help="with --quality: save the window here")
    parser.add_argument("--model", default=None,
                        help="with --quality: this model instead of the panel's first choice")
    parser.add_argument("--quit", type=float, default=None, metavar="S",
                        help="instead: train S seconds while painting, then time closing")
    parser.add_argument("--repeat", type=int, default=1, help="with --quit: how many times")
    parser.add_argument("--batch", type=int, default=None,
                        help="with --quality: batch size (default: the panel's)")
    parser.add_argument("--lr", type=float, default=None,
                        help="with --quality: the model's learning rate (default: the lab's)")
    parser.add_argument("--nice", type=int, default=None,
                        help="CPU priority offset of the worker process (default: the panel's)")
    args = parser.parse_args(argv)
    global NICE
    NICE = args.nice
    from artkit.gan import lab as gan_lab

    if args.batch:
        gan_lab.BATCH_SIZE = args.batch
    if args.lr:
        gan_lab.MODEL_OVERRIDES[args.model or "mlp"] = {"lr": args.lr}
    w, h = (int(v) for v in args.size.lower().split("x"))
    print(f"{os.cpu_count()} CPUs; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; canvas {w}x{h}, flow brush")
    pygame.display.init()
    if args.quality:
        quality((w, h), args.quality, args.shot, args.model)
        return 0
    if args.quit:
        quit_time((w, h), args.quit, args.repeat)
        return 0
    rows = []
    for mode in args.modes.split(","):
        print(f"  {mode}…", flush=True)
        rows.append(measure((w, h), mode.strip(), args.seconds))
    base = rows[0]
    print(f"\n{'mode':<15}{'median ms':>10}{'p99 ms':>9}{'> 16.7 ms':>11}{'fps':>7}"
          f"{'trainer img/s':>15}{'p99 / ' + base['mode']:>14}")
    for r in rows:
        print(f"{r['mode']:<15}{r['median']:>10.2f}{r['p99']:>9.2f}{r['over']:>10.1%}"
              f"{r['fps']:>7.1f}{r['rate']:>15,.0f}{r['p99'] / base['p99']:>14.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
