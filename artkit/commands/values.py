"""Option types for argparse: numbers with ranges, and seeds, checked as the line is read.

Each is a `type=` for `add_argument`. A bad value ("nan", "inf", "", "abc", -5 where counts
start at 1, a number too big to mean anything) stops the command before any work with one
sentence, "--frames must be a whole number from 1 to 1000000, not 'nan'."
(`artkit.commands.argparser` puts the option's name in front of the words raised here). The
coercion and its wording are `artkit.params.Param`'s, the one used for brush parameters too.
"""

from __future__ import annotations

import argparse

from artkit.errors import ArtkitError
from artkit.params import Param, ParamError, parse_seed

__all__ = ["whole", "number", "seed", "finite"]


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:36] + "...'"


def _type(param: Param, name: str):
    def convert(text: str):
        try:
            return param.coerce(text, "the value")
        except ParamError as error:
            note = " (infinity and nan can't be used)" if "infinity" in str(error) else ""
            raise argparse.ArgumentTypeError(
                f"must be {error.expected}, not {_shown(text)}{note}") from None

    convert.__name__ = name
    return convert


def whole(low: int | None = None, high: int | None = None):
    """A whole number from `low` to `high` (either may be None: no limit)."""
    return _type(Param(int, low, high), "whole number")


def number(low: float | None = None, high: float | None = None, above_low: bool = False):
    """A finite number from `low` to `high`; with `above_low` it must be more than `low`."""
    return _type(Param(float, low, high, above_low=above_low), "number")


finite = number()   # any finite number: no nan, no infinity


def seed(text: str) -> int:
    """A seed: any whole number, reduced to 0..2**32-1 (see `artkit.params.parse_seed`)."""
    try:
        return parse_seed(text)
    except ArtkitError:
        raise argparse.ArgumentTypeError(
            f"must be a whole number, like 7 or -3, not {_shown(text)}") from None
