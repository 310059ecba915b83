"""Paint in layers, from a big brush to a small one, where the painting still differs from the
picture: the layered autopaint plan (after Hertzmann, "Painterly rendering with curved brush
strokes of multiple sizes", SIGGRAPH 1998), for every artkit brush.

`LayeredAutopaint(session)` paints `passes` layers with brush sizes falling geometrically from
a coarse size (the canvas's shorter side / 24, or the brush's own size if bigger) to the
finest (`finest`, by default the shorter side / 150, at least 2 px). For each layer:

1. The *reference* is the source blurred by half the layer's brush size: what a brush that
   big can say about the picture. The brush follows the picture's orientation at that size
   (`artkit.orientation`) and takes its colours from the source itself, as it always does
   (colours from the blurred reference, as in the paper, measured 10-15 % further from the
   photograph).
2. In *rounds*, a grid of cells one brush size wide is laid over the canvas; a cell whose mean
   colour differs from the reference's by more than THRESHOLD gets one touch, at the cell's
   worst pixel, the cells visited in a seeded random order (so marks don't march in rows).
   The first round of the first layer touches every cell: it lays the ground, with marks
   more opaque than the brush's own (`Brush.for_layer`), as an underpainting.
3. A finer layer only repaints where the picture has detail at its scale: where the reference
   differs from the coarser layer's by more than DETAIL (an eye, a mouth, an edge), or where
   the error is plainly large (BIG x THRESHOLD). Translucent hairy marks leave a texture that
   differs from the photograph everywhere; without this rule the finest layer would repaint
   the whole canvas to chase it.
4. The ground has up to GROUND_ROUNDS rounds and each finer layer LAYER_ROUNDS; a layer also
   ends when no cell is above the threshold, or when its last round lowered its error by less
   than STALL.

Touches are ordinary touches of the session's brush (a copy at the layer's size, following
the orientation field), drawn through `PaintSession.touch`, so they land in the stroke log as
marks: undo (one step per round), resume, replay at print size and time-lapses work as for
any painting. The session's seeded generator is the only randomness, and every decision
depends only on the canvas's pixels: the window (a few batches a frame), `artkit render` and a
test make the same log from one seed. A batch is the uniform plan's batch for the layer's
brush size (`artkit.autopaint.batch_sizes`), but at least MIN_BATCH touches.

The plan always ends: a round touches each cell at most once, and a layer has a fixed most
rounds.
"""

from __future__ import annotations

import math
import re

import numpy as np
from PIL import Image, ImageFilter

from artkit.autopaint import PaintingPlan, batch_sizes, coverage
from artkit.errors import ArtkitError
from artkit.orientation import orientation_field

__all__ = ["LayeredAutopaint", "PLANS", "layer_sizes", "parse_detail", "canvas_error",
           "DEFAULT_PASSES", "MAX_PASSES"]

PLANS = ("uniform", "layered")
DEFAULT_PASSES = 5
MAX_PASSES = 8
THRESHOLD = 0.07       # a cell's mean colour this far from the reference's (RGB 0..1): repaint
DETAIL = 0.04          # a finer layer's cell has detail: its reference differs this much
DETAIL_GROWTH = 1.0
BIG = 2.0              # ... or its error is this many times THRESHOLD
GROUND_ROUNDS = 3      # rounds of the first layer at most
LAYER_ROUNDS = 1       # rounds of each finer layer at most
STALL = 0.15           # a round that lowered the layer's error by less than this share: enough
BLUR_FACTOR = 0.5      # the reference is the source blurred by this times the brush size
ORIENTATION_FACTOR = 0.5  # the orientation field is smoothed at this times the brush size
COARSEST_SHARE = 24    # the coarsest brush: the canvas's shorter side / this
FINEST_SHARE = 150     # the default finest brush: the canvas's shorter side / this
MIN_FINEST = 3.0       # ... but never finer than this many px
MIN_BATCH = 32         # touches per batch at least (a batch of big marks: about 10 ms)
_MAX_WORK_PIXELS = 2_000_000   # the error is measured on at most this many pixels


def parse_detail(text) -> tuple[int, float | None]:
    """`--detail` text as (passes, finest px or None): "4" is four layers, "4/3" four layers
    down to a 3 px brush. Raises ArtkitError with one sentence when it is neither."""
    match = re.fullmatch(r"\s*(\d+)\s*(?:/\s*(\d+(?:\.\d+)?)\s*)?", str(text))
    if not match:
        raise ArtkitError(f"--detail must be a number of layers, optionally with the finest "
                          f"brush size, like 4 or 4/3, not '{text}'.")
    passes = int(match.group(1))
    if not 1 <= passes <= MAX_PASSES:
        raise ArtkitError(f"--detail must ask for 1 to {MAX_PASSES} layers, not {passes}.")
    finest = float(match.group(2)) if match.group(2) else None
    if finest is not None and not 1 <= finest <= 200:
        raise ArtkitError(f"The finest brush of --detail must be 1 to 200 px, not {finest:g}.")
    return passes, finest


def layer_sizes(canvas_size, brush_size: float, passes: int | None = None,
                finest: float | None = None) -> list[float]:
    """Brush sizes of the layers, coarse to fine (geometric; see the module notes)."""
    passes = DEFAULT_PASSES if passes is None else max(1, int(passes))
    short = max(1, min(int(v) for v in canvas_size))
    finest = max(MIN_FINEST, short / FINEST_SHARE) if finest is None else float(finest)
    finest = min(max(1.0, finest), 200.0)
    coarsest = min(200.0, max(float(brush_size), short / COARSEST_SHARE, finest))
    if passes == 1:
        return [round(finest, 2)]
    ratio = (finest / coarsest) ** (1.0 / (passes - 1))
    return [round(coarsest * ratio ** i, 2) for i in range(passes)]


def canvas_error(pixels: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Per-pixel colour distance (H, W) float32 in 0..sqrt(3) between a canvas's pixels
    (H, W, >=3 uint8) and a target picture (H, W, 3 uint8)."""
    diff = pixels[..., :3].astype(np.int16) - target.astype(np.int16)
    sq = np.einsum("ijk,ijk->ij", diff, diff, dtype=np.int32)
    return np.sqrt(sq, dtype=np.float32) * np.float32(1 / 255)


class _Layer:
    """What one layer needs, prepared when it starts: its grid, reference, detail, field and
    brush."""

    def __init__(self, session, size: float, coarser: float | None, work: int):
        self.size = float(size)
        w, h = session.size
        # The error grid: work pixels of `work` painting px, cells of `cell` work pixels.
        self.work = work
        self.work_size = (max(1, -(-w // work)), max(1, -(-h // work)))
        self.cell = max(1, int(round(self.size / work)))
        source = session.source.to_array()
        self.reference = _resized(_blurred(source, self.size), self.work_size)
        self.detail = None   # the first layer paints everywhere
        if coarser is not None:
            wider = _resized(_blurred(source, coarser), self.work_size)
            self.detail = _cell_colour_error(self.reference, wider, self.cell)
        self.field = orientation_field(session.source, ORIENTATION_FACTOR * self.size)
        self.brush = session.brush.for_layer(self.size, coarser is None)
        self.brush.orientation = self.field
        # The uniform plan's batch for this size (about one frame's worth of painted area),
        # but never so few touches that the per-batch work of walking the marks dominates.
        self.batch = max(MIN_BATCH, batch_sizes(session.size, self.size)[1])
        self.most_rounds = GROUND_ROUNDS if coarser is None else LAYER_ROUNDS
        self.rounds = 0
        self.errors: list[float] = []   # the layer's mean error before each round

    def chosen(self, painting: np.ndarray) -> tuple[np.ndarray, float]:
        """(the worst pixel (x, y) of each cell to repaint, in work px; the mean per-pixel
        error) for the canvas `painting` at work size."""
        error = canvas_error(painting, self.reference)
        cells = _cell_colour_error(painting, self.reference, self.cell)
        if self.rounds == 0 and self.detail is None:   # the ground: every cell
            repaint = np.ones(len(cells), bool)
        else:
            repaint = cells > THRESHOLD
            if self.detail is not None:
                repaint &= (self.detail > self.detail_threshold) | (cells > BIG * THRESHOLD)
        return _worst_pixels(error, self.cell)[repaint], float(error.mean())


class LayeredAutopaint(PaintingPlan):
    """One run of the layered plan on a `PaintSession` (see the module notes); the same
    interface as `artkit.autopaint.Autopaint`: `step()`, `run()`, `stop()`, `finished`,
    `reason`, `done`, `covered`, `history` (coverage after each round), plus `sizes`,
    `passes`, `pass_index` (0-based: the layer being painted), `size` (its brush size) and
    `pass_errors` (the mean colour distance to the source after each finished layer).

    touches: stop after exactly this many (or sooner, when the last layer is done)."""

    plan = "layered"

    def __init__(self, session, touches: int | None = None, passes: int | None = None,
                 finest: float | None = None):
        self.session = session
        self.sizes = layer_sizes(session.size, session.brush.size, passes, finest)
        self.passes = len(self.sizes)
        self.exact = touches is not None
        self.cap = int(touches) if self.exact else None
        self.done = 0
        self.covered = 0.0
        self.history: list[float] = []
        self.pass_errors: list[float] = []
        self.pass_index = 0
        self.finished = self.exact and self.cap <= 0
        self.reason = "nothing to paint" if self.finished else ""
        self._reference = session.canvas.snapshot()
        self._layer: _Layer | None = None
        self._queue: tuple[np.ndarray, np.ndarray] | None = None
        self._at = 0
        w, h = session.size
        self._min_work = max(1, math.ceil(math.sqrt(w * h / _MAX_WORK_PIXELS)))

    @property
    def size(self) -> float:
        """The brush size of the layer being painted."""
        return self.sizes[min(self.pass_index, self.passes - 1)]

    # -- stepping ---------------------------------------------------------------------------
    def step(self) -> bool:
        """Paint one batch (planning the next round first when the last one is done); False
        once finished (then nothing more is painted)."""
        if self.finished:
            return False
        if self._queue is None:
            self._plan_round()
            if self.finished:
                return False
        centres, headings = self._queue
        n = min(self._layer.batch, len(centres) - self._at)
        if self.cap is not None:
            n = min(n, self.cap - self.done)
        part = slice(self._at, self._at + n)
        self.session.touch(centres[part], headings[part], brush=self._layer.brush)
        self._at += n
        self.done += n
        if self._at >= len(centres) or (self.cap is not None and self.done >= self.cap):
            self._end_round()
        return not self.finished

    def _period_ended(self) -> bool:
        return self._queue is None   # a round has just ended

    # -- planning ---------------------------------------------------------------------------
    def _plan_round(self) -> None:
        """The touches of the next round, or the next layer, or the end."""
        while not self.finished:
            if self._layer is None:
                size = self.sizes[self.pass_index]
                coarser = self.sizes[self.pass_index - 1] if self.pass_index else None
                work = max(self._min_work, int(size // 4) or 1)
                self._layer = _Layer(self.session, size, coarser, work)
                self._layer.detail_threshold = DETAIL * DETAIL_GROWTH ** max(0, self.pass_index - 1)
            layer = self._layer
            worst, mean = layer.chosen(self._painting(layer.work_size))
            stalled = bool(layer.errors) and layer.errors[-1] - mean < STALL * layer.errors[-1]
            layer.errors.append(mean)
            if layer.rounds < layer.most_rounds and not stalled and len(worst):
                self._queue = self._touches(layer, worst)
                self._at = 0
                layer.rounds += 1
                return
            self._end_layer()

    def _touches(self, layer: _Layer, worst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Touch centres (painting px) at the worst pixel of each chosen cell, in a seeded
        random order, and headings along the picture (either way along it; random where the
        picture is flat)."""
        rng = self.session.rng
        w, h = self.session.size
        order = rng.permutation(len(worst))
        centres = (worst[order] + np.float32(0.5)) * np.float32(layer.work)
        centres = np.minimum(centres, np.float32([w, h]) - np.float32(0.5)).astype(np.float32)
        angle, strength = layer.field.angle_at(centres[:, 0], centres[:, 1])
        flip = rng.random(len(centres)) < 0.5
        angle = np.where(flip, angle + np.float32(math.pi), angle)
        wander = rng.uniform(0.0, 2 * math.pi, len(centres)).astype(np.float32)
        headings = np.where(strength > 0.25, angle, wander).astype(np.float32)
        return centres, headings

    def _end_round(self) -> None:
        self._queue = None
        self.session.end_gesture()   # one undo step per round
        self.covered = coverage(self.session.canvas.pixels(), self._reference)
        self.history.append(self.covered)
        if self.cap is not None and self.done >= self.cap:
            self.finished, self.reason = True, "done"

    def _end_layer(self) -> None:
        source = self.session.source.to_array()
        self.pass_errors.append(float(canvas_error(self._painting(None), source).mean()))
        self._layer = None
        self.pass_index += 1
        if self.pass_index >= self.passes:
            self.pass_index = self.passes - 1
            self.finished, self.reason = True, "layers"

    def _painting(self, size) -> np.ndarray:
        """The canvas's pixels at painting size (the canvas is bigger at --scale), or at
        `size` (w, h)."""
        session = self.session
        pixels = session.canvas.pixels()
        size = tuple(size or session.size)
        if (pixels.shape[1], pixels.shape[0]) == size:
            return pixels
        return _resized(np.ascontiguousarray(pixels[..., :3]), size)


def _blurred(rgb: np.ndarray, size: float) -> np.ndarray:
    """uint8 RGB blurred by BLUR_FACTOR x `size` px (Pillow's Gaussian: fast, any size)."""
    sigma = BLUR_FACTOR * float(size)
    if sigma < 0.5:
        return rgb
    return np.asarray(Image.fromarray(rgb).filter(ImageFilter.GaussianBlur(sigma)))


def _resized(rgb: np.ndarray, size) -> np.ndarray:
    """uint8 RGB (H, W, 3) averaged down (or up) to `size` (w, h)."""
    if (rgb.shape[1], rgb.shape[0]) == tuple(size):
        return rgb
    return np.asarray(Image.fromarray(rgb).resize(tuple(size), Image.Resampling.BOX))


def _blocks(a: np.ndarray, cell: int) -> np.ndarray:
    """(cells, cell * cell, ...) blocks of `a` (H, W, ...), row by row; the last blocks are
    padded with their edge values."""
    h, w = a.shape[:2]
    ny, nx = -(-h // cell), -(-w // cell)
    pad = [(0, ny * cell - h), (0, nx * cell - w)] + [(0, 0)] * (a.ndim - 2)
    a = np.pad(a, pad, mode="edge")
    blocks = a.reshape(ny, cell, nx, cell, *a.shape[2:]).swapaxes(1, 2)
    return blocks.reshape(ny * nx, cell * cell, *a.shape[2:])


def _cell_colour_error(painting: np.ndarray, reference: np.ndarray, cell: int) -> np.ndarray:
    """Distance (RGB 0..1) between each cell's mean colour in `painting` and in `reference`:
    the colour the cell reads as, so a hairy texture whose average is right counts as right."""
    d = (_blocks(painting[..., :3], cell).mean(axis=1, dtype=np.float32)
         - _blocks(reference, cell).mean(axis=1, dtype=np.float32))
    return np.sqrt((d * d).sum(axis=1)) * np.float32(1 / 255)


def _worst_pixels(error: np.ndarray, cell: int) -> np.ndarray:
    """(x, y) of the worst pixel of each cell of `error` (H, W), row by row, as float32."""
    h, w = error.shape
    nx = -(-w // cell)
    at = _blocks(error, cell).argmax(axis=1)
    index = np.arange(len(at))
    xs = (index % nx) * cell + at % cell
    ys = (index // nx) * cell + at // cell
    return np.stack([np.minimum(xs, w - 1), np.minimum(ys, h - 1)], axis=1).astype(np.float32)
