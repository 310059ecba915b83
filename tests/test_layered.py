"""The layered painting plan (artkit.layered), the orientation field and the painterly brush:
seeded, headless, on small canvases."""

import numpy as np
import pygame
import pytest
from PIL import Image

from artkit import layered
from artkit.app.paint_app import PaintApp
from artkit.blur import gaussian_blur
from artkit.brushes import BRUSHES, make_brush
from artkit.canvas import read_provenance
from artkit.cli import main
from artkit.errors import ArtkitError
from artkit.orientation import OrientationField, orientation_field
from artkit.session import PAPER, PaintSession
from artkit.source import SourceImage
from artkit.strokelog import StrokeLog

SIZE = (120, 90)


@pytest.fixture(autouse=True)
def artkit_home(tmp_path, monkeypatch):
    monkeypatch.setenv("ARTKIT_HOME", str(tmp_path / "home"))


def portrait(size=SIZE) -> SourceImage:
    """A small synthetic 'face': a warm oval on a cool background, two dark eyes, a dark
    mouth, and a black coat below; detail at several scales."""
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    rgb = np.empty((h, w, 3), np.float32)
    rgb[:] = (0.45, 0.6, 0.8) * (0.7 + 0.3 * x[..., None] / w)
    face = ((x - 0.5 * w) / (0.22 * w)) ** 2 + ((y - 0.4 * h) / (0.3 * h)) ** 2 < 1
    rgb[face] = (0.93, 0.75, 0.62)
    for ex in (0.42, 0.58):
        rgb[((x - ex * w) ** 2 + (y - 0.35 * h) ** 2) < (0.03 * w) ** 2] = (0.1, 0.08, 0.06)
    rgb[(abs(x - 0.5 * w) < 0.08 * w) & (abs(y - 0.52 * h) < 0.015 * h + 1)] = (0.5, 0.1, 0.1)
    rgb[y > 0.78 * h] = (0.03, 0.03, 0.04)
    return SourceImage(rgb, name="portrait")


def marks(log: StrokeLog) -> list:
    return [b"".join(s.points.tobytes() + s.rgba.tobytes() + s.width.tobytes()
                     for s in g.strokes) for g in log.gestures]


def layered_session(brush="flow", seed=5, source=None, size=SIZE, **kw) -> PaintSession:
    session = PaintSession(size, source if source is not None else portrait(size),
                           brush=brush, seed=seed, **kw)
    session.set_plan("layered")
    return session


def colour_error(session) -> float:
    return float(layered.canvas_error(session.canvas.pixels(), session.source.to_array()).mean())


# -- the plan -------------------------------------------------------------------------------

def test_the_same_seed_paints_identical_bytes_and_another_seed_does_not():
    a, b, c = layered_session(seed=5), layered_session(seed=5), layered_session(seed=6)
    runs = [s.paint_until_covered() for s in (a, b, c)]
    assert runs[0].reason == "layers" and runs[0].done > 0
    assert marks(a.log) == marks(b.log)
    assert np.array_equal(a.canvas.pixels(), b.canvas.pixels())
    assert marks(a.log) != marks(c.log)


def test_the_error_falls_from_layer_to_layer_and_ends_far_below_uniform():
    session = layered_session()
    run = session.paint_until_covered()
    errors = run.pass_errors
    assert len(errors) == run.passes == layered.DEFAULT_PASSES
    assert all(later < earlier for earlier, later in zip(errors, errors[1:])), errors
    assert run.sizes == sorted(run.sizes, reverse=True)
    uniform = PaintSession(SIZE, portrait(), brush="flow", seed=5)
    uniform.paint_until_covered(touches=run.done)   # as many touches
    assert colour_error(session) < 0.8 * colour_error(uniform)


def test_the_finest_layer_paints_where_the_picture_has_detail():
    session = layered_session(brush="dabs")
    run = session.paint_until_covered()
    finest = session.log.gestures[-1].strokes   # the last layer's round
    dabs = np.concatenate([s.points[:, 0] for s in finest])
    w, h = SIZE
    x, y = dabs[:, 0] / w, dabs[:, 1] / h
    face = ((x - 0.5) / 0.22) ** 2 + ((y - 0.4) / 0.3) ** 2 < 1.2          # eyes, mouth, rim
    background = (y < 0.7) & (np.abs(x - 0.5) > 0.3)                       # a smooth gradient
    assert run.sizes[-1] < run.sizes[0]
    per_area = face.mean() / (np.pi * 0.22 * 0.3 * 1.2), background.mean() / (0.7 * 0.4)
    assert per_area[0] > 4 * per_area[1], per_area


def test_a_layered_log_replays_identically_at_twice_the_size(tmp_path, capsys):
    photo = tmp_path / "portrait.png"
    Image.fromarray(portrait().to_array()).save(photo)
    out, big = tmp_path / "l.png", tmp_path / "big.png"
    assert main(["render", "--plan", "layered", "--brush", "dabs", "--source", str(photo),
                 "--size", "120x90", "--seed", "2", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "layers" in said
    facts = read_provenance(out)
    assert facts["plan"] == "layered" and len(facts["layers"]) == layered.DEFAULT_PASSES
    log = out.with_suffix(".strokes")
    assert main(["replay", str(log), "--scale", "2", "--out", str(big), "--quiet"]) == 0
    replayed = np.asarray(Image.open(big).convert("RGB"))
    assert replayed.shape == (180, 240, 3)
    twice, _ = PaintSession.from_log(StrokeLog.load(log), scale=2.0, open_source=False)
    assert np.array_equal(replayed, twice.canvas.rgb())
    session, _ = PaintSession.from_log(StrokeLog.load(log), scale=1.0)
    assert np.array_equal(session.canvas.rgb(), np.asarray(Image.open(out).convert("RGB")))


def test_render_at_scale_two_gives_what_its_log_replays(tmp_path):
    out, again = tmp_path / "s.png", tmp_path / "again.png"
    assert main(["render", "--plan", "layered", "--detail", "3/3", "--brush", "flow",
                 "--size", "80x60", "--scale", "2", "--seed", "4", "--out", str(out),
                 "--quiet"]) == 0
    assert main(["replay", str(out.with_suffix(".strokes")), "--scale", "2", "--out",
                 str(again), "--quiet"]) == 0
    assert np.array_equal(np.asarray(Image.open(out)), np.asarray(Image.open(again)))


@pytest.mark.parametrize("name", list(BRUSHES))
def test_every_brush_paints_under_the_layered_plan_and_stays_itself(name):
    session = layered_session(brush=name, size=(96, 72), source=portrait((96, 72)))
    blank = colour_error(session)
    run = session.paint_until_covered()
    assert run.reason == "layers" and run.covered > 0.9
    kinds = {s.kind for g in session.log.gestures for s in g.strokes}
    assert kinds == {session.brush.empty().kind}   # dabs stay dabs, hairs stay hairs
    assert session.brush.size == make_brush(name).size   # the brush itself is untouched
    if name != "texture":   # texture paints in black and white by design
        assert colour_error(session) < 0.8 * blank


def test_uniform_marks_are_unchanged_by_the_orientation_hook():
    source = portrait()
    rng = np.random.default_rng(3)
    centres = rng.uniform(0, 90, (20, 2)).astype(np.float32)
    for name in ("flow", "curves"):
        plain = make_brush(name).touch(source, centres, np.random.default_rng(1), None)
        again = make_brush(name).touch(source, centres, np.random.default_rng(1), None)
        follows = make_brush(name)
        follows.orientation = orientation_field(source, 6)
        other = follows.touch(source, centres, np.random.default_rng(1), None)
        assert np.array_equal(plain.points, again.points)
        assert not np.array_equal(plain.points, other.points)


def test_curves_keep_dark_areas_dark_under_the_layered_plan():
    source = portrait()
    coat = source.luminance < 0.1
    darks = {}
    for plan in ("uniform", "layered"):
        session = PaintSession(SIZE, source, brush="curves", seed=5)
        session.set_plan(plan)
        session.paint_until_covered()
        luminance = session.canvas.rgb().astype(np.float32) @ (0.2126, 0.7152, 0.0722) / 255
        darks[plan] = float(luminance[coat].mean())
    assert darks["layered"] < 0.3 < darks["uniform"]


def test_a_flat_source_ends_in_a_few_rounds():
    for colour in (np.float32(PAPER) / 255, (0.5, 0.5, 0.5)):
        flat = SourceImage(np.full((SIZE[1], SIZE[0], 3), colour, np.float32))
        session = layered_session(brush="dabs", source=flat)
        run = session.paint_until_covered()
        assert run.finished and run.reason == "layers"
        assert len(run.history) <= layered.GROUND_ROUNDS + run.passes


def test_a_one_pixel_canvas_and_a_huge_source_behave():
    tiny = layered_session(source=SourceImage(np.zeros((1, 1, 3), np.float32)), size=(1, 1))
    run = tiny.paint_until_covered()
    assert run.reason == "layers" and run.done >= 1 and run.covered == 1.0
    dot = layered_session(source=SourceImage(np.full((1, 1, 3), 0.2, np.float32)))
    run = dot.paint_until_covered()   # a one-pixel picture fills the canvas: flat, one colour
    assert run.reason == "layers" and colour_error(dot) < 0.2

    huge = np.zeros((2000, 3000, 3), np.uint8)   # 6 megapixels, fitted to 120x90
    huge[:, 1500:] = 200
    session = layered_session(source=SourceImage.from_array(huge, SIZE), brush="dabs")
    run = session.paint_until_covered()
    assert run.reason == "layers" and session.source.size == SIZE

    big = PaintSession((1600, 1200), brush="flow", seed=1)
    big.set_plan("layered")
    run = big.paint_until_covered(touches=40)
    assert run.done == 40 and run.reason == "done"


def test_exactly_n_touches_and_stopping_keeps_what_was_painted():
    session = layered_session()
    run = session.paint_until_covered(touches=77)
    assert run.done == 77 and run.reason == "done"
    session = layered_session()
    run = session.start_autopaint()
    for _ in range(3):
        run.step()
    run.stop()
    assert run.reason == "stopped" and not run.step()
    assert session.log.stroke_count() > 0 and session.undo()


def test_layer_sizes_and_detail():
    assert layered.layer_sizes((400, 400), 12) == [16.67, 10.86, 7.07, 4.61, 3.0]
    assert layered.layer_sizes((400, 300), 12, passes=2, finest=4) == [12.5, 4.0]
    assert layered.layer_sizes((1, 1), 12, passes=3) == [12.0, 6.0, 3.0]
    assert layered.layer_sizes((1, 1), 12, passes=1) == [3.0]
    assert layered.parse_detail("4") == (4, None)
    assert layered.parse_detail(" 3/2.5 ") == (3, 2.5)
    for bad in ("", "x", "0", "9", "3/0", "3/-1"):
        with pytest.raises(ArtkitError):
            layered.parse_detail(bad)


def test_the_command_line_checks_the_plan(tmp_path, capsys):
    assert main(["render", "--detail", "3", "--out", str(tmp_path / "x.png")]) == 2
    assert "--plan layered" in capsys.readouterr().err
    assert main(["render", "--plan", "layered", "--detail", "12", "--out",
                 str(tmp_path / "x.png")]) == 2
    with pytest.raises(ArtkitError):
        PaintSession(SIZE).set_plan("spiral")


def test_a_resumed_painting_keeps_its_plan(tmp_path):
    """The plan and its detail go into the log (and the journal as they change), so `paint
    --resume` goes on painting the way the painting was made; meta it can't trust is ignored."""
    session = PaintSession(SIZE, brush="flow", seed=1)
    session.set_plan("layered", 3, 4.0)
    session.paint_until_covered(40)
    session.journal_to(tmp_path / "j.strokes")
    session.set_plan("layered", 2, None)   # L in the window, or another --detail
    back, _ = PaintSession.resume(tmp_path / "j.strokes")
    assert (back.plan, back.detail) == ("layered", (2, None))
    log = StrokeLog.load(tmp_path / "j.strokes")
    for plan, detail, expected in [("spiral", [3, 4.0], ("uniform", (None, None))),
                                   ("layered", [0, -1], ("layered", (None, None))),
                                   ("layered", "3/4", ("layered", (None, None)))]:
        log.meta.update(plan=plan, detail=detail)
        again, _ = PaintSession.from_log(log)
        assert (again.plan, again.detail) == expected


# -- the window -------------------------------------------------------------------------------

def press(app, key, char=""):
    app.run(max_frames=1, script=[[pygame.event.Event(pygame.KEYDOWN, key=key, mod=0,
                                                      unicode=char)]])


def test_the_window_paints_layer_by_layer_the_same_marks_as_render(tmp_path):
    out = tmp_path / "r.png"
    assert main(["render", "--plan", "layered", "--brush", "flow", "--size", "120x90",
                 "--seed", "5", "--out", str(out), "--quiet"]) == 0
    session = PaintSession(SIZE, brush="flow", seed=5)
    app = PaintApp(session, out_dir=tmp_path, fps=None, plugins=False)
    app.run(max_frames=1)
    press(app, pygame.K_l, "l")
    assert session.plan == "layered"
    assert any(line[0] == "L" for line in app.help_lines())
    press(app, pygame.K_a, "a")
    layers_seen, frames = set(), 0
    while app.autopaint and frames < 5000:
        layers_seen.add(app._autopaint_note())
        app.run(max_frames=1)
        frames += 1
    assert not app.autopaint
    assert {f"layer {i}/{layered.DEFAULT_PASSES}" for i in (1, 2)} <= layers_seen
    assert any("finished all" in m for m in app.toasts.messages)
    assert marks(StrokeLog.load(out.with_suffix(".strokes"))) == marks(session.log)
    app.close()


def test_stopping_the_window_keeps_what_it_painted(tmp_path):
    session = PaintSession(SIZE, brush="dabs", seed=5)
    session.set_plan("layered")
    app = PaintApp(session, out_dir=tmp_path, fps=None, plugins=False)
    app.run(max_frames=1)
    press(app, pygame.K_a, "a")
    app.run(max_frames=3)
    press(app, pygame.K_a, "a")
    assert not app.autopaint and session.log.stroke_count() > 0
    painted = session.canvas.snapshot()
    app.run(max_frames=2)
    assert np.array_equal(painted, session.canvas.pixels())
    app.close()


# -- the orientation field, the blur and the painterly brush ------------------------------------

def test_the_orientation_field_runs_along_edges_and_is_weak_where_flat():
    lum = np.zeros((64, 64), np.float32)
    lum[:, 32:] = 1.0                                   # a vertical edge
    field = OrientationField(lum, 4)
    direction, strength = field.at([31, 31, 5], [20, 40, 20])
    assert np.allclose(np.abs(direction[:2, 1]), 1, atol=1e-3)   # along the edge: vertical
    assert strength[0] > 0.9 and strength[2] < 0.05
    source = portrait()
    assert orientation_field(source, 6) is orientation_field(source, 6)   # cached


def test_the_blur_matches_a_gaussian():
    impulse = np.zeros((81, 81), np.float32)
    impulse[40, 40] = 1
    for sigma in (1.5, 6):
        out = gaussian_blur(impulse, sigma)
        assert abs(out.sum() - 1) < 1e-4
        y, x = np.mgrid[-40:41, -40:41]
        spread = float(np.sqrt((out * (x ** 2)).sum()))
        assert abs(spread - sigma) < 0.1 * sigma


def test_painterly_strokes_follow_the_isophotes_and_stop_at_colour_changes():
    h, w = 80, 120
    rgb = np.full((h, w, 3), 0.9, np.float32)
    rgb[40:] = (0.2, 0.3, 0.6)                           # a horizontal edge at y = 40
    source = SourceImage(rgb)
    brush = make_brush("painterly", size=6, bristles=1, jitter=0.0)
    strokes = brush.touch(source, np.float32([[60, 37], [60, 60]]), np.random.default_rng(0),
                          None)
    assert len(strokes) == 2 and strokes.kind.name == "CURVE"
    along_edge = strokes.points[0]
    assert np.ptp(along_edge[:, 0]) > 4 * np.ptp(along_edge[:, 1])   # runs along the edge
    assert (along_edge[:, 1] < 40).all()                 # and never crosses into the blue
    long = make_brush("painterly", size=6, max_length=8, min_length=2)
    assert long.touch(source, np.float32([[60, 60]]), np.random.default_rng(0),
                      None).points.shape[1] == 9
