"""The beginner API's meaning: repeat, random numbers, colour modes, angles, maths, drawing."""

import math

import numpy as np
import pytest

from artkit import api
from artkit.errors import ArtkitError
from artkit.sketch import SketchContext


@pytest.fixture(autouse=True)
def context():
    """Every test draws through its own seeded 100 x 80 sketch context."""
    previous = api.current()
    ctx = api.use(SketchContext(seed=1, namespace={"WIDTH": 100, "HEIGHT": 80}))
    yield ctx
    api.use(previous)


def pixel(x, y):
    return tuple(int(v) for v in api.current_canvas().pixels()[y, x, :3])


# ------------------------------------------------------------------ repeat

def test_repeat_count_form_counts_from_one():
    seen = []
    api.repeat(4, lambda i: seen.append(i))
    assert seen == [1, 2, 3, 4]
    calls = []
    api.repeat(3, lambda: calls.append("x"))   # a function taking nothing is fine
    assert calls == ["x", "x", "x"]


def test_repeat_range_form_includes_the_end():
    seen = []
    api.repeat(0, 10, 2, seen.append)
    assert seen == [0, 2, 4, 6, 8, 10]
    seen.clear()
    api.repeat(0, 1, 0.25, seen.append)
    assert seen == [0, 0.25, 0.5, 0.75, 1.0]
    seen.clear()
    api.repeat(5, 1, -2, seen.append)       # counting down
    assert seen == [5, 3, 1]
    seen.clear()
    api.repeat(0, 9, 4, seen.append)        # the end isn't hit exactly: stop before it
    assert seen == [0, 4, 8]


def test_repeat_nested_form_calls_with_both_counters():
    pairs = []
    api.repeat(0, 2, 1, 10, 30, 10, lambda i, j: pairs.append((i, j)))
    assert pairs == [(i, j) for i in (0, 1, 2) for j in (10, 20, 30)]
    firsts = []
    api.repeat(1, 2, 1, 1, 3, 1, lambda i: firsts.append(i))   # takes fewer: gets what it asks for
    assert firsts == [1, 1, 1, 2, 2, 2]


def test_repeat_explains_mistakes():
    with pytest.raises(ArtkitError, match="without brackets"):
        api.repeat(3, None)
    with pytest.raises(ArtkitError, match="step can't be 0"):
        api.repeat(0, 10, 0, print)
    with pytest.raises(ArtkitError, match="repeat takes"):
        api.repeat(1, 2, print)
    with pytest.raises(ArtkitError, match="whole number"):
        api.repeat(2.5, print)


# ------------------------------------------------------------------ random

def test_random_number_includes_both_ends():
    draws = {api.random_number(1, 6) for _ in range(2000)}
    assert draws == {1, 2, 3, 4, 5, 6}
    assert {api.random_number(3) for _ in range(1000)} == {0, 1, 2, 3}
    assert all(isinstance(v, int) for v in draws)


def test_random_floats_like_p5():
    assert all(0 <= api.random() < 1 for _ in range(500))
    assert all(0 <= api.random(10) < 10 for _ in range(500))
    values = [api.random(5, 7) for _ in range(500)]
    assert all(5 <= v < 7 for v in values) and max(values) - min(values) > 1.5
    assert api.random(["a", "b"]) in ("a", "b")
    assert api.random_choice("xyz") in "xyz"
    with pytest.raises(ArtkitError):
        api.random_choice([])


def test_random_seed_repeats_and_contexts_are_independent():
    api.random_seed(42)
    first = [api.random() for _ in range(5)]
    api.random_seed(42)
    assert [api.random() for _ in range(5)] == first
    a = SketchContext(seed=7)
    b = SketchContext(seed=7)
    assert a.random.random() == b.random.random()


def test_noise_is_smooth_seeded_and_in_range():
    values = [api.noise(x * 0.01, 0.5) for x in range(200)]
    assert all(0 <= v <= 1 for v in values)
    assert max(abs(a - b) for a, b in zip(values, values[1:])) < 0.05
    api.noise_seed(3)
    one = api.noise(1.3, 2.7)
    api.noise_seed(3)
    assert api.noise(1.3, 2.7) == one


# ------------------------------------------------------------------ colour

def test_colour_and_color_both_work_and_keep_their_meaning():
    assert api.colour is api.color and api.colour_mode is api.color_mode
    red = api.colour(255, 0, 0)
    assert red.rgba == (255, 0, 0, 255) and red.red == 255 and red.alpha == 255
    api.colour_mode(api.HSB)
    assert api.colour(0, 100, 100).rgba == (255, 0, 0, 255)
    assert api.colour(120, 100, 100).rgba == (0, 255, 0, 255)
    assert api.colour(240, 100, 50).rgba == (0, 0, 128, 255)
    assert api.colour(0, 0, 100).rgba == (255, 255, 255, 255)
    api.fill(red)                      # a colour made in RGB stays red in HSB mode
    api.no_stroke()
    api.rect(0, 0, 10, 10)
    assert pixel(5, 5) == (255, 0, 0)
    api.fill(60, 100, 100)             # numbers are read in HSB now: yellow
    api.rect(20, 0, 10, 10)
    assert pixel(25, 5) == (255, 255, 0)
    assert abs(api.colour(200, 50, 80).hue - 200) < 1


def test_colour_with_alpha_and_lerp():
    c = api.colour("red", 128)
    assert c.rgba == (255, 0, 0, 128)
    mid = api.lerp_colour("black", "white", 0.5)
    assert mid.rgba[:3] == (128, 128, 128)
    assert api.lerp_color is api.lerp_colour


def test_push_pop_restore_the_colour_mode():
    api.push()
    api.colour_mode(api.HSB)
    api.pop()
    assert api.colour(255, 0, 0).rgba == (255, 0, 0, 255)


def test_translucent_fill_blends():
    api.background(255)
    api.no_stroke()
    api.fill(0, 0, 0, 128)
    api.rect(0, 0, 20, 20)
    assert abs(pixel(10, 10)[0] - 127) <= 2


# ------------------------------------------------------------------ angles and maths

def test_trig_in_degrees_by_default_and_radians_on_request():
    assert api.sin(90) == pytest.approx(1)
    assert api.cos(180) == pytest.approx(-1)
    assert api.atan2(1, 1) == pytest.approx(45)
    api.angle_mode(api.RADIANS)
    assert api.sin(math.pi / 2) == pytest.approx(1)
    assert api.atan2(1, 0) == pytest.approx(math.pi / 2)
    with pytest.raises(ArtkitError):
        api.angle_mode("turns")


def test_rotate_follows_the_angle_mode():
    api.background(255)
    api.no_stroke()
    api.fill(0)
    api.translate(50, 40)
    api.rotate(90)                     # degrees: the x axis now points down
    api.rect(10, -2, 20, 4)
    assert pixel(50, 60) == (0, 0, 0)  # below the origin
    assert pixel(70, 40) == (255, 255, 255)


def test_arc_follows_the_angle_mode():
    api.background(255)
    api.no_stroke()
    api.fill(0)
    api.arc(50, 40, 60, 60, 0, 90)     # the lower-right quarter (y points down)
    assert pixel(60, 50) == (0, 0, 0)
    assert pixel(40, 30) == (255, 255, 255)


def test_maths_helpers():
    assert api.map_range(5, 0, 10, 0, 100) == 50
    assert api.map_range(0, 0, 10, 100, 200) == 100
    assert api.constrain(15, 0, 10) == 10 and api.constrain(-1, 0, 10) == 0
    assert api.dist(0, 0, 3, 4) == 5
    assert api.lerp(10, 20, 0.25) == 12.5
    assert api.sqrt(9) == 3
    assert api.TWO_PI == pytest.approx(2 * api.PI)
    with pytest.raises(ArtkitError):
        api.map_range(1, 2, 2, 0, 1)


# ------------------------------------------------------------------ drawing and the sketch

def test_size_changes_the_canvas_and_the_sketch_sees_it(context):
    api.size(120, 60)
    assert (api.current_canvas().width, api.current_canvas().height) == (120, 60)
    assert context.namespace["width"] == 120 and context.namespace["height"] == 60


def test_canvas_takes_width_and_height_from_the_sketch_globals():
    assert (api.current_canvas().width, api.current_canvas().height) == (100, 80)


def test_shapes_draw_where_asked():
    api.background("white")
    api.no_stroke()
    api.fill("blue")
    api.circle(50, 40, 20)
    assert pixel(50, 40) == (0, 0, 255)
    assert pixel(50, 55) == (255, 255, 255)
    api.fill("red")
    api.rect(0, 0, 10, 10, 3)          # rounded corners: the very corner stays white
    assert pixel(5, 5) == (255, 0, 0) and pixel(0, 0) != (255, 0, 0)
    api.stroke("black")
    api.stroke_weight(2)
    api.line(0, 70, 99, 70)
    assert pixel(50, 70)[0] < 50


def test_frame_controls(context):
    api.no_loop()
    assert context.looping is False
    api.redraw()
    assert context.redraw_requested
    api.loop()
    assert context.looping
    assert api.frame_rate(30) == 30 and context.target_frame_rate == 30
    with pytest.raises(ArtkitError):
        api.frame_rate(0)


def test_save_frame_numbers_files(tmp_path, context):
    context.out_dir = tmp_path
    first = api.save_frame()
    second = api.save_frame()
    named = api.save_frame("mine")
    assert first.endswith("sketch-0001.png") and second.endswith("sketch-0002.png")
    assert named.endswith("mine.png")
    assert all((tmp_path / n).exists() for n in ("sketch-0001.png", "sketch-0002.png", "mine.png"))


def test_turtle_and_lsystem_commands():
    api.background(255)
    api.stroke(0)
    api.stroke_weight(2)
    walker = api.turtle("2(F20 +90)", 50, 40, heading=0)
    assert len(walker.drawing) == 2
    assert pixel(60, 40)[0] < 80 and pixel(70, 30)[0] < 80
    assert api.lsystem("F", {"F": "F+F"}, 2) == "F+F+F+F"


def test_painting_helpers_draw_from_the_source():
    api.background(255)
    before = api.current_canvas().snapshot()
    api.load_source("default")
    api.autopaint("dabs", 20)
    api.paint("flow", 50, 40, 30, 30)
    changed = np.any(api.current_canvas().pixels() != before, axis=2).mean()
    assert changed > 0.05
    colour = api.source_colour(10, 10)
    assert len(colour.rgba) == 4
    brush = api.brush("dabs", size=8)
    assert api.current().brushes["dabs"] is brush


def test_every_name_in_all_exists_and_the_namespace_has_them():
    names = api.namespace()
    assert set(names) == set(api.__all__)
    assert len(api.__all__) == len(set(api.__all__))
    for name in ("circle", "fill", "repeat", "random_number", "noise", "sin", "mouse_x", "colour", "color"):
        assert name in names
