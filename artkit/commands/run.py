"""`artkit run FILE` and `artkit course`: run sketches, in a window or headless.

    artkit run flower.py                       a window; saving the file reloads it
    artkit run flower.py --seed 7              the same random picture every time
    artkit run flower.py --frames 60 --out flower.png     no window: draw 60 frames, save the last
    artkit run flower.py --param PETALS=12     change a setting (an UPPERCASE name in the file)
    artkit run flower.py --record flower.mp4   record the first 10 s of the window (.gif too)
    artkit run flower.py --frames 600 --record flower.mp4 --fps 30    record without a window
    artkit course                              list the course projects by level
    artkit course 26                           run project 26 in a window
    artkit course 26 --copy                    copy project 26 here, to change it

The window (pygame) is imported only when a window is opened, so headless runs never load it.
"""

from __future__ import annotations

import ast
import math
import shutil
from pathlib import Path

from artkit.commands import values
from artkit.errors import ArtkitError
from artkit.params import SEED_HELP

DEFAULT_RECORD_SECONDS = 10.0


def register(subparsers) -> None:
    run = subparsers.add_parser(
        "run", help="run a sketch file (setup/draw) in a window, or headless with --frames",
        description="Run a sketch: a Python file with setup() and/or draw(). Saving the file "
                    "while the window is open reloads it.")
    run.add_argument("file", help="the sketch file, e.g. flower.py")
    _add_run_options(run)
    run.set_defaults(func=run_command)

    course = subparsers.add_parser(
        "course", help="list the course projects, run one, or copy one here to change it",
        description="The artkit course: 20 projects in 4 levels. With no number, lists them.")
    course.add_argument("project", nargs="?", help="a project number, e.g. 26")
    course.add_argument("--copy", action="store_true",
                        help="copy the project's file into the current folder instead of running it")
    _add_run_options(course)
    course.set_defaults(func=course_command)


def _add_run_options(parser) -> None:
    parser.add_argument("--seed", type=values.seed, default=None,
                        help="seed for random() and noise(): the same seed draws the same picture "
                             f"(default: a new one each run; {SEED_HELP})")
    parser.add_argument("--frames", type=values.whole(1, 1_000_000), default=None,
                        help="run without a window for this many frames and save the last one")
    parser.add_argument("--out", default=None,
                        help="where --frames saves the picture (default: the sketch's name .png)")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="change one of the sketch's UPPERCASE settings, e.g. --param PETALS=12")
    parser.add_argument("--timeout", type=values.number(0, 3600, above_low=True), default=3.0,
                        help="seconds setup() or draw() may run before artkit stops it (default 3)")
    parser.add_argument("--record", default=None, metavar="OUT.mp4|.webm|.gif|.webp",
                        help="record the sketch into a video or an animated picture: from its "
                             "window, or without one with --frames (.mp4 and .webm need the "
                             "video extra: pip install 'artkit[video]')")
    parser.add_argument("--seconds", type=float, default=None, metavar="S",
                        help="how long --record records (default: 10 s in a window; all of "
                             "--frames without one)")
    parser.add_argument("--fps", type=float, default=None, metavar="N",
                        help="frames a second of the --record file (default: the sketch's "
                             "frame rate)")


# ---------------------------------------------------------------------------------------------
# artkit run

def run_command(args) -> int:
    return run_sketch(Path(args.file), args)


def run_sketch(path: Path, args) -> int:
    from artkit.params import split_assignment
    from artkit.runner import SketchRunner

    # The values stay text here: the runner checks each against its setting's kind in the file.
    params = dict(split_assignment(p, "--param", "PETALS=12") for p in args.param)
    runner = SketchRunner(path, seed=args.seed, params=params, timeout=args.timeout)
    windowed = args.frames is None and args.out is None
    if args.record is None and (args.seconds is not None or args.fps is not None):
        raise ArtkitError("--seconds and --fps go with --record, e.g. "
                          f"--record {runner.path.stem}.mp4 --seconds 20.")
    if args.record is not None:
        # A window records 10 s unless told; without one, every frame drawn unless told.
        seconds = args.seconds if args.seconds is not None else (
            DEFAULT_RECORD_SECONDS if windowed else None)
        runner.record(args.record, seconds, args.fps)
    if windowed:
        from artkit.app.sketch_window import run_window

        return run_window(runner)
    from artkit.canvas import check_can_save

    frames = 60 if args.frames is None else args.frames
    if frames < 1:
        raise ArtkitError(f"--frames needs a number of frames of 1 or more, not {frames}.")
    out = check_can_save(Path(args.out) if args.out else Path(f"{runner.path.stem}.png"))
    if args.record is not None and args.frames is None and args.seconds is not None:
        # --seconds without --frames: draw as many frames as the recording needs.
        if not runner.load():
            return 2
        frames = max(1, math.ceil(args.seconds * (args.fps or runner.frame_rate)))
    ok = runner.run_frames(frames)
    for said in runner.finish_recordings():
        print(said)
    if not ok or runner.canvas is None:
        return 2
    drawn = runner.context.frame_count
    runner.canvas.save(out, runner.provenance(drawn))
    frames_note = f"{drawn} frames, " if runner.current.animated else ""
    print(f"saved {out} ({frames_note}seed {runner.seed})")
    return 0


# ---------------------------------------------------------------------------------------------
# artkit course

def sketches_folder() -> Path:
    """Where the sketches live: `sketches/` beside the artkit package (an editable install)."""
    import artkit

    folder = Path(artkit.__file__).resolve().parent.parent / "sketches"
    if not folder.is_dir():
        raise ArtkitError("The course sketches were not found: artkit must be installed from its "
                          "source folder (pip install -e .) for `artkit course` to find them.")
    return folder


def course_projects() -> list[tuple[str, Path]]:
    """(number, file) for every course project, in order: ('00', .../00_getting_started.py)."""
    projects = []
    for path in sorted((sketches_folder() / "course").glob("level*/[0-9][0-9]_*.py")):
        projects.append((path.name[:2], path))
    return projects


def describe(path: Path) -> str:
    """The first line of a sketch's docstring."""
    try:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    except (OSError, SyntaxError):
        return ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def level_title(folder: Path) -> str:
    """A level's title: the first line of its README.md (without the '#')."""
    readme = folder / "README.md"
    if readme.is_file():
        first = readme.read_text(encoding="utf-8").strip().splitlines()[0]
        return first.lstrip("#").strip()
    return folder.name


def course_listing() -> str:
    lines = []
    current = None
    for number, path in course_projects():
        if path.parent != current:
            current = path.parent
            if lines:
                lines.append("")
            lines.append(level_title(current))
        lines.append(f"  {number}  {describe(path)}")
    lines.append("")
    lines.append("Run one with `artkit course 26`, or copy it here to change it with `artkit course 26 --copy`.")
    return "\n".join(lines)


def find_project(which: str) -> Path:
    projects = course_projects()
    key = which.strip().removesuffix(".py")
    for number, path in projects:
        if key in (number, number.lstrip("0") or "0", path.stem):
            return path
    numbers = ", ".join(n for n, _ in projects)
    raise ArtkitError(f"There is no course project '{which}'; the projects are {numbers}.")


def course_command(args) -> int:
    if args.project is None:
        if args.copy:
            raise ArtkitError("Say which project to copy, like: artkit course 26 --copy")
        print(course_listing())
        return 0
    path = find_project(args.project)
    if args.copy:
        target = Path.cwd() / path.name
        if target.exists():
            raise ArtkitError(f"There is already a file called {path.name} here; rename or move it "
                              "first, so your changes aren't lost.")
        shutil.copyfile(path, target)
        print(f"copied project {path.name[:2]} to {target.name}: change it, then run it with "
              f"`artkit run {target.name}`")
        return 0
    return run_sketch(path, args)
