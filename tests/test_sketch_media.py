"""The beginner words people bring from p5.js: load_image and image, millis, key_code and the
arrow constants, the mouse_wheel hook, fullscreen, save_gif and save_frames; recording a sketch
with `artkit run --record`; and the friendly messages when they are used wrongly."""

import importlib.util
import textwrap
import time

import numpy as np
import pytest
from PIL import Image

from artkit import api, friendly
from artkit.cli import main
from artkit.friendly import CollectingReporter
from artkit.recording import extras
from artkit.runner import SketchRunner

HAS_AV = importlib.util.find_spec("av") is not None


@pytest.fixture
def quiet():
    with friendly.reporting_to(CollectingReporter()) as collected:
        yield collected


def write(path, source):
    path.write_text(textwrap.dedent(source))
    return path


def run(path, frames=3, **options):
    runner = SketchRunner(path, seed=1, out_dir=path.parent, **options)
    ok = runner.run_frames(frames)
    return runner, ok


def test_every_new_word_is_in_the_beginner_api():
    for name in ("load_image", "image", "millis", "key_code", "LEFT_ARROW", "RIGHT_ARROW",
                 "UP_ARROW", "DOWN_ARROW", "fullscreen", "save_gif", "save_frames"):
        assert name in api.__all__, name
    assert (api.LEFT_ARROW, api.UP_ARROW, api.RIGHT_ARROW, api.DOWN_ARROW) == (37, 38, 39, 40)
    assert friendly.HOOK_ARGUMENTS["mouse_wheel"] == ("delta", "x", "y")


# -- pictures ---------------------------------------------------------------------------------

def test_load_image_finds_a_picture_next_to_the_sketch_and_image_draws_it(tmp_path, quiet,
                                                                          monkeypatch):
    Image.fromarray(np.full((20, 40, 3), (200, 30, 40), np.uint8)).save(tmp_path / "red.png")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)   # found beside the sketch, not only in the current folder
    path = write(tmp_path / "photo.py", """
        def setup():
            global photo
            size(100, 80)
            background(255)
            photo = load_image("red.png")
            image(photo, 10, 10)                 # its own size: 40 x 20
            image(photo, 0, 50, 100, 30)         # stretched
            print(photo.width, photo.height)
    """)
    runner, ok = run(path, 1)
    assert ok, quiet.texts
    pixels = runner.canvas.pixels()[..., :3]
    assert tuple(pixels[20, 30]) == (200, 30, 40) and tuple(pixels[5, 5]) == (255, 255, 255)
    assert tuple(pixels[35, 30]) == (255, 255, 255)         # below the first copy: untouched
    assert tuple(pixels[65, 95]) == (200, 30, 40)           # the stretched one reaches across
    picture = runner.current.namespace["photo"]
    assert (picture.width, picture.height) == (40, 20)


def test_load_image_default_is_the_built_in_picture_at_canvas_size(tmp_path, quiet):
    path = write(tmp_path / "d.py", """
        def setup():
            global photo
            size(120, 90)
            photo = load_image("default")
            image(photo, 0, 0)
    """)
    runner, ok = run(path, 1)
    assert ok, quiet.texts
    assert (runner.current.namespace["photo"].width, runner.current.namespace["photo"].height) == (120, 90)
    assert runner.canvas.pixels()[..., :3].std() > 20


@pytest.mark.parametrize("line, fragment", [
    ('load_image("cat.jpg")', "can't find a picture called 'cat.jpg'"),
    ("load_image(cat)", "needs the name of a picture file in quotes"),
    ('image("cat.jpg", 0, 0)', "load it first with photo = load_image('cat.jpg')"),
    ("image(None, 0, 0)", "did you forget"),
    ('image(load_image("default"), "left", 0)', "needs a number for x"),
])
def test_picture_mistakes_get_friendly_messages(tmp_path, quiet, line, fragment):
    path = write(tmp_path / "oops.py", f"cat = 5\ndef setup():\n    {line}\n")
    runner, ok = run(path, 1)
    assert not ok
    text = "\n".join(quiet.texts)
    assert fragment in text and "line 3" in text and "Traceback" not in text


# -- time, keys, wheel, full screen -----------------------------------------------------------

def test_millis_counts_frames_without_a_window(tmp_path, quiet):
    path = write(tmp_path / "clock.py", """
        seen = []
        def setup():
            frame_rate(25)
        def draw():
            seen.append(millis())
    """)
    runner, ok = run(path, 4)
    assert ok, quiet.texts
    # Headless frames come as fast as they are drawn, so the clock is the frame clock.
    assert runner.current.namespace["seen"] == [0.0, 40.0, 80.0, 120.0]


def test_millis_is_wall_time_in_a_window(tmp_path, quiet):
    path = write(tmp_path / "wall.py", "def draw():\n    pass\n")
    runner = SketchRunner(path, seed=1)
    assert runner.load()
    api.use(runner.context)
    first = api.millis()
    time.sleep(0.05)
    assert api.millis() - first >= 45


def test_key_code_and_the_arrows(tmp_path, quiet):
    path = write(tmp_path / "keys.py", """
        codes = []
        def key_pressed(key):
            codes.append((key, key_code, key_code == LEFT_ARROW, key_code == DOWN_ARROW))
        def draw():
            pass
    """)
    runner, _ = run(path, 1)
    for name in ("left", "down", "a", "A", "enter"):
        runner.key_pressed(name)
    runner.step()
    assert runner.current.namespace["codes"] == [
        ("left", 37, True, False), ("down", 40, False, True), ("a", 65, False, False),
        ("A", 65, False, False), ("enter", 13, False, False)]


def test_mouse_wheel_hook_gets_delta_and_position(tmp_path, quiet):
    path = write(tmp_path / "wheel.py", """
        turns = []
        def mouse_wheel(delta, x, y):
            turns.append((delta, x, y))
        def draw():
            pass
    """)
    runner, _ = run(path, 1)
    runner.mouse_moved(30, 40)
    runner.mouse_wheel(1)
    runner.mouse_wheel(-2)
    runner.step()
    assert runner.current.namespace["turns"] == [(1.0, 30, 40), (-2.0, 30, 40)]
    assert not quiet.problems


def test_fullscreen_asks_and_tells(tmp_path, quiet):
    path = write(tmp_path / "full.py", """
        said = []
        def setup():
            said.append(fullscreen())
            fullscreen(True)
            said.append(fullscreen())
    """)
    runner, ok = run(path, 1)
    assert ok and runner.current.namespace["said"] == [False, True]
    assert extras(runner.context).fullscreen


# -- recording --------------------------------------------------------------------------------

ANIMATED = """
    def setup():
        size(64, 48)
        frame_rate(20)
    def draw():
        background(frame_count * 20 % 255, 100, 150)
        circle(frame_count * 4, 24, 10)
"""


def test_save_gif_records_the_next_seconds(tmp_path, quiet, capsys):
    path = write(tmp_path / "gif.py", ANIMATED + """
    def key_pressed():
        save_gif("moment", 0.5)
""")
    runner, _ = run(path, 2)
    runner.key_pressed("g")
    assert runner.run_frames(15)
    gif = tmp_path / "moment.gif"
    assert "saved" in capsys.readouterr().out and gif.exists()
    with Image.open(gif) as animation:
        assert animation.size == (64, 48) and animation.n_frames == 10   # 0.5 s at 20 fps
        durations = []
        for i in range(animation.n_frames):
            animation.seek(i)
            durations.append(animation.info["duration"])
    assert sum(durations) == pytest.approx(500, abs=10)
    assert not runner.recordings


def test_save_frames_saves_numbered_pngs(tmp_path, quiet):
    path = write(tmp_path / "frames.py", ANIMATED.replace("frame_rate(20)", "frame_rate(20)\n"
                                                          "        save_frames('step', 1, 10)"))
    runner, ok = run(path, 25)
    assert ok, quiet.texts
    saved = sorted(p.name for p in tmp_path.glob("step-*.png"))
    assert saved == [f"step-{k:04d}.png" for k in range(1, 11)]   # 1 s at 10 fps, of 20 fps
    first, second = (np.asarray(Image.open(tmp_path / n)) for n in saved[:2])
    assert not np.array_equal(first, second)


@pytest.mark.parametrize("call, fragment", [
    ('save_gif("x", 0)', "save_gif needs a number of seconds"),
    ('save_gif("x.png", 1)', ".mp4, .webm, .gif or .webp"),
    ('save_frames("x", 1, 500)', "frames a second"),
])
def test_recording_mistakes_get_friendly_messages(tmp_path, quiet, call, fragment):
    path = write(tmp_path / "bad.py", f"def setup():\n    {call}\n")
    _, ok = run(path, 1)
    assert not ok and fragment in "\n".join(quiet.texts)


@pytest.mark.parametrize("suffix", [".gif", ".webp"] + ([".mp4"] if HAS_AV else []))
def test_run_record_headless_gives_the_frames_and_seconds_asked(tmp_path, quiet, capsys, suffix):
    path = write(tmp_path / "anim.py", ANIMATED)
    out = tmp_path / f"anim{suffix}"
    assert main(["run", str(path), "--record", str(out), "--seconds", "1.5", "--fps", "10",
                 "--out", str(tmp_path / "last.png")]) == 0
    assert "15 frames, 1.5 s" in capsys.readouterr().out
    if suffix == ".mp4":
        import av

        with av.open(str(out)) as container:
            assert sum(1 for _ in container.decode(video=0)) == 15
            assert container.duration / av.time_base == pytest.approx(1.5, abs=0.07)
    else:
        with Image.open(out) as animation:
            assert animation.n_frames == 15


def test_run_record_checks_its_options_before_running(tmp_path, capsys):
    path = write(tmp_path / "anim.py", ANIMATED)
    assert main(["run", str(path), "--frames", "5", "--record", str(tmp_path / "x.avi")]) == 2
    assert main(["run", str(path), "--frames", "5", "--seconds", "2"]) == 2
    err = capsys.readouterr().err
    assert ".avi" in err and "--seconds and --fps go with --record" in err
    assert not (tmp_path / "anim.png").exists()


def test_a_static_sketch_says_it_has_nothing_to_record(tmp_path, quiet, capsys):
    path = write(tmp_path / "still.py", "size(40, 30)\nbackground('tomato')\n")
    assert main(["run", str(path), "--frames", "3", "--record", str(tmp_path / "s.gif"),
                 "--out", str(tmp_path / "s.png")]) == 0
    assert "needs a draw() function" in capsys.readouterr().out
    assert not (tmp_path / "s.gif").exists() and not list(tmp_path.glob(".artkit-tmp-*"))


def test_recording_in_the_window_and_finishing_on_close(tmp_path, quiet, capsys):
    from artkit.app.sketch_window import SketchWindow

    path = write(tmp_path / "win.py", ANIMATED)
    runner = SketchRunner(path, seed=1, out_dir=tmp_path)
    runner.record(tmp_path / "window.gif", seconds=60, fps=20)   # longer than the window runs
    SketchWindow(runner).run(max_frames=8)
    assert "saved" in capsys.readouterr().out
    with Image.open(tmp_path / "window.gif") as animation:
        assert animation.n_frames == 8
