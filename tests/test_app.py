"""The paint app, headless (SDL dummy driver): the real loop fed synthetic events, and the
PaintSession state machine driven directly. Small canvases keep it fast."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pygame
import pytest
from PIL import Image

from artkit.app.paint_app import PaintApp
from artkit.app.panels import Panel
from artkit.session import PAPER, PaintSession
from artkit.sessions import SessionStore
from artkit.brushes import BRUSHES
from artkit.cli import main
from artkit.source import SourceImage
from artkit.strokelog import StrokeLog

SIZE = (200, 150)


@pytest.fixture(autouse=True)
def artkit_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("ARTKIT_HOME", str(home))
    return home


def make_app(tmp_path, brush="dabs", seed=3, **kw):
    session = PaintSession(SIZE, brush=brush, seed=seed)
    app = PaintApp(session, out_dir=tmp_path, fps=None, plugins=False, **kw)
    app.run(max_frames=1)  # first frame: the toolbar lays out its click targets
    return app


def drag(app, points, per_frame=2):
    """Frames of events: press at the first canvas point, move through the rest, release."""
    win = [app.to_window(x, y) for x, y in points]
    frames = [[pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=win[0], button=1)]]
    for i in range(1, len(win), per_frame):
        frames.append([pygame.event.Event(pygame.MOUSEMOTION, pos=p, rel=(0, 0), buttons=(1, 0, 0))
                       for p in win[i:i + per_frame]])
    frames.append([pygame.event.Event(pygame.MOUSEBUTTONUP, pos=win[-1], button=1)])
    return frames


def key(k, mod=0, unicode=""):
    return [pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode=unicode, scancode=0)]


def click(pos, button=1):
    return [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button),
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button)]


def play(app, frames):
    app.run(max_frames=len(frames), script=frames)


def line(x0, y0, x1, y1, n=12):
    return list(zip(np.linspace(x0, x1, n), np.linspace(y0, y1, n)))


def changed(pixels, background=PAPER):
    return np.any(pixels[..., :3] != np.array(background, np.uint8), axis=2)


# -- painting through the real loop ------------------------------------------------------------

def test_dragging_paints_where_the_pointer_went(tmp_path):
    app = make_app(tmp_path)
    play(app, drag(app, line(20, 75, 100, 75)))
    mask = changed(app.session.canvas.pixels())
    assert mask[60:90, 30:90].mean() > 0.3  # along the path
    assert not mask[:, 150:].any()  # nowhere near it
    assert len(app.session.log.gestures) == 1
    # the window shows the canvas: its pixels on screen are the canvas's
    on_screen = pygame.surfarray.pixels3d(app.screen)[app.to_window(60, 75)]
    assert tuple(on_screen) == tuple(app.session.canvas.pixels()[75, 60, :3])


def test_fast_moves_leave_no_gaps(tmp_path):
    app = make_app(tmp_path)
    # a whole stroke in one frame: every position since the last frame is used, not just the last
    points = line(10, 40, 190, 40, n=20)
    play(app, drag(app, points, per_frame=len(points)))
    columns = changed(app.session.canvas.pixels())[25:55].any(axis=0)
    assert columns[20:180].all()


def test_brush_keys_and_toolbar_clicks(tmp_path):
    app = make_app(tmp_path)
    names = list(BRUSHES)
    play(app, [key(pygame.K_2, unicode="2")])
    assert app.session.brush_name == names[1]
    play(app, [key(pygame.K_PERIOD, unicode=".")])
    assert app.session.brush_name == names[2]
    play(app, [key(pygame.K_COMMA, unicode=",")])
    assert app.session.brush_name == names[1]
    target = app.toolbar.target_rect(("brush", names[-1]))
    play(app, [click(target.center)])
    assert app.session.brush_name == names[-1]
    # a click on the toolbar never paints
    assert not changed(app.session.canvas.pixels()).any()
    assert "— " + names[-1] in pygame.display.get_caption()[0]


def test_every_brush_is_reachable_by_key(tmp_path):
    app = make_app(tmp_path)
    reached = set()
    for k in (pygame.K_1, pygame.K_2, pygame.K_3, pygame.K_4, pygame.K_5, pygame.K_6,
              pygame.K_7, pygame.K_8, pygame.K_9, pygame.K_0, pygame.K_MINUS, pygame.K_EQUALS):
        play(app, [key(k)])
        reached.add(app.session.brush_name)
    for _ in BRUSHES:
        play(app, [key(pygame.K_PERIOD, unicode=".")])
        reached.add(app.session.brush_name)
    assert reached == set(BRUSHES)


def test_size_keys_wheel_and_slider(tmp_path):
    app = make_app(tmp_path)
    size = app.session.brush_size
    play(app, [key(pygame.K_RIGHTBRACKET, unicode="]")])
    assert app.session.brush_size == pytest.approx(size * 1.15)
    play(app, [key(pygame.K_LEFTBRACKET, unicode="["), key(pygame.K_LEFTBRACKET, unicode="[")])
    assert app.session.brush_size == pytest.approx(size / 1.15)
    play(app, [[pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=2, flipped=False)]])
    assert app.session.brush_size == pytest.approx(size * 1.15)
    track = app.toolbar.target_rect(("size", 0.0))
    play(app, [click((track.right - 1, track.centery))])
    assert app.session.brush_size > 150
    # each brush keeps its own size
    play(app, [key(pygame.K_2)])
    assert app.session.brush_size == pytest.approx(BRUSHES[app.session.brush_name]().size)


def test_undo_restores_exact_pixels_and_redo_brings_them_back(tmp_path):
    app = make_app(tmp_path)
    play(app, drag(app, line(20, 30, 180, 40)))
    before = app.session.canvas.snapshot()
    play(app, drag(app, line(20, 110, 180, 100)))
    after = app.session.canvas.snapshot()
    assert not np.array_equal(before, after)
    play(app, [key(pygame.K_z, mod=pygame.KMOD_LCTRL)])
    assert np.array_equal(app.session.canvas.pixels(), before)
    play(app, [key(pygame.K_y, mod=pygame.KMOD_LCTRL)])
    assert np.array_equal(app.session.canvas.pixels(), after)
    play(app, [key(pygame.K_z, mod=pygame.KMOD_LCTRL), key(pygame.K_z, mod=pygame.KMOD_LCTRL | pygame.KMOD_LSHIFT)])
    assert np.array_equal(app.session.canvas.pixels(), after)
    play(app, [key(pygame.K_y, mod=pygame.KMOD_LCTRL)])  # nothing left to redo: a toast
    assert "Nothing to redo." in app.toasts.messages


def test_clear_then_undo(tmp_path):
    app = make_app(tmp_path)
    play(app, drag(app, line(30, 30, 170, 120)))
    painted = app.session.canvas.snapshot()
    play(app, [key(pygame.K_c, unicode="c")])
    assert not changed(app.session.canvas.pixels()).any()
    play(app, [key(pygame.K_z, mod=pygame.KMOD_LCTRL)])
    assert np.array_equal(app.session.canvas.pixels(), painted)


def test_undo_is_exact_through_snapshots_far_back():
    session = PaintSession(SIZE, brush="dabs", seed=5)
    session.FINE, session.RECENT, session.MAX_COARSE = 2, 1, 2  # thin snapshots early
    rng = np.random.default_rng(0)
    states = [session.canvas.snapshot()]
    for i in range(23):
        session.begin_gesture()
        if i == 11:
            session.clear()
        else:
            session.paint(rng.uniform((0, 0), SIZE, (1, 2)))  # one touch: quick
        session.end_gesture()
        states.append(session.canvas.snapshot())
    assert len(session._snapshots) <= session.RECENT + session.MAX_COARSE + 1
    for expected in reversed(states[:-1]):
        assert session.undo()
        assert np.array_equal(session.canvas.pixels(), expected)
    assert not session.undo()
    for expected in states[1:12]:
        assert session.redo()
        assert np.array_equal(session.canvas.pixels(), expected)
    # painting after undos drops the redo branch, and its snapshots with it
    session.undo()
    session.paint([(10, 10)])
    session.end_gesture()
    assert all(k <= len(session.log.gestures) for k in session._snapshots)
    assert not session.redo()


# -- files -------------------------------------------------------------------------------------

def test_save_writes_png_and_strokes_with_a_toast(tmp_path, capsys):
    app = make_app(tmp_path)
    play(app, drag(app, line(20, 20, 180, 130)) + [key(pygame.K_s, unicode="s")])
    pngs = list(tmp_path.glob("artkit-*.png"))
    assert len(pngs) == 1
    assert pngs[0].with_suffix(".strokes").exists()
    saved = np.asarray(Image.open(pngs[0]).convert("RGB"))
    assert np.array_equal(saved, app.session.canvas.pixels()[..., :3])
    assert pngs[0].name in app.toasts.messages[-1]
    assert pngs[0].name in capsys.readouterr().out
    log = StrokeLog.load(pngs[0].with_suffix(".strokes"))
    assert len(log.gestures) == 1
    play(app, [key(pygame.K_s, mod=pygame.KMOD_LCTRL)])  # Ctrl+S too; same second: a new name
    assert len(list(tmp_path.glob("artkit-*.png"))) == 2


def test_saving_into_a_missing_folder_is_a_toast_not_a_crash(tmp_path):
    app = make_app(tmp_path)
    app.out_dir = tmp_path / "gone"
    play(app, drag(app, line(20, 20, 180, 130)))
    painted = app.session.canvas.snapshot()
    play(app, [key(pygame.K_s)])
    assert app.running
    assert "does not exist" in app.toasts.messages[-1]
    assert np.array_equal(app.session.canvas.pixels(), painted)


def test_dropping_a_picture_changes_the_source(tmp_path):
    app = make_app(tmp_path)
    picture = tmp_path / "red.png"
    Image.new("RGB", (40, 30), (220, 20, 20)).save(picture)
    play(app, [[pygame.event.Event(pygame.DROPFILE, file=str(picture))]])
    assert app.session.source_spec == str(picture)
    assert app.session.source.size == SIZE
    assert np.allclose(app.session.source.rgb[75, 100], (220 / 255, 20 / 255, 20 / 255), atol=0.02)
    assert app.session.log.meta["source"] == str(picture)
    play(app, drag(app, line(40, 75, 160, 75)))
    painted = app.session.canvas.pixels()[changed(app.session.canvas.pixels())][:, :3].astype(int)
    assert (painted[:, 0] > painted[:, 1] + 20).mean() > 0.9  # red marks now


def test_dropping_a_bad_file_keeps_the_painting(tmp_path):
    app = make_app(tmp_path)
    play(app, drag(app, line(20, 20, 180, 130)))
    painted = app.session.canvas.snapshot()
    source = app.session.source
    bad = tmp_path / "notes.txt"
    bad.write_text("not a picture")
    play(app, [[pygame.event.Event(pygame.DROPFILE, file=str(bad))]])
    assert app.running
    assert "notes.txt" in app.toasts.messages[-1]
    assert app.toasts.items[-1].kind == "error"
    assert app.session.source is source
    assert np.array_equal(app.session.canvas.pixels(), painted)


def test_drop_handlers_by_suffix(tmp_path):
    app = make_app(tmp_path)
    seen = []
    app.drop_handlers[".pt"] = seen.append
    play(app, [[pygame.event.Event(pygame.DROPFILE, file=str(tmp_path / "model.pt"))]])
    assert seen == [tmp_path / "model.pt"]


def test_journal_and_resume_restore_identical_pixels(tmp_path):
    journal = tmp_path / "session.strokes"
    app = make_app(tmp_path)
    app.session.journal_to(journal)
    play(app, drag(app, line(20, 20, 180, 130)) + [key(pygame.K_3)]
         + drag(app, line(20, 130, 180, 20)) + [key(pygame.K_c)]
         + [key(pygame.K_z, mod=pygame.KMOD_LCTRL)])
    expected = app.session.canvas.snapshot()
    # no close(): as if the window had been killed
    resumed, notice = PaintSession.resume(journal)
    assert notice is None
    assert np.array_equal(resumed.canvas.pixels(), expected)
    assert resumed.brush_name == list(BRUSHES)[2]
    assert resumed.redo()  # the undone clear is still redoable
    assert not changed(resumed.canvas.pixels()).any()


def test_resume_brings_back_each_brushs_size(tmp_path):
    journal = tmp_path / "session.strokes"
    session = PaintSession((200, 150), seed=1)
    session.journal_to(journal)
    first, second = list(BRUSHES)[0], list(BRUSHES)[3]
    for name, px in ((first, 37.0), (second, 12.5)):
        session.select_brush(name)
        session.brush_size = px
        session.begin_gesture()
        session.paint(line(20, 20, 180, 130))
        session.end_gesture()
    resumed, _ = PaintSession.resume(journal)
    assert (resumed.brush_name, resumed.brush_size) == (second, 12.5)
    resumed.select_brush(first)
    assert resumed.brush_size == 37.0


def test_a_journal_that_cannot_be_written_is_reported_once(tmp_path, capsys):
    import errno

    class FullDisk:
        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        flush = close = lambda self: None

    app = make_app(tmp_path)
    app.session.journal_to(tmp_path / "session.strokes")
    app.session.log._journal = FullDisk()
    play(app, drag(app, line(20, 20, 180, 130)) + drag(app, line(20, 130, 180, 20)))
    errors = [m for m in app.toasts.messages if "no space left on device" in m]
    assert len(errors) == 1 and "Press S" in errors[0]
    assert capsys.readouterr().err.count("no space left") == 1
    assert changed(app.session.canvas.pixels()).any()  # the painting itself is untouched


def test_a_killed_window_loses_nothing(tmp_path):
    """A real process, killed with SIGKILL after painting: --resume shows the same pixels."""
    home = tmp_path / "home"
    child = textwrap.dedent(f"""
        import os, signal, numpy as np, pygame
        from artkit.cli import main
        import artkit.app.paint_app as pa
        real_run = pa.PaintApp.run
        def run(self, max_frames=None, script=None):
            pts = [self.to_window(20 + 8 * i, 20 + 5 * i) for i in range(20)]
            ev = pygame.event.Event
            frames = [[ev(pygame.MOUSEBUTTONDOWN, pos=pts[0], button=1)]]
            frames += [[ev(pygame.MOUSEMOTION, pos=p, rel=(0, 0), buttons=(1, 0, 0))] for p in pts]
            frames += [[ev(pygame.MOUSEBUTTONUP, pos=pts[-1], button=1)]]
            frames += [[ev(pygame.MOUSEBUTTONDOWN, pos=pts[5], button=1)]]  # still held when killed
            real_run(self, max_frames=len(frames), script=frames)
            np.save({str(tmp_path / "expected.npy")!r}, self.session.canvas.snapshot())
            os.kill(os.getpid(), signal.SIGKILL)
        pa.PaintApp.run = run
        main(["paint", "--size", "200x150", "--seed", "4", "--brush", "flow"])
    """)
    env = dict(os.environ, ARTKIT_HOME=str(home), SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    proc = subprocess.run([sys.executable, "-c", child], env=env, cwd=tmp_path, timeout=120,
                          capture_output=True)
    assert proc.returncode == -9, proc.stderr.decode()
    expected = np.load(tmp_path / "expected.npy")
    store = SessionStore(home / "sessions")
    assert not store.is_busy(store.latest())   # the OS let go of the dead window's lock
    resumed, _ = PaintSession.resume(store.folder / f"{store.latest()}.strokes")
    # the finished stroke is all there; the one in progress when killed adds at most a touch
    assert changed(resumed.canvas.pixels()).sum() > 500
    assert changed(resumed.canvas.pixels()).sum() >= changed(expected).sum() * 0.9
    assert resumed.brush_name == "flow" and resumed.seed == 4


def test_cli_paint_then_resume(tmp_path, artkit_home, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["paint", "--size", "200x150", "--frames", "2", "--seed", "9"]) == 0
    store = SessionStore(artkit_home / "sessions")
    first = store.latest()
    assert first and (store.folder / f"{first}.strokes").exists()
    assert (store.folder / f"{first}.png").exists()           # its picture, for the list
    assert main(["paint", "--resume", "--frames", "2"]) == 0
    assert store.ids() == [first]                              # resumed, not a new one
    assert main(["paint", "--frames", "1"]) == 0
    assert len(store.ids()) == 2 and first in store.ids()      # a fresh start keeps the old
    assert main(["paint", "--resume", first, "--frames", "1"]) == 0
    assert store.latest() == first
    assert main(["paint", "--resume", "19990101-000000"]) == 2
    assert "There is no session" in capsys.readouterr().err


def test_cli_rejects_bad_input_with_one_line(tmp_path, artkit_home, capsys):
    assert main(["paint", "--size", "big"]) == 2
    assert main(["paint", "--brush", "flwo"]) == 2
    assert main(["paint", "--out-dir", str(tmp_path / "nope")]) == 2
    (artkit_home).mkdir(exist_ok=True)
    assert main(["paint", "--resume"]) == 2
    (tmp_path / "text.png").write_text("not a picture")
    assert main(["paint", "--source", str(tmp_path / "text.png")]) == 2
    assert main(["paint", "--frames", "0"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 6 and all(line.startswith("artkit: ") for line in err)
    assert not (artkit_home / "session.strokes").exists()
    assert "did you mean 'flow'" in err[1]


# -- autopaint, overlays, quitting, panels -----------------------------------------------------

def test_autopaint_covers_the_canvas(tmp_path):
    app = make_app(tmp_path, brush="dabs")
    play(app, [key(pygame.K_a)])
    assert app.autopaint
    for _ in range(40):
        app.run(max_frames=30)
        if not app.autopaint:
            break
    assert not app.autopaint
    assert changed(app.session.canvas.pixels()).mean() > 0.99
    assert "covered" in app.toasts.messages[-1]
    # each check period is one undo step, so undo takes autopaint back a little at a time
    assert len(app.session.log.gestures) >= 1
    n = len(app.session.log.gestures)
    app.session.undo()
    assert len(app.session.log.gestures) == n - 1


def test_tab_shows_the_source_faintly(tmp_path):
    app = make_app(tmp_path)
    plain = pygame.surfarray.array3d(app.screen)
    play(app, [key(pygame.K_TAB)])
    overlay = pygame.surfarray.array3d(app.screen)
    r = app.canvas_rect
    diff = np.abs(overlay[r.left:r.right, r.top:r.bottom].astype(int)
                  - plain[r.left:r.right, r.top:r.bottom].astype(int))
    assert diff.mean() > 10
    assert not changed(app.session.canvas.pixels()).any()  # only shown, never painted
    play(app, [key(pygame.K_TAB)])
    assert np.array_equal(pygame.surfarray.array3d(app.screen), plain)


def test_help_overlay_and_quit(tmp_path):
    app = make_app(tmp_path)
    play(app, [key(pygame.K_h, unicode="h")])
    assert app.help.visible
    from artkit.app.paint_app import BRUSH_KEYS

    listed = [k for k, words in app.help_lines() if words.startswith("choose a brush")]
    last_key = BRUSH_KEYS[len(app.session.brush_names) - 1]
    assert len(listed) == 1 and listed[0].endswith(last_key)  # every brush key, and no more
    play(app, [key(pygame.K_ESCAPE)])  # Esc closes the help first…
    assert not app.help.visible and app.running
    stats = app.run(max_frames=50, script=[key(pygame.K_ESCAPE)])  # …then quits
    assert not app.running and stats.frames == 1


class _Panel(Panel):
    width = 120
    help_line = ("G", "show or hide the test panel")

    def __init__(self):
        super().__init__()
        self.events, self.updates = [], 0

    def handle_event(self, event):
        if event.type == pygame.KEYDOWN and event.key == pygame.K_g:
            self.visible = not self.visible
            return True
        return False

    def update(self, dt):
        self.updates += 1

    def draw(self, screen, force=False):
        screen.fill((10, 200, 10), self.rect)
        return True


def test_side_panels_plug_in(tmp_path):
    app = make_app(tmp_path)
    panel = app.add_panel(_Panel())
    width = app.screen.get_width()
    play(app, [key(pygame.K_g)])
    assert panel.visible and app.screen.get_width() == width + 120
    assert panel.rect.left == app.column_rect.right
    assert tuple(app.screen.get_at(panel.rect.center))[:3] == (10, 200, 10)
    assert panel.updates >= 1
    assert panel.help_line in app.help_lines()
    red = SourceImage.from_array(np.full((10, 10, 3), (1.0, 0.0, 0.0), np.float32))
    app.set_source(red, "test:red")
    assert app.session.source.size == SIZE and app.session.source_spec == "test:red"
    play(app, [key(pygame.K_g)])
    assert app.screen.get_width() == width


def test_the_session_needs_no_pygame():
    code = ("import sys; from artkit.session import PaintSession; "
            "s = PaintSession((64, 48), brush='dabs', seed=1); s.paint([(10, 10), (40, 30)]); "
            "s.undo(); print('pygame' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_the_screen_shows_exactly_the_canvas_after_partial_redraws(tmp_path):
    app = make_app(tmp_path)
    frames = (drag(app, line(20, 20, 180, 130)) + [key(pygame.K_s)] + [key(pygame.K_TAB)]
              + drag(app, line(20, 130, 100, 60)) + [key(pygame.K_TAB)] + [key(pygame.K_h)]
              + [key(pygame.K_h)] + drag(app, line(150, 20, 60, 140))
              + [key(pygame.K_z, mod=pygame.KMOD_LCTRL)] + drag(app, line(10, 75, 190, 75)))
    play(app, frames)
    assert app.toasts.items  # the save toast is still up, over the canvas
    app.toasts.items.clear()
    app.run(max_frames=1)  # only what changed is redrawn, including where the toast was
    r = app.canvas_rect
    on_screen = pygame.surfarray.array3d(app.screen)[r.left:r.right, r.top:r.bottom]
    assert np.array_equal(on_screen.transpose(1, 0, 2), app.session.canvas.pixels()[..., :3])


def test_default_canvas_fits_the_screen():
    from artkit.commands.paint import fitting_canvas_size
    from artkit.params import parse_size

    assert fitting_canvas_size((1920, 1080), 212) == (1024, 768)
    w, h = fitting_canvas_size((1366, 768), 212)
    assert h <= 768 - 100 and w + 212 <= 1366 and abs(w / h - 4 / 3) < 0.02
    assert fitting_canvas_size(None, 212) == (1024, 768)
    assert parse_size("800x600") == (800, 600) and parse_size(" 640 X 480 ") == (640, 480)
