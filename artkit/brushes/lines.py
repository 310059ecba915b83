"""Straight-line brushes: sprinkles (stars), diagonal hatching, lines that follow the hand, and
black-and-white texture. Each touch is a clump of lines; each line takes the source colour under
its middle (lines of a clump that share a colour are drawn as one path)."""

from __future__ import annotations

import abc
import dataclasses
import math

import numpy as np

from artkit.brushes.base import (MIN_LAYER_HAIR, SIZE_MAX, SIZE_MIN, Brush, param,
                                 resample_path, scatter, to_rgba)
from artkit.strokes import LINE, Strokes


# Lines of one clump whose colours all lie within this many levels (of 255) of the clump's mean
# share the mean: they become one path (far fewer draw calls), and the difference is invisible
# under translucent paint. Clumps across an edge keep each line's own colour.
_MERGE_TOLERANCE = 10


def _merge_close_colours(rgba: np.ndarray) -> np.ndarray:
    """(M, count, 4) colours with near-uniform clumps set to their mean colour."""
    mean = rgba.astype(np.float32).mean(axis=1, keepdims=True)
    spread = np.abs(rgba - mean).max(axis=(1, 2))
    close = spread <= _MERGE_TOLERANCE
    out = rgba.copy()
    out[close] = np.rint(np.broadcast_to(mean[close], out[close].shape)).astype(np.uint8)
    return out


def _lines(starts: np.ndarray, angles: np.ndarray, lengths: np.ndarray,
           centred: bool = False) -> np.ndarray:
    """(..., 2, 2) segments from start points, directions (radians) and lengths; with
    `centred`, the points are the segments' middles instead of their starts."""
    reach = np.stack([np.cos(angles), np.sin(angles)], axis=-1) * lengths[..., None]
    if centred:
        starts = starts - 0.5 * reach
    return np.stack([starts, starts + reach], axis=-2).astype(np.float32)


@dataclasses.dataclass
class LineClumpBrush(Brush):
    """A clump of `count` lines per touch, each in the colour under its middle."""

    base_size = 16.0
    size: float = param(16.0, SIZE_MIN, SIZE_MAX)
    count: int = param(10, 1, 1000)                          # lines per touch
    weight: float = param(1.5, 0.0, 100.0, above_low=True)   # line width in px (default size)
    alpha: float = param(90.0, 0.0, 255.0)                   # 0..255

    def marks_per_touch(self) -> int:
        return int(self.count)

    def for_layer(self, size, first):
        """The layered plan's copy, with lines at least MIN_LAYER_HAIR px wide (a thinner
        line at a fine layer's small size is a faint smear; see `FlowBrush.for_layer`)."""
        brush = super().for_layer(size, first)
        brush.weight = max(brush.weight, MIN_LAYER_HAIR / brush.scale)
        return brush

    def empty(self) -> Strokes:
        return Strokes.empty(LINE)

    @abc.abstractmethod
    def segments(self, centres, rng, headings) -> np.ndarray:
        """(M, count, 2, 2) line segments for touches at centres."""

    def colour_lines(self, source, segs, rng) -> tuple[np.ndarray, np.ndarray]:
        """The segments (possibly reordered within each clump) and their (M, count, 4)
        colours: the source under each line's middle, near-uniform clumps merged."""
        mid = segs.mean(axis=2).reshape(-1, 2)
        rgba = to_rgba(source.colour_at(mid[:, 0], mid[:, 1]), self.alpha).reshape(
            segs.shape[0], segs.shape[1], 4)
        return segs, _merge_close_colours(rgba)

    def touch(self, source, centres, rng, headings) -> Strokes:
        centres = np.asarray(centres, np.float32)
        m, count = len(centres), max(1, int(self.count))
        segs = self.segments(centres, rng, headings)                  # (M, count, 2, 2)
        segs, rgba = self.colour_lines(source, segs, rng)
        group = np.repeat(np.arange(m, dtype=np.int32), count)
        width = np.full(m * count, self.weight * self.scale, np.float32)
        return Strokes(LINE, segs.reshape(-1, 2, 2), rgba.reshape(-1, 4), width, group)


@dataclasses.dataclass
class SprinklesBrush(LineClumpBrush):
    name = "sprinkles"
    summary = "bursts of thin lines flying out from the pointer in every direction (stars)"

    count: int = 12
    weight: float = 1.0
    alpha: float = 110.0
    reach: float = param(1.6, 0.0, 50.0, above_low=True)     # longest line, in sizes

    def segments(self, centres, rng, headings):
        m, count = len(centres), max(1, int(self.count))
        starts = scatter(centres, count, 0.15 * self.size, rng)
        angles = rng.uniform(0.0, 2 * math.pi, (m, count)).astype(np.float32)
        lengths = (self.reach * self.size * rng.uniform(0.3, 1.0, (m, count))).astype(np.float32)
        return _lines(starts, angles, lengths)


@dataclasses.dataclass
class DiagonalBrush(LineClumpBrush):
    name = "diagonal"
    summary = "short parallel lines all running down and to the right"

    count: int = 8
    weight: float = 2.0
    alpha: float = 80.0
    length: float = param(1.25, 0.0, 50.0, above_low=True)   # in sizes
    jitter: float = param(0.12, 0.0, math.pi)     # radians of wobble around 45 degrees

    def segments(self, centres, rng, headings):
        m, count = len(centres), max(1, int(self.count))
        starts = scatter(centres, count, self.size, rng)
        angles = (math.pi / 4 + rng.normal(0.0, self.jitter, (m, count))).astype(np.float32)
        lengths = (self.length * self.size * rng.uniform(0.5, 1.0, (m, count))).astype(np.float32)
        # Centred on the scattered points, so the clump sits on the pointer.
        return _lines(starts, angles, lengths, centred=True)


@dataclasses.dataclass
class MouseDirectionBrush(LineClumpBrush):
    name = "mouse_direction"
    summary = "strokes that follow the way the mouse moves, like a real brush dragged along"

    count: int = 7
    weight: float = 2.0
    alpha: float = 75.0
    length: float = param(1.8, 0.0, 50.0, above_low=True)    # in sizes
    jitter: float = param(0.08, 0.0, math.pi)     # radians of wobble around the hand's direction
    drag: int = param(8, 1, 1000)                 # autopaint: touches per imaginary drag
    wander: float = param(0.35, 0.0, math.pi)     # autopaint: how much a drag turns per touch

    def __post_init__(self):
        self._heading = None       # the last direction the pointer moved (for held moments)
        self._last = None

    def stroke(self, source, path, rng):
        path = np.asarray(path, dtype=np.float32).reshape(-1, 2)
        if len(path) == 0:
            return self.empty()
        # A pointer that hasn't moved since the last frame keeps the last heading, as long as
        # it is where the previous stroke ended (the same drag); otherwise it lays nothing.
        if self._last is not None and len(path) >= 1:
            joined = np.concatenate([self._last[None], path])
            if float(np.hypot(*(path[0] - self._last))) <= 3 * self.size:
                path = joined
        self._last = path[-1].copy()
        centres, headings = resample_path(path, self.spacing())
        if headings is None:
            if self._heading is None:
                return self.empty()
            headings = np.full(len(centres), self._heading, np.float32)
        self._heading = float(headings[-1])
        return self.touch(source, centres, rng, headings)

    def autopaint(self, source, n, rng):
        """n touches along imaginary drags of the hand: random starts and headings that turn
        a little at every touch."""
        n = int(n)
        if n <= 0:
            return self.empty()
        per = max(1, int(self.drag))
        drags = -(-n // per)
        start = rng.uniform((0, 0), (source.width, source.height), (drags, 1, 2))
        turn = rng.normal(0.0, self.wander, (drags, per))
        turn[:, 0] = rng.uniform(0.0, 2 * math.pi, drags)
        headings = np.cumsum(turn, axis=1)
        steps = np.stack([np.cos(headings), np.sin(headings)], -1) * self.spacing()
        centres = start + np.cumsum(steps, axis=1) - steps[:, :1]
        # Start each drag so that its middle lands on the random point.
        centres -= (centres[:, -1:] - centres[:, :1]) * 0.5
        centres = centres.reshape(-1, 2)[:n].astype(np.float32)
        return self.touch(source, centres, rng, headings.reshape(-1)[:n].astype(np.float32))

    def segments(self, centres, rng, headings):
        m, count = len(centres), max(1, int(self.count))
        if headings is None:
            headings = rng.uniform(0.0, 2 * math.pi, m).astype(np.float32)
        angles = (headings[:, None] + rng.normal(0.0, self.jitter, (m, count))).astype(np.float32)
        # Bristles side by side across the direction of travel, staggered along it.
        across = rng.normal(0.0, 0.35 * self.size, (m, count)).astype(np.float32)
        along = rng.uniform(-0.3, 0.3, (m, count)).astype(np.float32) * self.size
        normal = np.stack([-np.sin(headings), np.cos(headings)], -1)[:, None, :]
        forward = np.stack([np.cos(headings), np.sin(headings)], -1)[:, None, :]
        lengths = (self.length * self.size * rng.uniform(0.6, 1.0, (m, count))).astype(np.float32)
        mid = centres[:, None, :] + normal * across[..., None] + forward * along[..., None]
        return _lines(mid, angles, lengths, centred=True)


@dataclasses.dataclass
class TextureBrush(LineClumpBrush):
    name = "texture"
    summary = "random high-contrast black and white translucent lines (a texture layer)"

    count: int = 8
    weight: float = 1.0
    alpha: float = 45.0
    length: float = param(1.6, 0.0, 50.0, above_low=True)    # in sizes
    # how hard light/dark decide white/black (1 = plain dither)
    contrast: float = param(2.5, 0.0, 100.0)

    def segments(self, centres, rng, headings):
        m, count = len(centres), max(1, int(self.count))
        starts = scatter(centres, count, self.size, rng)
        angles = rng.uniform(0.0, 2 * math.pi, (m, count)).astype(np.float32)
        lengths = (self.length * self.size * rng.uniform(0.4, 1.0, (m, count))).astype(np.float32)
        return _lines(starts, angles, lengths, centred=True)

    def colour_lines(self, source, segs, rng):
        # White with a probability that rises steeply with the brightness under each line's
        # middle, else black: a high-contrast dither of the picture.
        m, count = segs.shape[:2]
        mid = segs.mean(axis=2)
        lum = source.luminance_at(mid[..., 0].ravel(), mid[..., 1].ravel()).reshape(m, count)
        p_white = np.clip(0.5 + (lum - 0.5) * self.contrast, 0.0, 1.0)
        white = rng.random((m, count)) < p_white
        # Whites first within each clump, so a clump is at most two paths.
        order = np.argsort(~white, axis=1, kind="stable")
        segs = np.take_along_axis(segs, order[:, :, None, None], axis=1)
        white = np.take_along_axis(white, order, axis=1)
        rgba = np.zeros((m, count, 4), np.uint8)
        rgba[white, :3] = 255
        rgba[..., 3] = np.uint8(np.clip(round(self.alpha), 0, 255))
        return segs, rgba
