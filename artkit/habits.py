"""JavaScript, p5.js and Processing habits, and the Python line each should become.

The course is a port of a p5.js course, so kids bring JavaScript with them: `function setup() {`,
`let x = 5;`, `for (let i = 0; i < 10; i++) {`, `mouseX`; and from Processing, `void draw()` and
`int x = 5;`. Python can't read most of these, so they are recognised in the text of a line,
not in a syntax tree: the line is split into code, text in quotes and comments (a /* comment
or a triple-quoted string can carry on over several lines), word-sized habits are swapped
outside the quotes (`&&` -> `and`, `mouseX` -> `mouse_x`, `` `${n}` `` -> `f"{n}"`), then
line-sized ones (`function f(a) {` -> `def f(a):`, the `for (;;)` counter -> `range`).

`translate_line` gives the Python line and the habits it had to change; the Python is kept only
when it compiles, so a message never shows code that is wrong in a new way. No words for
people here: `artkit.friendly` says what each habit is, and `artkit.mistakes` decides when to.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

from artkit.friendly import HOOK_NAMES, camel_to_snake

# camelCase names whose snake_case form is an artkit command (strokeWeight, mouseX, noStroke...)
# are found by rule; these are the ones the rule can't find: name -> (Python, where it's from).
FOREIGN_NAMES = {
    "createCanvas": ("size", "p5.js"),
    "resizeCanvas": ("size", "p5.js"),
    "saveCanvas": ("save_frame", "p5.js"),
    "mousePressed": ("mouse_is_pressed", "Processing"),   # the variable; a def is a hook
    "keyPressed": ("key_is_pressed", "Processing"),
    "println": ("print", "Processing"),
    "true": ("True", "JavaScript"),
    "false": ("False", "JavaScript"),
    "null": ("None", "JavaScript"),
    "undefined": ("None", "JavaScript"),
    "this": ("self", "JavaScript"),
}

# JavaScript objects whose members have a Python spelling: console.log(x) -> print(x).
FOREIGN_MEMBERS = {
    ("console", "log"): "print",
    ("Math", "random"): "random",
    ("Math", "PI"): "PI",
    ("Math", "floor"): "int",
    ("Math", "round"): "round",
    ("Math", "abs"): "abs",
    ("Math", "sqrt"): "sqrt",
    ("Math", "min"): "min",
    ("Math", "max"): "max",
    ("Math", "pow"): "pow",
    ("Math", "sin"): "sin",
    ("Math", "cos"): "cos",
    ("Math", "tan"): "tan",
    ("Math", "atan2"): "atan2",
}

# p5.js hook names written as functions, where camel_to_snake gives no artkit hook.
FOREIGN_HOOKS = {"mouseClicked": "mouse_pressed"}

_PROCESSING_TYPES = r"(?:int|float|double|boolean|String|char|long|color|byte|PVector|PImage|ArrayList<\w+>)"


@dataclass
class Habit:
    name: str                 # a key of friendly.FOREIGN_HABITS
    detail: str = ""          # the word the sketch used (let, int, ++...)
    column: int | None = None  # 1-based, for the caret
    language: str | None = None  # "javascript", "processing" or None (both)


# Habits that Python can't read: one of these on the line Python stopped on is the reason.
# The rest (a ; at the end, mouseX, true, this.x) read as Python and are only tidied.
_WEAK = {"semicolon", "p5_name", "true_false", "print", "this", "math", "length", "push"}

# Which habit a message is about when a line has several (`} else {` is about else).
_PRIORITY = [
    "function", "typed_function", "constructor", "method", "class", "for_count", "for_each",
    "else_if", "else", "if", "while", "declaration", "typed_declaration", "typed_parameters",
    "increment", "template_string", "new", "strict_equals", "logic", "closing_brace",
    "opening_brace", "brace", "block_comment", "line_comment", "print", "this", "true_false",
    "math", "length", "push", "p5_name", "semicolon",
]


@dataclass
class Translation:
    python: str | None                     # the line in Python ("" = delete it), None if unsure
    habits: list[Habit] = field(default_factory=list)

    @property
    def primary(self) -> Habit | None:
        if not self.habits:
            return None
        return min(self.habits, key=lambda h: _PRIORITY.index(h.name))

    @property
    def unreadable(self) -> bool:
        """Has a habit that Python can't read (not just a tidy-up)."""
        return any(h.name not in _WEAK for h in self.habits)


def translate_lines(lines: list[str], namespace: dict) -> list[Translation]:
    """Each line of a sketch in Python, with the habits that had to change."""
    translations = []
    still_open = None   # a /* comment or a triple-quoted string carried on from a line above
    braces = []         # the { still open: "block" (JavaScript's) or "data" (a Python dict)
    for line in lines:
        was_open = still_open
        translation, still_open = translate_line(line, namespace, still_open)
        if not was_open:
            _follow_braces(line, translation, braces)
        translations.append(translation)
    return translations


_BLOCK_HABITS = {"function", "typed_function", "constructor", "method", "class", "for_count",
                 "for_each", "else_if", "else", "if", "while", "brace", "opening_brace"}


def _follow_braces(line: str, translation: Translation, braces: list[str]) -> None:
    """Keep count of open { so that the } closing a Python dict or set written over several
    lines isn't taken for JavaScript's end of a block."""
    code = "".join(text for kind, text in _pieces(line, None)[0] if kind == "code").rstrip()
    opens_block = any(h.name in _BLOCK_HABITS for h in translation.habits)
    for at, ch in enumerate(code):
        if ch == "{":
            braces.append("block" if opens_block and at == len(code) - 1 else "data")
        elif ch == "}":
            closed = braces.pop() if braces else "block"
            if closed == "data" and not code[:at].strip():
                translation.habits = [h for h in translation.habits if h.name != "closing_brace"]
                if not translation.habits:
                    translation.python = line


def translate_line(line: str, namespace: dict,
                   still_open: str | None = None) -> tuple[Translation, str | None]:
    """One line of JavaScript, p5.js or Processing as Python. Returns the translation and what
    the line leaves open for the next one (a /* comment or a triple-quoted string)."""
    pieces, open_after = _pieces(line, still_open)
    habits: list[Habit] = []
    indent = line[: len(line) - len(line.lstrip())]

    if still_open == "/*" and pieces and pieces[0][0] == "comment":
        # A line inside (or closing) a /* ... */ comment.
        text = pieces[0][1].replace("*/", "").strip().lstrip("*").strip()
        habits.append(Habit("block_comment", "/*", None, None))
        rest = "".join(p for _, p in pieces[1:])
        if rest.strip():
            inner, _ = translate_line(rest, namespace, None)
            inner.habits[:0] = habits
            return inner, open_after
        return Translation(indent + "# " + text if text else "", habits), open_after
    if still_open:   # inside a triple-quoted string: Python text, leave it alone
        return Translation(line), open_after

    code, comment = _split_comment(pieces, habits)
    code = _rewrite_words(code, namespace, habits)
    python = _rewrite_structure(code.strip(), bool(indent), habits)
    if python is None:
        return Translation(None, habits), open_after
    if comment is not None:
        python = f"{python}  # {comment}" if python else f"# {comment}"
    elif not python and not any(h.name in ("closing_brace", "opening_brace") for h in habits):
        return Translation(line, habits), open_after   # a blank line
    translation = Translation(indent + python if python else "", habits)
    if translation.habits and not _compiles(translation.python):
        translation.python = None
    for habit in habits:
        if habit.column is None:
            at = line.find(_CARET_AT.get(habit.name, habit.detail or "\0"))
            habit.column = at + 1 if at >= 0 else None
    return translation, open_after


# Where the caret goes for habits found in the whole line (the others know their column).
_CARET_AT = {"for_count": "for", "for_each": "for", "closing_brace": "}", "opening_brace": "{",
             "brace": "{", "else_if": "else"}


_OPENERS = ("'''", '"""', "/*", "'", '"', "`", "#")


def _pieces(line: str, still_open: str | None) -> tuple[list[tuple[str, str]], str | None]:
    """Split a line into ("code" | "string" | "comment", text) pieces. `still_open` is a /* or
    triple quote left open by an earlier line; the second value is what this line leaves open."""
    pieces = []
    kind = still_open
    start = i = 0
    while i < len(line):
        if kind is None:
            opener = next((o for o in _OPENERS if line.startswith(o, i)), None)
            if opener is None:
                i += 1
                continue
            if i > start:
                pieces.append(("code", line[start:i]))
            if opener == "#":
                pieces.append(("comment", line[i:]))
                return pieces, None
            kind, start = opener, i
            i += len(opener)
            continue
        closer = "*/" if kind == "/*" else kind
        if kind in ("'", '"', "`") and line[i] == "\\":
            i += 2
            continue
        if line.startswith(closer, i):
            i += len(closer)
            pieces.append(("comment" if kind == "/*" else "string", line[start:i]))
            kind, start = None, i
            continue
        i += 1
    if start < len(line):
        pieces.append(("code" if kind is None else "comment" if kind == "/*" else "string", line[start:]))
    return pieces, kind if kind in ("'''", '"""', "/*") else None


_PYTHON_WORDS = {"if", "else", "and", "or", "not", "in", "is", "for"}


def _split_comment(pieces, habits: list[Habit]) -> tuple[str, str | None]:
    """The code of a line without its comment, and the comment's words (or None). // and
    /* */ comments are habits; a # comment is Python already."""
    code, comment = [], None
    at = 0
    for index, (kind, text) in enumerate(pieces):
        if kind == "comment":
            if text.startswith("#"):
                comment = text[1:].strip()
            else:
                habits.append(Habit("block_comment", "/*", at + 1))
                comment = text.strip("/* ").strip() or comment
            at += len(text)
            continue
        if kind == "code":
            cut = _line_comment_at(text, "".join(code))
            if cut is not None:
                habits.append(Habit("line_comment", "//", at + cut + 1))
                code.append(text[:cut])
                rest = text[cut + 2:] + "".join(t for _, t in pieces[index + 1:])
                return "".join(code), rest.strip()
        code.append(text)
        at += len(text)
    return "".join(code), comment


def _line_comment_at(text: str, before: str) -> int | None:
    """Where a // comment starts in a piece of code, or None (// is also whole-number division
    in Python: width // 2)."""
    for m in re.finditer(r"//", text):
        head = (before + text[: m.start()]).rstrip()
        if not head or head.endswith((";", "{", "}")):
            return m.start()
        words = re.match(r"\s*([A-Za-z]\w*)\s+([A-Za-z]\w*)", text[m.end():])
        if words and words.group(2) not in _PYTHON_WORDS and words.group(1) not in _PYTHON_WORDS:
            return m.start()
    return None


def _rewrite_words(code: str, namespace: dict, habits: list[Habit]) -> str:
    """Word-sized habits, outside strings: && || ! === true this. console.log Math.floor
    `${}` mouseX createCanvas..."""
    out = []
    at = 0
    for kind, text in _pieces(code, None)[0]:
        if kind == "string" and text.startswith("`"):
            habits.append(Habit("template_string", "`", at + 1, "javascript"))
            inner = text[1:-1] if text.endswith("`") and len(text) > 1 else text[1:]
            inner = inner.replace("${", "{")
            quote = "'" if '"' in inner else '"'
            text = f"f{quote}{inner}{quote}"
        elif kind == "code":
            text = _rewrite_code_words(text, at, namespace, habits)
        out.append(text)
        at += len(text)
    return "".join(out)


def _word_rule(pattern, habit, language, replace):
    return re.compile(pattern), habit, language, replace


_WORD_RULES = [
    _word_rule(r"!==", "strict_equals", "javascript", "!="),
    _word_rule(r"===", "strict_equals", "javascript", "=="),
    _word_rule(r"\s*&&\s*", "logic", None, " and "),
    _word_rule(r"\s*\|\|\s*", "logic", None, " or "),
    _word_rule(r"!(?!=)\s*", "logic", None, "not "),
    _word_rule(r"\bnew\s+(int|float|double|long|byte)\[([^\]]+)\]", "new", "processing", r"[0] * \2"),
    _word_rule(r"\bnew\s+boolean\[([^\]]+)\]", "new", "processing", r"[False] * \1"),
    _word_rule(r"\bnew\s+String\[([^\]]+)\]", "new", "processing", r'[""] * \1'),
    _word_rule(r"\bnew\s+ArrayList\s*<[^>]*>\s*\(\s*\)", "new", "processing", "[]"),
    _word_rule(r"\bnew\s+(?=[A-Z])", "new", None, ""),
    _word_rule(r"\bconsole\.log\s*\(", "print", "javascript", "print("),
    _word_rule(r"(?<![\w.])println\s*\(", "print", "processing", "print("),
    _word_rule(r"(?<![\w.])this\b", "this", "javascript", "self"),
    _word_rule(r"(?<![\w.])(true|false|null|undefined)\b", "true_false", None, None),
    _word_rule(r"(?<![\w.])Math\.(\w+)", "math", "javascript", None),
    _word_rule(r"([\w\].)]+)\.length\b(?!\s*\()", "length", "javascript", r"len(\1)"),
    _word_rule(r"\.push\s*\(", "push", "javascript", ".append("),
]


def _rewrite_code_words(text: str, at: int, namespace: dict, habits: list[Habit]) -> str:
    for pattern, habit, language, replace in _WORD_RULES:
        def swap(m, habit=habit, language=language, replace=replace):
            habits.append(Habit(habit, m.group(0).strip(), at + m.start() + 1, language))
            if habit == "true_false":
                return FOREIGN_NAMES[m.group(1)][0]
            if habit == "math":
                python = FOREIGN_MEMBERS.get(("Math", m.group(1)))
                return python if python else m.group(0)
            return m.expand(replace)
        text = pattern.sub(swap, text)

    def rename(m):
        name = m.group(1)
        before = text[: m.start()].rstrip()
        if before.endswith(("function", "void", "def", "class")) or before.endswith("."):
            return name   # a function being made keeps its own name; attributes are left alone
        python = foreign_name(name, namespace)
        if python is None or name in ("true", "false", "null", "undefined", "this", "println"):
            return name
        habits.append(Habit("p5_name", name, at + m.start() + 1, None))
        return python
    return re.sub(r"(?<![\w.])([A-Za-z_]\w*)", rename, text)


def foreign_name(name: str, namespace: dict) -> str | None:
    """The artkit or Python spelling of a p5.js / Processing / JavaScript name, or None."""
    if name in FOREIGN_NAMES:
        return FOREIGN_NAMES[name][0]
    if name in namespace or not re.search(r"[a-z][A-Z]", name):
        return None
    snake = camel_to_snake(name)
    return snake if snake in namespace else None


_IDENTIFIER = r"[A-Za-z_]\w*"


def _rewrite_structure(s: str, indented: bool, habits: list[Habit]) -> str | None:
    """Line-sized habits: braces, semicolons, function/let/for/if/void... `s` is the line without
    its indentation and comment. None when the line can't be put into Python with confidence."""
    if s.startswith("}"):
        habits.append(Habit("closing_brace", "}", None))
        s = s.lstrip("}; \t")
    if s == "{":
        habits.append(Habit("opening_brace", "{", None))
        return ""
    while s.endswith(";"):
        habits.append(Habit("semicolon", ";", None))
        s = s[:-1].rstrip()
    brace = s.endswith("{")
    if brace:
        s = s[:-1].rstrip()
    s = s.rstrip(":").rstrip() if brace or re.match(r"(function|void)\b", s) else s
    if not s:
        return ""

    def add(name, detail="", language=None):
        habits.append(Habit(name, detail, None, language))

    m = re.fullmatch(rf"(?:async\s+)?function\s+({_IDENTIFIER})\s*\((.*)\)\s*:?", s)
    if m:
        add("function", "function", "javascript")
        return f"def {_hook_name(m.group(1))}({_parameters(m.group(2))}):"
    m = re.fullmatch(rf"(?:(?:public|private|static)\s+)*(void|{_PROCESSING_TYPES})(?:\[\])?\s+"
                     rf"({_IDENTIFIER})\s*\((.*)\)", s)
    if m:
        add("typed_function", m.group(1), "processing")
        return f"def {_hook_name(m.group(2))}({_parameters(m.group(3))}):"
    m = re.fullmatch(rf"def\s+({_IDENTIFIER})\s*\((.*)\)\s*:?", s)
    if m:
        params = _parameters(m.group(2))
        if params != ", ".join(p.strip() for p in m.group(2).split(",") if p.strip()):
            add("typed_parameters", m.group(2).split()[0], "processing")
        elif brace:
            add("brace", "{")
        return f"def {m.group(1)}({params}):"
    m = re.fullmatch(rf"class\s+({_IDENTIFIER})(?:\s+extends\s+({_IDENTIFIER}))?\s*:?", s)
    if m and (brace or m.group(2)):
        add("class", "class", "javascript" if m.group(2) else None)
        return f"class {m.group(1)}({m.group(2)}):" if m.group(2) else f"class {m.group(1)}:"
    m = re.fullmatch(r"constructor\s*\((.*)\)", s)
    if m:
        add("constructor", "constructor", "javascript")
        return f"def __init__({_parameters(m.group(1), 'self')}):"
    m = re.fullmatch(rf"({_IDENTIFIER})\s*\(([\w\s,]*)\)", s)
    if m and brace and m.group(1) not in ("if", "for", "while", "switch", "catch"):
        if indented:
            add("method", m.group(1), "javascript")
            return f"def {m.group(1)}({_parameters(m.group(2), 'self')}):"
        add("function", m.group(1), "javascript")
        return f"def {_hook_name(m.group(1))}({_parameters(m.group(2))}):"
    m = re.fullmatch(r"for\s*\((.*)\)", s)
    if m:
        return _for_loop(m.group(1), add)
    m = re.fullmatch(r"(else\s+if|if|while)\s*(.*?)\s*:?", s)
    if m:
        word = "elif" if m.group(1).startswith("else") else m.group(1)
        test = _outer_parens(m.group(2))
        if word == "elif":
            add("else_if", "else if")
        elif test is not None or brace:
            add(word, word)
        return f"{word} {test if test is not None else m.group(2)}:"
    if re.fullmatch(r"else\s*:?", s):
        if brace or any(h.name == "closing_brace" for h in habits):
            add("else", "else")
        return "else:"
    m = re.fullmatch(rf"(let|var|const)\s+({_IDENTIFIER})\s*(?:=\s*(.*))?", s)
    if m:
        add("declaration", m.group(1), "javascript")
        return f"{m.group(2)} = {m.group(3) if m.group(3) is not None else 'None'}"
    m = re.fullmatch(rf"(?:final\s+)?({_PROCESSING_TYPES})(\[\])?\s+({_IDENTIFIER})\s*(?:=\s*(.*))?", s)
    if m:
        add("typed_declaration", m.group(1), "processing")
        value = m.group(4)
        if value is None:
            listed = m.group(2) or m.group(1).startswith("ArrayList")
            value = "[]" if listed else _DEFAULTS.get(m.group(1), "None")
        elif value.startswith("{") and value.endswith("}"):
            value = "[" + value[1:-1] + "]"
        return f"{m.group(3)} = {value}"
    m = re.fullmatch(r"([\w.\[\]]+)\s*(\+\+|--)|(\+\+|--)\s*([\w.\[\]]+)", s)
    if m:
        target, op = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        add("increment", op)
        return f"{target} {op[0]}= 1"
    if brace:
        if re.match(r"(if|elif|for|while|def|class|try|except|finally|with)\b", s):
            add("brace", "{")
            return s + ":"
        return None
    return s


_DEFAULTS = {"int": "0", "long": "0", "byte": "0", "float": "0.0", "double": "0.0",
             "boolean": "False", "String": '""', "char": '""'}


def _hook_name(name: str) -> str:
    if name in FOREIGN_HOOKS:
        return FOREIGN_HOOKS[name]
    snake = camel_to_snake(name)
    return snake if snake in HOOK_NAMES else name


def _parameters(text: str, first: str | None = None) -> str:
    """"float x, float y" -> "x, y" (Processing writes a type before each input)."""
    names = [first] if first else []
    for part in text.split(","):
        words = part.replace("[]", " ").split()
        if words:
            names.append(words[-1])
    return ", ".join(names)


def _outer_parens(text: str) -> str | None:
    """The inside of text when all of it is in one pair of brackets: "(x > 5)" -> "x > 5"."""
    text = text.strip()
    if not text.startswith("("):
        return None
    depth = 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0:
            return text[1:-1].strip() if i == len(text) - 1 else None
    return None


def _for_loop(inside: str, add) -> str | None:
    """The inside of a JavaScript or Processing `for ( ... )` as a Python for line."""
    each = re.fullmatch(rf"\s*(?:(let|const|var)\s+|{_PROCESSING_TYPES}\s+)?({_IDENTIFIER})"
                        rf"\s+(of|in|:)\s+(.+?)\s*", inside) \
        or re.fullmatch(rf"\s*({_PROCESSING_TYPES}|[A-Z]\w*)\s+({_IDENTIFIER})\s*(:)\s*(.+?)\s*", inside)
    if each:
        add("for_each", each.group(3), "processing" if each.group(3) == ":" else "javascript")
        return f"for {each.group(2)} in {each.group(4)}:"
    parts = inside.split(";")
    if len(parts) != 3:
        add("for_count", "for")
        return None
    start = re.fullmatch(rf"\s*(?:(let|var)\s+|{_PROCESSING_TYPES}\s+)?({_IDENTIFIER})\s*=\s*(.+?)\s*",
                         parts[0])
    test = re.fullmatch(rf"\s*({_IDENTIFIER})\s*(<=|<|>=|>)\s*(.+?)\s*", parts[1])
    add("for_count", "for", "javascript" if start and start.group(1) else "processing" if start else None)
    if not start or not test or test.group(1) != start.group(2):
        return None
    name, first, op, end = start.group(2), start.group(3), test.group(2), test.group(3)
    step = _loop_step(parts[2].strip(), name)
    if step is None:
        return None
    if op == "<=":
        end = _plus(end, 1)
    elif op == ">=":
        end = _plus(end, -1)
    if step == "1":
        return f"for {name} in range({end}):" if first == "0" else f"for {name} in range({first}, {end}):"
    return f"for {name} in range({first}, {end}, {step}):"


def _loop_step(update: str, name: str) -> str | None:
    if update in (f"{name}++", f"++{name}"):
        return "1"
    if update in (f"{name}--", f"--{name}"):
        return "-1"
    m = re.fullmatch(rf"{name}\s*([+-])=\s*(.+)", update) \
        or re.fullmatch(rf"{name}\s*=\s*{name}\s*([+-])\s*(.+)", update)
    if not m:
        return None
    return m.group(2).strip() if m.group(1) == "+" else f"-{m.group(2).strip()}"


def _plus(expression: str, n: int) -> str:
    if re.fullmatch(r"-?\d+", expression):
        return str(int(expression) + n)
    return f"{expression} + {n}" if n > 0 else f"{expression} - {-n}"


def _compiles(line: str | None) -> bool:
    """Whether a translated line is Python (as a line inside a function body)."""
    if line is None:
        return False
    body = line.strip()
    if not body:
        return True
    if body.startswith(("elif", "else")):
        text = "if x:\n    pass\n" + body + "\n    pass\n"
    elif body.endswith(":"):
        text = body + "\n    pass\n"
    else:
        text = body + "\npass\n"
    try:
        compile("def _():\n" + textwrap.indent(text, "    "), "<line>", "exec")
    except (SyntaxError, ValueError):
        return False
    return True
