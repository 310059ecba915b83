"""Canvas: a skia raster surface drawing into a numpy pixel array, with p5.js-style drawing.

The pixels live in one numpy array of shape (height, width, 4), uint8, RGBA with premultiplied
alpha (after a background the canvas is opaque, so premultiplication changes nothing you see).
skia draws straight into that array; `pixels()` hands it out without copying, and the app
wraps the same memory as a pygame Surface (`artkit.app.views`), so the window shows the canvas
without a copy. Nothing here imports pygame.

Drawing follows p5.js: a style state (fill, stroke, stroke weight, caps, rect/ellipse modes,
colour mode, text size) and a transform, both saved by `push()` and restored by `pop()`.
Shapes are antialiased. Angles are radians; `rotate` turns clockwise on screen (y points down).
Every style change updates one of two prebuilt `skia.Paint` objects, so drawing a shape is a
single skia call plus a little Python.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import math
import numbers
import os
from pathlib import Path

import numpy as np
import skia

from artkit.version import __version__
from artkit.color import ColourMode, colour_mode as _make_colour_mode, to_rgba
from artkit.errors import ArtkitError
from artkit.files import atomic_write, check_writable, missing_folder
from artkit.strokes import render_strokes

__all__ = [
    "Canvas", "read_provenance", "check_can_save", "check_canvas_size", "largest_canvas",
    "max_canvas_scale", "max_canvas_bytes", "canvas_gigabytes",
    "CORNER", "CORNERS", "CENTER", "RADIUS",
    "ROUND", "SQUARE", "PROJECT", "MITER", "BEVEL",
    "OPEN", "CHORD", "PIE", "CLOSE",
    "POINTS", "LINES", "TRIANGLES", "TRIANGLE_FAN", "TRIANGLE_STRIP", "QUADS", "QUAD_STRIP",
    "LEFT", "RIGHT", "TOP", "BOTTOM", "BASELINE",
]

# p5.js constants, as readable strings (so a typo'd string gets a clear message).
CORNER, CORNERS, CENTER, RADIUS = "corner", "corners", "center", "radius"
ROUND, SQUARE, PROJECT = "round", "square", "project"
MITER, BEVEL = "miter", "bevel"
OPEN, CHORD, PIE = "open", "chord", "pie"
CLOSE = "close"
POINTS, LINES, TRIANGLES = "points", "lines", "triangles"
TRIANGLE_FAN, TRIANGLE_STRIP, QUADS, QUAD_STRIP = "triangle_fan", "triangle_strip", "quads", "quad_strip"
LEFT, RIGHT, TOP, BOTTOM, BASELINE = "left", "right", "top", "bottom", "baseline"

_CAPS = {ROUND: skia.Paint.kRound_Cap, SQUARE: skia.Paint.kButt_Cap, PROJECT: skia.Paint.kSquare_Cap}
_JOINS = {ROUND: skia.Paint.kRound_Join, MITER: skia.Paint.kMiter_Join, BEVEL: skia.Paint.kBevel_Join}
_BOX_MODES = (CORNER, CORNERS, CENTER, RADIUS)
_SHAPE_KINDS = (None, POINTS, LINES, TRIANGLES, TRIANGLE_FAN, TRIANGLE_STRIP, QUADS, QUAD_STRIP)
_SAVE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP", ".bmp": "BMP",
                 ".tif": "TIFF", ".tiff": "TIFF"}
_PROVENANCE_KEY = "artkit-provenance"
_MAX_SIDE = 32768
_TWO_PI = 2.0 * math.pi


def _argb(rgba) -> int:
    r, g, b, a = rgba
    return (a << 24) | (r << 16) | (g << 8) | b


def _choice(value, allowed, what: str):
    key = value.lower() if isinstance(value, str) else value
    if key not in allowed:
        names = ", ".join(str(a).upper() for a in allowed if a is not None)
        raise ArtkitError(f"{what} must be one of {names}, not {value!r}.")
    return key


def _refuse_non_numbers(name: str, args) -> None:
    """After skia refused a call: raise a plain ArtkitError if an argument isn't a number."""
    for value in args:
        if not isinstance(value, numbers.Real) or isinstance(value, bool):
            raise ArtkitError(
                f"{name}() needs numbers, but got {value!r}; write something like "
                f"{name}(100, 100, ...)."
            ) from None


def _numbers_only(method):
    """Turn skia's TypeError for a non-number argument into a plain ArtkitError.

    The check runs only after skia has refused the call, so drawing pays nothing for it.
    """
    name = method.__name__

    @functools.wraps(method)
    def checked(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except TypeError:
            _refuse_non_numbers(name, list(args) + list(kwargs.values()))
            raise

    return checked


def _pixel_count(name: str, side) -> int:
    """A canvas side as an int: whole numbers only (100.0 is fine), 1 to _MAX_SIDE."""
    whole = isinstance(side, numbers.Integral) or (
        isinstance(side, numbers.Real) and math.isfinite(side) and float(side).is_integer())
    if not whole or isinstance(side, bool):
        raise ArtkitError(f"The canvas {name} must be a whole number of pixels, not {side!r}.")
    if not 1 <= side <= _MAX_SIDE:
        raise ArtkitError(f"The canvas {name} must be between 1 and {_MAX_SIDE} pixels, not {side}.")
    return int(side)


# skia refuses surfaces of 2**31 bytes or more (4 bytes a pixel: 23170x23170 at most), and
# saving holds about two more copies of the pixels (unpremultiplied, then Pillow's), so a
# canvas may also take at most a third of this computer's memory.
_MAX_SURFACE_BYTES = 2 ** 31 - 1
_COPIES_WHEN_SAVING = 3


def max_canvas_bytes() -> int:
    """The most bytes a canvas may take here: skia's limit, or a third of the memory."""
    limit = _MAX_SURFACE_BYTES
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):   # no sysconf (Windows): skia's limit only
        memory = 0
    if memory > 0:
        limit = min(limit, memory // _COPIES_WHEN_SAVING)
    return limit


def largest_canvas(width: int, height: int) -> tuple[int, int]:
    """The biggest canvas of the shape width x height that can be made here."""
    limit = max_canvas_bytes() // 4
    k = math.sqrt(limit / (width * height))
    w = max(1, min(_MAX_SIDE, int(width * k)))
    h = max(1, min(_MAX_SIDE, int(height * k)))
    while w * h > limit:   # rounding: take a pixel off the longer side until it fits
        if w >= h:
            w -= 1
        else:
            h -= 1
    return w, h


def max_canvas_scale(width: int, height: int) -> float:
    """The largest scale (to 2 decimals, rounded down) at which a width x height painting fits
    on a canvas here."""
    limit = max_canvas_bytes() // 4
    k = math.floor(min(math.sqrt(limit / (width * height)), _MAX_SIDE / max(width, height))
                   * 100) / 100

    def fits(k):
        w, h = max(1, round(width * k)), max(1, round(height * k))
        return w * h <= limit and max(w, h) <= _MAX_SIDE

    while k > 0 and not fits(k):
        k = round(k - 0.01, 2)
    return max(k, 0.0)


def canvas_gigabytes(width: int, height: int) -> str:
    """'2.4 GB': what a width x height canvas takes, for messages."""
    return f"{width * height * 4 / 2**30:.1f} GB"


def check_canvas_size(width: int, height: int, what: str = "A canvas") -> None:
    """Raise an ArtkitError naming the largest canvas of this shape when width x height is too
    big to draw on here (before anything is allocated, so it fails at once)."""
    if width * height * 4 <= max_canvas_bytes():
        return
    w, h = largest_canvas(width, height)
    raise ArtkitError(f"{what} of {width}x{height} pixels would need "
                      f"{canvas_gigabytes(width, height)}, more than the "
                      f"{max_canvas_bytes() / 2**30:.1f} GB artkit can draw on here; the largest "
                      f"of that shape is {w}x{h}.")


class _Style:
    """Everything push()/pop() saves apart from the transform."""

    __slots__ = ("fill", "stroke", "weight", "cap", "join", "rect_mode", "ellipse_mode",
                 "image_mode", "mode", "text_size", "text_align", "text_baseline",
                 "curve_tightness")

    def __init__(self):
        self.fill = (255, 255, 255, 255)       # p5 default: white fill, black 1-px stroke
        self.stroke = (0, 0, 0, 255)
        self.weight = 1.0
        self.cap = ROUND
        self.join = MITER
        self.rect_mode = CORNER
        self.ellipse_mode = CENTER
        self.image_mode = CORNER
        self.mode = ColourMode()
        self.text_size = 12.0
        self.text_align = LEFT
        self.text_baseline = BASELINE
        self.curve_tightness = 0.0

    def copy(self) -> "_Style":
        other = _Style.__new__(_Style)
        for slot in _Style.__slots__:
            setattr(other, slot, getattr(self, slot))
        return other


@functools.lru_cache(maxsize=1)
def _default_typeface() -> skia.Typeface:
    """The system's default sans typeface; pygame's bundled font if the system has none."""
    typeface = skia.FontMgr().matchFamilyStyle(None, skia.FontStyle())
    if typeface is not None and typeface.countGlyphs() > 0:
        return typeface
    spec = importlib.util.find_spec("pygame")  # finds the file without importing pygame
    if spec and spec.origin:
        bundled = Path(spec.origin).parent / "freesansbold.ttf"
        if bundled.exists():
            typeface = skia.Typeface.MakeFromFile(str(bundled))
            if typeface is not None:
                return typeface
    return skia.Typeface.MakeEmpty()


class Canvas:
    """A width x height picture you draw on with p5.js-style calls.

    `sk` is the underlying `skia.Canvas` (the stroke renderer draws with it directly) and
    `surface` the `skia.Surface`; both draw into the array that `pixels()` returns.
    """

    def __init__(self, width: int, height: int, background="white"):
        self.width = _pixel_count("width", width)
        self.height = _pixel_count("height", height)
        check_canvas_size(self.width, self.height)   # skia's limit and memory, before allocating
        self._pixels = np.zeros((self.height, self.width, 4), dtype=np.uint8)
        self.surface = skia.Surface(self._pixels, colorType=skia.kRGBA_8888_ColorType,
                                    alphaType=skia.kPremul_AlphaType)
        self.sk = self.surface.getCanvas()
        self._style = _Style()
        self._stack: list[_Style] = []
        self._fill_paint = skia.Paint(AntiAlias=True, Style=skia.Paint.kFill_Style)
        self._stroke_paint = skia.Paint(AntiAlias=True, Style=skia.Paint.kStroke_Style)
        self._font: skia.Font | None = None  # made by the first text(): see _text_font
        self._shape: list | None = None
        self._shape_kind = None
        self._apply_style()
        if background is not None:
            self.background(background)

    @classmethod
    def from_array(cls, array) -> "Canvas":
        """A new canvas holding a copy of an (H, W, 3) or (H, W, 4) uint8 array (RGB or RGBA)."""
        arr = _as_rgba_array(array, "Canvas.from_array")
        canvas = cls(arr.shape[1], arr.shape[0], background=None)
        canvas._pixels[...] = _premultiply(arr)
        return canvas

    # ------------------------------------------------------------------ style
    def _apply_style(self) -> None:
        style = self._style
        if style.fill is not None:
            self._fill_paint.setColor(_argb(style.fill))
        if style.stroke is not None:
            self._stroke_paint.setColor(_argb(style.stroke))
        self._stroke_paint.setStrokeWidth(style.weight)
        self._stroke_paint.setStrokeCap(_CAPS[style.cap])
        self._stroke_paint.setStrokeJoin(_JOINS[style.join])
        self._update_flags()

    def _update_flags(self) -> None:
        # Two booleans the primitives test on every call, kept in step with the style.
        style = self._style
        self._filling = style.fill is not None
        self._stroking = style.stroke is not None and style.weight > 0

    def _colour(self, args) -> tuple[int, int, int, int]:
        if not args:
            raise ArtkitError("A colour is missing: give a name like 'red' or numbers like (255, 136, 0).")
        return to_rgba(args[0] if len(args) == 1 else args, self._style.mode)

    def fill(self, *colour) -> None:
        """Fill shapes with this colour (any form `artkit.color.to_rgba` accepts)."""
        rgba = self._colour(colour)
        self._style.fill = rgba
        self._fill_paint.setColor(_argb(rgba))
        self._filling = True

    def no_fill(self) -> None:
        self._style.fill = None
        self._filling = False

    def stroke(self, *colour) -> None:
        """Outline shapes and draw lines in this colour."""
        rgba = self._colour(colour)
        self._style.stroke = rgba
        self._stroke_paint.setColor(_argb(rgba))
        self._stroking = self._style.weight > 0

    def no_stroke(self) -> None:
        self._style.stroke = None
        self._stroking = False

    @_numbers_only
    def stroke_weight(self, weight: float) -> None:
        """Line thickness in pixels; 0 or less hides outlines (unlike a 1-px hairline)."""
        weight = float(weight)
        if math.isnan(weight):
            raise ArtkitError("stroke_weight() got NaN (not a number); check the maths that made it.")
        self._style.weight = weight
        self._stroke_paint.setStrokeWidth(max(weight, 0.0))
        self._update_flags()

    def stroke_cap(self, cap: str) -> None:
        """Line ends: ROUND (default), SQUARE (flat at the end point) or PROJECT (flat, extended)."""
        cap = _choice(cap, _CAPS, "stroke_cap()")
        self._style.cap = cap
        self._stroke_paint.setStrokeCap(_CAPS[cap])

    def stroke_join(self, join: str) -> None:
        """Corners of outlines: MITER (default), BEVEL or ROUND."""
        join = _choice(join, _JOINS, "stroke_join()")
        self._style.join = join
        self._stroke_paint.setStrokeJoin(_JOINS[join])

    def colour_mode(self, mode, *maxes: float) -> None:
        """How colour numbers are read, like p5's colorMode: `colour_mode(HSB)`,
        `colour_mode(HSB, 360, 100, 100, 1)`, `colour_mode(RGB, 1)`."""
        self._style.mode = _make_colour_mode(mode, *maxes)

    color_mode = colour_mode

    def rect_mode(self, mode: str) -> None:
        """How rect()/square() read their numbers: CORNER (default), CORNERS, CENTER or RADIUS."""
        self._style.rect_mode = _choice(mode, _BOX_MODES, "rect_mode()")

    def ellipse_mode(self, mode: str) -> None:
        """How ellipse()/circle()/arc() read their numbers: CENTER (default), CORNER, CORNERS or RADIUS."""
        self._style.ellipse_mode = _choice(mode, _BOX_MODES, "ellipse_mode()")

    def image_mode(self, mode: str) -> None:
        """How image() reads its position: CORNER (default), CORNERS or CENTER."""
        self._style.image_mode = _choice(mode, (CORNER, CORNERS, CENTER), "image_mode()")

    @_numbers_only
    def text_size(self, size: float) -> None:
        size = float(size)
        if not size > 0:
            raise ArtkitError(f"text_size() needs a size above 0, not {size}.")
        self._style.text_size = size

    def text_align(self, horizontal: str, vertical: str = BASELINE) -> None:
        """Where text() puts its point: LEFT/CENTER/RIGHT and TOP/CENTER/BASELINE/BOTTOM."""
        self._style.text_align = _choice(horizontal, (LEFT, CENTER, RIGHT), "text_align()")
        self._style.text_baseline = _choice(vertical, (TOP, CENTER, BASELINE, BOTTOM),
                                            "text_align()'s second value")

    @_numbers_only
    def curve_tightness(self, amount: float) -> None:
        """How tight curve()/curve_vertex() bend: 0 is Catmull-Rom (default), 1 straight lines."""
        self._style.curve_tightness = float(amount)

    # ------------------------------------------------------------ transforms
    @_numbers_only
    def translate(self, x: float, y: float) -> None:
        self.sk.translate(x, y)

    @_numbers_only
    def rotate(self, angle: float) -> None:
        """Turn the drawing by `angle` radians (clockwise on screen)."""
        self.sk.rotate(math.degrees(angle))

    @_numbers_only
    def scale(self, sx: float, sy: float | None = None) -> None:
        self.sk.scale(sx, sx if sy is None else sy)

    def push(self) -> None:
        """Save the style and the transform; pop() brings them back."""
        self._stack.append(self._style.copy())
        self.sk.save()

    def pop(self) -> None:
        if not self._stack:
            raise ArtkitError("pop() was called without a push() before it; every pop() needs its own push().")
        self._style = self._stack.pop()
        self.sk.restore()
        self._apply_style()

    @contextlib.contextmanager
    def pushed(self):
        """`with canvas.pushed(): ...` saves style and transform and restores them afterwards."""
        self.push()
        try:
            yield self
        finally:
            self.pop()

    # ------------------------------------------------------------ primitives
    def background(self, *colour) -> None:
        """Cover the whole canvas (ignoring the transform), blending if the colour is translucent."""
        self.sk.drawColor(_argb(self._colour(colour)), skia.BlendMode.kSrcOver)

    def clear(self) -> None:
        """Make every pixel fully transparent."""
        self.sk.clear(skia.ColorTRANSPARENT)

    def _both(self, draw, *args) -> None:
        """draw(*args, paint) with the fill paint, then the stroke paint (p5's order)."""
        if self._filling:
            draw(*args, self._fill_paint)
        if self._stroking:
            draw(*args, self._stroke_paint)

    # The most used primitives check their arguments only when skia refuses them (see
    # _numbers_only), inline, to keep the per-call cost close to skia's own.
    def point(self, x: float, y: float) -> None:
        """A dot the size of the stroke weight, in the stroke colour."""
        if self._stroking:
            try:
                self.sk.drawPoint(x, y, self._stroke_paint)
            except TypeError:
                _refuse_non_numbers("point", (x, y))
                raise

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        if self._stroking:
            try:
                self.sk.drawLine(x1, y1, x2, y2, self._stroke_paint)
            except TypeError:
                _refuse_non_numbers("line", (x1, y1, x2, y2))
                raise

    @_numbers_only
    def rect(self, x: float, y: float, w: float, h: float | None = None, *radii: float) -> None:
        """A rectangle read by rect_mode (CORNER: x, y, w, h); optional corner radii: one for all
        corners, or four (top-left, top-right, bottom-right, bottom-left)."""
        box = _box(self._style.rect_mode, x, y, w, w if h is None else h)
        if not radii:
            self._both(self.sk.drawRect, box)
            return
        if len(radii) == 1:
            radii = radii * 4
        elif len(radii) != 4:
            raise ArtkitError("rect() takes 1 or 4 corner radii after x, y, w, h.")
        limit = min(box.width(), box.height()) / 2.0
        corners = [skia.Point(min(max(r, 0.0), limit), min(max(r, 0.0), limit)) for r in radii]
        rrect = skia.RRect()
        rrect.setRectRadii(box, corners)
        self._both(self.sk.drawRRect, rrect)

    @_numbers_only
    def square(self, x: float, y: float, size: float, *radii: float) -> None:
        self.rect(x, y, size, size, *radii)

    @_numbers_only
    def ellipse(self, x: float, y: float, w: float, h: float | None = None) -> None:
        """An ellipse read by ellipse_mode (CENTER: centre x, y, width w, height h)."""
        box = _box(self._style.ellipse_mode, x, y, w, w if h is None else h)
        self._both(self.sk.drawOval, box)

    def circle(self, x: float, y: float, d: float) -> None:
        """A circle of diameter d (centred on x, y in the default ellipse_mode)."""
        if self._style.ellipse_mode != CENTER:
            self.ellipse(x, y, d, d)
            return
        try:
            r = abs(d) * 0.5  # the common case, without building a Rect
            if self._filling:
                self.sk.drawCircle(x, y, r, self._fill_paint)
            if self._stroking:
                self.sk.drawCircle(x, y, r, self._stroke_paint)
        except TypeError:
            _refuse_non_numbers("circle", (x, y, d))
            raise

    @_numbers_only
    def arc(self, x: float, y: float, w: float, h: float, start: float, stop: float,
            mode: str | None = None) -> None:
        """Part of an ellipse from angle `start` to `stop` (radians, clockwise from 3 o'clock).

        As in p5: with no mode the fill is a pie slice and the outline open; OPEN and CHORD fill
        the chord (CHORD also outlines it); PIE fills and outlines the slice.
        """
        if mode is not None:
            mode = _choice(mode, (OPEN, CHORD, PIE), "arc()'s mode")
        box = _box(self._style.ellipse_mode, x, y, w, h)
        if not stop - start < _TWO_PI - 1e-9:
            self._both(self.sk.drawOval, box)
            return
        rx, ry = box.width() / 2.0, box.height() / 2.0
        # p5 aims each angle along a ray from the centre; skia's are parametric: convert.
        t0 = math.atan2(rx * math.sin(start), ry * math.cos(start))
        t1 = math.atan2(rx * math.sin(stop), ry * math.cos(stop))
        sweep = (t1 - t0) % _TWO_PI
        if sweep < 1e-9:
            self._both(self.sk.drawOval, box)
            return
        start_deg, sweep_deg = math.degrees(t0), math.degrees(sweep)
        style = self._style
        if style.fill is not None:
            path = skia.Path()
            path.arcTo(box, start_deg, sweep_deg, True)
            if mode in (None, PIE):
                path.lineTo(box.centerX(), box.centerY())
            path.close()
            self.sk.drawPath(path, self._fill_paint)
        if self._stroking:
            path = skia.Path()
            path.arcTo(box, start_deg, sweep_deg, True)
            if mode == PIE:
                path.lineTo(box.centerX(), box.centerY())
                path.close()
            elif mode == CHORD:
                path.close()
            self.sk.drawPath(path, self._stroke_paint)

    @_numbers_only
    def triangle(self, x1: float, y1: float, x2: float, y2: float, x3: float, y3: float) -> None:
        self._both(self.sk.drawPath, _polygon(x1, y1, x2, y2, x3, y3))

    @_numbers_only
    def quad(self, x1: float, y1: float, x2: float, y2: float,
             x3: float, y3: float, x4: float, y4: float) -> None:
        self._both(self.sk.drawPath, _polygon(x1, y1, x2, y2, x3, y3, x4, y4))

    @_numbers_only
    def bezier(self, x1: float, y1: float, cx1: float, cy1: float,
               cx2: float, cy2: float, x2: float, y2: float) -> None:
        """A cubic Bezier curve from (x1, y1) to (x2, y2) pulled towards two control points."""
        path = skia.Path()
        path.moveTo(x1, y1)
        path.cubicTo(cx1, cy1, cx2, cy2, x2, y2)
        self._both(self.sk.drawPath, path)

    @_numbers_only
    def curve(self, x1: float, y1: float, x2: float, y2: float,
              x3: float, y3: float, x4: float, y4: float) -> None:
        """A Catmull-Rom curve from (x2, y2) to (x3, y3); the outer points steer it (p5's curve)."""
        path = skia.Path()
        path.moveTo(x2, y2)
        _catmull_rom_to(path, (x1, y1), (x2, y2), (x3, y3), (x4, y4), self._style.curve_tightness)
        self._both(self.sk.drawPath, path)

    # ------------------------------------------------------------ shapes
    def begin_shape(self, kind: str | None = None) -> None:
        """Start collecting vertices; kind is None (one polygon) or POINTS, LINES, TRIANGLES,
        TRIANGLE_FAN, TRIANGLE_STRIP, QUADS or QUAD_STRIP."""
        self._shape_kind = _choice(kind, _SHAPE_KINDS, "begin_shape()'s kind")
        self._shape = [[]]  # a list of contours, each a list of vertex records

    def _shape_add(self, record: tuple, name: str) -> None:
        if self._shape is None:
            raise ArtkitError(f"{name}() must come between begin_shape() and end_shape().")
        self._shape[-1].append(record)

    @_numbers_only
    def vertex(self, x: float, y: float) -> None:
        self._shape_add(("v", float(x), float(y)), "vertex")

    @_numbers_only
    def curve_vertex(self, x: float, y: float) -> None:
        """A point of a Catmull-Rom curve; the first and last of a run only steer the curve."""
        self._shape_add(("c", float(x), float(y)), "curve_vertex")

    @_numbers_only
    def bezier_vertex(self, cx1: float, cy1: float, cx2: float, cy2: float, x: float, y: float) -> None:
        self._shape_add(("b", float(cx1), float(cy1), float(cx2), float(cy2), float(x), float(y)),
                        "bezier_vertex")

    @_numbers_only
    def quadratic_vertex(self, cx: float, cy: float, x: float, y: float) -> None:
        self._shape_add(("q", float(cx), float(cy), float(x), float(y)), "quadratic_vertex")

    def begin_contour(self) -> None:
        """Start a hole inside the shape (wind it the other way round from the outline)."""
        if self._shape is None:
            raise ArtkitError("begin_contour() must come between begin_shape() and end_shape().")
        self._shape.append([])

    def end_contour(self) -> None:
        if self._shape is None:
            raise ArtkitError("end_contour() must come between begin_shape() and end_shape().")

    def end_shape(self, close: str | None = None) -> None:
        """Draw the collected vertices; end_shape(CLOSE) joins the last point to the first."""
        if self._shape is None:
            raise ArtkitError("end_shape() was called without a begin_shape() before it.")
        if close is not None:
            _choice(close, (CLOSE,), "end_shape()'s argument")
        contours, kind = self._shape, self._shape_kind
        self._shape, self._shape_kind = None, None
        if kind is None:
            path = skia.Path()
            for number, contour in enumerate(contours):
                # The outline closes on CLOSE; holes (contours) always close, as in p5.
                _add_contour(path, contour, number > 0 or close is not None,
                             self._style.curve_tightness)
            self._both(self.sk.drawPath, path)
            return
        points = [(r[-2], r[-1]) for contour in contours for r in contour]
        if kind == POINTS:
            if self._stroking:
                self.sk.drawPoints(skia.Canvas.kPoints_PointMode,
                                   [skia.Point(x, y) for x, y in points], self._stroke_paint)
            return
        for group, closed in _shape_groups(kind, points):
            path = skia.Path()
            path.moveTo(*group[0])
            for p in group[1:]:
                path.lineTo(*p)
            if closed:
                path.close()
            self._both(self.sk.drawPath, path)

    # ------------------------------------------------------------ text and images
    def text(self, s, x: float, y: float) -> None:
        """Write `s` (anything; it is turned into text) in the fill colour at (x, y), placed by
        text_align (default: left, baseline). Lines split on newlines, 1.25 x the size apart."""
        for value in (x, y):
            if not isinstance(value, numbers.Real) or isinstance(value, bool):
                raise ArtkitError(f"text() needs numbers for x and y, but got {value!r}; "
                                  "write something like text('hi', 100, 100).")
        if self._style.fill is None:
            return
        lines = str(s).split("\n")
        size = self._style.text_size
        leading = size * 1.25
        font = self._text_font()
        metrics = font.getMetrics()
        ascent, descent = -metrics.fAscent, metrics.fDescent
        block = leading * (len(lines) - 1)
        baseline = self._style.text_baseline
        if baseline == TOP:
            y0 = y + ascent
        elif baseline == CENTER:
            y0 = y + (ascent - descent) / 2.0 - block / 2.0
        elif baseline == BOTTOM:
            y0 = y - descent - block
        else:
            y0 = y
        align = self._style.text_align
        for i, line in enumerate(lines):
            dx = 0.0
            if align != LEFT:
                width = font.measureText(line)
                dx = -width if align == RIGHT else -width / 2.0
            self.sk.drawString(line, x + dx, y0 + i * leading, font, self._fill_paint)

    def text_width(self, s) -> float:
        """How wide `s` is in pixels at the current text size (its longest line)."""
        font = self._text_font()
        return max(font.measureText(line) for line in str(s).split("\n"))

    def _text_font(self) -> skia.Font:
        # Made on first use: finding the system font starts fontconfig, which costs time and
        # can print warnings, and most canvases (every painting) never draw text.
        if self._font is None:
            self._font = skia.Font(_default_typeface(), self._style.text_size)
            self._font.setEdging(skia.Font.Edging.kAntiAlias)
        elif self._font.getSize() != self._style.text_size:
            self._font.setSize(self._style.text_size)
        return self._font

    def image(self, img, x: float, y: float, w: float | None = None, h: float | None = None) -> None:
        """Draw a picture: a numpy uint8 array (H, W, 3 or 4), a PIL image or another Canvas,
        at (x, y), stretched to w x h if given (smoothly resampled)."""
        sk_image = _to_skia_image(img)
        for value in (x, y, w, h):
            if value is not None and (not isinstance(value, numbers.Real) or isinstance(value, bool)):
                raise ArtkitError(f"image() needs numbers for its position and size, but got {value!r}.")
        iw, ih = sk_image.width(), sk_image.height()
        mode = self._style.image_mode
        if mode == CORNERS:
            box = skia.Rect.MakeLTRB(x, y, iw if w is None else w, ih if h is None else h)
            box.sort()
        else:
            bw = iw if w is None else w
            bh = (ih * bw / iw if w is not None else ih) if h is None else h
            if mode == CENTER:
                box = skia.Rect.MakeXYWH(x - bw / 2.0, y - bh / 2.0, bw, bh)
            else:
                box = skia.Rect.MakeXYWH(x, y, bw, bh)
        sampling = skia.SamplingOptions(skia.FilterMode.kLinear, skia.MipmapMode.kLinear)
        self.sk.drawImageRect(sk_image, box, sampling)

    # ------------------------------------------------------------ strokes
    def draw(self, strokes, scale: float = 1.0) -> None:
        """Draw a batch of brush marks (an `artkit.strokes.Strokes`), scaled by `scale`."""
        render_strokes(self.sk, strokes, scale, pixels=self._pixels)

    # ------------------------------------------------------------ pixels
    def pixels(self) -> np.ndarray:
        """The live pixel array (H, W, 4) RGBA uint8, premultiplied; writes show on the canvas."""
        return self._pixels

    def rgb(self) -> np.ndarray:
        """A copy of the colours as an (H, W, 3) uint8 array (as seen over black if translucent)."""
        return self._pixels[..., :3].copy()

    def snapshot(self) -> np.ndarray:
        """A copy of the pixels, for restore() (undo)."""
        return self._pixels.copy()

    def restore(self, array: np.ndarray) -> None:
        """Put back pixels from snapshot()."""
        array = np.asarray(array)
        if array.shape != self._pixels.shape or array.dtype != np.uint8:
            raise ArtkitError(
                f"restore() needs a uint8 array of shape {self._pixels.shape} from snapshot(), "
                f"not {array.dtype} {array.shape}."
            )
        np.copyto(self._pixels, array)

    def save(self, path, provenance: dict | None = None) -> Path:
        """Write the picture to `path` (PNG, or JPEG/WebP/BMP/TIFF by extension).

        A PNG carries `provenance` as text chunks: one readable chunk per key plus one JSON
        chunk `artkit-provenance` holding everything, so `read_provenance` returns exactly
        what was given, with `artkit-version` added.
        """
        from PIL import Image

        path = Path(path)
        fmt = _check_path_shape(path)
        rgba = _unpremultiply(self._pixels)
        if fmt == "PNG":   # artkit's own writer: ~15x faster than Pillow's (artkit.png)
            from artkit.png import encode_png

            meta = {"artkit-version": __version__}
            meta.update(provenance or {})
            text = {str(key): value if isinstance(value, str) else _json(value)
                    for key, value in meta.items()}
            text[_PROVENANCE_KEY] = _json(meta)
            with atomic_write(path) as f:  # a crash or a full disk leaves the old file intact
                f.write(encode_png(rgba, text))
            return path
        picture = Image.fromarray(rgba)  # (H, W, 4) uint8 is read as RGBA
        options = {}
        if fmt in ("JPEG", "BMP"):
            picture = picture.convert("RGB")
            if fmt == "JPEG":
                options["quality"] = 95
        with atomic_write(path) as f:  # a crash or a full disk leaves the old file intact
            picture.save(f, fmt, **options)
        return path

    def __repr__(self) -> str:
        return f"Canvas({self.width}, {self.height})"


def check_can_save(path) -> Path:
    """Raise the ArtkitError a save to `path` would meet (a name without a picture suffix, a
    missing folder, a folder's name, a folder artkit may not write in) before any work is
    done, so nothing made is lost to it."""
    path = Path(path)
    _check_path_shape(path)
    return check_writable(path)


def _check_path_shape(path: Path) -> str:
    """The Pillow format for `path`, after checking its name and folder."""
    fmt = _SAVE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ArtkitError(
            f"Can't save to '{path}': end the name with .png (or .jpg, .webp, .bmp, .tif).")
    if not path.parent.is_dir():
        raise ArtkitError(f"Can't save to '{path}': {missing_folder(path.parent)}")
    if path.is_dir():
        raise ArtkitError(f"Can't save to '{path}': that is a folder, not a file name.")
    return fmt


def read_provenance(path) -> dict:
    """The provenance dict a PNG saved by Canvas.save carries ({} if it has none)."""
    from PIL import Image

    path = Path(path)
    if not path.is_file():
        raise ArtkitError(f"Can't read '{path}': there is no such file.")
    try:
        with Image.open(path) as picture:
            chunks = dict(getattr(picture, "text", {}) or {})
    except OSError:
        raise ArtkitError(f"Can't read '{path}': it is not a picture file.") from None
    if _PROVENANCE_KEY in chunks:
        try:
            return json.loads(chunks[_PROVENANCE_KEY])
        except ValueError:
            pass
    return chunks


# ---------------------------------------------------------------- helpers
def _json(value) -> str:
    return json.dumps(value, sort_keys=True, default=_json_default)


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    raise ArtkitError(f"Can't store {value!r} in the picture's provenance: use numbers, text, lists or dicts.")


def _polygon(*xy: float) -> skia.Path:
    """A closed path through the points x1, y1, x2, y2, ..."""
    path = skia.Path()
    path.moveTo(xy[0], xy[1])
    for i in range(2, len(xy), 2):
        path.lineTo(xy[i], xy[i + 1])
    path.close()
    return path


def _box(mode: str, a: float, b: float, c: float, d: float) -> skia.Rect:
    """p5's rect/ellipse modes -> a sorted skia.Rect (negative sizes flip, as in p5)."""
    if mode == CORNER:
        rect = skia.Rect.MakeXYWH(a, b, c, d)
    elif mode == CENTER:
        rect = skia.Rect.MakeXYWH(a - c * 0.5, b - d * 0.5, c, d)
    elif mode == RADIUS:
        rect = skia.Rect.MakeLTRB(a - c, b - d, a + c, b + d)
    else:
        rect = skia.Rect.MakeLTRB(a, b, c, d)
    rect.sort()
    return rect


def _catmull_rom_to(path, p0, p1, p2, p3, tightness: float) -> None:
    """Append p5's curve segment from p1 to p2 (p0 and p3 steer) as one cubic."""
    k = (1.0 - tightness) / 6.0
    path.cubicTo(p1[0] + k * (p2[0] - p0[0]), p1[1] + k * (p2[1] - p0[1]),
                 p2[0] - k * (p3[0] - p1[0]), p2[1] - k * (p3[1] - p1[1]),
                 p2[0], p2[1])


def _add_contour(path, records: list, close: bool, tightness: float) -> None:
    """Add one contour of vertex records to `path`: straight vertices, Bezier and quadratic
    vertices, and runs of curve vertices (each run is a Catmull-Rom spline whose first and last
    points only steer it, as in p5)."""
    started = False

    def go_to(x, y):
        nonlocal started
        if started:
            path.lineTo(x, y)
        else:
            path.moveTo(x, y)
            started = True

    i, n = 0, len(records)
    while i < n:
        record = records[i]
        tag = record[0]
        if tag == "c":
            j = i
            while j < n and records[j][0] == "c":
                j += 1
            run = [(r[1], r[2]) for r in records[i:j]]
            if len(run) >= 4:
                go_to(*run[1])
                for k in range(1, len(run) - 2):
                    _catmull_rom_to(path, run[k - 1], run[k], run[k + 1], run[k + 2], tightness)
            i = j
            continue
        if tag == "v" or not started:
            go_to(record[-2], record[-1])
        elif tag == "b":
            path.cubicTo(*record[1:])
        else:
            path.quadTo(*record[1:])
        i += 1
    if started and close:
        path.close()


def _shape_groups(kind: str, points: list):
    """Split begin_shape(kind) vertices into (polygon points, closed?) pieces like p5."""
    n = len(points)
    if kind == LINES:
        for i in range(0, n - 1, 2):
            yield points[i:i + 2], False
    elif kind == TRIANGLES:
        for i in range(0, n - 2, 3):
            yield points[i:i + 3], True
    elif kind == TRIANGLE_STRIP:
        for i in range(n - 2):
            yield points[i:i + 3], True
    elif kind == TRIANGLE_FAN:
        for i in range(1, n - 1):
            yield [points[0], points[i], points[i + 1]], True
    elif kind == QUADS:
        for i in range(0, n - 3, 4):
            yield points[i:i + 4], True
    elif kind == QUAD_STRIP:
        for i in range(0, n - 3, 2):
            yield [points[i], points[i + 1], points[i + 3], points[i + 2]], True


def _as_rgba_array(img, where: str) -> np.ndarray:
    arr = np.asarray(img)
    if arr.dtype != np.uint8 or arr.ndim != 3 or arr.shape[2] not in (3, 4) or 0 in arr.shape[:2]:
        raise ArtkitError(
            f"{where} needs a uint8 picture array of shape (height, width, 3 or 4), "
            f"not {arr.dtype} {arr.shape}."
        )
    if arr.shape[2] == 3:
        alpha = np.full(arr.shape[:2] + (1,), 255, dtype=np.uint8)
        arr = np.concatenate([arr, alpha], axis=2)
    return np.ascontiguousarray(arr)


def _premultiply(rgba: np.ndarray) -> np.ndarray:
    alpha = rgba[..., 3:4]
    if alpha.min() == 255:
        return rgba
    out = rgba.copy()
    out[..., :3] = (rgba[..., :3].astype(np.uint16) * alpha + 127) // 255
    return out


def _unpremultiply(rgba: np.ndarray) -> np.ndarray:
    alpha = rgba[..., 3:4]
    if alpha.min() == 255:
        return rgba
    out = rgba.copy()
    a = alpha.astype(np.uint32)
    safe = np.maximum(a, 1)
    out[..., :3] = np.where(a > 0, np.minimum((rgba[..., :3].astype(np.uint32) * 255 + safe // 2) // safe, 255), 0)
    return out


def _to_skia_image(img) -> skia.Image:
    if isinstance(img, Canvas):
        return img.surface.makeImageSnapshot()
    if hasattr(img, "convert") and hasattr(img, "mode") and not isinstance(img, np.ndarray):
        img = np.asarray(img.convert("RGBA"))  # a PIL image
    arr = _as_rgba_array(img, "image()")
    return skia.Image.fromarray(arr, colorType=skia.kRGBA_8888_ColorType,
                                alphaType=skia.kUnpremul_AlphaType)
