"""`artkit render`, `artkit replay` and `artkit brushes` from the command line."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from artkit.canvas import read_provenance
from artkit.session import PAPER
from artkit.cli import main
from artkit.strokelog import StrokeLog


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_render_writes_png_and_strokes_until_covered(tmp_path, capsys):
    out = tmp_path / "sunset.png"
    code, stdout, err = run(capsys, "render", "--brush", "dabs", "--size", "96x64",
                            "--seed", "3", "--out", str(out))
    assert code == 0, err
    assert out.exists() and out.with_suffix(".strokes").exists()
    image = np.asarray(Image.open(out).convert("RGB"))
    assert image.shape == (64, 96, 3)
    assert np.mean((image != PAPER).any(axis=2)) >= 0.99
    info = read_provenance(out)
    assert info["brush"] == "dabs" and info["seed"] == 3 and info["params"]["count"] == 30
    log = StrokeLog.load(out.with_suffix(".strokes"))
    assert log.size == (96, 64) and log.source_hash == info["source_hash"]
    assert "covered" in stdout


def test_render_is_repeatable_and_replay_scales(tmp_path, capsys):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    for path in (a, b):
        code, _, err = run(capsys, "render", "--brush", "flow", "--size", "80x60", "--strokes",
                           "120", "--seed", "1", "--out", str(path), "--quiet")
        assert code == 0, err
    assert np.array_equal(np.asarray(Image.open(a)), np.asarray(Image.open(b)))

    big = tmp_path / "big.png"
    code, _, err = run(capsys, "replay", str(a.with_suffix(".strokes")), "--scale", "2",
                       "--out", str(big))
    assert code == 0, err
    assert Image.open(big).size == (160, 120)
    direct = tmp_path / "direct.png"
    code, _, _ = run(capsys, "render", "--brush", "flow", "--size", "80x60", "--strokes", "120",
                     "--seed", "1", "--scale", "2", "--out", str(direct), "--quiet")
    assert code == 0
    assert np.array_equal(np.asarray(Image.open(big)), np.asarray(Image.open(direct)))


def test_render_from_an_image_file_keeps_its_shape(tmp_path, capsys):
    photo = tmp_path / "photo.png"
    Image.fromarray(np.full((50, 100, 3), (20, 120, 200), np.uint8)).save(photo)
    out = tmp_path / "p.png"
    code, _, err = run(capsys, "render", "--brush", "squares", "--source", str(photo),
                       "--strokes", "10", "--param", "size=12", "--out", str(out), "--quiet")
    assert code == 0, err
    assert Image.open(out).size == (1024, 512)
    assert read_provenance(out)["params"]["size"] == 12


@pytest.mark.parametrize("argv,message", [
    (["render", "--source", "no-such-photo.jpg"], "There is no image file called"),
    (["render", "--brush", "flwo"], "did you mean 'flow'"),
    (["render", "--size", "big"], "--size must look like"),
    (["render", "--param", "sise=3"], "has no parameter 'sise'"),
    (["render", "--scale", "0"], "--scale"),
    (["replay", "missing.strokes", "--out", "x.png"], "There is no stroke file called"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *argv, *([] if "--out" in argv else ["--out", "x.png"]))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], err
    assert "Traceback" not in err


def test_bad_source_file(tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("not a picture")
    code, _, err = run(capsys, "render", "--source", str(text), "--out", str(tmp_path / "x.png"))
    assert code == 2
    assert err.strip() == ("artkit: 'notes.txt' is not an image artkit can read "
                           "(it reads JPEG, PNG, WebP, GIF, BMP and TIFF).")


def test_brushes_lists_every_brush(capsys):
    from artkit.brushes import BRUSHES

    code, out, _ = run(capsys, "brushes")
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == len(BRUSHES)
    for line, name in zip(lines, BRUSHES):
        assert line.startswith(name + " ")


# -- bad files and paths, through the real command line: one sentence, exit 2, nothing written --

def _broken_png(path):
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a picture" * 8)


def _text_named_png(path):
    path.write_text("hello, I am text with a picture's name\n")


def _truncated_jpeg(path):
    whole = path.with_name("whole.jpg")
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 255, (64, 96, 3), dtype=np.uint8)).save(whole, quality=90)
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 3])


def _huge_png(path):
    from test_source import png_header_only

    png_header_only(path, 40_000, 40_000)


@pytest.mark.parametrize("name,make,message", [
    ("broken.png", _broken_png, "damaged or truncated"),
    ("text.png", _text_named_png, "is not an image artkit can read"),
    ("cut.jpg", _truncated_jpeg, "damaged or truncated"),
    ("huge.png", _huge_png, "too big (1600 megapixels)"),
])
def test_bad_picture_files_are_refused_in_one_sentence(tmp_path, capsys, name, make, message):
    source = tmp_path / name
    make(source)
    out = tmp_path / "x.png"
    for size in ([], ["--size", "64x48"]):  # with and without reading the image's shape first
        code, _, err = run(capsys, "render", "--source", str(source), "--strokes", "5", *size,
                           "--out", str(out))
        assert code == 2
        assert err.strip() == err.strip().splitlines()[0] and message in err, err
    assert not out.exists()


@pytest.mark.parametrize("where,message", [
    ("missing/x.png", "the folder"),
    pytest.param("/proc/x.png", "files can't be made in the folder '/proc'",
                 marks=pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="no /proc")),
])
def test_unwritable_out_is_refused_before_painting(tmp_path, capsys, monkeypatch, where, message):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "render", "--strokes", "5", "--size", "64x48", "--out", where)
    assert code == 2 and len(err.strip().splitlines()) == 1 and message in err, err
    assert not list(tmp_path.iterdir())  # no log either: it failed before painting


def test_replay_refuses_damaged_and_future_logs_in_one_sentence(tmp_path, capsys):
    import artkit.strokelog as strokes_module

    good = tmp_path / "good.png"
    assert run(capsys, "render", "--strokes", "5", "--size", "32x24", "--out", str(good),
               "--quiet")[0] == 0
    data = good.with_suffix(".strokes").read_bytes()
    damaged = tmp_path / "damaged.strokes"
    damaged.write_bytes(data[:len(strokes_module._MAGIC)] + b"\x00" * 40)
    zip_file = tmp_path / "zip.strokes"
    zip_file.write_bytes(b"PK\x03\x04" + b"x" * 60)
    future = tmp_path / "future.strokes"
    log = StrokeLog.load(good.with_suffix(".strokes"))
    original = strokes_module.FORMAT_VERSION
    strokes_module.FORMAT_VERSION = 7
    try:
        log.save(future)
    finally:
        strokes_module.FORMAT_VERSION = original
    for path, message in ((damaged, "damaged"), (zip_file, "not an artkit stroke file"),
                          (future, "format version 7")):
        code, _, err = run(capsys, "replay", str(path), "--out", str(tmp_path / "r.png"))
        assert code == 2 and len(err.strip().splitlines()) == 1 and message in err, err
    assert not (tmp_path / "r.png").exists()
