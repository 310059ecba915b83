"""Part I: the one-parameter GAN with hand-derived gradients (numpy only, fast)."""

import numpy as np
import pytest
from PIL import Image

from artkit.errors import ArtkitError
from artkit.gan import part1


def test_generator_rises_to_the_true_value():
    history = part1.train_part1(steps=400, lr=0.2, seed=0)
    g = history["g"]
    assert abs(history["g_start"]) < 0.3  # starts near 0 ...
    assert g[:150].max() > 1.0  # ... climbs past the true value once ...
    assert abs(g[-1] - 1.0) < 1e-3  # ... and ends on it
    assert np.all(np.isfinite(g))


def test_discriminator_swings_back_and_forth_then_cannot_tell():
    history = part1.train_part1(steps=400, lr=0.2, seed=0)
    w = history["d_weight"]
    assert w.max() > 0.3 and w.min() < -0.05  # leans "bigger is real", then the other way
    assert part1.sign_changes(w) >= 2
    # where it ends: the same verdict for real and fake, 0.5 each
    assert history["d_real"][-1] == pytest.approx(0.5, abs=1e-3)
    assert history["d_fake"][-1] == pytest.approx(0.5, abs=1e-3)
    assert history["d_loss"][-1] == pytest.approx(0.5, abs=1e-3)  # MSE: 0.25 + 0.25


def test_without_friction_the_discriminator_never_settles():
    # True value 0 (the "Dirac GAN"): the real sample gives D no friction, so it keeps swinging.
    history = part1.train_part1(steps=1000, lr=0.2, seed=0, loss="bce", real=0.0, g_start=1.0,
                                w_start=0.0)
    w, g = history["d_weight"], history["g"]
    assert part1.sign_changes(w) >= 20
    assert np.abs(w[-200:]).max() > 0.15
    assert np.abs(g[-200:]).max() > 0.15


def test_too_big_a_step_leaves_the_discriminator_flipping_forever():
    history = part1.train_part1(steps=400, lr=5.0, seed=0)
    w = history["d_weight"][-100:]
    assert part1.sign_changes(w) == 99  # a new mind every single step
    assert np.abs(w).min() > 0.05
    assert abs(history["g"][-100:].mean() - 1.0) < 0.05


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("w, g", [(0.3, 0.2), (-0.7, 1.4), (1.5, -0.4)])
def test_hand_derived_gradients_match_finite_differences(loss, w, g):
    def d_real_loss(w_):
        d = part1.sigmoid(w_ * 1.0)
        return (d - 1) ** 2 if loss == "mse" else -np.log(d)

    def d_fake_loss(w_):
        d = part1.sigmoid(w_ * g)
        return d ** 2 if loss == "mse" else -np.log(1 - d)

    def g_loss(g_):
        d = part1.sigmoid(w * g_)
        return (d - 1) ** 2 if loss == "mse" else -np.log(d)

    h = 1e-6
    numeric = lambda f, x: (f(x + h) - f(x - h)) / (2 * h)
    grads = part1.gradients(w, g, loss)
    assert grads["real_w"] == pytest.approx(numeric(d_real_loss, w), abs=1e-7)
    assert grads["fake_w"] == pytest.approx(numeric(d_fake_loss, w), abs=1e-7)
    assert grads["g"] == pytest.approx(numeric(g_loss, g), abs=1e-7)


def test_bce_also_reaches_the_true_value():
    history = part1.train_part1(steps=400, lr=0.2, seed=3, loss="bce")
    assert abs(history["g"][-1] - 1.0) < 1e-3


def test_seeded_and_shaped():
    a = part1.train_part1(steps=50, lr=0.2, seed=7)
    b = part1.train_part1(steps=50, lr=0.2, seed=7)
    c = part1.train_part1(steps=50, lr=0.2, seed=8)
    for key in part1.HISTORY_KEYS:
        assert a[key].shape == (50,)
        np.testing.assert_array_equal(a[key], b[key])
    assert a["g_start"] != c["g_start"]
    np.testing.assert_array_equal(a["step"], np.arange(1, 51))


@pytest.mark.parametrize("kwargs", [{"steps": 0}, {"steps": 2.5}, {"lr": 0.0}, {"loss": "hinge"}])
def test_bad_settings_are_explained(kwargs):
    settings = {"steps": 10, "lr": 0.1, "seed": 0, **kwargs}
    with pytest.raises(ArtkitError):
        part1.train_part1(**settings)


def test_sign_changes_ignores_flicker_near_zero():
    assert part1.sign_changes([1.0, -1.0, 1.0]) == 2
    assert part1.sign_changes([1.0, 1e-9, -1e-9, 1e-9, 0.5]) == 0
    assert part1.sign_changes([]) == 0


def test_history_saves_without_pickle(tmp_path):
    history = part1.train_part1(steps=20, lr=0.2, seed=0)
    np.savez(tmp_path / "history.npz", **history)
    with np.load(tmp_path / "history.npz", allow_pickle=False) as saved:
        np.testing.assert_array_equal(saved["g"], history["g"])
        assert str(saved["loss"]) == "mse"


def test_plot_writes_a_png(tmp_path):
    history = part1.train_part1(steps=60, lr=0.2, seed=0)
    path = part1.plot_part1(history, tmp_path / "part1.png")
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.width > 500 and image.height > 500
