"""Friendly errors: the reporter, suggestions, and how messages are laid out.

The classic kid mistakes (tests/broken_sketches/, one folder per kind, each with its expected
line and fix) are run by tests/test_mistakes.py.
"""

from pathlib import Path

from artkit import friendly
from artkit.friendly import CollectingReporter, Problem, camel_to_snake, describe_parameters, suggest
from artkit.runner import SketchRunner

BROKEN = Path(__file__).parent / "broken_sketches"


def run_broken(path: Path) -> list[Problem]:
    with friendly.reporting_to(CollectingReporter()) as collected:
        runner = SketchRunner(path, seed=1, timeout=0.4)
        runner.run_frames(3)
    return collected.problems


def test_syntax_errors_point_a_caret_at_the_spot():
    problems = run_broken(BROKEN / "syntax" / "missing_colon.py")
    text = problems[0].text().splitlines()
    assert text[1].strip() == "def draw()"
    assert text[2].index("^") == text[1].index(")") + 1


def test_warnings_do_not_stop_the_sketch():
    path = BROKEN / "reserved" / "sets_width.py"
    with friendly.reporting_to(CollectingReporter()) as collected:
        runner = SketchRunner(path, seed=1)
        assert runner.run_frames(2)
    assert collected.problems and all(p.warning for p in collected.problems)
    assert runner.context.frame_count == 2


def test_runtime_messages_name_the_line_and_the_trail(tmp_path):
    sketch = tmp_path / "deep.py"
    sketch.write_text("def petal(n):\n    return 10 / n\n\n\ndef draw():\n    petal(0)\n")
    with friendly.reporting_to(CollectingReporter()) as collected:
        SketchRunner(sketch, seed=1).run_frames(1)
    problem = collected.problems[0]
    assert problem.line == 2 and problem.code.strip() == "return 10 / n"
    assert "line 6, in draw -> line 2, in petal" in problem.text()


def test_the_reporter_can_be_swapped_and_restored():
    original = friendly.reporter
    with friendly.reporting_to(CollectingReporter()) as collected:
        friendly.report(Problem("runtime", "hello"))
    assert collected.texts == ["hello"]
    assert friendly.reporter is original


def test_console_reporter_prints_once(capsys):
    friendly.ConsoleReporter().report(Problem("runtime", "something broke", path="sketches/sketch.py"))
    err = capsys.readouterr().err
    assert "sketch.py: something broke" in err


def test_suggestions():
    assert suggest("circel", ["circle", "fill"]) == "circle"
    assert suggest("strokeWeight", ["stroke_weight", "stroke"]) == "stroke_weight"
    assert suggest("Draw", ["draw", "setup"]) == "draw"
    assert suggest("zzz", ["circle"]) is None
    assert camel_to_snake("mouseX") == "mouse_x"


def test_parameters_are_described_from_signatures():
    from artkit import api

    assert describe_parameters(api.circle) == (["x", "y", "size"], [], "number")
    required, optional, unit = describe_parameters(api.rect)
    assert required == ["x", "y", "width", "height"] and optional == ["corner"] and unit == "number"
    assert describe_parameters(api.repeat) is None


def test_trail_of_deep_recursion_is_squashed():
    problem = Problem("runtime", "x", trail=["line 8, in draw"] + ["line 4, in branch"] * 500)
    text = problem.text()
    assert "(x 500)" in text and len(text) < 200
