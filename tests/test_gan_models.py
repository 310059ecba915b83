"""GAN lab models: every registered model's shapes, the book's layer sizes, the MLP switches."""

import pytest
import torch
from torch import nn

from artkit.errors import ArtkitError
from artkit.gan import models

GAN_MODELS = [name for name in models.MODELS if name != "part1"]


@pytest.fixture(autouse=True)
def one_thread():
    torch.set_num_threads(1)


@pytest.mark.parametrize("name", GAN_MODELS)
def test_each_model_maps_latents_to_images_and_images_to_probabilities(name):
    torch.manual_seed(0)
    gan = models.build_gan(models.model_config(name))
    generator = gan.generator
    z = generator.sample_latent(6, torch.Generator().manual_seed(0))
    assert z.shape == (6, generator.latent_dim)
    images = generator.generate(z)
    assert images.shape == (6, *generator.image_shape)
    assert 0.0 <= images.min() and images.max() <= 1.0
    labels = generator.labels_of(z)  # a conditional D judges each image with its label
    verdict = gan.discriminator(images, *([] if labels is None else [labels]))
    assert verdict.shape == (6, 1) and 0.0 <= verdict.min() and verdict.max() <= 1.0


def linear_sizes(module: nn.Module) -> list:
    return [(layer.in_features, layer.out_features) for layer in module.modules()
            if isinstance(layer, nn.Linear)]


def test_the_books_layer_sizes():
    pattern = models.build_gan(models.model_config("pattern"))
    assert linear_sizes(pattern.generator) == [(1, 3), (3, 4)]
    assert linear_sizes(pattern.discriminator) == [(4, 3), (3, 1)]
    assert isinstance(pattern.loss_fn, nn.MSELoss)
    assert isinstance(pattern.g_optimizer, torch.optim.SGD)
    assert torch.equal(pattern.generator.sample_latent(2), torch.full((2, 1), 0.5))

    for name, pixels in (("mlp-naive", 784), ("mlp", 2 * 784)):  # mlp's D sees pairs
        gan = models.build_gan(models.model_config(name))
        assert linear_sizes(gan.generator) == [(100, 200), (200, 784)]
        assert linear_sizes(gan.discriminator) == [(pixels, 200), (200, 1)]


def layer_types(module):
    return {type(layer) for layer in module.modules()}


def test_naive_and_improved_mlp_and_each_switch_alone():
    naive = models.build_gan(models.model_config("mlp-naive"))
    assert nn.LayerNorm not in layer_types(naive.generator)
    assert nn.LeakyReLU not in layer_types(naive.discriminator)
    assert isinstance(naive.loss_fn, nn.MSELoss) and isinstance(naive.d_optimizer, torch.optim.SGD)
    assert naive.d_optimizer.param_groups[0]["lr"] == 0.01

    improved = models.build_gan(models.model_config("mlp"))
    assert {nn.LayerNorm, nn.LeakyReLU} <= layer_types(improved.generator)
    assert isinstance(improved.loss_fn, nn.BCELoss) and isinstance(improved.d_optimizer, torch.optim.Adam)
    assert improved.d_optimizer.param_groups[0]["lr"] == 0.0001  # the book's rate for D
    assert improved.g_optimizer.param_groups[0]["lr"] == 0.0003  # G three times as fast
    book = models.build_gan(models.MLPGANConfig())  # lr and d_lr unset: both the book's
    assert book.g_optimizer.param_groups[0]["lr"] == book.d_optimizer.param_groups[0]["lr"] == 0.0001

    base = dict(optimizer="sgd", activation="sigmoid", layernorm=False, loss="mse")
    adam_only = models.build_gan(models.MLPGANConfig(**{**base, "optimizer": "adam"}))
    assert isinstance(adam_only.g_optimizer, torch.optim.Adam) and isinstance(adam_only.loss_fn, nn.MSELoss)
    leaky_only = models.build_gan(models.MLPGANConfig(**{**base, "activation": "leaky"}))
    assert nn.LeakyReLU in layer_types(leaky_only.discriminator)
    assert isinstance(leaky_only.g_optimizer, torch.optim.SGD)
    norm_only = models.build_gan(models.MLPGANConfig(**{**base, "layernorm": True}))
    assert nn.LayerNorm in layer_types(norm_only.generator) and nn.Sigmoid in layer_types(norm_only.generator)


@pytest.mark.parametrize("size, channels, shapes", [
    (28, 1, [(64, 7), (32, 14), (1, 28)]),
    (32, 3, [(128, 4), (64, 8), (32, 16), (3, 32)]),
    (64, 1, [(256, 4), (128, 8), (64, 16), (32, 32), (1, 64)]),
])
def test_conv_layer_sizes(size, channels, shapes):
    config = models.ConvGANConfig(image_size=size, channels=channels, width=32)
    generator = models.build_generator(config)
    seen = []
    for layer in generator.modules():
        if isinstance(layer, nn.ConvTranspose2d):
            layer.register_forward_hook(lambda _, __, out: seen.append((out.shape[1], out.shape[2])))
    generator.generate(generator.sample_latent(2))
    assert [(generator.base_shape[0], generator.base_shape[1])] + seen == shapes
    discriminator = models.build_discriminator(config)
    assert discriminator(torch.rand(2, channels, size, size)).shape == (2, 1)


def test_conv_discriminator_learns_at_its_own_rate():
    digits = models.build_gan(models.model_config("conv"))
    assert digits.d_optimizer.param_groups[0]["lr"] == \
        pytest.approx(digits.g_optimizer.param_groups[0]["lr"] / 3)
    assert digits.d_optimizer.param_groups[0]["betas"] == (0.5, 0.999)
    faces = models.build_gan(models.model_config("conv-faces"))
    assert faces.d_optimizer.param_groups[0]["lr"] == faces.g_optimizer.param_groups[0]["lr"]


def test_digits_draw_from_a_short_latent_and_faces_from_a_long_one():
    digits = models.build_generator(models.model_config("conv"))
    faces = models.build_generator(models.model_config("conv-faces"))
    assert digits.latent_dim == 8 and digits.sample_latent(5).shape == (5, 8)
    assert digits(digits.sample_latent(5)).shape == (5, 1, 28, 28)
    assert faces.latent_dim == 100


def test_discriminator_batchnorm_is_a_setting():
    def norms(config):
        return sum(isinstance(m, torch.nn.BatchNorm2d) for m in models.build_discriminator(config).modules())

    assert norms(models.model_config("conv")) == 0
    assert norms(models.model_config("conv-faces-colour")) == 2  # every layer but the first

def test_bad_models_and_settings():
    with pytest.raises(ArtkitError, match="no model called"):
        models.model_config("gpt")
    with pytest.raises(ArtkitError, match="no setting"):
        models.model_config("mlp", widht=3)
    with pytest.raises(ArtkitError, match="cannot make 30-pixel"):
        models.build_generator(models.ConvGANConfig(image_size=30))
    with pytest.raises(ArtkitError, match="numpy"):
        models.build_gan(models.model_config("part1"))
    with pytest.raises(ArtkitError, match="unknown activation"):
        models.build_gan(models.MLPGANConfig(activation="relu6"))


def test_configs_round_trip_through_plain_dicts():
    for name in models.MODELS:
        config = models.model_config(name)
        plain = models.config_to_dict(config)
        assert all(isinstance(v, (str, int, float, bool, type(None))) for v in plain.values())
        assert models.config_from_dict(plain) == config
    with pytest.raises(ArtkitError, match="unknown model kind"):
        models.config_from_dict({"kind": "transformer"})


def test_a_packed_discriminator_judges_images_in_pairs():
    config = models.model_config("mlp")
    assert config.pack == 2
    discriminator = models.build_discriminator(config)
    images = torch.rand(6, 1, 28, 28)
    verdicts = discriminator(images)
    assert verdicts.shape == (6, 1)
    assert torch.equal(verdicts[0::2], verdicts[1::2])  # one verdict per pair
    swapped = images[[1, 0, 2, 3, 4, 5]]  # the order inside a pair matters, as in PacGAN
    assert not torch.equal(discriminator(swapped)[:2], verdicts[:2])
    with pytest.raises(ArtkitError, match="pairs"):
        discriminator(images[:5])


def test_a_batch_that_does_not_split_into_pairs_is_refused():
    from artkit.gan.train import TrainConfig, Trainer

    with pytest.raises(ArtkitError, match="multiple of 2, not 7"):
        Trainer("mlp", config=TrainConfig(batch_size=7), score_fn=False, notice=lambda m: None)
