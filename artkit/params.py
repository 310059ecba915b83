"""Typed values from `--param NAME=VALUE`, with ranges: one coercion for brushes and sketches.

A `Param` says what a value may be: its kind (`bool`, `int`, `float`, `str`, a literal kind
such as `list` or `tuple`, or `object` for "any Python literal, or else the text itself"),
optional bounds and optional choices. `Param.coerce(value, what)` takes a Python value or
command-line text ("12", "0.5", "yes", "[1, 2]") and gives the value, or raises a `ParamError`
whose message is one plain sentence naming `what`:

    >>> Param(float, 1, 200).coerce("500", "the flow brush's size")
    ParamError: The flow brush's size must be a number from 1 to 200, not '500'.

`Param.clamp(value)` is for user interfaces: a slider or the mouse wheel just stops at the
limit. Brushes declare a `Param` for each field where the field is defined (see
`artkit.brushes.base.param`); a sketch's UPPERCASE settings get one from their default
(`Param.from_default`), so `--param PETALS=12` must be a whole number when the file says
`PETALS = 8`. `split_assignment` splits "NAME=VALUE" and `parse_size` reads "1024x768" for
every command.

This module is core: it imports nothing but the standard library and `artkit.errors`.
"""

from __future__ import annotations

import ast
import math
import numbers
import re
from dataclasses import dataclass

from artkit.errors import ArtkitError

__all__ = ["Param", "ParamError", "COMPUTED", "split_assignment", "parse_size", "MIN_SIDE",
           "MAX_SIDE", "format_number", "parse_seed", "reduce_seed", "SEED_MODULUS", "SEED_HELP"]

# Canvas sides every command accepts, in pixels.
MIN_SIDE, MAX_SIDE = 1, 16384

_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")
# Numbers as a person types them: ASCII digits only (Python's float() would also take '１２').
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_SIZE = re.compile(r"\s*(\d+)\s*[xX\u00d7,]\s*(\d+)\s*", re.ASCII)
_LITERAL_KINDS = {
    list: "a list in square brackets, like [1, 2, 3]",
    tuple: "a tuple in round brackets, like (1, 2)",
    dict: "a dictionary in curly brackets, like {'a': 1}",
    set: "a set in curly brackets, like {1, 2}",
}
_ANYTHING = "a number, True or False, text or a list"


class _Computed:
    def __repr__(self) -> str:
        return "COMPUTED"


# The default of a setting that is worked out when the sketch runs (`SIZE = WIDTH / 4`):
# `Param.from_default(COMPUTED)` accepts any literal, or keeps the text.
COMPUTED = _Computed()


class ParamError(ArtkitError):
    """A value that doesn't fit its `Param`; the message is one sentence.

    `what` names the value ("the flow brush's size"), `value` is what was given and
    `expected` says what would do ("a number from 1 to 200")."""

    def __init__(self, what: str, value, expected: str, note: str = ""):
        self.what, self.value, self.expected = what, value, expected
        super().__init__(f"{_capital(what)} must be {expected}, not {_show(value)}{note}.")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _show(value, limit: int = 50) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def format_number(x) -> str:
    """200.0 -> '200', 0.5 -> '0.5', math.pi -> '3.142' (for messages)."""
    x = float(x)
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.4g}"


def _is_literal(value) -> bool:
    """True for values that `repr` writes back as a Python literal (what a setting may hold)."""
    if value is None or isinstance(value, (bool, int, str, bytes)):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, complex):
        return math.isfinite(value.real) and math.isfinite(value.imag)
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(_is_literal(v) for v in value)
    if isinstance(value, dict):
        return all(_is_literal(k) and _is_literal(v) for k, v in value.items())
    return False


def _read_literal(text: str):
    """A Python literal from text; raises ValueError when it isn't one."""
    try:
        return ast.literal_eval(text)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise ValueError(text) from None


@dataclass(frozen=True)
class Param:
    """What one parameter or setting may be.

    kind: bool, int, float, str, list, tuple, dict, set, or object (any Python literal; text
    that isn't one is kept as text: what a setting with a computed default takes).
    low, high: inclusive bounds for numbers (None: no bound); with `above_low`, the value
    must be more than `low` (for lengths that can't be 0).
    choices: when given, the value must be one of them.
    """

    kind: type = float
    low: float | None = None
    high: float | None = None
    choices: tuple | None = None
    above_low: bool = False

    def __post_init__(self):
        if self.kind not in (bool, int, float, str, object) and self.kind not in _LITERAL_KINDS:
            raise TypeError(f"Param kind must be bool, int, float, str, list, tuple, dict, set "
                            f"or object, not {self.kind!r}")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"Param low {self.low!r} is above high {self.high!r}")
        if self.choices is not None:
            object.__setattr__(self, "choices", tuple(self.choices))

    # -- building ---------------------------------------------------------------------------
    @classmethod
    def from_default(cls, default=COMPUTED, low=None, high=None) -> Param:
        """The Param for a setting whose default is `default`: an int default takes whole
        numbers, a float default any number ("3" gives 3.0), a bool True/False, a str text,
        a list/tuple/dict/set that literal. `COMPUTED` (or None, or any other literal)
        accepts any Python literal, or keeps the text as it is (what --param always did)."""
        if isinstance(default, bool):
            return cls(bool)
        if type(default) in (int, float):
            return cls(type(default), low, high)
        if isinstance(default, str):
            return cls(str)
        for kind in _LITERAL_KINDS:
            if type(default) is kind:
                return cls(kind)
        return cls(object)

    # -- words ------------------------------------------------------------------------------
    def describe(self) -> str:
        """What the value must be, as words that follow "must be": 'a number from 1 to 200'."""
        if self.choices is not None:
            options = [repr(c) for c in self.choices]
            if len(options) == 1:
                return options[0]
            return "one of " + ", ".join(options[:-1]) + " or " + options[-1]
        if self.kind is bool:
            return "true or false"
        if self.kind is str:
            return "text"
        if self.kind is object:
            return _ANYTHING
        if self.kind in _LITERAL_KINDS:
            return _LITERAL_KINDS[self.kind]
        noun = "a whole number" if self.kind is int else "a number"
        low, high = self.low, self.high
        if low is not None and high is not None:
            if self.above_low:
                return f"{noun} more than {format_number(low)} and at most {format_number(high)}"
            return f"{noun} from {format_number(low)} to {format_number(high)}"
        if low is not None:
            if self.above_low:
                return f"{noun} more than {format_number(low)}"
            return f"{noun} of {format_number(low)} or more"
        if high is not None:
            return f"{noun} of {format_number(high)} or less"
        return noun

    # -- checking ---------------------------------------------------------------------------
    def coerce(self, value, what: str = "the value"):
        """`value` (a Python value, or command-line text) as this Param's kind, in range.

        Raises ParamError with one sentence naming `what` ("the flow brush's size") when the
        value has the wrong type, isn't a finite number, or is out of range."""
        if self.kind is bool:
            result = self._bool(value, what)
        elif self.kind is int or self.kind is float:
            result = self._number(value, what)
        elif self.kind is str:
            result = self._text(value, what)
        elif self.kind is object:
            result = self._anything(value, what)
        else:
            result = self._literal(value, what)
        if self.choices is not None and result not in self.choices:
            raise ParamError(what, value, self.describe())
        return result

    def clamp(self, value):
        """A number brought inside the bounds (a slider or the mouse wheel stops at the limit):
        below `low` gives `low`, above `high` gives `high`, nan gives `low` (or 0). Values of
        other kinds are given back unchanged."""
        if self.kind not in (int, float):
            return value
        x = float(value)
        if math.isnan(x):
            x = self.low if self.low is not None else (self.high if self.high is not None else 0.0)
        if self.low is not None:
            low = float(self.low)
            if self.above_low:
                low = math.nextafter(low, math.inf)
            x = max(low, x)
        if self.high is not None:
            x = min(float(self.high), x)
        if self.kind is int:
            if math.isinf(x):
                raise OverflowError(f"no whole number limit to clamp {value!r} to")
            n = round(x)
            if self.low is not None and (n < self.low or (self.above_low and n <= self.low)):
                n = math.floor(self.low) + 1
            if self.high is not None and n > self.high:
                n = math.floor(self.high)
            return int(n)
        return x

    # -- the kinds --------------------------------------------------------------------------
    def _bool(self, value, what):
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            word = value.strip().lower()
            if word in _TRUE:
                return True
            if word in _FALSE:
                return False
        raise ParamError(what, value, self.describe())

    def _number(self, value, what):
        expected = self.describe()
        if isinstance(value, str):
            text = value.strip()
            if not _NUMBER.fullmatch(text):
                raise ParamError(what, value, expected)
            try:
                number = int(text) if text.lstrip("+-").isdigit() else float(text)
            except (ValueError, OverflowError):  # more digits than Python reads
                raise ParamError(what, value, expected) from None
        elif isinstance(value, numbers.Real) and not isinstance(value, bool):
            number = value
        else:
            raise ParamError(what, value, expected)
        if isinstance(number, numbers.Integral):
            number = int(number)
        else:
            try:
                number = float(number)
            except (OverflowError, ValueError, TypeError):
                raise ParamError(what, value, expected) from None
            if not math.isfinite(number):
                raise ParamError(what, value, expected, " (infinity and nan can't be used)")
        if self.kind is int:
            if isinstance(number, float):
                if not number.is_integer():
                    raise ParamError(what, value, expected)
                number = int(number)
        else:
            try:
                number = float(number)
            except OverflowError:
                raise ParamError(what, value, expected) from None
        if self.low is not None and (number < self.low or (self.above_low and number <= self.low)):
            raise ParamError(what, value, expected)
        if self.high is not None and number > self.high:
            raise ParamError(what, value, expected)
        return number

    def _text(self, value, what):
        if not isinstance(value, str):
            raise ParamError(what, value, self.describe())
        stripped = value.strip()
        # Text in quotes ("'tulip'") is the text inside them, as in Python.
        if len(stripped) >= 2 and stripped[0] in "'\"" and stripped[-1] == stripped[0]:
            try:
                inner = _read_literal(stripped)
            except ValueError:
                return value
            if isinstance(inner, str):
                return inner
        return value

    def _literal(self, value, what):
        expected = self.describe()
        if isinstance(value, str):
            try:
                value_read = _read_literal(value.strip())
            except ValueError:
                raise ParamError(what, value, expected) from None
        else:
            value_read = value
        sequences = (list, tuple)
        if self.kind in sequences and isinstance(value_read, sequences):
            value_read = self.kind(value_read)  # a beginner's (1, 2) for a list is fine
        elif self.kind is set and isinstance(value_read, frozenset):
            value_read = set(value_read)
        if type(value_read) is not self.kind:
            raise ParamError(what, value, expected)
        if not _is_literal(value_read):
            raise ParamError(what, value, expected,
                             " (only numbers, text, True, False and None can go inside)")
        return value_read

    def _anything(self, value, what):
        if isinstance(value, str):
            text = value.strip()
            try:
                value_read = _read_literal(text)
            except ValueError:
                return text  # not a Python literal: the text itself
        else:
            value_read = value
        if not _is_literal(value_read):
            note = " (infinity and nan can't be used)" if _has_non_finite(value_read) else ""
            raise ParamError(what, value, _ANYTHING, note)
        return value_read


def _has_non_finite(value) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, complex):
        return not (math.isfinite(value.real) and math.isfinite(value.imag))
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(_has_non_finite(v) for v in value)
    if isinstance(value, dict):
        return any(_has_non_finite(v) for v in value.values())
    return False


# ---------------------------------------------------------------------------------------------
# Command-line text

def split_assignment(text: str, flag: str = "--param", example: str = "size=20"
                     ) -> tuple[str, str]:
    """'PETALS = 12' -> ('PETALS', '12'): the name and the value's text, both stripped.

    Text that isn't NAME=VALUE with NAME a Python name raises ArtkitError naming `flag`
    (and showing `example`)."""
    name, sep, raw = str(text).partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise ArtkitError(f"{flag} needs NAME=VALUE, where NAME is one word, like "
                          f"{flag} {example}, not {_show(text)}.")
    return name, raw.strip()


def parse_size(text, what: str = "--size") -> tuple[int, int]:
    """'1024x768' (or 1024X768, 1024×768, '1024, 768') -> (1024, 768); each side must be
    MIN_SIDE to MAX_SIDE pixels. A (width, height) pair of whole numbers is checked the
    same way. Raises ArtkitError with one sentence naming `what`."""
    if isinstance(text, str):
        match = _SIZE.fullmatch(text)
        if not match:
            raise ArtkitError(f"{what} must look like 1024x768 (width x height in pixels), "
                              f"not {_show(text)}.")
        digits = match.group(1), match.group(2)
        if any(len(d.lstrip("0")) > 6 for d in digits):
            w = h = MAX_SIDE + 1  # far too big (and too long for int() to bother with)
        else:
            w, h = int(digits[0]), int(digits[1])
        shown = f"{match.group(1)}x{match.group(2)}" if max(map(len, digits)) <= 12 else _show(text)
    else:
        try:
            w, h = text
        except (TypeError, ValueError):
            raise ArtkitError(f"{what} must be a width and a height in pixels, like 1024x768, "
                              f"not {_show(text)}.") from None
        if not all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in (w, h)):
            raise ArtkitError(f"{what} must be two whole numbers of pixels, like 1024x768, "
                              f"not {_show(text)}.")
        w, h = int(w), int(h)
        shown = f"{w}x{h}" if max(len(str(abs(w))), len(str(abs(h)))) <= 12 else _show(text)
    if not (MIN_SIDE <= w <= MAX_SIDE and MIN_SIDE <= h <= MAX_SIDE):
        raise ArtkitError(f"{what} must be {MIN_SIDE} to {MAX_SIDE} pixels on each side, "
                          f"not {shown}.")
    return w, h


# ---------------------------------------------------------------------------------------------
# Seeds

# Every seed artkit takes (`--seed`, `gan:CKPT#SEED`) is any whole number, negative and huge
# ones included, and is reduced to 0 .. SEED_MODULUS - 1 (what numpy's and torch's generators
# take) by wrapping around: -1 is the same seed as 4294967295. One rule, so the same number
# gives the same picture in every command.
SEED_MODULUS = 2 ** 32
SEED_HELP = "any whole number; seeds wrap around at 2^32, so -1 is the same as 4294967295"


def reduce_seed(value: int) -> int:
    """A whole number as a seed every generator takes: `value` modulo 2**32."""
    return int(value) % SEED_MODULUS


def parse_seed(text, what: str = "--seed") -> int:
    """'-5' -> 4294967291, '7' -> 7, 99999999999999999999 -> 1661992959: any whole number (text
    of ASCII digits, or an int) as a seed (see `reduce_seed`). Anything else raises an
    ArtkitError naming `what`."""
    if isinstance(text, numbers.Integral) and not isinstance(text, bool):
        return reduce_seed(text)
    stripped = str(text).strip().replace("_", "")
    if not re.fullmatch(r"[+-]?\d{1,4000}", stripped, re.ASCII):
        raise ArtkitError(f"{what} must be a whole number, like 7 or -3, not {_show(text)}.")
    return reduce_seed(int(stripped))
