"""Threads drawing bands of one canvas (artkit.threaded): the pixels of one thread, no worker
processes for what compiled code draws, errors that surface, and memory that stays bounded."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from artkit import discs, parallel, threaded
from artkit.canvas import Canvas
from artkit.session import PaintSession
from artkit.strokes import CIRCLE, LINE, Strokes, compiled_drawer

pytestmark = pytest.mark.skipif(
    compiled_drawer(Strokes(LINE, [[[0, 0], [1, 1]]], (0, 0, 0, 9), 1.0)) is None,
    reason="the compiled drawing loops are not built here")

PAPER = (248, 245, 238)


@pytest.fixture(scope="module", autouse=True)
def no_pool_left_behind():
    yield
    parallel.shutdown()


@pytest.mark.parametrize("brush, scale", [("flow", 1.0), ("dabs", 1.0), ("curves", 2.0),
                                          ("flow_weighted", 0.5)])
def test_bands_on_threads_equal_one_thread_and_start_no_process(brush, scale):
    parallel.shutdown()
    pictures = {}
    for jobs in (1, 2, 3):
        session = PaintSession((150, 101), brush=brush, seed=4, jobs=jobs, scale=scale)
        session.paint_until_covered(300)
        pictures[jobs] = session.canvas.pixels().copy()
    np.testing.assert_array_equal(pictures[2], pictures[1])
    np.testing.assert_array_equal(pictures[3], pictures[1])
    assert parallel.worker_pids() == []


def dab_batch(seed: int, n: int = 400) -> Strokes:
    rng = np.random.default_rng(seed)
    return Strokes(CIRCLE, rng.uniform(-10, 110, (n, 2)), rng.integers(0, 256, (n, 4)),
                   rng.uniform(1.5, 20, n))


def assert_bands_draw_as_one(batches, size, after_each=lambda: None) -> None:
    """`batches` drawn by two bands give the pixels one canvas drawing them in turn gives;
    `after_each` runs after each batch is handed to the bands."""
    serial = Canvas(*size, background=PAPER)
    for strokes in batches:
        serial.draw(strokes)
    canvas = Canvas(*size, background=PAPER)
    renderer = parallel.renderer_for(canvas, 2)
    for strokes in batches:
        renderer.draw(strokes)
        after_each()
    renderer.finish()
    np.testing.assert_array_equal(canvas.pixels(), serial.pixels())
    renderer.close()


def test_the_mask_atlas_starting_afresh_while_bands_draw_changes_nothing():
    # pending bands keep the atlas they were given
    assert_bands_draw_as_one([dab_batch(seed) for seed in range(6)], (100, 90),
                             after_each=discs._masks.clear)


def test_an_error_in_a_band_surfaces_when_the_canvas_is_read(monkeypatch):
    def broken(strokes, scale=1.0):
        def draw(pixels, rows):
            raise ValueError("a band could not draw")
        return draw

    monkeypatch.setattr("artkit.strokes.compiled_drawer", broken)
    renderer = parallel.renderer_for(Canvas(40, 40, background=PAPER), 2)
    renderer.draw(dab_batch(1))   # returns: the bands draw in the background
    with pytest.raises(ValueError, match="could not draw"):
        renderer.finish()
    renderer.finish()   # reported once; nothing is left pending
    renderer.close()


def test_queued_batches_stay_bounded(monkeypatch):
    monkeypatch.setattr(threaded, "MAX_PENDING_BYTES", 1)
    renderer = parallel.renderer_for(Canvas(60, 60, background=PAPER), 2)
    for seed in range(5):
        renderer.draw(dab_batch(seed, 50))
        assert len(renderer._pending) <= 1
    renderer.finish()
    assert not renderer._pending
    renderer.close()


def test_batches_skia_draws_wait_for_the_bands_and_keep_their_order():
    """Squares (skia) between compiled batches: each drawn after the ones before it."""
    rng = np.random.default_rng(3)
    squares = Strokes(4, rng.uniform(0, 80, (200, 2)), rng.integers(0, 256, (200, 4)), 9.0)
    assert_bands_draw_as_one([dab_batch(7), squares, dab_batch(8), squares, dab_batch(9)],
                             (90, 80))


def test_stopping_drops_the_batches_no_band_has_started(monkeypatch):
    """Ctrl+C (cli calls stop_drawing): the batch being drawn finishes, the queued ones are
    never drawn, so the program ends at once instead of after all of them."""
    started, release, drawn = threading.Event(), threading.Event(), []

    def slow(strokes, scale=1.0):
        def draw(pixels, rows):
            started.set()
            release.wait(5)
            drawn.append(rows)
        return draw

    monkeypatch.setattr("artkit.strokes.compiled_drawer", slow)
    renderer = parallel.renderer_for(Canvas(40, 40, background=PAPER), 2)
    for seed in range(4):
        renderer.draw(dab_batch(seed, 10))
    assert started.wait(5)
    threaded.stop_drawing()
    release.set()
    renderer.finish()
    assert len(drawn) <= 2   # at most the first batch, in each of the two bands
    renderer.close()


@pytest.mark.slow
def test_ctrl_c_mid_replay_on_threads_ends_with_nothing_written(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    session = PaintSession((400, 300), brush="flow", seed=2)
    session.paint_until_covered(3000)
    session.save_as(tmp_path / "p.png")
    out = tmp_path / "big.png"
    process = subprocess.Popen([sys.executable, "-m", "artkit", "replay",
                                str(tmp_path / "p.strokes"), "--scale", "8", "--jobs", "2",
                                "--quiet", "--out", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)   # imports done, the bands drawing
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode in (130, 0)   # 0: a fast machine finished first
    assert "Traceback" not in err
    assert out.exists() == (process.returncode == 0)
