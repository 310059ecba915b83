"""Every brush: coverage, colour faithful to the source, determinism, marks where they belong."""

import json

import numpy as np
import pytest

from artkit.autopaint import coverage as coverage_of
from artkit.brushes import BRUSHES, SIZE_MAX, SIZE_MIN, Brush, clamp_size, make_brush
from artkit.brushes.base import resample_path
from artkit.canvas import Canvas
from artkit.errors import ArtkitError
from artkit.source import SourceImage
from artkit.strokes import Strokes

N = 128
BG = np.array([255, 255, 255], np.float32)
ORANGE = np.array([230, 120, 40], np.float32)
NAMES = list(BRUSHES)
EXPECTED = {"dabs", "squares", "sprinkles", "diagonal", "flow", "flow_grey", "flow_weighted",
            "broad_short", "curves", "mouse_direction", "texture", "painterly"}


def solid(colour=ORANGE, size=N):
    return SourceImage.from_array(np.full((size, size, 3), colour / 255, np.float32))


def two_tone():
    """Dark blue left half, light yellow right half: brightness varies, with one clear edge."""
    arr = np.zeros((N, N, 3), np.float32)
    arr[:, : N // 2] = (0.1, 0.1, 0.35)
    arr[:, N // 2:] = (0.95, 0.9, 0.6)
    return SourceImage.from_array(arr)


def paint(brush, source, touches, seed=0):
    canvas = Canvas(source.width, source.height, background="white")
    marks = brush.autopaint(source, touches, np.random.default_rng(seed))
    canvas.draw(marks)
    return canvas, marks


def coverage(canvas):
    """The share of the canvas painted, by the rule autopaint stops on (every pixel looked at)."""
    white = np.full_like(canvas.pixels(), 255)
    return coverage_of(canvas.pixels(), white)


def test_all_brushes_are_registered():
    assert set(NAMES) == EXPECTED
    for name, cls in BRUSHES.items():
        assert cls.name == name and cls.summary and "\n" not in cls.summary
        assert issubclass(cls, Brush)


@pytest.mark.parametrize("name", NAMES)
def test_autopaint_covers_the_canvas(name):
    brush = make_brush(name)
    canvas, marks = paint(brush, solid(), 60)
    some = coverage(canvas)
    assert 0.1 < some < 0.995, some
    canvas.draw(brush.autopaint(solid(), 600, np.random.default_rng(1)))
    assert coverage(canvas) > max(0.9, some)


@pytest.mark.parametrize("name", NAMES)
def test_painted_colour_matches_the_source(name):
    source = solid()
    brush = make_brush(name)
    canvas, marks = paint(brush, source, 500)
    rgb = canvas.pixels()[..., :3].reshape(-1, 3).astype(np.float32)
    changed = rgb[(rgb != BG).any(axis=1)]
    mean = changed.mean(axis=0)
    if name == "texture":
        # Black and white only, and mostly white on a light source.
        colours = {tuple(c) for c in marks.rgba[:, :3].tolist()}
        assert colours <= {(0, 0, 0), (255, 255, 255)}
        light = paint(brush, solid(np.array([235, 235, 235], np.float32)), 100)[1]
        assert (light.rgba[:, 0] == 255).mean() > 0.8
        return
    target = ORANGE
    if name == "flow_grey":
        target = np.full(3, source.luminance[0, 0] * 255, np.float32)
    assert np.allclose(marks.rgba[:, :3], target, atol=1)
    # Painted pixels lie on the line from the background to the source colour, most of the way.
    d = target - BG
    t = float(np.dot(mean - BG, d) / np.dot(d, d))
    off_line = np.linalg.norm(mean - (BG + t * d))
    assert t > 0.5 and off_line < 6, (t, off_line)


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_bytes_other_seed_different(name):
    source = two_tone()
    a_canvas, a = paint(make_brush(name), source, 40, seed=5)
    b_canvas, b = paint(make_brush(name), source, 40, seed=5)
    c_canvas, c = paint(make_brush(name), source, 40, seed=6)
    assert np.array_equal(a.points, b.points) and np.array_equal(a.rgba, b.rgba)
    assert np.array_equal(a_canvas.pixels(), b_canvas.pixels())
    assert not np.array_equal(a_canvas.pixels(), c_canvas.pixels())


@pytest.mark.parametrize("name", NAMES)
def test_marks_are_finite_and_near_the_canvas(name):
    brush = make_brush(name)
    marks = brush.autopaint(two_tone(), 200, np.random.default_rng(2))
    assert isinstance(marks, Strokes) and len(marks) > 0
    assert np.isfinite(marks.points).all() and np.isfinite(marks.width).all()
    assert (marks.width > 0).all()
    margin = 8 * brush.size
    assert (marks.points > -margin).all() and (marks.points < N + margin).all()


@pytest.mark.parametrize("name", NAMES)
def test_stroke_follows_the_pointer(name):
    brush = make_brush(name)
    source = solid(size=256)
    path = np.array([[40, 128], [80, 128], [120, 130], [160, 128]], np.float32)
    marks = brush.stroke(source, path, np.random.default_rng(0))
    assert len(marks) > 0
    centre = marks.points.mean(axis=1)
    assert (np.abs(centre[:, 1] - 128) < 6 * brush.size).all()
    assert centre[:, 0].min() > 40 - 6 * brush.size and centre[:, 0].max() < 160 + 6 * brush.size
    # A pointer held still paints too (except mouse_direction before any movement).
    held = make_brush(name).stroke(source, path[:1], np.random.default_rng(0))
    assert len(held) > 0 or name == "mouse_direction"
    assert len(brush.stroke(source, np.zeros((0, 2)), np.random.default_rng(0))) == 0


def test_fast_drag_leaves_no_gaps():
    brush = make_brush("dabs")
    centres, headings = resample_path(np.array([[0, 0], [100, 0]], np.float32), brush.spacing())
    assert np.diff(centres[:, 0]).max() <= brush.spacing() + 1e-4
    assert centres[-1, 0] == pytest.approx(100)
    assert np.allclose(headings, 0)


def test_diagonal_lines_run_down_and_right():
    marks = make_brush("diagonal").autopaint(solid(), 50, np.random.default_rng(0))
    d = marks.points[:, 1] - marks.points[:, 0]
    assert (d[:, 0] > 0).all() and (d[:, 1] > 0).all()


def test_mouse_direction_follows_the_movement():
    brush = make_brush("mouse_direction")
    source = solid(size=256)
    rng = np.random.default_rng(0)
    marks = brush.stroke(source, np.array([[60, 200], [200, 60]], np.float32), rng)  # up-right
    d = marks.points[:, 1] - marks.points[:, 0]
    angles = np.degrees(np.arctan2(d[:, 1], d[:, 0]))
    assert np.abs(angles - (-45)).max() < 20
    # Held still right where it stopped: it keeps going the same way.
    held = brush.stroke(source, np.array([[200, 60]], np.float32), rng)
    d = held.points[:, 1] - held.points[:, 0]
    assert np.abs(np.degrees(np.arctan2(d[:, 1], d[:, 0])) + 45).max() < 20


def test_flow_clumps_share_a_colour_and_a_path():
    marks = make_brush("flow").autopaint(two_tone(), 30, np.random.default_rng(0))
    brush = make_brush("flow")
    assert marks.points.shape[1] == brush.steps + 1
    for g in np.unique(marks.group):
        members = marks.rgba[marks.group == g]
        assert (members == members[0]).all()
        assert len(members) == brush.lines
    steps = np.linalg.norm(np.diff(marks.points, axis=1), axis=2)
    assert np.allclose(steps, brush.step, atol=1e-3)


def test_flow_weighted_is_thin_in_the_dark_and_thick_in_the_light():
    marks = make_brush("flow_weighted").autopaint(two_tone(), 300, np.random.default_rng(0))
    centre_x = marks.points[:, marks.points.shape[1] // 2, 0]
    dark = marks.width[centre_x < N / 2 - 12].mean()
    light = marks.width[centre_x > N / 2 + 12].mean()
    assert light > 2 * dark


def test_curves_are_translucent_in_the_dark():
    marks = make_brush("curves").autopaint(two_tone(), 300, np.random.default_rng(0))
    centre_x = marks.points[:, marks.points.shape[1] // 2, 0]
    dark = marks.rgba[centre_x < N / 2 - 12, 3].mean()
    light = marks.rgba[centre_x > N / 2 + 12, 3].mean()
    assert dark < 0.5 * light


def test_flow_hairs_turn_along_edges():
    # A vertical edge: with edges=1 hairs crossing it bend to run vertically; with 0 they don't.
    source = two_tone()
    xy = np.array([[N / 2, y] for y in range(10, 120, 4)], np.float32)
    along = make_brush("flow", edges=1.0).angles(source, xy)
    assert np.abs(np.cos(along)).max() < 0.35
    free = make_brush("flow", edges=0.0).angles(source, xy)
    assert np.abs(np.cos(free)).max() > 0.5


def test_size_scales_the_marks():
    small = make_brush("dabs", size=8).autopaint(solid(), 20, np.random.default_rng(0))
    big = make_brush("dabs", size=32).autopaint(solid(), 20, np.random.default_rng(0))
    assert big.width.mean() > 3 * small.width.mean()


def test_make_brush_errors_are_helpful():
    with pytest.raises(ArtkitError, match="did you mean 'flow'"):
        make_brush("flwo")
    with pytest.raises(ArtkitError, match="the brushes are: dabs"):
        make_brush("zzzzzz")
    with pytest.raises(ArtkitError) as info:
        make_brush("dabs", sise=3)
    assert "size" in str(info.value) and "count" in str(info.value)
    with pytest.raises(ArtkitError, match="whole number"):
        make_brush("dabs", count="many")
    with pytest.raises(ArtkitError, match=r"size must be a number from 1 to 200, not 0\."):
        make_brush("dabs", size=0)
    assert make_brush("flow", grey="yes").grey is True
    assert make_brush("dabs", count="12").count == 12


@pytest.mark.parametrize("value,shown", [
    ("500", "'500'"), (500, "500"), ("abc", "'abc'"), ("0", "'0'"), ("-3", "'-3'"),
    ("nan", "'nan'"), (float("inf"), "inf"), ("", "''"), ("１２", "'１２'"), (True, "True"),
])
def test_make_brush_refuses_bad_sizes_in_one_sentence(value, shown):
    with pytest.raises(ArtkitError) as info:
        make_brush("flow", size=value)
    message = str(info.value)
    assert message.startswith(f"The flow brush's size must be a number from 1 to 200, not {shown}")
    assert message.endswith(".") and message.count(". ") == 0


def test_make_brush_checks_every_parameter_against_its_range():
    assert make_brush("flow", size="200", alpha="0", edges="1", lines="1").size == 200.0
    for name, key, value, words in [
        ("dabs", "alpha", 300, "from 0 to 255"),
        ("squares", "alpha", -1, "from 0 to 255"),       # inherited from dabs
        ("dabs", "count", 0, "whole number from 1 to 1000"),
        ("dabs", "count", "2.5", "whole number"),
        ("flow", "step", 0, "more than 0"),
        ("broad_short", "weight", "0", "more than 0"),  # a subclass that only changes defaults
        ("flow", "edges", 1.5, "from 0 to 1"),
        ("curves", "darkness_power", 0, "more than 0"),
        ("flow", "grey", "maybe", "true or false"),
        ("texture", "length", "-1", "more than 0"),
        ("mouse_direction", "drag", 0, "from 1 to 1000"),
    ]:
        with pytest.raises(ArtkitError, match=f"The {name} brush's {key} must be .*{words}"):
            make_brush(name, **{key: value})


@pytest.mark.parametrize("name", NAMES)
def test_every_numeric_parameter_declares_a_range(name):
    cls = BRUSHES[name]
    brush = cls()
    for key, spec in cls.param_specs().items():
        value = getattr(brush, key)
        assert spec.kind is type(value), (key, spec)
        assert spec.coerce(value, key) == value           # the defaults are in range
        if spec.kind in (int, float):
            assert spec.low is not None and spec.high is not None, key
    assert cls.param_spec("size").low == SIZE_MIN and cls.param_spec("size").high == SIZE_MAX


def test_clamp_size_stops_at_the_limits():
    assert SIZE_MIN == 1.0 and SIZE_MAX == 200.0
    assert clamp_size(500) == 200.0 and clamp_size(0) == 1.0 and clamp_size(-5) == 1.0
    assert clamp_size(37.5) == 37.5 and Brush.clamp_size(1e9) == 200.0
    assert make_brush("flow").clamp_size(float("nan")) == 1.0


def test_toolbar_uses_the_brush_size_range():
    from artkit.app import toolbar

    assert (toolbar.SIZE_MIN, toolbar.SIZE_MAX) == (SIZE_MIN, SIZE_MAX)
    assert toolbar.fraction_to_size(1.0) == SIZE_MAX and toolbar.fraction_to_size(0.0) == SIZE_MIN


@pytest.mark.parametrize("name", NAMES)
def test_params_are_json_and_rebuild_the_brush(name):
    brush = make_brush(name)
    params = json.loads(json.dumps(brush.params()))
    assert make_brush(name, **params).params() == brush.params()
