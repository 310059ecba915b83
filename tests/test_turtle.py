"""The turtle language, L-system expansion and evolution (artkit.turtle)."""

import random

import numpy as np
import pytest

from artkit.canvas import Canvas
from artkit.errors import ArtkitError
from artkit.turtle import (
    KOCH, PLANT, SIERPINSKI, Evolution, LSystem, Turtle, _balanced, expand, fitness, mutate, parse,
    trace,
)


def test_square_program_draws_four_exact_segments():
    drawing = trace("4(F100 +90)", x=50, y=150, heading=0)
    expected = np.array([[50, 150, 150, 150], [150, 150, 150, 50], [150, 50, 50, 50], [50, 50, 50, 150]],
                        np.float32)
    assert np.allclose(drawing.segments, expected, atol=1e-4)


def test_default_step_and_angle_and_move_without_drawing():
    drawing = trace("F f F - F", x=0, y=0, heading=0, step=10, angle=90)
    # F draws 0->10, f moves to 20, F draws 20->30, - turns right (down on screen), F draws down.
    assert np.allclose(drawing.segments, [[0, 0, 10, 0], [20, 0, 30, 0], [30, 0, 30, 10]], atol=1e-4)


def test_brackets_restore_position_and_heading_and_record_depth():
    drawing = trace("F[+F]F", x=0, y=0, heading=90, step=10, angle=90)
    seg = drawing.segments
    assert np.allclose(seg[0], [0, 0, 0, -10], atol=1e-4)      # up
    assert np.allclose(seg[1], [0, -10, -10, -10], atol=1e-4)  # the branch turns left
    assert np.allclose(seg[2], [0, -10, 0, -20], atol=1e-4)    # back where it was, still facing up
    assert drawing.depths.tolist() == [0, 1, 0]


def test_turn_around_and_nested_repeats():
    drawing = trace("2(3(F) |)", x=0, y=0, heading=0, step=1)
    assert len(drawing) == 6
    assert np.allclose(drawing.segments[-1], [1, 0, 0, 0], atol=1e-4)   # back to the start


def test_placeholder_letters_do_nothing():
    assert len(trace("XYFAB")) == 1


@pytest.mark.parametrize("program, fragment", [
    ("F50 )", "')' at position 5"),
    ("4(F10", "never closed"),
    ("F10 50", "must be glued to a command"),
    ("(F10)", "needs a number before it"),
    ("F*F", "doesn't know '*'"),
])
def test_mistakes_are_explained(program, fragment):
    with pytest.raises(ArtkitError, match=fragment.replace("(", r"\(").replace(")", r"\)").replace("*", r"\*")):
        parse(program)


def test_unbalanced_close_bracket():
    with pytest.raises(ArtkitError, match="no '\\['"):
        trace("F]F")


def test_turtle_methods_match_the_language():
    t = Turtle(0, 0, heading=0, step=10, angle=90)
    t.forward().left().forward(5).move(5).right(45)
    by_program = trace("F + F5 f5 -45", 0, 0, 0, 10, 90)
    assert np.allclose(t.drawing.segments, by_program.segments)
    assert t.heading == pytest.approx(45.0)


def test_lsystem_expansions_are_exact():
    assert expand("F", {"F": "F+F--F+F"}, 1) == "F+F--F+F"
    assert KOCH.program(2) == "F+F--F+F+F+F--F+F--F+F--F+F+F+F--F+F"
    assert SIERPINSKI.program(1) == "F-G+F+G-F-GG-GG"
    assert SIERPINSKI.program(2) == "F-G+F+G-F-GG+F-G+F+G-F+GG-F-G+F+G-F-GGGG-GGGG"
    assert PLANT.program(1) == "F+[[X]-X]-F[-FX]+X"
    assert PLANT.program(2) == ("FF+[[F+[[X]-X]-F[-FX]+X]-F+[[X]-X]-F[-FX]+X]-FF[-FFF+[[X]-X]-F[-FX]+X]"
                                "+F+[[X]-X]-F[-FX]+X")
    assert expand("AB", {}, 3) == "AB"


def test_koch_segment_count_and_extent():
    drawing = KOCH.drawing(3, step=1)
    assert len(drawing) == 4 ** 3
    left, top, right, bottom = drawing.bounds()
    assert right - left == pytest.approx(3 ** 3, abs=1e-3)   # each iteration triples the span


def test_expansion_limit_and_bad_rules():
    with pytest.raises(ArtkitError, match="fewer iterations"):
        expand("F", {"F": "FFFF"}, 20)
    with pytest.raises(ArtkitError, match="one letter"):
        expand("F", {"FF": "F"}, 1)
    with pytest.raises(ArtkitError, match="whole number"):
        expand("F", {"F": "FF"}, -1)


def test_drawing_on_a_canvas_as_one_path_per_depth():
    canvas = Canvas(100, 100)
    canvas.stroke(0)
    canvas.stroke_weight(3)
    trace("F80", x=10, y=50, heading=0).draw(canvas)
    px = canvas.pixels()
    assert px[50, 50, 0] < 60          # on the line: dark
    assert px[20, 50, 0] == 255        # off the line: still white
    # colours by depth: trunk red, branch blue
    canvas2 = Canvas(100, 100)
    trace("F40[+F30]", x=50, y=95, heading=90).draw(canvas2, colours=["red", "blue"], weights=[4])
    p2 = canvas2.pixels()
    assert tuple(p2[75, 50, :3]) == (255, 0, 0)
    assert tuple(p2[55, 35, :3]) == (0, 0, 255)


def test_fitted_drawing_sits_inside_its_box():
    fitted = PLANT.drawing(3).fitted(100, 200, 50, 80)
    left, top, right, bottom = fitted.bounds()
    assert 100 <= left and right <= 150 and 200 <= top and bottom <= 280
    assert max(right - left, bottom - top) > 35


def test_mutations_stay_balanced_and_drawable():
    rng = random.Random(5)
    system = PLANT
    for _ in range(60):
        system = mutate(system, rng)
        for text in system.rules.values():
            assert _balanced(text)
        assert len(system.program()) <= 50_000


def test_evolution_is_seeded_and_picks_breed():
    a = Evolution(PLANT, size=9, seed=11)
    b = Evolution(PLANT, size=9, seed=11)
    assert [g.rules for g in a.generation] == [g.rules for g in b.generation]
    assert a.generation[0] == PLANT
    assert any(g != PLANT for g in a.generation[1:])
    assert a.best() == b.best()
    chosen = a.generation[4]
    assert a.pick(4) and a.parent == chosen and a.generation[0] == chosen
    assert a.generation_number == 1
    assert a.pick(None) is False


def test_cell_at_maps_clicks_to_variants():
    evo = Evolution(KOCH, size=9, seed=1)
    assert evo.cell_at(10, 10, 0, 0, 300, 300) == 0
    assert evo.cell_at(150, 150, 0, 0, 300, 300) == 4
    assert evo.cell_at(299, 299, 0, 0, 300, 300) == 8
    assert evo.cell_at(310, 10, 0, 0, 300, 300) is None


def test_fitness_prefers_plants_over_poles_tangles_and_upside_down():
    plant = fitness(PLANT.drawing(4))
    assert plant > 0.1
    assert fitness(trace("10(F)")) == 0.0                                  # a pole
    assert fitness(trace("F+[[X]-X]-F[-FX]+X", heading=-90)) < plant      # upside down
    tangle = LSystem("X", {"X": "F+[[X]-X]-F[-FX]+X", "F": "F-F"}, iterations=5, angle=25, heading=65)
    assert fitness(tangle.drawing()) < plant
    assert fitness(trace("")) == 0.0


def test_evolving_by_fitness_alone_is_repeatable():
    runs = []
    for _ in range(2):
        evo = Evolution(PLANT, seed=5)
        for _ in range(3):
            evo.pick(evo.best())
        runs.append(evo.parent)
    assert runs[0] == runs[1]


def test_evolution_draws_every_cell():
    canvas = Canvas(90, 90)
    canvas.stroke(0)
    evo = Evolution(LSystem("F", {"F": "F+F-F"}, iterations=2, angle=60), size=9, seed=2)
    evo.draw(0, 0, 90, 90, canvas=canvas)
    px = canvas.pixels()[..., 0]
    for i in range(9):
        x, y = (i % 3) * 30, (i // 3) * 30
        assert (px[y:y + 30, x:x + 30] < 200).any(), f"cell {i} is empty"
