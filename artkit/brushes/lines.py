"""Straight-line brushes: sprinkles (stars), diagonal hatching, lines that follow the hand, and
black-and-white texture. Each touch is a clump of lines drawn as one path, coloured from the
source at the touch (so crossings inside a clump don't darken)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from artkit.brushes.base import Brush, scatter, to_rgba
from artkit.strokes import LINE, Strokes


def _lines(starts: np.ndarray, angles: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """(M, 2, 2) segments from start points, directions (radians) and lengths."""
    ends = starts + np.stack([np.cos(angles), np.sin(angles)], axis=-1) * lengths[..., None]
    return np.stack([starts, ends], axis=-2).astype(np.float32)


@dataclasses.dataclass
class LineClumpBrush(Brush):
    """A clump of `count` lines per touch, all in the colour under the touch."""

    base_size = 16.0
    size: float = 16.0
    count: int = 10
    weight: float = 1.5
    alpha: float = 90.0

    def marks_per_touch(self) -> int:
        return int(self.count)

    def empty(self) -> Strokes:
        return Strokes.empty(LINE)

    def segments(self, centres, rng, headings) -> np.ndarray:
        """(M, count, 2, 2) line segments for touches at centres."""
        raise NotImplementedError

    def colours(self, source, centres, segs, rng) -> np.ndarray:
        return to_rgba(source.colour_at(centres[:, 0], centres[:, 1]), self.alpha)

    def touch(self, source, centres, rng, headings) -> Strokes:
        centres = np.asarray(centres, np.float32)
        m, count = len(centres), max(1, int(self.count))
        segs = self.segments(centres, rng, headings)                  # (M, count, 2, 2)
        rgba = self.colours(source, centres, segs, rng)                # (M, 4) or (M, count, 4)
        if rgba.ndim == 2:
            rgba = np.repeat(rgba, count, axis=0)
        else:
            rgba = rgba.reshape(-1, 4)
        group = np.repeat(np.arange(m, dtype=np.int32), count)
        width = np.full(m * count, self.weight * self.scale, np.float32)
        return Strokes(LINE, segs.reshape(-1, 2, 2), rgba, width, group)


@dataclasses.dataclass
class SprinklesBrush(LineClumpBrush):
    name = "sprinkles"
    summary = "bursts of thin lines flying out from the pointer in every direction (stars)"

    count: int = 12
    weight: float = 1.2
    alpha: float = 110.0
    reach: float = 1.6            # longest line, in sizes

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
    length: float = 1.5           # in sizes
    jitter: float = 0.12          # radians of wobble around 45 degrees

    def segments(self, centres, rng, headings):
        m, count = len(centres), max(1, int(self.count))
        starts = scatter(centres, count, self.size, rng)
        angles = (math.pi / 4 + rng.normal(0.0, self.jitter, (m, count))).astype(np.float32)
        lengths = (self.length * self.size * rng.uniform(0.5, 1.0, (m, count))).astype(np.float32)
        # Centre each line on its start point so the clump sits on the pointer.
        starts = starts - 0.5 * np.stack([np.cos(angles), np.sin(angles)], -1) * lengths[..., None]
        return _lines(starts, angles, lengths)
