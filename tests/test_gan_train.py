"""The GAN trainer: learning, repeatability, exact resume, the thread interface, the CLI."""

import queue

import numpy as np
import pytest
import torch

from artkit import cli
from artkit.errors import ArtkitError
from artkit.gan import checkpoint, data, models
from artkit.gan.train import (AVERAGE_STATISTICS_LATENTS, DoneEvent, LossEvent, SamplesEvent,
                               ScoreEvent, TrainConfig, Trainer)


@pytest.fixture(autouse=True)
def one_thread(monkeypatch):
    torch.set_num_threads(1)
    monkeypatch.setenv("ARTKIT_OFFLINE", "1")


@pytest.fixture(scope="module")
def few_digits():
    images, labels = data.load_mnist_5k()
    picked = np.arange(0, 5000, 20)  # 250 digits, 25 of each class
    return data.ImageData(torch.from_numpy(images[picked]).float().div(255).unsqueeze(1),
                          torch.from_numpy(labels[picked]), "250 digits")


def quiet(**settings):
    """A TrainConfig that only does what a test asks for (no clock-driven work)."""
    base = dict(sample_every=10**9, score_every=10**9, log_every=5, n_samples=4, n_score=50)
    return TrainConfig(**{**base, **settings})


def weights(trainer):
    averaged = trainer.averaged.state_dict() if trainer.averaged is not None else {}
    return {**{f"G.{k}": v for k, v in trainer.generator.state_dict().items()},
            **{f"D.{k}": v for k, v in trainer.discriminator.state_dict().items()},
            **{f"average.{k}": v for k, v in averaged.items()}}


def no_scores(_images):
    return {}


def test_the_1010_gan_learns_the_pattern():
    # The book's networks, loss and optimiser; a larger rate and small batches keep it quick.
    trainer = Trainer(models.PatternGANConfig(lr=0.5), data.PatternData(),
                      quiet(batch_size=16), seed=0)
    trainer.run(steps=600)
    output = trainer.generator.generate(torch.full((1, 1), 0.5)).flatten()
    assert torch.allclose(output, torch.tensor([1.0, 0.0, 1.0, 0.0]), atol=0.1), output


def test_a_few_discriminator_steps_tell_real_digits_from_noise(few_digits):
    torch.manual_seed(0)
    gan = models.build_gan(models.model_config("mlp"))
    real, noise = few_digits.images[:64], torch.rand(64, 1, 28, 28)
    ones, zeros = torch.ones(64, 1), torch.zeros(64, 1)

    def loss():
        return gan.loss_fn(gan.discriminator(real), ones) + gan.loss_fn(gan.discriminator(noise), zeros)

    before = loss().item()
    for _ in range(20):
        gan.d_optimizer.zero_grad()
        loss().backward()
        gan.d_optimizer.step()
    assert loss().item() < 0.5 * before


def test_the_discriminator_still_learns_after_the_generators_step(few_digits):
    # The generator's step switches D's gradients off for speed; they must come back on.
    trainer = Trainer(models.ConvGANConfig(width=4), few_digits, quiet(batch_size=16), seed=0,
                      score_fn=no_scores)
    trainer.step()
    assert all(p.requires_grad for p in trainer.discriminator.parameters())
    before = [p.clone() for p in trainer.discriminator.parameters()]
    trainer.step()
    assert all(not torch.equal(a, b) for a, b in zip(before, trainer.discriminator.parameters()))


def test_same_seed_same_weights_other_seed_different(few_digits):
    config = models.model_config("mlp", hidden=16)
    runs = []
    for seed in (3, 3, 4):
        trainer = Trainer(config, few_digits, quiet(batch_size=8), seed=seed, score_fn=no_scores)
        trainer.run(steps=12)
        runs.append(weights(trainer))
    assert all(torch.equal(runs[0][k], runs[1][k]) for k in runs[0])
    assert not all(torch.equal(runs[0][k], runs[2][k]) for k in runs[0])


@pytest.mark.parametrize("config", [models.model_config("mlp", hidden=16),
                                    models.ConvGANConfig(width=4),  # with a weight average
                                    models.ConvGANConfig(width=4, d_batchnorm=True, ema=0.0)])
def test_resuming_continues_exactly_as_if_never_stopped(tmp_path, few_digits, config):
    settings = quiet(batch_size=16)  # 250 digits: epochs end mid-run and the order is redrawn
    straight = Trainer(config, few_digits, settings, seed=1, score_fn=no_scores)
    straight.run(steps=24)

    first = Trainer(config, few_digits, settings, seed=1, score_fn=no_scores)
    first.run(steps=11)
    first.save_checkpoint(tmp_path / "half.pt")
    np.random.rand(5), torch.rand(5)  # disturb the global RNGs: the checkpoint must restore them
    second = Trainer(config, few_digits, settings, seed=99, score_fn=no_scores)
    second.restore(tmp_path / "half.pt")
    second.run(steps=24)

    assert second.step_count == straight.step_count == 24
    assert second.images_seen == straight.images_seen
    expected, got = weights(straight), weights(second)
    assert all(torch.equal(expected[k], got[k]) for k in expected)
    assert torch.equal(second.fixed_latents, straight.fixed_latents)  # the run's seed, not 99


def test_the_averaged_generator_samples_and_is_saved(tmp_path, few_digits):
    trainer = Trainer(models.ConvGANConfig(width=4), few_digits, quiet(batch_size=16), seed=2,
                      score_fn=no_scores)
    trainer.run(steps=30)
    average, trained = trainer.averaged.state_dict(), trainer.generator.state_dict()
    assert trainer.sampler is trainer.averaged
    weight = "project.0.weight"
    assert not torch.equal(average[weight], trained[weight])

    path = trainer.save_checkpoint(tmp_path / "last.pt")
    generator, _ = checkpoint.load_generator(path)
    assert torch.equal(generator.state_dict()[weight], average[weight])
    fresh = Trainer(models.ConvGANConfig(width=4), few_digits, quiet(batch_size=16), seed=2,
                    score_fn=no_scores)
    fresh.restore(path)
    assert torch.equal(fresh.generator.state_dict()[weight], trained[weight])


def test_the_average_measures_its_own_batchnorm_statistics(few_digits):
    trainer = Trainer(models.ConvGANConfig(width=4), few_digits, quiet(batch_size=16), seed=2,
                      score_fn=no_scores)
    trainer.run(steps=30)
    latents = trainer.generator.sample_latent(AVERAGE_STATISTICS_LATENTS,
                                              torch.Generator().manual_seed(trainer.seed + 3))
    with torch.no_grad():
        projected = trainer.averaged.project[0](latents)  # what the average's BatchNorm sees
    statistics = trainer.sampler.project[1]
    assert torch.allclose(statistics.running_mean, projected.mean(0), atol=1e-5)
    assert torch.allclose(statistics.running_var, projected.var(0), rtol=0.05)
    assert not torch.allclose(trainer.generator.project[1].running_mean, projected.mean(0),
                              atol=1e-3)  # the trained generator's statistics are not the average's

    statistics.running_mean.zero_()
    assert trainer.sampler.project[1].running_mean.abs().sum() == 0  # same step: kept
    trainer.step()
    assert trainer.sampler.project[1].running_mean.abs().sum() > 0  # after a step: measured again


def test_the_average_moves_a_tenth_of_the_way_at_first_then_by_one_minus_ema(few_digits):
    trainer = Trainer(models.ConvGANConfig(width=4), few_digits, quiet(batch_size=16), seed=2,
                      score_fn=no_scores)
    weight = "project.0.weight"
    start = trainer.averaged.state_dict()[weight].clone()
    trainer.step()  # step 0: decay (1 + 0) / (10 + 0) = 0.1, so 90 % of the way to G
    trained = trainer.generator.state_dict()[weight]
    assert torch.allclose(trainer.averaged.state_dict()[weight], 0.1 * start + 0.9 * trained)

    trainer.step_count = 100_000  # long after the warm-up the decay is the model's ema
    before = trainer.averaged.state_dict()[weight].clone()
    trainer.step()
    trained = trainer.generator.state_dict()[weight]
    assert torch.allclose(trainer.averaged.state_dict()[weight], 0.999 * before + 0.001 * trained)


def test_conv_checkpoints_from_before_the_new_settings_still_load():
    saved = models.config_to_dict(models.ConvGANConfig())
    del saved["d_batchnorm"], saved["ema"], saved["reuse_fakes"]
    config = models.config_from_dict(saved)
    assert config.d_batchnorm is True and config.ema == 0.0 and config.reuse_fakes is False


@pytest.mark.parametrize("config, generator_passes", [
    # reuse_fakes: G learns from the batch D just judged (unaugmented here, to compare them)
    (models.ConvGANConfig(width=4, augment="off"), 1),
    (models.model_config("mlp", hidden=16), 2)])  # the book: a fresh batch for G's step
def test_the_generators_step_learns_from_the_fakes_the_discriminator_judged(
        few_digits, config, generator_passes):
    trainer = Trainer(config, few_digits, quiet(batch_size=8), seed=0, score_fn=no_scores)
    judged, passes = [], []
    trainer.discriminator.register_forward_hook(lambda _m, args, _out: judged.append(args[0]))
    trainer.generator.register_forward_hook(lambda *_: passes.append(1))
    trainer.step()
    _real, fake_for_d, fake_for_g = judged
    assert len(passes) == generator_passes
    assert fake_for_g.requires_grad and not fake_for_d.requires_grad
    assert torch.equal(fake_for_d, fake_for_g.detach()) == (generator_passes == 1)


def test_run_writes_grids_losses_and_keeps_the_best(tmp_path, few_digits):
    fids = iter([5.0, 2.0, 4.0, 3.0, 9.0])
    events = []
    trainer = Trainer(models.model_config("mlp", hidden=16), few_digits,
                      quiet(batch_size=8, sample_every=4, score_every=4, out_dir=str(tmp_path)),
                      seed=0, score_fn=lambda images: {"fid": next(fids), "n": len(images)},
                      on_event=events.append)
    result = trainer.run(steps=16)
    assert result.reason == "steps" and result.best_step == 8 and result.best_scores["fid"] == 2.0
    assert result.best_scores["n"] == 50
    assert [e.is_best for e in events if isinstance(e, ScoreEvent)] == [True, True, False, False]
    best = checkpoint.load_checkpoint(tmp_path / "best.pt")
    assert best["step"] == 8
    assert all(torch.equal(trainer.best_generator_state[k], best["generator"][k])
               for k in best["generator"])
    assert checkpoint.load_checkpoint(tmp_path / "last.pt")["step"] == 16
    grids = sorted(p.name for p in (tmp_path / "samples").iterdir())
    assert grids == ["step_000000.png", "step_000004.png", "step_000008.png",
                     "step_000012.png", "step_000016.png"]
    rows = (tmp_path / "losses.csv").read_text().splitlines()
    assert rows[0] == "step,images_seen,d_real,d_fake,g,images_per_s" and len(rows) == 1 + 16 // 5 + 1
    assert (tmp_path / "losses.png").stat().st_size > 5000
    samples = [e for e in events if isinstance(e, SamplesEvent)]
    assert samples[-1].images.shape == (4, 28, 28)
    assert isinstance(events[-1], DoneEvent) and events[-1].reason == "steps"


def test_thread_interface_pause_resume_and_clean_stop(tmp_path, few_digits):
    trainer = Trainer(models.model_config("mlp", hidden=16), few_digits,
                      quiet(batch_size=8, log_every=2, out_dir=str(tmp_path)), seed=0,
                      score_fn=no_scores)
    thread = trainer.start_thread(steps=10**9)

    def next_event(kind, timeout=30):
        while True:
            event = trainer.events.get(timeout=timeout)
            if isinstance(event, kind):
                return event

    assert isinstance(next_event(LossEvent), LossEvent)
    trainer.pause()
    paused_at = trainer.step_count
    for _ in range(50):  # drain what was sent before the pause took hold; then silence
        try:
            trainer.events.get(timeout=0.3)
        except queue.Empty:
            break
    else:
        pytest.fail("events kept coming while paused")
    assert trainer.step_count <= paused_at + 1 and trainer.paused
    trainer.resume()
    next_event(LossEvent)
    trainer.request_stop()
    done = next_event(DoneEvent)
    thread.join(timeout=30)
    assert not thread.is_alive() and done.reason == "stopped"
    assert checkpoint.load_checkpoint(tmp_path / "last.pt")["step"] == trainer.step_count


def test_data_that_do_not_fit_the_model_are_refused(few_digits):
    with pytest.raises(ArtkitError, match="makes 1×24×24 images"):
        Trainer("conv-faces", few_digits, quiet(), score_fn=no_scores)
    with pytest.raises(ArtkitError, match="steps, epochs or minutes"):
        Trainer("mlp", few_digits, quiet(), score_fn=no_scores).run()


def test_cli_train_sample_and_models(tmp_path, capsys):
    out = tmp_path / "pattern"
    assert cli.main(["gan", "train", "--model", "pattern", "--steps", "300", "--out", str(out)]) == 0
    assert {"best.pt", "last.pt", "losses.csv", "losses.png", "samples"} <= {p.name for p in out.iterdir()}
    assert "generator output" in capsys.readouterr().out

    grid, npy = tmp_path / "grid.png", tmp_path / "images.npy"
    assert cli.main(["gan", "sample", str(out / "best.pt"), "--n", "6", "--out", str(grid),
                     "--npy", str(npy)]) == 0
    assert grid.exists() and np.load(npy).shape == (6, 1, 4)

    assert cli.main(["gan", "models"]) == 0
    listing = capsys.readouterr().out
    assert all(name in listing for name in models.MODELS)

    assert cli.main(["gan", "train", "--model", "part1", "--steps", "50", "--out", str(tmp_path / "p1")]) == 0
    assert (tmp_path / "p1" / "part1.png").exists()


def test_cli_lr_sets_the_generators_rate_and_the_discriminator_keeps_its_ratio(tmp_path):
    out = tmp_path / "mlp"
    assert cli.main(["gan", "train", "--model", "mlp", "--data", "mnist5k", "--lr", "0.0006",
                     "--steps", "2", "--out", str(out)]) == 0
    saved = checkpoint.load_checkpoint(out / "last.pt")["config"]
    assert saved["lr"] == pytest.approx(0.0006) and saved["d_lr"] == pytest.approx(0.0002)


def test_cli_resume_and_friendly_errors(tmp_path, capsys):
    out = tmp_path / "conv"
    args = ["gan", "train", "--model", "conv-faces", "--size", "28", "--batch-size", "8",
            "--out", str(out)]
    assert cli.main(args + ["--steps", "2"]) == 0
    assert cli.main(["gan", "train", "--resume", str(out / "last.pt"), "--steps", "3",
                     "--batch-size", "8", "--out", str(out)]) == 0
    assert checkpoint.load_checkpoint(out / "last.pt")["step"] == 3
    capsys.readouterr()
    assert cli.main(["gan", "train", "--model", "mlp", "--resume", str(out / "last.pt"),
                     "--steps", "4", "--out", str(out)]) == 2
    assert "the model asked for is" in capsys.readouterr().err
    assert cli.main(["gan", "train", "--model", "nope"]) == 2
    assert "no model called 'nope'" in capsys.readouterr().err


def test_bf16_autocast_trains_and_keeps_the_weights_in_float32(few_digits):
    trainer = Trainer(models.ConvGANConfig(width=4, classes=10), few_digits,
                      quiet(batch_size=8, precision="bf16"), seed=0, score_fn=no_scores)
    losses = [trainer.step() for _ in range(3)]
    assert all(np.isfinite(losses).ravel())
    assert all(p.dtype == torch.float32 for p in trainer.generator.parameters())
    with pytest.raises(ArtkitError, match="unknown precision 'fp8'"):
        Trainer("mlp", few_digits, quiet(precision="fp8"), score_fn=no_scores)


def test_a_stop_request_ends_without_a_last_score_and_keeps_best_pt(tmp_path, few_digits):
    scored = []
    trainer = Trainer(models.model_config("mlp", hidden=16), few_digits,
                      quiet(batch_size=8, out_dir=str(tmp_path), plot=False), seed=0,
                      score_fn=lambda images: scored.append(1) or {"fid": 1.0})
    trainer.request_stop()  # before the run: it stops at once, quickly
    result = trainer.run(steps=100)
    assert result.reason == "stopped" and not scored
    assert (tmp_path / "best.pt").exists() and not (tmp_path / "losses.png").exists()
