"""The compiled dab blender (artkit._discblit) against Pillow's paste(), the fallback it
replaces: the same bytes, arguments it refuses, and artkit.discs without it."""

from __future__ import annotations

import importlib
import sys

import numpy as np
import pytest
from PIL import Image

from artkit import discs
from artkit.canvas import Canvas
from artkit.strokes import CIRCLE, Strokes

PAPER = (248, 245, 238)


def compiled():
    return pytest.importorskip("artkit._discblit", reason="built without a C compiler")


# -- the C loop against Pillow, dab by dab ------------------------------------------------------

def pillow_blit(canvas, atlas, x0, y0, side, offset, rgb) -> None:
    """What discs does without the C module: Pillow's paste(colour, box, mask), one a dab."""
    h, w = canvas.shape[:2]
    image = Image.frombuffer("RGBX", (w, h), canvas, "raw", "RGBX", 0, 1).im
    for x, y, s, o, colour in zip(x0.tolist(), y0.tolist(), side.tolist(), offset.tolist(),
                                  rgb.tolist()):
        mask = Image.frombytes("L", (s, s), bytes(atlas[o:o + s * s])).im
        image.paste((*colour, 255), (x, y, x + s, y + s), mask)


def random_batch(rng, width, height, n, atlas_size=20_000):
    """Masks of many sides (random coverage with plenty of 0 and 255) placed over the whole
    canvas, its edges and corners, partly and wholly off it, overlapping."""
    atlas = rng.integers(0, 256, atlas_size, dtype=np.uint8)
    atlas[rng.random(atlas_size) < 0.3] = 0
    atlas[rng.random(atlas_size) < 0.1] = 255
    side = rng.integers(1, 31, n).astype(np.int32)
    offset = rng.integers(0, atlas_size - side.astype(np.int64) ** 2).astype(np.int32)
    x0 = rng.integers(-35, width + 5, n).astype(np.int32)
    y0 = rng.integers(-35, height + 5, n).astype(np.int32)
    # A quarter of them piled on one spot, so order matters.
    piled = rng.random(n) < 0.25
    x0[piled], y0[piled] = width // 2 - 5, height // 2 - 5
    rgb = rng.integers(0, 256, (n, 3), dtype=np.uint8)
    return atlas, x0, y0, side, offset, rgb


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("name", ["blit", "blit_scalar"])
def test_the_c_loop_gives_pillows_bytes(seed, name):
    blit = getattr(compiled(), name)
    rng = np.random.default_rng(seed)
    width, height = int(rng.integers(20, 70)), int(rng.integers(20, 70))
    start = rng.integers(0, 256, (height, width, 4), dtype=np.uint8)
    batch = random_batch(rng, width, height, 400)
    ours, theirs = start.copy(), start.copy()
    blit(ours, *batch)
    pillow_blit(theirs, *batch)
    assert not np.array_equal(ours, start)
    np.testing.assert_array_equal(ours, theirs)


def test_the_c_loop_gives_pillows_bytes_for_every_coverage_canvas_and_colour_byte():
    module = compiled()
    # One 256 px dab over a 256² canvas: coverage = row, canvas byte = column.
    atlas = np.repeat(np.arange(256, dtype=np.uint8), 256)
    start = np.broadcast_to(np.arange(256, dtype=np.uint8)[None, :, None], (256, 256, 4))
    where = [np.zeros(1, np.int32), np.zeros(1, np.int32), np.full(1, 256, np.int32),
             np.zeros(1, np.int32)]
    for ink in range(256):
        rgb = np.array([[ink, 255 - ink, ink // 2]], np.uint8)
        theirs = start.copy()
        pillow_blit(theirs, atlas, *where, rgb)
        for blit in (module.blit, module.blit_scalar):
            ours = start.copy()
            blit(ours, atlas, *where, rgb)
            np.testing.assert_array_equal(ours, theirs)


def test_masks_off_every_side_change_nothing_and_huge_positions_are_safe():
    module = compiled()
    canvas = np.full((10, 12, 4), 77, np.uint8)
    atlas = np.full(100, 200, np.uint8)
    x0 = np.array([-10, 12, 0, 0, 2**31 - 1, -2**31, 3], np.int32)
    y0 = np.array([0, 0, -10, 10, 2**31 - 1, -2**31, 3], np.int32)
    side = np.array([10, 10, 10, 10, 10, 10, 0], np.int32)
    offset = np.zeros(7, np.int32)
    module.blit(canvas, atlas, x0, y0, side, offset, np.zeros((7, 3), np.uint8))
    assert (canvas == 77).all()


def test_the_atlas_may_be_bytes():
    module = compiled()
    canvas, theirs = np.zeros((8, 8, 4), np.uint8), np.zeros((8, 8, 4), np.uint8)
    atlas = bytes(range(0, 250, 10)) * 2
    args = (np.array([1], np.int32), np.array([2], np.int32), np.array([5], np.int32),
            np.array([3], np.int32), np.array([[10, 200, 30]], np.uint8))
    module.blit(canvas, atlas, *args)
    pillow_blit(theirs, np.frombuffer(atlas, np.uint8), *args)
    np.testing.assert_array_equal(canvas, theirs)


def good_arguments():
    return dict(canvas=np.zeros((6, 7, 4), np.uint8), atlas=np.full(50, 128, np.uint8),
                x0=np.array([1, 2], np.int32), y0=np.array([0, 3], np.int32),
                side=np.array([3, 4], np.int32), offset=np.array([0, 30], np.int32),
                rgb=np.array([[1, 2, 3], [4, 5, 6]], np.uint8))


@pytest.mark.parametrize("name, bad", [
    ("canvas", np.zeros((6, 7, 3), np.uint8)),               # RGB, not RGBA
    ("canvas", np.zeros((6, 28), np.uint8)),                 # flat rows
    ("canvas", np.zeros((6, 7, 4), np.float32)),
    ("canvas", np.zeros((7, 6, 4), np.uint8).transpose(1, 0, 2)),   # not C-contiguous
    ("canvas", bytes(6 * 7 * 4)),                            # read-only
    ("canvas", None),
    ("atlas", np.zeros((5, 10), np.uint8)),
    ("atlas", np.zeros(50, np.int16)),
    ("x0", np.array([1, 2], np.int64)),
    ("y0", np.array([0.0, 3.0])),
    ("side", np.array([3], np.int32)),                       # shorter than x0
    ("offset", np.array([[0, 30]], np.int32)),
    ("offset", np.array([0, 60, 0], np.int32)[::2]),         # strided
    ("rgb", np.array([1, 2, 3, 4, 5, 6], np.uint8)),
    ("rgb", np.zeros((2, 4), np.uint8)),
    ("rgb", np.zeros((3, 3), np.uint8)),
    ("offset", np.array([0, 35], np.int32)),                 # 35 + 16 bytes > 50
    ("offset", np.array([-1, 30], np.int32)),
    ("side", np.array([3, -4], np.int32)),
    ("side", np.array([3, 2**31 - 1], np.int32)),             # its square overflows int32
])
def test_bad_arguments_raise_and_draw_nothing(name, bad):
    module = compiled()
    arguments = good_arguments()
    canvas = arguments["canvas"]
    arguments[name] = bad
    for blit in (module.blit, module.blit_scalar):
        with pytest.raises((ValueError, TypeError, BufferError)):
            blit(*arguments.values())
    assert not canvas.any()


def test_good_arguments_draw():
    module = compiled()
    arguments = good_arguments()
    module.blit(*arguments.values())
    assert arguments["canvas"].any()
    with pytest.raises(TypeError):
        module.blit(*list(arguments.values())[:-1])


# -- artkit.discs with and without the C loop ---------------------------------------------------

def random_dabs(rng, width, height, n) -> Strokes:
    """Round dabs of many radii and alphas at sub-pixel positions over the whole canvas, its
    edges and corners and off it, with a few a mask can't stand for (too small, too big, NaN)
    and a pile of overlapping ones."""
    centres = np.column_stack([rng.uniform(-15, width + 15, n), rng.uniform(-15, height + 15, n)])
    centres[: n // 5] = rng.normal((width / 2, height / 2), 2.0, (n // 5, 2))
    corners = np.array([[0, 0], [width, 0], [0, height], [width, height]], float)
    centres[n // 5: n // 5 + 8] = corners[np.arange(8) % 4] + rng.uniform(-3, 3, (8, 2))
    widths = rng.uniform(2 * discs.MIN_RADIUS, 2 * discs.MAX_RADIUS, n)
    odd = rng.choice(n, n // 20, replace=False)
    widths[odd[0::3]] = 0.6                                   # below MIN_RADIUS
    widths[odd[1::3]] = 2 * discs.MAX_RADIUS + 5              # above MAX_RADIUS
    centres[odd[2::3], 0] = np.nan
    rgba = rng.integers(0, 256, (n, 4), dtype=np.uint8)
    rgba[:, 3] = rng.choice([12, 60, 90, 160, 255], n)        # a few alphas: few masks to draw
    return Strokes(CIRCLE, centres[:, None, :].astype(np.float32), rgba,
                   widths.astype(np.float32))


def painted(strokes, size, background=PAPER) -> np.ndarray:
    canvas = Canvas(*size, background=background)
    canvas.draw(strokes)
    return canvas.pixels().copy()


@pytest.mark.parametrize("seed, size, background", [
    (0, (64, 48), PAPER), (1, (37, 53), None), (2, (50, 50), (20, 30, 40))])
def test_discs_draw_the_same_bytes_with_and_without_the_c_loop(monkeypatch, seed, size,
                                                               background):
    compiled()
    strokes = random_dabs(np.random.default_rng(seed), *size, 300)
    with_c = painted(strokes, size, background)
    monkeypatch.setattr(discs, "_discblit", None)
    discs._masks.clear()          # and from no masks at all
    without_c = painted(strokes, size, background)
    np.testing.assert_array_equal(with_c, without_c)
    assert not np.array_equal(with_c, painted(strokes[:0], size, background))


def test_far_away_dabs_are_skipped(monkeypatch):
    # 2**32 px off is 0 px off in 32 bits: these must not wrap round onto the canvas.
    far = Strokes(CIRCLE, [[[2.0**32, 20.0]], [[20.0, -2.0**33]], [[1e12, 5.0]],
                           [[-3e15, -1e10]], [[20.0, 20.0]]],
                  [(200, 0, 0, 90)] * 5, [8.0] * 5)
    near = far[4:]
    for blit in ("c", "pillow"):
        if blit == "pillow":
            monkeypatch.setattr(discs, "_discblit", None)
        np.testing.assert_array_equal(painted(far, (40, 40)), painted(near, (40, 40)))


def test_discs_start_afresh_past_max_masks(monkeypatch):
    strokes = random_dabs(np.random.default_rng(5), 60, 60, 200)
    discs._masks.clear()
    expected = painted(strokes, (60, 60))
    groups = discs._masks.count // discs._CELLS
    monkeypatch.setattr(discs, "_MAX_MASKS", 3 * discs._CELLS)
    discs._masks.clear()
    canvas = Canvas(60, 60, background=PAPER)
    for part in range(0, 200, 20):     # batches with a few new masks each
        canvas.draw(strokes[part:part + 20])
    np.testing.assert_array_equal(canvas.pixels(), expected)
    assert discs._masks.count < groups * discs._CELLS


@pytest.fixture
def discs_without_c_module(monkeypatch):
    """artkit.discs imported where artkit._discblit can't be (as without a C compiler)."""
    import artkit

    monkeypatch.setitem(sys.modules, "artkit._discblit", None)   # its import fails
    monkeypatch.delattr(artkit, "_discblit", raising=False)
    importlib.reload(discs)
    yield discs
    monkeypatch.undo()
    importlib.reload(discs)


def test_without_the_c_module_discs_fall_back_to_pillow(discs_without_c_module):
    strokes = random_dabs(np.random.default_rng(7), 64, 48, 200)
    assert discs_without_c_module._discblit is None
    without_c = painted(strokes, (64, 48))
    importlib.reload(discs)
    if discs._discblit is not None:
        np.testing.assert_array_equal(painted(strokes, (64, 48)), without_c)
