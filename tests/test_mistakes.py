"""Beginners' mistakes are understood, not just caught.

tests/broken_sketches/ is a corpus of mistakes written the way a beginner writes them, one
folder per kind (javascript/, processing/, p5_names/, imports/, text_and_number/, global/,
lists/, recursion/, does_nothing/, and the classics: syntax/, hooks/, names/, arguments/...).
Each file's first line states its expected answer in one place:

    # expect: line 3, "In Python this line is:  def setup():"

Running it through the runner headless must report a message that names that line and holds
that fix, in plain words: no Python exception names, no traceback, no artkit file paths.
"""

import ast
import functools
import re
from pathlib import Path

import pytest

from artkit import api, friendly, habits, mistakes
from artkit.commands.run import sketches_folder
from artkit.friendly import CollectingReporter
from artkit.runner import SketchRunner

CORPUS = Path(__file__).parent / "broken_sketches"
SKETCHES = sorted(CORPUS.rglob("*.py"))
HEADER = re.compile(r'# expect: line (?P<line>\d+), "(?P<fix>.*)"$')
# What a child must never see: Python's names for errors, tracebacks, artkit's own files.
RAW_PYTHON = re.compile(r"\b\w*(Error|Exception)\b|Traceback|File \"|artkit[/\\]")


def expectation(path: Path) -> tuple[int | None, str]:
    """(line, fix) from the file's first line. A header without a line is accepted for sketches
    added outside the corpus folders (`# expect: <fragment>`)."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} needs a '# expect: line N, \"fix\"' first line"
    m = HEADER.match(first)
    if m:
        return int(m.group("line")), m.group("fix")
    assert path.parent == CORPUS, f"{path.relative_to(CORPUS)} needs '# expect: line N, \"fix\"'"
    return None, first[len("# expect: "):]


@functools.cache
def run_broken(path: Path) -> tuple:
    with friendly.reporting_to(CollectingReporter()) as collected:
        runner = SketchRunner(path, seed=1, timeout=0.4)
        runner.run_frames(3)
    return tuple(collected.problems)


def kind_of(path: Path) -> str:
    return path.relative_to(CORPUS).parts[0] if path.parent != CORPUS else "other"


@pytest.mark.parametrize("path", SKETCHES, ids=[p.relative_to(CORPUS).as_posix() for p in SKETCHES])
def test_each_mistake_gets_the_line_and_a_fix_in_plain_words(path):
    line, fix = expectation(path)
    problems = run_broken(path)
    assert problems, "no message at all"
    answering = [p for p in problems if fix in p.text()]
    assert answering, "\n\n".join(p.text() for p in problems)
    problem = answering[0]
    if line is not None:
        assert re.search(rf"\bline {line}\b", problem.message), problem.message
        assert problem.line == line or f"loop on line {line}" in problem.message, problem.text()
    for shown in problems:
        assert not RAW_PYTHON.search(shown.text()), shown.text()


def test_the_corpus_holds_fifty_mistakes_grouped_by_kind():
    kinds = {}
    for path in SKETCHES:
        kinds.setdefault(kind_of(path), []).append(path)
    assert len(SKETCHES) >= 50
    for kind in ("javascript", "processing", "p5_names", "imports", "text_and_number", "global",
                 "lists", "recursion", "does_nothing"):
        assert len(kinds.get(kind, [])) >= 2, kind


def test_every_kind_of_message_is_in_the_corpus():
    found = {p.kind for path in SKETCHES for p in run_broken(path)}
    assert {"syntax", "hook", "name", "arguments", "argument", "colour", "runtime", "reserved",
            "timeout", "foreign", "import", "text_and_number", "global", "index", "recursion",
            "does_nothing"} <= found


# ---------------------------------------------------------------------------------------------
# JavaScript and Processing lines put into Python

NAMESPACE = api.namespace()


@pytest.mark.parametrize("line, python, habit", [
    ("function setup() {", "def setup():", "function"),
    ("function mousePressed() {", "def mouse_pressed():", "function"),
    ("function drawFlower(x, y) {", "def drawFlower(x, y):", "function"),
    ("void draw() {", "def draw():", "typed_function"),
    ("float area(float r) {", "def area(r):", "typed_function"),
    ("let x = 5;", "x = 5", "declaration"),
    ("let target;", "target = None", "declaration"),
    ("int[] xs = {1, 2, 3};", "xs = [1, 2, 3]", "typed_declaration"),
    ("ArrayList<Ball> balls = new ArrayList<Ball>();", "balls = []", "typed_declaration"),
    ("  createCanvas(400, 400);", "  size(400, 400)", "p5_name"),
    ("  for (let i = 0; i < 10; i++) {", "  for i in range(10):", "for_count"),
    ("  for (int i = 1; i <= 10; i++) {", "  for i in range(1, 11):", "for_count"),
    ("  for (let i = 0; i < 400; i += 20) {", "  for i in range(0, 400, 20):", "for_count"),
    ("  for (let i = 10; i > 0; i--) {", "  for i in range(10, 0, -1):", "for_count"),
    ("  for (Ball b : balls) {", "  for b in balls:", "for_each"),
    ("  } else if (mouseX < width / 2) {", "  elif mouse_x < width / 2:", "else_if"),
    ("  if (key == 'a' || key == 'b') {", "  if key == 'a' or key == 'b':", "if"),
    ("  while (x < width) {", "  while x < width:", "while"),
    ("  balls.push(new Ball(mouseX, mouseY));", "  balls.append(Ball(mouse_x, mouse_y))", "new"),
    ("    this.y--;", "    self.y -= 1", "increment"),
    ("  text(`${name} has ${n}`, 10, 20);", '  text(f"{name} has {n}", 10, 20)', "template_string"),
    ("  circle(1, 2, 3); // the sun", "  circle(1, 2, 3)  # the sun", "line_comment"),
    ("  console.log(\"a && b\");", '  print("a && b")', "print"),   # && in text stays
])
def test_a_line_is_put_into_python(line, python, habit):
    translation, _ = habits.translate_line(line, NAMESPACE)
    assert translation.python == python
    assert translation.primary.name == habit


def test_a_comment_left_open_carries_on_to_the_next_lines():
    translations = habits.translate_lines(["/* my sketch", "   by Sam */", "x = 1"], NAMESPACE)
    assert [t.python for t in translations] == ["# my sketch", "   # by Sam", "x = 1"]
    assert not translations[2].habits


def test_a_line_artkit_cannot_put_into_python_shows_no_code():
    translation, _ = habits.translate_line("  for (i = 0; j < 10; k++) {", NAMESPACE)
    assert translation.python is None and translation.unreadable


def test_a_whole_p5_sketch_is_called_javascript_and_every_line_to_change_is_listed(tmp_path):
    sketch = tmp_path / "pasted.py"
    sketch.write_text("function setup() {\n  createCanvas(400, 400);\n}\n\n"
                      "function draw() {\n  background(220);\n  circle(mouseX, mouseY, 50);\n}\n")
    with friendly.reporting_to(CollectingReporter()) as collected:
        assert not SketchRunner(sketch, seed=1).run_frames(1)
    message = collected.problems[0].message
    assert "line 1:" in message and "def setup():" in message
    assert "looks like JavaScript (p5.js): lines 2, 3, 5, 6, 7 and 8 need changing to Python too" in message
    assert collected.problems[0].column == 1   # the caret is under "function"


def test_an_ordinary_syntax_error_is_not_called_javascript(tmp_path):
    sketch = tmp_path / "typo.py"
    sketch.write_text("def draw():\n    fill(255);\n    circle(100, 100 50)\n")
    with friendly.reporting_to(CollectingReporter()) as collected:
        SketchRunner(sketch, seed=1).run_frames(1)
    message = collected.problems[0].message
    assert "line 3" in message and "comma" in message and "JavaScript" not in message


# ---------------------------------------------------------------------------------------------
# No false alarms

CORRECT = '''
import math
import random as chance
from math import sqrt, pi

GROUND = 300
count = 0
colours = ["red", "gold"]
half = 400 // 2                      # whole-number division, not a comment


class Spark:
    def __init__(self, x):
        self.x = x
        self.length = 3              # an attribute called length is fine

    def move(self):
        self.x = self.x + 1


def grow(n):
    if n < 2:
        return 0
    return grow(n - 1) + 1


def setup():
    size(400, 400)
    no_stroke()


def draw():
    global count
    count = count + 1                # global: fine
    total = 0
    for i in range(3):
        total = total + i            # a local made before it is used
    label = "Score: " + str(count)
    words = f"Score: {count}"
    mouseX = mouse_x                 # the sketch's own camelCase name
    circle(mouseX, GROUND - sqrt(count) + math.sin(pi), 10)
    fill(colours[count % len(colours)])
    x = chance.randint(0, 400)
    if x == 3:
        print(label, words, total, half)
'''


def test_correct_python_that_looks_like_the_mistakes_gets_no_message(tmp_path):
    sketch = tmp_path / "fine.py"
    sketch.write_text(CORRECT)
    with friendly.reporting_to(CollectingReporter()) as collected:
        assert SketchRunner(sketch, seed=1).run_frames(3)
    assert not collected.problems, collected.texts


def test_a_variable_given_a_value_earlier_in_a_loop_is_not_a_missing_global():
    source = ("x = 0\n\n\ndef draw():\n    for i in range(3):\n        if i > 0:\n"
              "            circle(x, 0, 5)\n        x = i * 10\n")
    tree = ast.parse(source)
    assert not mistakes.check(tree, source, NAMESPACE, "s.py", source.splitlines())


def test_the_course_sketches_get_no_message_from_the_checks():
    for path in sorted(sketches_folder().rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        found = mistakes.check(tree, source, NAMESPACE, str(path), source.splitlines())
        assert not found, f"{path.name}: {[p.text() for p in found]}"


def test_the_closing_brace_of_a_python_dictionary_is_not_javascript():
    lines = ["palette = {", '    "sky": "navy",', "}", "let x = 5;"]
    translations = habits.translate_lines(lines, NAMESPACE)
    assert [bool(t.habits) for t in translations] == [False, False, False, True]


def test_every_artkit_command_spelled_the_p5_way_gets_its_artkit_name():
    """strokeWeight -> stroke_weight, mouseX -> mouse_x... for every snake_case name in the API,
    so a command added to artkit.api is covered without a table to keep up to date."""
    for name in api.__all__:
        if "_" in name.strip("_") and name.islower():
            head, *rest = name.split("_")
            camel = head + "".join(word.capitalize() for word in rest)
            assert habits.foreign_name(camel, NAMESPACE) == name


def test_a_property_named_without_brackets_is_not_a_command_doing_nothing():
    source = ("class Ball:\n    @property\n    def speed(self):\n        return 2\n\n"
              "    def move(self):\n        self.speed\n")
    tree = ast.parse(source)
    assert not mistakes.check(tree, source, NAMESPACE, "s.py", source.splitlines())
