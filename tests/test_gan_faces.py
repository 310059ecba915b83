"""Faces: conv-faces sized to its data (64×64 colour from a folder, the bundled 24×24 grey
offline), the rules a training job follows, and the face judge's scores."""

import numpy as np
import pytest
import torch
from PIL import Image

from artkit import cli
from artkit.errors import ArtkitError
from artkit.gan import checkpoint, face_judge
from artkit.gan.job import TrainJob, batch_size_for, resolve_model


@pytest.fixture(autouse=True)
def one_thread(monkeypatch):
    torch.set_num_threads(1)
    monkeypatch.setenv("ARTKIT_OFFLINE", "1")


def test_conv_faces_is_sized_to_its_data():
    _, bundled = resolve_model(TrainJob(model="conv-faces"))
    assert (bundled.image_size, bundled.channels, bundled.augment) == (24, 1, "auto")
    _, folder = resolve_model(TrainJob(model="conv-faces", data="photos/celeba"))
    assert (folder.image_size, folder.channels) == (64, 3)
    _, asked = resolve_model(TrainJob(model="conv-faces", data="photos", size=32))
    assert (asked.image_size, asked.channels) == (32, 1)
    _, colour = resolve_model(TrainJob(model="conv-faces-colour", data="photos"))
    assert (colour.image_size, colour.channels) == (32, 3)  # a fixed size stays fixed


def test_job_settings_overrides_and_batch_sizes():
    _, config = resolve_model(TrainJob(model="conv", overrides={"width": "8", "ema": "0"},
                                       augment="translation"))
    assert config.width == 8 and config.ema == 0.0 and config.augment == "translation"
    with pytest.raises(ArtkitError, match="--augment is for the conv models"):
        resolve_model(TrainJob(model="mlp", augment="on"))
    with pytest.raises(ArtkitError, match="has no setting 'depth'"):
        resolve_model(TrainJob(model="conv", overrides={"depth": "3"}))
    with pytest.raises(ArtkitError, match="must be a whole number"):
        resolve_model(TrainJob(model="conv", overrides={"width": "wide"}))
    assert batch_size_for("mlp", None) == 8 and batch_size_for("conv", None) == 32
    assert batch_size_for("conv", {"trainer": {"batch_size": 12}}) == 12
    assert batch_size_for("conv", {"trainer": {"batch_size": 12}}, asked=4) == 4
    with pytest.raises(ArtkitError, match="--precision is fp32 or bf16"):
        TrainJob(precision="fp16").check()


def test_conv_faces_trains_at_64_pixels_in_colour_from_a_folder(tmp_path, capsys):
    folder = tmp_path / "faces"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for i in range(3):
        picture = (rng.random((90, 70, 3)) * 255).astype(np.uint8)
        Image.fromarray(picture).save(folder / f"face{i}.png")
    out = tmp_path / "run"
    assert cli.main(["gan", "train", "--model", "conv-faces", "--data", str(folder),
                     "--steps", "2", "--batch-size", "2", "--set", "width=4",
                     "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "DiffAugment before the discriminator: colour, translation, cutout" in printed
    config = checkpoint.load_checkpoint(out / "last.pt")["config"]
    assert (config["image_size"], config["channels"]) == (64, 3)
    generator, _ = checkpoint.load_generator(out / "best.pt")
    assert tuple(generator.image_shape) == (3, 64, 64)


def test_the_face_judge_tells_faces_copies_and_noise_apart():
    assert face_judge.judge_accuracy() == 1.0  # the 20 pictures it never trained on
    faces, others = face_judge.bundled_pictures()
    real = face_judge.face_scores(faces)
    assert real["fid"] < 1e-6 and real["copies"] == 1.0  # the training faces themselves
    mirrored = face_judge.face_scores(faces[:, :, ::-1])  # new faces, just as real
    assert mirrored["fid"] < 0.1 and mirrored["copies"] < 0.1 and mirrored["face_share"] > 0.9
    noise = face_judge.face_scores(np.random.default_rng(0).random((200, 24, 24)))
    assert noise["fid"] > 20 and noise["face_share"] < 0.1 and noise["copies"] == 0.0
    assert face_judge.face_scores(others)["face_share"] < 0.1
    colour = face_judge.face_scores(np.repeat(faces[..., None], 3, axis=3)[:, :, :, :])
    assert colour["fid"] < 1e-6  # colour pictures are judged in grey
    big = torch.nn.functional.interpolate(torch.from_numpy(faces)[:, None], size=64,
                                          mode="bilinear")[:, 0].numpy()
    assert face_judge.face_scores(big)["fid"] < 3  # any size is brought to the judge's
