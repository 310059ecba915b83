"""The stroke log: a painting as the gestures that made it, and its `.strokes` file format.

`StrokeLog` records `Strokes` batches gesture by gesture (mouse down to mouse up, or one
autopaint step), so undo is "replay all but the last gesture", a print is "replay at 4x" and a
time-lapse is "replay with snapshots". It saves to a `.strokes` file and can journal itself:
every finished gesture, undo, redo, clear and change of facts is appended to the file as it
happens, so a killed process loses at most the gesture in progress.

The file is a magic line and then records, each `u32 length, u32 crc32, payload`; a payload is
`u32 JSON length, a JSON object, the raw little-endian arrays it describes`. Every JSON object
starts with `{"op":"` (or `{"format":` for the header), which lets a reader find the next
record after a damaged one: `StrokeLog.load` recovers every intact record before and after
damage and says what it skipped (`StrokeLog.damage`).
"""

from __future__ import annotations

import json
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from artkit.errors import ArtkitError
from artkit.files import BackgroundSync, atomic_write, check_regular_file
from artkit.strokes import Kind, Strokes

__all__ = ["Gesture", "StrokeLog", "Damage", "FORMAT_VERSION"]

FORMAT_VERSION = 1
_MAGIC = b"ARTKIT-STROKES\n"
_RECORD = struct.Struct("<II")      # payload length, crc32 of the payload
_JSON_LEN = struct.Struct("<I")


@dataclass(eq=False)
class Gesture:
    """Everything from mouse down to mouse up (or one autopaint step): a list of batches.
    A clear gesture (`is_clear`) wipes the canvas back to the background when replayed."""

    strokes: list[Strokes] = field(default_factory=list)
    is_clear: bool = False

    def __len__(self) -> int:
        return sum(len(s) for s in self.strokes)


class StrokeLog:
    """A painting as a list of gestures: undo, redo, clear, replay at any scale, save, load,
    and a crash-safe journal.

    size: (width, height) of the canvas the marks were made on; source_hash: the
    `SourceImage.hash` the colours came from; meta: JSON-able facts (brush, seed, background…).
    """

    def __init__(self, size, source_hash: str | None = None, meta: dict | None = None):
        w, h = size
        self.size = (int(w), int(h))
        self.source_hash = source_hash
        self.meta = dict(meta or {})
        self._done: list[Gesture] = []
        self._undone: list[Gesture] = []
        self._open: Gesture | None = None
        self._journal = None
        self._journal_sync: BackgroundSync | None = None
        self._journal_path: Path | None = None
        # Why journalling stopped (a sentence), when a write failed; None while all is well.
        self.journal_error: str | None = None
        # What `load` had to skip in a damaged file; None for a sound one.
        self.damage: Damage | None = None

    # -- recording --------------------------------------------------------------------------
    @property
    def gestures(self) -> list[Gesture]:
        """The live (not undone) finished gestures, oldest first."""
        return list(self._done)

    @property
    def in_gesture(self) -> bool:
        return self._open is not None

    def can_undo(self) -> bool:
        return bool(self._done) or bool(self._open and self._open.strokes)

    def can_redo(self) -> bool:
        return bool(self._undone)

    def begin_gesture(self) -> None:
        if self._open is not None:
            self.end_gesture()
        self._open = Gesture()

    def add(self, strokes: Strokes) -> None:
        """Record a batch in the open gesture (opening one if needed)."""
        if self._open is None:
            self._open = Gesture()
        if len(strokes):
            self._open.strokes.append(strokes)

    def end_gesture(self) -> None:
        gesture, self._open = self._open, None
        if gesture is None or not gesture.strokes:
            return
        gesture.strokes = _merge_batches(gesture.strokes)
        self._push(gesture)

    def _push(self, gesture: Gesture) -> None:
        self._done.append(gesture)
        self._undone.clear()
        self._journal_write(_gesture_record(gesture))

    def undo(self) -> bool:
        """Take back the last gesture. Returns False when there is nothing to undo."""
        self.end_gesture()
        if not self._done:
            return False
        self._undone.append(self._done.pop())
        self._journal_write(_op_record("undo"))
        return True

    def redo(self) -> bool:
        self.end_gesture()
        if not self._undone:
            return False
        self._done.append(self._undone.pop())
        self._journal_write(_op_record("redo"))
        return True

    def clear(self) -> None:
        """Wipe the canvas, as a gesture that undo can take back."""
        self.end_gesture()
        self._push(Gesture(is_clear=True))

    def update_meta(self, **items) -> None:
        """Record new facts (e.g. a new source after a dropped file) in the log and journal."""
        self.meta.update(items)
        if "source_hash" in items:
            self.source_hash = items["source_hash"]
        self._journal_write(_op_record("meta", meta=items))

    def visible_gestures(self) -> list[Gesture]:
        """The live gestures after the last clear: what the canvas shows."""
        start = 0
        for i, g in enumerate(self._done):
            if g.is_clear:
                start = i + 1
        return self._done[start:]

    def stroke_count(self) -> int:
        return sum(len(g) for g in self.visible_gestures())

    # -- replay -----------------------------------------------------------------------------
    def replay(self, canvas, scale: float = 1.0, background=None, start: int = 0) -> None:
        """Draw the painting onto `canvas` (positions and widths × scale).

        With start=0 the canvas is first filled with `background` (default: meta
        "background", else white) and the gestures after the last clear are drawn. With
        start=i the canvas is assumed to show gestures[:i] already and only gestures[i:] are
        drawn (a clear among them repaints the background) — for undo from a snapshot.
        """
        bg = background if background is not None else self.meta.get("background", "white")
        if start == 0:
            _paint_background(canvas, bg)
            todo = self.visible_gestures()
        else:
            todo = self._done[start:]
        for g in todo:
            if g.is_clear:
                _paint_background(canvas, bg)
                continue
            for s in g.strokes:
                canvas.draw(s, scale)

    def render(self, scale: float = 1.0, background=None):
        """A new Canvas of size × scale with the painting replayed on it."""
        from artkit.canvas import Canvas

        w, h = (max(1, round(v * scale)) for v in self.size)
        bg = background if background is not None else self.meta.get("background", "white")
        canvas = Canvas(w, h, background=_colour_arg(bg))
        self.replay(canvas, scale, bg)
        return canvas

    # -- files ------------------------------------------------------------------------------
    def _header(self, journal: bool) -> dict:
        return {"format": "artkit-strokes", "version": FORMAT_VERSION, "size": list(self.size),
                "source_hash": self.source_hash, "meta": self.meta, "journal": journal}

    def _state_records(self, journal: bool) -> list[bytes]:
        records = [_json_record(self._header(journal))]
        records += [_gesture_record(g) for g in self._done]
        if journal:   # keep redo possible after a resume: replay them as gestures then undos
            records += [_gesture_record(g) for g in reversed(self._undone)]
            records += [_op_record("undo")] * len(self._undone)
        return records

    def save(self, path) -> Path:
        """Write the live gestures to a `.strokes` file (atomically: a crash or a full disk
        leaves any file already there intact)."""
        self.end_gesture()
        path = Path(path)
        _write_records(path, self._state_records(journal=False))
        return path

    @classmethod
    def load(cls, path) -> "StrokeLog":
        """Read a saved `.strokes` file or a journal. Damage doesn't block it: every intact
        gesture before and after a damaged stretch is recovered, and `damage` says what was
        skipped (None for a sound file). A journal's unfinished last record (the process was
        killed mid-write) is dropped quietly: that is how journals end."""
        path = check_regular_file(path, "stroke file")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ArtkitError(f"Can't read '{path}': {error.strerror or error}.") from None
        return _parse_log(data, path.name)

    # -- journal ----------------------------------------------------------------------------
    def journal_to(self, path) -> Path:
        """From now on, write every finished gesture, undo, redo and clear to `path` as it
        happens (append-only records, flushed each time and synced to the disk by a thread
        soon after), so a killed process loses at most the gesture in progress, and a power
        cut little more. The file starts with the current state and loads with
        `StrokeLog.load`."""
        self.close()
        path = Path(path)
        _write_records(path, self._state_records(journal=True))
        try:
            self._journal = open(path, "ab")
        except OSError as error:
            raise ArtkitError(f"Can't write the journal '{path}': "
                              f"{error.strerror or error}.") from None
        self._journal_sync = BackgroundSync(self._journal.fileno())
        self._journal_path = path
        self.journal_error = None
        return path

    def _journal_write(self, record: bytes) -> None:
        if self._journal is None:
            return
        try:
            self._journal.write(record)
            self._journal.flush()   # a killed process loses nothing written so far
            self._journal_sync.request()   # and a power cut very little, soon after
        except OSError as error:
            # The painting itself is intact in memory: stop journalling rather than crash,
            # and say so (journal_error) so the app can ask the painter to save.
            reason = str(error.strerror or error)
            self.journal_error = (f"The painting can't be kept in '{self._journal_path}' any "
                                  f"more: {reason[:1].lower()}{reason[1:]}.")
            self.close()

    def close(self) -> None:
        """Stop journalling (the journal file stays, complete)."""
        if self._journal is not None:
            self._journal_sync.close()
            try:
                self._journal.close()
            except OSError:
                pass
        self._journal = None
        self._journal_sync = None
        self._journal_path = None

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def _merge_batches(batches: list[Strokes]) -> list[Strokes]:
    """Join runs of consecutive batches of the same kind and length (one per frame while
    dragging) into one: the same marks in the same order, so they draw the same pixels, but
    replay, undo and loading handle one array instead of hundreds."""
    merged, run = [], []
    for batch in batches:
        if run and (batch.kind != run[0].kind or
                    batch.points_per_mark != run[0].points_per_mark or
                    (batch.group is None) != (run[0].group is None)):
            merged.append(run[0] if len(run) == 1 else Strokes.concat(run))
            run = []
        run.append(batch)
    if run:
        merged.append(run[0] if len(run) == 1 else Strokes.concat(run))
    return merged


def _colour_arg(bg):
    return tuple(bg) if isinstance(bg, list) else bg


def _paint_background(canvas, bg) -> None:
    if isinstance(bg, (tuple, list)):
        canvas.background(*bg)
    else:
        canvas.background(bg)


# -- record encoding ----------------------------------------------------------------------
# A file is the magic line, then records: u32 payload length, u32 crc32, payload. A payload
# is u32 JSON length, a JSON object, then the raw little-endian arrays its "batches" describe.
# The first record is the header; the others are gestures and undo/redo/clear/meta ops.

def _record(info: dict, blobs: list[bytes] = ()) -> bytes:
    text = json.dumps(info, separators=(",", ":")).encode()
    payload = b"".join([_JSON_LEN.pack(len(text)), text, *blobs])
    return _RECORD.pack(len(payload), zlib.crc32(payload)) + payload


def _json_record(info: dict) -> bytes:
    return _record(info)


def _op_record(op: str, **extra) -> bytes:
    return _record({"op": op, **extra})


def _gesture_record(gesture: Gesture) -> bytes:
    if gesture.is_clear:
        return _op_record("clear")
    batches, blobs = [], []
    for s in gesture.strokes:
        batches.append({"kind": int(s.kind), "n": len(s), "p": s.points_per_mark,
                        "group": s.group is not None})
        blobs += [s.points.astype("<f4").tobytes(), s.rgba.tobytes(),
                  s.width.astype("<f4").tobytes()]
        if s.group is not None:
            blobs.append(s.group.astype("<i4").tobytes())
    return _record({"op": "gesture", "batches": batches}, blobs)


def _write_records(path: Path, records: list[bytes]) -> None:
    with atomic_write(path) as f:
        f.write(_MAGIC)
        for r in records:
            f.write(r)


# -- reading, with salvage -----------------------------------------------------------------

# Every record's JSON starts with one of these, 4 bytes (its length) into the payload, which
# itself follows the 8-byte record header: after damage, the next record is found by them.
_ANCHORS = (b'{"op":"', b'{"format":')
_ANCHOR_OFFSET = _RECORD.size + _JSON_LEN.size


@dataclass
class Damage:
    """What `StrokeLog.load` skipped in a damaged file."""

    stretches: int = 0          # damaged places skipped (each held at least one record)
    skipped_bytes: int = 0
    header_lost: bool = False   # the first record was damaged: size guessed from the marks
    truncated: bool = False     # a saved (not journal) file that ends mid-record
    recovered: int = 0          # gestures read intact

    def sentence(self, name: str) -> str:
        """One sentence for a person: what was recovered and what was lost."""
        parts = []
        if self.stretches:
            kb = self.skipped_bytes / 1024
            parts.append(f"{self.stretches} damaged stretch{'es' if self.stretches > 1 else ''} "
                         f"({kb:.1f} KB, each at least one gesture or edit) could not be read")
        if self.truncated:
            parts.append("its end was cut off")
        if self.header_lost:
            parts.append("its first record was lost, so its size and settings were guessed")
        return (f"'{name}' is damaged: {self.recovered} gesture"
                f"{'' if self.recovered == 1 else 's'} recovered, but {'; '.join(parts)}.")


def _record_at(data: bytes, pos: int) -> bytes | None:
    """The payload of an intact record starting at `pos`, or None."""
    if pos + _RECORD.size > len(data):
        return None
    length, crc = _RECORD.unpack_from(data, pos)
    body = pos + _RECORD.size
    if length < _JSON_LEN.size or body + length > len(data):
        return None
    payload = data[body:body + length]
    return payload if zlib.crc32(payload) == crc else None


def _next_record(data: bytes, after: int) -> int | None:
    """The start of the first intact record that begins after `after`, found by its anchor."""
    candidates = []
    for anchor in _ANCHORS:
        at = data.find(anchor, after + _ANCHOR_OFFSET)
        if at >= 0:
            candidates.append((at, anchor))
    while candidates:
        candidates.sort()
        at, anchor = candidates.pop(0)
        start = at - _ANCHOR_OFFSET
        if _record_at(data, start) is not None:
            return start
        again = data.find(anchor, at + 1)
        if again >= 0:
            candidates.append((again, anchor))
    return None


def _read_records(data: bytes) -> tuple[list[bytes], Damage, bool]:
    """The intact payloads in order, what was skipped, and whether the file ends in an
    unfinished record (with nothing intact after it)."""
    records, damage = [], Damage()
    pos, end = len(_MAGIC), len(data)
    while pos < end:
        payload = _record_at(data, pos)
        if payload is not None:
            records.append(payload)
            pos += _RECORD.size + len(payload)
            continue
        resume = _next_record(data, pos)
        if resume is None:
            return records, damage, True   # the rest is one unfinished or damaged record
        damage.stretches += 1
        damage.skipped_bytes += resume - pos
        pos = resume
    return records, damage, False


def _parse_log(data: bytes, name: str) -> StrokeLog:
    if not data.startswith(_MAGIC):
        raise ArtkitError(f"'{name}' is not an artkit stroke file.")
    records, damage, torn_tail = _read_records(data)
    header = None
    if records:
        try:
            info = _decode_payload(records[0])[0]
            if "format" in info:  # else the header itself was lost
                header = info
                records = records[1:]
        except (ValueError, RecursionError):
            pass
    if header is None:
        if not records:
            raise ArtkitError(f"'{name}' is damaged beyond repair: no intact part of it is left.")
        damage.header_lost = True
        header = {"format": "artkit-strokes", "version": FORMAT_VERSION, "journal": True}
    if header.get("format") != "artkit-strokes":
        raise ArtkitError(f"'{name}' is not an artkit stroke file.")
    version = header.get("version")
    if version != FORMAT_VERSION:
        raise ArtkitError(f"'{name}' is a stroke file of format version {version}; this artkit "
                          f"reads version {FORMAT_VERSION} (update artkit to open it).")
    if torn_tail and not header.get("journal"):
        damage.truncated = True
    try:
        size = [int(v) for v in header.get("size") or (1, 1)]
        meta = header.get("meta")
        log = StrokeLog(size, header.get("source_hash"), meta if isinstance(meta, dict) else {})
    except (TypeError, ValueError, OverflowError):
        raise ArtkitError(f"'{name}' is damaged beyond repair: its header makes no sense."
                          ) from None
    for payload in records:
        try:
            info, blob = _decode_payload(payload)
            _apply_record(log, info, blob)
            damage.recovered += info.get("op") == "gesture"
        except (KeyError, ValueError, TypeError, OverflowError, RecursionError):
            # Intact bytes that don't make a record (a crafted file): skip just this one.
            damage.stretches += 1
            damage.skipped_bytes += len(payload)
    if damage.header_lost:
        log.size = _size_of_marks(log)
    if damage.stretches or damage.truncated or damage.header_lost:
        log.damage = damage
    return log


def _size_of_marks(log: StrokeLog) -> tuple[int, int]:
    """A canvas just big enough for every mark (for a log whose header was lost)."""
    high = np.ones(2, np.float32)
    for g in log._done + log._undone:
        for s in g.strokes:
            if len(s):
                pts = s.points[np.isfinite(s.points).all(axis=2)]
                if len(pts):
                    high = np.maximum(high, pts.max(axis=0))
    return int(np.ceil(min(high[0], 16384))), int(np.ceil(min(high[1], 16384)))


def _decode_payload(payload: bytes) -> tuple[dict, memoryview]:
    if len(payload) < _JSON_LEN.size:
        raise ValueError("short payload")
    (n,) = _JSON_LEN.unpack_from(payload, 0)
    text = payload[_JSON_LEN.size:_JSON_LEN.size + n]
    if len(text) != n:
        raise ValueError("short payload")
    info = json.loads(text.decode())
    if not isinstance(info, dict):
        raise ValueError("not a record")
    return info, memoryview(payload)[_JSON_LEN.size + n:]


def _apply_record(log: StrokeLog, info: dict, blob: memoryview) -> None:
    op = info["op"]
    if op == "gesture":
        log._done.append(Gesture(_decode_batches(info["batches"], blob)))
        log._undone.clear()
    elif op == "clear":
        log._done.append(Gesture(is_clear=True))
        log._undone.clear()
    elif op == "undo":
        if log._done:
            log._undone.append(log._done.pop())
    elif op == "redo":
        if log._undone:
            log._done.append(log._undone.pop())
    elif op == "meta":
        log.meta.update(info["meta"])
        if "source_hash" in info["meta"]:
            log.source_hash = info["meta"]["source_hash"]
    else:
        raise ValueError(f"unknown record {op!r}")


def _decode_batches(batches: list, blob: memoryview) -> list[Strokes]:
    out, pos = [], 0

    def take(dtype, count):
        nonlocal pos
        nbytes = np.dtype(dtype).itemsize * count
        if pos + nbytes > len(blob):
            raise ValueError("short blob")
        arr = np.frombuffer(blob, dtype, count, pos).copy()
        pos += nbytes
        return arr

    for b in batches:
        n, p = int(b["n"]), int(b["p"])
        if n < 0 or p < 1:
            raise ValueError("bad batch")
        points = take("<f4", n * p * 2).reshape(n, p, 2)
        rgba = take("u1", n * 4).reshape(n, 4)
        width = take("<f4", n)
        group = take("<i4", n) if b["group"] else None
        out.append(Strokes(Kind(int(b["kind"])), points, rgba, width, group))
    if pos != len(blob):
        raise ValueError("extra bytes")
    return out
