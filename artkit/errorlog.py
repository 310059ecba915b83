"""The last resort: an unexpected error's details go to a log file, never onto the screen.

When artkit itself fails in a way nobody wrote a sentence for (a bug), the command line says
so in one sentence naming `errors.log` in artkit's data folder, and the traceback goes there.
The log is kept short: each new entry is appended to at most the last `KEEP_BYTES` of the old
one (older entries fall off the front), and the whole file is replaced atomically, so two
crashes at once can't interleave their lines. Writing the log never raises: if even that
fails, the caller gets None and says so without a path.
"""

from __future__ import annotations

import datetime as _dt
import platform
import shlex
import traceback
from pathlib import Path

__all__ = ["log_unexpected", "LOG_NAME", "KEEP_BYTES"]

LOG_NAME = "errors.log"
KEEP_BYTES = 256 * 1024          # the old entries kept behind a new one
_ENTRY_START = b"\n=== "


def log_unexpected(error: BaseException, argv=None, folder=None) -> Path | None:
    """Append `error`'s traceback (and the command line `argv`) to `folder/errors.log`
    (default: artkit's data folder); the log's path, or None when it could not be written."""
    try:
        from artkit.files import atomic_write
        from artkit.version import __version__

        if folder is None:
            from artkit.sessions import data_dir

            folder = data_dir()
        path = Path(folder) / LOG_NAME
        when = _dt.datetime.now().isoformat(timespec="seconds")
        command = "artkit " + " ".join(shlex.quote(str(a)) for a in (argv or []))
        entry = (f"=== {when}  artkit {__version__}  Python {platform.python_version()} on "
                 f"{platform.platform()}\n$ {command}\n"
                 + "".join(traceback.format_exception(type(error), error, error.__traceback__)))
        with atomic_write(path) as f:
            f.write(_kept_tail(path) + entry.encode("utf-8", "backslashreplace"))
        return path
    except Exception:   # the last resort must never fail in turn
        return None


def _kept_tail(path: Path) -> bytes:
    """The newest entries of the log at `path`, at most KEEP_BYTES, cut at an entry's start
    (b"" when there is no ordinary file there: a pipe is never opened)."""
    if not path.is_file():
        return b""
    with open(path, "rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - KEEP_BYTES))
        tail = f.read()
    if size > KEEP_BYTES:
        cut = tail.find(_ENTRY_START)
        tail = tail[cut + 1:] if cut >= 0 else b""
    if tail and not tail.endswith(b"\n"):
        tail += b"\n"
    return tail
