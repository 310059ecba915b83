"""The hairy-portrait brushes, by name.

`BRUSHES` maps each name to its class (in toolbar order); `make_brush(name, **params)` builds
one with checked parameters: each value (a Python value, or text from `--param size=20`) goes
through the `artkit.params.Param` its field declares, so `size=500` or `size=abc` is refused in
one sentence. Every brush has `name`, `summary` (one line), `size`, and
`stroke(source, path, rng)` / `autopaint(source, n, rng)` returning a `Strokes` batch.
`clamp_size(px)` keeps a size inside SIZE_MIN..SIZE_MAX, the range the app's slider spans.
"""

from __future__ import annotations

import difflib

from artkit.brushes.base import SIZE_MAX, SIZE_MIN, Brush, clamp_size
from artkit.brushes.dabs import DabsBrush, SquaresBrush
from artkit.brushes.flow import (BroadShortBrush, CurvesBrush, FlowBrush, FlowGreyBrush,
                                 FlowWeightedBrush)
from artkit.brushes.lines import (DiagonalBrush, MouseDirectionBrush, SprinklesBrush,
                                  TextureBrush)
from artkit.brushes.painterly import PainterlyBrush
from artkit.errors import ArtkitError

__all__ = ["Brush", "BRUSHES", "make_brush", "brush_names", "clamp_size", "SIZE_MIN", "SIZE_MAX"]

BRUSHES: dict[str, type[Brush]] = {
    cls.name: cls
    for cls in (
        DabsBrush, SquaresBrush, SprinklesBrush, DiagonalBrush, FlowBrush, FlowGreyBrush,
        FlowWeightedBrush, BroadShortBrush, CurvesBrush, MouseDirectionBrush, TextureBrush,
        PainterlyBrush,
    )
}


def brush_names() -> list[str]:
    return list(BRUSHES)


def make_brush(name: str, **params) -> Brush:
    """A brush by name with some parameters changed, e.g. make_brush("flow", size=20).
    Unknown names and parameters raise ArtkitError naming what would work."""
    cls = BRUSHES.get(str(name).strip().lower())
    if cls is None:
        close = difflib.get_close_matches(str(name).lower(), list(BRUSHES), n=2, cutoff=0.5)
        if close:
            raise ArtkitError(f"I don't know the brush {name!r}; did you mean "
                              f"{' or '.join(repr(c) for c in close)}?")
        raise ArtkitError(f"I don't know the brush {name!r}; the brushes are: "
                          f"{', '.join(BRUSHES)}.")
    names = cls.param_names()
    values = {}
    for key, value in params.items():
        if key not in names:
            raise ArtkitError(f"The {cls.name} brush has no parameter {key!r}; "
                              f"its parameters are: {', '.join(names)}.")
        values[key] = cls.coerce_param(key, value)
    return cls(**values)
