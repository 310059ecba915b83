"""Every command, every option, fed bad values: each ends in one or two plain sentences.

The cases are found by walking `artkit.cli.build_parser()` (every subcommand and every option,
so an option added tomorrow is fuzzed tomorrow); nothing here lists them by hand. Each option
gets the bad values of its kind: negative, zero, NaN, infinities, huge, empty, the wrong type,
non-ASCII, and for files and folders: a folder for a file, a file for a folder, a missing
file, a text file, a FIFO, the wrong extension and a place nobody can write.

A case passes when `artkit` ends with status 2 and one or two plain sentences on stderr (no
traceback, no Python exception names), or accepts the value (status 0, or it reached the
"work" below), leaves nothing half-written, and never uses the last-resort handler in
`artkit.cli.main`. Values that can never be right (NaN, "", a FIFO, a folder for a file, an
unwritable place...) must be refused, and seeds must be accepted whatever the whole number.

Work that would open a window or train for minutes is replaced by `ReachedWork` (raised where
the window or the training would start), so a case that gets there has passed validation:
that is how a long job's checks are shown to come before it. Everything else runs for real on
tiny fixtures (a 32x24 canvas, a 16-unit generator, a 2-frame sketch).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from artkit import cli

CASE_SECONDS = 30          # a case still running after this is a hang
TMP_PREFIX = ".artkit-tmp-"


class ReachedWork(BaseException):
    """Raised where a window would open or training would start: validation is over."""


class CaseTimedOut(BaseException):
    pass


# --------------------------------------------------------------------------------------------
# Walking the parser

@dataclass(frozen=True)
class Option:
    command: tuple          # ("gan", "sample")
    flag: str | None        # "--out", or None for a positional
    dest: str
    kind: str               # "int", "float", "seed", "flag", "choice", "text", "point", "size"
    role: str               # "input", "output-file", "output-folder", "data" or ""
    suffix: str             # the file suffix an output/input expects ("" when unknown)
    metavar: str


def _kind(action) -> str:
    if isinstance(action, (argparse._StoreTrueAction, argparse._StoreFalseAction,
                           argparse._StoreConstAction)):
        return "flag"
    if action.choices:
        return "choice"
    if action.dest == "seed":
        return "seed"
    name = getattr(action.type, "__name__", "")
    if action.type is int or name == "whole number":
        return "int"
    if action.type is float or name == "number":
        return "float"
    return {"_point": "point", "_size": "size"}.get(name, "text")


_INPUTS = {"source", "log", "file", "checkpoint", "gan"}
_DATA = {"data", "gan_data"}
_OUTPUTS = {"out", "npy", "timelapse", "record", "out_dir"}


def _suffix(action) -> str:
    for text in (action.metavar, action.default):
        if isinstance(text, str):
            found = re.search(r"\.(png|npy|webp|gif|strokes|mp4|py|pt)\b", text)
            if found:
                return "." + found.group(1)
    return {"log": ".strokes", "file": ".py", "checkpoint": ".pt", "gan": ".pt",
            "resume": ".pt", "source": ".png"}.get(action.dest, "")


def _role(action, command) -> str:
    dest = action.dest
    if dest == "resume" and command[:1] == ("gan",):
        return "input"
    if dest in _INPUTS:
        return "input"
    if dest in _DATA:
        return "data"
    if dest in _OUTPUTS:
        folder = dest == "out_dir" or "DIR" in str(action.metavar or "") or (
            isinstance(action.default, str) and not Path(action.default).suffix)
        return "output-folder" if folder else "output-file"
    return ""


def walk(parser=None, command=()) -> list[Option]:
    """Every option and positional of every (sub)command, from the parser itself."""
    parser = parser or cli.build_parser()
    found = []
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._VersionAction)):
            continue
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += walk(sub, command + (name,))
            continue
        if not command:
            continue
        flag = max(action.option_strings, key=len) if action.option_strings else None
        found.append(Option(command, flag, action.dest, _kind(action), _role(action, command),
                            _suffix(action), str(action.metavar or action.dest)))
    return found


def commands(parser=None, command=()) -> list[tuple]:
    parser = parser or cli.build_parser()
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append(command + (name,))
                found += commands(sub, command + (name,))
    return found


# --------------------------------------------------------------------------------------------
# Bad values, by kind; "must" values may never be accepted

@dataclass(frozen=True)
class Value:
    text: str
    must_refuse: bool
    why: str


NUMBERS = [Value("nan", True, "NaN"), Value("inf", True, "infinity"),
           Value("-inf", True, "minus infinity"), Value("1e999", True, "overflows to infinity"),
           Value("", True, "empty"), Value("abc", True, "not a number"),
           Value("1000000000000000000000000", False, "huge"), Value("-5", False, "negative"),
           Value("0", False, "zero"), Value("3.5", False, "a fraction"),
           Value("１２", False, "full-width digits"), Value("½", True, "a vulgar fraction")]
SEEDS = [Value("-5", False, "negative seed"), Value("99999999999999999999", False, "huge seed"),
         Value("nan", True, "NaN"), Value("", True, "empty"), Value("1.5", True, "a fraction"),
         Value("abc", True, "not a number")]
TEXTS = [Value("", False, "empty"), Value("  ", False, "blank"), Value("nope", False, "unknown"),
         Value("ünïcødé-ñame", False, "non-ASCII"), Value("-5x5", False, "negative size"),
         Value("nan", False, "NaN"), Value("99999x99999", False, "huge size"),
         Value("0x0", False, "zero size"), Value("\u200b", False, "zero-width space")]


def values_for(option: Option, paths: dict) -> list[Value]:
    kind, role, suffix = option.kind, option.role, option.suffix or ".png"
    if kind == "flag":
        return [Value("", False, "the flag alone")]
    if kind == "seed":
        return SEEDS
    if kind in ("int", "float"):
        return NUMBERS
    if kind == "choice":
        return [Value("nope", True, "not a choice"), Value("", True, "empty"),
                Value("ÜBER", True, "non-ASCII")]
    if kind in ("point", "size"):
        return [Value("nan,nan", True, "NaN"), Value("inf,0", True, "infinity"),
                Value("", True, "empty"), Value("-5", False, "negative"),
                Value("0", False, "zero"), Value("1,2,3", True, "three numbers"),
                Value("99999999999999999999", False, "huge")]
    found = list(TEXTS)
    fifo = paths["fifos"].get(suffix, paths["fifos"][".png"])
    if role == "input":
        found += [Value(paths["folder"], True, "a folder for a file"),
                  Value(fifo, True, "a FIFO"), Value(paths["missing"] + suffix, True, "missing"),
                  Value(paths["nonascii_missing"] + suffix, True, "missing, non-ASCII"),
                  Value(paths["text"], option.command != ("paint",), "a text file")]
    elif role == "data":
        found += [Value(fifo, True, "a FIFO"),
                  Value(paths["text"], option.command != ("paint",), "a text file"),
                  Value(paths["missing"] + ".npz", True, "missing")]
    elif role == "output-file":
        found += [Value(paths["folder"], True, "a folder for a file"),
                  Value(str(Path(paths["text"]) / ("x" + suffix)), True, "a file for a folder"),
                  Value(str(Path(paths["folder"]) / "x.txt"), True, "the wrong extension"),
                  Value(paths["unwritable"] + "/x" + suffix, True, "unwritable"),
                  Value(fifo, False, "a FIFO (replaced whole by an atomic write)"),
                  Value(str(Path(paths["folder"]) / ("ñ-ü" + suffix)), False, "non-ASCII name")]
    elif role == "output-folder":
        found += [Value(paths["text"], True, "a file for a folder"),
                  Value(str(Path(paths["text"]) / "sub"), True, "under a file"),
                  Value(paths["fifos"][""], True, "a FIFO"),
                  Value(paths["unwritable"] + "/x", True, "unwritable")]
    return found


# Small values that keep an accepted case quick, given when the command has the option.
def base_arguments(command: tuple, options: list[Option], paths: dict) -> list:
    """argv for `command` that works and is quick: tiny sizes, few frames, fixture files."""
    have = {o.flag or o.dest: o for o in options if o.command == command}
    argv = list(command)
    for name, option in have.items():
        if option.flag is None:
            fill = {"log": paths["strokes"], "file": paths["sketch"],
                    "checkpoint": paths["checkpoint"], "project": paths["project"]
                    }.get(option.dest)
            if fill is not None:
                argv.append(fill)
    quick = {"--size": "32x24", "--strokes": "3", "--frames": "2", "--n": "10",
             "--steps": "3", "--quiet": None, "--timeout": "5"}
    for flag, value in quick.items():
        option = have.get(flag)
        if option is None or (flag == "--size" and option.kind != "text"):
            continue
        argv += [flag] if value is None else [flag, value]
    for option in have.values():
        if option.flag and option.role == "output-file" and option.dest in ("out",):
            argv += [option.flag, str(Path(paths["outputs"]) / ("out" + (option.suffix or
                                                                          ".png")))]
        elif option.flag and option.role == "output-folder":
            argv += [option.flag, paths["outputs"]]
    return argv


def _without(argv: list, option: Option) -> list:
    """`argv` without `option` (and its value), so the case can give its own."""
    out, skip = [], False
    for i, item in enumerate(argv):
        if skip:
            skip = False
            continue
        if item == option.flag:
            skip = option.kind != "flag"
            continue
        out.append(item)
    return out


def case_argv(option: Option, value: Value, options, paths) -> list:
    argv = base_arguments(option.command, options, paths)
    if option.flag is None:
        fixtures = {paths["strokes"], paths["sketch"], paths["checkpoint"], paths["project"]}
        head = list(option.command)
        rest = [a for a in argv[len(head):] if a not in fixtures]
        return head + [value.text] + rest
    argv = _without(argv, option)
    if option.kind == "flag":
        return argv + [option.flag]
    return argv + [option.flag, value.text]   # '-5x5' and '-inf' are values after a space too


# --------------------------------------------------------------------------------------------
# Fixtures

@pytest.fixture(scope="module")
def paths(tmp_path_factory):
    torch = pytest.importorskip("torch")
    from PIL import Image

    from artkit.gan import checkpoint as ckpt
    from artkit.gan import models

    root = tmp_path_factory.mktemp("fuzz")
    folder = root / "a folder"
    folder.mkdir()
    outputs = root / "outputs"
    outputs.mkdir()
    text = root / "notes.txt"
    text.write_text("not what artkit wants\n")
    Image.new("RGB", (8, 6), (200, 100, 50)).save(root / "photo.png")
    torch.manual_seed(0)
    config = models.MLPGANConfig(hidden=16, latent_dim=8)
    checkpoint = root / "tiny.pt"
    ckpt.save_checkpoint(checkpoint, model_name="mlp", config=config,
                         generator=models.build_generator(config), step=5)
    sketch = root / "sketch.py"
    sketch.write_text("def setup():\n    size(40, 30)\n\ndef draw():\n    circle(20, 15, 10)\n")
    strokes = root / "tiny.strokes"
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli.main(["render", "--size", "32x24", "--strokes", "3", "--quiet",
                         "--out", str(root / "tiny.png")]) == 0
    fifos = {}
    for suffix in ("", ".png", ".npy", ".webp", ".gif", ".strokes", ".mp4", ".py", ".pt",
                   ".npz"):
        fifo = root / f"pipe{suffix}"
        os.mkfifo(fifo)
        fifos[suffix] = str(fifo)
    if os.geteuid() == 0 and Path("/proc").is_dir():
        unwritable = "/proc"               # root writes anywhere else
    else:
        locked = root / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        unwritable = str(locked)
    from artkit.commands.run import course_projects

    return {"project": course_projects()[0][0], "root": str(root), "folder": str(folder), "outputs": str(outputs), "text": str(text),
            "checkpoint": str(checkpoint), "sketch": str(sketch), "strokes": str(strokes),
            "fifos": fifos, "unwritable": unwritable, "missing": str(root / "missing"),
            "nonascii_missing": str(root / "nïcht-da")}


@pytest.fixture
def stubbed_work(monkeypatch):
    """Windows and training become ReachedWork; everything before them runs for real."""
    import artkit.app.paint_app as paint_app
    import artkit.app.sketch_window as sketch_window
    import artkit.gan.data as gan_data
    import artkit.gan.games as games
    import artkit.gan.launch as launch
    import artkit.gan.train as train

    def reached(*_args, **_kwargs):
        raise ReachedWork()

    monkeypatch.setattr(paint_app, "PaintApp", reached)
    monkeypatch.setattr(sketch_window, "run_window", reached)
    monkeypatch.setattr(train, "Trainer", reached)          # gan train and gan ablate
    monkeypatch.setattr(train, "_train_part1", reached)
    monkeypatch.setattr(launch, "launch", reached)
    monkeypatch.setattr(games, "plot_all", reached)
    # Loading the bundled digits takes a moment: load each kind once for all the cases.
    monkeypatch.setattr(gan_data, "load_data", _once(gan_data.load_data))
    monkeypatch.setattr(gan_data, "digits", _once(gan_data.digits))
    # One parser for every case (argparse parsers can be reused; building one is most of the
    # time a refused case takes).
    monkeypatch.setattr(cli, "build_parser", lambda: PARSER)
    fired = []

    def counted(error, argv=None):
        fired.append((argv, error))
        return original(error, argv)

    original = cli.report_unexpected
    monkeypatch.setattr(cli, "report_unexpected", counted)
    return fired


_LOADED = {}


def _once(load):
    """`load`, remembering what it gave for the same arguments (errors are not remembered)."""
    def remembered(*args, **kwargs):
        said = {name: value for name, value in kwargs.items() if name != "notice"}
        key = (load.__name__, repr(args), repr(sorted(said.items())))
        if key not in _LOADED:
            _LOADED[key] = load(*args, **kwargs)
        return _LOADED[key]

    return remembered


@contextlib.contextmanager
def time_limit(seconds: float):
    def stop(signum, frame):
        raise CaseTimedOut()

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def snapshot(*folders) -> set:
    found = set()
    for folder in folders:
        for dirpath, _, filenames in os.walk(folder):
            found.update(os.path.join(dirpath, name) for name in filenames)
    return found


@dataclass
class Outcome:
    status: int | str
    stderr: str
    stdout: str
    new_files: set


def run_case(argv, paths) -> Outcome:
    home = os.environ["ARTKIT_HOME"]
    before = snapshot(paths["root"], home)
    err, out = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(paths["outputs"])
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out), \
                time_limit(CASE_SECONDS):
            try:
                status = cli.main(argv)
            except SystemExit as exit_:
                status = exit_.code if isinstance(exit_.code, int) else 2
            except ReachedWork:
                status = "work"
    finally:
        os.chdir(cwd)
    return Outcome(status, err.getvalue(), out.getvalue(), snapshot(paths["root"], home) - before)


# --------------------------------------------------------------------------------------------
# The oracle

_TRACE = re.compile(r"Traceback \(most recent call last\)|^\s*File \"|\b[A-Z]\w*(?:Error|Exception)"
                    r"\b:|<class '|object at 0x", re.MULTILINE)


def plain_problems(stderr: str) -> list[str]:
    """What makes stderr more than one or two plain sentences."""
    problems = []
    if _TRACE.search(stderr):
        problems.append("a traceback or a Python exception name")
    said = [line for line in stderr.splitlines() if line.strip() and not line.startswith("    ")
            and not line.startswith("How it got there")]
    if not said:
        problems.append("nothing said")
    if len(said) > 2:
        problems.append(f"{len(said)} lines")
    if any(len(line) > 600 for line in said):
        problems.append("a sentence over 600 characters")
    return problems


def check(outcome: Outcome, value: Value, option: Option, fired: list) -> list[str]:
    problems = []
    if fired:
        problems.append(f"the last-resort handler fired: {fired[-1][1]!r}")
    stray = [p for p in outcome.new_files if TMP_PREFIX in p]
    if stray:
        problems.append(f"half-written files left: {stray}")
    accepted = outcome.status in (0, "work")
    if outcome.status not in (0, 2, "work"):
        problems.append(f"exit status {outcome.status}")
    if outcome.status == 2:
        problems += plain_problems(outcome.stderr)
        made = [p for p in outcome.new_files if not p.endswith(".lock")]
        if made:
            problems.append(f"refused, but it made {sorted(made)[:3]}")
    if value.must_refuse and accepted:
        problems.append(f"accepted {value.why} ({value.text!r})")
    if option.kind == "seed" and not value.must_refuse and not accepted:
        problems.append(f"refused the seed {value.text!r}: {outcome.stderr.strip()[:200]}")
    return problems


# --------------------------------------------------------------------------------------------
# The cases

def _cases():
    for option in OPTIONS:
        for value in values_for(option, _PLACEHOLDER_PATHS):
            yield pytest.param(option, value, id=f"{' '.join(option.command)} "
                                                 f"{option.flag or option.dest} {value.why}")


# values_for needs path strings at collection time; they are swapped for the fixture's below.
_PLACEHOLDER_PATHS = {"folder": "{folder}", "text": "{text}", "missing": "{missing}",
                      "nonascii_missing": "{nonascii_missing}", "unwritable": "{unwritable}",
                      "outputs": "{outputs}",
                      "fifos": {s: "{fifo" + s + "}" for s in
                                ("", ".png", ".npy", ".webp", ".gif", ".strokes", ".mp4", ".py",
                                 ".pt", ".npz")}}


def _fill(value: Value, paths: dict) -> Value:
    text = value.text
    for key in ("folder", "text", "missing", "nonascii_missing", "unwritable", "outputs"):
        text = text.replace("{" + key + "}", paths[key])
    for suffix, fifo in paths["fifos"].items():
        text = text.replace("{fifo" + suffix + "}", fifo)
    return Value(text, value.must_refuse, value.why)


PARSER = cli.build_parser()
OPTIONS = walk(PARSER)
CASES = list(_cases())


@pytest.mark.parametrize("option, value", CASES)
def test_a_bad_value_ends_in_plain_words(option, value, paths, stubbed_work):
    value = _fill(value, paths)
    argv = case_argv(option, value, OPTIONS, paths)
    outcome = run_case(argv, paths)
    problems = check(outcome, value, option, stubbed_work)
    assert not problems, (f"artkit {' '.join(map(str, argv))}\n  -> {outcome.status}: "
                          f"{'; '.join(problems)}\n  stderr: {outcome.stderr[:800]}")


# Whole argument lists that argparse itself rejects: the words must be plain too.
ARGPARSE_CASES = [
    ["render", "--size"],                    # an option at the end, with no value
    ["render", "--sed", "4"],                # a misspelt option
    ["render", "--s", "4"],                  # an ambiguous abbreviation
    ["pant"],                                # a misspelt command
    ["gan", "sampel"],
    ["gan", "sample"],                       # a missing positional
    ["render", "--quiet=yes"],               # a value for a flag
    ["render", "stray"],                     # a stray word
    ["render", "--fit", "cover", "--fit"],
    ["replay", "--scale", "-2x"],
    ["run", "--timeout", "-nan", "x.py"],
]


@pytest.mark.parametrize("argv", ARGPARSE_CASES, ids=" ".join)
def test_argparse_mistakes_are_plain_sentences(argv, paths, stubbed_work):
    outcome = run_case(argv, paths)
    assert outcome.status == 2
    assert not plain_problems(outcome.stderr), outcome.stderr
    assert not stubbed_work
    assert "usage:" not in outcome.stderr and "error:" not in outcome.stderr


def test_negative_sizes_reach_the_size_check_not_argparse(paths, stubbed_work):
    outcome = run_case(["render", "--size", "-5x5"], paths)
    assert outcome.status == 2
    assert outcome.stderr.strip() == ("artkit: --size must look like 1024x768 (width x height "
                                      "in pixels), not '-5x5'.")


def test_the_fuzz_walks_every_command_and_option():
    """The cases come from the parser: every (sub)command with options is fuzzed, and every
    option gets at least three bad values."""
    options = OPTIONS
    fuzzed = {(option.command, option.flag or option.dest) for option, _ in
              (case.values for case in CASES)}
    assert fuzzed == {(o.command, o.flag or o.dest) for o in options}
    with_options = {o.command for o in options}
    assert {("render",), ("replay",), ("paint",), ("run",), ("course",), ("gan", "train"),
            ("gan", "sample"), ("gan", "score"), ("gan", "ablate"), ("gan", "xy"),
            ("gan", "shapes")} <= with_options
    assert all(len([c for c in CASES if c.values[0] == o]) >= 3 or o.kind == "flag"
               for o in options)
    print(f"\nartkit CLI fuzz: {len(CASES) + len(ARGPARSE_CASES) + 1} cases over "
          f"{len(options)} options of {len(with_options)} commands", file=sys.stderr)
