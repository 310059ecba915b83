"""Where painting sessions live on disk: one journal per session, every session kept, each
held by one window at a time.

A session is a few files in `<data folder>/sessions/`, all named by its ID (the time it began,
`YYYYMMDD-HHMMSS`, with `-2`, `-3`… when that second is taken):

- `ID.strokes`: the journal, the stroke log written as it grows (see `artkit.strokelog`);
- `ID.lock`: held with an OS lock (`fcntl.flock`, or `msvcrt.locking` on Windows) by the one
  window painting the session, so a second window can't write over it;
- `ID.png`: a small picture of the painting, written when its window closes;
- `ID.damaged-…`: a damaged journal, kept as it was after its gestures were recovered.

Nothing is pruned until the folder holds more than `MAX_SESSIONS` sessions or `MAX_BYTES`;
even then the `KEEP_RECENT` most recent sessions and any session open in a window are never
touched, and `prune` returns what it removed so the caller can say so.

The data folder is the user's (XDG data home, Application Support, or AppData), or
`ARTKIT_HOME` when set (tests, portable installs). Core module: no pygame, no torch.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from artkit.errors import ArtkitError

__all__ = ["data_dir", "timestamped_name", "SessionStore", "SessionLock", "SessionInfo",
           "SessionBusy", "KEEP_RECENT", "MAX_SESSIONS", "MAX_BYTES"]

KEEP_RECENT = 10                 # never pruned, whatever the budget
MAX_SESSIONS = 100               # the budget: this many sessions…
MAX_BYTES = 1024 * 1024 * 1024   # …and this many bytes of them
LEGACY_JOURNAL = "session.strokes"   # where artkit 0.1 kept its one session
_ID = re.compile(r"^\d{8}-\d{6}(-\d+)?$")


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
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ArtkitError(f"Can't make artkit's data folder '{base}': "
                          f"{error.strerror or error}; set ARTKIT_HOME to a folder you can "
                          f"write in.") from None
    return base


def timestamped_name(folder, now: _dt.datetime | None = None, prefix="artkit",
                     suffix=".png", siblings=(".strokes",)) -> Path:
    """`folder/artkit-YYYYMMDD-HHMMSS.png`, with -2, -3… if that name (or a sibling with one
    of `siblings`' suffixes) is already taken."""
    now = now or _dt.datetime.now()
    stem = f"{prefix}-{now:%Y%m%d-%H%M%S}" if prefix else f"{now:%Y%m%d-%H%M%S}"
    folder = Path(folder)
    candidate, n = folder / f"{stem}{suffix}", 2
    while candidate.exists() or any(candidate.with_suffix(s).exists() for s in siblings):
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    return candidate


class SessionBusy(ArtkitError):
    """The session is open in another window (its lock is held)."""

    def __init__(self, session_id: str):
        super().__init__(f"Session {session_id} is open in another window.")
        self.session_id = session_id


# -- the OS lock ---------------------------------------------------------------------------

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)


class SessionLock:
    """A session held by this process: its ID and files. The OS drops the lock if the
    process dies, so a killed window never leaves a session stuck."""

    def __init__(self, folder: Path, session_id: str, fd: int):
        self.folder, self.id, self._fd = folder, session_id, fd

    @property
    def journal(self) -> Path:
        return self.folder / f"{self.id}.strokes"

    @property
    def thumbnail(self) -> Path:
        return self.folder / f"{self.id}.png"

    def damaged_copy_name(self, now: _dt.datetime | None = None) -> Path:
        return timestamped_name(self.folder, now, prefix=f"{self.id}.damaged", suffix="",
                                siblings=())

    def discard(self) -> None:
        """Give up a session that never got a journal: its lock file goes too."""
        if not self.journal.exists():
            with contextlib.suppress(OSError):
                (self.folder / f"{self.id}.lock").unlink()
        self.release()

    def release(self) -> None:
        if self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()

    def __del__(self):
        with contextlib.suppress(Exception):
            self.release()


def _open_locked(lock_path: Path, create: bool) -> int | None:
    """An fd holding the lock on `lock_path`; None when another process holds it. With
    `create`, the file must not exist yet (that is how a new ID is claimed)."""
    flags = os.O_RDWR | (os.O_CREAT | os.O_EXCL if create else 0)
    fd = os.open(lock_path, flags, 0o644)
    if not _try_lock(fd):
        os.close(fd)
        return None
    # A pruner may have removed the session between our open and our lock: then the lock
    # is on a file that is gone, and holds nothing.
    try:
        same = os.path.samestat(os.fstat(fd), os.stat(lock_path))
    except OSError:
        same = False
    if not same:
        _unlock(fd)
        os.close(fd)
        raise FileNotFoundError(lock_path)
    return fd


@dataclass
class SessionInfo:
    """What `artkit sessions` shows of one session."""

    id: str
    journal: Path
    modified: _dt.datetime
    bytes: int
    size: tuple[int, int] | None = None
    brush: str | None = None
    gestures: int | None = None
    thumbnail: Path | None = None
    busy: bool = False
    problem: str | None = None   # why its journal could not be read, if it couldn't


class SessionStore:
    """The sessions folder: make, find, lock, list and prune sessions."""

    def __init__(self, folder=None):
        self.folder = Path(folder) if folder is not None else data_dir() / "sessions"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ArtkitError(f"Can't make the sessions folder '{self.folder}': "
                              f"{error.strerror or error}.") from None
        self.adopted = self._adopt_legacy()

    # -- finding -----------------------------------------------------------------------------
    def ids(self) -> list[str]:
        """Every session's ID, most recently painted first."""
        found = [p for p in self.folder.glob("*.strokes") if _ID.match(p.stem)]
        found.sort(key=lambda p: (_mtime(p), p.stem), reverse=True)
        return [p.stem for p in found]

    def latest(self) -> str | None:
        ids = self.ids()
        return ids[0] if ids else None

    def resolve(self, session_id: str | None) -> str:
        """The ID `--resume` means: the latest for None or "latest", else `session_id` itself
        (a unique beginning of an ID is enough)."""
        ids = self.ids()
        if not ids:
            raise ArtkitError("There is no painting session to resume yet; start one with "
                              "'artkit paint'.")
        if session_id in (None, "", "latest"):
            return ids[0]
        wanted = str(session_id).strip()
        matches = [i for i in ids if i == wanted] or [i for i in ids if i.startswith(wanted)]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise ArtkitError(f"There is no session {wanted!r}; 'artkit sessions' lists them "
                              f"(the latest is {ids[0]}).")
        raise ArtkitError(f"{wanted!r} could be any of {', '.join(sorted(matches)[:4])}; give "
                          f"more of the ID.")

    # -- locking -----------------------------------------------------------------------------
    def create(self, now: _dt.datetime | None = None) -> SessionLock:
        """A new, empty session, locked by this process."""
        for _ in range(1000):
            candidate = timestamped_name(self.folder, now, prefix="", suffix=".lock",
                                         siblings=(".strokes",))
            try:
                fd = _open_locked(candidate, create=True)
            except FileExistsError:
                continue   # another window claimed that ID a moment ago
            except OSError as error:
                raise ArtkitError(f"Can't start a session in '{self.folder}': "
                                  f"{error.strerror or error}.") from None
            if fd is not None:
                return SessionLock(self.folder, candidate.stem, fd)
        raise ArtkitError(f"Can't find a free session name in '{self.folder}'.")

    def acquire(self, session_id: str) -> SessionLock:
        """Lock an existing session for this process; SessionBusy when a window has it."""
        try:
            fd = _open_locked(self.folder / f"{session_id}.lock", create=False)
        except FileNotFoundError:
            if not (self.folder / f"{session_id}.strokes").exists():
                raise ArtkitError(f"Session {session_id} is gone (it was just removed).") from None
            try:   # a session adopted or copied in without its lock file
                fd = _open_locked(self.folder / f"{session_id}.lock", create=True)
            except FileExistsError:
                raise SessionBusy(session_id) from None
        except OSError as error:
            raise ArtkitError(f"Can't open session {session_id}: "
                              f"{error.strerror or error}.") from None
        if fd is None:
            raise SessionBusy(session_id)
        return SessionLock(self.folder, session_id, fd)

    def is_busy(self, session_id: str) -> bool:
        try:
            with self.acquire(session_id):
                return False
        except SessionBusy:
            return True
        except ArtkitError:
            return False

    # -- listing -----------------------------------------------------------------------------
    def info(self, session_id: str, read: bool = True) -> SessionInfo:
        from artkit.strokelog import StrokeLog

        journal = self.folder / f"{session_id}.strokes"
        stat = journal.stat()
        thumb = self.folder / f"{session_id}.png"
        info = SessionInfo(session_id, journal, _dt.datetime.fromtimestamp(stat.st_mtime),
                           self._bytes(session_id), thumbnail=thumb if thumb.exists() else None,
                           busy=self.is_busy(session_id))
        if read:
            try:
                log = StrokeLog.load(journal)
                info.size, info.gestures = log.size, len(log.gestures)
                info.brush = log.meta.get("brush")
                if log.damage:
                    info.problem = "damaged; --resume recovers what it can"
            except ArtkitError as error:
                info.problem = str(error)
        return info

    def list(self) -> list[SessionInfo]:
        """Every session, most recent first."""
        return [self.info(i) for i in self.ids()]

    def _files(self, session_id: str) -> list[Path]:
        return [p for p in self.folder.glob(f"{session_id}.*")
                if p.name.split(".", 1)[0] == session_id]

    def _bytes(self, session_id: str) -> int:
        return sum(_size(p) for p in self._files(session_id))

    # -- pruning -----------------------------------------------------------------------------
    def prune(self, max_sessions: int = MAX_SESSIONS, max_bytes: int = MAX_BYTES,
              keep_recent: int = KEEP_RECENT, keep: tuple = ()) -> list[SessionInfo]:
        """Remove the oldest sessions while there are more than `max_sessions` or they take
        more than `max_bytes`; sessions with nothing painted in them go first. The
        `keep_recent` most recent, those in `keep` and any open in a window stay. Returns the
        removed sessions."""
        ids = self.ids()
        sizes = {i: self._bytes(i) for i in ids}
        count, total = len(ids), sum(sizes.values())
        if count <= max_sessions and total <= max_bytes:
            return []
        older = [i for i in ids[keep_recent:] if i not in keep]
        blank_first = sorted(older[::-1], key=lambda i: not self._is_blank(i))
        removed = []
        for session_id in blank_first:
            if count <= max_sessions and total <= max_bytes:
                break
            info = self.info(session_id, read=False)
            if self._remove(session_id):
                removed.append(info)
                count, total = count - 1, total - sizes[session_id]
        return removed

    def _is_blank(self, session_id: str) -> bool:
        from artkit.strokelog import StrokeLog

        journal = self.folder / f"{session_id}.strokes"
        if _size(journal) > 65536:   # bigger than any header: something was painted
            return False
        try:
            log = StrokeLog.load(journal)
        except ArtkitError:
            return False   # unreadable: keep it, someone may want to look at it
        return not log.can_undo() and not log.can_redo()

    def _remove(self, session_id: str) -> bool:
        try:
            lock = self.acquire(session_id)
        except ArtkitError:
            return False   # open in a window, or already gone
        with lock:
            for path in self._files(session_id):
                if path.suffix != ".lock":
                    with contextlib.suppress(OSError):
                        path.unlink()
            with contextlib.suppress(OSError):
                (self.folder / f"{session_id}.lock").unlink()   # last, while still held
        return True

    # -- artkit 0.1's single session -----------------------------------------------------------
    def _adopt_legacy(self) -> list[str]:
        """Move the journals an older artkit kept in the data folder (`session.strokes` and
        `session.strokes.previous`) into the sessions folder, so they are listed and kept."""
        adopted = []
        base = self.folder.parent
        for name in (LEGACY_JOURNAL + ".previous", LEGACY_JOURNAL):
            old = base / name
            if not old.is_file():
                continue
            when = _dt.datetime.fromtimestamp(_mtime(old))
            new = timestamped_name(self.folder, when, prefix="", suffix=".strokes",
                                   siblings=(".lock",))
            with contextlib.suppress(OSError):
                os.replace(old, new)
                adopted.append(new.stem)
        return adopted


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
