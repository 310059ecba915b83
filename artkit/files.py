"""Writing files so that nothing is ever half-written, and saying plainly why a write failed.

Every file artkit writes (pictures, stroke logs, time-lapses, checkpoints, session journals)
goes through `atomic_write`: the bytes go to a temporary file in the same folder, are flushed
to the disk (fsync), and only then renamed over the target. A crash, a `kill -9` or a full
disk at any moment leaves either the old file or the new one, never a truncated mix, and
never a stray temporary file once the writer has had the chance to clean up. One left by a
writer that had no chance (`kill -9`, a power cut) names that writer's process; the next save
into the folder removes it once that process has gone and the file is STALE_TEMP_S old.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from pathlib import Path

from artkit.errors import ArtkitError

__all__ = ["atomic_write", "BackgroundSync", "save_error", "check_writable", "check_regular_file", "fsync_folder",
           "check_writable_folder", "missing_folder"]

# Temporary files start with this, then the writing process's id and a dash, so a stray one
# (power cut mid-write) is recognisable, and whose it was.
TEMP_PREFIX = ".artkit-tmp-"
# A stray temporary file is removed when its process has gone and it is at least this old
# (a process on another computer sharing the folder may look gone from here).
STALE_TEMP_S = 600
_STRAY = re.compile(re.escape(TEMP_PREFIX) + r"(\d+)-")
_swept: set[str] = set()   # folders this process has already cleared of stray files


@contextlib.contextmanager
def atomic_write(path, mode: str = "wb"):
    """`with atomic_write(path) as f: f.write(...)`: `path` gets all of it or none of it.

    An OSError (a full disk, a folder that vanished) becomes an ArtkitError naming `path`; any
    error removes the temporary file and leaves an existing `path` untouched."""
    path = Path(path)
    _sweep_strays(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=path.suffix,
                                   dir=path.parent)
        os.close(fd)
    except OSError as error:
        raise save_error(path, error) from None
    try:
        # Opened by name, so that f.name is the temporary file's path: a writer that opens
        # its file again (ffmpeg's second pass putting an MP4's index first) can.
        with open(tmp, mode) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; saved files get the usual mode
        os.replace(tmp, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(error, OSError):
            raise save_error(path, error) from None
        raise
    fsync_folder(path.parent)


def _sweep_strays(folder: Path) -> None:
    """Remove the temporary files in `folder` that writers killed mid-save left behind: their
    process has gone and they are STALE_TEMP_S old. Once per folder per process, best effort
    (POSIX only: elsewhere there is no harmless way to ask whether a process lives)."""
    key = os.path.abspath(folder)
    if os.name != "posix" or key in _swept:
        return
    _swept.add(key)
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        match = _STRAY.match(entry.name)
        if match is None or _process_alive(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False) and \
                    now - entry.stat(follow_symlinks=False).st_mtime >= STALE_TEMP_S:
                os.unlink(entry.path)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)   # signal 0: nothing is sent, only whether the process exists
    except ProcessLookupError:
        return False
    except OSError:   # it exists but isn't ours (PermissionError), or we can't tell
        return True
    return True


class BackgroundSync:
    """Flushes a file to the disk (fsync) soon after each `request()`, on a thread of its own,
    so an append-only file (a session's journal) survives a power cut up to its last record or
    two while the writer (the painter's frame) never waits for the disk. Requests that arrive
    while a flush runs are served by one more flush. `close()` stops the thread after a last
    flush; call it before closing the file."""

    def __init__(self, fd: int):
        import threading

        self._fd = fd
        self._wanted = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, daemon=True, name="artkit-fsync")
        self._thread.start()

    def request(self) -> None:
        self._wanted.set()

    def close(self) -> None:
        if not self._thread.is_alive():
            return
        self._stopping = True
        self._wanted.set()
        self._thread.join()
        with contextlib.suppress(OSError):
            os.fsync(self._fd)

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            if self._stopping:
                return
            # A disk error here also fails the next write, which says so; nothing to add.
            with contextlib.suppress(OSError):
                os.fsync(self._fd)


def fsync_folder(folder) -> None:
    """Make a rename in `folder` durable (POSIX; a no-op where folders can't be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def save_error(path, error: OSError) -> ArtkitError:
    """The one-sentence ArtkitError for an OSError met while writing `path`."""
    path = Path(path)
    if isinstance(error, PermissionError):
        return ArtkitError(f"Can't save to '{path}': permission denied; pick another folder.")
    if isinstance(error, FileNotFoundError):
        if not path.parent.is_dir():
            return ArtkitError(f"Can't save to '{path}': {missing_folder(path.parent)}")
        return ArtkitError(f"Can't save to '{path}': files can't be made in the folder "
                           f"'{path.parent}'; pick another folder.")
    if isinstance(error, IsADirectoryError) or path.is_dir():
        return ArtkitError(f"Can't save to '{path}': that is a folder, not a file name.")
    reason = str(error.strerror or error)
    return ArtkitError(f"Can't save to '{path}': {reason[:1].lower()}{reason[1:]}; "
                       f"the file that was there (if any) is unchanged.")


def check_writable(path) -> Path:
    """Raise the ArtkitError a save to `path` would meet (a missing folder, a folder's name, a
    folder artkit may not write in) before any work is done, so nothing made is lost to it."""
    path = Path(path)
    if not path.parent.is_dir():
        raise ArtkitError(f"Can't save to '{path}': {missing_folder(path.parent)}")
    if path.is_dir():
        raise ArtkitError(f"Can't save to '{path}': that is a folder, not a file name.")
    if path.exists() and not path.is_file():
        raise ArtkitError(f"Can't save to '{path}': it is not a regular file; pick a file name.")
    try:
        with tempfile.TemporaryFile(dir=path.parent):
            pass
    except OSError as error:
        raise save_error(path, error) from None
    return path


def check_regular_file(path, what: str = "file") -> Path:
    """`path` when it is an ordinary file; a folder, a FIFO or a device is refused before
    anything opens it (opening a FIFO would wait forever for a writer)."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise ArtkitError(f"There is no {what} called '{path}'.") from None
    except OSError as error:
        raise ArtkitError(f"Can't read '{path}': {error.strerror or error}.") from None
    if stat.S_ISDIR(mode):
        raise ArtkitError(f"'{path}' is a folder, not a {what}.")
    if not stat.S_ISREG(mode):
        raise ArtkitError(f"'{path}' is not an ordinary file (a pipe or a device?); give a "
                          f"{what} saved on disk.")
    return path


def missing_folder(folder) -> str:
    """Why `folder` can't hold files, as words that end a sentence: it does not exist, or it
    (or a folder above it) is a file."""
    folder = Path(folder)
    for above in (folder, *folder.parents):
        if above.is_dir():
            break
        if above.exists():
            if above == folder:
                return f"'{folder}' is a file, not a folder."
            return f"'{above}' is a file, not a folder, so '{folder}' can't be made."
    return f"the folder '{folder}' does not exist."


def check_writable_folder(folder, what: str = "--out") -> Path:
    """Raise the ArtkitError that writing files into `folder` (made when missing) would meet,
    before any work is done: a file of that name, a file where a folder above it should be,
    somewhere artkit may not write, a pipe or a device. Nothing is created."""
    if str(folder).strip() == "":
        raise ArtkitError(f"{what} needs a folder name.")
    folder = Path(folder)
    existing = folder
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        if existing == folder:
            raise ArtkitError(f"{what} needs '{folder}' to be a folder, but it is a file; give "
                              f"another name.")
        raise ArtkitError(f"{what} can't make the folder '{folder}': '{existing}' is a file, "
                          f"not a folder.")
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as error:
        if isinstance(error, PermissionError):
            raise ArtkitError(f"{what} can't write in '{existing}': permission denied; pick "
                              f"another folder.") from None
        raise ArtkitError(f"{what} can't write in '{existing}': files can't be made there; pick "
                          f"another folder.") from None
    return folder
