"""GAN checkpoints (round trip, refusals) and sampling (images, grids, latent walks)."""

import os
import pickle
import random
import zipfile

import numpy as np
import pytest
import torch
from PIL import Image

from artkit.errors import ArtkitError
from artkit.gan import checkpoint, checksum, models
from artkit.gan.sample import grid_image, interpolate, sample_images, save_grid


@pytest.fixture(autouse=True)
def one_thread():
    torch.set_num_threads(1)


def save_model(path, name="mlp", **overrides):
    torch.manual_seed(0)
    config = models.model_config(name, **overrides)
    gan = models.build_gan(config)
    checkpoint.save_checkpoint(path, model_name=name, config=config, generator=gan.generator,
                               discriminator=gan.discriminator, g_optimizer=gan.g_optimizer,
                               d_optimizer=gan.d_optimizer, step=7, images_seen=448,
                               scores={"fid": 3.5})
    return gan


def test_round_trip_gives_the_same_generator(tmp_path):
    path = tmp_path / "model.pt"
    gan = save_model(path, "conv")
    generator, info = checkpoint.load_generator(path)
    assert info["model_name"] == "conv" and info["step"] == 7 and info["images_seen"] == 448
    assert info["scores"] == {"fid": 3.5} and info["config"] == models.model_config("conv")
    z = generator.sample_latent(4)
    assert torch.equal(generator.generate(z), gan.generator.generate(z))
    saved = checkpoint.load_checkpoint(path)
    assert saved["artkit_version"] and saved["d_optimizer"]["param_groups"]


def test_a_different_architecture_is_refused_with_both_shapes(tmp_path):
    path = tmp_path / "mlp200.pt"
    save_model(path, "mlp")
    wider = models.build_generator(models.model_config("mlp", hidden=500))
    with pytest.raises(ArtkitError) as caught:
        checkpoint.load_weights(wider, checkpoint.load_checkpoint(path)["generator"], "generator", path.name)
    message = str(caught.value)
    assert "generator is 100→200→784" in message and "asked for is 100→500→784" in message
    assert "net.0.weight" in message and "200×100" in message and "500×100" in message


class Payload:
    """Unpickling this would run a shell command that creates a marker file."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def test_a_pickle_carrying_code_is_refused_and_never_runs(tmp_path):
    marker = tmp_path / "payload_ran"
    torch_file = tmp_path / "evil.pt"
    torch.save({"format": checkpoint.FORMAT, "generator": Payload(marker)}, torch_file)
    plain_pickle = tmp_path / "evil.pkl"
    plain_pickle.write_bytes(pickle.dumps({"generator": Payload(marker)}, protocol=2))
    for path in (torch_file, plain_pickle):
        with pytest.raises(ArtkitError, match="refuses to load it because it contains code"):
            checkpoint.load_checkpoint(path)
    assert not marker.exists()


def test_truncated_and_foreign_files(tmp_path):
    good = tmp_path / "good.pt"
    save_model(good, "pattern")
    cut = tmp_path / "cut.pt"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ArtkitError, match="cut short or damaged"):
        checkpoint.load_checkpoint(cut)
    text = tmp_path / "notes.pt"
    text.write_text("just some words\n")
    with pytest.raises(ArtkitError, match="not an artkit GAN checkpoint"):
        checkpoint.load_checkpoint(text)
    plain = tmp_path / "plain.pt"
    torch.save({"weights": torch.zeros(3)}, plain)
    with pytest.raises(ArtkitError, match="not an artkit GAN checkpoint"):
        checkpoint.load_checkpoint(plain)
    with pytest.raises(ArtkitError, match="cannot find"):
        checkpoint.load_checkpoint(tmp_path / "missing.pt")


def test_sample_images_are_numpy_in_0_1_and_repeatable(tmp_path):
    grey = models.build_generator(models.model_config("mlp"))
    images = sample_images(grey, 6, seed=1)
    assert images.shape == (6, 28, 28) and images.dtype == np.float32
    assert 0.0 <= images.min() and images.max() <= 1.0
    assert np.array_equal(images, sample_images(grey, 6, seed=1))
    assert not np.array_equal(images, sample_images(grey, 6, seed=2))
    colour = models.build_generator(models.model_config("conv-faces-colour"))
    assert sample_images(colour, 3, seed=0).shape == (3, 32, 32, 3)


def test_grid_layout_and_enlargement(tmp_path):
    images = np.zeros((5, 28, 28), np.float32)
    images[:, 10:18, 10:18] = 1.0
    path = save_grid(images, tmp_path / "grid.png", ncols=3)
    grid = np.asarray(Image.open(path))
    # 28 px enlarged 4x to 112, 2 px padding: 3 columns, 2 rows.
    assert grid.shape == (2 * 114 + 2, 3 * 114 + 2)
    assert grid[2 + 4 * 14, 2 + 4 * 14] == 255 and grid[3, 3] == 0
    assert grid_image(np.random.rand(4, 32, 32, 3)).size == (2 * 98 + 2, 2 * 98 + 2)
    with pytest.raises(ArtkitError, match="cannot make a grid"):
        grid_image(np.zeros((4, 5)))


def test_slerp_interpolation():
    z0, z1 = torch.randn(100), torch.randn(100)
    walk = interpolate(z0, z1, torch.linspace(0, 1, 5))
    assert walk.shape == (5, 100)
    assert torch.allclose(walk[0], z0, atol=1e-5) and torch.allclose(walk[-1], z1, atol=1e-5)
    # On a sphere the walk keeps the radius; a straight line would sag in the middle.
    unit0, unit1 = z0 / z0.norm(), z1 / z1.norm()
    mid = interpolate(unit0, unit1, 0.5)
    assert mid.shape == (100,) and abs(mid.norm().item() - 1.0) < 1e-4
    assert torch.allclose(interpolate(unit0, unit0, 0.3), unit0, atol=1e-6)


def _flipped(data: bytes, seed: int, count: int = 20) -> bytes:
    rng = random.Random(seed)
    damaged = bytearray(data)
    for i in rng.sample(range(len(damaged)), count):
        damaged[i] ^= 1 << rng.randrange(8)
    return bytes(damaged)


def test_a_checkpoint_with_flipped_bytes_is_refused_in_one_sentence(tmp_path):
    good = tmp_path / "good.pt"
    save_model(good, "conv")
    saved = checkpoint.load_checkpoint(good)
    assert saved[checksum.KEY]["algorithm"] == "sha256"
    data, bad = good.read_bytes(), tmp_path / "bad.pt"
    for seed in range(25):
        bad.write_bytes(_flipped(data, seed))
        with pytest.raises(ArtkitError) as caught:
            checkpoint.load_checkpoint(bad)
        message = str(caught.value)
        assert message.startswith("bad.pt ") and message.endswith(".") and ". " not in message


def test_the_checksum_catches_a_flip_inside_the_weights(tmp_path):
    good = tmp_path / "good.pt"
    save_model(good, "mlp")
    with zipfile.ZipFile(good) as archive:  # torch's format: one zip member per tensor
        member = max(archive.infolist(), key=lambda info: info.file_size)
        with archive.open(member) as stream:
            start = stream.read(64)
    data = bytearray(good.read_bytes())
    offset = bytes(data).index(start) + 40  # well inside the largest tensor's bytes
    data[offset] ^= 0x10
    bad = tmp_path / "flipped.pt"
    bad.write_bytes(bytes(data))
    with pytest.raises(ArtkitError, match="flipped.pt is damaged: its weights no longer match"):
        checkpoint.load_checkpoint(bad)
    unchecked = torch.load(bad, weights_only=True)  # what loaded silently before checksums
    assert unchecked["step"] == 7


def test_checkpoints_from_before_checksums_still_load(tmp_path):
    path = tmp_path / "old.pt"
    save_model(path, "pattern")
    old = checkpoint.load_checkpoint(path)
    del old[checksum.KEY]
    torch.save(old, path)
    assert checkpoint.load_checkpoint(path)["step"] == 7
    assert checksum.matches(old) is None
