"""Colours: parse what people type into (r, g, b, a) bytes, and convert between RGB and HSB.

Everything in artkit that takes a colour sends it through `to_rgba`, so every drawing call
accepts the same things:

- a CSS colour name: ``"tomato"``, ``"lightgrey"`` / ``"lightgray"`` (case, spaces, ``-`` and
  ``_`` are ignored, so ``"Light Green"`` works),
- a hex code: ``"#f80"``, ``"#f808"``, ``"#ff8800"``, ``"#ff880080"``,
- a grey level ``g`` or ``(g, alpha)``,
- ``(r, g, b)`` or ``(r, g, b, alpha)``,
- a name or hex code with an alpha: ``("red", 128)``.

Numbers are read in a colour mode, as in p5.js: ``ColourMode(RGB)`` reads 0-255 for every
channel; ``ColourMode(HSB)`` reads hue 0-360, saturation and brightness 0-100 and alpha 0-1;
explicit maxima work like p5's ``colorMode(HSB, 1)`` or ``colorMode(RGB, 1, 1, 1, 1)``.
Numbers outside their range are clamped (forgiving for beginners), except the hue, which
wraps around the colour wheel, so ``hue = frame_count`` keeps cycling.
Grey levels follow p5: they are read against the third maximum (blue or brightness).
"""

from __future__ import annotations

import colorsys
import difflib
import math
import numbers
from dataclasses import dataclass

import numpy as np

from artkit.errors import ArtkitError

__all__ = [
    "RGB", "HSB", "HSL", "ColourMode", "ColorMode", "colour_mode", "color_mode",
    "to_rgba", "hsb_to_rgb", "rgb_to_hsb", "hsb_to_rgb_array", "lerp_colour", "lerp_color",
    "UnknownColourError", "UnknownColorError", "CSS_COLOURS", "CSS_COLORS",
]

RGB = "rgb"
HSB = "hsb"
HSL = "hsl"

# p5.js defaults: RGB reads everything 0-255; HSB and HSL read alpha 0-1.
_DEFAULT_MAXES = {
    RGB: (255.0, 255.0, 255.0, 255.0),
    HSB: (360.0, 100.0, 100.0, 1.0),
    HSL: (360.0, 100.0, 100.0, 1.0),
}

# The 148 CSS named colours (CSS Color Module Level 4), as 0xRRGGBB.
CSS_COLOURS: dict[str, int] = {
    "aliceblue": 0xf0f8ff,
    "antiquewhite": 0xfaebd7,
    "aqua": 0x00ffff,
    "aquamarine": 0x7fffd4,
    "azure": 0xf0ffff,
    "beige": 0xf5f5dc,
    "bisque": 0xffe4c4,
    "black": 0x000000,
    "blanchedalmond": 0xffebcd,
    "blue": 0x0000ff,
    "blueviolet": 0x8a2be2,
    "brown": 0xa52a2a,
    "burlywood": 0xdeb887,
    "cadetblue": 0x5f9ea0,
    "chartreuse": 0x7fff00,
    "chocolate": 0xd2691e,
    "coral": 0xff7f50,
    "cornflowerblue": 0x6495ed,
    "cornsilk": 0xfff8dc,
    "crimson": 0xdc143c,
    "cyan": 0x00ffff,
    "darkblue": 0x00008b,
    "darkcyan": 0x008b8b,
    "darkgoldenrod": 0xb8860b,
    "darkgray": 0xa9a9a9,
    "darkgreen": 0x006400,
    "darkgrey": 0xa9a9a9,
    "darkkhaki": 0xbdb76b,
    "darkmagenta": 0x8b008b,
    "darkolivegreen": 0x556b2f,
    "darkorange": 0xff8c00,
    "darkorchid": 0x9932cc,
    "darkred": 0x8b0000,
    "darksalmon": 0xe9967a,
    "darkseagreen": 0x8fbc8f,
    "darkslateblue": 0x483d8b,
    "darkslategray": 0x2f4f4f,
    "darkslategrey": 0x2f4f4f,
    "darkturquoise": 0x00ced1,
    "darkviolet": 0x9400d3,
    "deeppink": 0xff1493,
    "deepskyblue": 0x00bfff,
    "dimgray": 0x696969,
    "dimgrey": 0x696969,
    "dodgerblue": 0x1e90ff,
    "firebrick": 0xb22222,
    "floralwhite": 0xfffaf0,
    "forestgreen": 0x228b22,
    "fuchsia": 0xff00ff,
    "gainsboro": 0xdcdcdc,
    "ghostwhite": 0xf8f8ff,
    "gold": 0xffd700,
    "goldenrod": 0xdaa520,
    "gray": 0x808080,
    "green": 0x008000,
    "greenyellow": 0xadff2f,
    "grey": 0x808080,
    "honeydew": 0xf0fff0,
    "hotpink": 0xff69b4,
    "indianred": 0xcd5c5c,
    "indigo": 0x4b0082,
    "ivory": 0xfffff0,
    "khaki": 0xf0e68c,
    "lavender": 0xe6e6fa,
    "lavenderblush": 0xfff0f5,
    "lawngreen": 0x7cfc00,
    "lemonchiffon": 0xfffacd,
    "lightblue": 0xadd8e6,
    "lightcoral": 0xf08080,
    "lightcyan": 0xe0ffff,
    "lightgoldenrodyellow": 0xfafad2,
    "lightgray": 0xd3d3d3,
    "lightgreen": 0x90ee90,
    "lightgrey": 0xd3d3d3,
    "lightpink": 0xffb6c1,
    "lightsalmon": 0xffa07a,
    "lightseagreen": 0x20b2aa,
    "lightskyblue": 0x87cefa,
    "lightslategray": 0x778899,
    "lightslategrey": 0x778899,
    "lightsteelblue": 0xb0c4de,
    "lightyellow": 0xffffe0,
    "lime": 0x00ff00,
    "limegreen": 0x32cd32,
    "linen": 0xfaf0e6,
    "magenta": 0xff00ff,
    "maroon": 0x800000,
    "mediumaquamarine": 0x66cdaa,
    "mediumblue": 0x0000cd,
    "mediumorchid": 0xba55d3,
    "mediumpurple": 0x9370db,
    "mediumseagreen": 0x3cb371,
    "mediumslateblue": 0x7b68ee,
    "mediumspringgreen": 0x00fa9a,
    "mediumturquoise": 0x48d1cc,
    "mediumvioletred": 0xc71585,
    "midnightblue": 0x191970,
    "mintcream": 0xf5fffa,
    "mistyrose": 0xffe4e1,
    "moccasin": 0xffe4b5,
    "navajowhite": 0xffdead,
    "navy": 0x000080,
    "oldlace": 0xfdf5e6,
    "olive": 0x808000,
    "olivedrab": 0x6b8e23,
    "orange": 0xffa500,
    "orangered": 0xff4500,
    "orchid": 0xda70d6,
    "palegoldenrod": 0xeee8aa,
    "palegreen": 0x98fb98,
    "paleturquoise": 0xafeeee,
    "palevioletred": 0xdb7093,
    "papayawhip": 0xffefd5,
    "peachpuff": 0xffdab9,
    "peru": 0xcd853f,
    "pink": 0xffc0cb,
    "plum": 0xdda0dd,
    "powderblue": 0xb0e0e6,
    "purple": 0x800080,
    "rebeccapurple": 0x663399,
    "red": 0xff0000,
    "rosybrown": 0xbc8f8f,
    "royalblue": 0x4169e1,
    "saddlebrown": 0x8b4513,
    "salmon": 0xfa8072,
    "sandybrown": 0xf4a460,
    "seagreen": 0x2e8b57,
    "seashell": 0xfff5ee,
    "sienna": 0xa0522d,
    "silver": 0xc0c0c0,
    "skyblue": 0x87ceeb,
    "slateblue": 0x6a5acd,
    "slategray": 0x708090,
    "slategrey": 0x708090,
    "snow": 0xfffafa,
    "springgreen": 0x00ff7f,
    "steelblue": 0x4682b4,
    "tan": 0xd2b48c,
    "teal": 0x008080,
    "thistle": 0xd8bfd8,
    "tomato": 0xff6347,
    "turquoise": 0x40e0d0,
    "violet": 0xee82ee,
    "wheat": 0xf5deb3,
    "white": 0xffffff,
    "whitesmoke": 0xf5f5f5,
    "yellow": 0xffff00,
    "yellowgreen": 0x9acd32,
}
CSS_COLORS = CSS_COLOURS

_NAME_TO_RGBA = {
    name: ((v >> 16) & 255, (v >> 8) & 255, v & 255, 255) for name, v in CSS_COLOURS.items()
}
_NAME_TO_RGBA["transparent"] = (0, 0, 0, 0)

_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def _is_number(x) -> bool:
    kind = type(x)
    if kind is int or kind is float:   # the common case, without the slower ABC check
        return True
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


class UnknownColourError(ArtkitError):
    """A colour name that is not one of the CSS names; carries close matches."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = list(suggestions)
        if self.suggestions:
            quoted = [f"'{s}'" for s in self.suggestions]
            if len(quoted) == 1:
                hint = f"Did you mean {quoted[0]}?"
            else:
                hint = f"Did you mean {', '.join(quoted[:-1])} or {quoted[-1]}?"
        else:
            hint = "Try a name like 'red' or 'skyblue', or a code like '#ff8800'."
        super().__init__(f"I don't know the colour '{name}'. {hint}")


UnknownColorError = UnknownColourError


@dataclass(frozen=True)
class ColourMode:
    """How numbers are read: ``kind`` (RGB, HSB or HSL) and the maximum of each channel."""

    kind: str = RGB
    maxes: tuple[float, float, float, float] = _DEFAULT_MAXES[RGB]

    def __init__(self, kind: str = RGB, *maxes: float):
        """``ColourMode(HSB)``, ``ColourMode(HSB, 1)`` or ``ColourMode(RGB, 1, 1, 1, 1)`` (p5 rules)."""
        kind_key = str(kind).strip().lower()
        if kind_key not in _DEFAULT_MAXES:
            raise ArtkitError(f"The colour mode must be RGB, HSB or HSL, not {kind!r}.")
        default = _DEFAULT_MAXES[kind_key]
        if len(maxes) == 0:
            full = default
        elif len(maxes) == 1:
            full = (maxes[0],) * 4
        elif len(maxes) == 3:
            full = (maxes[0], maxes[1], maxes[2], default[3])
        elif len(maxes) == 4:
            full = tuple(maxes)
        else:
            raise ArtkitError(
                "colour_mode takes a mode and then 1, 3 or 4 maximum values, "
                f"but got {len(maxes)} maximum values."
            )
        checked = []
        for m in full:
            if not _is_number(m) or not m > 0 or math.isinf(m):
                raise ArtkitError(f"A colour maximum must be a positive number, not {m!r}.")
            checked.append(float(m))
        object.__setattr__(self, "kind", kind_key)
        object.__setattr__(self, "maxes", tuple(checked))
        # True when numbers are plain 0-255 RGB, so to_rgba can take its fast path.
        object.__setattr__(self, "bytes_rgb", kind_key == RGB and self.maxes == (255.0,) * 4)


ColorMode = ColourMode
_RGB_MODE = ColourMode(RGB)


def colour_mode(kind=RGB, *maxes: float) -> ColourMode:
    """Build a ColourMode the way p5's ``colorMode(mode, ...)`` is called."""
    if isinstance(kind, ColourMode):
        if maxes:
            return ColourMode(kind.kind, *maxes)
        return kind
    return ColourMode(kind, *maxes)


color_mode = colour_mode


def _as_mode(mode) -> ColourMode:
    if mode is None:
        return _RGB_MODE
    if isinstance(mode, ColourMode):
        return mode
    return ColourMode(mode)


def _byte(unit: float) -> int:
    """0..1 -> 0..255, rounding half up like p5 (Math.round)."""
    if unit <= 0.0:
        return 0
    if unit >= 1.0:
        return 255
    return int(unit * 255.0 + 0.5)


def _clamp01(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


def to_rgba(value, mode=None) -> tuple[int, int, int, int]:
    """Turn any colour people write into an ``(r, g, b, a)`` tuple of ints 0-255.

    ``mode`` is a ColourMode (or ``"rgb"``/``"hsb"``/``"hsl"``) that says how numbers are read;
    names and hex codes mean the same in every mode. Bad input raises an ArtkitError whose
    message says what to write instead.
    """
    if type(value) is tuple and (mode is None or getattr(mode, "bytes_rgb", False)):
        fast = _byte_tuple(value)
        if fast is not None:
            return fast
    if isinstance(value, str):
        return _parse_string(value)
    if _is_number(value):
        return _from_numbers((value,), _as_mode(mode))
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return _from_numbers((value.item(),), _as_mode(mode))
        if value.ndim != 1:
            raise ArtkitError(f"A colour must be a list of 1 to 4 numbers, not an array of shape {value.shape}.")
        value = value.tolist()
    if isinstance(value, (tuple, list)):
        if len(value) == 1 and not _is_number(value[0]):
            return to_rgba(value[0], mode)
        if len(value) == 2 and isinstance(value[0], (str, tuple, list)):
            # ("red", 128): a named or hex colour with the alpha read in this mode.
            r, g, b, _ = to_rgba(value[0], mode)
            alpha = value[1]
            m = _as_mode(mode)
            _check_numbers((alpha,))
            return (r, g, b, _byte(_clamp01(float(alpha) / m.maxes[3])))
        return _from_numbers(tuple(value), _as_mode(mode))
    if value is None:
        raise ArtkitError("A colour is missing: give a name like 'red', a code like '#ff8800' or numbers like (255, 136, 0).")
    raise ArtkitError(
        f"I can't use {value!r} as a colour: give a name like 'red', a code like '#ff8800' "
        "or numbers like (255, 136, 0)."
    )


def _byte_tuple(values: tuple):
    """(r, g, b[, a]) already as ints 0-255 in plain RGB mode: the hot path of fill()/stroke()."""
    if len(values) == 3:
        r, g, b = values
        a = 255
    elif len(values) == 4:
        r, g, b, a = values
    else:
        return None
    for v in (r, g, b, a):
        if type(v) is not int or v < 0 or v > 255:
            return None
    return (r, g, b, a)


def _check_numbers(values) -> None:
    for v in values:
        if not _is_number(v):
            raise ArtkitError(
                f"Colour numbers must be numbers, but one of them is {v!r}; "
                "write something like (255, 136, 0)."
            )
        if math.isnan(v):
            raise ArtkitError("A colour number is NaN (not a number); check the maths that made it.")


def _from_numbers(values: tuple, mode: ColourMode) -> tuple[int, int, int, int]:
    n = len(values)
    if n not in (1, 2, 3, 4):
        raise ArtkitError(
            f"A colour needs 1, 2, 3 or 4 numbers (grey, grey+alpha, r g b, r g b alpha), but got {n}."
        )
    _check_numbers(values)
    maxes = mode.maxes
    if n <= 2:
        grey = _byte(_clamp01(values[0] / maxes[2]))
        alpha = _byte(_clamp01(values[1] / maxes[3])) if n == 2 else 255
        return (grey, grey, grey, alpha)
    alpha = _byte(_clamp01(values[3] / maxes[3])) if n == 4 else 255
    if mode.kind == RGB:
        return (
            _byte(values[0] / maxes[0]),
            _byte(values[1] / maxes[1]),
            _byte(values[2] / maxes[2]),
            alpha,
        )
    hue = (values[0] / maxes[0]) % 1.0
    second = _clamp01(values[1] / maxes[1])
    third = _clamp01(values[2] / maxes[2])
    if mode.kind == HSB:
        r, g, b = colorsys.hsv_to_rgb(hue, second, third)
    else:
        r, g, b = colorsys.hls_to_rgb(hue, third, second)
    return (_byte(r), _byte(g), _byte(b), alpha)


def _parse_string(text: str) -> tuple[int, int, int, int]:
    stripped = text.strip()
    if stripped.startswith("#"):
        return _parse_hex(stripped)
    key = stripped.lower().replace(" ", "").replace("_", "").replace("-", "")
    rgba = _NAME_TO_RGBA.get(key)
    if rgba is not None:
        return rgba
    if key and len(key) in (3, 4, 6, 8) and set(key) <= _HEX_DIGITS:
        raise ArtkitError(f"Colour codes start with '#': write '#{key}' instead of '{text}'.")
    raise UnknownColourError(text, _suggest(key))


def _parse_hex(code: str) -> tuple[int, int, int, int]:
    digits = code[1:]
    if len(digits) not in (3, 4, 6, 8) or not set(digits) <= _HEX_DIGITS:
        raise ArtkitError(
            f"'{code}' is not a colour code: write '#' and then 3, 4, 6 or 8 of the digits "
            "0-9 and a-f, like '#f80' or '#ff8800'."
        )
    if len(digits) <= 4:
        channels = [int(d, 16) * 17 for d in digits]
    else:
        channels = [int(digits[i:i + 2], 16) for i in range(0, len(digits), 2)]
    if len(channels) == 3:
        channels.append(255)
    return tuple(channels)


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _suggest(key: str, how_many: int = 2) -> list[str]:
    """Close CSS names: difflib finds candidates, edit distance ranks them (typos first)."""
    candidates = difflib.get_close_matches(key, CSS_COLOURS.keys(), n=6, cutoff=0.6)
    candidates.sort(key=lambda name: _edit_distance(key, name))
    return candidates[:how_many]


def hsb_to_rgb(h: float, s: float, b: float) -> tuple[int, int, int]:
    """Hue 0-360 (wraps), saturation and brightness 0-100 (clamped) -> (r, g, b) ints 0-255."""
    _check_numbers((h, s, b))
    r, g, bl = colorsys.hsv_to_rgb((h / 360.0) % 1.0, _clamp01(s / 100.0), _clamp01(b / 100.0))
    return (_byte(r), _byte(g), _byte(bl))


def rgb_to_hsb(r: float, g: float, b: float) -> tuple[float, float, float]:
    """(r, g, b) 0-255 -> (hue 0-360, saturation 0-100, brightness 0-100) as floats."""
    _check_numbers((r, g, b))
    h, s, v = colorsys.rgb_to_hsv(_clamp01(r / 255.0), _clamp01(g / 255.0), _clamp01(b / 255.0))
    return (h * 360.0, s * 100.0, v * 100.0)


def hsb_to_rgb_array(hsb) -> np.ndarray:
    """Vectorised HSB -> RGB for brushes: array (..., 3) of hue 0-360, s and b 0-100 ->
    float32 array (..., 3) of r, g, b in 0-255 (not rounded)."""
    hsb = np.asarray(hsb, dtype=np.float64)
    if hsb.shape[-1:] != (3,):
        raise ArtkitError(f"hsb_to_rgb_array needs an array whose last axis has 3 values, not shape {hsb.shape}.")
    h = np.mod(hsb[..., 0] / 60.0, 6.0)
    s = np.clip(hsb[..., 1] / 100.0, 0.0, 1.0)
    v = np.clip(hsb[..., 2] / 100.0, 0.0, 1.0)
    # Standard formulation: each channel is v - v*s*clip(min(k, 4-k), 0, 1) with k = (n + h) mod 6.
    out = np.empty(hsb.shape, dtype=np.float64)
    for channel, n in enumerate((5.0, 3.0, 1.0)):
        k = np.mod(n + h, 6.0)
        out[..., channel] = v - v * s * np.clip(np.minimum(k, 4.0 - k), 0.0, 1.0)
    return (out * 255.0).astype(np.float32)


def lerp_colour(a, b, t: float, mode=None) -> tuple[int, int, int, int]:
    """The colour a fraction ``t`` (clamped to 0..1) of the way from ``a`` to ``b``.

    Like p5's ``lerpColor``: it blends in RGB, or in HSB/HSL when ``mode`` is one of those
    (the hue then travels the straight way between the two hues, as in p5).
    """
    _check_numbers((t,))
    t = _clamp01(float(t))
    m = _as_mode(mode)
    ca, cb = to_rgba(a, m), to_rgba(b, m)
    if m.kind == RGB:
        return tuple(int(x + (y - x) * t + 0.5) for x, y in zip(ca, cb))
    ha, hb = rgb_to_hsb(*ca[:3]), rgb_to_hsb(*cb[:3])
    mixed = [x + (y - x) * t for x, y in zip(ha, hb)]
    rgb = hsb_to_rgb(*mixed) if m.kind == HSB else _hsl_mix(ca, cb, t)
    alpha = int(ca[3] + (cb[3] - ca[3]) * t + 0.5)
    return (*rgb, alpha)


def _hsl_mix(ca, cb, t: float) -> tuple[int, int, int]:
    ha = colorsys.rgb_to_hls(*(c / 255.0 for c in ca[:3]))
    hb = colorsys.rgb_to_hls(*(c / 255.0 for c in cb[:3]))
    h, l, s = (x + (y - x) * t for x, y in zip(ha, hb))
    return tuple(_byte(c) for c in colorsys.hls_to_rgb(h, l, s))


lerp_color = lerp_colour
