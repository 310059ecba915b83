"""Every message a sketch writer sees, in one place, sent through one reporter.

The runner asks this module to explain what went wrong, in words a beginner can act on:

- at load time (once, never per frame): syntax and indentation errors with a caret under the
  spot, misspelled hook names (``def drow`` -> "did you mean draw?"), hooks that ask for
  arguments artkit can't give, and assignments to names artkit keeps up to date
  (``width = 5``) or uses for its own commands (``circle = 3``);
- when a call fails: the exception is translated after the fact (never by checking arguments
  on every call, which would slow every frame): a wrong number of arguments is described
  from the function's signature ("circle needs 3 numbers: x, y and size. You gave 2."), text
  or ``None`` where a number belongs names the argument, an unknown name gets "did you mean",
  and anything else becomes "artkit found a problem in your sketch, line N: ..." with
  artkit's own frames removed.

All problems go through ``report()``, which hands them to the current reporter (a console
reporter by default). Tests swap it with ``reporting_to(CollectingReporter())``, the way
p5.js's Friendly Error System funnels everything through one function.
"""

from __future__ import annotations

import ast
import builtins
import collections
import contextlib
import difflib
import inspect
import operator
import re
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path

from artkit.errors import ArtkitError

# The functions a sketch may define, and the argument names each can ask for (by name, as in
# Pygame Zero: `def mouse_pressed(x, y):` gets the position, `def key_pressed(key):` the key).
HOOK_ARGUMENTS: dict[str, tuple[str, ...]] = {
    "setup": (),
    "draw": (),
    "mouse_pressed": ("x", "y", "button"),
    "mouse_released": ("x", "y", "button"),
    "mouse_moved": ("x", "y"),
    "mouse_dragged": ("x", "y", "button"),
    "key_pressed": ("key",),
    "key_released": ("key",),
    "mouse_wheel": ("delta", "x", "y"),   # delta: notches, + towards you (as in p5.js)
}
HOOK_NAMES = tuple(HOOK_ARGUMENTS)

# Names artkit writes into the sketch before every frame: assigning them at the top level of a
# sketch does nothing useful (the next frame overwrites them), so the loader warns.
LIVE_NAMES = (
    "width", "height", "frame_count", "mouse_x", "mouse_y", "pmouse_x", "pmouse_y",
    "mouse_is_pressed", "mouse_button", "key", "key_is_pressed", "key_code",
)

# Plain-words explanations for common run-time errors. A child sees only these words: Python's
# own name for the error ("ZeroDivisionError") would tell them nothing.
_PLAIN_EXPLANATIONS = {
    ZeroDivisionError: "you divided by zero, which has no answer",
    RecursionError: "a function kept calling itself and never stopped; make sure it stops, "
                    "for example when the size gets small enough",
    IndexError: "you asked a list for an item it doesn't have (lists count from 0)",
    KeyError: "you looked up something in a dictionary that isn't in it",
    AttributeError: "you asked for something that this value doesn't have",
    ValueError: "a value has the right type but can't be used here",
    OverflowError: "a number got too big",
    MemoryError: "the sketch used up all the memory",
}


@dataclass
class Problem:
    """One message for the sketch writer.

    ``message`` is the sentence to show; ``line``/``code``/``column`` point at the spot in the
    sketch (``column`` is 1-based, for the caret); ``warning`` problems don't stop the sketch.
    ``kind`` names the check that found it, for tests and for the window's styling.
    """

    kind: str
    message: str
    line: int | None = None
    code: str | None = None
    column: int | None = None
    path: str | None = None
    warning: bool = False
    trail: list[str] = field(default_factory=list)  # "line 12, in draw" steps that led here

    def text(self) -> str:
        """The full message: sentence, the sketch's line, a caret under the spot, the trail."""
        lines = [self.message]
        if self.code is not None:
            code = self.code.rstrip("\n").expandtabs(4)
            stripped = code.lstrip()
            lines.append("    " + stripped)
            if self.column is not None:
                indent = len(code) - len(stripped)
                caret_at = max(0, min(self.column - 1 - indent, len(stripped)))
                lines.append("    " + " " * caret_at + "^")
        if len(self.trail) > 1:
            lines.append("How it got there: " + " -> ".join(_squash(self.trail)))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()


def _squash(trail: list[str], keep: int = 6) -> list[str]:
    """Collapse repeats ('line 4, in branch (x 990)') and keep the last few steps."""
    squashed: list[list] = []
    for step in trail:
        if squashed and squashed[-1][0] == step:
            squashed[-1][1] += 1
        else:
            squashed.append([step, 1])
    words = [step if n == 1 else f"{step} (x {n})" for step, n in squashed]
    if len(words) > keep:
        words = ["..."] + words[-keep:]
    return words


class ConsoleReporter:
    """Prints each problem to stderr, once, after the sketch's file name (like a compiler:
    `flower.py: ...`, `flower.py: warning: ...`), with a blank line after it."""

    def __init__(self, stream=None):
        self.stream = stream

    def report(self, problem: Problem) -> None:
        stream = self.stream or sys.stderr
        name = Path(problem.path).name if problem.path else "your sketch"
        label = " warning:" if problem.warning else ""
        print(f"{name}:{label} {problem.text()}\n", file=stream, flush=True)


class CollectingReporter:
    """Keeps problems in a list (tests, and the window's message box)."""

    def __init__(self):
        self.problems: list[Problem] = []

    def report(self, problem: Problem) -> None:
        self.problems.append(problem)

    @property
    def texts(self) -> list[str]:
        return [p.text() for p in self.problems]


reporter = ConsoleReporter()


def report(problem: Problem) -> Problem:
    """Send a problem to the current reporter and give it back."""
    reporter.report(problem)
    return problem


@contextlib.contextmanager
def reporting_to(new_reporter):
    """Swap the reporter inside a `with` block (tests use a CollectingReporter)."""
    global reporter
    previous = reporter
    reporter = new_reporter
    try:
        yield new_reporter
    finally:
        reporter = previous


# ---------------------------------------------------------------------------------------------
# Words

def join_words(words) -> str:
    """['x', 'y', 'size'] -> 'x, y and size'."""
    words = [str(w) for w in words]
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def camel_to_snake(name: str) -> str:
    """'strokeWeight' -> 'stroke_weight', 'mouseX' -> 'mouse_x' (p5.js habits)."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def suggest(name: str, candidates, cutoff: float = 0.7) -> str | None:
    """The candidate a beginner most likely meant by ``name``, or None."""
    pool = [c for c in dict.fromkeys(candidates) if c and not c.startswith("_")]
    if name in pool:
        return None
    snake = camel_to_snake(name)
    if snake in pool:
        return snake
    squashed = {c.replace("_", "").lower(): c for c in pool}
    key = name.replace("_", "").lower()
    if key in squashed:
        return squashed[key]
    close = difflib.get_close_matches(name, pool, n=1, cutoff=cutoff)
    if not close and snake != name:
        close = difflib.get_close_matches(snake, pool, n=1, cutoff=cutoff)
    return close[0] if close else None


# ---------------------------------------------------------------------------------------------
# Load-time checks

_SYNTAX_HINTS = [
    (r"expected ':'", "a line that starts with def, if, else, for or while must end with a colon ':'"),
    (r"'(.)' was never closed", "a '{0}' is opened here but never closed"),
    (r"unmatched '(.)'", "there is a '{0}' here with no matching opening bracket"),
    (r"closing parenthesis '(.)' does not match opening parenthesis '(.)'",
     "a '{1}' is closed with '{0}'; the brackets don't match"),
    (r"unterminated string literal", "a piece of text in quotes is missing its closing quote"),
    (r"unterminated triple-quoted string literal", "a text in triple quotes is never closed"),
    (r"invalid syntax\. Perhaps you forgot a comma\?", "a comma seems to be missing between two things"),
    (r"Missing parentheses in call to '(\w+)'", "in Python 3, {0} needs brackets: {0}(...)"),
    (r"cannot assign to function call", "you can't put a function call on the left of '='"),
    (r"invalid syntax\. Maybe you meant '==' or ':=' instead of '='\?",
     "to compare two things write '==' (one '=' stores a value)"),
    (r"invalid decimal literal", "a name can't start with a number, and numbers can't contain letters"),
    (r"invalid syntax", "Python can't understand this line"),
]

_INDENT_HINTS = [
    (r"expected an indented block after (.*) on line (\d+)",
     "the lines after {0} on line {1} must be indented (moved right, usually 4 spaces)"),
    (r"unexpected indent", "this line is indented (moved right) but nothing above asks for that"),
    (r"unindent does not match any outer indentation level",
     "this line's indentation doesn't line up with the lines above it"),
    (r"inconsistent use of tabs and spaces", "this line mixes tabs and spaces; use spaces only"),
]


def explain_syntax_error(error: SyntaxError, path: str | None, lines: list[str]) -> Problem:
    """A SyntaxError or IndentationError as a Problem with a caret under the spot."""
    msg = error.msg or "invalid syntax"
    hints = _INDENT_HINTS if isinstance(error, IndentationError) else _SYNTAX_HINTS
    hint = None
    for pattern, words in hints:
        m = re.search(pattern, msg)
        if m:
            hint = words.format(*m.groups())
            break
    line = error.lineno
    code = lines[line - 1] if line and 0 < line <= len(lines) else (error.text or None)
    column = error.offset if error.offset and error.offset > 0 else None
    sentence = hint or f"Python can't understand this line ({msg})"
    where = f", line {line}" if line else ""
    message = f"artkit can't read your sketch{where}: {sentence}."
    return Problem("syntax", message, line, code, column, path)


def _called_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            names.add(node.func.id)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            names.add(node.id)  # passed as a value, e.g. repeat(10, flower)
    return names


def check_hooks(tree: ast.Module, path: str | None, lines: list[str]) -> list[Problem]:
    """Warn about functions that look like misspelled hooks (`drow`, `Draw`, `setUp`,
    `mousePressed`). A function the sketch calls itself is a helper, not a hook, so it's
    left alone; so is a near miss when the real hook is defined too."""
    defined = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    called = _called_names(tree)
    problems = []
    for name, node in defined.items():
        if name in HOOK_ARGUMENTS or name in called:
            continue
        guess = suggest(name, HOOK_NAMES, cutoff=0.75)
        if guess and guess not in defined:
            problems.append(Problem(
                "hook",
                f"line {node.lineno}: found a function named {name}: did you mean {guess}? "
                f"artkit only calls "
                f"functions with the names it knows, like setup, draw and mouse_pressed.",
                node.lineno, _line(lines, node.lineno), None, path, warning=True,
            ))
    return problems


def check_hook_arguments(function, hook: str, path: str | None, lines: list[str]) -> Problem | None:
    """A hook that asks for an argument artkit can't give it (`def mouse_pressed(pos):`)."""
    allowed = HOOK_ARGUMENTS[hook]
    try:
        params = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return None
    unknown = [p.name for p in params
               if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
               and p.default is p.empty and p.name not in allowed]
    if not unknown:
        return None
    can = f"can take {join_words(allowed)}" if allowed else "takes no arguments"
    line = function.__code__.co_firstlineno
    return Problem(
        "hook",
        f"line {line}: {hook} {can}, but yours asks for {join_words(unknown)}. "
        f"Write def {hook}({', '.join(allowed)}): or leave the brackets empty.",
        line, _line(lines, line), None, path,
    )


def check_reserved_names(tree: ast.Module, api_names, path: str | None, lines: list[str]) -> list[Problem]:
    """Warn when the top level of a sketch (or a function using `global`) assigns a name artkit
    keeps up to date (`width = 5`) or one of artkit's commands (`circle = 3`, `def fill():`)."""
    api_names = set(api_names)
    problems = []
    seen = set()

    def warn(name: str, node: ast.AST) -> None:
        if (name, node.lineno) in seen:
            return
        seen.add((name, node.lineno))
        if name in LIVE_NAMES:
            text = (f"line {node.lineno}: your sketch sets {name}, but artkit sets {name} itself "
                    f"before every frame, "
                    f"so your value will be replaced. Use a different name, like my_{name}.")
        else:
            text = (f"line {node.lineno}: your sketch uses the name {name} for something of its "
                    f"own, so artkit's "
                    f"{name}() command can't be used any more. Pick a different name, like my_{name}.")
        problems.append(Problem("reserved", text, node.lineno, _line(lines, node.lineno),
                                None, path, warning=True))

    def targets_of(node: ast.AST):
        if isinstance(node, (ast.Assign,)):
            for t in node.targets:
                yield from _target_names(t)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            yield from _target_names(node.target)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            yield from _target_names(node.target)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            yield node.name

    watched = set(LIVE_NAMES) | api_names
    # Top level (not inside functions or classes).
    for node in _top_level_statements(tree):
        for name in targets_of(node):
            if name in watched and not (isinstance(node, ast.FunctionDef) and name in HOOK_ARGUMENTS):
                warn(name, node)
    # Inside functions: only names declared `global` reach the sketch's own variables.
    for func in ast.walk(tree):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        declared = {n for stmt in ast.walk(func) if isinstance(stmt, ast.Global) for n in stmt.names}
        declared &= watched
        if not declared:
            continue
        for node in ast.walk(func):
            for name in targets_of(node):
                if name in declared:
                    warn(name, node)
    return problems


def _top_level_statements(tree: ast.Module):
    """Statements at module level, including those nested in if/for/while/with/try blocks."""
    stack = list(tree.body)
    while stack:
        node = stack.pop(0)
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for name in ("body", "orelse", "finalbody"):
            stack.extend(getattr(node, name, []) or [])
        for handler in getattr(node, "handlers", []) or []:
            stack.extend(handler.body)


def _target_names(target: ast.AST):
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for elt in target.elts:
            yield from _target_names(elt)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


def _line(lines: list[str], lineno: int | None) -> str | None:
    if lineno and 0 < lineno <= len(lines):
        return lines[lineno - 1]
    return None


# ---------------------------------------------------------------------------------------------
# Habits from elsewhere and other beginners' mistakes (artkit.mistakes finds them at load time;
# the words are here)

LANGUAGES = {"javascript": "JavaScript (p5.js)", "processing": "Processing (Java)"}

# Each JavaScript / Processing habit, and what Python does instead. {detail} is the word the
# sketch used (let, int, ++...).
FOREIGN_HABITS = {
    "function": "JavaScript makes a function with function and { }, but Python starts it with "
                "def, ends the line with a colon and indents the lines inside",
    "typed_function": "Processing (Java) puts {detail} in front of a function, but Python starts "
                      "it with def, ends the line with a colon and indents the lines inside",
    "typed_parameters": "Python doesn't write a type like {detail} in front of a function's "
                        "inputs, just their names",
    "constructor": "JavaScript sets up a new object in constructor, but Python does it in a "
                   "function called __init__ whose first input is self",
    "method": "a function inside a Python class starts with def, takes self as its first input "
              "and ends the line with a colon",
    "class": "Python ends the first line of a class with a colon and indents what is inside, "
             "instead of using { }",
    "for_count": "this is how JavaScript and Processing count in a loop; Python counts with range",
    "for_each": "Python goes through a list with for ... in, ending the line with a colon",
    "else_if": "Python writes else if as one word, elif, and ends the line with a colon",
    "else": "Python writes else with a colon, and indents the lines inside instead of using { }",
    "if": "Python writes if without brackets round the test, and with a colon at the end "
          "instead of {",
    "while": "Python writes while without brackets round the test, and with a colon at the end "
             "instead of {",
    "declaration": "JavaScript makes a variable with {detail}, but Python makes one just by "
                   "giving it a value",
    "typed_declaration": "Processing (Java) writes {detail} in front of a new variable, but "
                         "Python makes one just by giving it a value",
    "increment": "Python has no {detail}: write += 1 to count up, or -= 1 to count down",
    "template_string": "Python puts values into text with an f-string, f\"Score: {score}\", "
                       "instead of `Score: ${score}`",
    "new": "Python makes a new object or list without the word new",
    "strict_equals": "Python compares with == and != (it has no === or !==)",
    "logic": "Python writes {detail} as {word}",
    "closing_brace": "Python ends a block by moving the next line back to the left, so it has "
                     "no } to close it: delete the }",
    "opening_brace": "Python doesn't start a block with {: end the line above with a colon and "
                     "delete this line",
    "brace": "Python starts a block with a colon at the end of the line, and indented lines "
             "after it, not {",
    "block_comment": "a comment in Python starts with # on each line, not /* ... */",
    "line_comment": "a comment in Python starts with #, not //",
}


def _lines_phrase(numbers: list[int], keep: int = 8) -> str:
    """[2, 3, 5] -> 'lines 2, 3 and 5'; long lists end '... and 12 more'."""
    if len(numbers) == 1:
        return f"line {numbers[0]}"
    if len(numbers) <= keep:
        return "lines " + join_words(numbers)
    return "lines " + ", ".join(str(n) for n in numbers[:keep]) + f" and {len(numbers) - keep} more"


def foreign_syntax_problem(habit: str, detail: str, python: str | None, line: int,
                           column: int | None, language: str | None, other_lines: list[int],
                           path: str | None, lines: list[str]) -> Problem:
    """Python can't read a line written the JavaScript or Processing way; `python` is the line
    as Python ("" when it should go, None when artkit isn't sure)."""
    sentence = FOREIGN_HABITS[habit].replace("{detail}", detail)
    sentence = sentence.replace("{word}", {"&&": "and", "||": "or", "!": "not"}.get(detail, ""))
    fix = f" In Python this line is:  {python}" if python else ""
    tail = ""
    if other_lines:
        verb = "needs" if len(other_lines) == 1 else "need"
        if language:
            tail = (f"  (Your sketch looks like {LANGUAGES[language]}: {_lines_phrase(other_lines)} "
                    f"{verb} changing to Python too.)")
        else:
            tail = f"  ({_lines_phrase(other_lines).capitalize()} {verb} the same kind of change.)"
    message = f"artkit can't read your sketch, line {line}: {sentence}.{fix}{tail}"
    return Problem("foreign", message, line, _line(lines, line), column, path)


def foreign_names_problem(found: list[tuple[int, int, str, str, str]], path: str | None,
                          lines: list[str]) -> Problem:
    """Names from p5.js, Processing or JavaScript that Python doesn't know. `found` holds
    (line, column, the code, the code in Python, where it comes from), first one first."""
    line, column, code, python, where = found[0]
    # mouseX becomes artkit's mouse_x; true, this and console.log become Python's own words.
    head = re.match(r"\w*", python).group(0)
    to = "Python" if head in dir(builtins) or head == "self" else "artkit"
    message = (f"artkit found a problem in your sketch, line {line}: {code} is how {where} "
               f"writes it. In {to}, write  {python}")
    if len(found) > 1:
        rest = [f"{c} to {p} on line {n}" for n, _, c, p, _ in found[1:6]]
        more = f", and {len(found) - 6} more" if len(found) > 6 else ""
        message += f"  (Change {join_words(rest)}{more} too.)"
    return Problem("foreign", message, line, _line(lines, line), column, path)


_LIBRARY_REASONS = {
    "p5": "artkit already has p5's commands, with Python names (size, circle, fill, mouse_x), so a "
          "sketch doesn't import {module}. Delete this line",
    "turtle": "artkit has its own turtle, so a sketch doesn't import Python's. Delete this line: "
              "turtle(\"4(F100 +90)\") draws a square with artkit's",
    "game": "{module} runs its own game window, and artkit already runs the window for your "
            "sketch. Delete this line and draw with artkit's commands (circle, rect, line...)",
    "window": "artkit opens the window and draws for you, so a sketch doesn't need {module}. "
              "Delete this line and draw with artkit's commands (circle, rect, line...)",
}


def other_library_problem(statement: str, module: str, kind: str, warning: bool, line: int,
                          path: str | None, lines: list[str]) -> Problem:
    """`from p5 import *`, `import turtle`, `import pygame`... in an artkit sketch."""
    reason = _LIBRARY_REASONS[kind].format(module=module)
    lead = f"line {line}:" if warning else f"artkit found a problem in your sketch, line {line}:"
    return Problem("import", f"{lead} {reason}.", line, _line(lines, line), None, path, warning=warning)


def replaced_command_problem(statement: str, name: str, module: str, call_line: int, line: int,
                             path: str | None, lines: list[str]) -> Problem:
    """`import random` and then `random(400)`: the import took the name from artkit's command."""
    message = (f"artkit found a problem in your sketch, line {line}: {statement} swaps artkit's "
               f"{name} command for Python's {module}, so {name}(...) on line {call_line} won't "
               f"work. Delete this line: artkit's {name} needs no import.")
    return Problem("import", message, line, _line(lines, line), None, path)


def radians_import_problem(statement: str, names: list[str], line: int, path: str | None,
                           lines: list[str]) -> Problem:
    """`from math import *`: Python's sin and cos take radians, artkit's take degrees."""
    listed = join_words(names)
    message = (f"line {line}: {statement} swaps artkit's {listed} (which use degrees) for "
               f"Python's (which use radians), so your angles will come out wrong. Delete this "
               f"line: artkit's own sin, cos, sqrt and PI need no import.")
    return Problem("import", message, line, _line(lines, line), None, path, warning=True)


def missing_global_sentence(name: str, function: str, made_outside: bool) -> str:
    """Why `x = x + 1` in a function fails without `global x` (at load time and at run time)."""
    if made_outside:
        return (f"{function} changes {name}, so Python thinks {name} belongs to {function} alone, "
                f"and it has no value there yet. To change the {name} made at the top of your "
                f"sketch, write  global {name}  as the first line of {function}.")
    return (f"{function} changes {name}, so Python thinks {name} belongs to {function} alone and "
            f"it has no value yet. If {name} is made outside the function, write  global {name}  "
            f"as the first line of {function}.")


def missing_global_problem(name: str, function: str, line: int, change_line: int,
                           path: str | None, lines: list[str]) -> Problem:
    """Found at load time: a function uses a top-level variable before changing it, with no
    `global`."""
    message = (f"artkit found a problem in your sketch, line {line}: "
               f"{missing_global_sentence(name, function, made_outside=True)}")
    return Problem("global", message, line, _line(lines, line), None, path)


def does_nothing_problem(code: str, fix: str, line: int, path: str | None, lines: list[str]) -> Problem:
    """A command (or the sketch's own function) named on a line of its own, without brackets."""
    fill_in = " with what it needs in the brackets." if fix.endswith("(...)") else ""
    message = (f"line {line}: {code} on its own does nothing: a command only runs with brackets "
               f"after it. Write  {fix}{fill_in}")
    return Problem("does_nothing", message, line, _line(lines, line), None, path, warning=True)


def hook_named_alone_problem(name: str, line: int, path: str | None, lines: list[str]) -> Problem:
    """`draw` on a line of its own, as if to start it: artkit calls the hooks itself."""
    message = (f"line {line}: {name} on its own does nothing, and artkit calls {name} for you "
               f"anyway, so you can delete this line.")
    return Problem("does_nothing", message, line, _line(lines, line), None, path, warning=True)


def comparison_does_nothing_problem(code: str, fix: str, line: int, path: str | None,
                                    lines: list[str]) -> Problem:
    """`x == 5` on a line of its own: a comparison whose answer goes nowhere."""
    message = (f"line {line}: {code} only checks whether they are equal, so this line does "
               f"nothing. To give a variable a value, use one =:  {fix}")
    return Problem("does_nothing", message, line, _line(lines, line), None, path, warning=True)


def semicolons_problem(numbers: list[int], path: str | None, lines: list[str]) -> Problem:
    """Lines ending in ; (harmless in Python, but a JavaScript habit)."""
    where = "" if len(numbers) == 1 else f" It is on {_lines_phrase(numbers)}."
    message = (f"line {numbers[0]}: Python doesn't need a ; at the end of a line (that's a "
               f"JavaScript habit), so you can delete it.{where}")
    return Problem("foreign", message, numbers[0], _line(lines, numbers[0]), None, path, warning=True)


# ---------------------------------------------------------------------------------------------
# Run-time errors

def timeout_problem(hook: str, seconds: float, exc: BaseException | None, path: str | None,
                    lines: list[str]) -> Problem:
    """setup/draw ran too long: artkit stopped it (the infinite-loop guard)."""
    frame = _last_sketch_frame(exc, path) if exc is not None else None
    line = frame.tb_lineno if frame else None
    where = f" It was busy at line {line}." if line else ""
    loop = _innermost_loop(lines, line)
    if loop is not None:
        keyword = "while" if isinstance(loop, ast.While) else "for"
        busy = "" if loop.lineno == line else f" (busy at line {line})"
        where = f" It was going round the {keyword} loop on line {loop.lineno}{busy}."
    message = (f"artkit stopped your sketch: {hook} ran for {seconds:g} seconds without finishing.{where} "
               "Is there a loop that never ends, like while True? Make sure every loop can stop.")
    return Problem("timeout", message, line, _line(lines, line), None, path)


def _innermost_loop(lines: list[str], line: int | None):
    """The innermost while or for loop around a line of the sketch, or None."""
    tree = _parse_lines(lines) if line else None
    if tree is None:
        return None
    loops = [n for n in ast.walk(tree) if isinstance(n, (ast.While, ast.For))
             and n.lineno <= line <= n.end_lineno]
    return max(loops, key=lambda n: n.lineno, default=None)


def explain_exception(exc: BaseException, path: str | None, lines: list[str], namespace: dict,
                      api_module: types.ModuleType | None = None) -> Problem:
    """Translate an exception raised by sketch code into a Problem.

    ``namespace`` is the sketch module's dict (for "did you mean" and for the sketch's own
    functions); ``api_module`` is where artkit's beginner commands live.
    """
    sketch_frames = _sketch_frames(exc, path)
    last = sketch_frames[-1] if sketch_frames else None
    if isinstance(exc, RecursionError):
        # Point at the call that kept repeating, not wherever the last one happened to be.
        last = _recursion_call(sketch_frames) or last
    line = last.tb_lineno if last else None
    code = _line(lines, line)
    trail = [f"line {tb.tb_lineno}, in {_frame_label(tb)}" for tb in sketch_frames]
    called = last.tb_next if last else None  # the artkit function the sketch called, if any

    # Each explainer returns (kind, sentence) when it recognises the error, else None.
    kind, explanation = (
        _explain_call_arity(exc, namespace, api_module)
        or _explain_bad_argument(exc, called, api_module)
        or _explain_name_error(exc, namespace)
        or _explain_unbound_local(exc, last, namespace)
        or _explain_artkit_error(exc, called)
        or _explain_not_callable(exc)
        or _explain_text_and_number(exc, last, lines)
        or _explain_list_index(exc, last, lines)
        or _explain_recursion(exc, last, lines)
        or _explain_foreign_method(exc, last, lines)
        or _explain_generic(exc)
    )
    where = f", line {line}" if line else ""
    message = f"artkit found a problem in your sketch{where}: {explanation}"
    return Problem(kind, message, line, code, None, path, trail=trail)


def _answer(kind: str, text: str) -> tuple[str, str]:
    return kind, text


def _sketch_frames(exc: BaseException, path: str | None) -> list:
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        if path is not None and tb.tb_frame.f_code.co_filename == path:
            frames.append(tb)
        tb = tb.tb_next
    return frames


def _last_sketch_frame(exc: BaseException, path: str | None):
    frames = _sketch_frames(exc, path)
    return frames[-1] if frames else None


def _frame_label(tb) -> str:
    name = tb.tb_frame.f_code.co_name
    return "the sketch's top level" if name == "<module>" else name


_ARITY = re.compile(
    r"^(?P<name>[\w.]+)\(\) (?:"
    r"missing (?P<missing>\d+) required positional arguments?: (?P<which>.*)"
    r"|takes (?:from \d+ to )?\d+ positional arguments? but (?P<given>\d+) (?:was|were) given"
    r"|got an unexpected keyword argument '(?P<keyword>\w+)'"
    r")$"
)


def _explain_call_arity(exc, namespace: dict, api_module) -> tuple[str, str] | None:
    if not isinstance(exc, TypeError):
        return None
    m = _ARITY.match(str(exc))
    if not m:
        return None
    name = m.group("name").split(".")[-1]
    function = namespace.get(name)
    if function is None and api_module is not None:
        function = getattr(api_module, name, None)
    if not callable(function):
        return None
    described = describe_parameters(function)
    if described is None:
        return None
    required, optional, unit = described
    mine = not _is_artkit_function(function, api_module)
    subject = f"your function {name}" if mine else name
    if m.group("keyword"):
        return _answer("arguments", f"{subject} doesn't have a setting called {m.group('keyword')}; "
                                f"it takes {join_words(required + optional) or 'nothing'}.")
    if m.group("missing"):
        given = len(required) - int(m.group("missing"))
    else:
        given = int(m.group("given"))
    text = f"{subject} needs {_needs(required, optional, unit)}. You gave {given}."
    return _answer("arguments", text)


def _needs(required: list[str], optional: list[str], unit: str) -> str:
    if not required and not optional:
        return "nothing in its brackets"
    if required:
        head = f"{_plural(len(required), unit)}: {join_words(required)}"
    else:
        head = "nothing"
    if optional:
        head += f" (and it can also take {join_words(optional)})"
    return head


def describe_parameters(function) -> tuple[list[str], list[str], str] | None:
    """(required names, optional names, 'number' or 'value') from a function's signature.

    The unit is "number" when every parameter is annotated as a number (artkit's drawing
    commands are), so the message can say "circle needs 3 numbers"."""
    try:
        sig = inspect.signature(function)
    except (TypeError, ValueError):
        return None
    required, optional, numeric = [], [], True
    for p in sig.parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            return None  # flexible functions explain themselves
        (required if p.default is p.empty else optional).append(p.name)
        if str(p.annotation) not in ("float", "int", "<class 'float'>", "<class 'int'>"):
            numeric = False
    unit = "number" if numeric and (required or optional) else "value"
    return required, optional, unit


def _is_artkit_function(function, api_module) -> bool:
    module = getattr(function, "__module__", "") or ""
    return module.startswith("artkit") or (api_module is not None and module == api_module.__name__)


def _numeric_parameters(function) -> list[str]:
    try:
        sig = inspect.signature(function)
    except (TypeError, ValueError):
        return []
    return [p.name for p in sig.parameters.values()
            if str(p.annotation) in ("float", "int", "<class 'float'>", "<class 'int'>")]


def _explain_bad_argument(exc, called_tb, api_module) -> tuple[str, str] | None:
    """Text or None where an artkit command wanted a number: name the argument."""
    if called_tb is None or not isinstance(exc, (TypeError, ValueError, ArtkitError)):
        return None
    frame = called_tb.tb_frame
    name = frame.f_code.co_name
    function = getattr(api_module, name, None) if api_module is not None else None
    if function is None or getattr(function, "__code__", None) is not frame.f_code:
        return None
    for param in _numeric_parameters(function):
        value = frame.f_locals.get(param)
        if isinstance(value, str):
            return _answer("argument", f"{name} needs a number for {param}, but you gave the text "
                                       f"{value!r}. Numbers are written without quotes, like 200.")
        if value is None and param in frame.f_locals:
            return _answer("argument", f"{name} needs a number for {param}, but it got None (nothing). "
                                       "Did a function forget to return its answer?")
        if isinstance(value, (list, tuple, dict, set)):
            return _answer("argument", f"{name} needs a number for {param}, but you gave a "
                                       f"{type(value).__name__}: {value!r}.")
    return None


def _explain_name_error(exc, namespace: dict) -> tuple[str, str] | None:
    if not isinstance(exc, NameError) or isinstance(exc, UnboundLocalError):
        return None
    name = getattr(exc, "name", None)
    if not name:
        m = re.search(r"name '(\w+)' is not defined", str(exc))
        name = m.group(1) if m else None
    if not name:
        return None
    pool = list(namespace) + [n for n in dir(builtins) if not n[0].isupper()]
    guess = suggest(name, pool, cutoff=0.6)
    if guess:
        return _answer("name", f"I don't know the name {name}. Did you mean {guess}?")
    return _answer("name", f"I don't know the name {name}. Check its spelling, and make sure "
                           "you made it (with = or def) before using it.")


def _explain_unbound_local(exc, sketch_tb, namespace: dict) -> tuple[str, str] | None:
    if not isinstance(exc, UnboundLocalError):
        return None
    m = re.search(r"variable '(\w+)'", str(exc))
    name = m.group(1) if m else "a variable"
    function = _frame_label(sketch_tb) if sketch_tb else "this function"
    return _answer("name", missing_global_sentence(name, function, made_outside=name in namespace))


def _explain_artkit_error(exc, called_tb) -> tuple[str, str] | None:
    if not isinstance(exc, ArtkitError):
        return None
    kind = "colour" if type(exc).__name__.startswith("UnknownColo") else "artkit"
    text = str(exc)
    if called_tb is not None:
        name = called_tb.tb_frame.f_code.co_name
        if not name.startswith("_") and name != "<module>" and not text.startswith(name):
            return _answer(kind, f"{name}: {text}")
    return _answer(kind, text)


def _explain_not_callable(exc) -> tuple[str, str] | None:
    if not isinstance(exc, TypeError):
        return None
    m = re.match(r"'(\w+)' object is not callable", str(exc))
    if not m:
        return None
    return _answer("runtime", f"you used brackets after something that is a {m.group(1)}, not a "
                               "command. Did you give a variable the same name as a command "
                               "(like random = 5)?")


# What JavaScript (and Processing) call a list's or a text's abilities, and Python's way.
_FOREIGN_METHODS = {
    ("list", "length"): "len({obj})", ("list", "size"): "len({obj})",
    ("list", "push"): "{obj}.append(...)", ("list", "add"): "{obj}.append(...)",
    ("list", "get"): "{obj}[...]", ("list", "indexOf"): "{obj}.index(...)",
    ("list", "includes"): "... in {obj}", ("list", "contains"): "... in {obj}",
    ("list", "forEach"): "for item in {obj}:", ("list", "isEmpty"): "len({obj}) == 0",
    ("tuple", "length"): "len({obj})", ("dict", "length"): "len({obj})",
    ("str", "length"): "len({obj})", ("str", "toUpperCase"): "{obj}.upper()",
    ("str", "toLowerCase"): "{obj}.lower()", ("str", "charAt"): "{obj}[...]",
    ("str", "includes"): "... in {obj}", ("str", "contains"): "... in {obj}",
    ("str", "indexOf"): "{obj}.find(...)", ("str", "trim"): "{obj}.strip()",
    ("str", "equals"): "{obj} == ...", ("str", "substring"): "{obj}[start:end]",
}
_KIND_WORDS = {"list": "lists", "tuple": "lists", "dict": "dictionaries", "str": "texts"}


def _explain_foreign_method(exc, sketch_tb, lines) -> tuple[str, str] | None:
    """`colours.length`, `balls.push(b)`: JavaScript's names for what a list or text can do."""
    if not isinstance(exc, AttributeError):
        return None
    m = re.match(r"'(\w+)' object has no attribute '(\w+)'", str(exc))
    if not m or (m.group(1), m.group(2)) not in _FOREIGN_METHODS:
        return None
    kind, attribute = m.groups()
    obj = "it"
    for node in _nodes_on_line(lines, sketch_tb):
        if isinstance(node, ast.Attribute) and node.attr == attribute:
            obj = _source_of(lines, node.value) or obj
            break
    python = _FOREIGN_METHODS[(kind, attribute)].format(obj=obj)
    return _answer("foreign", f"{obj}.{attribute} is how JavaScript writes it, but Python's "
                              f"{_KIND_WORDS[kind]} have no {attribute}. In Python write  {python}")


_TEXT_AND_NUMBER = re.compile(
    r'can only concatenate str \(not "(?P<other>\w+)"\) to str'
    r"|unsupported operand type\(s\) for (?P<op>[^:]+): '(?P<left>\w+)' and '(?P<right>\w+)'")


def _explain_text_and_number(exc, sketch_tb, lines) -> tuple[str, str] | None:
    """`"Score: " + score`: text and a number can't be added; say how to turn the number into
    text (str() or an f-string), or the text into a number (int())."""
    if not isinstance(exc, TypeError):
        return None
    m = _TEXT_AND_NUMBER.search(str(exc))
    if not m:
        return None
    if m.group("other"):
        other, op = m.group("other"), "+"
    else:
        kinds = {m.group("left"), m.group("right")}
        if "str" not in kinds or len(kinds) != 2:
            return None
        other, op = (kinds - {"str"}).pop(), m.group("op").rstrip("=")
    if other not in ("int", "float", "bool", "NoneType"):
        return None
    if other == "NoneType":
        return _answer("text_and_number", "you added text and None (nothing), which can't be "
                                          "added. Did a function forget to return its answer?")
    if op != "+":
        return _answer("text_and_number", f"you can't use {op} with text: one side is text (in "
                                          "quotes). Turn text like \"5\" into a number with "
                                          "int(...) or float(...).")
    parts = _added_parts(sketch_tb, lines)
    if not parts:
        return _answer("text_and_number", "you can't add text and a number. Turn the number into "
                                          "text with str(...), or put it in an f-string, like "
                                          "f\"Score: {score}\".")
    frame = sketch_tb.tb_frame
    texts = [p for p in parts if _is_text_literal(p)]
    others = [p for p in parts if not _is_text_literal(p)]
    values = [_safe_value(p, frame) for p in others]
    numbers = [p for p, v in zip(others, values) if isinstance(v, (int, float)) or v is _UNKNOWN]
    if not texts:
        # Only variables: one holds text, another a number.
        words = [(p, v) for p, v in zip(others, values) if isinstance(v, str)]
        nums = [p for p, v in zip(others, values) if isinstance(v, (int, float))]
        if words and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", words[0][1]):
            # A number kept in quotes: radius = "40".
            w = _source_of(lines, words[0][0])
            return _answer("text_and_number", f"{w} holds the text {words[0][1]!r}, not a number, "
                                              f"so it can't be added to one. If {w} should be a "
                                              f"number, write  int({w})  (or store it without "
                                              f"quotes).")
        numbers = nums or [p for p, v in zip(others, values) if not isinstance(v, str)]
    number = _source_of(lines, numbers[0]) if numbers else "the number"
    fixed = _as_f_string(parts, lines) if texts else None
    also = f", or write it all as an f-string:  {fixed}" if fixed else ""
    return _answer("text_and_number", f"you can't add text and a number: {number} is a number. "
                                      f"Turn it into text with  str({number}){also}")


def _added_parts(sketch_tb, lines) -> list:
    """The things added together on the failing line ("Score: " + score -> two parts), from
    the outermost sum that has a text in quotes in it (or `message += score`)."""
    sums = [n for n in _nodes_on_line(lines, sketch_tb)
            if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add)]
    tree = _parse_lines(lines) if sketch_tb is not None else None
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add) \
                and node.lineno == sketch_tb.tb_lineno:
            return [node.target, node.value]
    chains = []
    for node in sums:
        if any(node is not other and _within(node, other) for other in sums):
            continue
        chains.append(_sum_parts(node))
    chains.sort(key=lambda parts: not any(_is_text_literal(p) for p in parts))
    return chains[0] if chains else []


def _sum_parts(node) -> list:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _sum_parts(node.left) + _sum_parts(node.right)
    return [node]


def _is_text_literal(node) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _as_f_string(parts, lines) -> str | None:
    """"Score: " + score -> f"Score: {score}" (None when a part is already an f-string)."""
    pieces = []
    for part in parts:
        if _is_text_literal(part):
            pieces.append(part.value.replace("{", "{{").replace("}", "}}"))
        elif isinstance(part, ast.JoinedStr):
            return None
        else:
            code = _source_of(lines, part)
            if code is None or "\n" in code:
                return None
            pieces.append("{" + code + "}")
    text = "".join(pieces)
    if "\\" in text or "\n" in text:
        return None
    quote = "'" if '"' in text else '"'
    return f"f{quote}{text}{quote}"


def _explain_list_index(exc, sketch_tb, lines) -> tuple[str, str] | None:
    """`colours[2]` on a list of 2: say how many items it has and how they are numbered."""
    if not isinstance(exc, IndexError) or sketch_tb is None:
        return None
    frame = sketch_tb.tb_frame
    for node in _nodes_on_line(lines, sketch_tb):
        if not isinstance(node, ast.Subscript) or isinstance(node.slice, ast.Slice):
            continue
        container = _safe_value(node.value, frame)
        index = _safe_value(node.slice, frame)
        if not isinstance(container, (list, tuple, str)) or type(index) is not int:
            continue
        if -len(container) <= index < len(container):
            continue
        code = _source_of(lines, node) or "this"
        name = _source_of(lines, node.value) or "it"
        which = _source_of(lines, node.slice)
        unit = "letter" if isinstance(container, str) else "item"
        kind = "text" if isinstance(container, str) else "list"
        asks = f"{code} asks for {unit} {index}"
        if which is not None and which != str(index):
            asks += f" ({which} is {index})"
        n = len(container)
        if n == 0:
            return _answer("index", f"{asks}, but this {kind} is empty: it has no {unit}s yet. "
                                    f"Check that something is put into {name} before this line.")
        numbered = "numbered 0" if n == 1 else "numbered 0 and 1" if n == 2 else f"numbered 0 to {n - 1}"
        text = f"{asks}, but this {kind} has {_plural(n, unit)}, {numbered}."
        if index >= n:
            text += f" Counting starts at 0, so the last one is {name}[{n - 1}]."
        return _answer("index", text)
    return None


def _recursion_call(sketch_frames: list):
    """The frame of the call that kept repeating: the second-last frame of the function that
    appears most often (the last one may have failed somewhere else in its body)."""
    codes = collections.Counter(tb.tb_frame.f_code for tb in sketch_frames)
    if not codes:
        return None
    code, count = codes.most_common(1)[0]
    if count < 2:
        return None
    repeats = [tb for tb in sketch_frames if tb.tb_frame.f_code is code]
    return repeats[-2]


def _explain_recursion(exc, call_tb, lines) -> tuple[str, str] | None:
    """A function that calls itself with no stopping rule, or one that never comes true."""
    if not isinstance(exc, RecursionError) or call_tb is None:
        return None
    name = call_tb.tb_frame.f_code.co_name
    line = call_tb.tb_lineno
    call = (_line(lines, line) or "").strip()
    function = next((n for n in ast.walk(_parse_lines(lines) or ast.Module([], []))
                     if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name
                     and n.lineno <= line <= n.end_lineno), None)
    if function is None:
        return None
    inputs = [a.arg for a in function.args.args if a.arg != "self"]
    tests = any(isinstance(n, (ast.If, ast.IfExp, ast.While, ast.For)) for stmt in function.body
                for n in ast.walk(stmt))
    if tests:
        closer = f"brings {inputs[0]} closer to the point where it stops" if inputs else \
            "gets closer to the point where it stops"
        return _answer("recursion", f"{name} kept calling itself and never stopped: its stopping "
                                    f"rule never came true. Check that each call on line {line} "
                                    f"({call}) {closer}.")
    if inputs:
        rule = f"a stopping rule as its first line, like  if {inputs[0]} < 2: return"
    else:
        rule = ("an input that changes each time it calls itself, and a first line that returns "
                "when the input is small enough")
    return _answer("recursion", f"{name} kept calling itself and never stopped: line {line} "
                                f"({call}) calls {name} again every time, and nothing tells it to "
                                f"stop. Give it {rule}")


# -- reading the failing line -----------------------------------------------------------------

_UNKNOWN = object()
_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
               ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod}


def _parse_lines(lines: list[str]) -> ast.Module | None:
    try:
        return ast.parse("\n".join(lines))
    except (SyntaxError, ValueError):
        return None


def _nodes_on_line(lines: list[str], sketch_tb) -> list:
    """The syntax-tree nodes that cover the line a sketch frame stopped on, innermost last."""
    if sketch_tb is None:
        return []
    tree = _parse_lines(lines)
    line = sketch_tb.tb_lineno
    if tree is None:
        return []
    return [n for n in ast.walk(tree) if isinstance(n, ast.expr)
            and n.lineno <= line <= (n.end_lineno or n.lineno)]


def _within(inner, outer) -> bool:
    return (outer.lineno, outer.col_offset) <= (inner.lineno, inner.col_offset) and \
        (inner.end_lineno, inner.end_col_offset) <= (outer.end_lineno, outer.end_col_offset)


def _source_of(lines: list[str], node) -> str | None:
    return ast.get_source_segment("\n".join(lines), node)


def _safe_value(node, frame):
    """The value of a simple expression (names, numbers, len(), + - * // %, item lookups) in a
    stopped frame, without calling anything of the sketch's; _UNKNOWN otherwise."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        for scope in (frame.f_locals, frame.f_globals):
            if node.id in scope:
                return scope[node.id]
        return _UNKNOWN
    if isinstance(node, ast.Attribute):
        owner = _safe_value(node.value, frame)
        attributes = getattr(owner, "__dict__", None)
        if owner is _UNKNOWN or not isinstance(attributes, dict) or node.attr not in attributes:
            return _UNKNOWN
        return attributes[node.attr]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = _safe_value(node.operand, frame)
        return -value if isinstance(value, (int, float)) and not isinstance(value, bool) else _UNKNOWN
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        a, b = _safe_value(node.left, frame), _safe_value(node.right, frame)
        if not all(type(v) in (int, float) for v in (a, b)):
            return _UNKNOWN
        try:
            return _ARITHMETIC[type(node.op)](a, b)
        except (ZeroDivisionError, OverflowError):
            return _UNKNOWN
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len" \
            and len(node.args) == 1 and not node.keywords:
        value = _safe_value(node.args[0], frame)
        return len(value) if isinstance(value, (list, tuple, str, dict)) else _UNKNOWN
    if isinstance(node, ast.Subscript) and not isinstance(node.slice, ast.Slice):
        container, index = _safe_value(node.value, frame), _safe_value(node.slice, frame)
        if isinstance(container, (list, tuple)) and type(index) is int \
                and -len(container) <= index < len(container):
            return container[index]
    return _UNKNOWN


def _explain_generic(exc) -> tuple[str, str]:
    for kind, words in _PLAIN_EXPLANATIONS.items():
        if isinstance(exc, kind):
            return _answer("runtime", f"{words}.")
    technical = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return _answer("runtime", f"{technical}.")


def param_problem(name: str, known: list[str], path: str | None) -> Problem:
    """--param NAME=VALUE named a setting the sketch doesn't have."""
    guess = suggest(name, known, cutoff=0.6)
    hint = f" Did you mean {guess}?" if guess else ""
    have = f" Its settings are {join_words(known)}." if known else \
        " It has no settings (UPPERCASE names like PETALS = 8 at the top of the file)."
    return Problem("param", f"the sketch has no setting called {name}.{hint}{have}", path=path)


def param_value_problem(error, path: str | None) -> Problem:
    """--param NAME=VALUE gave a setting a value of the wrong kind, or out of its range
    (`error` is the `artkit.params.ParamError`: "the setting PETALS must be a whole number,
    not '2.5'.")."""
    text = str(error)
    return Problem("param", text[:1].lower() + text[1:], path=path)


# ---------------------------------------------------------------------------------------------
# Pictures, recordings and the window (load_image, image, save_gif, save_frames)

def load_image_needs_a_name(value) -> str:
    return (f"load_image needs the name of a picture file in quotes, like "
            f"load_image('cat.jpg'), not {value!r}.")


def picture_not_found(name: str, folder) -> str:
    return (f"load_image can't find a picture called '{name}': put it in the folder "
            f"'{folder}' (next to your sketch) and check its spelling, or use "
            f"load_image('default') for artkit's own picture.")


def image_needs_a_picture(value) -> str:
    if isinstance(value, str):
        return (f"image needs a picture, not the text {value!r}: load it first with "
                f"photo = load_image({value!r}) in setup(), then draw it with "
                f"image(photo, 0, 0).")
    if value is None:
        return ("image needs a picture, but it got None (nothing): did you forget "
                "photo = load_image('...') before drawing it, or to write global photo in "
                "setup()?")
    return (f"image needs a picture from load_image(), but got {type(value).__name__} "
            f"{value!r}.")


def seconds_problem(word: str, seconds) -> str:
    return (f"{word} needs a number of seconds from more than 0 up to 600, like "
            f"{word}('my_sketch', 3), not {seconds!r}.")


def frames_per_second_problem(word: str, fps) -> str:
    return f"{word} needs a number of frames a second from more than 0 up to 60, not {fps!r}."


# ---------------------------------------------------------------------------------------------
# Sketches that try to leave, to wait for typing, or that can't be read

def no_input_message() -> str:
    """What input() in a sketch says at once (it would wait for typing that never comes)."""
    return ("sketches can't ask for typed input: input() would wait for typing that never "
            "comes, so artkit stopped here; to react to the keyboard, write "
            "def key_pressed(key): and use key inside it.")


def exit_message(call: str) -> str:
    """What a sketch calling os._exit() or os.abort() says (instead of closing artkit)."""
    return (f"{call} would close artkit at once and lose the picture, so artkit stopped your "
            f"sketch here instead; to stop drawing, call no_loop(), or close the window.")


def explain_stop(exc: BaseException, path: str | None, lines: list[str]) -> Problem | None:
    """sys.exit() / exit() / quit() and KeyboardInterrupt raised by sketch code, explained
    (None for any other exception)."""
    if isinstance(exc, SystemExit):
        message = ("sys.exit() (or exit() or quit()) stops a whole Python program, so artkit "
                   "stopped your sketch here instead; to stop drawing, call no_loop(), or "
                   "close the window.")
        kind = "exit"
    elif isinstance(exc, KeyboardInterrupt):
        message = ("KeyboardInterrupt means Ctrl+C was pressed, and a sketch shouldn't raise "
                   "it itself, so artkit stopped your sketch here; to stop drawing, call "
                   "no_loop(), or close the window.")
        kind = "interrupt"
    else:
        return None
    frames = _sketch_frames(exc, path)
    line = frames[-1].tb_lineno if frames else None
    where = f", line {line}" if line else ""
    trail = [f"line {tb.tb_lineno}, in {_frame_label(tb)}" for tb in frames]
    return Problem(kind, f"artkit found a problem in your sketch{where}: {message}", line,
                   _line(lines, line), None, path, trail=trail)


def undecodable_sketch(error: UnicodeDecodeError, data: bytes, path: str | None) -> Problem:
    """A sketch file with bytes that aren't UTF-8 (saved as Latin-1 or "ANSI"): the line and
    the spot, and how to save it so artkit can read it."""
    start = error.start
    line = data.count(b"\n", 0, start) + 1
    line_start = data.rfind(b"\n", 0, start) + 1
    line_end = data.find(b"\n", start)
    raw = data[line_start:line_end if line_end >= 0 else len(data)]
    code = raw.decode("utf-8", errors="replace").rstrip("\r")
    column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
    byte = data[start]
    message = (f"artkit can't read your sketch, line {line}: it has a character that isn't "
               f"saved as UTF-8 (the byte 0x{byte:02x}); save the file again as UTF-8 (your "
               f"editor's Save As or Encoding menu), or type that character again.")
    return Problem("encoding", message, line, code, column, path)
