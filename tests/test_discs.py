"""Round dabs from pre-rasterised discs (artkit.discs) against one skia drawCircle each."""

from __future__ import annotations

import numpy as np
import pytest

from artkit import discs
from artkit.brushes import make_brush
from artkit.canvas import Canvas
from artkit.source import SourceImage
from artkit.strokes import CIRCLE, Strokes, use_exact_marks

PAPER = (248, 245, 238)


def drawn(strokes, size=(200, 150), exact=False, transform=None) -> np.ndarray:
    use_exact_marks(exact)
    canvas = Canvas(*size, background=PAPER)
    if transform:
        transform(canvas)
    canvas.draw(strokes)
    use_exact_marks(False)
    return canvas.pixels()[..., :3].astype(np.int16)


@pytest.fixture(scope="module")
def painting():
    source = SourceImage.default((200, 150))
    return make_brush("dabs").autopaint(source, 400, np.random.default_rng(2))


def test_the_discs_look_like_one_draw_circle_each(painting):
    fast, exact = drawn(painting), drawn(painting, exact=True)
    diff = np.abs(fast - exact)
    assert diff.mean() < 1.0                      # about half a level on average
    assert np.percentile(diff, 99) <= 6           # nearly every pixel within a few levels
    assert diff.max() <= 64                       # a rim pixel where skia's own edge jumps
    # No drift: the colours agree on average, not just pixel by pixel.
    assert np.abs((fast - exact).mean(axis=(0, 1))).max() < 0.6


def test_masks_do_not_depend_on_which_were_made_before(painting):
    first = drawn(painting)
    discs._masks.clear()
    drawn(painting[::-1])          # make the masks in another order and with others around
    np.testing.assert_array_equal(drawn(painting), first)


def test_dabs_a_mask_cannot_stand_for_are_drawn_exactly_in_order():
    # Big, tiny and non-finite dabs between normal ones, all overlapping.
    centres = [[50, 50], [52, 51], [54, 49], [30, 30], [np.nan, 3], [80, 80], [58, 52]]
    widths = [10, 2 * discs.MAX_RADIUS + 8, 12, 0.4, 6, 12, 0.9]
    colours = [(200, 20, 20, 120), (20, 200, 20, 90), (20, 20, 200, 200), (0, 0, 0, 255),
               (0, 0, 0, 255), (250, 200, 0, 100), (0, 0, 0, 160)]
    strokes = Strokes(CIRCLE, centres, colours, widths)
    fast, exact = drawn(strokes, (100, 100)), drawn(strokes, (100, 100), exact=True)
    assert np.abs(fast - exact).mean() < 0.2
    # The big green dab (drawn exactly) covers the red disc before it and lies under the blue
    # disc after it: in order, the blue disc's centre is blue and the red one's is green.
    assert fast[49, 54, 2] > 150 > fast[49, 54, 1]
    assert fast[50, 49, 1] > fast[50, 49, 0]
    for part in (slice(1, 2), slice(3, 5)):   # dabs no mask stands for: exactly skia's
        np.testing.assert_array_equal(drawn(strokes[part], (100, 100)),
                                      drawn(strokes[part], (100, 100), exact=True))


def test_a_transformed_or_clipped_canvas_gets_the_exact_dabs(painting):
    def moved(canvas):
        canvas.translate(7.5, -3)

    def clipped(canvas):
        canvas.sk.clipRect((10, 10, 120, 90))

    for transform in (moved, clipped):
        np.testing.assert_array_equal(drawn(painting, transform=transform),
                                      drawn(painting, exact=True, transform=transform))


def test_dabs_blend_as_premultiplied_source_over_on_a_clear_canvas():
    strokes = Strokes(CIRCLE, [[20, 20]], [(200, 100, 40, 128)], [16])
    canvas = Canvas(40, 40, background=None)
    canvas.draw(strokes)
    px = canvas.pixels()[20, 20].astype(int)
    assert px[3] == 128                                    # covered centre: the dab's alpha
    np.testing.assert_allclose(px[:3], np.array([200, 100, 40]) * 128 / 255, atol=1)
