"""Beginners' mistakes, found by reading a sketch once, when it loads.

Kids in a code club bring habits from elsewhere. The course is a port of a p5.js course, so the
commonest are JavaScript's (`function setup() {`, `let x = 5;`, `mouseX`, `createCanvas`), then
Processing's (`void draw()`, `int x = 5;`) and other libraries (`from p5 import *`,
`import turtle`). Some of these Python can't read at all, so they are recognised in the text of
the line Python stopped on. Others read as Python but can only fail (`mouseX` names nothing,
`x = x + 1` in draw without `global`) or silently do nothing (`no_stroke` without brackets), and
those are found in the syntax tree.

As Pygame Zero keeps its hook-name spell checker (spellcheck.py) apart from its runner, these
checks live here, and they only *find* things: every sentence a child reads is written in
`artkit.friendly`. The Python line a JavaScript line should become (`function setup() {` ->
`def setup():`) is worked out by `artkit.habits`.

The runner calls `explain_unreadable` when `ast.parse` fails and `check` when it succeeds. Both
run once per load, never per frame; `namespace` is the beginner API (`artkit.api.namespace()`).
"""

from __future__ import annotations

import ast
import io
import tokenize

from artkit import friendly
from artkit.friendly import HOOK_NAMES, Problem
from artkit.habits import FOREIGN_MEMBERS, FOREIGN_NAMES, Translation, foreign_name, translate_lines

# Libraries a sketch doesn't import, by what they are: p5 and its ports (artkit already has
# their commands), other game loops and turtles that would fight artkit for the window (errors),
# and window toolkits that only get in the way (warnings).
OTHER_LIBRARIES = {
    "p5": "p5", "py5": "p5", "processing": "p5", "pyp5js": "p5", "p5py": "p5",
    "turtle": "turtle",
    "pgzero": "game", "pgzrun": "game",
    "pygame": "window", "tkinter": "window", "Tkinter": "window", "arcade": "window",
    "pyglet": "window", "kivy": "window",
}
ERROR_LIBRARIES = {"p5", "turtle", "game"}

# Standard modules whose names, imported, replace an artkit command.
_STAR_EXPORTS = {
    "random": {"random"},
    "math": {"sin", "cos", "tan", "atan2", "degrees", "radians", "sqrt"},
}
# Imported functions that take no values, where artkit's command of the same name takes some.
_TAKES_NOTHING = {("random", "random")}
# math's trigonometry works in radians, artkit's in degrees: the same names, different answers.
_RADIAN_FUNCTIONS = {"sin", "cos", "tan", "atan2"}


# ---------------------------------------------------------------------------------------------
# A line Python can't read

def explain_unreadable(error: SyntaxError, namespace: dict, path: str | None,
                       lines: list[str]) -> Problem | None:
    """When Python can't read a sketch because of a JavaScript or Processing habit on the line
    it stopped on, the Problem that says so and shows the line in Python; otherwise None (and
    the runner gives the ordinary syntax message)."""
    line = error.lineno
    if not line or not 0 < line <= len(lines):
        return None
    translations = translate_lines(lines, namespace)
    here = translations[line - 1]
    if not here.unreadable:
        return None
    habit = here.primary
    others = [n for n, t in enumerate(translations, 1) if n != line and t.habits]
    python = here.python.strip() if here.python is not None else None
    return friendly.foreign_syntax_problem(habit.name, habit.detail, python, line, habit.column,
                                           _language(translations), others, path, lines)


def _language(translations: list[Translation]) -> str | None:
    """"javascript" or "processing": which one the sketch's habits mostly come from."""
    counts = {"javascript": 0, "processing": 0}
    for t in translations:
        for habit in t.habits:
            if habit.language in counts:
                counts[habit.language] += 1
    if not any(counts.values()):
        return None
    return "processing" if counts["processing"] > counts["javascript"] else "javascript"


# ---------------------------------------------------------------------------------------------
# A sketch Python can read

def check(tree: ast.Module, source: str, namespace: dict, path: str | None,
          lines: list[str]) -> list[Problem]:
    """Every beginner's mistake this module knows in a sketch that parses, in line order.
    Problems that aren't warnings can only fail, so the runner stops at the first of them."""
    nodes = list(ast.walk(tree))   # walked once: the checks below each look at every node
    problems = []
    problems += _check_foreign_names(nodes, source, namespace, path, lines)
    problems += _check_imports(nodes, namespace, path, lines)
    problems += _check_missing_globals(tree, path, lines)
    problems += _check_does_nothing(nodes, source, namespace, path, lines)
    problems += _check_semicolons(source, path, lines)
    return sorted(problems, key=lambda p: (p.line or 0))


def _bound_names(nodes: list) -> set[str]:
    """Every name the sketch gives a value to, anywhere (assignments, def, class, inputs,
    imports, global)."""
    names = set()
    for node in nodes:
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            names.add(node.name)
    return names


def _parents(nodes: list) -> dict:
    parents = {}
    for node in nodes:
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    return parents


def _star_imports_unknown(nodes: list) -> bool:
    """A `from somewhere import *` whose names artkit can't know."""
    return any(isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names)
               and (n.module or "").split(".")[0] not in ("artkit", *_STAR_EXPORTS)
               for n in nodes)


def _check_foreign_names(nodes, source, namespace, path, lines) -> list[Problem]:
    """p5.js, Processing and JavaScript names the sketch uses but never makes: mouseX,
    createCanvas, console.log, true, this, map(value, 0, 400, 0, 255)."""
    if _star_imports_unknown(nodes):
        return []
    bound = _bound_names(nodes)
    parents = _parents(nodes)
    found = []   # (name node, the expression to show, its Python, where from)
    for node in nodes:
        if not isinstance(node, ast.Name) or not isinstance(node.ctx, ast.Load) or node.id in bound:
            continue
        name = node.id
        parent = parents.get(node)
        if isinstance(parent, ast.Attribute) and (name, parent.attr) in FOREIGN_MEMBERS:
            python, where = FOREIGN_MEMBERS[(name, parent.attr)], "JavaScript"
            shown = parent
        elif name == "map" and isinstance(parent, ast.Call) and parent.func is node and len(parent.args) == 5:
            python, where, shown = "map_range", "p5.js", node
        elif name in namespace or name in ("map", "Math", "console"):
            continue
        else:
            python = foreign_name(name, namespace)
            if python is None:
                continue
            where = FOREIGN_NAMES.get(name, (None, "p5.js"))[1]
            shown = node
        outer = parents.get(shown)
        if isinstance(outer, ast.Call) and outer.func is shown:
            shown = outer
        elif name == "this" and isinstance(outer, ast.Attribute):
            shown = outer
        found.append((node, shown, python, where))
    if not found:
        return []
    found.sort(key=lambda f: (f[0].lineno, f[0].col_offset))
    replacements = [(f[0], f[1], f[2]) for f in found]
    listed, seen = [], set()
    for node, shown, python, where in found:
        code = _segment(source, lines, shown) or node.id
        fixed = _replace_inside(lines, shown, replacements) or python
        key = (node.id, code)
        if key in seen:
            continue
        seen.add(key)
        listed.append((node.lineno, _column(lines, node), code, fixed, where))
    return [friendly.foreign_names_problem(listed, path, lines)]


def _replace_inside(lines: list[str], shown: ast.AST, replacements) -> str | None:
    """The code of `shown` with every foreign name inside it swapped for its Python."""
    if shown.lineno != shown.end_lineno or not 0 < shown.lineno <= len(lines):
        return None
    code = lines[shown.lineno - 1].encode("utf-8")[shown.col_offset:shown.end_col_offset]
    inner = []   # ast's columns count bytes, so the swapping is done on bytes
    for node, target, python in replacements:
        if node.lineno == shown.lineno and shown.col_offset <= node.col_offset < shown.end_col_offset:
            start = node.col_offset - shown.col_offset
            member = target.func if isinstance(target, ast.Call) else target
            if isinstance(member, ast.Attribute) and member.value is node \
                    and (node.id, member.attr) in FOREIGN_MEMBERS:
                end = member.end_col_offset - shown.col_offset
            else:
                end = start + len(node.id)
            inner.append((start, end, python.encode("utf-8")))
    for start, end, python in sorted(inner, reverse=True):
        code = code[:start] + python + code[end:]
    return code.decode("utf-8", "replace")


def _segment(source: str, lines: list[str], node: ast.AST) -> str | None:
    """The code of a node. Read from its line when it has one (ast.get_source_segment splits
    the whole source every time it is called)."""
    if node.lineno == node.end_lineno and 0 < node.lineno <= len(lines):
        raw = lines[node.lineno - 1].encode("utf-8")   # ast's columns count bytes
        return raw[node.col_offset:node.end_col_offset].decode("utf-8", "replace")
    return ast.get_source_segment(source, node)


def _column(lines: list[str], node: ast.AST) -> int | None:
    """The 1-based column, in letters, where a node starts (for the caret)."""
    if not 0 < node.lineno <= len(lines):
        return None
    raw = lines[node.lineno - 1].encode("utf-8")
    return len(raw[:node.col_offset].decode("utf-8", "replace")) + 1


def _check_imports(nodes, namespace, path, lines) -> list[Problem]:
    """Other drawing libraries (p5, processing, pygame, turtle, tkinter...), and imports that
    take a name away from an artkit command (`import random`, `from math import *`)."""
    problems = []
    calls = {}
    for n in nodes:
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name):
            calls.setdefault(n.func.id, []).append(n)
    used = {n.id for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    for node in nodes:
        if isinstance(node, ast.Import):
            modules = [(a.name, a.asname) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [(node.module, None)]
        else:
            continue
        statement = ast.unparse(node)
        for module, alias in modules:
            root = module.split(".")[0]
            if root in OTHER_LIBRARIES:
                kind = OTHER_LIBRARIES[root]
                problems.append(friendly.other_library_problem(
                    statement, root, kind, kind not in ERROR_LIBRARIES, node.lineno, path, lines))
                break
            if root == "artkit":
                continue
            replaced = _names_replaced(node, module, alias, namespace)
            if root == "math":
                trig = sorted(replaced & _RADIAN_FUNCTIONS & used)
                if trig:
                    problems.append(friendly.radians_import_problem(statement, trig, node.lineno,
                                                                    path, lines))
                continue
            for name in sorted(replaced):
                # `import random` makes random a module, which can't be called at all;
                # `from random import random` (or *) one that takes no values.
                failing = [c for c in calls.get(name, [])
                           if isinstance(node, ast.Import) or ((root, name) in _TAKES_NOTHING and c.args)]
                if failing:
                    problems.append(friendly.replaced_command_problem(
                        statement, name, module, min(c.lineno for c in failing), node.lineno, path, lines))
    return problems


def _names_replaced(node, module: str, alias: str | None, namespace: dict) -> set[str]:
    """The artkit commands an import statement gives a new value to."""
    if isinstance(node, ast.Import):
        names = {alias or module.split(".")[0]}
    else:
        names = set()
        for a in node.names:
            if a.name == "*":
                names |= _STAR_EXPORTS.get(module, set())
            else:
                names.add(a.asname or a.name)
    return {n for n in names if n in namespace and callable(namespace[n])}


def _function_scope_nodes(function: ast.AST):
    """The nodes of a function's own scope: its body, without the functions, classes, lambdas
    and comprehensions inside it (its annotations and defaults belong to the scope around it)."""
    stack = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node   # its name is bound here; its body is another scope
            stack.extend(node.decorator_list)
            continue
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _check_missing_globals(tree: ast.Module, path, lines) -> list[Problem]:
    """A function that changes a variable made at the top of the sketch, without `global`, and
    uses it before giving it a value (`x = x + 1` in draw): Python would stop there with an
    UnboundLocalError every time."""
    top_level = set()
    for node in friendly._top_level_statements(tree):
        top_level |= _bound_names_of_statement(node)
    problems = []
    functions = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        functions += [n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for function in functions:
        problem = _missing_global(function, top_level, path, lines)
        if problem is not None:
            problems.append(problem)
    return problems


def _bound_names_of_statement(node: ast.AST) -> set[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"}
    targets = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor)):
        targets = [node.target]
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def _missing_global(function, top_level: set[str], path, lines) -> Problem | None:
    own = list(_function_scope_nodes(function))
    declared = {n for node in own if isinstance(node, (ast.Global, ast.Nonlocal)) for n in node.names}
    inputs = {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)}
    stores, reads = {}, {}
    loops = [n for n in own if isinstance(n, (ast.For, ast.While, ast.AsyncFor))]
    when = _assignment_times(own)
    for node in own:
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            # x += 1 reads x where the line starts, and gives it its new value at the end.
            reads.setdefault(node.target.id, []).append((node.lineno, node.col_offset, node.target))
        elif isinstance(node, ast.Name):
            bucket = reads if isinstance(node.ctx, ast.Load) else stores
            bucket.setdefault(node.id, []).append(when.get(node, (node.lineno, node.col_offset, node)))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stores.setdefault(node.name, []).append((node.lineno, node.col_offset, node))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for name in _bound_names_of_statement(node):
                stores.setdefault(name, []).append((node.lineno, node.col_offset, node))
    changed = set(stores) & (top_level - declared - inputs)
    for name in sorted(changed, key=lambda n: min(w[:2] for w in stores[n])):
        if name not in reads:
            continue
        first_read = min(reads[name], key=lambda w: w[:2])
        first_store = min(stores[name], key=lambda w: w[:2])
        if first_read[:2] >= first_store[:2]:
            continue
        read_node = first_read[2]
        # In a loop, a later line may have given it a value on the way round: not certain.
        if any(_inside(read_node, loop) and any(_inside(s[2], loop) for s in stores[name]) for loop in loops):
            continue
        store_line = min(s[2].lineno for s in stores[name] if s[:2] >= first_read[:2]) \
            if any(s[:2] >= first_read[:2] for s in stores[name]) else first_store[2].lineno
        return friendly.missing_global_problem(name, function.name, read_node.lineno, store_line, path, lines)
    return None


def _assignment_times(own: list) -> dict:
    """When each assigned name is given its value as the function runs: after the value is
    worked out (x = x + 1 reads x first)."""
    when = {}
    for node in own:
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            at = (node.value.end_lineno, node.value.end_col_offset)
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        when[name] = (*at, name)
    return when


def _inside(node: ast.AST, outer: ast.AST) -> bool:
    return (outer.lineno, outer.col_offset) <= (node.lineno, node.col_offset) and \
        (node.end_lineno, node.end_col_offset) <= (outer.end_lineno, outer.end_col_offset)


def _check_does_nothing(nodes, source, namespace, path, lines) -> list[Problem]:
    """Lines that run but do nothing: a command without brackets (`no_stroke`, `flower`,
    `ball.show`), and `x == 5` on a line of its own."""
    bound_elsewhere = {n.id for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    functions = {n.name: n for n in nodes if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    # Methods of the sketch's classes; a decorated one (@property) may run without brackets.
    methods = {m.name: m for c in nodes if isinstance(c, ast.ClassDef)
               for m in c.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))
               and not m.decorator_list}
    problems = []
    for node in nodes:
        if not isinstance(node, ast.Expr):
            continue
        value = node.value
        if isinstance(value, ast.Name) and value.id not in bound_elsewhere:
            name = value.id
            if name in HOOK_NAMES and name in functions:
                problems.append(friendly.hook_named_alone_problem(name, node.lineno, path, lines))
                continue
            if name in functions:
                needs = _required_inputs(functions[name])
            elif name in namespace and callable(namespace[name]) and not isinstance(namespace[name], type):
                described = friendly.describe_parameters(namespace[name])
                needs = len(described[0]) if described else 1
            else:
                continue
            fix = f"{name}()" if needs == 0 else f"{name}(...)"
            problems.append(friendly.does_nothing_problem(name, fix, node.lineno, path, lines))
        elif isinstance(value, ast.Attribute) and value.attr in methods:
            code = _segment(source, lines, value) or value.attr
            needs = _required_inputs(methods[value.attr]) - 1   # self is given
            fix = f"{code}()" if needs <= 0 else f"{code}(...)"
            problems.append(friendly.does_nothing_problem(code, fix, node.lineno, path, lines))
        elif (isinstance(value, ast.Compare) and len(value.ops) == 1 and isinstance(value.ops[0], ast.Eq)
              and isinstance(value.left, (ast.Name, ast.Attribute, ast.Subscript))):
            code = _segment(source, lines, value)
            target = _segment(source, lines, value.left)
            new = _segment(source, lines, value.comparators[0])
            problems.append(friendly.comparison_does_nothing_problem(code, f"{target} = {new}",
                                                                     node.lineno, path, lines))
    return problems


def _required_inputs(function) -> int:
    args = function.args
    positional = args.posonlyargs + args.args
    return len(positional) - len(args.defaults)


def _check_semicolons(source: str, path, lines) -> list[Problem]:
    """A ; at the end of a line: Python doesn't mind, but it's a JavaScript habit worth
    dropping. One warning for the whole sketch."""
    found = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    for token, following in zip(tokens, tokens[1:]):
        if token.type == tokenize.OP and token.string == ";" and \
                following.type in (tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT, tokenize.ENDMARKER):
            found.append(token.start[0])
    if not found:
        return []
    return [friendly.semicolons_problem(found, path, lines)]
