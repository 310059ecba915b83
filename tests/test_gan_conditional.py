"""Conditional GANs (mlp-cond, conv-cond): told which digit to draw, judged against labels."""

import numpy as np
import pytest
import torch

from artkit import cli
from artkit.errors import ArtkitError
from artkit.gan import checkpoint, data, metrics, models
from artkit.gan.sample import sample_images
from artkit.gan.train import TrainConfig, Trainer

CONDITIONAL = ["mlp-cond", "conv-cond"]


@pytest.fixture(autouse=True)
def one_thread(monkeypatch):
    torch.set_num_threads(1)
    monkeypatch.setenv("ARTKIT_OFFLINE", "1")


def digit_data(step: int) -> data.ImageData:
    """Every `step`-th bundled digit (500 of each class among the 5,000)."""
    images, labels = data.load_mnist_5k()
    picked = np.arange(0, 5000, step)
    return data.ImageData(torch.from_numpy(images[picked]).float().div(255).unsqueeze(1),
                          torch.from_numpy(labels[picked]), f"{len(picked)} digits")


def quiet(**settings):
    base = dict(sample_every=10**9, score_every=10**9, log_every=50, n_samples=4, n_score=50)
    return TrainConfig(**{**base, **settings})


@pytest.mark.parametrize("name", CONDITIONAL)
def test_the_latent_ends_in_the_one_hot_label_asked_for(name):
    generator = models.build_generator(models.model_config(name))
    z = generator.sample_latent(5, torch.Generator().manual_seed(0), torch.tensor([3, 1, 4, 1, 5]))
    assert z.shape == (5, generator.latent_dim) and generator.classes == 10
    assert torch.equal(generator.labels_of(z), torch.tensor([3, 1, 4, 1, 5]))
    assert torch.equal(z[:, -10:].sum(dim=1), torch.ones(5))  # exactly one class each
    sevens = generator.sample_latent(4, torch.Generator().manual_seed(0), 7)
    assert torch.equal(generator.labels_of(sevens), torch.full((4,), 7))
    drawn = generator.labels_of(generator.sample_latent(500, torch.Generator().manual_seed(1)))
    assert set(drawn.tolist()) == set(range(10))  # random labels cover every class
    with pytest.raises(ArtkitError, match="class 10 does not exist; this model knows classes 0 to 9"):
        generator.sample_latent(2, labels=torch.tensor([2, 10]))


def test_unconditional_generators_draw_the_same_latents_as_before():
    generator = models.build_generator(models.model_config("conv"))
    z = generator.sample_latent(3, torch.Generator().manual_seed(4))
    assert torch.equal(z, torch.randn((3, 8), generator=torch.Generator().manual_seed(4)))
    assert generator.classes == 0 and generator.labels_of(z) is None
    with pytest.raises(ArtkitError, match="trained without labels"):
        generator.sample_latent(2, labels=3)


@pytest.mark.parametrize("name", CONDITIONAL)
def test_the_discriminator_needs_the_labels_and_its_verdict_depends_on_them(name):
    torch.manual_seed(0)
    discriminator = models.build_discriminator(models.model_config(name))
    images = digit_data(250).images[:4]
    with pytest.raises(ArtkitError, match="conditional: it judges each image together with its label"):
        discriminator(images)
    as_labelled = discriminator(images, torch.tensor([0, 2, 4, 6]))
    relabelled = discriminator(images, torch.tensor([1, 3, 5, 7]))
    assert as_labelled.shape == (4, 1) and not torch.allclose(as_labelled, relabelled)


def test_the_discriminator_sees_each_real_digit_with_its_own_label():
    # Encode each image's label in its top-left pixel, then watch what D is given.
    digits = digit_data(50)
    digits.images[:, 0, 0, 0] = digits.labels.float() / 10
    trainer = Trainer(models.model_config("conv-cond", augment="off"), digits,  # pixels as given
                      quiet(batch_size=8), seed=0, score_fn=False)
    seen = []
    judge = trainer.discriminator.forward

    def spy(images, labels=None):
        seen.append((images.detach()[:, 0, 0, 0].clone(), labels.clone()))
        return judge(images, labels)

    trainer.discriminator.forward = spy
    trainer.run(steps=3)
    real = seen[0::3]  # each step judges real, then fake, then fake for the generator
    assert all(torch.equal((pixels * 10).round().long(), labels) for pixels, labels in real)
    for (_, fake_for_d), (_, fake_for_g) in zip(seen[1::3], seen[2::3]):
        assert torch.equal(fake_for_d, fake_for_g)  # G learns from the fakes and labels D judged


def test_conditional_models_refuse_data_without_labels_or_with_unknown_labels():
    digits = digit_data(250)
    unlabelled = data.ImageData(digits.images, None, "these images")
    with pytest.raises(ArtkitError, match="conv-cond model is conditional.*these images have none"):
        Trainer("conv-cond", unlabelled, quiet(), score_fn=False)
    too_many = data.ImageData(digits.images, digits.labels + 5, "shifted digits")
    with pytest.raises(ArtkitError, match="knows classes 0 to 9, but shifted digits have label 10"):
        Trainer("mlp-cond", too_many, quiet(batch_size=8), score_fn=False)


def test_a_conditional_grid_has_one_column_per_digit():
    trainer = Trainer("conv-cond", digit_data(250), quiet(n_samples=64), score_fn=False)
    assert trainer.grid_columns == 10 and len(trainer.fixed_latents) == 70
    labels = trainer.generator.labels_of(trainer.fixed_latents)
    assert torch.equal(labels, torch.arange(70) % 10)


def test_conv_cond_learns_to_draw_the_digit_it_is_asked_for():
    # ~7 s: 300 steps of 32 on 1,000 digits. At the start samples match the asked digit at
    # chance (10%); after 400 steps 80% did (1,000 digits, seed 0).
    trainer = Trainer("conv-cond", digit_data(5), quiet(batch_size=32), seed=0, score_fn=False)
    trainer.run(steps=300)
    asked = np.repeat(np.arange(10), 20)
    images = sample_images(trainer.sampler, 200, seed=5, labels=torch.from_numpy(asked))
    drawn = metrics.classify(images)[0].argmax(axis=1)
    assert (drawn == asked).mean() >= 0.5


def test_checkpoint_and_cli_sample_by_digit(tmp_path, capsys):
    out = tmp_path / "run"
    assert cli.main(["gan", "train", "--model", "conv-cond", "--data", "mnist5k", "--steps", "3",
                     "--out", str(out)]) == 0
    generator, info = checkpoint.load_generator(out / "last.pt")
    assert info["config"] == models.model_config("conv-cond") and generator.classes == 10

    npy = tmp_path / "threes.npy"
    assert cli.main(["gan", "sample", str(out / "last.pt"), "--n", "5", "--digit", "3",
                     "--out", str(tmp_path / "threes.png"), "--npy", str(npy)]) == 0
    z = generator.sample_latent(5, torch.Generator().manual_seed(0), 3)
    assert np.allclose(np.load(npy), generator.generate(z)[:, 0].numpy())

    balanced = sample_images(generator, 20, seed=2)  # no digit asked: each in turn
    assert np.array_equal(balanced, sample_images(generator, 20, seed=2, labels=torch.arange(20) % 10))
    capsys.readouterr()
    assert cli.main(["gan", "score", str(out / "last.pt"), "--n", "50"]) == 0
    assert "of samples read as the digit they were asked for" in capsys.readouterr().out

    plain = tmp_path / "plain"
    assert cli.main(["gan", "train", "--model", "conv", "--data", "mnist5k", "--steps", "2",
                     "--out", str(plain)]) == 0
    capsys.readouterr()
    assert cli.main(["gan", "sample", str(plain / "last.pt"), "--digit", "3",
                     "--out", str(tmp_path / "x.png")]) != 0
    assert "trained without labels" in capsys.readouterr().err


def test_equal_clusters_are_equal_seeded_and_find_clear_groups():
    from artkit.gan.clusters import equal_clusters

    blobs = torch.cat([torch.randn(10, 4, generator=torch.Generator().manual_seed(i)) * 0.1 + 10 * i
                       for i in range(3)])  # three far-apart groups of ten
    found = equal_clusters(blobs, 3, seed=0)
    assert all(len(set(found[i * 10:(i + 1) * 10].tolist())) == 1 for i in range(3))
    assert len(set(found.tolist())) == 3

    digits = digit_data(5).images  # 1,000 digits
    clusters = equal_clusters(digits, 10, seed=1)
    assert torch.equal(torch.bincount(clusters), torch.full((10,), 100))
    assert torch.equal(clusters, equal_clusters(digits, 10, seed=1))
    assert sorted(torch.bincount(equal_clusters(digits[:23], 5)).tolist()) == [4, 4, 5, 5, 5]
    with pytest.raises(ArtkitError, match="cannot group 23 images into 30 clusters"):
        equal_clusters(digits[:23], 30)


def test_a_clustering_model_labels_its_data_with_clusters_not_digits():
    digits = digit_data(5)
    trainer = Trainer(models.ConvGANConfig(clusters=20), digits, quiet(), score_fn=False)
    assert trainer.data.name == "1000 digits in 20 clusters" and trainer.generator.classes == 20
    assert torch.equal(torch.bincount(trainer.data.labels), torch.full((20,), 50))
    trainer.run(steps=2)  # trains conditioned on the clusters
    with pytest.raises(ArtkitError, match="labels \\(classes\\) or on clusters"):
        Trainer(models.ConvGANConfig(classes=10, clusters=20), digits, quiet(), score_fn=False)
