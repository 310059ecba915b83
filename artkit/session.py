"""PaintSession: one painting and everything that can be done to it, without a window.

A session holds the canvas, the source picture the brush samples colours from, the brushes and
their settings, the stroke log and its journal, and the random generator. It paints along a
path, paints until covered (`artkit.autopaint`), undoes and redoes, and saves the PNG and its
stroke log with one provenance schema. Every front end is a thin adapter over it: the paint
window (`artkit.app.paint_app`) turns events into calls on a session, `artkit render` and
`render --walk` paint one headless, `artkit replay` rebuilds one from a log; tests drive a
session directly.

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

from artkit.autopaint import Autopaint
from artkit.brushes.base import clamp_size
from artkit.layered import PLANS, LayeredAutopaint
from artkit.canvas import Canvas
from artkit.errors import ArtkitError
from artkit.sessions import timestamped_name
from artkit.strokelog import StrokeLog

# The canvas starts as warm paper rather than screen white: translucent marks read better on it.
PAPER = (248, 245, 238)
DEFAULT_BRUSH = "flow"


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
    log: an existing StrokeLog to continue (see `resume`); brush_params: the starting
    brush's parameters (`make_brush`'s); scale: the canvas is this many times the painting's
    size (a print-size render), while marks and the log stay in painting pixels; jobs: draw
    big batches on this many threads (worker processes for skia's marks: `artkit.parallel`;
    None: one per core, 1: all in this thread, as the window does).
    """

    FINE = 8
    RECENT = 4
    MAX_COARSE = 12

    def __init__(self, size=(1024, 768), source=None, brush: str | None = None,
                 seed: int | None = None, background=PAPER, source_spec: str | None = None,
                 log: StrokeLog | None = None, brush_params: dict | None = None,
                 scale: float = 1.0, jobs: int | None = 1, warm_up: bool = True):
        from artkit.parallel import renderer_for
        from artkit.source import SourceImage

        w, h = (int(v) for v in size)
        self.size = (w, h)
        self.scale = float(scale)
        self.background = tuple(int(c) for c in background)
        self.seed = int(seed) if seed is not None else secrets.randbelow(2**31)
        self._canvas = Canvas(max(1, round(w * self.scale)), max(1, round(h * self.scale)),
                              background=self.background)
        self._renderer = renderer_for(self._canvas, jobs)
        if source is None:
            source, source_spec = SourceImage.default((w, h)), "default"
        self.source = self._fitted(source)
        self.source_spec = source_spec or getattr(source, "name", "array")
        self._brushes: dict = {}
        # warm_up=False: nobody waits for a first frame (a one-off replay), so brushes build
        # their per-source caches when they first paint, if ever.
        self._warmed: set | None = set() if warm_up else None
        self.brush_name = ""
        self.select_brush(brush or default_brush(), brush_params)
        self.last_autopaint: Autopaint | LayeredAutopaint | None = None
        # How autopaint paints: "uniform" (touches anywhere until covered) or "layered"
        # (coarse to fine where the painting differs; `detail` = (layers, finest px)).
        self.plan = "uniform"
        self.detail: tuple = (None, None)
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
                "source": self.source_spec, "brush": self.brush_name,
                "params": {self.brush_name: self.brush.params()}}

    # -- resuming ------------------------------------------------------------------------------
    @property
    def canvas(self) -> Canvas:
        """The picture, with every mark drawn so far on it: batches the drawing threads or
        worker processes are drawing are waited for first, so the pixels are what one thread
        would have drawn, and may be read or changed."""
        self._renderer.finish()
        return self._canvas

    @classmethod
    def from_log(cls, log: StrokeLog, scale: float = 1.0, background=None,
                 open_source: bool = True, jobs: int | None = 1,
                 undo: bool = True) -> tuple["PaintSession", str | None]:
        """The painting in `log` rebuilt (its source reopened, its brush and sizes back, its
        gestures replayed), and a notice (or None) when its source picture could not be
        opened again (the painting itself is intact). With open_source=False the built-in
        paper stands in, and brushes warm up only if they paint (replaying needs neither: it
        saves ~0.15 s of a 1024² replay)."""
        from artkit.brushes import BRUSHES
        from artkit.source import open_source as open_spec

        meta = log.meta
        notice, source = None, None
        spec = meta.get("source", "default")
        if open_source:
            try:
                source = open_spec(spec, log.size)
            except ArtkitError as error:
                notice = (f"{error} Your painting is back; new marks take their colours from "
                          f"the built-in picture.")
                spec = "default"
            if source is not None and log.source_hash and source.hash != log.source_hash:
                notice = f"The source picture '{spec}' has changed since this painting began."
        brush = meta.get("brush") if meta.get("brush") in BRUSHES else None
        if background is None:
            background = _colour(meta.get("background"), PAPER)
        params = meta.get("params")   # the starting brush's, by name
        params = params.get(brush) if isinstance(params, dict) else None
        params = params if isinstance(params, dict) else None
        if not open_source:
            source = _paper_source(log.size, background)
        settings = dict(brush=brush, seed=_seed(meta.get("seed")), background=background,
                        source_spec=spec, log=log, scale=scale, jobs=jobs,
                        warm_up=open_source)
        try:
            session = cls(log.size, source, brush_params=params, **settings)
        except ArtkitError:   # parameters this artkit doesn't know: the brush's defaults
            session = cls(log.size, source, **settings)
        session._restore_brush_sizes(meta.get("brush_sizes"))
        session._restore_plan(meta.get("plan"), meta.get("detail"))
        session.replay_all(snapshots=undo)   # undo=False: a one-off picture (`replay`)
        return session, notice

    @classmethod
    def resume(cls, journal) -> tuple["PaintSession", str | None]:
        """`from_log` for the log saved or journalled at `journal`."""
        return cls.from_log(StrokeLog.load(journal))

    def journal_to(self, path) -> Path:
        """Write the log to `path` as it grows (see `StrokeLog.journal_to`)."""
        return self.log.journal_to(path)

    def replay_all(self, snapshots: bool = True) -> None:
        """Redraw the whole painting from its log, taking snapshots for undo along the way
        (unless `snapshots` is False: each is a copy of the canvas, and a pause for the
        drawing threads)."""
        self.canvas.background(*self.background)
        self._mark_dirty()
        self._snapshots.clear()
        for i, gesture in enumerate(self.log.gestures):
            self._draw_gesture(gesture)
            if snapshots:
                self._maybe_snapshot(i + 1)

    def _draw_gesture(self, gesture) -> None:
        if gesture.is_clear:
            self.canvas.background(*self.background)
        for strokes in gesture.strokes:
            self._renderer.draw(strokes, self.scale)

    # -- brushes ---------------------------------------------------------------------------
    @property
    def brush(self):
        return self._brushes[self.brush_name]

    @property
    def brush_names(self) -> list[str]:
        from artkit.brushes import BRUSHES

        return list(BRUSHES)

    def select_brush(self, name: str, params: dict | None = None) -> None:
        """Make `name` the current brush (each brush keeps its own size while you switch);
        `params` rebuild it with those parameters."""
        from artkit.brushes import make_brush

        if name not in self._brushes or params:
            self._brushes[name] = make_brush(name, **(params or {}))
        self.brush_name = name
        self._warm_up()

    def _warm_up(self) -> None:
        """Let the brush build its per-source caches now (the flow field, the first noise
        tables: up to ~100 ms) rather than in the first frame of the next stroke. The marks
        are thrown away and a private generator keeps the session's randomness untouched."""
        key = (self.brush_name, id(self.source))
        if self._warmed is None or key in self._warmed:
            return
        self._warmed.add(key)
        self.brush.stroke(self.source, np.zeros((1, 2), np.float32), np.random.default_rng(0))

    @property
    def brush_size(self) -> float:
        return float(self.brush.size)

    @brush_size.setter
    def brush_size(self, px: float) -> None:
        self.brush.size = clamp_size(px)

    def _restore_plan(self, plan, detail) -> None:
        """The plan a log's meta names (from `set_plan`), when it is one this artkit knows
        with sound details; else the session keeps the uniform plan."""
        if plan not in PLANS:
            return
        passes, finest = detail if isinstance(detail, list) and len(detail) == 2 else (None, None)
        if not (passes is None or (isinstance(passes, int) and passes >= 1)):
            passes = None
        if not (finest is None or (isinstance(finest, (int, float)) and finest > 0)):
            finest = None
        self.set_plan(plan, passes, finest)

    def _restore_brush_sizes(self, sizes) -> None:
        """Give each brush the size it last painted with (from the log's meta), without
        selecting it: unknown names and non-numbers are skipped."""
        from artkit.brushes import BRUSHES, make_brush

        for name, px in (sizes if isinstance(sizes, dict) else {}).items():
            if name in BRUSHES and isinstance(px, (int, float)) and np.isfinite(px):
                if name not in self._brushes:
                    self._brushes[name] = make_brush(name)
                self._brushes[name].size = clamp_size(px)

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
        """Let the current brush lay `n` touches (clumps of marks) anywhere on the canvas."""
        return self._draw(self.brush.autopaint(self.source, int(n), self.rng))

    def autopaint_batches(self, counts) -> int:
        """`autopaint(n)` for each n of `counts` in turn (the same marks, log and pixels), with
        the marks of all of them computed at once where the brush can: how a plan that knows
        its next few batches paints them. Returns how many marks were drawn."""
        batches = self.brush.autopaint_batches(self.source, [int(n) for n in counts], self.rng)
        return sum(self._draw(strokes) for strokes in batches)

    def touch(self, centres, headings=None, brush=None) -> int:
        """Lay touches at `centres` ((N, 2) canvas px) with `headings` ((N,) radians, or
        None), with `brush` (default: the current one; the layered plan passes a copy at its
        layer's size): how a painting plan that chooses its own places paints. Returns how
        many marks were drawn."""
        centres = np.asarray(centres, dtype=np.float32).reshape(-1, 2)
        if not len(centres):
            return 0
        if headings is not None:
            headings = np.asarray(headings, dtype=np.float32).reshape(-1)
        brush = brush or self.brush
        return self._draw(brush.touch(self.source, centres, self.rng, headings))

    def set_plan(self, plan: str, passes: int | None = None, finest: float | None = None):
        """How autopaint paints from now on: "uniform" or "layered" (with `passes` layers
        down to a `finest` px brush; None: the defaults)."""
        if plan not in PLANS:
            raise ArtkitError(f"The painting plan must be {' or '.join(PLANS)}, not {plan!r}.")
        self.plan = plan
        self.detail = (passes, finest)
        # Kept in the log, so `paint --resume` goes on with the plan the painting was made with.
        if self.log.meta.get("plan") != plan or self.log.meta.get("detail") != [passes, finest]:
            self.log.update_meta(plan=plan, detail=[passes, finest])

    def start_autopaint(self, touches: int | None = None):
        """Begin painting until covered (or exactly `touches`) with the session's plan: call
        `step()` on the result as often as there is time for, or `run()` for all of it."""
        self.end_gesture()
        if self.plan == "layered":
            self.last_autopaint = LayeredAutopaint(self, touches, *self.detail)
        else:
            self.last_autopaint = Autopaint(self, touches)
        return self.last_autopaint

    def paint_until_covered(self, touches: int | None = None, progress=None):
        """Let the brush paint by itself until the canvas is covered (or `touches` touches);
        returns the finished run (touches laid, coverage, why it stopped)."""
        return self.start_autopaint(touches).run(progress)

    def _draw(self, strokes) -> int:
        if not self.log.in_gesture:
            self.begin_gesture()
        if strokes is None or not len(strokes):
            return 0
        self._renderer.draw(strokes, self.scale)
        self.log.add(strokes)
        self._mark_dirty(strokes)
        return len(strokes)

    # -- what changed (so the window redraws only that) ----------------------------------------
    def _mark_dirty(self, strokes=None) -> None:
        """Grow the changed area by the marks' bounds (every kind of mark, curves included,
        stays within its points' box plus half its width), or to the whole canvas."""
        if strokes is None:
            box = (0.0, 0.0, float(self.canvas.width), float(self.canvas.height))
        else:
            lo = strokes.points.min(axis=(0, 1))
            hi = strokes.points.max(axis=(0, 1))
            pad = float(strokes.width.max()) * 0.75 + 2.0  # antialiasing and square corners
            k = self.scale
            box = ((float(lo[0]) - pad) * k, (float(lo[1]) - pad) * k,
                   (float(hi[0]) + pad) * k, (float(hi[1]) + pad) * k)
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
        x1 = min(self.canvas.width, int(np.ceil(d[2])))
        y1 = min(self.canvas.height, int(np.ceil(d[3])))
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

    def save_thumbnail(self, path, longest: int = 256) -> Path | None:
        """A small PNG of the painting (what `artkit sessions` points to); None when it can't
        be written: a thumbnail is never worth an error."""
        from PIL import Image

        from artkit.files import atomic_write

        picture = Image.fromarray(self.canvas.rgb())
        picture.thumbnail((longest, longest))
        try:
            with atomic_write(path) as f:
                picture.save(f, "PNG")
        except ArtkitError:
            return None
        return Path(path)

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
        if self._warmed is not None:
            self._warmed.clear()
        self._warm_up()

    def open_source(self, spec: str) -> None:
        """Open an image file (or "default", or a registered "scheme:...") as the source."""
        from artkit.source import open_source

        self.set_source(open_source(spec, self.size), spec=str(spec))

    # -- saving ----------------------------------------------------------------------------
    def provenance(self, **extra) -> dict:
        """What a saved picture carries (one schema for every front end): how to make it
        again. `extra` adds facts a front end knows (e.g. where a replay came from)."""
        facts = {"brush": self.brush_name, "params": self.brush.params(),
                 "brush_size": round(self.brush_size, 2), "seed": self.seed,
                 "source": self.source_spec, "source_hash": self.log.source_hash,
                 "size": f"{self.size[0]}x{self.size[1]}", "scale": self.scale,
                 "gestures": len(self.log.gestures), "strokes": self.log.stroke_count()}
        run = self.last_autopaint
        if run is not None:
            facts.update(touches=run.done, coverage=round(run.covered, 5))
            if run.plan == "layered":
                facts.update(plan="layered", layers=run.sizes)
        facts.update(extra)
        return facts

    def save(self, folder=".", now: _dt.datetime | None = None) -> Path:
        """Save the painting as a timestamped PNG in `folder`, with its stroke log beside it
        (same name, `.strokes`). Returns the PNG's path."""
        folder = Path(folder)
        if not folder.is_dir():
            what = "is a file, not a folder" if folder.exists() else "does not exist"
            raise ArtkitError(f"Can't save in '{folder}': that folder {what}.")
        return self.save_as(timestamped_name(folder, now))

    def save_as(self, png, with_log: bool = True, **provenance) -> Path:
        """Write the picture to `png` and (with_log) the stroke log beside it (`.strokes`),
        each atomically: a crash or a full disk leaves any files already there intact."""
        self.end_gesture()
        png = Path(png)
        self.canvas.save(png, self.provenance(**provenance))
        if not with_log:
            return png
        try:
            self.log.save(png.with_suffix(".strokes"))
        except ArtkitError as error:
            raise ArtkitError(f"Saved '{png.name}', but not its stroke log. {error}") from None
        return png


def _seed(value) -> int | None:
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _colour(value, default) -> tuple:
    """An RGB tuple from a log's meta, or `default` when it isn't one."""
    if isinstance(value, (list, tuple)) and len(value) >= 3 and \
            all(isinstance(c, int) and 0 <= c <= 255 for c in value[:3]):
        return tuple(value[:3])
    return default


def _paper_source(size, colour):
    """A flat picture in the paper's colour: the stand-in source of a replay, which draws
    recorded marks and takes no colours (the built-in picture costs ~0.1 s to make)."""
    from artkit.source import SourceImage

    w, h = size
    flat = np.broadcast_to(np.float32(colour[:3]) / np.float32(255), (h, w, 3))
    return SourceImage(np.ascontiguousarray(flat), name="paper")
