"""A small turtle language, L-systems that write programs in it, and evolving them.

The turtle language
-------------------
A program is a string of commands. A turtle starts somewhere facing a heading (in degrees:
0 points right, 90 points up) and obeys each command in turn::

    F   draw forward one step          F50   draw forward 50 pixels
    G   draw forward (same as F; L-systems like a second drawing letter)
    f   move forward without drawing   f50   move 50 pixels without drawing
    g   move without drawing (same as f)
    +   turn left by the angle          +90   turn left 90 degrees
    -   turn right by the angle         -45   turn right 45 degrees
    |   turn around (180 degrees)
    [   remember where the turtle is and which way it faces
    ]   go back to the last place remembered
    4(...)   do what is inside the brackets 4 times, e.g.  4(F100 +90)  draws a square

A number glued to a command is that command's length or angle (`F50`, `+90`); a number
followed by `(` repeats the group. Spaces and commas are ignored, so `4(F100 +90)` and
`4(F100,+90)` read the same. Other letters (X, Y, A, B...) do nothing: L-systems use them as
placeholders that grow into drawing commands. Anything else is an error that says where.

L-systems
---------
An L-system starts from an axiom (a short program) and, `iterations` times, replaces every
letter that has a rule by its rule's text. The result is a (long) turtle program: code that
writes code. `KOCH`, `SIERPINSKI` and `PLANT` are built in.

Evolution
---------
`Evolution` breeds L-systems: each generation is the parent plus mutants (its rules edited at
random: a symbol added, removed or swapped, a branch added, the angle nudged), drawn side by
side in a grid. A person clicks the one to breed from (`pick`); without a person, `best()`
ranks them with `fitness()`, a rough measure of how much a drawing looks like a plant.
Everything is seeded.

Drawing collects every segment first (numpy arrays) and draws each bracket depth as one path
with contours, so thousands of segments cost one skia call per depth level.
"""

from __future__ import annotations

import math
import random as _random
from dataclasses import dataclass, field, replace

import numpy as np

from artkit.current import current_canvas
from artkit.errors import ArtkitError

__all__ = [
    "parse", "Turtle", "Drawing", "trace", "LSystem", "expand", "KOCH", "SIERPINSKI", "PLANT",
    "Evolution", "mutate", "fitness",
]

MAX_SYMBOLS = 400_000   # longest program an L-system may grow to (keeps a typo from freezing)
_DRAW = frozenset("FG")
_MOVE = frozenset("fg")
_IGNORED = frozenset(" \t\r\n,")


# ---------------------------------------------------------------------------------------------
# Parsing

def parse(program: str) -> list:
    """Turn a program into a list of (command, number or None) pairs; a repeat becomes
    ("repeat", (count, body)). Raises ArtkitError saying where a mistake is."""
    if not isinstance(program, str):
        raise ArtkitError(f"A turtle program is text in quotes, like \"4(F100 +90)\", not {program!r}.")
    ops, _ = _parse_block(program, 0, closing=None)
    return ops


def _read_number(text: str, i: int) -> tuple[float | None, int]:
    j = i
    while j < len(text) and (text[j].isdigit() or text[j] == "."):
        j += 1
    if j == i:
        return None, i
    try:
        return float(text[i:j]), j
    except ValueError:
        raise ArtkitError(f"The turtle can't read the number {text[i:j]!r} at position {i + 1}.") from None


def _parse_block(text: str, i: int, closing: str | None) -> tuple[list, int]:
    ops = []
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in _IGNORED:
            i += 1
        elif ch == closing:
            return ops, i + 1
        elif ch == ")":
            raise ArtkitError(f"The turtle program has a ')' at position {i + 1} with no '(' before it.")
        elif ch.isdigit():
            count, j = _read_number(text, i)
            while j < n and text[j] in " \t":
                j += 1
            if j >= n or text[j] != "(":
                raise ArtkitError(
                    f"The number at position {i + 1} must be glued to a command, like F{text[i:j].strip()} "
                    f"or +{text[i:j].strip()}, or be followed by '(' to repeat, like {text[i:j].strip()}(F10 +90)."
                )
            body, i = _parse_block(text, j + 1, closing=")")
            ops.append(("repeat", (int(count), body)))
        elif ch == "(":
            raise ArtkitError(f"The '(' at position {i + 1} needs a number before it to say how many "
                              "times to repeat, like 4(F100 +90).")
        elif ch in "FGfg+-":
            number, i = _read_number(text, i + 1)
            ops.append((ch, number))
        elif ch in "[]|":
            ops.append((ch, None))
            i += 1
        elif ch.isalpha():
            i += 1  # a placeholder letter: does nothing when drawn
        else:
            raise ArtkitError(f"The turtle doesn't know '{ch}' (position {i + 1}); it knows F f G g + - | [ ] "
                              "and numbers.")
    if closing is not None:
        raise ArtkitError("A '(' in the turtle program is never closed with ')'.")
    return ops, i


# ---------------------------------------------------------------------------------------------
# Running programs

@dataclass
class Drawing:
    """What a turtle drew: segments (N, 4) float32 [x1, y1, x2, y2] and their bracket depths."""

    segments: np.ndarray
    depths: np.ndarray

    def __len__(self) -> int:
        return len(self.segments)

    def bounds(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of everything drawn; (0, 0, 0, 0) if nothing."""
        if not len(self.segments):
            return (0.0, 0.0, 0.0, 0.0)
        xs = self.segments[:, 0::2]
        ys = self.segments[:, 1::2]
        return (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))

    def fitted(self, x: float, y: float, w: float, h: float, margin: float = 0.08) -> "Drawing":
        """The same drawing scaled (keeping its shape) and moved to sit centred in a box."""
        left, top, right, bottom = self.bounds()
        dw, dh = max(right - left, 1e-9), max(bottom - top, 1e-9)
        k = min(w * (1 - 2 * margin) / dw, h * (1 - 2 * margin) / dh)
        if right - left < 1e-9 and bottom - top < 1e-9:
            k = 1.0
        cx, cy = (left + right) / 2, (top + bottom) / 2
        seg = (self.segments - np.array([cx, cy, cx, cy], np.float32)) * np.float32(k)
        seg += np.array([x + w / 2, y + h / 2, x + w / 2, y + h / 2], np.float32)
        return Drawing(seg.astype(np.float32), self.depths)

    def polylines(self, depth: int | None = None) -> list[np.ndarray]:
        """Runs of joined-up segments (each an (M, 2) array of points), optionally of one depth."""
        seg, dep = self.segments, self.depths
        if depth is not None:
            keep = dep == depth
            seg = seg[keep]
        if not len(seg):
            return []
        # A new run starts wherever a segment doesn't begin where the previous one ended.
        breaks = np.flatnonzero(np.any(seg[1:, :2] != seg[:-1, 2:], axis=1)) + 1
        starts = np.concatenate([[0], breaks])
        ends = np.concatenate([breaks, [len(seg)]])
        return [np.vstack([seg[a:b, :2], seg[b - 1:b, 2:]]) for a, b in zip(starts, ends)]

    def draw(self, canvas=None, colours=None, weights=None) -> None:
        """Draw on a canvas (default: the running sketch's), one path per bracket depth.

        `colours`/`weights` are lists picked by depth (the last one is used for deeper
        branches); leave them out to use the current stroke colour and weight."""
        if canvas is None:
            canvas = current_canvas()
        if not len(self.segments):
            return
        depths = [None] if colours is None and weights is None else sorted(set(self.depths.tolist()))
        canvas.push()
        try:
            canvas.no_fill()
            for d in depths:
                if d is not None:
                    if colours is not None:
                        canvas.stroke(colours[min(d, len(colours) - 1)])
                    if weights is not None:
                        canvas.stroke_weight(weights[min(d, len(weights) - 1)])
                lines = self.polylines(d)
                canvas.begin_shape()
                for points in lines:
                    canvas.begin_contour()
                    for px, py in points.tolist():
                        canvas.vertex(px, py)
                canvas.end_shape()
        finally:
            canvas.pop()


class Turtle:
    """A turtle at (x, y) facing `heading` degrees (0 right, 90 up) that runs programs and
    remembers every line it drew. `step` is the default length of F, `angle` of + and -."""

    def __init__(self, x: float = 0.0, y: float = 0.0, heading: float = 90.0,
                 step: float = 10.0, angle: float = 90.0):
        self.x, self.y = float(x), float(y)
        self.heading = float(heading)
        self.step = float(step)
        self.angle = float(angle)
        self._segments: list[tuple[float, float, float, float]] = []
        self._depths: list[int] = []
        self._stack: list[tuple[float, float, float]] = []

    # The same moves as methods, for Python code.
    def forward(self, distance: float | None = None) -> "Turtle":
        self._go(self.step if distance is None else float(distance), True)
        return self

    def move(self, distance: float | None = None) -> "Turtle":
        self._go(self.step if distance is None else float(distance), False)
        return self

    def left(self, degrees: float | None = None) -> "Turtle":
        self.heading += self.angle if degrees is None else float(degrees)
        return self

    def right(self, degrees: float | None = None) -> "Turtle":
        self.heading -= self.angle if degrees is None else float(degrees)
        return self

    def _go(self, distance: float, draw: bool) -> None:
        rad = math.radians(self.heading)
        nx = self.x + distance * math.cos(rad)
        ny = self.y - distance * math.sin(rad)   # screen y points down
        if draw:
            self._segments.append((self.x, self.y, nx, ny))
            self._depths.append(len(self._stack))
        self.x, self.y = nx, ny

    def run(self, program: str) -> "Turtle":
        """Obey a turtle program (see the module docstring), carrying on from where it is."""
        self._run_ops(parse(program) if isinstance(program, str) else program)
        return self

    def _run_ops(self, ops: list) -> None:
        # The hot loop of L-system drawings: local names, no method calls per symbol.
        x, y, heading = self.x, self.y, self.heading
        step, angle = self.step, self.angle
        segments, depths, stack = self._segments, self._depths, self._stack
        cos, sin, radians = math.cos, math.sin, math.radians
        for op, arg in ops:
            if op in _DRAW or op in _MOVE:
                d = step if arg is None else arg
                rad = radians(heading)
                nx, ny = x + d * cos(rad), y - d * sin(rad)
                if op in _DRAW:
                    segments.append((x, y, nx, ny))
                    depths.append(len(stack))
                x, y = nx, ny
            elif op == "+":
                heading += angle if arg is None else arg
            elif op == "-":
                heading -= angle if arg is None else arg
            elif op == "[":
                stack.append((x, y, heading))
            elif op == "]":
                if not stack:
                    raise ArtkitError("The turtle program has a ']' with no '[' before it.")
                x, y, heading = stack.pop()
            elif op == "|":
                heading += 180.0
            else:  # repeat
                count, body = arg
                self.x, self.y, self.heading = x, y, heading
                for _ in range(count):
                    self._run_ops(body)
                x, y, heading = self.x, self.y, self.heading
        self.x, self.y, self.heading = x, y, heading

    @property
    def drawing(self) -> Drawing:
        seg = np.asarray(self._segments, dtype=np.float32).reshape(-1, 4)
        return Drawing(seg, np.asarray(self._depths, dtype=np.int32))

    def draw(self, canvas=None, colours=None, weights=None) -> None:
        """Draw everything this turtle has drawn so far (see Drawing.draw)."""
        self.drawing.draw(canvas, colours, weights)


def trace(program: str, x: float = 0.0, y: float = 0.0, heading: float = 90.0,
          step: float = 10.0, angle: float = 90.0) -> Drawing:
    """Run a program with a fresh turtle and return what it drew."""
    return Turtle(x, y, heading, step, angle).run(program).drawing


# ---------------------------------------------------------------------------------------------
# L-systems

def expand(axiom: str, rules: dict, iterations: int, limit: int = MAX_SYMBOLS) -> str:
    """Rewrite `axiom` `iterations` times, replacing each letter that has a rule."""
    if not isinstance(rules, dict):
        raise ArtkitError("The rules of an L-system are a dictionary like {\"F\": \"F+F-F\"}.")
    for key, value in rules.items():
        if not (isinstance(key, str) and len(key) == 1):
            raise ArtkitError(f"Each L-system rule replaces one letter, so {key!r} can't be a rule's name.")
        if not isinstance(value, str):
            raise ArtkitError(f"The rule for {key!r} must be text in quotes, not {value!r}.")
    if isinstance(iterations, bool) or not isinstance(iterations, int) or iterations < 0:
        raise ArtkitError(f"The number of iterations must be a whole number 0 or more, not {iterations!r}.")
    table = str.maketrans(rules)
    text = axiom
    for i in range(iterations):
        text = text.translate(table)
        if len(text) > limit:
            raise ArtkitError(f"After {i + 1} iterations the L-system is {len(text):,} symbols long, "
                              f"more than artkit draws ({limit:,}); use fewer iterations.")
    return text


@dataclass(frozen=True)
class LSystem:
    """An axiom, rules, how many times to apply them, and how the turtle turns."""

    axiom: str
    rules: dict = field(default_factory=dict)
    iterations: int = 4
    angle: float = 90.0
    heading: float = 90.0

    def program(self, iterations: int | None = None) -> str:
        return expand(self.axiom, self.rules, self.iterations if iterations is None else iterations)

    def drawing(self, iterations: int | None = None, step: float = 10.0) -> Drawing:
        return trace(self.program(iterations), 0.0, 0.0, self.heading, step, self.angle)

    def describe(self) -> str:
        """The rules as text, e.g. 'F -> F+F--F+F'."""
        return "   ".join(f"{k} -> {v}" for k, v in self.rules.items())


KOCH = LSystem("F", {"F": "F+F--F+F"}, iterations=4, angle=60.0, heading=0.0)
SIERPINSKI = LSystem("F-G-G", {"F": "F-G+F+G-F", "G": "GG"}, iterations=5, angle=120.0, heading=0.0)
PLANT = LSystem("X", {"X": "F+[[X]-X]-F[-FX]+X", "F": "FF"}, iterations=5, angle=25.0, heading=65.0)


# ---------------------------------------------------------------------------------------------
# Evolution

_GROWTH = "F+-"


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _mutate_text(text: str, rng: _random.Random, letters: str) -> str:
    """One random edit of a rule's text that keeps its brackets balanced."""
    choice = rng.random()
    pos = rng.randint(0, len(text))
    symbols = _GROWTH + letters
    if choice < 0.3:                                   # add a symbol
        return text[:pos] + rng.choice(symbols) + text[pos:]
    if choice < 0.5 and text:                          # remove a symbol (not a bracket)
        spots = [i for i, ch in enumerate(text) if ch not in "[]"]
        if spots:
            i = rng.choice(spots)
            return text[:i] + text[i + 1:]
    if choice < 0.7 and text:                          # swap a turn for the other way
        spots = [i for i, ch in enumerate(text) if ch in "+-"]
        if spots:
            i = rng.choice(spots)
            return text[:i] + ("-" if text[i] == "+" else "+") + text[i + 1:]
    if choice < 0.9:                                   # grow a new branch
        branch = "[" + rng.choice("+-") + "".join(rng.choice(symbols) for _ in range(rng.randint(1, 3))) + "]"
        return text[:pos] + branch + text[pos:]
    # duplicate an existing branch or symbol
    if text:
        i = rng.randrange(len(text))
        return text[:i] + text[i] + text[i:] if text[i] not in "[]" else text + "F"
    return text + "F"


def mutate(system: LSystem, rng: _random.Random, max_symbols: int = 50_000) -> LSystem:
    """A child of `system`: one rule edited (or the angle nudged), still drawable, and no
    longer than `max_symbols` when grown (so a generation draws in a moment)."""
    letters = "".join(sorted(k for k in system.rules if k.isalpha() and k not in "FGfg"))
    for _ in range(50):
        if rng.random() < 0.15:
            angle = round(system.angle + rng.choice([-1, 1]) * rng.uniform(3.0, 12.0), 1)
            child = replace(system, angle=angle)
        else:
            key = rng.choice(sorted(system.rules))
            text = _mutate_text(system.rules[key], rng, letters)
            if not _balanced(text) or text == system.rules[key] or not text:
                continue
            child = replace(system, rules={**system.rules, key: text})
        try:
            program = expand(child.axiom, child.rules, child.iterations, limit=max_symbols)
        except ArtkitError:
            continue  # grew too long
        if "F" in program or "G" in program:
            return child
    return system


def fitness(drawing: Drawing, cells: int = 16) -> float:
    """How much a drawing looks like a plant, 0..1, for choosing without a person.

    The product of four plain measures: it grows up from where the turtle started (the root
    is at the bottom); it is neither a pole nor a mat (width about 0.6 to 1.4 times its
    height); it spreads over its box (the fraction of a cells x cells grid it passes through);
    and it is tidy rather than tangled (few segments piled into each cell it covers)."""
    if len(drawing) < 2:
        return 0.0
    left, top, right, bottom = drawing.bounds()
    w, h = right - left, bottom - top
    if w < 1e-6 or h < 1e-6:
        return 0.0
    upright = (float(drawing.segments[0, 1]) - top) / h
    aspect = w / h
    shape = min(1.0, aspect / 0.6) * min(1.0, 1.4 / aspect)
    seg = drawing.fitted(0, 0, cells, cells, margin=0.0).segments
    # Sample points along every segment so long lines mark all the cells they cross.
    samples = 5
    t = np.linspace(0.0, 1.0, samples, dtype=np.float32)[None, :]
    xs = seg[:, 0:1] + (seg[:, 2:3] - seg[:, 0:1]) * t
    ys = seg[:, 1:2] + (seg[:, 3:4] - seg[:, 1:2]) * t
    ix = np.clip(xs.astype(np.int32), 0, cells - 1)
    iy = np.clip(ys.astype(np.int32), 0, cells - 1)
    counts = np.bincount((iy * cells + ix).ravel(), minlength=cells * cells)
    covered = float((counts > 0).mean())
    pile = counts[counts > 0].mean() / samples          # segments per covered cell
    tidy = 1.0 / (1.0 + pile / 25.0)
    return float(covered * upright ** 2 * shape * tidy)


class Evolution:
    """A generation of L-system variants shown in a grid; pick one to breed the next.

    Cell 0 is the parent, unchanged; the others are its mutants. `pick(i)` makes variant i the
    parent of a new generation; `best()` is the index fitness() likes most (headless mode).
    """

    def __init__(self, system: LSystem, size: int = 9, seed: int | None = None, columns: int | None = None,
                 max_symbols: int = 50_000):
        if size < 2:
            raise ArtkitError("An evolution needs a generation of at least 2 variants.")
        self.size = int(size)
        self.max_symbols = int(max_symbols)
        self.columns = columns or int(math.ceil(math.sqrt(self.size)))
        self.rows = int(math.ceil(self.size / self.columns))
        self.rng = _random.Random(seed)
        self.generation_number = 0
        self.history: list[LSystem] = []
        self._breed(system)

    def _breed(self, parent: LSystem) -> None:
        self.parent = parent
        self.history.append(parent)
        self.generation = [parent] + [self._mutant(parent) for _ in range(self.size - 1)]
        self._drawings = [None] * self.size

    def _mutant(self, parent: LSystem) -> LSystem:
        """One to three mutations, so a generation shows a range of small and bigger changes."""
        child = parent
        for _ in range(self.rng.randint(1, 3)):
            child = mutate(child, self.rng, self.max_symbols)
        return child

    def drawing(self, index: int) -> Drawing:
        if self._drawings[index] is None:
            self._drawings[index] = self.generation[index].drawing()
        return self._drawings[index]

    def pick(self, index: int | None) -> bool:
        """Breed the next generation from variant `index`. False (nothing happens) for None."""
        if index is None:
            return False
        if not 0 <= index < self.size:
            raise ArtkitError(f"There is no variant {index}: pick a number from 0 to {self.size - 1}.")
        self.generation_number += 1
        self._breed(self.generation[index])
        return True

    def scores(self) -> list[float]:
        return [fitness(self.drawing(i)) for i in range(self.size)]

    def best(self) -> int:
        """The variant fitness() rates highest (the parent wins ties)."""
        scores = self.scores()
        return max(range(self.size), key=lambda i: (scores[i], -i))

    def cell(self, index: int, x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
        """The box (x, y, w, h) of variant `index` in a grid filling (x, y, w, h)."""
        cw, ch = w / self.columns, h / self.rows
        return (x + (index % self.columns) * cw, y + (index // self.columns) * ch, cw, ch)

    def cell_at(self, px: float, py: float, x: float = 0.0, y: float = 0.0,
                w: float | None = None, h: float | None = None) -> int | None:
        """Which variant's cell contains the point (px, py), or None."""
        if w is None or h is None:
            canvas = current_canvas()
            w = canvas.width if w is None else w
            h = canvas.height if h is None else h
        if not (x <= px < x + w and y <= py < y + h):
            return None
        col = int((px - x) / (w / self.columns))
        row = int((py - y) / (h / self.rows))
        index = row * self.columns + col
        return index if index < self.size else None

    def draw(self, x: float = 0.0, y: float = 0.0, w: float | None = None, h: float | None = None,
             canvas=None, colours=None, weights=None) -> None:
        """Draw every variant fitted into its own cell of a grid filling (x, y, w, h)."""
        if canvas is None:
            canvas = current_canvas()
        w = canvas.width if w is None else w
        h = canvas.height if h is None else h
        for i in range(self.size):
            cx, cy, cw, ch = self.cell(i, x, y, w, h)
            self.drawing(i).fitted(cx, cy, cw, ch).draw(canvas, colours, weights)
