"""`artkit render`, `artkit replay` and `artkit brushes` from the command line."""

import numpy as np
import pytest
from PIL import Image

from artkit.canvas import read_provenance
from artkit.cli import main
from artkit.strokes import StrokeLog


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
    assert np.mean((image != (250, 247, 240)).any(axis=2)) >= 0.99
    info = read_provenance(out)
    assert info["brush"] == "dabs" and info["seed"] == 3 and info["params"]["count"] == 30
    log = StrokeLog.load(out.with_suffix(".strokes"))
    assert log.size == (96, 64) and log.source_hash == info["source-hash"]
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
    (["render", "--source", "no-such-photo.jpg"], "can't find the image"),
    (["render", "--brush", "flwo"], "did you mean 'flow'"),
    (["render", "--size", "big"], "--size must look like"),
    (["render", "--param", "sise=3"], "has no parameter 'sise'"),
    (["render", "--scale", "0"], "--scale"),
    (["replay", "missing.strokes", "--out", "x.png"], "can't find the stroke file"),
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
