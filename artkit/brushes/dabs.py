"""Dab brushes: translucent round or square dabs scattered around the pointer, each coloured
from the source where it lands."""

from __future__ import annotations

import dataclasses

import numpy as np

from artkit.brushes.base import SIZE_MAX, SIZE_MIN, Brush, param, scatter, to_rgba
from artkit.strokes import CIRCLE, SQUARE, Strokes


@dataclasses.dataclass
class DabsBrush(Brush):
    name = "dabs"
    summary = "about 30 translucent round dabs (4-16 px) scattered around the pointer"
    kind = CIRCLE
    base_size = 16.0

    # the largest dab's diameter; the smallest is a quarter of it
    size: float = param(16.0, SIZE_MIN, SIZE_MAX)
    count: int = param(30, 1, 1000)          # dabs per touch
    spread: float = param(1.2, 0.0, 20.0)    # how far dabs stray from the pointer, in sizes
    alpha: float = param(90.0, 0.0, 255.0)   # 0..255

    def marks_per_touch(self) -> int:
        return int(self.count)

    def empty(self) -> Strokes:
        return Strokes.empty(self.kind)

    def touch(self, source, centres, rng, headings) -> Strokes:
        count = max(1, int(self.count))
        size = float(self.size)
        pts = scatter(centres, count, self.spread * size, rng).reshape(-1, 2)
        diameters = rng.uniform(size * 0.25, size, len(pts)).astype(np.float32)
        colours = source.colour_at(pts[:, 0], pts[:, 1])
        return Strokes(self.kind, pts, to_rgba(colours, self.alpha), diameters)


@dataclasses.dataclass
class SquaresBrush(DabsBrush):
    name = "squares"
    summary = "about 30 translucent square dabs scattered around the pointer"
    kind = SQUARE

    alpha: float = 80.0
