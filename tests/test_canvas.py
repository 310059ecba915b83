"""Canvas primitives checked against expectations computed in code (areas, exact pixels)."""

import math
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from artkit.canvas import (
    CENTER, CHORD, CLOSE, CORNER, CORNERS, LINES, OPEN, PIE, POINTS, PROJECT, QUADS, RADIUS,
    SQUARE, TRIANGLES, Canvas, read_provenance,
)
from artkit.color import HSB
from artkit.errors import ArtkitError

WHITE = (255, 255, 255, 255)


def ink(canvas):
    """How much of each pixel is covered by black paint on white: 0..1 (antialiased)."""
    return 1.0 - canvas.pixels()[..., 0].astype(np.float64) / 255.0


def black_fill_canvas(size=100):
    canvas = Canvas(size, size)
    canvas.no_stroke()
    canvas.fill(0)
    return canvas


# ---------------------------------------------------------------- construction and pixels
def test_new_canvas_is_the_background_colour():
    canvas = Canvas(40, 30)
    assert (canvas.width, canvas.height) == (40, 30)
    px = canvas.pixels()
    assert px.shape == (30, 40, 4) and px.dtype == np.uint8
    assert (px == 255).all()
    assert (Canvas(4, 4, background="navy").pixels()[0, 0] == (0, 0, 128, 255)).all()
    assert (Canvas(4, 4, background=None).pixels() == 0).all()
    assert Canvas(12.0, np.int64(5)).pixels().shape == (5, 12, 4)


@pytest.mark.parametrize("size", [(0, 10), (10, -1), (2.5, 10), ("10", 10), (10**6, 10), (1e9, 10),
                                  (float("inf"), 10), (True, 10)])
def test_bad_canvas_size(size):
    with pytest.raises(ArtkitError, match="canvas"):
        Canvas(*size)


def test_pixels_is_a_live_view_and_rgb_a_copy():
    canvas = Canvas(8, 8)
    view = canvas.pixels()
    copy = canvas.rgb()
    canvas.background("red")
    assert (view[..., :3] == (255, 0, 0)).all()
    assert copy.shape == (8, 8, 3) and (copy == 255).all()


def test_snapshot_and_restore():
    canvas = Canvas(16, 16)
    before = canvas.snapshot()
    canvas.fill("blue")
    canvas.rect(2, 2, 8, 8)
    assert not np.array_equal(canvas.pixels(), before)
    canvas.restore(before)
    np.testing.assert_array_equal(canvas.pixels(), before)
    with pytest.raises(ArtkitError, match="snapshot"):
        canvas.restore(np.zeros((3, 3, 4), np.uint8))


def test_from_array_copies_rgb_and_rgba():
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, size=(6, 9, 3), dtype=np.uint8)
    canvas = Canvas.from_array(rgb)
    assert (canvas.width, canvas.height) == (9, 6)
    np.testing.assert_array_equal(canvas.rgb(), rgb)
    rgb[0, 0] = 0 if rgb[0, 0, 0] else 1
    assert not np.array_equal(canvas.rgb(), rgb)       # a copy, not a view
    with pytest.raises(ArtkitError, match="uint8"):
        Canvas.from_array(np.zeros((4, 4), np.float32))


# ---------------------------------------------------------------- primitives
def test_filled_rect_has_exact_pixels():
    canvas = Canvas(64, 64)
    canvas.no_stroke()
    canvas.fill("red")
    canvas.rect(10, 12, 20, 15)
    px = canvas.pixels()
    expected = np.full((64, 64, 4), 255, np.uint8)
    expected[12:27, 10:30] = (255, 0, 0, 255)
    np.testing.assert_array_equal(px, expected)


def test_default_style_is_white_fill_black_one_pixel_outline():
    canvas = Canvas(32, 32, background="black")
    canvas.rect(8.5, 8.5, 10, 10)            # half-pixel corners: the 1-px outline is crisp
    px = canvas.pixels()
    assert (px[8, 8:19, :3] == 0).all()       # outline is black... on black
    assert (px[10:17, 10:17, :3] == 255).all()
    canvas = Canvas(32, 32)
    canvas.no_fill()
    canvas.rect(8.5, 8.5, 10, 10)
    px = canvas.pixels()
    assert (px[8, 8:19, :3] == 0).all() and (px[18, 8:19, :3] == 0).all()
    assert (px[10:17, 10:17, :3] == 255).all()


@pytest.mark.parametrize("diameter, tolerance", [(40, 0.01), (61, 0.01), (90, 0.01), (12, 0.04), (20, 0.04)])
def test_circle_area_is_pi_r_squared(diameter, tolerance):
    # skia (like Chrome, hence p5.js) flattens curves to within about 0.25 px, so a small
    # circle is a polygon a few percent smaller than the true disc.
    canvas = black_fill_canvas(100)
    canvas.circle(50, 50, diameter)
    r = diameter / 2
    assert ink(canvas).sum() == pytest.approx(math.pi * r * r, rel=tolerance)


def test_ellipse_area_and_modes():
    canvas = black_fill_canvas(100)
    canvas.ellipse(50, 50, 80, 40)
    assert ink(canvas).sum() == pytest.approx(math.pi * 40 * 20, rel=0.01)
    reference = canvas.snapshot()
    for mode, args in [(CORNER, (10, 30, 80, 40)), (CORNERS, (90, 70, 10, 30)), (RADIUS, (50, 50, 40, 20))]:
        other = black_fill_canvas(100)
        other.ellipse_mode(mode)
        other.ellipse(*args)
        np.testing.assert_array_equal(other.pixels(), reference)


def test_rect_modes_agree_and_negative_sizes_flip():
    reference = black_fill_canvas(50)
    reference.rect(10, 5, 20, 30)
    for mode, args in [(CORNERS, (30, 35, 10, 5)), (CENTER, (20, 20, 20, 30)), (RADIUS, (20, 20, 10, 15)),
                       (CORNER, (30, 35, -20, -30))]:
        canvas = black_fill_canvas(50)
        canvas.rect_mode(mode)
        canvas.rect(*args)
        np.testing.assert_array_equal(canvas.pixels(), reference.pixels(), err_msg=str(mode))


def test_rounded_rect_loses_its_corners():
    canvas = black_fill_canvas(60)
    canvas.rect(10, 10, 40, 40, 10)
    full, corner_cut = 40 * 40, (4 - math.pi) * 10 * 10
    assert ink(canvas).sum() == pytest.approx(full - corner_cut, rel=0.01)
    assert canvas.pixels()[10, 10, 0] == 255          # the very corner stays white
    square = black_fill_canvas(60)
    square.square(10, 10, 40)
    assert ink(square).sum() == pytest.approx(full, abs=0.5)


def test_translucent_fill_blends_over_white():
    canvas = Canvas(20, 20)
    canvas.no_stroke()
    canvas.fill(255, 0, 0, 128)
    canvas.rect(0, 0, 20, 20)
    # source-over: 0 * 128/255 + 255 * (1 - 128/255) = 127
    np.testing.assert_allclose(canvas.pixels()[5, 5], (255, 127, 127, 255), atol=1)
    canvas.fill(0, 0, 255, 128)
    canvas.rect(0, 0, 20, 20)
    np.testing.assert_allclose(canvas.pixels()[5, 5], (127, 63, 191, 255), atol=2)


def test_background_ignores_transform_and_blends_translucent_colours():
    canvas = Canvas(10, 10)
    canvas.translate(5, 5)
    canvas.scale(0.1)
    canvas.background(0, 0, 0, 128)
    np.testing.assert_allclose(canvas.pixels()[..., :3], 127, atol=1)


def test_line_with_square_cap_covers_exactly_its_length():
    canvas = Canvas(60, 40)
    canvas.stroke(0)
    canvas.stroke_weight(4)
    canvas.stroke_cap(SQUARE)
    canvas.line(10, 20, 50, 20)
    covered = ink(canvas) > 0.5
    ys, xs = np.nonzero(covered)
    assert (xs.min(), xs.max(), ys.min(), ys.max()) == (10, 49, 18, 21)
    assert ink(canvas).sum() == pytest.approx(40 * 4, abs=0.5)
    canvas = Canvas(60, 40)
    canvas.stroke(0)
    canvas.stroke_weight(4)
    canvas.stroke_cap(PROJECT)                    # extends half the weight past each end
    canvas.line(10, 20, 50, 20)
    assert ink(canvas).sum() == pytest.approx(44 * 4, abs=0.5)


def test_point_is_a_dot_the_size_of_the_stroke_weight():
    canvas = Canvas(40, 40)
    canvas.stroke(0)
    canvas.stroke_weight(10)
    canvas.point(20, 20)
    assert ink(canvas).sum() == pytest.approx(math.pi * 25, rel=0.03)
    canvas.no_stroke()
    before = canvas.snapshot()
    canvas.point(5, 5)
    np.testing.assert_array_equal(canvas.pixels(), before)


def test_no_stroke_no_fill_and_zero_weight_draw_nothing():
    canvas = Canvas(30, 30)
    canvas.no_fill()
    canvas.stroke_weight(0)
    canvas.rect(5, 5, 20, 20)
    canvas.line(0, 0, 30, 30)
    assert (canvas.pixels() == 255).all()


def test_arc_modes_fill_pie_or_chord():
    r = 40
    quarter = math.pi * r * r / 4
    chord = quarter - r * r / 2
    for mode, area in [(None, quarter), (PIE, quarter), (OPEN, chord), (CHORD, chord)]:
        canvas = black_fill_canvas(100)
        canvas.arc(50, 50, 2 * r, 2 * r, 0, math.pi / 2, mode)
        assert ink(canvas).sum() == pytest.approx(area, rel=0.02), mode
        # the quarter lies below-right of the centre (angles turn clockwise on screen)
        assert ink(canvas)[:48, :].sum() < 1 and ink(canvas)[:, :48].sum() < 1
    full = black_fill_canvas(100)
    full.arc(50, 50, 80, 80, 0, 2 * math.pi)
    assert ink(full).sum() == pytest.approx(math.pi * r * r, rel=0.01)


def test_arc_on_an_ellipse_ends_on_the_ray_at_the_given_angle():
    canvas = black_fill_canvas(120)
    canvas.arc(60, 60, 100, 40, 0, math.pi / 4, PIE)
    # p5 aims the angle along a ray from the centre: the slice is bounded by y - 60 = x - 60.
    covered = ink(canvas) > 0.5
    ys, xs = np.nonzero(covered)
    assert np.all(ys - 60 <= xs - 60 + 1.5)
    assert covered[62, 75] and not covered[75, 62]
    # 35 degrees along the ray is inside; skia's parametric angle would stop near 22 degrees.
    assert covered[68, 72]


def test_triangle_quad_and_polygon_areas():
    canvas = black_fill_canvas(100)
    canvas.triangle(10, 10, 90, 10, 10, 70)
    assert ink(canvas).sum() == pytest.approx(80 * 60 / 2, rel=0.01)
    quad = black_fill_canvas(100)
    quad.quad(20, 20, 80, 20, 80, 60, 20, 60)
    shape = black_fill_canvas(100)
    shape.begin_shape()
    for x, y in [(20, 20), (80, 20), (80, 60), (20, 60)]:
        shape.vertex(x, y)
    shape.end_shape(CLOSE)
    np.testing.assert_array_equal(shape.pixels(), quad.pixels())
    assert ink(quad).sum() == pytest.approx(60 * 40, abs=0.5)


def test_shape_kinds():
    canvas = black_fill_canvas(100)
    canvas.begin_shape(TRIANGLES)
    for x, y in [(0, 0), (40, 0), (0, 40), (60, 60), (100, 60), (60, 100)]:
        canvas.vertex(x, y)
    canvas.end_shape()
    assert ink(canvas).sum() == pytest.approx(2 * 800, rel=0.01)
    quads = black_fill_canvas(100)
    quads.begin_shape(QUADS)
    for x, y in [(0, 0), (10, 0), (10, 10), (0, 10), (50, 50), (70, 50), (70, 70), (50, 70)]:
        quads.vertex(x, y)
    quads.end_shape()
    assert ink(quads).sum() == pytest.approx(100 + 400, abs=0.5)
    lines = Canvas(50, 50)
    lines.stroke_cap(SQUARE)
    lines.stroke_weight(2)
    lines.begin_shape(LINES)
    for x, y in [(5, 10), (45, 10), (5, 30), (45, 30)]:
        lines.vertex(x, y)
    lines.end_shape()
    assert ink(lines).sum() == pytest.approx(2 * 40 * 2, abs=1)
    assert ink(lines)[20, :].sum() == 0                  # nothing joins the two lines
    points = Canvas(50, 50)
    points.stroke_weight(6)
    points.begin_shape(POINTS)
    points.vertex(10, 10)
    points.vertex(40, 40)
    points.end_shape()
    assert ink(points).sum() == pytest.approx(2 * math.pi * 9, rel=0.05)


def test_contour_makes_a_hole():
    canvas = black_fill_canvas(60)
    canvas.begin_shape()
    for x, y in [(10, 10), (50, 10), (50, 50), (10, 50)]:
        canvas.vertex(x, y)
    canvas.begin_contour()
    for x, y in [(20, 20), (20, 40), (40, 40), (40, 20)]:      # wound the other way
        canvas.vertex(x, y)
    canvas.end_contour()
    canvas.end_shape(CLOSE)
    assert ink(canvas).sum() == pytest.approx(1600 - 400, abs=1)
    assert canvas.pixels()[30, 30, 0] == 255


def test_curve_vertex_passes_through_its_inner_points():
    points = [(5, 50), (20, 20), (50, 80), (80, 20), (95, 50)]
    canvas = Canvas(100, 100)
    canvas.no_fill()
    canvas.stroke_weight(3)
    canvas.begin_shape()
    for x, y in points:
        canvas.curve_vertex(x, y)
    canvas.end_shape()
    covered = ink(canvas)
    for x, y in points[1:-1]:
        assert covered[y, x] > 0.5
    assert covered[50, 5] == 0 and covered[50, 95] == 0     # the guides are not drawn to
    # curve() is the same spline for one segment
    single = Canvas(100, 100)
    single.no_fill()
    single.stroke_weight(3)
    single.curve(*points[0], *points[1], *points[2], *points[3])
    assert ink(single)[20, 20] > 0.5 and ink(single)[80, 50] > 0.5


def test_bezier_goes_from_end_to_end_and_bulges_toward_controls():
    canvas = Canvas(100, 100)
    canvas.no_fill()
    canvas.stroke_weight(3)
    canvas.bezier(10, 90, 10, 10, 90, 10, 90, 90)
    covered = ink(canvas)
    assert covered[90, 10] > 0.4 and covered[90, 90] > 0.4
    # a cubic with these controls peaks at y = 90 - 0.75 * 80 = 30 halfway
    column = covered[:, 50]
    assert abs(int(np.argmax(column)) - 30) <= 2
    shape = Canvas(100, 100)
    shape.no_fill()
    shape.stroke_weight(3)
    shape.begin_shape()
    shape.vertex(10, 90)
    shape.bezier_vertex(10, 10, 90, 10, 90, 90)
    shape.end_shape()
    np.testing.assert_array_equal(shape.pixels(), canvas.pixels())


def test_text_draws_in_the_fill_colour_near_its_baseline():
    canvas = Canvas(120, 40)
    canvas.fill("black")
    canvas.text_size(20)
    canvas.text("Hello", 10, 30)
    covered = ink(canvas) > 0.5
    if not covered.any():
        pytest.skip("no font with glyphs on this machine")
    ys, xs = np.nonzero(covered)
    assert xs.min() >= 9 and ys.max() <= 31 and ys.min() >= 10
    assert 30 < xs.max() - xs.min() < 80
    assert canvas.text_width("Hello") == pytest.approx(xs.max() - xs.min(), abs=5)


def test_image_from_numpy_and_pil_lands_pixel_exact():
    rng = np.random.default_rng(4)
    picture = rng.integers(0, 256, size=(10, 12, 3), dtype=np.uint8)
    canvas = Canvas(40, 30)
    canvas.image(picture, 5, 7)
    np.testing.assert_array_equal(canvas.rgb()[7:17, 5:17], picture)
    assert (canvas.rgb()[:7] == 255).all()
    pil = Canvas(40, 30)
    pil.image(Image.fromarray(picture), 5, 7)
    np.testing.assert_array_equal(pil.pixels(), canvas.pixels())
    stretched = Canvas(40, 30)
    stretched.image(np.full((2, 2, 3), 10, np.uint8), 0, 0, 20, 10)
    assert (stretched.rgb()[1:9, 1:19] == 10).all() and (stretched.rgb()[11:, 21:] == 255).all()


def test_image_alpha_blends():
    rgba = np.zeros((4, 4, 4), np.uint8)
    rgba[..., 2] = 255
    rgba[:, :2, 3] = 255      # left half opaque blue, right half transparent
    canvas = Canvas(4, 4)
    canvas.image(rgba, 0, 0)
    assert (canvas.pixels()[:, :2] == (0, 0, 255, 255)).all()
    assert (canvas.pixels()[:, 2:] == 255).all()
    with pytest.raises(ArtkitError, match="image"):
        canvas.image(np.zeros((4, 4)), 0, 0)


# ---------------------------------------------------------------- style state and transforms
def test_colour_mode_on_the_canvas():
    canvas = Canvas(10, 10)
    canvas.no_stroke()
    canvas.colour_mode(HSB)
    canvas.fill(120, 100, 100)
    canvas.rect(0, 0, 10, 10)
    assert tuple(canvas.pixels()[5, 5]) == (0, 255, 0, 255)
    canvas.color_mode("rgb", 1)
    canvas.fill(1, 0, 0)
    canvas.rect(0, 0, 10, 10)
    assert tuple(canvas.pixels()[5, 5]) == (255, 0, 0, 255)


def test_push_pop_restore_style_and_transform():
    canvas = Canvas(40, 40)
    canvas.no_stroke()
    canvas.fill("red")
    canvas.push()
    canvas.fill("blue")
    canvas.stroke("green")
    canvas.stroke_weight(7)
    canvas.rect_mode(CENTER)
    canvas.translate(20, 20)
    canvas.rotate(1.0)
    canvas.pop()
    canvas.rect(0, 0, 10, 10)
    px = canvas.pixels()
    assert (px[0:10, 0:10] == (255, 0, 0, 255)).all()
    assert (px[10:, :] == 255).all() and (px[:, 10:] == 255).all()
    assert canvas.sk.getTotalMatrix().isIdentity()
    with pytest.raises(ArtkitError, match="push"):
        canvas.pop()


def test_pushed_context_restores_even_after_an_error():
    canvas = Canvas(20, 20)
    canvas.no_stroke()
    canvas.fill("black")
    with pytest.raises(ZeroDivisionError):
        with canvas.pushed():
            canvas.translate(10, 10)
            canvas.fill("red")
            1 / 0
    canvas.rect(0, 0, 5, 5)
    assert tuple(canvas.pixels()[2, 2]) == (0, 0, 0, 255)


def test_translate_rotate_move_a_rect_where_expected():
    canvas = black_fill_canvas(64)
    canvas.translate(32, 32)
    canvas.rotate(math.pi / 2)            # (x, y) -> (-y, x): clockwise on screen
    canvas.rect(0, 0, 20, 4)
    covered = ink(canvas) > 0.5
    ys, xs = np.nonzero(covered)
    assert (xs.min(), xs.max(), ys.min(), ys.max()) == (28, 31, 32, 51)
    scaled = black_fill_canvas(64)
    scaled.scale(2, 3)
    scaled.rect(1, 1, 10, 5)
    ys, xs = np.nonzero(ink(scaled) > 0.5)
    assert (xs.min(), xs.max(), ys.min(), ys.max()) == (2, 21, 3, 17)


@pytest.mark.parametrize("call, words", [
    (lambda c: c.circle("a", 1, 2), "circle() needs numbers"),
    (lambda c: c.rect(1, 2, "wide", 3), "rect() needs numbers"),
    (lambda c: c.line(1, 2, 3, None), "line() needs numbers"),
    (lambda c: c.translate("x", 0), "translate() needs numbers"),
    (lambda c: c.fill("notacolour"), "I don't know the colour"),
    (lambda c: c.rect_mode("middle"), "rect_mode() must be one of"),
    (lambda c: c.stroke_cap("flat"), "stroke_cap() must be one of"),
    (lambda c: c.arc(1, 2, 3, 4, 0, 1, "slice"), "arc()'s mode"),
    (lambda c: c.vertex(1, 2), "between begin_shape"),
    (lambda c: c.end_shape(), "without a begin_shape"),
    (lambda c: c.fill(), "colour is missing"),
    (lambda c: c.text("hi", "left", 5), "text() needs numbers"),
    (lambda c: c.pop(), "without a push()"),
])
def test_mistakes_give_plain_errors_and_the_canvas_survives(call, words):
    canvas = Canvas(10, 10)
    before = canvas.snapshot()
    with pytest.raises(ArtkitError) as info:
        call(canvas)
    assert words in str(info.value)
    np.testing.assert_array_equal(canvas.pixels(), before)
    canvas.fill("black")
    canvas.no_stroke()
    canvas.rect(0, 0, 10, 10)                 # still works afterwards
    assert (canvas.pixels()[..., :3] == 0).all()


def test_numpy_numbers_are_accepted():
    canvas = black_fill_canvas(20)
    canvas.circle(np.float32(10), np.int64(10), np.float64(8))
    canvas.rect(np.int32(0), np.int32(0), np.float32(2), 2)
    assert ink(canvas).sum() > 50


# ---------------------------------------------------------------- saving
def test_save_and_reload_gives_equal_pixels_and_provenance(tmp_path):
    canvas = Canvas(30, 20)
    canvas.fill(10, 200, 30)
    canvas.circle(15, 10, 12)
    path = canvas.save(tmp_path / "out.png",
                       {"brush": "hairy", "params": {"size": 3, "alpha": 0.5}, "seed": 7})
    with Image.open(path) as picture:
        assert picture.mode == "RGBA"
        np.testing.assert_array_equal(np.asarray(picture), canvas.pixels())
        assert picture.text["brush"] == "hairy"
        assert picture.text["seed"] == "7"
    provenance = read_provenance(path)
    assert provenance["params"] == {"size": 3, "alpha": 0.5}
    assert provenance["seed"] == 7
    assert provenance["artkit-version"]


def test_save_translucent_canvas_unpremultiplies(tmp_path):
    canvas = Canvas(4, 4, background=None)
    canvas.no_stroke()
    canvas.fill(200, 100, 0, 128)
    canvas.rect(0, 0, 4, 4)
    canvas.save(tmp_path / "t.png")
    with Image.open(tmp_path / "t.png") as picture:
        np.testing.assert_allclose(np.asarray(picture)[0, 0], (200, 100, 0, 128), atol=2)


def test_save_errors_are_plain(tmp_path):
    canvas = Canvas(4, 4)
    missing = tmp_path / "nope" / "x.png"
    with pytest.raises(ArtkitError) as info:
        canvas.save(missing)
    assert str(info.value) == f"Can't save to '{missing}': the folder '{missing.parent}' does not exist."
    with pytest.raises(ArtkitError, match="end the name with .png"):
        canvas.save(tmp_path / "x.gif2")
    (tmp_path / "dir.png").mkdir()
    with pytest.raises(ArtkitError, match="is a folder"):
        canvas.save(tmp_path / "dir.png")
    with pytest.raises(ArtkitError, match="no such file"):
        read_provenance(tmp_path / "missing.png")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write anywhere")
def test_save_into_a_read_only_folder(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(ArtkitError, match="permission denied"):
            Canvas(4, 4).save(locked / "x.png")
    finally:
        locked.chmod(0o700)


def test_permission_denied_while_writing_is_plain(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("artkit.png.encode_png", refuse)
    target = tmp_path / "x.png"
    with pytest.raises(ArtkitError) as info:
        Canvas(4, 4).save(target)
    assert str(info.value) == f"Can't save to '{target}': permission denied; pick another folder."


def test_save_jpeg(tmp_path):
    canvas = Canvas(8, 8, background="orange")
    canvas.save(tmp_path / "x.jpg")
    with Image.open(tmp_path / "x.jpg") as picture:
        assert picture.mode == "RGB"
        np.testing.assert_allclose(np.asarray(picture)[4, 4], (255, 165, 0), atol=3)


# ---------------------------------------------------------------- pygame and layering
def test_the_apps_view_shares_the_canvas_memory():
    pygame = pytest.importorskip("pygame")
    from artkit.app.views import CanvasView

    canvas = Canvas(16, 12)
    view = CanvasView()
    surface = view.surface(canvas)
    assert surface.get_size() == (16, 12)
    canvas.no_stroke()
    canvas.fill("red")
    canvas.rect(0, 0, 8, 12)
    assert tuple(surface.get_at((2, 2))) == (255, 0, 0, 255)
    assert tuple(surface.get_at((12, 2))) == (255, 255, 255, 255)
    reds = pygame.surfarray.pixels_red(surface)
    assert reds.shape == (16, 12) and (reds[:8] == 255).all()
    del reds
    assert view.surface(canvas) is surface


def test_canvas_module_does_not_import_pygame():
    code = "import sys, artkit.canvas; c = artkit.canvas.Canvas(4, 4); print('pygame' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_draw_hands_strokes_to_the_renderer():
    strokes_module = pytest.importorskip("artkit.strokes")
    canvas = Canvas(40, 40)
    marks = strokes_module.Strokes(strokes_module.CIRCLE, np.array([[20.0, 20.0]], np.float32),
                                   np.array([[0, 0, 0, 255]], np.uint8), np.array([10.0], np.float32))
    canvas.draw(marks)
    assert ink(canvas).sum() == pytest.approx(math.pi * 25, rel=0.03)
    canvas.draw(marks, scale=0.5)
    assert ink(canvas)[10, 10] > 0.5
