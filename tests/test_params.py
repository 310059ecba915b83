"""One typed coercion for `--param NAME=VALUE` (brushes and sketch settings) and one size
parser: good values come through with the right type, every kind of bad value is refused
with one plain sentence that names what was wrong."""

from __future__ import annotations

import ast
import math

import pytest

from artkit.errors import ArtkitError
from artkit.params import (COMPUTED, MAX_SIDE, MIN_SIDE, Param, ParamError, format_number,
                           parse_size, split_assignment)
from artkit.sketch import check_settings, find_settings, parse_param, setting_params

SIZE = Param(float, 1, 200)
COUNT = Param(int, 1, 1000)
LENGTH = Param(float, 0, 50, above_low=True)


def refused(param: Param, value, what: str = "the flow brush's size") -> str:
    with pytest.raises(ParamError) as info:
        param.coerce(value, what)
    message = str(info.value)
    assert isinstance(info.value, ArtkitError)
    # One sentence: starts with a capital, ends with a full stop, no second sentence.
    assert message[0].isupper() and message.endswith(".") and ". " not in message, message
    assert "\n" not in message
    return message


# ------------------------------------------------------------------ numbers

@pytest.mark.parametrize("value,expected", [
    ("12", 12.0), ("1.5 ", 1.5), (" 200", 200.0), ("1", 1.0), ("1e2", 100.0),
    ("+7.25", 7.25), (12, 12.0), (12.5, 12.5), (".5e1", 5.0), ("20.", 20.0),
    ("12\u00a0", 12.0),  # a no-break space is still space
])
def test_float_param_reads_numbers(value, expected):
    got = SIZE.coerce(value, "size")
    assert got == expected and type(got) is float


def test_the_message_names_what_and_the_range():
    assert refused(SIZE, "500") == ("The flow brush's size must be a number from 1 to 200, "
                                    "not '500'.")
    assert refused(SIZE, 500) == "The flow brush's size must be a number from 1 to 200, not 500."
    assert refused(COUNT, "0", "the dabs brush's count") == (
        "The dabs brush's count must be a whole number from 1 to 1000, not '0'.")
    assert refused(LENGTH, 0, "the step") == ("The step must be a number more than 0 and at "
                                              "most 50, not 0.")


@pytest.mark.parametrize("bad", [
    "-1", -1, "0", 0, "0.999", "200.0001", 1e9, "1e400", "-1e400", "nan", "NaN", "inf",
    "-inf", "Infinity", "0.5", float("nan"), float("inf"), float("-inf"), "", "   ", "abc", "12px",
    "1,5", "0x10", "1_000", "12 13", "１２", "١٢", "½", "²", None, True, False,
    [12], (12,), {"size": 12}, b"12", 10 ** 400, "9" * 5000, complex(12, 0),
])
def test_float_param_refuses_bad_values(bad):
    message = refused(SIZE, bad)
    assert message.startswith("The flow brush's size must be a number from 1 to 200, not ")


def test_non_finite_numbers_say_why():
    assert "infinity and nan" in refused(Param(float), float("nan"))
    assert "infinity and nan" in refused(Param(float), "1e400")
    assert "infinity and nan" in refused(Param(float), float("-inf"))
    assert "infinity and nan" in refused(Param(int), float("inf"))


def test_unbounded_numbers():
    anything = Param(float)
    assert anything.coerce("-1e300", "x") == -1e300
    assert anything.coerce(3, "x") == 3.0 and type(anything.coerce(3, "x")) is float
    assert Param(int).coerce(-(10 ** 30), "x") == -(10 ** 30)
    assert refused(Param(float), "abc", "the setting SPEED") == (
        "The setting SPEED must be a number, not 'abc'.")


@pytest.mark.parametrize("value,expected", [
    ("12", 12), (12, 12), ("12.0", 12), (12.0, 12), ("1e3", 1000), (" 7 ", 7), ("+3", 3),
    ("1000", 1000),
])
def test_int_param_reads_whole_numbers(value, expected):
    got = COUNT.coerce(value, "count")
    assert got == expected and type(got) is int


@pytest.mark.parametrize("bad", ["2.5", 2.5, "0", 0, "-3", "1001", 1001, True, "many", "", "nan",
                                 "1e400", "١٢", None, [3]])
def test_int_param_refuses(bad):
    assert "must be a whole number from 1 to 1000" in refused(COUNT, bad, "the dabs brush's count")


def test_one_sided_bounds_are_described():
    assert Param(int, 1).describe() == "a whole number of 1 or more"
    assert Param(float, None, 5).describe() == "a number of 5 or less"
    assert Param(float, 0, above_low=True).describe() == "a number more than 0"
    assert Param(float, 0, math.pi).describe() == "a number from 0 to 3.142"
    assert refused(Param(float, 0, above_low=True), "0", "the length").endswith(
        "must be a number more than 0, not '0'.")
    assert Param(float, 0, above_low=True).coerce("1e-9", "x") == 1e-9


def test_numpy_numbers_are_numbers():
    np = pytest.importorskip("numpy")
    assert SIZE.coerce(np.float32(12.5), "x") == 12.5 and type(SIZE.coerce(np.int64(3), "x")) is float
    assert COUNT.coerce(np.int64(7), "x") == 7 and type(COUNT.coerce(np.int64(7), "x")) is int
    refused(SIZE, np.float64("nan"))


# ------------------------------------------------------------------ other kinds

@pytest.mark.parametrize("text,expected", [
    ("true", True), ("True", True), ("YES", True), ("on", True), ("1", True), (True, True),
    ("false", False), ("no", False), ("Off", False), (" 0 ", False), (False, False),
])
def test_bool_param(text, expected):
    assert Param(bool).coerce(text, "grey") is expected


@pytest.mark.parametrize("bad", ["maybe", "", "2", "yes please", "oui", 1, 0, None, "ｙｅｓ"])
def test_bool_param_refuses(bad):
    assert refused(Param(bool), bad, "the flow brush's grey").startswith(
        "The flow brush's grey must be true or false, not ")


def test_text_param():
    text = Param(str)
    assert text.coerce("tulip", "x") == "tulip"
    assert text.coerce("12", "x") == "12"                 # text stays text
    assert text.coerce("'tulip'", "x") == "tulip"        # quotes as in Python
    assert text.coerce('"a b"', "x") == "a b"
    assert text.coerce("café ☀", "x") == "café ☀"
    assert text.coerce("", "x") == ""
    assert text.coerce("'half", "x") == "'half"
    assert refused(text, 12, "the setting NAME") == "The setting NAME must be text, not 12."
    refused(text, None)


def test_choices():
    kind = Param(str, choices=("round", "square"))
    assert kind.coerce("square", "x") == "square"
    assert refused(kind, "star", "the dab shape") == (
        "The dab shape must be one of 'round' or 'square', not 'star'.")
    assert Param(int, choices=[1, 2, 4]).coerce("4", "x") == 4
    assert "one of 1, 2 or 4" in refused(Param(int, choices=[1, 2, 4]), "3")


def test_literal_kinds():
    assert Param(list).coerce("[1, 2]", "x") == [1, 2]
    assert Param(list).coerce("(1, 2)", "x") == [1, 2]        # round brackets are fine too
    assert Param(tuple).coerce("[1, 2]", "x") == (1, 2)
    assert Param(list).coerce(["red", "blue"], "x") == ["red", "blue"]
    assert Param(dict).coerce("{'a': 1}", "x") == {"a": 1}
    assert Param(set).coerce("{1, 2}", "x") == {1, 2}
    assert refused(Param(list), "12", "the setting COLOURS") == (
        "The setting COLOURS must be a list in square brackets, like [1, 2, 3], not '12'.")
    for bad in ("", "[1, 2", "abc", "{1: 2}", 5, None, "[float('nan')]", [float("nan")],
                [object()], "[1e400]"):
        refused(Param(list), bad)


def test_any_literal_keeps_text_as_before():
    anything = Param(object)
    assert anything.coerce("12", "x") == 12
    assert anything.coerce("2.5", "x") == 2.5
    assert anything.coerce("[1, 2]", "x") == [1, 2]
    assert anything.coerce("True", "x") is True
    assert anything.coerce("None", "x") is None
    assert anything.coerce("tulip", "x") == "tulip"
    assert anything.coerce(" café ", "x") == "café"
    assert anything.coerce("'12'", "x") == "12"
    assert anything.coerce("", "x") == ""
    assert anything.coerce((1, "a"), "x") == (1, "a")
    for bad in ("1e400", "-1e400", float("nan"), [float("inf")], object(), print):
        refused(anything, bad)


def test_param_is_a_frozen_value():
    assert Param(float, 1, 200) == SIZE and hash(Param(float, 1, 200)) == hash(SIZE)
    with pytest.raises(Exception):
        SIZE.low = 0
    with pytest.raises(TypeError):
        Param(complex)
    with pytest.raises(ValueError):
        Param(float, 5, 1)


# ------------------------------------------------------------------ clamp

def test_clamp_stops_at_the_limits():
    assert SIZE.clamp(500) == 200.0 and SIZE.clamp(0) == 1.0 and SIZE.clamp(-1e9) == 1.0
    assert SIZE.clamp(12.5) == 12.5 and type(SIZE.clamp(12)) is float
    assert SIZE.clamp(float("inf")) == 200.0 and SIZE.clamp(float("-inf")) == 1.0
    assert SIZE.clamp(float("nan")) == 1.0
    assert COUNT.clamp(0) == 1 and COUNT.clamp(2.6) == 3 and COUNT.clamp(1e6) == 1000
    assert type(COUNT.clamp(2.6)) is int
    assert 0 < LENGTH.clamp(-5) < 1e-300     # "more than 0": the smallest number above it
    assert Param(float).clamp(-7.0) == -7.0
    assert Param(bool).clamp(True) is True and Param(str).clamp("x") == "x"


# ------------------------------------------------------------------ NAME=VALUE

@pytest.mark.parametrize("text,expected", [
    ("PETALS=12", ("PETALS", "12")), (" size = 20 ", ("size", "20")), ("NAME=", ("NAME", "")),
    ("EQ=a=b", ("EQ", "a=b")), ("COLOURS=[1, 2]", ("COLOURS", "[1, 2]")),
    ("PÉTALES=3", ("PÉTALES", "3")),
])
def test_split_assignment(text, expected):
    assert split_assignment(text) == expected


@pytest.mark.parametrize("bad", ["PETALS", "", "=12", "two words=3", "12=3", "a-b=1", "size:20"])
def test_split_assignment_refuses(bad):
    with pytest.raises(ArtkitError) as info:
        split_assignment(bad, "--param")
    message = str(info.value)
    assert message == (f"--param needs NAME=VALUE, where NAME is one word, like --param size=20, "
                       f"not {bad!r}.")


def test_split_assignment_names_the_flag_and_example():
    with pytest.raises(ArtkitError, match=r"^--set needs NAME=VALUE, .* like --set PETALS=12, "):
        split_assignment("oops", "--set", "PETALS=12")


# ------------------------------------------------------------------ sizes

@pytest.mark.parametrize("text,expected", [
    ("1024x768", (1024, 768)), ("1024X768", (1024, 768)), ("1024×768", (1024, 768)),
    ("1024,768", (1024, 768)), (" 1024 x 768 ", (1024, 768)), ("1024 , 768", (1024, 768)),
    ("1x1", (1, 1)), ("16384x16384", (16384, 16384)), ("0064x048", (64, 48)),
    ((800, 600), (800, 600)), ([3, 4], (3, 4)),
])
def test_parse_size(text, expected):
    assert parse_size(text) == expected
    assert (MIN_SIDE, MAX_SIDE) == (1, 16384)


@pytest.mark.parametrize("bad,words", [
    ("0x768", "must be 1 to 16384 pixels on each side, not 0x768."),
    ("1024x0", "must be 1 to 16384 pixels on each side, not 1024x0."),
    ("16385x10", "must be 1 to 16384 pixels on each side, not 16385x10."),
    ("99999999999999999999x1", "must be 1 to 16384 pixels on each side"),
    ("9" * 5000 + "x1", "must be 1 to 16384 pixels on each side"),
    ("-5x10", "must look like 1024x768 (width x height in pixels), not '-5x10'."),
    ("", "must look like 1024x768"), ("1024", "must look like 1024x768"),
    ("1024x", "must look like 1024x768"), ("axb", "must look like 1024x768"),
    ("10.5x10", "must look like 1024x768"), ("１０２４x768", "must look like 1024x768"),
    ("1024x768x3", "must look like 1024x768"), ("1024*768", "must look like 1024x768"),
    ("nanxinf", "must look like 1024x768"),
    ((0, 10), "must be 1 to 16384 pixels on each side, not 0x10."),
    ((10.5, 10), "must be two whole numbers of pixels"), ((True, 10), "two whole numbers"),
    ((1, 2, 3), "must be a width and a height"), (None, "must be a width and a height"),
])
def test_parse_size_refuses_in_one_sentence(bad, words):
    with pytest.raises(ArtkitError) as info:
        parse_size(bad)
    message = str(info.value)
    assert message.startswith("--size ") and words in message and message.endswith(".")
    assert len(message) < 200


def test_parse_size_names_what():
    with pytest.raises(ArtkitError, match=r"^The canvas size must look like"):
        parse_size("big", what="The canvas size")


def test_format_number():
    assert [format_number(x) for x in (200.0, 0.5, 3, 1e-9, math.pi)] == [
        "200", "0.5", "3", "1e-09", "3.142"]


# ------------------------------------------------------------------ sketch settings

SKETCH = """
PETALS = 8
SPEED = 2.5
NAME = "rose"
AUTO = False
COLOURS = ["red", "blue"]
CORNER = (1, 2)
WIDTH = 640
NOTHING = None
SIZE = WIDTH / 4
lower = 3
"""


def test_settings_are_typed_by_their_default():
    params = setting_params(ast.parse(SKETCH))
    assert params == {
        "PETALS": Param(int), "SPEED": Param(float), "NAME": Param(str), "AUTO": Param(bool),
        "COLOURS": Param(list), "CORNER": Param(tuple), "WIDTH": Param(int, 1, 16384),
        "NOTHING": Param(object), "SIZE": Param(object),
    }
    # find_settings still gives the defaults (None for a computed one).
    assert find_settings(ast.parse(SKETCH))["SIZE"] is None
    assert Param.from_default(COMPUTED) == Param(object)


def test_checked_settings():
    params = setting_params(ast.parse(SKETCH))
    got = check_settings({"PETALS": "12", "SPEED": "3", "NAME": "12", "AUTO": "yes",
                          "COLOURS": "['green']", "CORNER": "[3, 4]", "SIZE": "99",
                          "NOTHING": "hello"}, params)
    assert got == {"PETALS": 12, "SPEED": 3.0, "NAME": "12", "AUTO": True,
                   "COLOURS": ["green"], "CORNER": (3, 4), "SIZE": 99, "NOTHING": "hello"}
    assert type(got["SPEED"]) is float
    for overrides, message in [
        ({"PETALS": "2.5"}, "The setting PETALS must be a whole number, not '2.5'."),
        ({"PETALS": "many"}, "The setting PETALS must be a whole number, not 'many'."),
        ({"SPEED": "fast"}, "The setting SPEED must be a number, not 'fast'."),
        ({"AUTO": "maybe"}, "The setting AUTO must be true or false, not 'maybe'."),
        ({"WIDTH": "0"}, "The setting WIDTH must be a whole number from 1 to 16384, not '0'."),
        ({"WIDTH": 10 ** 6}, "The setting WIDTH must be a whole number from 1 to 16384, "
                             "not 1000000."),
        ({"NAME": 3}, "The setting NAME must be text, not 3."),
    ]:
        with pytest.raises(ParamError) as info:
            check_settings(overrides, params)
        assert str(info.value) == message


def test_parse_param_keeps_todays_behaviour_without_the_sketch():
    assert parse_param("PETALS=12") == ("PETALS", 12)
    assert parse_param("NAME=tulip") == ("NAME", "tulip")
    assert parse_param("COLOURS=[1, 2]") == ("COLOURS", [1, 2])
    assert parse_param(" SPEED = 0.5 ") == ("SPEED", 0.5)
    with pytest.raises(ArtkitError, match=r"like --param PETALS=12, not 'PETALS'\."):
        parse_param("PETALS")
    with pytest.raises(ArtkitError, match="infinity and nan"):
        parse_param("SPEED=1e400")


def test_parse_param_with_the_sketch_checks_the_kind():
    params = setting_params(ast.parse(SKETCH))
    assert parse_param("SPEED=3", params) == ("SPEED", 3.0)
    assert parse_param("NAME=12", params) == ("NAME", "12")
    with pytest.raises(ArtkitError, match=r"^The setting PETALS must be a whole number, not '2.5'\.$"):
        parse_param("PETALS=2.5", params)
