"""Drawing on every core (artkit.parallel): byte-identical pixels, workers that die, and no
shared memory left behind.

Every comparison is against the same painting drawn in this process (jobs=1), byte for byte.
THRESHOLD is set to 0 so even these small canvases go through the worker processes, and marks
are drawn by skia (exact) unless a test says otherwise: what compiled code draws goes to
threads instead (artkit.threaded), with processes only for the rest.
"""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from artkit import parallel
from artkit.canvas import Canvas
from artkit.errors import ArtkitError
from artkit.session import PaintSession
from artkit.strokelog import StrokeLog
from artkit.strokes import CIRCLE, CURVE, LINE, POLYLINE, SQUARE, Strokes, use_exact_marks
from artkit.timelapse import timelapse_frames

SHM = Path("/dev/shm")
PAPER = (248, 245, 238)


@pytest.fixture(scope="module", autouse=True)
def no_pool_left_behind():
    """The pool's workers end with this module, not with the whole test run."""
    yield
    parallel.shutdown()


@pytest.fixture(autouse=True)
def pool_for_everything(monkeypatch):
    monkeypatch.setattr(parallel, "THRESHOLD", 0)
    use_exact_marks(True)   # conftest.py switches it back after each test


def painted(size, brush, touches, jobs, scale=1.0, seed=3):
    session = PaintSession(size, brush=brush, seed=seed, jobs=jobs, scale=scale)
    session.paint_until_covered(touches)
    return session


def pixels(session) -> np.ndarray:
    return session.canvas.pixels().copy()


@pytest.mark.parametrize("size, brush, touches, scale", [
    ((97, 61), "flow", 120, 1.0),        # odd sizes: bands of unequal rows
    ((160, 120), "dabs", 150, 1.0),      # round dabs: the pre-rasterised discs
    ((120, 90), "curves", 80, 2.0),      # quadratic curves at twice the size
    ((128, 128), "squares", 120, 1.5),
    ((200, 40), "flow", 150, 0.5),       # a wide, short canvas at half size
])
@pytest.mark.parametrize("exact", [True, False])   # worker processes; threads (but squares)
def test_parallel_paintings_equal_one_process_byte_for_byte(size, brush, touches, scale, exact):
    use_exact_marks(exact)
    serial = painted(size, brush, touches, jobs=1, scale=scale)
    for jobs in (2, 3):
        session = painted(size, brush, touches, jobs=jobs, scale=scale)
        assert session.log.stroke_count() == serial.log.stroke_count()
        assert session.last_autopaint.history == serial.last_autopaint.history
        np.testing.assert_array_equal(pixels(session), pixels(serial))
    if exact:
        assert len(parallel.worker_pids()) >= 3


def edge_marks(h: int) -> list[Strokes]:
    """Marks straddling the rows where bands of 2 and 3 workers meet, wide and thin,
    antialiased, translucent, in one clump and alone, plus ones with a NaN and huge values."""
    rng = np.random.default_rng(7)
    edges = [h / 2, h / 3, 2 * h / 3]
    batches = []
    for y in edges:
        for offset in (-2.6, -0.5, 0.0, 0.49, 1.3, 3.9):
            ys = y + offset
            line = [[5.3, ys - 1.7], [90.1, ys + 0.6]]
            batches.append(Strokes(LINE, [line, [[3, ys], [60, ys - 0.2]]],
                                   [(200, 40, 30, 90), (20, 40, 230, 140)], [3.5, 0.7],
                                   [1, 1]))
        pts = rng.normal([60, y], [30, 4], (40, 5, 2)).astype(np.float32)
        batches.append(Strokes(POLYLINE, pts, rng.integers(0, 256, (40, 4)), 2.0,
                               np.arange(40) // 8))
        batches.append(Strokes(CURVE, pts, rng.integers(0, 256, (40, 4)), 4.0))
        dabs = rng.normal([60, y], [30, 3], (60, 2))
        batches.append(Strokes(CIRCLE, dabs, rng.integers(0, 256, (60, 4)),
                               rng.uniform(1, 30, 60)))
        batches.append(Strokes(SQUARE, dabs[::-1], rng.integers(0, 256, (60, 4)),
                               rng.uniform(1, 12, 60)))
    odd = np.array([[[np.nan, 5], [40, 20]], [[1e9, 30], [-1e9, 31]], [[10, 10], [50, 50]]],
                   np.float32)
    batches.append(Strokes(LINE, odd, (0, 0, 0, 200), 3.0))
    batches.append(Strokes(CIRCLE, [[np.inf, 20], [40, np.nan], [30, 30]], (9, 9, 9, 99), 5))
    return batches


@pytest.mark.parametrize("h, scale", [(64, 1.0), (95, 1.0), (64, 2.5)])
@pytest.mark.parametrize("exact", [False, True])
def test_marks_across_band_edges_are_identical(h, scale, exact):
    use_exact_marks(exact)
    batches = edge_marks(h)
    w, hh = round(128 * scale), round(h * scale)
    serial = Canvas(w, hh, background=PAPER)
    for strokes in batches:
        serial.draw(strokes, scale)
    for jobs in (2, 3):
        canvas = Canvas(w, hh, background=PAPER)
        renderer = parallel.renderer_for(canvas, jobs)
        for strokes in batches:
            renderer.draw(strokes, scale)
        renderer.finish()
        np.testing.assert_array_equal(canvas.pixels(), serial.pixels())
        renderer.close()


def test_replay_at_scale_4_and_time_lapse_match_one_process(tmp_path):
    session = painted((64, 48), "dabs", 60, jobs=1)
    session.save_as(tmp_path / "p.png")
    log = StrokeLog.load(tmp_path / "p.strokes")
    big = {jobs: pixels(PaintSession.from_log(log, 4.0, open_source=False, jobs=jobs)[0])
           for jobs in (1, 2)}
    np.testing.assert_array_equal(big[2], big[1])
    frames = {jobs: list(timelapse_frames(log, 5, scale=2.0, jobs=jobs)) for jobs in (1, 2)}
    for a, b in zip(frames[1], frames[2]):
        np.testing.assert_array_equal(a, b)


def test_the_canvas_can_be_read_and_changed_between_parallel_batches():
    """Undo, clear and redo change the canvas in this process between pooled batches."""
    def paint(jobs):
        session = PaintSession((90, 70), brush="flow", seed=5, jobs=jobs)
        rng = np.random.default_rng(1)
        seen = []
        for i in range(12):
            session.begin_gesture()
            session.paint(rng.uniform(0, 90, (6, 2)))
            session.end_gesture()
            if i == 5:
                session.undo()
            if i == 8:
                session.clear()
                session.undo()
                session.redo()
            seen.append(session.canvas.pixels().sum())
        return seen, pixels(session)

    assert paint(2)[0] == paint(1)[0]
    np.testing.assert_array_equal(paint(2)[1], paint(1)[1])


def test_a_worker_that_dies_is_replaced_and_the_picture_is_unchanged():
    serial = painted((120, 80), "flow", 200, jobs=1)
    session = PaintSession((120, 80), brush="flow", seed=3, jobs=2)
    run = session.start_autopaint(200)
    run.step()
    run.step()   # the workers hold batches now
    victim = parallel.worker_pids()[0]
    os.kill(victim, signal.SIGKILL)
    run.run()
    np.testing.assert_array_equal(pixels(session), pixels(serial))
    assert victim not in parallel.worker_pids()


def test_workers_that_keep_dying_stop_the_render_with_one_sentence(monkeypatch):
    monkeypatch.setattr(parallel, "MAX_RESTARTS", 0)
    session = PaintSession((120, 80), brush="flow", seed=3, jobs=2)
    session.autopaint(20)
    os.kill(parallel.worker_pids()[0], signal.SIGKILL)
    with pytest.raises(ArtkitError) as info:
        session.autopaint(20)
        session.canvas
    message = str(info.value)
    assert message.count(".") == 1 and message.endswith("to draw in one process.")
    assert "--jobs 1" in message


def leftover(pid: int) -> list[str]:
    return sorted(p.name for p in SHM.glob(f"{parallel.SHM_PREFIX}{pid}-*"))


def test_no_shared_memory_is_left_by_a_renderer_that_closes_or_is_dropped():
    gc.collect()
    before = set(leftover(os.getpid()))
    canvas = Canvas(64, 64, background=PAPER)
    renderer = parallel.renderer_for(canvas, 2)
    renderer.draw(edge_marks(64)[0])
    renderer.finish()
    if SHM.is_dir():
        assert set(leftover(os.getpid())) - before
    renderer.close()
    other = parallel.renderer_for(Canvas(32, 32), 2)
    other.draw(edge_marks(32)[0])
    del other
    if SHM.is_dir():
        assert set(leftover(os.getpid())) - before == set()


def render_command(tmp_path, *extra, size="700x700"):
    code = ("import sys; from artkit import parallel; parallel.THRESHOLD = 0; "
            "from artkit.cli import main; sys.exit(main(sys.argv[1:]))")
    return [sys.executable, "-c", code, "render", "--brush", "dabs", "--size", size,
            "--jobs", "2", "--exact", "--quiet", "--out", str(tmp_path / "out.png"), *extra]


@pytest.mark.skipif(not SHM.is_dir(), reason="shared memory is not in /dev/shm here")
def test_no_shared_memory_is_left_after_a_render(tmp_path):
    process = subprocess.Popen(render_command(tmp_path, "--strokes", "40", size="200x150"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert err == ""   # no warnings from the resource tracker either
    assert (tmp_path / "out.png").is_file()
    assert leftover(process.pid) == []


@pytest.mark.slow
@pytest.mark.skipif(not SHM.is_dir(), reason="shared memory is not in /dev/shm here")
@pytest.mark.parametrize("whole_group", [False, True])
def test_ctrl_c_mid_render_leaves_no_shared_memory(tmp_path, whole_group):
    """Ctrl+C in a terminal signals the whole process group; `kill -INT` only the main."""
    process = subprocess.Popen(render_command(tmp_path), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 30
    while not leftover(process.pid) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert leftover(process.pid), "the render never started its workers"
    time.sleep(0.2)   # mid-render
    if whole_group:
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in err
    assert leftover(process.pid) == []
    assert not (tmp_path / "out.png").exists()


@pytest.mark.slow
@pytest.mark.skipif(not SHM.is_dir(), reason="shared memory is not in /dev/shm here")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_main_process_leaves_no_shared_memory(tmp_path, how):
    """kill -9 gives the main process no chance to clean up: its workers notice and do."""
    process = subprocess.Popen(render_command(tmp_path), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 30
    while not leftover(process.pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert leftover(process.pid)
    process.send_signal(how)
    _, err = process.communicate(timeout=30)
    assert "Traceback" not in err
    deadline = time.monotonic() + 10   # the workers notice and unlink it
    while leftover(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert leftover(process.pid) == []


def test_jobs_must_be_a_positive_number(tmp_path, capsys):
    from artkit.cli import main

    assert main(["render", "--jobs", "0", "--out", str(tmp_path / "x.png")]) == 2
    assert capsys.readouterr().err.strip() == "artkit: --jobs must be 1 or more, not 0."
    with pytest.raises(ArtkitError, match="--jobs must be 1 or more"):
        parallel.renderer_for(Canvas(8, 8), 0)
    assert main(["render", "--jobs", "65", "--out", str(tmp_path / "x.png")]) == 2
    message = capsys.readouterr().err.strip()
    assert message.startswith("artkit: --jobs must be at most 64, not 65 (this computer has")
    assert message.count(".") == 1 and not (tmp_path / "x.png").exists()


def test_one_job_or_one_core_draws_in_this_process(monkeypatch):
    assert isinstance(parallel.renderer_for(Canvas(8, 8), 1), parallel.InProcess)
    monkeypatch.setattr(parallel, "available_cores", lambda: 1)
    assert isinstance(parallel.renderer_for(Canvas(8, 8), None), parallel.InProcess)
    monkeypatch.setattr(parallel, "available_cores", lambda: 4)
    assert parallel.renderer_for(Canvas(8, 8), None).jobs == 4


def test_small_batches_stay_in_process_until_the_work_adds_up(monkeypatch):
    monkeypatch.setattr(parallel, "THRESHOLD", 500)
    canvas = Canvas(64, 64, background=PAPER)
    renderer = parallel.renderer_for(canvas, 2).behind
    small = Strokes(LINE, [[[1, 1], [60, 60]]] * 100, (0, 0, 0, 50), 2.0)   # 100 segments
    for _ in range(4):
        renderer.draw(small)
    assert renderer._workers is None          # 400 < 500: drawn here
    renderer.draw(small)
    assert renderer._workers is not None      # 500: the workers take over
    renderer.finish()
    renderer.draw(small)
    assert renderer._workers is None          # reading the canvas starts the count again
    renderer.close()


def test_a_latent_walk_is_the_same_drawn_in_parallel(tmp_path):
    torch = pytest.importorskip("torch")
    from artkit.gan import checkpoint, models
    from artkit.gan.painting import render_walk

    torch.manual_seed(0)
    config = models.MLPGANConfig(hidden=16, latent_dim=8)
    ckpt = tmp_path / "tiny.pt"
    checkpoint.save_checkpoint(ckpt, model_name="mlp", config=config,
                               generator=models.build_generator(config), step=1)
    walks = [render_walk(str(ckpt), tmp_path / f"walk{jobs}.gif", frames=5, size=(96, 72),
                         jobs=jobs) for jobs in (1, 2)]
    assert walks[0].read_bytes() == walks[1].read_bytes()


def test_without_room_in_shared_memory_the_picture_is_drawn_in_process(monkeypatch):
    monkeypatch.setattr(parallel, "_room_for", lambda nbytes: False)
    batches = edge_marks(64)
    serial = Canvas(128, 64, background=PAPER)
    for strokes in batches:
        serial.draw(strokes)
    canvas = Canvas(128, 64, background=PAPER)
    renderer = parallel.renderer_for(canvas, 2)
    for strokes in batches:
        renderer.draw(strokes)
    renderer.finish()
    assert renderer.behind._memory is None
    np.testing.assert_array_equal(canvas.pixels(), serial.pixels())
