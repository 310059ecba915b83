"""The sketch runner: loading, frames, hooks, seeds, settings, live reload, the loop guard,
the window loop (dummy SDL driver) and the `artkit run` / `artkit course` commands."""

import os
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from artkit import friendly
from artkit.canvas import read_provenance
from artkit.cli import main
from artkit.friendly import CollectingReporter
from artkit.runner import SketchRunner, run_guarded


@pytest.fixture
def quiet():
    with friendly.reporting_to(CollectingReporter()) as collected:
        yield collected


def write(path, source):
    """Write a sketch and move its modification time on, so a reload always sees a change."""
    path.write_text(textwrap.dedent(source))
    stamp = time.time() + getattr(write, "bump", 0)
    write.bump = getattr(write, "bump", 0) + 10
    os.utime(path, (stamp, stamp))
    return path


def centre(runner):
    canvas = runner.canvas
    return tuple(int(v) for v in canvas.pixels()[canvas.height // 2, canvas.width // 2, :3])


# ------------------------------------------------------------------ loading and frames

def test_frames_live_names_and_default_size(tmp_path, quiet):
    path = write(tmp_path / "s.py", """
        seen = []
        def draw():
            seen.append((frame_count, width, height))
    """)
    runner = SketchRunner(path, seed=1)
    assert runner.run_frames(3)
    assert runner.current.namespace["seen"] == [(1, 400, 400), (2, 400, 400), (3, 400, 400)]


def test_size_from_globals_and_from_setup(tmp_path, quiet):
    a = SketchRunner(write(tmp_path / "a.py", "WIDTH = 120\nHEIGHT = 90\ndef draw():\n    pass\n"), seed=1)
    a.run_frames(1)
    assert a.size == (120, 90)
    b = SketchRunner(write(tmp_path / "b.py", "def setup():\n    size(64, 32)\n    print(width)\n"), seed=1)
    b.run_frames(1)
    assert b.size == (64, 32)


def test_static_sketch_draws_once_at_its_size(tmp_path, quiet):
    path = write(tmp_path / "static.py", """
        WIDTH = 50
        HEIGHT = 40
        background("red")
    """)
    runner = SketchRunner(path, seed=1)
    assert runner.run_frames(10)
    assert runner.size == (50, 40) and centre(runner) == (255, 0, 0)
    assert not runner.wants_frames


def test_star_import_and_go_are_harmless_under_the_runner(tmp_path, quiet):
    path = write(tmp_path / "editor.py", """
        from artkit.api import *
        def draw():
            background("blue")
        import artkit
        artkit.go()
    """)
    runner = SketchRunner(path, seed=1)
    assert runner.run_frames(2)
    assert centre(runner) == (0, 0, 255)


def test_go_runs_the_calling_file_from_an_editor(tmp_path, monkeypatch, quiet):
    """Run as __main__ (an editor's Run button), go() opens the window on that very file;
    inside that window's runner the same go() line does nothing."""
    import runpy

    import artkit.app.sketch_window as sketch_window

    opened = []

    def fake_window(runner, *args, **kwargs):
        runner.run_frames(2)
        opened.append(runner)
        return 0

    monkeypatch.setattr(sketch_window, "run_window", fake_window)
    path = write(tmp_path / "thonny.py", """
        from artkit.api import *
        def draw():
            background("green")
        import artkit
        artkit.go()
    """)
    runpy.run_path(str(path), run_name="__main__")
    assert len(opened) == 1 and opened[0].path == path.resolve()
    assert opened[0].problem is None and centre(opened[0]) == (0, 128, 0)


def test_go_does_nothing_when_imported():
    import artkit

    artkit.go()   # called from a test module (not __main__): must simply return


def test_no_loop_draws_once_then_redraw_on_event(tmp_path, quiet):
    path = write(tmp_path / "s.py", """
        count = 0
        def setup():
            no_loop()
        def draw():
            global count
            count += 1
        def mouse_pressed():
            redraw()
    """)
    runner = SketchRunner(path, seed=1)
    runner.run_frames(5)
    assert runner.current.namespace["count"] == 1
    runner.mouse_pressed(5, 5)
    runner.step()
    assert runner.current.namespace["count"] == 2
    assert not runner.wants_frames


def test_hooks_get_the_arguments_they_name(tmp_path, quiet):
    path = write(tmp_path / "hooks.py", """
        log = []
        def draw():
            pass
        def mouse_pressed(x, y, button):
            log.append(("pressed", x, y, button, mouse_is_pressed))
        def mouse_dragged(y):
            log.append(("dragged", y, pmouse_y))
        def mouse_released():
            log.append(("released", mouse_x, mouse_is_pressed))
        def key_pressed(key):
            log.append(("key", key))
        def key_released():
            log.append(("up", key, key_is_pressed))
    """)
    runner = SketchRunner(path, seed=1)
    runner.run_frames(1)
    runner.mouse_pressed(10, 20, "left")
    runner.mouse_moved(12, 25)
    runner.mouse_moved(14, 30)
    runner.mouse_released(14, 30)
    runner.key_pressed("a")
    runner.key_released("a")
    runner.step()
    assert runner.current.namespace["log"] == [
        ("pressed", 10, 20, "left", True),
        ("dragged", 25, 20),
        ("dragged", 30, 25),
        ("released", 14, False),
        ("key", "a"),
        ("up", "a", False),
    ]


def test_same_seed_same_picture_other_seed_other_picture(tmp_path, quiet):
    path = write(tmp_path / "r.py", """
        WIDTH = 80
        HEIGHT = 80
        def draw():
            fill(random(255), random_number(255), noise(frame_count * 0.1) * 255)
            circle(random(80), random(80), random(5, 30))
    """)
    def picture(seed):
        runner = SketchRunner(path, seed=seed)
        runner.run_frames(20)
        return runner.canvas.snapshot()
    assert np.array_equal(picture(3), picture(3))
    assert not np.array_equal(picture(3), picture(4))


def test_params_override_settings_even_at_the_top_level(tmp_path, quiet):
    path = write(tmp_path / "p.py", """
        PETALS = 5
        NAME = "rose"
        doubled = PETALS * 2
    """)
    runner = SketchRunner(path, seed=1, params={"PETALS": 12, "NAME": "tulip"})
    assert runner.load()
    assert runner.current.namespace["doubled"] == 24 and runner.current.namespace["NAME"] == "tulip"
    bad = SketchRunner(path, seed=1, params={"PETAL": 3})
    assert not bad.load()
    assert "Did you mean PETALS?" in bad.problem.text()


def test_params_must_be_the_kind_of_the_setting(tmp_path, quiet):
    path = write(tmp_path / "p.py", """
        PETALS = 5
        SPEED = 1.5
        NAME = "rose"
        SIDE = PETALS * 10
        WIDTH = 40
        HEIGHT = 40
    """)
    runner = SketchRunner(path, seed=1, params={"PETALS": "12", "SPEED": "3", "NAME": "12",
                                                "SIDE": "[1, 2]"})
    assert runner.load()
    namespace = runner.current.namespace
    assert namespace["PETALS"] == 12 and namespace["SPEED"] == 3.0 and type(namespace["SPEED"]) is float
    assert namespace["NAME"] == "12" and namespace["SIDE"] == [1, 2]
    assert runner.provenance()["params"] == {"PETALS": 12, "SPEED": 3.0, "NAME": "12", "SIDE": [1, 2]}
    for params, message in [
        ({"PETALS": "2.5"}, "the setting PETALS must be a whole number, not '2.5'."),
        ({"SPEED": "nan"}, "the setting SPEED must be a number, not 'nan'."),
        ({"WIDTH": "0"}, "the setting WIDTH must be a whole number from 1 to 16384, not '0'."),
        ({"NAME": 3}, "the setting NAME must be text, not 3."),
    ]:
        bad = SketchRunner(path, seed=1, params=params)
        assert not bad.load()
        assert bad.problem.kind == "param" and bad.problem.text() == message


# ------------------------------------------------------------------ live reload

GOOD = """
    WIDTH = 40
    HEIGHT = 40
    def draw():
        background("{colour}")
"""


def test_reload_shows_the_new_version(tmp_path, quiet):
    path = write(tmp_path / "live.py", GOOD.format(colour="red"))
    runner = SketchRunner(path, seed=1, poll_interval=0)
    runner.run_frames(2)
    assert centre(runner) == (255, 0, 0)
    assert not runner.reload_if_changed()          # nothing changed: nothing happens
    write(path, GOOD.format(colour="blue"))
    assert runner.reload_if_changed()
    runner.step()
    assert centre(runner) == (0, 0, 255) and runner.loads == 2


def test_broken_version_keeps_the_last_good_one_running_then_fixing_it_works(tmp_path, quiet):
    path = write(tmp_path / "live.py", GOOD.format(colour="red"))
    runner = SketchRunner(path, seed=1, poll_interval=0)
    runner.run_frames(2)
    write(path, GOOD.format(colour="blue").replace("def draw():", "def draw()"))
    runner.reload_if_changed()
    assert runner.problem is not None and runner.problem.kind == "syntax"
    frames = runner.context.frame_count
    assert runner.step()                           # the red version still draws
    assert runner.context.frame_count == frames + 1 and centre(runner) == (255, 0, 0)
    write(path, GOOD.format(colour="lime"))
    runner.reload_if_changed()
    assert runner.problem is None
    runner.step()
    assert centre(runner) == (0, 255, 0)


def test_new_version_failing_in_its_first_frame_goes_back_to_the_old(tmp_path, quiet):
    path = write(tmp_path / "live.py", GOOD.format(colour="red"))
    runner = SketchRunner(path, seed=1, poll_interval=0)
    runner.run_frames(2)
    write(path, GOOD.format(colour="blue") + "        circel(1, 2, 3)\n")
    assert runner.reload_if_changed()
    assert not runner.step()                        # the new version fails...
    assert "Did you mean circle?" in runner.problem.text()
    assert "last version that worked keeps running" in runner.problem.text()
    assert runner.step() and centre(runner) == (255, 0, 0)   # ...and the old one carries on
    assert any("circel" in t for t in quiet.texts)           # the terminal got it too


def test_error_in_setup_of_new_version_keeps_old(tmp_path, quiet):
    path = write(tmp_path / "live.py", GOOD.format(colour="red"))
    runner = SketchRunner(path, seed=1, poll_interval=0)
    runner.run_frames(1)
    write(path, "def setup():\n    fill('lightgreeen')\ndef draw():\n    pass\n")
    runner.reload_if_changed()
    assert "Did you mean 'lightgreen'" in runner.problem.text()
    assert "last version that worked keeps running" in runner.problem.text()
    assert runner.step() and centre(runner) == (255, 0, 0)


def test_error_in_a_later_frame_stops_the_sketch_until_the_file_changes(tmp_path, quiet):
    path = write(tmp_path / "later.py", """
        def draw():
            if frame_count == 3:
                print(1 / 0)
    """)
    runner = SketchRunner(path, seed=1, poll_interval=0)
    assert not runner.run_frames(10)
    assert runner.halted and runner.context.frame_count == 3
    assert "divided by zero" in runner.problem.text()
    write(path, GOOD.format(colour="red"))
    runner.reload_if_changed()
    assert not runner.halted and runner.step()


# ------------------------------------------------------------------ the loop guard

def test_infinite_loop_in_draw_is_stopped(tmp_path, quiet):
    path = write(tmp_path / "loop.py", """
        def draw():
            while True:
                pass
    """)
    runner = SketchRunner(path, seed=1, timeout=0.3)
    start = time.monotonic()
    assert not runner.run_frames(5)
    assert time.monotonic() - start < 3
    assert runner.problem.kind == "timeout" and runner.halted
    assert "draw ran for 0.3 seconds" in runner.problem.text()
    assert runner.problem.line == 3


def test_loop_that_catches_exceptions_is_still_stopped(tmp_path, quiet):
    path = write(tmp_path / "stubborn.py", """
        def setup():
            while True:
                try:
                    pass
                except Exception:
                    pass
    """)
    runner = SketchRunner(path, seed=1, timeout=0.3)
    assert not runner.load()
    assert "setup ran for 0.3 seconds" in runner.problem.text()


def test_run_guarded_pumps_and_can_be_cancelled():
    pumped = []
    state = {"stop": False}

    def pump():
        pumped.append(1)
        if len(pumped) > 3:
            state["stop"] = True

    def forever():
        while True:
            pass

    result = run_guarded(forever, timeout=10, pump=pump, should_stop=lambda: state["stop"])
    assert result.cancelled and not result.timed_out and len(pumped) >= 4
    quick = run_guarded(lambda: None, timeout=1)
    assert quick.ok


# ------------------------------------------------------------------ the window

def test_window_loop_runs_frames_and_passes_events(tmp_path, quiet):
    import pygame

    path = write(tmp_path / "win.py", """
        WIDTH = 200
        HEIGHT = 150
        clicks = []
        def draw():
            background("navy")
        def mouse_pressed(x, y):
            clicks.append((x, y))
    """)
    from artkit.app.sketch_window import SketchWindow

    runner = SketchRunner(path, seed=1)
    window = SketchWindow(runner)
    events = {2: [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(240 + 10, 105 + 20), button=1)]}
    assert window.run(max_frames=6, events=events) == 0
    assert runner.context.frame_count >= 5
    # The 200 x 150 sketch sits centred in the 480 x 360 minimum window: offset (140, 105).
    assert runner.current.namespace["clicks"] == [(110, 20)]


def test_window_shows_the_error_box(tmp_path, quiet):
    from artkit.app.sketch_window import SketchWindow

    path = write(tmp_path / "bad.py", "def draw():\n    circle(1, 2)\n")
    runner = SketchRunner(path, seed=1)
    window = SketchWindow(runner)
    window.run(max_frames=3)
    assert runner.problem is not None and "circle needs 3 numbers" in runner.problem.text()


# ------------------------------------------------------------------ commands

def test_run_command_headless_writes_png_with_provenance(tmp_path, quiet, capsys):
    path = write(tmp_path / "cmd.py", GOOD.format(colour="orange"))
    out = tmp_path / "out.png"
    assert main(["run", str(path), "--frames", "3", "--out", str(out), "--seed", "9"]) == 0
    info = read_provenance(out)
    assert info["seed"] == 9 and info["frames"] == 3 and info["sketch"] == "cmd.py"
    assert "saved" in capsys.readouterr().out


def test_run_command_problems(tmp_path, quiet, capsys):
    assert main(["run", str(tmp_path / "missing.py"), "--frames", "1"]) == 2
    assert "no sketch file" in capsys.readouterr().err
    out = tmp_path / "b.png"
    for source, message in (("def draw():\n    circel(1, 2, 3)\n", "Did you mean circle?"),
                            ("def draw()\n    circle(1, 2, 3)\n", "must end with a colon"),
                            ("def setup():\n    while True:\n        pass\n", "loop that never ends")):
        broken = write(tmp_path / "broken.py", source)
        started = time.perf_counter()
        assert main(["run", str(broken), "--frames", "2", "--out", str(out),
                     "--timeout", "0.3"]) == 2
        assert time.perf_counter() - started < 20  # the loop guard stopped it
        assert message in quiet.problems[-1].text()
        assert not out.exists()


def test_run_command_params(tmp_path, quiet, capsys):
    path = write(tmp_path / "flower.py", """
        PETALS = 5
        WIDTH = 40
        HEIGHT = 40
        def draw():
            background(PETALS * 10, 0, 0)
    """)
    out = tmp_path / "f.png"
    assert main(["run", str(path), "--frames", "1", "--out", str(out), "--param", "PETALS=12"]) == 0
    assert read_provenance(out)["params"] == {"PETALS": 12}
    assert main(["run", str(path), "--frames", "1", "--out", str(out), "--param", "PETALS=2.5"]) == 2
    assert quiet.problems[-1].text() == "the setting PETALS must be a whole number, not '2.5'."
    assert main(["run", str(path), "--frames", "1", "--param", "PETALS"]) == 2
    assert "--param needs NAME=VALUE" in capsys.readouterr().err


def test_run_command_checks_out_before_running(tmp_path, capsys):
    sketch = write(tmp_path / "loud.py", "print('ran')\ncircle(50, 50, 20)\n")
    assert main(["run", str(sketch), "--frames", "1", "--out", str(tmp_path / "no" / "x.png")]) == 2
    out, err = capsys.readouterr()
    assert "ran" not in out and err.strip() == (
        f"artkit: Can't save to '{tmp_path / 'no' / 'x.png'}': the folder "
        f"'{tmp_path / 'no'}' does not exist.")


def test_headless_run_never_imports_pygame(tmp_path):
    path = write(tmp_path / "plain.py", GOOD.format(colour="red"))
    code = ("import sys; from artkit.cli import main; "
            f"main(['run', {str(path)!r}, '--frames', '2', '--out', {str(tmp_path / 'x.png')!r}]); "
            "print('pygame' in sys.modules, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().endswith("False False"), out.stdout + out.stderr


def test_course_lists_runs_and_copies(tmp_path, monkeypatch, capsys, quiet):
    assert main(["course"]) == 0
    listing = capsys.readouterr().out
    for number in ("00", "11", "14", "21", "29", "31", "36"):
        assert f"  {number}  " in listing
    assert "Level 2" in listing
    monkeypatch.chdir(tmp_path)
    assert main(["course", "26", "--copy"]) == 0
    assert (tmp_path / "26_artistic_maths.py").exists()
    capsys.readouterr()
    assert main(["course", "26", "--copy"]) == 2
    assert "already a file" in capsys.readouterr().err
    assert main(["course", "99"]) == 2
    assert main(["course", "25", "--frames", "1", "--out", str(tmp_path / "25.png")]) == 0
    assert (tmp_path / "25.png").exists()
