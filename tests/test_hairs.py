"""Line marks drawn by the compiled artkit._hairs: close to skia's drawing of the same marks,
the same bytes whatever rows are asked for, runs skia refuses left out, bad arguments
refused, and skia drawing everything when the module is missing or exact marks are asked for.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import skia

from artkit import strokes as strokes_module
from artkit.canvas import Canvas
from artkit.cli import build_parser
from artkit.commands.render import speed_choice
from artkit.strokes import (CURVE, LINE, POLYLINE, Strokes, exact_marks, render_strokes,
                            run_starts, use_exact_marks)

hairs = pytest.importorskip("artkit._hairs")

PAPER = (248, 245, 238)


def clumps(kind, width, seed, n=40, lines=6, points=9, size=(160, 120)) -> Strokes:
    """Clumps of hairs walking from random starts, like the flow brush's: each clump one
    colour and width, its hairs starting a few px apart and turning together."""
    rng = np.random.default_rng(seed)
    w, h = size
    starts = rng.uniform((-10, -10), (w + 10, h + 10), (n, 1, 2))
    spread = rng.normal(0, 3, (n, lines, 2))
    angle = rng.uniform(0, 2 * np.pi, (n, 1, 1)) + np.cumsum(
        rng.normal(0, 0.25, (n, 1, points)), axis=2)
    steps = np.stack([np.cos(angle), np.sin(angle)], -1) * 4.0          # (n, 1, points, 2)
    walk = np.cumsum(steps, axis=2) + (starts + spread)[:, :, None, :]  # (n, lines, points, 2)
    pts = walk.reshape(n * lines, points, 2).astype(np.float32)
    rgba = np.repeat(rng.integers(0, 256, (n, 4)), lines, axis=0)
    rgba[:, 3] = np.repeat(rng.integers(20, 140, n), lines)   # as translucent as brushes paint
    return Strokes(kind, pts, rgba, width, np.repeat(np.arange(n), lines))


def drawn(strokes, exact, size=(160, 120), scale=1.0) -> np.ndarray:
    canvas = Canvas(*size, background=PAPER)
    render_strokes(canvas.sk, strokes, scale, pixels=canvas.pixels(), exact=exact)
    return canvas.pixels().copy()


def difference(a, b) -> np.ndarray:
    return np.abs(a[..., :3].astype(int) - b[..., :3].astype(int))


@pytest.mark.parametrize("kind, width, mean, p99", [
    # skia's own antialiasing moves by about as much when a mark moves by 1/10 px
    (POLYLINE, 2.0, 0.7, 10),   # the flow brush's hairs
    (POLYLINE, 5.0, 0.4, 7),    # broad ones, with solid cores
    (POLYLINE, 1.4, 0.8, 11),   # just wider than a hairline
    (POLYLINE, 0.6, 0.2, 2),    # skia's thin strokes: hairlines with the alpha scaled down
    (POLYLINE, 1.0, 0.25, 3),
    (CURVE, 2.5, 0.7, 9),       # quadratic B-splines, cut into straight pieces
    (CURVE, 0.8, 0.4, 5),
])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_lines_look_like_skias(kind, width, mean, p99, seed):
    marks = clumps(kind, width, seed)
    d = difference(drawn(marks, exact=False), drawn(marks, exact=True))
    assert d.mean() < mean
    assert np.percentile(d, 99) <= p99
    assert (d <= 3).mean() > 0.93


def test_single_segments_and_dots_look_like_skias():
    rng = np.random.default_rng(5)
    a = rng.uniform(0, 160, (300, 1, 2))
    b = a + rng.normal(0, 6, (300, 1, 2)) * rng.integers(0, 2, (300, 1, 1))  # a third dots
    marks = Strokes(LINE, np.concatenate([a, b], axis=1), rng.integers(0, 256, (300, 4)),
                    rng.choice([0.5, 1.0, 2.0, 3.0], 300))
    d = difference(drawn(marks, exact=False), drawn(marks, exact=True))
    assert d.mean() < 1.0 and np.percentile(d, 99) <= 12


def test_clumps_are_one_union_where_their_hairs_cross():
    """Two hairs of one clump crossing blend once there; as two clumps, twice."""
    cross = np.array([[[10, 30], [70, 30]], [[40, 5], [40, 55]]], np.float32)
    one = drawn(Strokes(LINE, cross, (0, 0, 0, 120), 4.0, [0, 0]), exact=False, size=(80, 60))
    two = drawn(Strokes(LINE, cross, (0, 0, 0, 120), 4.0, [0, 1]), exact=False, size=(80, 60))
    assert (one[30, 40] == one[30, 20]).all()   # the crossing is as light as the rest
    assert two[30, 40, 0] < one[30, 40, 0]


@pytest.mark.parametrize("kind, width", [(POLYLINE, 2.0), (POLYLINE, 0.7), (CURVE, 3.5)])
def test_rows_drawn_apart_join_into_the_same_bytes(kind, width):
    marks = clumps(kind, width, 3)
    runs = run_starts(marks).astype(np.int64)
    background = np.full((120, 160, 4), 255, np.uint8)
    background[..., :3] = PAPER

    def draw(top, bottom, canvas):
        hairs.draw(canvas, marks.points, marks.rgba, marks.width, runs, kind == CURVE,
                   top, bottom)

    whole = background.copy()
    draw(0, 120, whole)
    for cuts in ([0, 60, 120], [0, 1, 37, 38, 119, 120], [0, 40, 80, 120], [0, 7, 120]):
        banded = background.copy()
        for top, bottom in zip(cuts[:-1], cuts[1:]):
            band = background.copy()
            draw(top, bottom, band)
            untouched = np.ones(120, bool)
            untouched[top:bottom] = False
            assert (band[untouched] == background[untouched]).all()   # only its rows
            banded[top:bottom] = band[top:bottom]
        np.testing.assert_array_equal(banded, whole)


def test_runs_with_a_non_finite_point_are_left_out_as_skia_leaves_them():
    marks = clumps(POLYLINE, 2.0, 4, n=6)
    broken = Strokes(POLYLINE, marks.points.copy(), marks.rgba, marks.width, marks.group)
    broken.points[8, 3, 0] = np.nan    # clump 1 (marks 6-11)
    broken.points[27, 0, 1] = np.inf   # clump 4
    keep = np.ones(len(marks), bool)
    keep[6:12] = keep[24:30] = False
    fast = drawn(broken, exact=False)
    np.testing.assert_array_equal(fast, drawn(marks[keep], exact=False))
    assert difference(fast, drawn(broken, exact=True)).mean() < 1.0


def test_marks_over_the_edges_and_far_away():
    w, h = 160, 120
    lines = np.array([
        [[-30, -20], [190, 140]],       # corner to corner and beyond
        [[80, -500], [81, 700]],        # through the top and bottom
        [[1e9, 30], [-1e9, 31]],        # huge but finite: cut to the canvas first
        [[-40, 60], [-5, 60]],          # just outside the left edge, its cap inside
        [[300, 300], [400, 420]],       # nowhere near
        [[159.7, 0.2], [159.7, 0.2]],   # a dot on a corner
    ], np.float32)
    for width in (0.7, 2.0, 12.0):
        marks = Strokes(LINE, lines, (20, 30, 200, 150), width)
        d = difference(drawn(marks, exact=False, size=(w, h)),
                       drawn(marks, exact=True, size=(w, h)))
        assert d.mean() < 1.0 and np.percentile(d, 99.9) <= 20


def test_a_replay_at_a_larger_scale_looks_like_skias():
    marks = clumps(POLYLINE, 2.0, 6, n=20)
    d = difference(drawn(marks, False, (400, 300), 2.5), drawn(marks, True, (400, 300), 2.5))
    assert d.mean() < 0.5


def test_exact_marks_draw_with_skia(monkeypatch):
    marks = clumps(POLYLINE, 2.0, 7)
    skia_drawn = drawn(marks, exact=True)
    assert not np.array_equal(drawn(marks, exact=None), skia_drawn)   # the default: _hairs
    use_exact_marks(True)
    assert exact_marks()
    np.testing.assert_array_equal(drawn(marks, exact=None), skia_drawn)


def test_without_the_module_skia_draws_the_lines(monkeypatch):
    marks = clumps(CURVE, 2.0, 8)
    monkeypatch.setattr(strokes_module, "_hairs", None)
    np.testing.assert_array_equal(drawn(marks, exact=False), drawn(marks, exact=True))


def test_artkit_imports_and_draws_without_the_module():
    code = ("import sys; sys.modules['artkit._hairs'] = None\n"
            "import numpy as np\n"
            "from artkit import strokes\n"
            "from artkit.canvas import Canvas\n"
            "assert strokes._hairs is None\n"
            "canvas = Canvas(40, 30)\n"
            "canvas.draw(strokes.Strokes(strokes.POLYLINE, [[[2, 2], [30, 20], [35, 5]]],"
            " (0, 0, 0, 90), 2.0))\n"
            "assert (canvas.pixels()[..., 0] < 255).any()\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_a_transformed_or_clipped_canvas_gets_skias_lines():
    marks = clumps(POLYLINE, 2.0, 9)
    for change in (lambda sk: sk.translate(3.5, -2), lambda sk: sk.clipRect(
            skia.Rect.MakeLTRB(10, 10, 100, 90))):
        fast, exact = Canvas(160, 120, background=PAPER), Canvas(160, 120, background=PAPER)
        for canvas, flag in ((fast, False), (exact, True)):
            canvas.sk.save()
            change(canvas.sk)
            render_strokes(canvas.sk, marks, pixels=canvas.pixels(), exact=flag)
            canvas.sk.restore()
        np.testing.assert_array_equal(fast.pixels(), exact.pixels())


def test_opaque_ink_and_a_transparent_canvas():
    marks = clumps(POLYLINE, 3.0, 10)
    marks = Strokes(POLYLINE, marks.points, marks.rgba * [1, 1, 1, 0] + [0, 0, 0, 255],
                    marks.width, marks.group)
    for background in (PAPER, (0, 0, 0, 0)):
        canvases = []
        for exact in (False, True):
            canvas = Canvas(160, 120, background=background)
            render_strokes(canvas.sk, marks, pixels=canvas.pixels(), exact=exact)
            canvases.append(canvas.pixels().astype(int))
        d = np.abs(canvases[0] - canvases[1])
        assert d.mean() < 1.5 and (canvases[0][..., :3] <= canvases[0][..., 3:]).all()


def good_arguments():
    marks = clumps(POLYLINE, 2.0, 11, n=3)
    canvas = np.zeros((120, 160, 4), np.uint8)
    return [canvas, marks.points, marks.rgba, marks.width,
            run_starts(marks).astype(np.int64), False, 0, 120]


@pytest.mark.parametrize("index, value, error", [
    (0, np.zeros((120, 160, 3), np.uint8), ValueError),           # not RGBA
    (0, np.zeros((120, 160, 4), np.float32), ValueError),
    (0, np.zeros((240, 160, 4), np.uint8)[::2], ValueError),      # not contiguous
    (0, b"\0" * (120 * 160 * 4), BufferError),                   # read-only
    (1, np.zeros((18, 9, 2), np.float64), ValueError),
    (1, np.zeros((18, 9, 3), np.float32), ValueError),
    (2, np.zeros((17, 4), np.uint8), ValueError),                 # one mark short
    (3, np.zeros(18, np.float64), ValueError),
    (4, np.array([0, 6, 3, 18], np.int64), ValueError),           # runs going back
    (4, np.array([0, 6, 19], np.int64), ValueError),              # past the last mark
    (4, np.array([-1, 18], np.int64), ValueError),
    (4, np.array([0, 18], np.int32), ValueError),
    (4, np.zeros(0, np.int64), ValueError),
    (6, -1, ValueError),                                          # rows outside the canvas
    (7, 121, ValueError),
    (6, 50, ValueError),                                          # top below bottom
    (1, "points", TypeError),
])
def test_bad_arguments_are_refused(index, value, error):
    arguments = good_arguments()
    arguments[index] = value
    if index == 6 and value == 50:
        arguments[7] = 40
    with pytest.raises(error):
        hairs.draw(*arguments)


def test_good_arguments_draw_and_no_runs_draw_nothing():
    arguments = good_arguments()
    hairs.draw(*arguments)
    assert arguments[0].any()
    empty = good_arguments()
    empty[4] = np.array([0], np.int64)   # no runs at all
    hairs.draw(*empty)
    assert not empty[0].any()


@pytest.mark.parametrize("flag", ["--exact", "--exact-dabs"])
def test_exact_on_the_command_line(flag):
    args = build_parser().parse_args(["render", flag, "--jobs", "1"])
    assert speed_choice(args) == 1 and exact_marks()
    args = build_parser().parse_args(["render", "--jobs", "1"])
    speed_choice(args)
    assert not exact_marks()


@pytest.mark.parametrize("command", ["render", "replay"])
def test_the_old_flag_is_not_in_the_help(command, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args([command, "--help"])
    help_text = capsys.readouterr().out
    assert "--exact " in help_text and "--exact-dabs" not in help_text


def test_lines_wider_than_the_loop_pays_for_go_to_skia():
    """A batch with a line wider than HAIRS_MAX_WIDTH device px is drawn by skia, all of it
    (a clump 13,000 px wide took the loop 6.7x longer); narrower ones by the loop."""
    wide = Strokes(POLYLINE, [[[10, 10], [50, 40], [90, 20]], [[5, 60], [95, 70], [40, 90]]],
                   [(200, 30, 30, 90), (30, 30, 200, 120)], [3.0, 40.0], [0, 1])
    assert strokes_module.compiled_drawer(wide) is None
    skia_drawn, default = Canvas(100, 100), Canvas(100, 100)
    strokes_module.render_strokes(skia_drawn.sk, wide, pixels=skia_drawn.pixels(), exact=True)
    default.draw(wide)
    assert np.array_equal(default.pixels(), skia_drawn.pixels())
    narrow = Strokes(POLYLINE, wide.points, wide.rgba, [3.0, 20.0], [0, 1])
    assert strokes_module.compiled_drawer(narrow) is not None
