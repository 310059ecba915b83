"""The x*y game: update rules against their closed forms (numpy only, fast)."""

import argparse

import numpy as np
import pytest
from PIL import Image

from artkit.errors import ArtkitError
from artkit.gan import games

LRS = [0.05, 0.1, 0.3, 0.9]
STARTS = [(1.0, 0.0), (0.3, -2.0)]


@pytest.mark.parametrize("lr", LRS)
@pytest.mark.parametrize("start", STARTS)
def test_simultaneous_spirals_out_exactly_as_the_closed_form(lr, start):
    steps = 300
    radii = games.radius(games.simultaneous(lr, steps, start))
    r0 = np.hypot(*start)
    expected = games.simultaneous_radius(r0, lr, np.arange(steps + 1))
    np.testing.assert_allclose(radii, expected, rtol=1e-10)
    assert games.growth_factor("simultaneous", lr) == pytest.approx(np.sqrt(1 + lr * lr), rel=1e-12)


@pytest.mark.parametrize("lr", [0.1, 0.5, 1.5])
def test_alternating_stays_on_a_closed_ellipse(lr):
    start = (1.0, 0.0)
    path = games.alternating(lr, 5000, start)
    invariant = games.alternating_invariant(path, lr)
    np.testing.assert_allclose(invariant, invariant[0], rtol=1e-9)
    radii = games.radius(path)
    r0 = 1.0
    assert radii.max() <= r0 / np.sqrt(1 - lr / 2) + 1e-9
    assert radii.min() >= r0 / np.sqrt(1 + lr / 2) - 1e-9
    assert games.growth_factor("alternating", lr) == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize("lr", [0.1, 0.3, 0.9])
def test_extragradient_shrinks_as_its_closed_form(lr):
    steps = 200
    radii = games.radius(games.extragradient(lr, steps))
    expected = (1 - lr ** 2 + lr ** 4) ** (np.arange(steps + 1) / 2)
    np.testing.assert_allclose(radii, expected, rtol=1e-10)
    assert radii[-1] < radii[0]


@pytest.mark.parametrize("lr, gamma", [(0.1, 0.2), (0.3, 1.0), (0.05, 0.5)])
def test_consensus_shrinks_as_its_closed_form(lr, gamma):
    steps = 200
    radii = games.radius(games.consensus(lr, steps, gamma=gamma))
    expected = ((1 - lr * gamma) ** 2 + lr ** 2) ** (np.arange(steps + 1) / 2)
    np.testing.assert_allclose(radii, expected, rtol=1e-10)
    assert radii[-1] < radii[0]


def test_consensus_with_gamma_equal_to_lr_is_extragradient():
    np.testing.assert_allclose(games.consensus(0.2, 100, gamma=0.2), games.extragradient(0.2, 100),
                               rtol=1e-12)


@pytest.mark.parametrize("lr", [0.05, 0.1, 0.3])
def test_optimistic_shrinks_at_its_spectral_rate(lr):
    steps = max(400, int(4 / lr ** 2))  # it shrinks by about lr^2 / 2 per step
    radii = games.radius(games.optimistic(lr, steps))
    factor = games.growth_factor("optimistic", lr)
    assert factor < 1
    assert radii[-1] < 0.5 * radii[0]
    # only its first step (a plain one: no previous gradient yet) moves outwards
    assert radii.max() == pytest.approx(np.sqrt(1 + lr * lr), rel=1e-12)
    # the measured long-run rate is the spectral radius of the 4x4 update matrix
    measured = (radii[-1] / radii[steps // 2]) ** (1 / (steps - steps // 2))
    assert measured == pytest.approx(factor, rel=2e-3)


def test_continuous_time_is_a_circle():
    path = games.continuous(0.1, 700, (0.6, 0.8))
    np.testing.assert_allclose(games.radius(path), 1.0, rtol=1e-12)
    # and the simultaneous steps follow it for a short while: same direction of travel
    steps = games.simultaneous(0.001, 100, (0.6, 0.8))
    np.testing.assert_allclose(steps, games.continuous(0.001, 100, (0.6, 0.8)), atol=1e-4)


def test_step_matrices_agree_with_the_steppers():
    rng = np.random.default_rng(0)
    for method in ("simultaneous", "alternating", "extragradient", "consensus"):
        matrix = games.update_matrix(method, 0.3, 0.4)
        start = rng.normal(size=2)
        run = games.play(method, 0.3, 5, tuple(start), gamma=0.4)
        np.testing.assert_allclose(run.path[-1], np.linalg.matrix_power(matrix, 5) @ start,
                                   rtol=1e-12)


def test_run_all_and_the_table():
    runs = games.run_all(lr=0.1, steps=500)
    assert list(runs) == ["simultaneous", "alternating", "extragradient", "optimistic", "consensus"]
    assert runs["simultaneous"].verdict == "spirals out"
    assert runs["alternating"].verdict == "orbits, bounded"
    for name in ("extragradient", "optimistic", "consensus"):
        assert runs[name].verdict == "spirals in"
        assert runs[name].final_radius < 0.1
    table = games.radius_table(runs, 0.1, 500)
    assert "12.0322" in table  # (1.01)^250
    for run in runs.values():
        assert run.label in table


def test_bad_settings_are_explained():
    with pytest.raises(ArtkitError):
        games.simultaneous(0.0, 10)
    with pytest.raises(ArtkitError):
        games.simultaneous(0.1, 0)
    with pytest.raises(ArtkitError):
        games.play("gradient-flow", 0.1, 10)
    with pytest.raises(ArtkitError, match="infinity"):
        games.play("simultaneous", 1.9, 5000)


def _cli():
    from artkit.commands import gan_theory

    parser = argparse.ArgumentParser()
    gan_theory.register(parser.add_subparsers())
    return parser


def test_xy_command_writes_figures_and_prints_radii(tmp_path, capsys):
    args = _cli().parse_args(["xy", "--lr", "0.2", "--steps", "120", "--out", str(tmp_path)])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "Simultaneous" in out and "Extragradient" in out and "Consensus" in out
    for name in ("xy_simultaneous.png", "xy_fixes.png"):
        with Image.open(tmp_path / name) as image:
            assert image.width > 800


def test_xy_command_rejects_bad_numbers(tmp_path):
    args = _cli().parse_args(["xy", "--lr", "3", "--out", str(tmp_path)])
    with pytest.raises(ArtkitError):
        args.func(args)
