"""Paint until covered: one rule, the same marks in the window, in `render` and in a session."""

import numpy as np
import pygame
import pytest

from artkit import autopaint
from artkit.app.paint_app import PaintApp
from artkit.cli import main
from artkit.session import PAPER, PaintSession
from artkit.source import SourceImage
from artkit.strokelog import StrokeLog

SIZE = (160, 120)


def gestures(log: StrokeLog) -> list:
    """The marks of each gesture as bytes, to compare logs made by different front ends."""
    return [b"".join(s.points.tobytes() + s.rgba.tobytes() + s.width.tobytes()
                     for s in g.strokes) for g in log.gestures]


def window_autopaint(session, plugins=False, monkeypatch=None):
    """Press A in a headless window and run frames until autopaint says it is finished: one
    batch a frame when `monkeypatch` is given (a small canvas might otherwise be done in one
    frame, and the test is that the window's frame-by-frame steps paint the same)."""
    if monkeypatch is not None:
        monkeypatch.setattr("artkit.app.paint_app.AUTOPAINT_BUDGET_S", 0.0)
    app = PaintApp(session, fps=None, plugins=plugins)
    app.run(max_frames=1)
    a = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_a, mod=0, unicode="a")
    app.run(max_frames=1, script=[[a]])
    frames = 0
    while app.autopaint and frames < 5000:
        app.run(max_frames=1)
        frames += 1
    assert not app.autopaint and frames > 1
    messages = list(app.toasts.messages)
    app.close()
    return messages


@pytest.mark.parametrize("brush", ["dabs", "flow"])
def test_render_window_and_session_paint_identical_logs(tmp_path, brush, monkeypatch):
    monkeypatch.setenv("ARTKIT_HOME", str(tmp_path / "home"))
    out = tmp_path / "r.png"
    assert main(["render", "--brush", brush, "--size", "160x120", "--seed", "5", "--out",
                 str(out), "--quiet"]) == 0
    rendered = StrokeLog.load(out.with_suffix(".strokes"))

    in_window = PaintSession(SIZE, brush=brush, seed=5)
    messages = window_autopaint(in_window, monkeypatch=monkeypatch)
    headless = PaintSession(SIZE, brush=brush, seed=5)
    run = headless.paint_until_covered()

    assert run.reason in ("covered", "stalled") and run.covered > 0.95
    assert any("Autopaint finished" in m for m in messages)
    assert gestures(rendered) == gestures(in_window.log) == gestures(headless.log)
    assert len(rendered.gestures) == len(run.history)   # one undo step per check
    assert np.array_equal(in_window.canvas.pixels(), headless.canvas.pixels())


@pytest.mark.parametrize("brush", ["flow", "curves", "flow_weighted", "broad_short", "dabs"])
def test_a_whole_period_at_once_paints_what_batch_by_batch_paints(brush):
    """run() computes a period's batches together (artkit.brushes.flow); step() one by one,
    as the window does: the same marks, in the same gestures, on the same pixels."""
    source = SourceImage.default(SIZE)
    together, one_by_one = (PaintSession(SIZE, source, brush=brush, seed=9) for _ in range(2))
    run = together.paint_until_covered(700)
    stepping = one_by_one.start_autopaint(700)
    while stepping.step():
        pass
    assert run.done == stepping.done == 700
    assert gestures(together.log) == gestures(one_by_one.log)
    assert np.array_equal(together.canvas.pixels(), one_by_one.canvas.pixels())


def test_batches_computed_together_equal_batches_computed_alone():
    from artkit.brushes import make_brush

    source = SourceImage.default(SIZE)
    counts = [7, 1, 0, 12, 3]
    brush = make_brush("flow_weighted")
    joined = brush.autopaint_batches(source, counts, np.random.default_rng(2))
    rng = np.random.default_rng(2)
    alone = [brush.autopaint(source, n, rng) for n in counts if n]
    assert len(joined) == len(alone) == 4
    for a, b in zip(joined, alone):
        for field in ("points", "rgba", "width", "group"):
            assert np.array_equal(getattr(a, field), getattr(b, field)), field


def test_batches_depend_on_the_canvas_and_brush_not_the_clock():
    check, batch = autopaint.batch_sizes((1024, 768), 16)
    assert (check, batch) == (384, 24)
    assert autopaint.batch_sizes((1024, 768), 200) == (20, 2)      # at least 20 a check
    assert autopaint.batch_sizes((8000, 8000), 1) == (2000, 125)   # at most 2000
    assert autopaint.batch_sizes((1, 1), 16) == (20, 2)


def test_exactly_n_touches(tmp_path):
    session = PaintSession(SIZE, brush="dabs", seed=1)
    run = session.paint_until_covered(touches=77)
    assert run.done == 77 and run.reason == "done"
    assert session.log.stroke_count() == 77 * session.brush.marks_per_touch()


def test_a_source_the_colour_of_the_paper_ends_instead_of_looping():
    paper = SourceImage.from_array(np.full((SIZE[1], SIZE[0], 3), np.float32(PAPER) / 255))
    session = PaintSession(SIZE, paper, brush="dabs", seed=1)
    run = session.paint_until_covered()
    assert run.finished and run.reason in ("covered", "stalled") and run.done < run.cap


class Blank:
    """A stand-in session whose canvas never changes, whatever is painted."""

    size = SIZE
    brush = type("B", (), {"size": 16.0})()

    def __init__(self):
        self.canvas = type("C", (), {})()
        pixels = np.zeros((SIZE[1], SIZE[0], 4), np.uint8)
        self.canvas.pixels = lambda: pixels
        self.canvas.snapshot = pixels.copy
        self.painted = 0

    def autopaint(self, n):
        self.painted += n

    def autopaint_batches(self, counts):
        self.painted += sum(counts)

    def end_gesture(self):
        pass


def test_coverage_that_stops_growing_ends_the_run():
    session = Blank()
    run = autopaint.Autopaint(session).run()
    assert run.reason == "stalled" and len(run.history) == autopaint.STALL_CHECKS + 1
    assert session.painted == run.done == run.check_every * (autopaint.STALL_CHECKS + 1)


def test_stopping_keeps_what_was_painted_as_an_undo_step():
    session = PaintSession(SIZE, brush="flow", seed=1)
    run = session.start_autopaint()
    for _ in range(3):
        run.step()
    run.stop()
    assert run.finished and run.reason == "stopped" and not run.step()
    assert len(session.log.gestures) == 1 and session.log.stroke_count() > 0
    assert session.undo() and session.log.stroke_count() == 0


def test_coverage_counts_every_changed_pixel():
    reference = np.zeros((10, 10, 4), np.uint8)
    now = reference.copy()
    now[:5] = 9
    now[9, 9, 2] = 1            # one channel of one pixel is a change too
    assert autopaint.coverage(now, reference) == 0.51
    assert autopaint.coverage(reference, reference) == 0.0
