"""artkit's PNG writer (artkit.png): Pillow reads back every pixel and every text chunk."""

from __future__ import annotations

import io
import zlib

import numpy as np
import pytest
from PIL import Image

from artkit import png
from artkit.canvas import Canvas, read_provenance


def decoded(data: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(data))
    picture.load()
    return picture


@pytest.mark.parametrize("shape", [(1, 1), (3, 700), (700, 3), (257, 333)])
def test_pixels_round_trip(shape):
    rgba = np.random.default_rng(sum(shape)).integers(0, 256, shape + (4,), dtype=np.uint8)
    picture = decoded(png.encode_png(rgba))
    assert picture.mode == "RGBA" and picture.size == shape[::-1]
    np.testing.assert_array_equal(np.asarray(picture), rgba)


def test_parts_deflated_on_threads_join_into_one_stream(monkeypatch):
    monkeypatch.setattr(png, "_MIN_PART", 1000)
    monkeypatch.setattr("artkit.parallel.available_cores", lambda: 4)
    rgba = np.zeros((300, 200, 4), np.uint8)
    rgba[..., 0] = np.arange(200) % 256
    rgba[..., 1] = (np.arange(300) % 256)[:, None]
    rgba[100:180, 50:150] = (10, 200, 30, 128)
    assert png._part_count(rgba.nbytes) == 4
    np.testing.assert_array_equal(np.asarray(decoded(png.encode_png(rgba))), rgba)


def test_blocks_and_parts_make_one_stream_with_the_right_checksum(monkeypatch):
    """Rows filtered a few at a time on 3 threads: zlib (which checks the Adler-32 combined
    from the blocks) inflates exactly the Sub-filtered rows."""
    monkeypatch.setattr(png, "_MIN_PART", 1000)
    monkeypatch.setattr(png, "_BLOCK_BYTES", 1000)
    monkeypatch.setattr("artkit.parallel.available_cores", lambda: 3)
    rgba = np.random.default_rng(4).integers(0, 256, (101, 77, 4), dtype=np.uint8)
    data = png.encode_png(rgba)
    start = data.index(b"IDAT") + 4
    end = start + int.from_bytes(data[start - 8:start - 4], "big")
    rows = rgba.reshape(101, -1)
    sub = np.concatenate([rows[:, :4], rows[:, 4:] - rows[:, :-4]], axis=1)
    expected = np.concatenate([np.full((101, 1), 1, np.uint8), sub], axis=1)
    assert zlib.decompress(data[start:end]) == expected.tobytes()


def test_zlib_stands_in_where_isal_is_missing(monkeypatch):
    monkeypatch.setattr(png, "_deflate", zlib)
    monkeypatch.setattr(png, "_MIN_PART", 1000)
    rgba = np.random.default_rng(1).integers(0, 256, (120, 90, 4), dtype=np.uint8)
    np.testing.assert_array_equal(np.asarray(decoded(png.encode_png(rgba))), rgba)


def test_text_chunks_read_back_as_pillow_writes_them():
    text = {"brush": "flow", "seed": "7", "title": "Ünïcödé 🎨 painting", "empty": ""}
    picture = decoded(png.encode_png(np.zeros((4, 4, 4), np.uint8), text))
    assert picture.text == text


def test_a_painted_canvas_saves_and_reads_back(tmp_path):
    canvas = Canvas(300, 200, background=(248, 245, 238))
    canvas.fill(200, 30, 30, 100)
    canvas.circle(150, 100, 120)
    path = canvas.save(tmp_path / "c.png", {"brush": "flow", "size": [300, 200]})
    with Image.open(path) as picture:
        np.testing.assert_array_equal(np.asarray(picture), canvas.pixels())
    assert read_provenance(path)["size"] == [300, 200]


def test_an_error_while_encoding_leaves_no_file(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(png, "encode_png", refuse)
    target = tmp_path / "x.png"
    from artkit.errors import ArtkitError

    with pytest.raises(ArtkitError, match="no space left on device"):
        Canvas(4, 4).save(target)
    assert list(tmp_path.iterdir()) == []
