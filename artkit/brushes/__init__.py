"""The hairy-portrait brushes, by name.

`BRUSHES` maps each name to its class (in toolbar order); `make_brush(name, **params)` builds
one with checked parameters. Every brush has `name`, `summary` (one line), `size`, and
`stroke(source, path, rng)` / `autopaint(source, n, rng)` returning a `Strokes` batch.
"""

from __future__ import annotations

import difflib

from artkit.brushes.base import Brush
from artkit.brushes.dabs import DabsBrush, SquaresBrush
from artkit.brushes.flow import (BroadShortBrush, CurvesBrush, FlowBrush, FlowGreyBrush,
                                 FlowWeightedBrush)
from artkit.brushes.lines import (DiagonalBrush, MouseDirectionBrush, SprinklesBrush,
                                  TextureBrush)
from artkit.errors import ArtkitError

__all__ = ["Brush", "BRUSHES", "make_brush", "brush_names"]

BRUSHES: dict[str, type[Brush]] = {
    cls.name: cls
    for cls in (
        DabsBrush, SquaresBrush, SprinklesBrush, DiagonalBrush, FlowBrush, FlowGreyBrush,
        FlowWeightedBrush, BroadShortBrush, CurvesBrush, MouseDirectionBrush, TextureBrush,
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
        values[key] = _coerce(cls.name, key, value, type(getattr(cls, key, value)))
    brush = cls(**values)
    if not brush.size > 0:
        raise ArtkitError(f"A brush size must be more than 0, not {brush.size}.")
    return brush


def _coerce(brush: str, key: str, value, kind: type):
    """Turn a value (possibly a string from the command line) into the parameter's type."""
    try:
        if kind is bool:
            if isinstance(value, str):
                low = value.strip().lower()
                if low in ("1", "true", "yes", "on"):
                    return True
                if low in ("0", "false", "no", "off"):
                    return False
                raise ValueError(value)
            return bool(value)
        if kind is int:
            number = float(value)
            if number != int(number):
                raise ValueError(value)
            return int(number)
        if kind is float:
            number = float(value)
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError(value)
            return number
        return kind(value)
    except (TypeError, ValueError):
        kind_name = {bool: "true or false", int: "a whole number", float: "a number"}.get(
            kind, kind.__name__)
        raise ArtkitError(f"The {brush} brush's {key} must be {kind_name}, not {value!r}."
                          ) from None
