"""Brush marks as data: the `Strokes` batch, the fast skia renderer, and the `StrokeLog`.

A brush never touches pixels: it returns a `Strokes` batch (one numpy array per field, one kind
of mark per batch). `render_strokes` turns a batch into pixels on a skia canvas; `StrokeLog`
records batches gesture by gesture, so undo, replay at any scale and crash-safe journals are all
"draw the recorded batches again".

Rendering speed comes from doing the per-mark work in numpy (DESIGN.md §6): lines of one clump
(consecutive marks with the same group id, colour and width) become ONE skia path, built
straight from the float32 point array with `Path.readFromMemory` on bytes in skia's path
serialisation layout. One path per clump is also what makes the paint look smooth: lines of
one clump don't darken where they cross, and segment joints don't blend twice.
"""

from __future__ import annotations

import enum
import json
import os
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import skia

from artkit.canvas import save_error
from artkit.errors import ArtkitError

__all__ = [
    "Kind", "LINE", "POLYLINE", "CURVE", "CIRCLE", "SQUARE",
    "Strokes", "render_strokes", "path_bytes", "Gesture", "StrokeLog", "FORMAT_VERSION",
]


class Kind(enum.IntEnum):
    """What one mark is. Lines use all P points; dabs use the first point as their centre."""

    LINE = 0       # a straight segment: P = 2
    POLYLINE = 1   # P points joined by straight segments (round joins)
    CURVE = 2      # a smooth curve through the midpoints of P control points (quadratic B-spline)
    CIRCLE = 3     # a filled round dab; width = diameter
    SQUARE = 4     # a filled axis-aligned square dab; width = side


LINE, POLYLINE, CURVE, CIRCLE, SQUARE = Kind.LINE, Kind.POLYLINE, Kind.CURVE, Kind.CIRCLE, Kind.SQUARE
_LINE_KINDS = (Kind.LINE, Kind.POLYLINE, Kind.CURVE)


@dataclass(eq=False)
class Strokes:
    """A batch of marks of one kind.

    points: float32 (N, P, 2) canvas pixels; rgba: uint8 (N, 4) straight (not premultiplied)
    alpha; width: float32 (N,) line width, or dab diameter / side; group: int32 (N,) or None.
    Consecutive marks with the same group id (and colour and width) are drawn as one path, so
    they don't darken where they cross. `group=None` draws every mark on its own.
    """

    kind: Kind
    points: np.ndarray
    rgba: np.ndarray
    width: np.ndarray
    group: np.ndarray | None = None

    def __post_init__(self):
        self.kind = Kind(self.kind)
        self.points = np.ascontiguousarray(self.points, dtype=np.float32)
        if self.points.ndim == 2 and self.points.shape[-1] == 2:   # (N, 2): one point per mark
            self.points = self.points[:, None, :]
        n = len(self.points)
        if self.points.ndim != 3 or self.points.shape[2] != 2 or self.points.shape[1] < 1:
            raise ValueError(f"points must have shape (N, P, 2), not {self.points.shape}")
        if self.kind == Kind.LINE and self.points.shape[1] != 2 and n:
            raise ValueError("LINE marks need exactly 2 points each")
        self.rgba = np.ascontiguousarray(np.broadcast_to(np.asarray(self.rgba, np.uint8), (n, 4)))
        self.width = np.ascontiguousarray(
            np.broadcast_to(np.asarray(self.width, np.float32), (n,)))
        if self.group is not None:
            self.group = np.ascontiguousarray(
                np.broadcast_to(np.asarray(self.group, np.int32), (n,)))

    def __len__(self) -> int:
        return len(self.points)

    @property
    def points_per_mark(self) -> int:
        return self.points.shape[1]

    @property
    def segments(self) -> int:
        """How many straight pieces the marks are made of (a dab counts as one)."""
        if self.kind in (Kind.CIRCLE, Kind.SQUARE):
            return len(self)
        return len(self) * max(1, self.points_per_mark - 1)

    @classmethod
    def empty(cls, kind: Kind = Kind.LINE, points_per_mark: int | None = None) -> "Strokes":
        p = points_per_mark or (2 if Kind(kind) == Kind.LINE else 1)
        return cls(kind, np.zeros((0, p, 2), np.float32), np.zeros((0, 4), np.uint8),
                   np.zeros(0, np.float32))

    @classmethod
    def concat(cls, batches) -> "Strokes":
        """Join batches of one kind. Polylines/curves of different lengths are padded by
        repeating their last point (which draws nothing extra). Group ids are renumbered so
        clumps of different batches never merge."""
        batches = [b for b in batches if b is not None]
        if not batches:
            return cls.empty()
        kind = batches[0].kind
        if any(b.kind != kind for b in batches):
            raise ValueError("Strokes.concat needs batches of one kind")
        batches = [b for b in batches if len(b)] or batches[:1]
        p = max(b.points_per_mark for b in batches)
        points = [_pad_points(b.points, p) for b in batches]
        grouped = any(b.group is not None for b in batches)
        group = None
        if grouped:
            parts, offset = [], 0
            for b in batches:
                g = b.group if b.group is not None else np.arange(len(b), dtype=np.int32)
                if len(g):
                    g = g - g.min() + offset
                    offset = int(g.max()) + 1
                parts.append(g.astype(np.int32))
            group = np.concatenate(parts)
        return cls(kind, np.concatenate(points), np.concatenate([b.rgba for b in batches]),
                   np.concatenate([b.width for b in batches]), group)

    def scaled(self, k: float) -> "Strokes":
        """The same marks on a canvas k times larger (positions and widths scaled)."""
        return Strokes(self.kind, self.points * np.float32(k), self.rgba,
                       self.width * np.float32(k), self.group)

    def __getitem__(self, index) -> "Strokes":
        return Strokes(self.kind, self.points[index], self.rgba[index], self.width[index],
                       None if self.group is None else self.group[index])

    def nbytes(self) -> int:
        return self.points.nbytes + self.rgba.nbytes + self.width.nbytes + (
            0 if self.group is None else self.group.nbytes)


def _pad_points(points: np.ndarray, p: int) -> np.ndarray:
    if points.shape[1] == p:
        return points
    extra = np.repeat(points[:, -1:, :], p - points.shape[1], axis=1)
    return np.concatenate([points, extra], axis=1)


# --------------------------------------------------------------------------------------------
# Rendering

# skia's path serialisation (checked against Path.serialize() in tests/test_strokes.py):
# int32 header [version 5 | fill type << 8 (0 = winding), n_points, n_conics, n_verbs], then the
# float32 points, the float32 conic weights, one byte per verb, zero-padded to 4 bytes.
_PATH_VERSION = 5
_MOVE, _LINE_TO, _QUAD_TO = 0, 1, 2


def _argb(rgba: np.ndarray) -> list[int]:
    c = rgba.astype(np.uint32)
    return ((c[:, 3] << 24) | (c[:, 0] << 16) | (c[:, 1] << 8) | c[:, 2]).tolist()


def _runs(strokes: Strokes) -> np.ndarray:
    """Start indices of runs of consecutive marks drawn as one path, plus len at the end."""
    n = len(strokes)
    if strokes.group is None:
        return np.arange(n + 1)
    change = np.diff(strokes.group) != 0
    change |= np.any(np.diff(strokes.rgba.astype(np.int16), axis=0) != 0, axis=1)
    change |= np.diff(strokes.width) != 0
    return np.concatenate([[0], np.flatnonzero(change) + 1, [n]])


def _path_geometry(strokes: Strokes) -> tuple[np.ndarray, bytes]:
    """Per-mark path points (N, Q, 2) float32 and the verb bytes of one mark."""
    pts = strokes.points
    p = pts.shape[1]
    if strokes.kind == Kind.CURVE and p > 2:
        # Quadratic B-spline: move to p0, quad through each inner control point to the
        # midpoint of the next pair, then a line to the last point. Smooth, passes near all.
        mids = (pts[:, 1:-1] + pts[:, 2:]) * np.float32(0.5)       # (N, P-2, 2)
        n = len(pts)
        q = np.empty((n, 2 * p - 2, 2), np.float32)
        q[:, 0] = pts[:, 0]
        q[:, 1:-1:2] = pts[:, 1:-1]
        q[:, 2:-1:2] = mids
        q[:, -1] = pts[:, -1]
        verbs = bytes([_MOVE] + [_QUAD_TO] * (p - 2) + [_LINE_TO])
        return q, verbs
    verbs = bytes([_MOVE] + [_LINE_TO] * max(p - 1, 1))
    if p == 1:   # a single point: a zero-length line draws a round dot
        pts = np.repeat(pts, 2, axis=1)
    return pts, verbs


def path_bytes(points: np.ndarray, verbs: bytes) -> bytes:
    """One skia path in serialised form: `points` (M, 2) float32, `verbs` one byte each
    (0 move, 1 line, 2 quad). `skia.Path().readFromMemory(...)` reads it back."""
    pts = np.ascontiguousarray(points, np.float32)
    return b"".join((struct.pack("<4i", _PATH_VERSION, len(pts), 0, len(verbs)), pts.tobytes(),
                     verbs, b"\0" * (-len(verbs) % 4)))


def render_strokes(sk_canvas: skia.Canvas, strokes: Strokes, scale: float = 1.0) -> None:
    """Draw a batch onto a skia canvas: antialiased, translucent, round caps and joins.

    `scale` multiplies positions and widths (replay at k× size). Lines of one run of equal
    (group, colour, width) are one path; dabs are one skia call each.
    """
    n = len(strokes)
    if n == 0:
        return
    if scale != 1.0:
        strokes = strokes.scaled(scale)
    paint = skia.Paint(AntiAlias=True)
    if strokes.kind in _LINE_KINDS:
        _render_lines(sk_canvas, strokes, paint)
    else:
        _render_dabs(sk_canvas, strokes, paint)


def _render_lines(sk_canvas: skia.Canvas, strokes: Strokes, paint: skia.Paint) -> None:
    paint.setStyle(skia.Paint.kStroke_Style)
    paint.setStrokeCap(skia.Paint.kRound_Cap)
    paint.setStrokeJoin(skia.Paint.kRound_Join)
    q, verbs = _path_geometry(strokes)
    q_per_mark, n_verbs = q.shape[1], len(verbs)
    blob = q.tobytes()
    runs = _runs(strokes)
    starts, ends = runs[:-1], runs[1:]
    mark_bytes = q_per_mark * 8
    # Everything per run is prepared in numpy; the loop only slices bytes and calls skia.
    colours = _argb(strokes.rgba[starts])
    widths = strokes.width[starts].tolist()
    byte_from = (starts * mark_bytes).tolist()
    byte_to = (ends * mark_bytes).tolist()
    counts = (ends - starts).tolist()
    # Header and verb bytes depend only on how many marks a run has: build each once.
    framing: dict[int, tuple[bytes, bytes]] = {}
    pack = struct.pack
    path = skia.Path()
    read, draw = path.readFromMemory, sk_canvas.drawPath
    set_colour, set_width = paint.setColor, paint.setStrokeWidth
    last_colour = last_width = None
    for count, lo, hi, colour, width in zip(counts, byte_from, byte_to, colours, widths):
        frame = framing.get(count)
        if frame is None:
            nv = count * n_verbs
            frame = framing[count] = (pack("<4i", _PATH_VERSION, count * q_per_mark, 0, nv),
                                      verbs * count + b"\0" * (-nv % 4))
        if not read(b"".join((frame[0], blob[lo:hi], frame[1]))):
            continue   # skia refused the points (NaN or infinite): skip this run
        if colour != last_colour:
            set_colour(colour)
            last_colour = colour
        if width != last_width:
            set_width(width)
            last_width = width
        draw(path, paint)


def _render_dabs(sk_canvas: skia.Canvas, strokes: Strokes, paint: skia.Paint) -> None:
    # Raster time dominates a dab (~3 µs for a 10 px AA circle here, whether drawn one by one,
    # as one path of many circles, or as atlas sprites), so one call per dab is as fast as the
    # alternatives and keeps sub-pixel positions exact.
    centres = strokes.points[:, 0, :]
    half = strokes.width * np.float32(0.5)
    xs, ys, rs = centres[:, 0].tolist(), centres[:, 1].tolist(), half.tolist()
    colours = _argb(strokes.rgba)
    set_colour = paint.setColor
    if strokes.kind == Kind.CIRCLE:
        draw_circle = sk_canvas.drawCircle
        for x, y, r, c in zip(xs, ys, rs, colours):
            set_colour(c)
            draw_circle(x, y, r, paint)
    else:
        draw_rect, make = sk_canvas.drawRect, skia.Rect.MakeLTRB
        for x, y, r, c in zip(xs, ys, rs, colours):
            set_colour(c)
            draw_rect(make(x - r, y - r, x + r, y + r), paint)


# --------------------------------------------------------------------------------------------
# The stroke log

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
        self._journal_path: Path | None = None
        # Why journalling stopped (a sentence), when a write failed; None while all is well.
        self.journal_error: str | None = None

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
                render_strokes(canvas.sk, s, scale)

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
        """Write the live gestures to a `.strokes` file (atomically: temp file then rename)."""
        self.end_gesture()
        path = Path(path)
        _write_atomically(path, self._state_records(journal=False))
        return path

    @classmethod
    def load(cls, path) -> "StrokeLog":
        """Read a saved `.strokes` file or a journal (its unfinished last record is dropped)."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise ArtkitError(f"There is no stroke file called '{path}'.") from None
        except IsADirectoryError:
            raise ArtkitError(f"'{path}' is a folder, not a stroke file.") from None
        except OSError as error:
            raise ArtkitError(f"Can't read '{path}': {error.strerror or error}.") from None
        return _parse_log(data, path.name)

    # -- journal ----------------------------------------------------------------------------
    def journal_to(self, path) -> Path:
        """From now on, write every finished gesture, undo, redo and clear to `path` as it
        happens (append-only records, flushed each time), so a killed process loses at most
        the gesture in progress. The file starts with the current state and loads with
        `StrokeLog.load`."""
        self.close()
        path = Path(path)
        _write_atomically(path, self._state_records(journal=True))
        try:
            self._journal = open(path, "ab")
        except OSError as error:
            raise ArtkitError(f"Can't write the journal '{path}': "
                              f"{error.strerror or error}.") from None
        self._journal_path = path
        self.journal_error = None
        return path

    @property
    def journal_path(self) -> Path | None:
        return self._journal_path

    def _journal_write(self, record: bytes) -> None:
        if self._journal is None:
            return
        try:
            self._journal.write(record)
            self._journal.flush()
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
            try:
                self._journal.close()
            except OSError:
                pass
        self._journal = None
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


def _write_atomically(path: Path, records: list[bytes]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(_MAGIC)
            for r in records:
                f.write(r)
        os.replace(tmp, path)
    except OSError as error:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise save_error(path, error) from None


def _parse_log(data: bytes, name: str) -> StrokeLog:
    damaged = f"'{name}' is not a readable artkit stroke file (it is damaged or not a stroke file)."
    if not data.startswith(_MAGIC):
        raise ArtkitError(f"'{name}' is not an artkit stroke file.")
    records, pos, end = [], len(_MAGIC), len(data)
    truncated_tail = False
    while pos < end:
        if pos + _RECORD.size > end:
            truncated_tail = True
            break
        length, crc = _RECORD.unpack_from(data, pos)
        body = pos + _RECORD.size
        if body + length > end:
            truncated_tail = True
            break
        payload = data[body:body + length]
        if zlib.crc32(payload) != crc:
            if body + length == end:
                truncated_tail = True
                break
            raise ArtkitError(damaged)
        records.append(payload)
        pos = body + length
    if not records:
        raise ArtkitError(damaged)
    try:
        header = _decode_payload(records[0])[0]
    except ValueError:
        raise ArtkitError(damaged) from None
    if header.get("format") != "artkit-strokes":
        raise ArtkitError(damaged)
    version = header.get("version")
    if version != FORMAT_VERSION:
        raise ArtkitError(f"'{name}' is a stroke file of format version {version}; this artkit "
                          f"reads version {FORMAT_VERSION} (update artkit to open it).")
    if truncated_tail and not header.get("journal"):
        raise ArtkitError(f"'{name}' is truncated (it ends in the middle of a record).")
    try:
        log = StrokeLog(header["size"], header.get("source_hash"), header.get("meta"))
        for payload in records[1:]:
            info, blob = _decode_payload(payload)
            _apply_record(log, info, blob)
    except (KeyError, ValueError, TypeError):
        raise ArtkitError(damaged) from None
    return log


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
