"""SourceImage: every format Pillow gives us, every broken file, fitting and sampling."""

import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from artkit.errors import ArtkitError
from artkit.source import MAX_PIXELS, SourceImage, image_size, open_source

RED, BLUE = (220, 30, 40), (30, 60, 210)


def halves(w=40, h=20, left=RED, right=BLUE) -> np.ndarray:
    """Left half one colour, right half another (uint8 RGB)."""
    arr = np.zeros((h, w, 3), np.uint8)
    arr[:, : w // 2] = left
    arr[:, w // 2:] = right
    return arr


def assert_colour(actual, expected, tol=6):
    assert np.allclose(np.asarray(actual) * 255, expected, atol=tol), (np.asarray(actual) * 255,
                                                                        expected)


# -- formats ------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix,options", [
    (".png", {}), (".webp", {"lossless": True}), (".bmp", {}), (".tif", {}), (".gif", {}),
    (".jpg", {"quality": 98}),
])
def test_reads_common_formats(tmp_path, suffix, options):
    path = tmp_path / f"halves{suffix}"
    Image.fromarray(halves()).save(path, **options)
    src = SourceImage.load(path)
    assert src.size == (40, 20)
    tol = 12 if suffix in (".jpg", ".gif") else 1
    assert_colour(src.colour_at([5], [10])[0], RED, tol)
    assert_colour(src.colour_at([35], [10])[0], BLUE, tol)
    assert src.rgb.dtype == np.float32 and src.rgb.shape == (20, 40, 3)


def test_jpeg_exif_orientation_is_honoured(tmp_path):
    # Stored 40x20 with red on the left; orientation 6 means "rotate 90° clockwise to view",
    # so the picture is 20 wide, 40 tall, with the stored left column on top.
    path = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.fromarray(halves()).save(path, exif=exif, quality=98)
    src = SourceImage.load(path)
    assert src.size == (20, 40)
    assert_colour(src.colour_at([10], [3])[0], RED, 12)
    assert_colour(src.colour_at([10], [37])[0], BLUE, 12)


def test_palette_png(tmp_path):
    path = tmp_path / "palette.png"
    Image.fromarray(halves()).convert("P", palette=Image.Palette.ADAPTIVE, colors=4).save(path)
    assert Image.open(path).mode == "P"
    src = SourceImage.load(path)
    assert_colour(src.colour_at([5, 35], [10, 10]), [RED, BLUE], 2)


def test_palette_with_transparency_composites_on_white(tmp_path):
    path = tmp_path / "palette_alpha.png"
    image = Image.fromarray(halves()).convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    image.info["transparency"] = image.getpixel((35, 10))   # the blue entry is transparent
    image.save(path, transparency=image.getpixel((35, 10)))
    src = SourceImage.load(path)
    assert_colour(src.colour_at([35], [10])[0], (255, 255, 255), 1)
    assert_colour(src.colour_at([5], [10])[0], RED, 2)


def test_cmyk_jpeg(tmp_path):
    path = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (16, 16), (0, 255, 255, 0)).save(path, quality=98)   # pure red ink
    assert Image.open(path).mode == "CMYK"
    src = SourceImage.load(path)
    assert_colour(src.colour_at([8], [8])[0], (255, 0, 0), 12)


def test_16_bit_png(tmp_path):
    path = tmp_path / "deep.png"
    arr = np.zeros((8, 16), np.uint16)
    arr[:, :8] = 65535
    arr[:, 8:] = 32768
    Image.fromarray(arr).save(path)
    assert Image.open(path).mode.startswith("I")
    src = SourceImage.load(path)
    assert_colour(src.colour_at([2], [2])[0], (255, 255, 255), 1)
    assert_colour(src.colour_at([12], [2])[0], (128, 128, 128), 1)


def test_grey_png(tmp_path):
    path = tmp_path / "grey.png"
    Image.fromarray(np.full((8, 8), 77, np.uint8), "L").save(path)
    src = SourceImage.load(path)
    assert_colour(src.colour_at([4], [4])[0], (77, 77, 77), 1)
    assert src.luminance_at([4], [4])[0] == pytest.approx(77 / 255, abs=1e-3)


def test_rgba_composites_on_white(tmp_path):
    path = tmp_path / "rgba.png"
    arr = np.zeros((8, 8, 4), np.uint8)
    arr[..., :3] = (0, 0, 0)
    arr[:, :4, 3] = 0          # transparent: white
    arr[:, 4:, 3] = 128        # half black over white: mid grey
    Image.fromarray(arr, "RGBA").save(path)
    src = SourceImage.load(path)
    assert_colour(src.colour_at([1], [1])[0], (255, 255, 255), 1)
    assert_colour(src.colour_at([6], [1])[0], (127, 127, 127), 2)


def test_grey_with_alpha(tmp_path):
    path = tmp_path / "la.png"
    Image.fromarray(np.zeros((4, 4, 2), np.uint8), "LA").save(path)
    assert_colour(SourceImage.load(path).colour_at([1], [1])[0], (255, 255, 255), 1)


# -- broken files -------------------------------------------------------------------------

def test_missing_file():
    with pytest.raises(ArtkitError, match="There is no image file called"):
        SourceImage.load("no/such/picture.png")


def test_text_file_is_not_an_image(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(ArtkitError) as info:
        SourceImage.load(path)
    assert str(info.value) == ("'notes.txt' is not an image artkit can read (it reads JPEG, "
                               "PNG, WebP, GIF, BMP and TIFF).")


def test_truncated_png(tmp_path):
    whole = tmp_path / "whole.png"
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(whole)
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(ArtkitError, match="damaged or truncated"):
        SourceImage.load(cut)


def png_header_only(path, width, height):
    """A PNG that declares width x height but holds no pixels (a decompression-bomb probe)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b""))


@pytest.mark.parametrize("side", [10_000, 100_000])   # above our guard; above Pillow's bomb limit
def test_huge_dimensions_refused_before_decoding(tmp_path, side):
    path = tmp_path / "huge.png"
    png_header_only(path, side, side)
    with pytest.raises(ArtkitError) as info:
        SourceImage.load(path)
    message = str(info.value)
    assert "too big" in message or "megapixels" in message
    assert f"{MAX_PIXELS // 1_000_000} megapixels" in message
    if side == 10_000:
        assert "10000x10000" in message


def test_folder_is_not_an_image(tmp_path):
    with pytest.raises(ArtkitError, match="folder"):
        SourceImage.load(tmp_path)


def test_image_size_reads_the_header(tmp_path):
    path = tmp_path / "x.png"
    Image.fromarray(halves(30, 12)).save(path)
    assert image_size(path) == (30, 12)
    rotated = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.fromarray(halves(30, 12)).save(rotated, exif=exif)
    assert image_size(rotated) == (12, 30)      # as shown, like SourceImage.load


# -- fitting ------------------------------------------------------------------------------

def test_cover_crops_the_centre(tmp_path):
    arr = np.zeros((10, 30, 3), np.uint8)
    arr[:, :10] = RED
    arr[:, 10:20] = (0, 200, 0)
    arr[:, 20:] = BLUE
    src = SourceImage.from_array(arr, (10, 10), fit="cover")
    assert src.size == (10, 10)
    assert_colour(src.colour_at([1, 5, 8], [5, 5, 5]), [(0, 200, 0)] * 3, 3)


def test_contain_letterboxes_on_white():
    src = SourceImage.from_array(np.zeros((10, 20, 3), np.uint8), (20, 20), fit="contain")
    assert src.size == (20, 20)
    assert_colour(src.colour_at([10], [1])[0], (255, 255, 255), 1)    # band above
    assert_colour(src.colour_at([10], [10])[0], (0, 0, 0), 1)         # the picture
    assert_colour(src.colour_at([10], [18])[0], (255, 255, 255), 1)   # band below


def test_load_fits_to_size(tmp_path):
    path = tmp_path / "big.png"
    Image.fromarray(halves(200, 100)).save(path)
    src = SourceImage.load(path, (60, 30))
    assert src.size == (60, 30)
    assert_colour(src.colour_at([5, 55], [15, 15]), [RED, BLUE], 2)


def test_bad_fit_and_size():
    with pytest.raises(ArtkitError, match="fit"):
        SourceImage.from_array(np.zeros((4, 4)), (4, 4), fit="stretch")
    with pytest.raises(ArtkitError, match="size"):
        SourceImage.from_array(np.zeros((4, 4)), (0, 4))


# -- arrays -------------------------------------------------------------------------------

def test_from_array_kinds():
    grey_u8 = SourceImage.from_array(np.full((4, 5), 51, np.uint8))
    assert grey_u8.size == (5, 4)
    assert_colour(grey_u8.colour_at([0], [0])[0], (51, 51, 51), 0.01)
    rgb_float = SourceImage.from_array(np.full((4, 4, 3), 0.25))
    assert rgb_float.colour_at([1], [1])[0] == pytest.approx([0.25] * 3)
    rgba = np.zeros((2, 2, 4), np.float32)
    rgba[..., 3] = 0.5
    assert SourceImage.from_array(rgba).colour_at([0], [0])[0] == pytest.approx([0.5] * 3)
    one_channel = SourceImage.from_array(np.ones((3, 3, 1)))
    assert one_channel.colour_at([0], [0])[0] == pytest.approx([1, 1, 1])
    with pytest.raises(ArtkitError, match="shape"):
        SourceImage.from_array(np.zeros((4, 4, 2)))


# -- sampling -----------------------------------------------------------------------------

def test_sampling_is_vectorised_and_clipped():
    src = SourceImage.from_array(halves())
    xs = np.array([-50, 5, 35, 500, 19.6], np.float32)
    ys = np.array([-5, 10, 10, 900, 3], np.float32)
    colours = src.colour_at(xs, ys)
    assert colours.shape == (5, 3) and colours.dtype == np.float32
    assert_colour(colours, [RED, RED, BLUE, BLUE, RED], 0.01)
    lum = src.luminance_at(xs, ys)
    assert lum.shape == (5,)
    r, g, b = (c / 255 for c in RED)
    assert lum[0] == pytest.approx(0.2126 * r + 0.7152 * g + 0.0722 * b, abs=1e-6)


def test_gradient_runs_along_edges():
    arr = np.zeros((40, 40), np.float32)
    arr[:, 20:] = 1.0                            # a vertical edge: dark left, light right
    src = SourceImage.from_array(arr)
    t = src.gradient_at(np.array([20, 5]), np.array([20, 20]))
    assert t.shape == (2, 2)
    on_edge, flat = t
    assert abs(on_edge[0]) < 1e-6 and abs(on_edge[1]) > 0.05     # tangent is vertical
    assert np.hypot(*flat) < 1e-4
    horizontal = SourceImage.from_array(arr.T.copy()).gradient_at([20], [20])[0]
    assert abs(horizontal[1]) < 1e-6 and abs(horizontal[0]) > 0.05


def test_hash_and_to_array():
    a = SourceImage.from_array(halves())
    b = SourceImage.from_array(halves())
    c = SourceImage.from_array(halves(left=BLUE))
    assert a.hash == b.hash != c.hash
    assert len(a.hash) == 12
    arr = a.to_array()
    assert arr.dtype == np.uint8 and arr.shape == (20, 40, 3)
    assert tuple(arr[0, 0]) == RED


# -- the default picture and open_source ----------------------------------------------------

def test_default_picture_has_variety():
    src = SourceImage.default((128, 96))
    assert src.size == (128, 96)
    lum = src.luminance
    assert lum.min() < 0.15 and lum.max() > 0.85          # darks and lights
    assert src.rgb.reshape(-1, 3).std(axis=0).min() > 0.1  # colour in every channel
    assert SourceImage.default((128, 96)).hash == src.hash


def test_open_source_specs(tmp_path):
    assert open_source("default", (32, 24)).size == (32, 24)
    assert open_source(None, (32, 24)).name == "default"
    path = tmp_path / "p.png"
    Image.fromarray(halves()).save(path)
    assert open_source(str(path), (20, 10)).size == (20, 10)
    with pytest.raises(ArtkitError, match="source kind 'zzz:'"):
        open_source("zzz:thing", (8, 8))
    with pytest.raises(ArtkitError, match="There is no image file"):
        open_source(str(tmp_path / "missing.png"), (8, 8))
