"""Where the paint app keeps things on disk: the session journal and saved paintings' names.

The session journal lives in the user's data folder so that `artkit paint --resume` finds it from
any working directory. `ARTKIT_HOME` overrides the folder (tests, portable installs).
"""

import datetime as _dt
import os
import sys
from pathlib import Path

SESSION_LOG = "session.strokes"  # the stroke log, journalled as it grows
PREVIOUS_SUFFIX = ".previous"  # a fresh session keeps the one before it under this suffix


def data_dir() -> Path:
    """The folder for artkit's own files (created on first use)."""
    override = os.environ.get("ARTKIT_HOME")
    if override:
        base = Path(override).expanduser()
    elif sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "artkit"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / "artkit"
    else:
        xdg = os.environ.get("XDG_DATA_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".local" / "share") / "artkit"
    base.mkdir(parents=True, exist_ok=True)
    return base


def session_journal(folder: Path | None = None) -> Path:
    """The journal of the current painting session (its stroke log, written as it grows)."""
    folder = Path(folder) if folder is not None else data_dir()
    return folder / SESSION_LOG


def keep_previous(path: Path) -> Path | None:
    """Move an existing session file aside (so starting afresh never destroys a painting).

    A session with nothing painted in it is deleted instead, so opening and closing an empty
    window doesn't push a real painting out of the one `.previous` place."""
    path = Path(path)
    if not path.exists():
        return None
    if _is_blank_session(path):
        path.unlink()
        return None
    kept = path.with_name(path.name + PREVIOUS_SUFFIX)
    os.replace(path, kept)
    return kept


def _is_blank_session(path: Path) -> bool:
    from artkit.errors import ArtkitError
    from artkit.strokes import StrokeLog

    if path.stat().st_size > 65536:  # bigger than any header: something was painted
        return False
    try:
        log = StrokeLog.load(path)
    except ArtkitError:
        return False  # unreadable: keep it, someone may want to look at it
    return not log.can_undo() and not log.can_redo()


def timestamped_name(folder: Path, now: _dt.datetime | None = None, prefix="artkit") -> Path:
    """`folder/artkit-YYYYMMDD-HHMMSS.png`, with -2, -3… if that second is already taken."""
    now = now or _dt.datetime.now()
    stem = f"{prefix}-{now:%Y%m%d-%H%M%S}"
    folder = Path(folder)
    candidate = folder / f"{stem}.png"
    n = 2
    while candidate.exists() or candidate.with_suffix(".strokes").exists():
        candidate = folder / f"{stem}-{n}.png"
        n += 1
    return candidate
