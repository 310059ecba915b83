import colorsys

import numpy as np
import pytest

from artkit.color import (
    CSS_COLOURS, HSB, HSL, RGB, ColourMode, UnknownColourError, colour_mode, hsb_to_rgb,
    hsb_to_rgb_array, lerp_color, lerp_colour, rgb_to_hsb, to_rgba,
)
from artkit.errors import ArtkitError


def test_all_148_css_names_including_both_grey_spellings():
    assert len(CSS_COLOURS) == 148
    assert to_rgba("lightgrey") == to_rgba("lightgray") == (211, 211, 211, 255)
    assert to_rgba("rebeccapurple") == (102, 51, 153, 255)
    assert to_rgba("tomato") == (255, 99, 71, 255)
    assert to_rgba("navy") == (0, 0, 128, 255)


def test_names_ignore_case_spaces_and_separators():
    assert to_rgba("Light Green") == to_rgba("lightgreen") == to_rgba("light_green") == (144, 238, 144, 255)
    assert to_rgba("  RED ") == (255, 0, 0, 255)


@pytest.mark.parametrize("code, rgba", [
    ("#f80", (255, 136, 0, 255)),
    ("#f808", (255, 136, 0, 136)),
    ("#FF8800", (255, 136, 0, 255)),
    ("#ff880080", (255, 136, 0, 128)),
    ("#000", (0, 0, 0, 255)),
])
def test_hex_codes(code, rgba):
    assert to_rgba(code) == rgba


def test_grey_levels_and_tuples():
    assert to_rgba(0) == (0, 0, 0, 255)
    assert to_rgba(128) == (128, 128, 128, 255)
    assert to_rgba((128, 64)) == (128, 128, 128, 64)
    assert to_rgba((10, 20, 30)) == (10, 20, 30, 255)
    assert to_rgba([10, 20, 30, 40]) == (10, 20, 30, 40)
    assert to_rgba(np.array([1.4, 2.6, 3.0])) == (1, 3, 3, 255)
    assert to_rgba((np.uint8(5), np.float32(6), 7)) == (5, 6, 7, 255)


def test_name_or_hex_with_alpha():
    assert to_rgba(("red", 128)) == (255, 0, 0, 128)
    assert to_rgba(("#00ff00", 0.5), ColourMode(HSB)) == (0, 255, 0, 128)


def test_out_of_range_numbers_are_clamped():
    assert to_rgba((300, -5, 255.4, 999)) == (255, 0, 255, 255)
    assert to_rgba(-10) == (0, 0, 0, 255)


@pytest.mark.parametrize("hsb, rgb", [
    ((0, 100, 100), (255, 0, 0)),
    ((120, 100, 100), (0, 255, 0)),
    ((240, 100, 100), (0, 0, 255)),
    ((60, 100, 100), (255, 255, 0)),
    ((180, 50, 100), (128, 255, 255)),
    ((0, 0, 50), (128, 128, 128)),
    ((30, 100, 100), (255, 128, 0)),
    ((360, 100, 100), (255, 0, 0)),    # hue wraps
    ((480, 100, 100), (0, 255, 0)),
])
def test_hsb_known_conversions(hsb, rgb):
    assert hsb_to_rgb(*hsb) == rgb
    assert to_rgba(hsb, ColourMode(HSB)) == (*rgb, 255)


def test_rgb_to_hsb_round_trip():
    assert rgb_to_hsb(255, 0, 0) == (0.0, 100.0, 100.0)
    h, s, b = rgb_to_hsb(0, 0, 255)
    assert (round(h), round(s), round(b)) == (240, 100, 100)
    rng = np.random.default_rng(1)
    for r, g, bl in rng.integers(0, 256, size=(200, 3)):
        assert hsb_to_rgb(*rgb_to_hsb(r, g, bl)) == (r, g, bl)


def test_hsb_array_matches_scalar_conversion():
    rng = np.random.default_rng(2)
    hsb = rng.uniform([0, 0, 0], [360, 100, 100], size=(500, 3))
    out = hsb_to_rgb_array(hsb)
    assert out.shape == (500, 3) and out.dtype == np.float32
    expected = np.array([colorsys.hsv_to_rgb(h / 360, s / 100, v / 100) for h, s, v in hsb]) * 255
    np.testing.assert_allclose(out, expected, atol=1e-3)


def test_colour_modes_follow_p5_maxima():
    hsb = ColourMode(HSB)
    assert hsb.maxes == (360.0, 100.0, 100.0, 1.0)
    assert to_rgba((0, 100, 100, 0.5), hsb) == (255, 0, 0, 128)
    assert to_rgba(50, hsb) == (128, 128, 128, 255)        # grey read against brightness max
    unit = colour_mode(RGB, 1)
    assert to_rgba((1, 0.5, 0, 0.25), unit) == (255, 128, 0, 64)
    assert colour_mode(HSB, 360, 100, 100).maxes == (360.0, 100.0, 100.0, 1.0)
    assert colour_mode(HSB, 1).maxes == (1.0, 1.0, 1.0, 1.0)
    assert to_rgba((0.5, 1, 1), colour_mode(HSB, 1)) == (0, 255, 255, 255)
    assert to_rgba((120, 100, 50), ColourMode(HSL)) == (0, 255, 0, 255)
    assert to_rgba((0, 100, 100), "hsb") == (255, 0, 0, 255)
    # Names and hex codes mean the same in every mode.
    assert to_rgba("red", hsb) == (255, 0, 0, 255)


def test_unknown_name_suggests_close_names():
    with pytest.raises(UnknownColourError) as info:
        to_rgba("lightgreeen")
    error = info.value
    assert isinstance(error, ArtkitError)
    assert error.name == "lightgreeen"
    assert error.suggestions == ["lightgreen", "lightgrey"]
    assert str(error) == "I don't know the colour 'lightgreeen'. Did you mean 'lightgreen' or 'lightgrey'?"


def test_unknown_name_without_close_match():
    with pytest.raises(UnknownColourError) as info:
        to_rgba("xyzzyq")
    assert info.value.suggestions == []
    assert "I don't know the colour 'xyzzyq'." in str(info.value)


def test_one_suggestion_reads_naturally():
    with pytest.raises(UnknownColourError, match=r"Did you mean 'blue'\?$"):
        to_rgba("bleu")


@pytest.mark.parametrize("bad, words", [
    ("#12345", "colour code"),
    ("#ggg", "colour code"),
    ("ff8800", "start with '#'"),
    (None, "missing"),
    ((1, 2, 3, 4, 5), "1, 2, 3 or 4 numbers"),
    ((1, "a", 3), "must be numbers"),
    ((True, 0, 0), "must be numbers"),
    ({"r": 1}, "can't use"),
    ((float("nan"), 0, 0), "NaN"),
])
def test_wrong_input_gives_a_plain_error(bad, words):
    with pytest.raises(ArtkitError) as info:
        to_rgba(bad)
    assert words in str(info.value)
    assert "\n" not in str(info.value)


def test_bad_colour_mode():
    with pytest.raises(ArtkitError, match="RGB, HSB or HSL"):
        ColourMode("cmyk")
    with pytest.raises(ArtkitError, match="positive"):
        colour_mode(RGB, 0)
    with pytest.raises(ArtkitError, match="1, 3 or 4"):
        colour_mode(RGB, 1, 2)


def test_lerp_colour():
    assert lerp_colour("black", "white", 0.5) == (128, 128, 128, 255)
    assert lerp_colour((255, 0, 0), (0, 0, 255), 0.25) == (191, 0, 64, 255)
    assert lerp_colour("red", "blue", 0) == (255, 0, 0, 255)
    assert lerp_colour("red", "blue", 7) == (0, 0, 255, 255)     # t is clamped
    assert lerp_colour((0, 0, 0, 0), (0, 0, 0, 255), 0.5) == (0, 0, 0, 128)
    assert lerp_color is lerp_colour


def test_lerp_in_hsb_goes_round_the_wheel():
    # red (0) -> blue (240) halfway in HSB is hue 120: green, not RGB's purple.
    assert lerp_colour("red", "blue", 0.5, ColourMode(HSB)) == (0, 255, 0, 255)
