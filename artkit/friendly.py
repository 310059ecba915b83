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
import contextlib
import difflib
import inspect
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
}
HOOK_NAMES = tuple(HOOK_ARGUMENTS)

# Names artkit writes into the sketch before every frame: assigning them at the top level of a
# sketch does nothing useful (the next frame overwrites them), so the loader warns.
LIVE_NAMES = (
    "width", "height", "frame_count", "mouse_x", "mouse_y", "pmouse_x", "pmouse_y",
    "mouse_is_pressed", "mouse_button", "key", "key_is_pressed",
)

# Plain-words explanations for common run-time errors; the technical line follows in brackets.
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
    sentence = hint or msg
    technical = "IndentationError" if isinstance(error, IndentationError) else "SyntaxError"
    where = f", line {line}" if line else ""
    message = f"artkit can't read your sketch{where}: {sentence} ({technical}: {msg})."
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
                f"found a function named {name}: did you mean {guess}? artkit only calls "
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
        f"{hook} {can}, but yours asks for {join_words(unknown)}. "
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
            text = (f"your sketch sets {name}, but artkit sets {name} itself before every frame, "
                    f"so your value will be replaced. Use a different name, like my_{name}.")
        else:
            text = (f"your sketch uses the name {name} for something of its own, so artkit's "
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
# Run-time errors

def timeout_problem(hook: str, seconds: float, exc: BaseException | None, path: str | None,
                    lines: list[str]) -> Problem:
    """setup/draw ran too long: artkit stopped it (the infinite-loop guard)."""
    frame = _last_sketch_frame(exc, path) if exc is not None else None
    line = frame.tb_lineno if frame else None
    where = f" It was busy at line {line}." if line else ""
    message = (f"artkit stopped your sketch: {hook} ran for {seconds:g} seconds without finishing.{where} "
               "Is there a loop that never ends, like while True? Make sure every loop can stop.")
    return Problem("timeout", message, line, _line(lines, line), None, path)


def explain_exception(exc: BaseException, path: str | None, lines: list[str], namespace: dict,
                      api_module: types.ModuleType | None = None) -> Problem:
    """Translate an exception raised by sketch code into a Problem.

    ``namespace`` is the sketch module's dict (for "did you mean" and for the sketch's own
    functions); ``api_module`` is where artkit's beginner commands live.
    """
    sketch_frames = _sketch_frames(exc, path)
    last = sketch_frames[-1] if sketch_frames else None
    line = last.tb_lineno if last else None
    code = _line(lines, line)
    trail = [f"line {tb.tb_lineno}, in {_frame_label(tb)}" for tb in sketch_frames]
    called = last.tb_next if last else None  # the artkit function the sketch called, if any

    # Each explainer returns (kind, sentence) when it recognises the error, else None.
    kind, explanation = (
        _explain_call_arity(exc, namespace, api_module)
        or _explain_bad_argument(exc, called, api_module)
        or _explain_name_error(exc, namespace)
        or _explain_unbound_local(exc, last)
        or _explain_artkit_error(exc, called)
        or _explain_not_callable(exc)
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


def _explain_unbound_local(exc, sketch_tb) -> tuple[str, str] | None:
    if not isinstance(exc, UnboundLocalError):
        return None
    m = re.search(r"variable '(\w+)'", str(exc))
    name = m.group(1) if m else "a variable"
    function = _frame_label(sketch_tb) if sketch_tb else "this function"
    return _answer("name", f"{function} changes {name}, so Python thinks {name} belongs to "
                              f"{function} alone and it has no value yet. If {name} is made outside "
                              f"the function, write  global {name}  as the first line of {function}.")


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


def _explain_generic(exc) -> tuple[str, str]:
    technical = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    for kind, words in _PLAIN_EXPLANATIONS.items():
        if isinstance(exc, kind):
            return _answer("runtime", f"{words} ({technical}).")
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
