"""DiffAugment: the policies, each augmentation's effect, gradients through them, and the
trainer showing D the same kind of changed images, real and generated."""

import pytest
import torch

from artkit.errors import ArtkitError
from artkit.gan import augment, data, models
from artkit.gan.train import TrainConfig, Trainer


def rng(seed=0):
    return torch.Generator().manual_seed(seed)


def test_policies_and_what_auto_means():
    assert augment.parse_policy("translation, cutout,color") == ("translation", "cutout", "colour")
    assert augment.parse_policy("off") == augment.parse_policy("") == ()
    assert augment.parse_policy("on") == ("colour", "translation", "cutout")  # the paper's order
    with pytest.raises(ArtkitError, match="unknown augmentation 'flip'"):
        augment.parse_policy("translation,flip")
    assert augment.resolve("auto", 100) == augment.parse_policy("on")   # the bundled faces
    assert augment.resolve("auto", 5000) == ()                           # the bundled digits
    assert augment.resolve("cutout", 5000) == ("cutout",)


def test_each_augmentation_changes_images_the_same_way_for_the_same_seed():
    images = torch.rand(6, 3, 16, 16)
    for name in augment.POLICIES:
        once = augment.augment(images, name, rng(1))
        assert once.shape == images.shape and not torch.equal(once, images), name
        assert torch.equal(once, augment.augment(images, name, rng(1))), name
        assert not torch.equal(once, augment.augment(images, name, rng(2))), name


def test_translation_shifts_by_at_most_an_eighth_and_fills_black():
    square = torch.zeros(50, 1, 16, 16)
    square[:, :, 6:10, 6:10] = 1.0
    moved = augment.translation(square, rng())
    assert torch.allclose(moved.sum(dim=(1, 2, 3)), torch.full((50,), 16.0))  # nothing lost
    rows = moved[:, 0].sum(dim=2).argmax(dim=1)
    assert rows.min() >= 6 - 2 and rows.max() <= 6 + 2 and len(set(rows.tolist())) > 1
    edge = augment.translation(torch.ones(50, 1, 16, 16), rng())
    assert edge.min() == 0.0  # what moved in is black


def test_cutout_greys_a_patch_half_the_side_across():
    cut = augment.cutout(torch.ones(20, 1, 16, 16), rng())
    grey = (cut == 0.5).sum(dim=(1, 2, 3))
    assert grey.max() == 64 and grey.min() > 0  # 8×8 inside, partly outside at the edges
    assert set(cut.unique().tolist()) == {0.5, 1.0}


def test_colour_moves_brightness_and_contrast_and_gradients_flow():
    images = torch.rand(8, 3, 12, 12, requires_grad=True)
    changed = augment.augment(images, "translation,cutout,colour", rng())
    assert not torch.allclose(changed.mean(dim=(1, 2, 3)), images.mean(dim=(1, 2, 3)))
    changed.sum().backward()
    assert images.grad is not None and images.grad.abs().sum() > 0  # the generator can learn


def test_the_discriminator_sees_augmented_real_and_generated_images():
    images, labels = data.load_mnist_5k()
    few = data.ImageData(torch.from_numpy(images[:64]).float().div(255).unsqueeze(1),
                         torch.from_numpy(labels[:64]), "64 digits")
    config = models.ConvGANConfig(width=4)  # augment "auto": on for 64 images
    trainer = Trainer(config, few, TrainConfig(batch_size=8, log_every=10), seed=0,
                      score_fn=False)
    assert trainer.augment_policy == ("colour", "translation", "cutout")
    seen = []
    trainer.discriminator.register_forward_hook(lambda _m, args, _o: seen.append(args[0]))
    trainer.step()
    real_seen, fake_seen, fake_for_g = seen
    # The real batch, as D saw it, is none of the training digits: each was changed.
    distances = torch.cdist(real_seen.flatten(1), few.images.flatten(1)).min(dim=1).values
    assert (distances > 1e-3).all()
    assert (fake_seen == 0.5).any() and fake_for_g.requires_grad  # cut out, and learnable
    off = Trainer(models.ConvGANConfig(width=4, augment="off"), few,
                  TrainConfig(batch_size=8), seed=0, score_fn=False)
    assert off.augment_policy == ()
