"""What every brush shares: the `Brush` interface, parameters, and the numpy helpers that turn
pointer positions into batches of marks.

A brush turns *where the hand is* into *what marks to make*. `stroke(source, path, rng)` is
called every frame while the button is held, with the pointer positions since the last frame;
`autopaint(source, n, rng)` makes n "touches" (clumps of marks) at random places. Both go
through one method, `touch(source, centres, rng, headings)`, so a brush looks the same by hand
and by itself. All randomness comes from the `rng` passed in (never global random), so the
same seed paints the same marks.

Parameters are dataclass fields with defaults that give the brush's look; `size` is the one
the app changes (mouse wheel, [ and ]) and every brush scales its geometry with it. Each field
is declared with `param(default, low, high)`, which records the range `--param` may give it
(an `artkit.params.Param`); a subclass that only changes a default keeps its parent's range.
`make_brush` checks values against these, and `Brush.clamp_size` keeps the app's size inside
SIZE_MIN..SIZE_MAX, the same range the toolbar's slider shows.
"""

from __future__ import annotations

import abc
import dataclasses
import math
from typing import ClassVar

import numpy as np

from artkit.params import Param
from artkit.strokes import Strokes

__all__ = ["Brush", "SIZE_MIN", "SIZE_MAX", "clamp_size", "param", "resample_path", "to_rgba",
           "scatter", "random_centres", "ground_alpha", "GROUND_COATS", "MIN_LAYER_HAIR"]

# Brush sizes, in canvas px: what --param size=... may be, and what the app's slider and mouse
# wheel span.
SIZE_MIN, SIZE_MAX = 1.0, 200.0

_PARAM = "param"  # the key of a field's Param in its metadata


def param(default, low=None, high=None, *, above_low: bool = False, choices=None):
    """A brush parameter: a dataclass field with its default and the values it may take.

    `low`/`high` are inclusive bounds (None: none); `above_low` makes the value have to be
    more than `low` (for lengths that can't be 0). The kind is the default's type."""
    spec = Param(type(default), low, high, choices, above_low)
    return dataclasses.field(default=default, metadata={_PARAM: spec})


@dataclasses.dataclass
class Brush(abc.ABC):
    name: ClassVar[str] = "brush"
    summary: ClassVar[str] = ""
    # The size at which the other parameters are given; marks scale by size / base_size.
    base_size: ClassVar[float] = 16.0

    size: float = param(16.0, SIZE_MIN, SIZE_MAX)

    # The picture's smoothed orientation (an `artkit.orientation.OrientationField`) that brushes
    # which lay marks in a direction follow where the picture has a clear one, or None: their
    # own way (a noise field, the hand's movement). Not a parameter: the layered plan sets it on
    # the copies of a brush it paints its layers with (`for_layer`).
    orientation: ClassVar = None

    # -- the interface ----------------------------------------------------------------------
    def stroke(self, source, path, rng: np.random.Generator) -> Strokes:
        """Marks for a pointer moving along `path` ((N, 2) canvas px, the points since the last
        frame; N >= 1). Touches are spaced evenly along the path so fast moves leave no gaps;
        a pointer held still keeps laying touches where it is."""
        path = np.asarray(path, dtype=np.float32).reshape(-1, 2)
        if len(path) == 0:
            return self.empty()
        centres, headings = resample_path(path, self.spacing())
        return self.touch(source, centres, rng, headings)

    def autopaint(self, source, n: int, rng: np.random.Generator) -> Strokes:
        """n touches (clumps of marks) at random places over the whole canvas."""
        n = int(n)
        if n <= 0:
            return self.empty()
        return self.touch(source, random_centres(source, n, rng), rng, None)

    def autopaint_batches(self, source, counts, rng: np.random.Generator) -> list[Strokes]:
        """The batches `[self.autopaint(source, n, rng) for n in counts]` makes, mark for mark
        (the same random draws in the same order). A brush whose marks cost more to compute
        than to draw computes them for all the batches at once (one numpy call per step for
        thousands of touches instead of dozens: `FlowBrush`); the default makes them one by
        one."""
        return [self.autopaint(source, n, rng) for n in counts]

    @abc.abstractmethod
    def touch(self, source, centres: np.ndarray, rng: np.random.Generator,
              headings: np.ndarray | None) -> Strokes:
        """The marks for touches at `centres` (M, 2); `headings` (M,) radians of the hand's
        movement there, or None when unknown (autopaint, a pointer held still)."""

    @abc.abstractmethod
    def empty(self) -> Strokes:
        """No marks, of this brush's kind."""

    def for_layer(self, size: float, first: bool) -> "Brush":
        """A copy of this brush for one layer of the layered plan (`artkit.layered`), at
        `size` px. `first` is the coarsest layer, which lays the ground, as a painter's
        underpainting does: its marks are as opaque as GROUND_COATS of the brush's own marks
        laid on top of each other, so the ground covers the paper in a round or two; the
        finer layers keep the brush's own translucency. A brush that should lay its ground
        differently says so here (curves also lays its darks as opaque as its lights)."""
        brush = dataclasses.replace(self, size=float(self.clamp_size(size)))
        alpha = getattr(brush, "alpha", None)
        if first and isinstance(alpha, (int, float)) and not isinstance(alpha, bool):
            brush.alpha = ground_alpha(alpha)
        return brush

    # -- shared facts -----------------------------------------------------------------------
    @property
    def scale(self) -> float:
        """How much bigger than at its default size the brush paints."""
        return float(self.size) / self.base_size

    def spacing(self) -> float:
        """Distance between touches along a dragged path, in canvas pixels."""
        return max(1.0, 0.75 * float(self.size))

    def marks_per_touch(self) -> int:
        """About how many marks one touch makes (for the app's frame budget and the bench)."""
        return 1

    def params(self) -> dict:
        """The brush's parameters and their values (JSON-able; for provenance)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    @classmethod
    def param_names(cls) -> list[str]:
        return [f.name for f in dataclasses.fields(cls)]

    @classmethod
    def param_spec(cls, name: str) -> Param:
        """The Param of the field `name`: declared where the field is (or, when a subclass only
        changes the default, where a parent class declared it); unbounded if none is."""
        for klass in cls.__mro__:
            declared = klass.__dict__.get("__dataclass_fields__", {}).get(name)
            if declared is not None and _PARAM in declared.metadata:
                return declared.metadata[_PARAM]
        fields = {f.name: f for f in dataclasses.fields(cls)}
        if name not in fields:
            raise KeyError(name)
        return Param.from_default(fields[name].default)

    @classmethod
    def param_specs(cls) -> dict[str, Param]:
        """Every parameter's Param, in field order."""
        return {name: cls.param_spec(name) for name in cls.param_names()}

    @classmethod
    def coerce_param(cls, name: str, value):
        """`value` (a Python value or command-line text) checked for the parameter `name`;
        raises ArtkitError with one sentence ("The flow brush's size must be a number from 1
        to 200, not '500'.")."""
        return cls.param_spec(name).coerce(value, f"the {cls.name} brush's {name}")

    @classmethod
    def clamp_size(cls, px: float) -> float:
        """A size brought inside SIZE_MIN..SIZE_MAX (the mouse wheel stops at the limit)."""
        return float(cls.param_spec("size").clamp(px))


def clamp_size(px: float) -> float:
    """A brush size brought inside SIZE_MIN..SIZE_MAX px (for the app's wheel and keys)."""
    return Brush.clamp_size(px)


# Under the layered plan a hair or line is at least this wide (px), however small the layer's
# brush: thinner ones barely show (see `FlowBrush.for_layer`).
MIN_LAYER_HAIR = 1.0

# The layered plan's ground layer: each mark as opaque as this many of the brush's own marks
# on top of each other (alpha 60 becomes 125, 90 becomes 169, 130 becomes 212).
GROUND_COATS = 2.5


def ground_alpha(alpha: float) -> float:
    """The alpha (0..255) of a ground-layer mark for a brush whose marks have `alpha`."""
    clear = 1.0 - min(max(float(alpha), 0.0), 255.0) / 255.0
    return round(255.0 * (1.0 - clear ** GROUND_COATS), 1)


# ------------------------------------------------------------------------------------------
# Helpers


def resample_path(path: np.ndarray, spacing: float) -> tuple[np.ndarray, np.ndarray | None]:
    """Touch points every `spacing` px along a polyline, ending at its last point, and the
    heading (radians) of the movement at each. A single point (or a pointer that didn't move)
    gives that point and no headings."""
    path = np.asarray(path, dtype=np.float32).reshape(-1, 2)
    seg = np.diff(path, axis=0)
    lengths = np.hypot(seg[:, 0], seg[:, 1])
    total = float(lengths.sum())
    if len(path) == 1 or total < 1e-6:
        return path[-1:].copy(), None
    count = max(1, math.ceil(total / spacing))
    at = np.linspace(total / count, total, count, dtype=np.float64)
    keep = lengths > 1e-9
    cum_k = np.concatenate([[0.0], np.cumsum(lengths[keep], dtype=np.float64)])
    seg_k, start_k = seg[keep], path[:-1][keep]
    idx = np.clip(np.searchsorted(cum_k, at, side="left") - 1, 0, len(seg_k) - 1)
    t = ((at - cum_k[idx]) / lengths[keep][idx]).astype(np.float32)[:, None]
    centres = start_k[idx] + seg_k[idx] * t
    headings = np.arctan2(seg_k[idx, 1], seg_k[idx, 0]).astype(np.float32)
    return centres.astype(np.float32), headings


def to_rgba(rgb: np.ndarray, alpha) -> np.ndarray:
    """float RGB (N, 3) in 0..1 and an alpha (0..255, scalar or (N,)) → uint8 RGBA (N, 4)."""
    rgb = np.asarray(rgb, np.float32)
    out = np.empty((len(rgb), 4), np.uint8)
    out[:, :3] = np.clip(np.rint(rgb * 255.0), 0, 255)
    out[:, 3] = np.clip(np.rint(np.asarray(alpha, np.float32)), 0, 255)
    return out


def random_centres(source, n: int, rng: np.random.Generator) -> np.ndarray:
    """n touch centres (n, 2) drawn uniformly over the whole canvas."""
    return rng.uniform((0, 0), (source.width, source.height), (int(n), 2)).astype(np.float32)


def scatter(centres: np.ndarray, count: int, radius: float, rng: np.random.Generator
            ) -> np.ndarray:
    """`count` points around each centre (M, 2) → (M, count, 2), normally distributed with
    standard deviation `radius` / 2 (so almost all land within `radius`)."""
    offsets = rng.normal(0.0, radius * 0.5, (len(centres), count, 2)).astype(np.float32)
    return centres[:, None, :].astype(np.float32) + offsets
