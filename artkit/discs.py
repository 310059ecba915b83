"""Round dabs below the call wall: translucent discs blitted from pre-rasterised masks.

A dab drawn with skia's `drawCircle` costs about 4 µs, most of it skia setting up a new
antialiased path fill for every call; the dabs brush lays 30 of them per touch. Here each dab
is instead a blit of a small coverage mask, the whole batch in one call of the C extension
`artkit._discblit` (~0.3 µs a dab, nearly all of it the pixels): every mask lives in one
byte array (the atlas), and where each dab goes, which mask and which colour are numpy
arrays, so no Python object is made per dab. Without the extension (no C compiler at
install) each dab is one Pillow `paste(colour, box, mask)` (~2 µs a dab, mostly the call);
the C loop does Pillow's arithmetic, so both give the same bytes:

- the masks are skia's own antialiased discs, rasterised once per process for each radius in
  steps of 1/8 px, each position within a pixel in steps of 1/8 px, and each alpha, then
  kept (a few thousand small masks cover a whole painting);
- a dab takes the mask nearest its radius and position, so its edge moves by at most 1/16 px
  (skia's own edge jumps by as much between neighbouring radii);
- the blend is the premultiplied "source over" skia uses: `out = dst * (1 - m) + colour * m`
  with m = coverage × alpha, rounded once per channel.

Measured against one `drawCircle` per dab on the dabs brush (5,000 touches on 1024², the
built-in picture and a photograph): a mean difference of 0.7-0.8 levels (of 255), 77-80 % of
pixels within 1 level and 98 % within 3, and single rim pixels up to ~38 levels where a dab's
edge lands 1/16 px elsewhere (skia's own rim moves as much between radii 1/64 px apart).

Dabs this cannot place exactly fall back to `drawCircle`, in order: radii under MIN_RADIUS or
over MAX_RADIUS (big dabs are mostly interior, where a blit gains little), non-finite values,
and canvases with a transform or a clip (the blit writes pixels directly).
"""

from __future__ import annotations

import importlib
import itertools
from collections import deque
from typing import NamedTuple

import numpy as np
import skia
from PIL import Image

try:
    # By name: the import checker sees no compiled module, and would read
    # `from artkit import _discblit` as an import of the whole package (the app included).
    _discblit = importlib.import_module("artkit._discblit")
except ImportError:   # built without a C compiler: Pillow blends the same bytes, more slowly
    _discblit = None

__all__ = ["render_circles", "compiled_blitter", "draws_into", "SUBPIXEL", "RADIUS_STEPS", "MIN_RADIUS",
           "MAX_RADIUS"]

SUBPIXEL = 8         # positions within a pixel, per axis
RADIUS_STEPS = 8     # radii per pixel
MIN_RADIUS = 0.5     # px: smaller dabs are drawn exactly (they cost little either way)
MAX_RADIUS = 12.0    # px: bigger ones too (mostly interior; 1/8 px steps would need many masks)
_PAD = 1             # px of clear mask around a disc, for its antialiased rim
_MAX_MASKS = 100_000  # past this many kept masks (many alphas and radii), start afresh
# Radius steps a mask may have, and how many: a mask's slot in the atlas's table (see _slots).
_MIN_STEPS = int(np.floor(MIN_RADIUS * RADIUS_STEPS))
_N_STEPS = int(np.ceil(MAX_RADIUS * RADIUS_STEPS)) - _MIN_STEPS + 1
_CELLS = SUBPIXEL ** 2   # masks of one alpha and radius, one per sub-pixel offset
_FAR = 2.0 ** 30     # px: a mask's corner farther off than this is put here (still off the
                     # canvas, and its pixel coordinates fit the C loop's int32)


def render_circles(sk_canvas: skia.Canvas, pixels: np.ndarray, strokes, draw_exact) -> None:
    """Draw a batch of round dabs (an `artkit.strokes.Strokes` of kind CIRCLE, already at
    device scale) into `pixels`, the (H, W, 4) RGBA premultiplied array `sk_canvas` draws
    into. `draw_exact(lo, hi)` draws dabs lo..hi one skia call each: used, in order, for the
    dabs a mask can't stand for."""
    n = len(strokes)
    if not draws_into(sk_canvas, pixels):
        draw_exact(0, n)
        return
    centres = strokes.points[:, 0, :].astype(np.float64)
    radii = strokes.width.astype(np.float64) * 0.5
    # x + y is not finite when x or y isn't (inf - inf is nan): cheaper than a test per column.
    fits = np.isfinite(centres[:, 0] + centres[:, 1]) \
        & (radii >= MIN_RADIUS) & (radii <= MAX_RADIUS)
    blit = _blit_pillow if _discblit is None else _blit_c
    if fits.all():
        blit(pixels, _placed(centres, radii, strokes.rgba))
        return
    dabs = _placed(centres[fits], radii[fits], strokes.rgba[fits])
    # Runs of dabs that fit and dabs that don't, drawn in the batch's order.
    edges = np.flatnonzero(np.diff(fits.astype(np.int8))) + 1
    bounds = np.concatenate([[0], edges, [n]]).tolist()
    done = 0   # blits used so far
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        if fits[lo]:
            blit(pixels, dabs.part(done, done + hi - lo))
            done += hi - lo
        else:
            draw_exact(lo, hi)


def compiled_blitter(strokes):
    """`blit(pixels, (y0, y1))`: a batch of round dabs (at device scale) blended into rows
    y0..y1-1 of a canvas array by the compiled loop, with every mask made now (in the calling
    thread: the atlas is not for threads to grow); None when a dab needs skia or the loop
    isn't built (see `artkit.strokes.compiled_drawer`)."""
    if _discblit is None:
        return None
    centres = strokes.points[:, 0, :].astype(np.float64)
    radii = strokes.width.astype(np.float64) * 0.5
    if not (np.isfinite(centres[:, 0] + centres[:, 1]).all()
            and radii.min() >= MIN_RADIUS and radii.max() <= MAX_RADIUS):
        return None
    dabs = _placed(centres, radii, strokes.rgba)
    atlas = _masks.atlas   # this array: a later one may replace it, never change these bytes
    return lambda pixels, rows: _discblit.blit(pixels, atlas, dabs.x0, dabs.y0, dabs.side,
                                               dabs.offset, dabs.rgb, *rows)


def draws_into(sk_canvas: skia.Canvas, pixels: np.ndarray) -> bool:
    """True when a pixel of `pixels` is a device pixel of `sk_canvas`: no transform, no clip,
    RGBA bytes in one block. Then marks may be written into the array directly (these dabs,
    and the lines of `artkit._hairs`)."""
    h, w = pixels.shape[:2]
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] != 4 \
            or not pixels.flags.c_contiguous:
        return False
    if not sk_canvas.getTotalMatrix().isIdentity() or not sk_canvas.isClipRect():
        return False
    size = sk_canvas.getBaseLayerSize()
    return (size.width(), size.height()) == (w, h) \
        and tuple(sk_canvas.getDeviceClipBounds()) == (0, 0, w, h)


class _Dabs(NamedTuple):
    """A batch of dabs ready to blit, one array row a dab: the mask's top-left pixel on the
    canvas, its side, where it starts in the atlas and its slot (see _slots), and the dab's
    colour."""
    x0: np.ndarray       # int32
    y0: np.ndarray       # int32
    side: np.ndarray     # int32
    offset: np.ndarray   # int32
    slot: np.ndarray     # int64
    rgb: np.ndarray      # (n, 3) uint8

    def part(self, lo: int, hi: int) -> "_Dabs":
        return _Dabs(*(column[lo:hi] for column in self))


def _placed(centres: np.ndarray, radii: np.ndarray, rgba: np.ndarray) -> _Dabs:
    """Each dab's nearest mask (made now if it's new) and where it goes on the canvas."""
    steps = np.rint(radii * RADIUS_STEPS).astype(np.int64)
    r = steps / RADIUS_STEPS
    # The mask's top-left corner to the nearest 1/SUBPIXEL px: its pixel, and the disc's
    # sub-pixel offset inside it.
    corner = np.clip(centres - (r + _PAD)[:, None], -_FAR, _FAR)
    fine = np.rint(corner * SUBPIXEL).astype(np.int64)
    whole, frac = fine // SUBPIXEL, fine % SUBPIXEL
    slots = _slots(rgba[:, 3].astype(np.int64), steps, frac[:, 0], frac[:, 1])
    offsets = _masks.offsets(slots)
    corner_px = whole.T.astype(np.int32, order="C")   # rows x0 and y0, each contiguous
    return _Dabs(corner_px[0], corner_px[1], _SIDES[steps], offsets, slots,
                 np.ascontiguousarray(rgba[:, :3]))


def _slots(alpha, steps, fx, fy) -> np.ndarray:
    """Each mask's place in the atlas's table: one for every alpha, radius step and sub-pixel
    offset (those of one alpha and radius side by side, as _rasterise draws them)."""
    return ((alpha * _N_STEPS + (steps - _MIN_STEPS)) * SUBPIXEL + fy) * SUBPIXEL + fx


def _blit_c(pixels: np.ndarray, dabs: _Dabs) -> None:
    _discblit.blit(pixels, _masks.atlas, dabs.x0, dabs.y0, dabs.side, dabs.offset, dabs.rgb)


def _blit_pillow(pixels: np.ndarray, dabs: _Dabs) -> None:
    """One Pillow paste(colour, box, mask) per dab, called from C (`itertools.starmap`)."""
    h, w = pixels.shape[:2]
    # Pillow's RGBX image over the canvas's own memory: paste() writes the canvas directly.
    paste = Image.frombuffer("RGBX", (w, h), pixels, "raw", "RGBX", 0, 1).im.paste
    x0, y0 = dabs.x0.astype(np.int64), dabs.y0.astype(np.int64)
    boxes = zip(x0.tolist(), y0.tolist(), (x0 + dabs.side).tolist(), (y0 + dabs.side).tolist())
    colour = dabs.rgb.T.tolist()
    # The 4th byte is premultiplied alpha: blending it towards 255 by m is "source over".
    inks = zip(colour[0], colour[1], colour[2], itertools.repeat(255))
    deque(itertools.starmap(paste, zip(inks, boxes, _masks.pillow_masks(dabs))), maxlen=0)


def _side(steps):
    """The side of a mask for radius steps/RADIUS_STEPS: the disc's diameter, its rim and
    the largest sub-pixel offset."""
    return -(-2 * steps // RADIUS_STEPS) + 2 * _PAD + 1


_SIDES = _side(np.arange(_MIN_STEPS + _N_STEPS, dtype=np.int32))   # int32, by radius steps
# Offsets into the atlas are int32 (the C loop's), so _MAX_MASKS of the biggest masks must fit.
assert _MAX_MASKS * int(_SIDES[-1]) ** 2 < 2 ** 31 - 1


class _MaskAtlas:
    """Every mask this process has made, side × side bytes each, one after another in one
    growing byte array (the C loop reads them there), and where each slot's mask starts."""

    def __init__(self):
        self.clear()

    def clear(self) -> None:
        """Forget every mask: they are made again as dabs need them."""
        self.atlas = np.zeros(0, np.uint8)   # its first `used` bytes hold the masks
        self.used = 0
        self.count = 0
        # Where each slot's mask starts, plus one (0: not made yet); made on first use.
        self._starts: np.ndarray | None = None
        self._images: dict[int, object] = {}   # slot -> Pillow "L" image, for the fallback

    def offsets(self, slots: np.ndarray) -> np.ndarray:
        """Where each slot's mask starts in the atlas (int32), making the new ones."""
        starts = self._table()[slots]
        missing = starts == 0
        if missing.any():
            new = np.unique(slots[missing] // _CELLS)
            if self.count + _CELLS * len(new) > _MAX_MASKS:
                self.clear()
                new = np.unique(slots // _CELLS)
            for group in new.tolist():
                self._add(group, _rasterise(*divmod(group, _N_STEPS)))
            starts = self._table()[slots]
        return starts - 1

    def pillow_masks(self, dabs: _Dabs) -> list:
        """The dabs' masks as Pillow "L" images (Pillow's paste() takes those), each made
        once."""
        images = self._images
        slots, first = np.unique(dabs.slot, return_index=True)
        for slot, side, start in zip(slots.tolist(), dabs.side[first].tolist(),
                                     dabs.offset[first].tolist()):
            if slot not in images:
                mask = self.atlas[start:start + side * side].tobytes()
                images[slot] = Image.frombytes("L", (side, side), mask).im
        return list(map(images.__getitem__, dabs.slot.tolist()))

    def _table(self) -> np.ndarray:
        if self._starts is None:
            # np.zeros leaves pages nobody writes unmapped: only the slots in use take memory.
            self._starts = np.zeros(256 * _N_STEPS * _CELLS, np.int32)
        return self._starts

    def _add(self, group: int, masks: np.ndarray) -> None:
        """Keep the masks (SUBPIXEL², side, side) of one alpha and radius (see _slots)."""
        size = masks.size
        if self.used + size > len(self.atlas):
            grown = np.empty(max(2 * len(self.atlas), self.used + size, 1 << 16), np.uint8)
            grown[:self.used] = self.atlas[:self.used]
            self.atlas = grown
        self.atlas[self.used:self.used + size] = masks.ravel()
        slots = slice(group * _CELLS, (group + 1) * _CELLS)
        self._table()[slots] = self.used + 1 + size // _CELLS * np.arange(_CELLS)
        self.used += size
        self.count += _CELLS


_masks = _MaskAtlas()


def _rasterise(alpha: int, step_index: int) -> np.ndarray:
    """The masks (SUBPIXEL², side, side) of the discs of one alpha and radius (steps
    _MIN_STEPS + step_index), one for every sub-pixel offset (fy * SUBPIXEL + fx), drawn with
    skia (antialiased, the alpha in the paint, as `drawCircle` draws a dab). They are drawn
    on one small alpha-only grid, each sub-pixel offset in a cell of its own at the same place
    every time: skia's rounding depends on where a disc lies, and a mask must not depend on
    which others were made with it (a worker process makes its own). All of them at once,
    though a batch may want only some: the grid costs as much as ten discs, and a painting
    soon wants them all."""
    steps = _MIN_STEPS + step_index
    side = int(_side(steps))
    grid = np.zeros((side * SUBPIXEL, side * SUBPIXEL), np.uint8)
    surface = skia.Surface(grid, colorType=skia.kAlpha_8_ColorType,
                           alphaType=skia.kPremul_AlphaType)
    canvas = surface.getCanvas()
    paint = skia.Paint(AntiAlias=True)
    paint.setColor((alpha << 24) | 0xFFFFFF)
    r = steps / RADIUS_STEPS
    fy, fx = np.divmod(np.arange(_CELLS), SUBPIXEL)
    xs = (fx * side + _PAD + r + fx / SUBPIXEL).tolist()
    ys = (fy * side + _PAD + r + fy / SUBPIXEL).tolist()
    draw = canvas.drawCircle
    for x, y in zip(xs, ys):
        draw(x, y, r, paint)
    del canvas, surface   # skia is done with the grid's memory
    return grid.reshape(SUBPIXEL, side, SUBPIXEL, side).swapaxes(1, 2).reshape(-1, side, side)
