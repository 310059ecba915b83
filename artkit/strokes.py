"""Brush marks as data: the `Strokes` batch and the fast skia renderer.

A brush never touches pixels: it returns a `Strokes` batch (one numpy array per field, one kind
of mark per batch). `render_strokes` turns a batch into pixels on a skia canvas;
`artkit.strokelog.StrokeLog` records batches gesture by gesture, so undo, replay at any scale
and crash-safe journals are all "draw the recorded batches again".

Rendering speed comes from doing the per-mark work in numpy (DESIGN.md §6): lines of one clump
(consecutive marks with the same group id, colour and width) become ONE skia path, built
straight from the float32 point array with `Path.readFromMemory` on bytes in skia's path
serialisation layout. One path per clump is also what makes the paint look smooth: lines of
one clump don't darken where they cross, and segment joints don't blend twice.

Drawing into a plain pixel array, lines skip skia altogether: the compiled `artkit._hairs`
draws a whole batch a call, each clump as the union of its round-capped segments blended
once, as skia fills one path. That is 4-6x faster than skia's stroked paths on the line
brushes at 1024² (6x on flow's hairs; 2.5x on the wide strokes of a replay at 4x), within a
level of skia's pixels on average: about what skia differs from itself when the marks move
by 1/10 px (bench/bench_hairs.py). `use_exact_marks` asks for skia everywhere instead.
"""

from __future__ import annotations

import enum
import importlib
import struct
from dataclasses import dataclass

import numpy as np
import skia

__all__ = [
    "Kind", "LINE", "POLYLINE", "CURVE", "CIRCLE", "SQUARE",
    "Strokes", "render_strokes", "path_bytes", "use_exact_marks", "exact_marks", "run_starts",
    "compiled_drawer",
]

try:   # the compiled line drawer (optional: without a C compiler skia draws every line)
    # By name: the import checker sees no compiled module, and would read
    # `from artkit import _hairs` as an import of the whole package (the app included).
    _hairs = importlib.import_module("artkit._hairs")
except ImportError:
    _hairs = None


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


def run_starts(strokes: Strokes) -> np.ndarray:
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


def render_strokes(sk_canvas: skia.Canvas, strokes: Strokes, scale: float = 1.0, *,
                   pixels: np.ndarray | None = None, exact: bool | None = None,
                   runs: np.ndarray | None = None, rows: tuple[int, int] | None = None) -> None:
    """Draw a batch onto a skia canvas: antialiased, translucent, round caps and joins.

    `scale` multiplies positions and widths (replay at k× size). Lines of one run of equal
    (group, colour, width) are one path; `runs` gives the runs' start indices (plus the end)
    instead, for a batch whose runs were cut out of a bigger one (`artkit.parallel`).
    `pixels` is the (H, W, 4) RGBA array `sk_canvas` draws into, when it draws into one: lines
    are then drawn by `artkit._hairs` and round dabs blitted from pre-rasterised discs
    (`artkit.discs`), unless `exact` (None: the process default, `use_exact_marks`) asks for
    skia. `rows` (y0, y1): only those rows are needed (a band of `artkit.parallel`); others
    may be left undrawn. Their pixels are the same whatever `rows` is.
    """
    n = len(strokes)
    if n == 0:
        return
    if scale != 1.0:
        strokes = strokes.scaled(scale)
    exact = _EXACT_MARKS if exact is None else exact
    paint = skia.Paint(AntiAlias=True)
    if strokes.kind in _LINE_KINDS:
        from artkit.discs import draws_into

        if not exact and _hairs_can_draw(strokes) and pixels is not None \
                and draws_into(sk_canvas, pixels):
            _draw_hairs(pixels, strokes, runs, rows)
        else:
            _render_lines(sk_canvas, strokes, paint, runs)
    elif strokes.kind == Kind.CIRCLE and pixels is not None and not exact:
        from artkit.discs import render_circles

        render_circles(sk_canvas, pixels, strokes, _dab_drawer(sk_canvas, strokes, paint))
    else:
        _dab_drawer(sk_canvas, strokes, paint)(0, n)


# Every mark drawn by skia (the exact path) instead of the compiled lines and blitted discs.
_EXACT_MARKS = False


def use_exact_marks(exact: bool = True) -> None:
    """Draw every mark with skia from now on: lines as stroked paths, round dabs one call
    each (the exact look; lines 4-6x and dabs about 2x slower than the defaults, which
    differ from it by under a level on average)."""
    global _EXACT_MARKS
    _EXACT_MARKS = bool(exact)


def exact_marks() -> bool:
    """Whether every mark is drawn by skia (see `use_exact_marks`)."""
    return _EXACT_MARKS


def compiled_drawer(strokes: Strokes, scale: float = 1.0):
    """`draw(pixels, (y0, y1))`: this batch drawn into rows y0..y1-1 of an (H, W, 4) canvas
    array by compiled code alone, as `render_strokes` would draw them there. Everything it
    needs is prepared now, in the calling thread, so several threads may each draw one band
    of rows of the same array at once (the loops hold no GIL and write only their rows).
    None when some mark needs skia: exact marks, squares, dabs a mask can't stand for, or no
    compiled module here."""
    if _EXACT_MARKS or not len(strokes):
        return None
    if scale != 1.0:
        strokes = strokes.scaled(scale)
    if strokes.kind in _LINE_KINDS:
        if not _hairs_can_draw(strokes):
            return None
        runs = np.ascontiguousarray(run_starts(strokes), np.int64)
        curves = strokes.kind == Kind.CURVE
        return lambda pixels, rows: _hairs.draw(pixels, strokes.points, strokes.rgba,
                                                strokes.width, runs, curves, *rows)
    if strokes.kind == Kind.CIRCLE:
        from artkit.discs import compiled_blitter

        return compiled_blitter(strokes)
    return None


# Device px: lines wider than this go to skia. The compiled loop works per segment over its
# box of pixels, which grows with the width squared, while skia fills the union's outline:
# they cost the same at about 24-64 px (measured on flow clumps at scales 1-16), and a clump at
# the biggest size and weight replayed at --scale 8 (13,000 px) took 6.7x longer than skia.
HAIRS_MAX_WIDTH = 32.0


def _hairs_can_draw(strokes: Strokes) -> bool:
    """Whether the compiled loop draws these lines (at device scale): it is built here and
    none is wider than HAIRS_MAX_WIDTH. A whole batch goes one way, so its order is kept."""
    return _hairs is not None and float(strokes.width.max()) <= HAIRS_MAX_WIDTH


def _draw_hairs(pixels: np.ndarray, strokes: Strokes, runs: np.ndarray | None,
                rows: tuple[int, int] | None) -> None:
    """Lines drawn by the compiled `artkit._hairs`, run by run, as skia would draw them
    (CURVE marks as the same quadratic B-splines `_path_geometry` gives skia)."""
    if runs is None:
        runs = run_starts(strokes)
    y0, y1 = (0, pixels.shape[0]) if rows is None else rows
    _hairs.draw(pixels, strokes.points, strokes.rgba, strokes.width,
                np.ascontiguousarray(runs, np.int64), strokes.kind == Kind.CURVE,
                int(y0), int(y1))


def _render_lines(sk_canvas: skia.Canvas, strokes: Strokes, paint: skia.Paint,
                  runs: np.ndarray | None = None) -> None:
    paint.setStyle(skia.Paint.kStroke_Style)
    paint.setStrokeCap(skia.Paint.kRound_Cap)
    paint.setStrokeJoin(skia.Paint.kRound_Join)
    q, verbs = _path_geometry(strokes)
    q_per_mark, n_verbs = q.shape[1], len(verbs)
    blob = q.tobytes()
    if runs is None:
        runs = run_starts(strokes)
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


def _dab_drawer(sk_canvas: skia.Canvas, strokes: Strokes, paint: skia.Paint):
    """A function drawing dabs lo..hi of a batch with one skia call each (the exact path;
    the lists are made once for the batch).

    skia spends ~3 µs setting up and rasterising a 10 px antialiased circle however it is
    asked (one by one, one path of many, atlas sprites): `artkit.discs` blits masks instead."""
    centres = strokes.points[:, 0, :]
    half = strokes.width * np.float32(0.5)
    xs, ys, rs = centres[:, 0].tolist(), centres[:, 1].tolist(), half.tolist()
    colours = _argb(strokes.rgba)
    set_colour = paint.setColor

    def draw(lo: int, hi: int) -> None:
        marks = zip(xs[lo:hi], ys[lo:hi], rs[lo:hi], colours[lo:hi])
        if strokes.kind == Kind.CIRCLE:
            draw_circle = sk_canvas.drawCircle
            for x, y, r, c in marks:
                set_colour(c)
                draw_circle(x, y, r, paint)
        else:
            draw_rect, make = sk_canvas.drawRect, skia.Rect.MakeLTRB
            for x, y, r, c in marks:
                set_colour(c)
                draw_rect(make(x - r, y - r, x + r, y + r), paint)

    return draw
