"""Windows that fit any screen (SDL's dummy driver): the painter and the sketch window resize
and go full screen, show the canvas scaled to fit, and map the pointer back to canvas pixels
exactly (HiDPI included); the GAN panel never pushes the painter off a 1366x768 screen;
`artkit paint` frames a photo as `artkit render` does; and without a display `paint` and `run`
say so in one sentence and stop."""

import os
import socket
import subprocess
import sys
import time

import numpy as np
import pygame
import pytest
from PIL import Image

from artkit.app import paint_app, toolbar
from artkit.app.paint_app import SCREEN_MARGIN, PaintApp
from artkit.cli import main
from artkit.session import PaintSession

SIZE = (200, 150)


@pytest.fixture(autouse=True)
def artkit_home(tmp_path, monkeypatch):
    monkeypatch.setenv("ARTKIT_HOME", str(tmp_path / "home"))


def key(k, unicode=""):
    return [pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode=unicode, scancode=0)]


def resize(w, h):
    return [pygame.event.Event(pygame.VIDEORESIZE, size=(w, h), w=w, h=h)]


def make_app(tmp_path, size=SIZE):
    app = PaintApp(PaintSession(size, brush="dabs", seed=3), out_dir=tmp_path, fps=None,
                   plugins=False)
    app.run(max_frames=1)
    return app


def record_paths(app):
    """Every path the window hands the session to paint, in canvas pixels."""
    paths = []
    paint = app.session.paint

    def paint_and_note(path):
        paths.append(np.array(path))
        return paint(path)

    app.session.paint = paint_and_note
    return paths


def drag_through(app, points):
    """Frames of pointer events through canvas `points` (mapped to the window as shown)."""
    window = [app.to_window(x, y) for x, y in points]
    frames = [[pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=window[0], button=1)]]
    frames += [[pygame.event.Event(pygame.MOUSEMOTION, pos=p, rel=(0, 0), buttons=(1, 0, 0))]
               for p in window[1:]]
    frames.append([pygame.event.Event(pygame.MOUSEBUTTONUP, pos=window[-1], button=1)])
    return frames


def assert_lands_under_the_pointer(app, points):
    """Painting lands where the pointer is: within one window pixel's worth of canvas."""
    paths = record_paths(app)
    app.run(max_frames=len(points) + 2, script=drag_through(app, points))
    painted = np.concatenate(paths)
    per_pixel = app.session.size[0] / app.canvas_rect.width   # canvas px per window px
    for x, y in points:
        nearest = np.min(np.hypot(painted[:, 0] - x, painted[:, 1] - y))
        assert nearest <= per_pixel * 0.75, (x, y, nearest)


POINTS = [(10, 12), (60, 40), (120, 90), (190, 140)]


def test_resizing_the_painter_scales_the_canvas_and_keeps_the_pointer_exact(tmp_path):
    app = make_app(tmp_path)
    assert app.canvas_rect.size == SIZE                    # at first: its own pixels
    app.run(max_frames=1, script=[resize(212 + 180, 300)])  # narrower than the canvas
    # (never shorter than the toolbar needs: the window snaps back to that)
    assert app.screen.get_size() == (392, toolbar.MIN_HEIGHT) and app.canvas_rect.width == 180
    assert app.canvas_rect.height == 135                   # its shape kept
    assert_lands_under_the_pointer(app, POINTS)
    app.run(max_frames=1, script=[resize(212 + 600, 450)])  # bigger: the view grows
    assert app.canvas_rect.size == (600, 450)
    assert_lands_under_the_pointer(app, POINTS)
    assert app.session.canvas.width == 200                 # the canvas itself never changes


def given_by_the_window_system(w, h):
    """The window system resizes the window (the surface follows at once, as SDL does) and
    then says so."""
    pygame.display.set_mode((w, h), pygame.RESIZABLE)
    return resize(w, h)


def test_the_window_snaps_back_to_the_toolbar_every_time_it_is_made_too_short(tmp_path,
                                                                              monkeypatch):
    app = make_app(tmp_path)
    asked = []
    resize_display = paint_app.resize_display
    monkeypatch.setattr(paint_app, "resize_display",
                        lambda size: asked.append(size) or resize_display(size))
    low = toolbar.MIN_HEIGHT - 100
    for height in (low, low - 50):   # the same column both times: 392 wide, the minimum tall
        app.run(max_frames=1, script=[given_by_the_window_system(212 + 180, height)])
        assert app.screen.get_size() == (392, toolbar.MIN_HEIGHT), height
    assert asked == [(392, toolbar.MIN_HEIGHT)] * 2
    # A window system that gives the same size again insists (a tiling one): it wins, rather
    # than the two resizing the window back and forth for ever.
    app.run(max_frames=3, script=[given_by_the_window_system(212 + 180, low - 50), [], []])
    assert asked == [(392, toolbar.MIN_HEIGHT)] * 2
    assert app.screen.get_size() == (392, low - 50)


def test_the_window_is_resized_where_it_stands_and_set_mode_is_the_fallback(tmp_path,
                                                                           monkeypatch):
    """set_mode makes a new window on X11, which a window manager places anew: the painter
    resizes its window in place, F11 included (a pygame without pygame.Window gets set_mode)."""
    app = make_app(tmp_path)
    opened = []
    set_mode = pygame.display.set_mode
    monkeypatch.setattr(pygame.display, "set_mode", lambda *a: opened.append(a) or set_mode(*a))
    app.run(max_frames=1, script=[given_by_the_window_system(212 + 180, 300)])
    assert app.screen.get_size() == (392, toolbar.MIN_HEIGHT)
    app.run(max_frames=2, script=[key(pygame.K_F11), key(pygame.K_F11)])   # and back
    assert app.screen.get_size() == (392, toolbar.MIN_HEIGHT)
    assert opened == [((392, 300), pygame.RESIZABLE)]   # the window system's own, only
    monkeypatch.setattr(pygame, "Window", None)   # (an older pygame)
    app.run(max_frames=1, script=[given_by_the_window_system(212 + 250, 320)])
    assert app.screen.get_size() == (462, toolbar.MIN_HEIGHT)
    assert opened[1:] == [((462, 320), pygame.RESIZABLE), ((462, toolbar.MIN_HEIGHT),
                                                            pygame.RESIZABLE)]
    app.run(max_frames=2, script=[key(pygame.K_F11), key(pygame.K_F11)])   # and back
    assert opened[3:] == [((0, 0), pygame.FULLSCREEN), ((462, toolbar.MIN_HEIGHT),
                                                        pygame.RESIZABLE)]
    assert not app.fullscreen and app.screen.get_size() == (462, toolbar.MIN_HEIGHT)


def test_a_scaled_view_shows_the_canvas_after_partial_redraws(tmp_path):
    app = make_app(tmp_path)
    app.run(max_frames=1, script=[resize(212 + 150, 640)])
    app.run(max_frames=30, script=drag_through(app, [(20 + 5 * k, 30 + 3 * k) for k in range(25)]))
    view = app.canvas_rect
    shown = pygame.surfarray.array3d(app.screen)[view.left:view.right, view.top:view.bottom]
    whole = pygame.transform.smoothscale(app.canvas_surface(), view.size)
    wanted = pygame.surfarray.array3d(whole)
    assert np.abs(shown.astype(int) - wanted).mean() < 1.5


def test_f11_fills_the_screen_and_comes_back(tmp_path):
    app = make_app(tmp_path)
    before = app.screen.get_size()
    app.run(max_frames=1, script=[key(pygame.K_F11)])
    desktop = pygame.display.get_desktop_sizes()[0]
    assert app.fullscreen and app.screen.get_size() == desktop
    assert app.canvas_rect.width == desktop[0] - 212       # scaled up to fill its column
    assert_lands_under_the_pointer(app, POINTS)
    app.run(max_frames=1, script=[key(pygame.K_F11)])
    assert not app.fullscreen and app.screen.get_size() == before
    assert ("F11", "full screen (drag the window's edge to resize it)") in app.help_lines()


def test_on_a_1366x768_screen_the_gan_panel_fits_and_painting_stays_exact(tmp_path,
                                                                         monkeypatch):
    from artkit.app.gan_panel import GanPanel
    from artkit.commands.paint import fitting_canvas_size

    monkeypatch.setattr(pygame.display, "get_desktop_sizes", lambda: [(1366, 768)])
    size = fitting_canvas_size((1366, 768), toolbar.WIDTH)
    app = make_app(tmp_path, size)
    panel = app.add_panel(GanPanel(worker_mode="thread"))
    app.run(max_frames=2, script=[key(pygame.K_g), []])
    assert panel.visible
    width, height = app.screen.get_size()
    assert width <= 1366 - SCREEN_MARGIN[0] and height <= 768 - SCREEN_MARGIN[1]
    assert panel.rect.right == width                      # the panel is on the screen
    assert app.canvas_rect.width < size[0]                # the canvas's view shrank instead
    points = [(30, 30), (size[0] / 2, size[1] / 2), (size[0] - 20, size[1] - 20)]
    assert_lands_under_the_pointer(app, points)
    app.run(max_frames=1, script=[resize(width - 200, height - 100)])
    assert_lands_under_the_pointer(app, points)
    app.close()


def test_hidpi_pointer_positions_are_scaled_to_the_surface(tmp_path, monkeypatch):
    app = make_app(tmp_path)
    app.run(max_frames=1, script=[resize(212 + 400, 640)])
    # A HiDPI window: its surface has twice the pixels its events' points have.
    monkeypatch.setattr(paint_app, "pointer_scale", lambda: (2.0, 2.0))
    paths = record_paths(app)
    target = (120, 90)
    wx, wy = app.to_window(*target)
    frames = [[pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(wx / 2, wy / 2), button=1)],
              [pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(wx / 2, wy / 2), button=1)]]
    app.run(max_frames=3, script=frames)
    painted = np.concatenate(paths)
    assert np.min(np.hypot(painted[:, 0] - target[0], painted[:, 1] - target[1])) <= 1


def test_v_saves_an_svg_beside_the_png_and_r_records(tmp_path):
    app = make_app(tmp_path)
    app.run(max_frames=12, script=drag_through(app, POINTS) + [key(pygame.K_r, "r")])
    app.run(max_frames=10, script=drag_through(app, [(150, 20), (30, 130)]))
    app.run(max_frames=2, script=[key(pygame.K_r, "r"), key(pygame.K_v, "v")])
    app.close()   # waits for the SVG
    pngs = list(tmp_path.glob("artkit-2*.png"))
    assert len(pngs) == 1 and pngs[0].with_suffix(".svg").exists()
    assert pngs[0].with_suffix(".strokes").exists()
    assert b"<svg" in pngs[0].with_suffix(".svg").read_bytes()[:400]
    recordings = list(tmp_path.glob("artkit-recording-*"))
    assert len(recordings) == 1 and recordings[0].suffix in (".mp4", ".webp")
    if recordings[0].suffix == ".mp4":
        import av

        with av.open(str(recordings[0])) as video:
            frames = [f.to_ndarray(format="rgb24") for f in video.decode(video=0)]
        assert frames and frames[-1].shape[:2] == (150, 200)
        # What was painted while recording is in the last frame (H.264 blurs tiny dabs a
        # little: flat colours come back within 3 levels, this busy 200x150 picture within 8).
        painted = app.session.canvas.rgb().astype(int)
        assert np.abs(frames[-1].astype(int) - painted).mean() < 8
    keys = [k for k, _ in app.help_lines()]
    assert "V" in keys and "R" in keys


# -- the sketch window ------------------------------------------------------------------------

def test_the_sketch_window_resizes_goes_full_screen_and_maps_the_pointer(tmp_path):
    from artkit.app.sketch_window import SketchWindow
    from artkit.runner import SketchRunner

    sketch = tmp_path / "s.py"
    sketch.write_text("WIDTH = 200\nHEIGHT = 150\nclicks = []\nfull = []\n"
                      "def draw():\n    background('navy')\n"
                      "def mouse_pressed(x, y):\n    clicks.append((round(x), round(y)))\n"
                      "def key_pressed(key):\n    fullscreen(not fullscreen())\n"
                      "    full.append(fullscreen())\n")
    runner = SketchRunner(sketch, seed=1)
    window = SketchWindow(runner)
    events = {
        1: resize(800, 600),
        3: [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(400, 300), button=1)],
        5: key(pygame.K_F11),
        7: [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(0 + 1024 // 2, 768 // 2), button=1)],
        9: key(pygame.K_F11),
        11: key(pygame.K_SPACE, " "),
    }
    states = []
    original_present = window.present

    def present():
        original_present()
        states.append((window.fullscreen, window.screen.get_size(), window.view.size))

    window.present = present
    window.run(max_frames=14, events=events)
    assert (False, (800, 600), (800, 600)) in states        # 200x150 grown 4x to fill 800x600
    assert (True, (1024, 768), (1024, 768)) in states       # F11: the whole dummy screen
    assert runner.current.namespace["clicks"] == [(100, 75), (100, 75)]   # the centre, twice
    assert runner.current.namespace["full"] == [True]       # fullscreen() from the sketch
    assert states[-1][0] is True


# -- framing and the command line -------------------------------------------------------------

def test_paint_frames_a_photo_as_render_does_and_takes_fit(tmp_path, monkeypatch, capsys):
    import artkit.source

    photo = tmp_path / "square.png"
    Image.fromarray(np.full((300, 300, 3), (40, 160, 90), np.uint8)).save(photo)
    opened = []
    real_open = artkit.source.open_source

    def note(spec, size=None, fit="cover"):
        opened.append((size, fit))
        return real_open(spec, size, fit)

    monkeypatch.setattr(artkit.source, "open_source", note)
    out = str(tmp_path)
    assert main(["paint", "--source", str(photo), "--frames", "1", "--out-dir", out]) == 0
    size, fit = opened[-1]
    assert size[0] == size[1] and fit == "cover"     # the photo's own shape, not 4:3
    assert main(["paint", "--source", str(photo), "--size", "320x240", "--fit", "contain",
                 "--frames", "1", "--out-dir", out]) == 0
    assert opened[-1] == ((320, 240), "contain")
    try:
        code = main(["paint", "--fit", "stretch", "--frames", "1"])
    except SystemExit as stop:   # argparse's way out
        code = stop.code
    assert code == 2 and "stretch" in capsys.readouterr().err


def no_display_env():
    env = {k: v for k, v in os.environ.items()
           if k not in ("SDL_VIDEODRIVER", "DISPLAY", "WAYLAND_DISPLAY")}
    return env


@pytest.mark.parametrize("argv, alternative", [
    (["paint"], "artkit render --source PHOTO --out painting.png"),
    (["run", "SKETCH"], "--frames 60 --out picture.png"),
])
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a Linux without a screen")
def test_without_a_display_paint_and_run_say_so_in_one_sentence(tmp_path, argv, alternative):
    sketch = tmp_path / "s.py"
    sketch.write_text("def draw():\n    circle(50, 50, 20)\n")
    argv = [str(sketch) if a == "SKETCH" else a for a in argv]
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "artkit", *argv], capture_output=True,
                          text=True, timeout=30, env=no_display_env(), cwd=tmp_path)
    assert time.monotonic() - started < 5
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr                      # one sentence, no SDL noise
    assert "Can't open a window here" in lines[0] and alternative in lines[0]
    assert "Traceback" not in done.stderr and not done.stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a Linux X client")
def test_a_screen_named_but_gone_is_said_so_in_one_sentence(tmp_path):
    """DISPLAY names an X server that has stopped (a closed VNC session, a stale shell): the
    sentence names it, rather than claiming nothing was named."""
    number = next(n for n in range(150, 250) if not _answers(("127.0.0.1", 6000 + n)))
    display = f"127.0.0.1:{number}"   # over TCP: display N listens on port 6000 + N
    env = dict(no_display_env(), DISPLAY=display, XAUTHORITY=str(tmp_path / "none"))
    done = subprocess.run([sys.executable, "-m", "artkit", "paint"], capture_output=True,
                          text=True, timeout=30, env=env, cwd=tmp_path)
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr                      # one sentence, no SDL noise
    assert "Can't open a window here" in lines[0] and f"DISPLAY={display}" in lines[0]
    assert "does not answer" in lines[0] and "Traceback" not in done.stderr


def _answers(address) -> bool:
    """Whether something listens at (host, port)."""
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(address) == 0
