"""The beginner vocabulary: the commands a sketch uses without importing anything.

`__all__` is the course's contract: every name in it is put into each sketch's globals by the
runner (`from artkit.api import *` gives the same names to an editor). Like the standard
library's turtle module, each command is a plain function written out here (so editors and
IDEs see its arguments and help) that forwards to one object: the `SketchContext` of the
sketch running now (kept by `artkit.current`), which holds its canvas, seeds, angle mode and
input state.

Conventions (p5.js ideas, Python spelling): snake_case; `colour` and `color` both work; angles
are degrees unless `angle_mode(RADIANS)`; `circle(x, y, size)` takes the width across.
Commands don't check their arguments on every call (that would slow every frame): when one
fails, `artkit.friendly` reads this function's signature and the values it got and explains.
Numbers are annotated `float` so the friendly messages can say "circle needs 3 numbers".

Live names, refreshed before every call into the sketch: `width`, `height`, `frame_count`
(1 in the first draw), `mouse_x`, `mouse_y`, `pmouse_x`, `pmouse_y` (where the mouse was at
the previous frame; inside a mouse hook, before this movement), `mouse_is_pressed`,
`mouse_button` ('left', 'middle', 'right'), `key` (the character typed, like 'a' or 'A', or a
name: 'space', 'enter', 'left', 'right', 'up', 'down', 'backspace', 'tab', 'shift'...) and
`key_is_pressed`, and `key_code` (p5.js's number for the key: LEFT_ARROW, RIGHT_ARROW,
UP_ARROW, DOWN_ARROW for the arrows, 65 for 'a', 13 for enter).
"""

from __future__ import annotations

import inspect
import math as _math
import time as _time

from artkit.canvas import (  # noqa: F401  (re-exported constants)
    BASELINE, BOTTOM, CENTER, CHORD, CLOSE, CORNER, CORNERS, LEFT, OPEN, PIE, PROJECT, RADIUS,
    RIGHT, ROUND, SQUARE, TOP, Canvas as _Canvas,
)
from artkit.color import HSB, RGB, colour_mode as _make_colour_mode, rgb_to_hsb, to_rgba
# The sketch running now lives in artkit.current (the turtle draws through it too); use,
# current and current_canvas stay importable from here because the runner and tests call them.
from artkit.current import current, current_canvas, use  # noqa: F401
from artkit import friendly
from artkit.errors import ArtkitError
from artkit.recording import FrameFiles, SketchRecording, extras as _extras, recording_name
from artkit.sketch import DEGREES, RADIANS
from artkit.turtle import KOCH, PLANT, SIERPINSKI, Evolution, LSystem, Turtle, expand as _expand

__all__ = [
    # the sketch
    "size", "frame_rate", "no_loop", "loop", "redraw", "save_frame", "save_gif", "save_frames",
    "millis", "fullscreen",
    "width", "height", "frame_count", "mouse_x", "mouse_y", "pmouse_x", "pmouse_y",
    "mouse_is_pressed", "mouse_button", "key", "key_is_pressed",
    "key_code", "LEFT_ARROW", "RIGHT_ARROW", "UP_ARROW", "DOWN_ARROW",
    # pictures
    "load_image", "image",
    # shapes
    "circle", "ellipse", "square", "rectangle", "rect", "line", "point", "triangle", "quad",
    "arc", "bezier", "curve", "begin_shape", "vertex", "curve_vertex", "end_shape", "CLOSE",
    "rect_mode", "ellipse_mode", "CENTER", "CORNER", "CORNERS", "RADIUS", "OPEN", "CHORD", "PIE",
    # colour and style
    "background", "fill", "no_fill", "stroke", "no_stroke", "stroke_weight", "stroke_cap",
    "ROUND", "SQUARE", "PROJECT",
    "colour", "color", "colour_mode", "color_mode", "RGB", "HSB", "lerp_colour", "lerp_color",
    "Colour", "Color",
    # text
    "text", "text_size", "text_align", "LEFT", "RIGHT", "TOP", "BOTTOM", "BASELINE",
    # randomness and noise
    "random", "random_number", "random_choice", "random_seed", "random_gaussian",
    "noise", "noise_detail", "noise_seed",
    # repeating
    "repeat",
    # maths
    "sin", "cos", "tan", "atan2", "angle_mode", "DEGREES", "RADIANS", "degrees", "radians",
    "map_range", "constrain", "dist", "lerp", "sqrt", "PI", "TWO_PI", "HALF_PI",
    # moving the drawing
    "translate", "rotate", "scale", "push", "pop",
    # painting with brushes (portrait sketches)
    "load_source", "show_source", "source_colour", "source_color", "brush", "paint", "autopaint",
    # turtle and L-systems
    "turtle", "lsystem", "Turtle", "LSystem", "Evolution", "KOCH", "SIERPINSKI", "PLANT",
]

PI = _math.pi
TWO_PI = 2.0 * _math.pi
HALF_PI = _math.pi / 2.0

# Live values: the runner writes the real ones into each sketch's globals before every call.
width = 400
height = 400
frame_count = 0
mouse_x = 0.0
mouse_y = 0.0
pmouse_x = 0.0
pmouse_y = 0.0
mouse_is_pressed = False
mouse_button = None
key = ""
key_is_pressed = False
key_code = 0

# key_code's numbers are p5.js's (JavaScript's keyCode), so p5 examples carry over.
LEFT_ARROW, UP_ARROW, RIGHT_ARROW, DOWN_ARROW = 37, 38, 39, 40
_KEY_CODES = {"left": LEFT_ARROW, "up": UP_ARROW, "right": RIGHT_ARROW, "down": DOWN_ARROW,
              "enter": 13, "backspace": 8, "tab": 9, "escape": 27, "shift": 16,
              "control": 17, "alt": 18, "delete": 46, "space": 32}


def namespace() -> dict:
    """Every name of the beginner API, for putting into a sketch's globals."""
    values = globals()
    return {name: values[name] for name in __all__}


def _publish(**values) -> None:
    """Tell the sketch about a change it should see at once (size() changes width/height)."""
    current().namespace.update(values)


# ---------------------------------------------------------------------------------------------
# The sketch

def size(w: float, h: float) -> None:
    """Make the canvas w pixels wide and h pixels high (call it first in setup)."""
    current().resize(w, h)
    _publish(width=current().canvas.width, height=current().canvas.height)


def frame_rate(fps: float | None = None):
    """frame_rate(30) asks for 30 frames a second; frame_rate() tells you the rate now."""
    if fps is None:
        return current().measured_frame_rate
    if isinstance(fps, bool) or not isinstance(fps, (int, float)) or fps <= 0:
        raise ArtkitError(f"frame_rate needs a number of frames a second above 0, not {fps!r}.")
    current().target_frame_rate = float(fps)
    return current().target_frame_rate


def no_loop() -> None:
    """Stop calling draw() over and over (the picture stays)."""
    current().looping = False


def loop() -> None:
    """Start calling draw() over and over again."""
    current().looping = True


def redraw() -> None:
    """Call draw() once more, even after no_loop()."""
    current().redraw_requested = True


def save_frame(name: str | None = None) -> str:
    """Save the picture as a PNG (`sketch-0001.png`, counting up, or the name you give)."""
    path = current().next_frame_path(name)
    current().canvas.save(path, {"sketch": current().name, "seed": current().seed, "frame": current().frame_count})
    print(f"saved {path}")
    return str(path)


def save_gif(name: str | None = None, seconds: float = 3) -> str:
    """Record the next `seconds` seconds of your sketch as an animated GIF (`sketch.gif`, or
    the name you give). A name ending in .webp, .mp4 or .webm records that instead."""
    ctx = current()
    _check_seconds("save_gif", seconds)
    path = recording_name(name, ctx.name, ".gif", ctx.out_dir)
    fps = ctx.target_frame_rate
    recording = SketchRecording(path, max(1, round(seconds * fps)), fps)
    _extras(ctx).recordings.append(recording)
    print(f"recording {recording.path.name}: the next {seconds:g} seconds")
    return str(recording.path)


def save_frames(name: str | None = None, seconds: float = 1, fps: float = 15) -> str:
    """Save the next `seconds` seconds of your sketch as numbered PNG pictures, `fps` a second:
    save_frames('dance', 2) saves dance-0001.png, dance-0002.png… Returns the folder."""
    ctx = current()
    _check_seconds("save_frames", seconds)
    if isinstance(fps, bool) or not isinstance(fps, (int, float)) or not 0 < fps <= 60:
        raise ArtkitError(friendly.frames_per_second_problem("save_frames", fps))
    stem = recording_name(name, ctx.name, ".png", ctx.out_dir).with_suffix("")
    every = max(1, round(ctx.target_frame_rate / fps))   # keep one drawn frame in `every`
    recording = FrameFiles(stem, max(1, round(seconds * fps)), every=every,
                           provenance={"sketch": ctx.name, "seed": ctx.seed})
    _extras(ctx).recordings.append(recording)
    return str(recording.path)


def _check_seconds(word: str, seconds) -> None:
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or \
            not 0 < seconds <= 600:
        raise ArtkitError(friendly.seconds_problem(word, seconds))


def millis() -> float:
    """How many milliseconds (thousandths of a second) the sketch has been running."""
    ctx = current()
    found = _extras(ctx)
    if found.frame_clock_fps:   # without a window, time is counted in frames (see runner)
        return max(ctx.frame_count - 1, 0) * 1000.0 / found.frame_clock_fps
    return (_time.monotonic() - found.started) * 1000.0


def fullscreen(on: bool | None = None) -> bool:
    """fullscreen(True) makes the sketch fill the screen, fullscreen(False) puts it back in
    its window, and fullscreen() tells you which it is now. (F11 does the same.)"""
    found = _extras(current())
    if on is not None:
        found.fullscreen = bool(on)
    return found.fullscreen


def key_code_for(name: str) -> int:
    """key_code for a key as `key` names it: 'left' -> LEFT_ARROW (37), 'a' -> 65."""
    code = _KEY_CODES.get(name)
    if code is not None:
        return code
    return ord(name.upper()) if len(name) == 1 else 0


# ---------------------------------------------------------------------------------------------
# Pictures

class Picture:
    """A picture from load_image(): `picture.width` and `picture.height` are its size."""

    def __init__(self, rgba, name: str):
        self.pixels = rgba   # uint8 (height, width, 4)
        self.name = name

    @property
    def width(self) -> int:
        return self.pixels.shape[1]

    @property
    def height(self) -> int:
        return self.pixels.shape[0]

    def __repr__(self) -> str:
        return f"<picture {self.name}, {self.width}x{self.height}>"


def load_image(name: str) -> Picture:
    """Open a picture file (a .png or .jpg, kept next to your sketch) to draw with image().
    load_image('default') gives artkit's built-in picture, as big as the canvas."""
    import numpy as np

    from artkit.source import SourceImage

    if not isinstance(name, str) or not name.strip():
        raise ArtkitError(friendly.load_image_needs_a_name(name))
    ctx = current()
    if name.strip().lower() == "default":
        source = SourceImage.default((ctx.canvas.width, ctx.canvas.height))
    else:
        source = SourceImage.load(_find_picture(name, ctx))
    rgb = np.clip(np.rint(np.asarray(source.rgb) * 255.0), 0, 255).astype(np.uint8)
    alpha = np.full(rgb.shape[:2] + (1,), 255, np.uint8)
    return Picture(np.ascontiguousarray(np.concatenate([rgb, alpha], axis=2)), source.name)


def _find_picture(name: str, ctx):
    """The file `name` names: as given when it is a full path, else next to the sketch's
    file, else in the current folder."""
    from pathlib import Path

    path = Path(name).expanduser()
    if path.is_absolute():
        folders = [path.parent]
    else:
        sketch_file = ctx.namespace.get("__file__")
        folders = [Path(sketch_file).parent] if sketch_file else []
        folders.append(Path.cwd())
    for folder in folders:
        if (folder / path).is_file():   # (an absolute path stays itself)
            return folder / path
    raise ArtkitError(friendly.picture_not_found(name, folders[0]))


def image(picture, x: float, y: float, w: float | None = None, h: float | None = None) -> None:
    """Draw a picture from load_image() with its top-left corner at (x, y): image(photo, 0, 0).
    Give w (and h) to stretch it: image(photo, 0, 0, width, height) fills the canvas."""
    if isinstance(picture, Picture):
        picture = picture.pixels
    elif not isinstance(picture, _Canvas) and not hasattr(picture, "shape") \
            and not hasattr(picture, "convert"):   # a numpy array, a canvas or a PIL image
        raise ArtkitError(friendly.image_needs_a_picture(picture))
    current().canvas.image(picture, x, y, w, h)


# ---------------------------------------------------------------------------------------------
# Shapes

def circle(x: float, y: float, size: float) -> None:
    """A circle centred on (x, y); size is how wide it is across."""
    current().canvas.circle(x, y, size)


def ellipse(x: float, y: float, width: float, height: float | None = None) -> None:
    """An oval centred on (x, y), width wide and height high."""
    current().canvas.ellipse(x, y, width, height)


def square(x: float, y: float, size: float, corner: float = 0) -> None:
    """A square with its top-left corner at (x, y); corner rounds its corners off."""
    if corner:
        current().canvas.square(x, y, size, corner)
    else:
        current().canvas.square(x, y, size)


def rectangle(x: float, y: float, width: float, height: float, corner: float = 0) -> None:
    """A rectangle with its top-left corner at (x, y); corner rounds its corners off."""
    if corner:
        current().canvas.rect(x, y, width, height, corner)
    else:
        current().canvas.rect(x, y, width, height)


def rect(x: float, y: float, width: float, height: float, corner: float = 0) -> None:
    """Same as rectangle(x, y, width, height, corner)."""
    if corner:
        current().canvas.rect(x, y, width, height, corner)
    else:
        current().canvas.rect(x, y, width, height)


def line(x1: float, y1: float, x2: float, y2: float) -> None:
    """A straight line from (x1, y1) to (x2, y2) in the stroke colour."""
    current().canvas.line(x1, y1, x2, y2)


def point(x: float, y: float) -> None:
    """A dot at (x, y), as big as the stroke weight."""
    current().canvas.point(x, y)


def triangle(x1: float, y1: float, x2: float, y2: float, x3: float, y3: float) -> None:
    """A triangle with corners (x1, y1), (x2, y2) and (x3, y3)."""
    current().canvas.triangle(x1, y1, x2, y2, x3, y3)


def quad(x1: float, y1: float, x2: float, y2: float, x3: float, y3: float, x4: float, y4: float) -> None:
    """A shape with four corners, in order round the edge."""
    current().canvas.quad(x1, y1, x2, y2, x3, y3, x4, y4)


def arc(x: float, y: float, w: float, h: float, start: float, stop: float, mode: str | None = None) -> None:
    """Part of an oval centred on (x, y), from angle start to stop (clockwise from 3 o'clock).
    mode is OPEN, CHORD or PIE."""
    if current().angle_mode == DEGREES:
        start, stop = _math.radians(start), _math.radians(stop)
    current().canvas.arc(x, y, w, h, start, stop, mode)


def bezier(x1: float, y1: float, cx1: float, cy1: float, cx2: float, cy2: float, x2: float, y2: float) -> None:
    """A smooth curve from (x1, y1) to (x2, y2), pulled towards two control points."""
    current().canvas.bezier(x1, y1, cx1, cy1, cx2, cy2, x2, y2)


def curve(x1: float, y1: float, x2: float, y2: float, x3: float, y3: float, x4: float, y4: float) -> None:
    """A smooth curve from (x2, y2) to (x3, y3); the outer points steer it."""
    current().canvas.curve(x1, y1, x2, y2, x3, y3, x4, y4)


def begin_shape() -> None:
    """Start a shape of your own: add corners with vertex(), then end_shape()."""
    current().canvas.begin_shape()


def vertex(x: float, y: float) -> None:
    """Add a corner at (x, y) to the shape started with begin_shape()."""
    current().canvas.vertex(x, y)


def curve_vertex(x: float, y: float) -> None:
    """Add a point that a smooth curve passes through to the shape."""
    current().canvas.curve_vertex(x, y)


def end_shape(close: str | None = None) -> None:
    """Draw the shape; end_shape(CLOSE) joins the last corner back to the first."""
    current().canvas.end_shape(close)


def rect_mode(mode: str) -> None:
    """How rect() and square() read their numbers: CORNER (default), CENTER or CORNERS."""
    current().canvas.rect_mode(mode)


def ellipse_mode(mode: str) -> None:
    """How circle() and ellipse() read their numbers: CENTER (default), CORNER or CORNERS."""
    current().canvas.ellipse_mode(mode)


# ---------------------------------------------------------------------------------------------
# Colour

class Colour(str):
    """A colour made by colour(...): it means the same in every colour mode.

    It is a hex code like '#ff8800ff' underneath, so fill(c) and stroke(c) take it anywhere;
    c.red, c.green, c.blue, c.alpha, c.hue, c.saturation and c.brightness read its parts.
    """

    def __new__(cls, rgba):
        r, g, b, a = rgba
        return super().__new__(cls, f"#{r:02x}{g:02x}{b:02x}{a:02x}")

    @property
    def rgba(self) -> tuple[int, int, int, int]:
        return tuple(int(self[i:i + 2], 16) for i in (1, 3, 5, 7))

    red = property(lambda self: self.rgba[0])
    green = property(lambda self: self.rgba[1])
    blue = property(lambda self: self.rgba[2])
    alpha = property(lambda self: self.rgba[3])
    hue = property(lambda self: rgb_to_hsb(*self.rgba[:3])[0])
    saturation = property(lambda self: rgb_to_hsb(*self.rgba[:3])[1])
    brightness = property(lambda self: rgb_to_hsb(*self.rgba[:3])[2])

    def __repr__(self) -> str:
        r, g, b, a = self.rgba
        return f"colour({r}, {g}, {b})" if a == 255 else f"colour({r}, {g}, {b}, {a})"


Color = Colour


def _mode():
    return current().colour_mode


def colour(*values) -> Colour:
    """A colour to keep in a variable: colour('tomato'), colour(255, 100, 0), colour(200, 50),
    colour('red', 128) (see-through), or in HSB mode colour(hue, saturation, brightness)."""
    if not values:
        raise ArtkitError("colour needs a colour: a name like 'red' or numbers like 255, 100, 0.")
    return Colour(to_rgba(values[0] if len(values) == 1 else values, _mode()))


color = colour


def lerp_colour(a, b, amount: float) -> Colour:
    """The colour `amount` of the way from a to b (0 gives a, 1 gives b, 0.5 halfway)."""
    from artkit.color import lerp_colour as _lerp

    return Colour(_lerp(a, b, amount, _mode()))


lerp_color = lerp_colour


def background(*values) -> None:
    """Paint the whole canvas one colour: background('skyblue'), background(30), background(0, 0, 80)."""
    current().canvas.background(*values)


def fill(*values) -> None:
    """The colour shapes are filled with from now on."""
    current().canvas.fill(*values)


def no_fill() -> None:
    """Don't fill shapes (only their outlines are drawn)."""
    current().canvas.no_fill()


def stroke(*values) -> None:
    """The colour of lines and shape outlines from now on."""
    current().canvas.stroke(*values)


def no_stroke() -> None:
    """Don't draw outlines round shapes."""
    current().canvas.no_stroke()


def stroke_weight(weight: float) -> None:
    """How thick lines and outlines are, in pixels."""
    current().canvas.stroke_weight(weight)


def stroke_cap(cap: str) -> None:
    """The ends of lines: ROUND (default), SQUARE or PROJECT."""
    current().canvas.stroke_cap(cap)


def colour_mode(mode: str, *maxes: float) -> None:
    """How colour numbers are read: colour_mode(RGB) (red, green, blue 0-255, the default) or
    colour_mode(HSB) (hue 0-360, saturation 0-100, brightness 0-100, alpha 0-1)."""
    new_mode = _make_colour_mode(mode, *maxes)
    current().canvas.colour_mode(new_mode)
    current().colour_mode = new_mode


color_mode = colour_mode


# ---------------------------------------------------------------------------------------------
# Text

def text(words, x: float, y: float) -> None:
    """Write words (or a number) at (x, y) in the fill colour."""
    current().canvas.text(words, x, y)


def text_size(size: float) -> None:
    """How big text is, in pixels."""
    current().canvas.text_size(size)


def text_align(horizontal: str, vertical: str = BASELINE) -> None:
    """Where text sits: LEFT, CENTER or RIGHT of x (and TOP, CENTER, BASELINE or BOTTOM of y)."""
    current().canvas.text_align(horizontal, vertical)


# ---------------------------------------------------------------------------------------------
# Randomness and noise

def random(low=None, high=None):
    """A random decimal number: random() is 0 to 1, random(10) is 0 to 10, random(5, 10) is
    5 to 10 (the top number itself never comes up). random(a_list) picks one item."""
    rng = current().random
    if low is None:
        return rng.random()
    if isinstance(low, (list, tuple, str, range)) and high is None:
        return random_choice(low)
    if high is None:
        low, high = 0, low
    return low + (high - low) * rng.random()


def random_number(low: int, high: int | None = None) -> int:
    """A random whole number from low to high, both included: random_number(1, 6) is a dice.
    random_number(10) is 0 to 10."""
    if high is None:
        low, high = 0, low
    if low > high:
        low, high = high, low
    return current().random.randint(_math.ceil(low), _math.floor(high))


def random_choice(items):
    """One item picked at random from a list: random_choice(['red', 'gold', 'teal'])."""
    if not items:
        raise ArtkitError("random_choice needs a list with at least one thing in it.")
    return current().random.choice(list(items) if not isinstance(items, (list, tuple, str, range)) else items)


def random_seed(seed: int) -> None:
    """Make the random numbers repeat: the same seed gives the same numbers every run."""
    current().random.seed(seed)


def random_gaussian(mean: float = 0.0, spread: float = 1.0) -> float:
    """A random number that is usually near `mean` (a bell curve `spread` wide)."""
    return current().random.gauss(mean, spread)


def noise(x: float, y: float = 0.0, z: float | None = None) -> float:
    """Smooth random numbers from 0 to 1: nearby x, y (and z) give nearby values."""
    return current().noise(x, y, z)


def noise_detail(octaves: int = 4, falloff: float = 0.5) -> None:
    """How much fine detail noise has: more octaves, more wrinkles."""
    current().noise.detail(octaves, falloff)


def noise_seed(seed: int) -> None:
    """Make noise repeat: the same seed gives the same landscape of values."""
    current().noise.seed(seed)


# ---------------------------------------------------------------------------------------------
# Repeating

def repeat(*values) -> None:
    """Call a function many times.

    repeat(10, flower)                 calls flower() 10 times (or flower(i) with i = 1 to 10)
    repeat(0, 100, 20, flower)         calls flower(i) for i = 0, 20, 40, 60, 80, 100
    repeat(0, 2, 1, 0, 3, 1, cell)     calls cell(i, j) for every i from 0 to 2 and j from 0 to 3

    The end number is included. The function may take fewer numbers than repeat has; it gets
    the ones it asks for.
    """
    if not values:
        raise ArtkitError(_REPEAT_FORMS)
    function = values[-1]
    if not callable(function):
        if function is None:
            raise ArtkitError("repeat needs a function name as its last value, without brackets: "
                              "repeat(10, flower), not repeat(10, flower()).")
        raise ArtkitError(f"repeat needs a function as its last value, but got {function!r}. "
                          + _REPEAT_FORMS)
    numbers = values[:-1]
    for value in numbers:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ArtkitError(f"repeat needs numbers before the function, but got {value!r}. " + _REPEAT_FORMS)
    takes = _positional_count(function)
    if len(numbers) == 1:
        count = numbers[0]
        if count != int(count):
            raise ArtkitError(f"repeat(n, ...) needs a whole number of times, not {count}.")
        _call_each(function, takes, [(i,) for i in range(1, int(count) + 1)])
    elif len(numbers) == 3:
        _call_each(function, takes, [(i,) for i in _counting(*numbers)])
    elif len(numbers) == 6:
        inner = _counting(*numbers[3:])
        _call_each(function, takes, [(i, j) for i in _counting(*numbers[:3]) for j in inner])
    else:
        raise ArtkitError(_REPEAT_FORMS)


_REPEAT_FORMS = ("repeat takes a count and a function, repeat(10, flower); or start, end, step and a "
                 "function, repeat(0, 100, 10, flower); or two of those ranges and a function, "
                 "repeat(0, 4, 1, 0, 4, 1, cell).")


def _counting(start: float, end: float, step: float) -> list:
    """start, start+step, ... up to and including end (also counting down)."""
    if step == 0:
        raise ArtkitError("repeat's step can't be 0: it would never reach the end.")
    count = _math.floor((end - start) / step + 1e-9) + 1
    if count <= 0:
        return []
    whole = all(isinstance(v, int) for v in (start, step))
    return [start + k * step if whole else round(start + k * step, 10) for k in range(count)]


def _positional_count(function) -> int | None:
    """How many numbers `function` takes (None: as many as given)."""
    try:
        params = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return None
    count = 0
    for p in params:
        if p.kind == p.VAR_POSITIONAL:
            return None
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            count += 1
    return count


def _call_each(function, takes: int | None, argument_lists: list) -> None:
    for args in argument_lists:
        function(*(args if takes is None else args[:takes]))


# ---------------------------------------------------------------------------------------------
# Maths (angles in degrees unless angle_mode(RADIANS))

def angle_mode(mode: str) -> None:
    """DEGREES (the default: a full turn is 360) or RADIANS (a full turn is TWO_PI)."""
    key = str(mode).lower()
    if key not in (DEGREES, RADIANS):
        raise ArtkitError(f"angle_mode needs DEGREES or RADIANS, not {mode!r}.")
    current().angle_mode = key


def _to_radians(angle: float) -> float:
    return _math.radians(angle) if current().angle_mode == DEGREES else angle


def sin(angle: float) -> float:
    """The sine of an angle (in degrees unless angle_mode(RADIANS)): goes smoothly between -1 and 1."""
    return _math.sin(_to_radians(angle))


def cos(angle: float) -> float:
    """The cosine of an angle (in degrees unless angle_mode(RADIANS))."""
    return _math.cos(_to_radians(angle))


def tan(angle: float) -> float:
    """The tangent of an angle (in degrees unless angle_mode(RADIANS))."""
    return _math.tan(_to_radians(angle))


def atan2(y: float, x: float) -> float:
    """The angle from (0, 0) to the point (x, y), in the angle mode."""
    angle = _math.atan2(y, x)
    return _math.degrees(angle) if current().angle_mode == DEGREES else angle


def degrees(angle: float) -> float:
    """Radians to degrees."""
    return _math.degrees(angle)


def radians(angle: float) -> float:
    """Degrees to radians."""
    return _math.radians(angle)


def map_range(value: float, start1: float, stop1: float, start2: float, stop2: float) -> float:
    """Move a number from one range to another: map_range(5, 0, 10, 0, 100) is 50."""
    if stop1 == start1:
        raise ArtkitError("map_range's first range is empty (its start and stop are the same).")
    return start2 + (stop2 - start2) * (value - start1) / (stop1 - start1)


def constrain(value: float, low: float, high: float) -> float:
    """Keep a number between low and high."""
    return max(low, min(high, value))


def dist(x1: float, y1: float, x2: float, y2: float) -> float:
    """How far it is from (x1, y1) to (x2, y2)."""
    return _math.hypot(x2 - x1, y2 - y1)


def lerp(start: float, stop: float, amount: float) -> float:
    """The number `amount` of the way from start to stop (0.5 is halfway)."""
    return start + (stop - start) * amount


def sqrt(value: float) -> float:
    """The square root: sqrt(9) is 3."""
    return _math.sqrt(value)


# ---------------------------------------------------------------------------------------------
# Moving the drawing

def translate(x: float, y: float) -> None:
    """Move where (0, 0) is: later shapes are drawn x to the right and y down."""
    current().canvas.translate(x, y)


def rotate(angle: float) -> None:
    """Turn later shapes round (0, 0) by angle (degrees unless angle_mode(RADIANS)), clockwise."""
    current().canvas.rotate(_to_radians(angle))


def scale(amount: float, amount_y: float | None = None) -> None:
    """Make later shapes bigger (2 is twice as big) or smaller (0.5 is half)."""
    current().canvas.scale(amount, amount_y)


def push() -> None:
    """Remember the colours, styles and moves so far; pop() brings them back."""
    current().colour_modes.append(current().colour_mode)
    current().canvas.push()


def pop() -> None:
    """Go back to the colours, styles and moves remembered by the last push()."""
    current().canvas.pop()
    if current().colour_modes:
        current().colour_mode = current().colour_modes.pop()


# ---------------------------------------------------------------------------------------------
# Painting with brushes

def load_source(picture: str = "default") -> None:
    """The picture brushes take their colours from: a file name, or 'default' for the built-in one."""
    from artkit.source import open_source

    canvas = current().canvas
    current().source = open_source(picture, (canvas.width, canvas.height))


def _source():
    if current().source is None:
        load_source("default")
    return current().source


def show_source(amount: float = 255) -> None:
    """Draw the source picture on the canvas (amount 0-255: how strongly; lower is see-through)."""
    import numpy as np

    src = _source()
    rgb = np.asarray(src.to_array())
    if rgb.dtype != np.uint8:
        rgb = np.clip(rgb * 255.0 + 0.5, 0, 255).astype(np.uint8)
    alpha = np.full(rgb.shape[:2] + (1,), int(max(0, min(255, amount))), np.uint8)
    current().canvas.image(np.concatenate([rgb, alpha], axis=2), 0, 0)


def source_colour(x: float, y: float) -> Colour:
    """The colour of the source picture at (x, y)."""
    import numpy as np

    rgb = _source().colour_at(np.array([x], np.float32), np.array([y], np.float32))[0]
    rgb = np.asarray(rgb, dtype=np.float64)
    if rgb.max() <= 1.0:
        rgb = rgb * 255.0
    r, g, b = (int(round(v)) for v in rgb[:3])
    return Colour((r, g, b, 255))


source_color = source_colour


def brush(name: str, **settings):
    """Choose a brush's settings: brush('flow', size=30). paint('flow', ...) then uses them.
    Returns the brush."""
    from artkit.brushes import make_brush

    made = make_brush(name, **settings)
    current().brushes[name] = made
    return made


def _brush(which):
    if not isinstance(which, str):
        return which  # a brush object from brush(...)
    made = current().brushes.get(which)
    if made is None:
        made = brush(which)
    return made


def paint(brush_name, x: float, y: float, from_x: float | None = None, from_y: float | None = None) -> None:
    """Paint with a brush at (x, y), coloured from the source picture; give from_x, from_y
    too (like pmouse_x, pmouse_y) to paint along the way from there."""
    import numpy as np

    if from_x is None or from_y is None:
        path = np.array([[x, y]], np.float32)
    else:
        path = np.array([[from_x, from_y], [x, y]], np.float32)
    strokes = _brush(brush_name).stroke(_source(), path, current().numpy_rng)
    current().canvas.draw(strokes)


def autopaint(brush_name, marks: int = 100) -> None:
    """Let a brush paint `marks` marks by itself, all over the canvas."""
    strokes = _brush(brush_name).autopaint(_source(), int(marks), current().numpy_rng)
    current().canvas.draw(strokes)


# ---------------------------------------------------------------------------------------------
# Turtle and L-systems

def turtle(program: str, x: float | None = None, y: float | None = None, heading: float = 90.0,
           step: float = 10.0, angle: float = 90.0) -> Turtle:
    """Draw a turtle program, starting at (x, y) (the middle if left out) facing `heading`
    degrees (90 is up): turtle("4(F100 +90)") draws a square. Returns the turtle."""
    canvas = current().canvas
    walker = Turtle(canvas.width / 2 if x is None else x, canvas.height / 2 if y is None else y,
                    heading, step, angle)
    walker.run(program)
    walker.draw(canvas)
    return walker


def lsystem(axiom: str, rules: dict, iterations: int) -> str:
    """Grow a turtle program: start from axiom and replace letters by their rules, again and
    again: lsystem("F", {"F": "F+F--F+F"}, 3)."""
    return _expand(axiom, rules, iterations)
