"""PaintSession: the paint app's state and everything it can do, without a window.

A session holds the canvas, the source picture the brush samples colours from, the brushes, the
stroke log and the random generator. The window (`artkit.app.paint_app`) only turns events into
calls on a session, and tests drive a session directly.

Undo is "replay all but the last gesture" (the marks are data in the stroke log). To keep it fast
for long paintings the session keeps copies of the canvas every few gestures, so undo restores
the nearest copy and replays only the gestures after it:

- every `FINE` gestures a snapshot is taken, and the `RECENT` newest are all kept, so undoing
  near the end of a painting replays at most `FINE` gestures;
- older snapshots are thinned to at most `MAX_COARSE`, their spacing doubling as the painting
  grows, so memory stays bounded (16 canvases at most) and undoing far back stays bounded too.
"""

from __future__ import annotations

import datetime as _dt
import secrets
from pathlib import Path

import numpy as np

from artkit.canvas import Canvas
from artkit.errors import ArtkitError
from artkit.strokes import StrokeLog

from artkit.app import storage

# The canvas starts as warm paper rather than screen white: translucent marks read better on it.
PAPER = (248, 245, 238)
DEFAULT_BRUSH = "flow"
SIZE_MIN, SIZE_MAX = 1.0, 200.0  # brush sizes the app allows, in px


def _allowed_size(px: float) -> float:
    return float(min(SIZE_MAX, max(SIZE_MIN, px)))


def default_brush() -> str:
    """The brush the app starts with: the flow brush when it is installed, else the first."""
    from artkit.brushes import BRUSHES

    return DEFAULT_BRUSH if DEFAULT_BRUSH in BRUSHES else next(iter(BRUSHES))


class PaintSession:
    """One painting in progress.

    size: (width, height) of the canvas; source: a SourceImage (fitted to the canvas if its
    size differs; None for the built-in picture); brush: the starting brush's name; seed: for
    every mark's randomness (None: a random one, recorded in the log); background: the paper
    colour; source_spec: how to reopen the source on --resume (a path, "default", "gan:…");
    log: an existing StrokeLog to continue (see `resume`).
    """

    FINE = 8
    RECENT = 4
    MAX_COARSE = 12

    def __init__(self, size=(1024, 768), source=None, brush: str | None = None,
                 seed: int | None = None, background=PAPER, source_spec: str | None = None,
                 log: StrokeLog | None = None):
        from artkit.source import SourceImage

        w, h = (int(v) for v in size)
        self.size = (w, h)
        self.background = tuple(int(c) for c in background)
        self.seed = int(seed) if seed is not None else secrets.randbelow(2**31)
        self.canvas = Canvas(w, h, background=self.background)
        if source is None:
            source, source_spec = SourceImage.default((w, h)), "default"
        self.source = self._fitted(source)
        self.source_spec = source_spec or getattr(source, "name", "array")
        self._brushes: dict = {}
        self._warmed: set = set()
        self.brush_name = ""
        self.select_brush(brush or default_brush())
        if log is None:
            log = StrokeLog((w, h), source_hash=self.source.hash, meta=self._meta())
        self.log = log
        # Replaying a resumed log continues the same seed, offset so new marks differ from old.
        self.rng = np.random.default_rng([self.seed, len(log.gestures)])
        self._snapshots: dict[int, np.ndarray] = {}
        self._coarse_step = self.FINE
        self._dirty = (0.0, 0.0, float(w), float(h))  # canvas area changed since take_dirty()

    def _meta(self) -> dict:
        return {"background": list(self.background), "seed": self.seed,
                "source": self.source_spec, "brush": self.brush_name}

    # -- resuming ------------------------------------------------------------------------------
    @classmethod
    def resume(cls, journal) -> tuple["PaintSession", str | None]:
        """The session journalled at `journal`, its painting replayed, and a notice (or None)
        when its source picture could not be opened again (the painting itself is intact)."""
        from artkit.source import open_source

        journal = Path(journal)
        if not journal.exists():
            raise ArtkitError("There is no painting session to resume yet; start one with "
                              "'artkit paint'.")
        log = StrokeLog.load(journal)
        meta = log.meta
        notice = None
        spec = meta.get("source", "default")
        try:
            source = open_source(spec, log.size)
        except ArtkitError as error:
            source, notice = None, (f"{error} Your painting is back; new marks take their "
                                    f"colours from the built-in picture.")
            spec = "default"
        if source is not None and log.source_hash and source.hash != log.source_hash:
            notice = f"The source picture '{spec}' has changed since this painting began."
        from artkit.brushes import BRUSHES

        brush = meta.get("brush") if meta.get("brush") in BRUSHES else None
        session = cls(log.size, source, brush=brush,
                      seed=meta.get("seed"), background=meta.get("background", PAPER),
                      source_spec=spec, log=log)
        session._restore_brush_sizes(meta.get("brush_sizes"))
        session.replay_all()
        return session, notice

    def journal_to(self, path) -> Path:
        """Write the log to `path` as it grows (see `StrokeLog.journal_to`)."""
        return self.log.journal_to(path)

    def replay_all(self) -> None:
        """Redraw the whole painting from its log, taking snapshots along the way."""
        self.canvas.background(*self.background)
        self._mark_dirty()
        self._snapshots.clear()
        for i, gesture in enumerate(self.log.gestures):
            self._draw_gesture(gesture)
            self._maybe_snapshot(i + 1)

    def _draw_gesture(self, gesture) -> None:
        if gesture.is_clear:
            self.canvas.background(*self.background)
        for strokes in gesture.strokes:
            self.canvas.draw(strokes)

    # -- brushes ---------------------------------------------------------------------------
    @property
    def brush(self):
        return self._brushes[self.brush_name]

    @property
    def brush_names(self) -> list[str]:
        from artkit.brushes import BRUSHES

        return list(BRUSHES)

    def select_brush(self, name: str) -> None:
        """Make `name` the current brush (each brush keeps its own size while you switch)."""
        from artkit.brushes import make_brush

        if name not in self._brushes:
            self._brushes[name] = make_brush(name)
        self.brush_name = name
        self._warm_up()

    def _warm_up(self) -> None:
        """Let the brush build its per-source caches now (the flow field, the first noise
        tables: up to ~100 ms) rather than in the first frame of the next stroke. The marks
        are thrown away and a private generator keeps the session's randomness untouched."""
        key = (self.brush_name, id(self.source))
        if key in self._warmed:
            return
        self._warmed.add(key)
        self.brush.stroke(self.source, np.zeros((1, 2), np.float32), np.random.default_rng(0))

    @property
    def brush_size(self) -> float:
        return float(self.brush.size)

    @brush_size.setter
    def brush_size(self, px: float) -> None:
        self.brush.size = _allowed_size(px)

    def _restore_brush_sizes(self, sizes) -> None:
        """Give each brush the size it last painted with (from the log's meta), without
        selecting it: unknown names and non-numbers are skipped."""
        from artkit.brushes import BRUSHES, make_brush

        for name, px in (sizes if isinstance(sizes, dict) else {}).items():
            if name in BRUSHES and isinstance(px, (int, float)) and np.isfinite(px):
                if name not in self._brushes:
                    self._brushes[name] = make_brush(name)
                self._brushes[name].size = _allowed_size(px)

    # -- painting --------------------------------------------------------------------------
    @property
    def painting(self) -> bool:
        """True between begin_gesture() and end_gesture()."""
        return self.log.in_gesture

    def begin_gesture(self) -> None:
        self.end_gesture()
        # The journal remembers the brush and each brush's size, so --resume brings them back.
        sizes = self.log.meta.get("brush_sizes") or {}
        size = round(self.brush_size, 2)
        if self.log.meta.get("brush") != self.brush_name or sizes.get(self.brush_name) != size:
            self.log.update_meta(brush=self.brush_name,
                                 brush_sizes={**sizes, self.brush_name: size})
        self.log.begin_gesture()

    def paint(self, path) -> int:
        """Lay marks along `path` ((N, 2) canvas pixels: the pointer's positions since the last
        call). Opens a gesture if none is open. Returns how many marks were drawn."""
        path = np.asarray(path, dtype=np.float32).reshape(-1, 2)
        if not len(path):
            return 0
        return self._draw(self.brush.stroke(self.source, path, self.rng))

    def autopaint(self, n: int) -> int:
        """Let the current brush lay `n` marks (or clumps) anywhere on the canvas."""
        return self._draw(self.brush.autopaint(self.source, int(n), self.rng))

    def _draw(self, strokes) -> int:
        if not self.log.in_gesture:
            self.begin_gesture()
        if strokes is None or not len(strokes):
            return 0
        self.canvas.draw(strokes)
        self.log.add(strokes)
        self._mark_dirty(strokes)
        return len(strokes)

    # -- what changed (so the window redraws only that) ----------------------------------------
    def _mark_dirty(self, strokes=None) -> None:
        """Grow the changed area by the marks' bounds (every kind of mark, curves included,
        stays within its points' box plus half its width), or to the whole canvas."""
        if strokes is None:
            box = (0.0, 0.0, float(self.size[0]), float(self.size[1]))
        else:
            lo = strokes.points.min(axis=(0, 1))
            hi = strokes.points.max(axis=(0, 1))
            pad = float(strokes.width.max()) * 0.75 + 2.0  # antialiasing and square corners
            box = (float(lo[0]) - pad, float(lo[1]) - pad, float(hi[0]) + pad, float(hi[1]) + pad)
        if self._dirty is not None:
            d = self._dirty
            box = (min(d[0], box[0]), min(d[1], box[1]), max(d[2], box[2]), max(d[3], box[3]))
        self._dirty = box

    def take_dirty(self) -> tuple[int, int, int, int] | None:
        """The canvas area (x, y, w, h) changed since the last call, or None; then forget it."""
        d, self._dirty = self._dirty, None
        if d is None:
            return None
        x0, y0 = max(0, int(d[0])), max(0, int(d[1]))
        x1, y1 = min(self.size[0], int(np.ceil(d[2]))), min(self.size[1], int(np.ceil(d[3])))
        if x1 <= x0 or y1 <= y0:
            return None
        return (x0, y0, x1 - x0, y1 - y0)

    def end_gesture(self) -> None:
        if not self.log.in_gesture:
            return
        before = self._count()
        self.log.end_gesture()
        if self._count() != before:
            self._after_push()

    def clear(self) -> None:
        """Wipe the canvas back to paper (undo brings the painting back)."""
        self.end_gesture()
        self.log.clear()
        self.canvas.background(*self.background)
        self._mark_dirty()
        self._after_push()

    # -- undo ------------------------------------------------------------------------------
    def undo(self) -> bool:
        """Take back the last gesture; False when there is nothing to take back."""
        self.end_gesture()
        if not self.log.undo():
            return False
        self._show(self._count())
        return True

    def redo(self) -> bool:
        """Put back the last undone gesture; False when there is none."""
        self.end_gesture()
        if not self.log.redo():
            return False
        # The canvas shows every gesture but the redone one: drawing it on top is exact.
        self._draw_gesture(self.log.gestures[-1])
        self._mark_dirty()
        return True

    def _count(self) -> int:
        return len(self.log.gestures)

    def _show(self, count: int) -> None:
        """Make the canvas show the first `count` gestures, from the nearest snapshot."""
        start = max((k for k in self._snapshots if k <= count), default=0)
        if start:
            self.canvas.restore(self._snapshots[start])
        else:
            self.canvas.background(*self.background)
        for gesture in self.log.gestures[start:count]:
            self._draw_gesture(gesture)
        self._mark_dirty()

    def _after_push(self) -> None:
        count = self._count()
        # A new gesture after undos drops the redo branch; so do the snapshots taken on it.
        for k in [k for k in self._snapshots if k >= count]:
            del self._snapshots[k]
        self._maybe_snapshot(count)

    def _maybe_snapshot(self, count: int) -> None:
        if count % self.FINE:
            return
        self._snapshots[count] = self.canvas.snapshot()
        recent_from = count - self.RECENT * self.FINE
        coarse = sorted(k for k in self._snapshots if k <= recent_from)
        while len(coarse) > self.MAX_COARSE:
            self._coarse_step *= 2
            for k in coarse:
                if k % self._coarse_step:
                    del self._snapshots[k]
            coarse = [k for k in coarse if k in self._snapshots]

    # -- source ----------------------------------------------------------------------------
    def _fitted(self, source):
        """`source` resized (cover) to the canvas when its size differs."""
        from artkit.source import SourceImage

        if source.size == self.size:
            return source
        return SourceImage.from_array(source.rgb, self.size, fit="cover", name=source.name)

    def set_source(self, source, spec: str | None = None) -> None:
        """Sample colours from `source` from now on (the painting so far stays as it is)."""
        self.end_gesture()
        self.source = self._fitted(source)
        self.source_spec = spec or getattr(source, "name", "array")
        self.log.update_meta(source=self.source_spec, source_hash=self.source.hash)
        self._warmed.clear()
        self._warm_up()

    def open_source(self, spec: str) -> None:
        """Open an image file (or "default", or a registered "scheme:...") as the source."""
        from artkit.source import open_source

        self.set_source(open_source(spec, self.size), spec=str(spec))

    # -- saving ----------------------------------------------------------------------------
    def provenance(self) -> dict:
        return {"brush": self.brush_name, "brush_size": round(self.brush_size, 2),
                "seed": self.seed, "source": self.source_spec,
                "source_hash": self.source.hash, "strokes": self.log.stroke_count(),
                "size": f"{self.size[0]}x{self.size[1]}"}

    def save(self, folder=".", now: _dt.datetime | None = None) -> Path:
        """Save the painting as a timestamped PNG in `folder`, with its stroke log beside it
        (same name, `.strokes`). Returns the PNG's path."""
        self.end_gesture()
        folder = Path(folder)
        if not folder.is_dir():
            raise ArtkitError(f"Can't save in '{folder}': that folder does not exist.")
        png = storage.timestamped_name(folder, now)
        self.canvas.save(png, self.provenance())
        try:
            self.log.save(png.with_suffix(".strokes"))
        except ArtkitError as error:
            raise ArtkitError(f"Saved '{png.name}', but not its stroke log. {error}") from None
        return png

    # -- measuring -------------------------------------------------------------------------
    def coverage(self, reference: np.ndarray, step: int = 3) -> float:
        """Fraction of pixels that differ from `reference` (a snapshot), on a grid of every
        `step`-th pixel so it is cheap enough to ask every few frames."""
        now = self.canvas.pixels()[::step, ::step, :3]
        then = reference[::step, ::step, :3]
        return float(np.any(now != then, axis=2).mean())
