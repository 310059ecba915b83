"""The MNIST classifier, the digit scores and `artkit gan score`."""

import json
import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from artkit.cli import main  # noqa: E402
from artkit.errors import ArtkitError  # noqa: E402
from artkit.gan import classifier as clf  # noqa: E402
from artkit.gan import metrics  # noqa: E402

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def mnist():
    from artkit.gan.data import load_mnist_5k

    images, labels = load_mnist_5k()
    return images.astype(np.float32) / 255, labels


@pytest.fixture(scope="module")
def held_out():
    """Indices of the 1000 digits (100 per class) the classifier never trained on."""
    note = json.loads(clf.info_path(clf.WEIGHTS_PATH).read_text())
    return np.asarray(note["held_out_indices"])


@pytest.fixture(scope="module")
def held_out_scores(mnist, held_out):
    images, _ = mnist
    return metrics.digit_scores(images[held_out])


def test_weights_are_small_and_load_safely():
    assert clf.WEIGHTS_PATH.stat().st_size < 1_000_000
    state = torch.load(clf.WEIGHTS_PATH, weights_only=True)  # plain tensors only
    assert "widths" in state
    model = metrics.classifier()
    assert not model.training
    assert model.embed(torch.zeros(2, 1, 28, 28)).shape == (2, clf.FEATURE_DIM)


def test_note_records_split_seed_and_accuracy(held_out):
    note = json.loads(clf.info_path(clf.WEIGHTS_PATH).read_text())
    assert note["seed"] == 0 and len(held_out) == 1000 == len(set(held_out.tolist()))
    assert note["held_out_accuracy"] >= 0.98
    assert note["weights_sha256"] == clf.file_sha256(clf.WEIGHTS_PATH)
    # The split is reproducible from the seed alone.
    from artkit.gan.data import load_mnist_5k

    _, labels = load_mnist_5k()
    train, held = clf.held_out_split(labels, seed=note["seed"])
    assert np.array_equal(held, held_out) and len(train) == 4000
    assert np.bincount(labels[held], minlength=10).tolist() == [100] * 10


def test_classifier_is_at_least_98_percent_right_on_held_out_digits(mnist, held_out):
    images, labels = mnist
    probs, _ = metrics.classify(images[held_out])
    assert (probs.argmax(1) == labels[held_out]).mean() >= 0.98


def test_real_statistics_ship_with_the_weights():
    with np.load(clf.stats_path(clf.WEIGHTS_PATH)) as stats:
        assert str(stats["weights_sha256"]) == clf.file_sha256(clf.WEIGHTS_PATH)
    mean, cov = metrics.real_statistics()
    assert mean.shape == (clf.FEATURE_DIM,) and cov.shape == (clf.FEATURE_DIM,) * 2
    assert np.allclose(cov, cov.T)


def test_real_statistics_are_recomputed_when_the_shipped_ones_are_missing(monkeypatch, tmp_path):
    shipped_mean, shipped_cov = metrics.real_statistics()
    monkeypatch.setattr(clf, "stats_path", lambda weights: tmp_path / "missing.npz")
    metrics.real_statistics.cache_clear()
    try:
        mean, cov = metrics.real_statistics()
    finally:
        metrics.real_statistics.cache_clear()
    assert np.allclose(mean, shipped_mean, atol=1e-4) and np.allclose(cov, shipped_cov, atol=1e-4)


def test_real_digits_score_well(held_out_scores):
    scores = held_out_scores
    assert set(scores) == set(metrics.SCORE_KEYS)
    assert scores["classes_covered"] == 10
    assert scores["kl"] < 0.01
    assert sum(scores["class_histogram"]) == 1000
    assert scores["inception_score"] > 8.5


def test_one_repeated_digit_scores_badly(mnist, held_out_scores):
    images, _ = mnist
    scores = metrics.digit_scores(np.repeat(images[:1], 200, axis=0))
    assert scores["classes_covered"] == 1
    assert scores["kl"] == pytest.approx(math.log(10), abs=1e-9)
    assert scores["inception_score"] == pytest.approx(1.0, abs=1e-6)
    assert scores["fid"] > 50 * max(held_out_scores["fid"], 0.01)


def test_one_class_of_real_digits_covers_one_class(mnist):
    images, labels = mnist
    scores = metrics.digit_scores(torch.from_numpy(images[labels == 7][:200]).unsqueeze(1))
    assert scores["classes_covered"] == 1
    assert scores["kl"] > 2.2
    assert scores["inception_score"] < 1.3


def test_inception_score_stays_between_1_and_10(mnist, held_out):
    images, _ = mnist
    rng = np.random.default_rng(0)
    for batch in (images[held_out[::5]], rng.random((100, 28, 28)), np.zeros((50, 28, 28))):
        assert 1.0 - 1e-9 <= metrics.digit_scores(batch)["inception_score"] <= 10.0
    assert metrics.inception_score(np.full((7, 10), 0.1)) == pytest.approx(1.0)
    assert metrics.inception_score(np.eye(10)) == pytest.approx(10.0)


def test_noisy_digits_keep_their_classes(mnist, held_out):
    # Early GAN samples are speckled; the judge must still see the digit, not one class.
    images, labels = mnist
    rng = np.random.default_rng(1)
    noisy = np.clip(images[held_out] + rng.normal(0, 0.2, (1000, 28, 28)), 0, 1)
    probs, _ = metrics.classify(noisy)
    assert (probs.argmax(1) == labels[held_out]).mean() > 0.9


def test_frechet_distance_matches_scipy_and_simple_cases():
    scipy_linalg = pytest.importorskip("scipy.linalg")
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(300, 8)), rng.normal(size=(300, 8)) @ rng.normal(size=(8, 8)) + 1
    m1, c1, m2, c2 = a.mean(0), np.cov(a, rowvar=False), b.mean(0), np.cov(b, rowvar=False)
    reference = (np.sum((m1 - m2) ** 2) + np.trace(c1 + c2)
                 - 2 * np.trace(scipy_linalg.sqrtm(c1 @ c2).real))
    assert metrics.frechet_distance(m1, c1, m2, c2) == pytest.approx(reference, rel=1e-6)
    assert metrics.frechet_distance(m1, c1, m1, c1) == pytest.approx(0.0, abs=1e-9)
    assert metrics.frechet_distance(m1, c1, m1 + 2, c1) == pytest.approx(4 * 8, rel=1e-9)
    # A singular covariance (fewer samples than features) still gives a finite, real answer.
    few = rng.normal(size=(3, 8))
    assert math.isfinite(metrics.frechet_distance(few.mean(0), np.cov(few, rowvar=False), m1, c1))


def test_kl_to_uniform():
    assert metrics.kl_to_uniform([5] * 10) == pytest.approx(0.0)
    assert metrics.kl_to_uniform([0, 0, 9, 0, 0, 0, 0, 0, 0, 0]) == pytest.approx(math.log(10))
    assert metrics.kl_to_uniform([1, 1, 0, 0, 0, 0, 0, 0, 0, 0]) == pytest.approx(math.log(5))


@pytest.mark.parametrize("bad, words", [
    (np.zeros((4, 32, 32)), "28x28"),
    (np.zeros((4, 3, 28, 28)), "28x28"),
    (np.zeros((1, 28, 28)), "at least 2"),
    (np.full((4, 28, 28), 255.0), "0 to 1"),
    (np.full((4, 28, 28), np.nan), "NaN"),
])
def test_bad_images_are_refused_with_a_sentence(bad, words):
    with pytest.raises(ArtkitError, match=words):
        metrics.digit_scores(bad)


@pytest.fixture(scope="module")
def tiny_checkpoints(tmp_path_factory):
    """A digit checkpoint and a face checkpoint, written without training."""
    from artkit.gan import checkpoint as ckpt
    from artkit.gan import models

    folder = tmp_path_factory.mktemp("ckpt")
    torch.manual_seed(0)
    digits = models.model_config("mlp")
    ckpt.save_checkpoint(folder / "digits.pt", model_name="mlp", config=digits,
                         generator=models.build_generator(digits), step=3, images_seen=192)
    faces = models.model_config("conv-faces")
    ckpt.save_checkpoint(folder / "faces.pt", model_name="conv-faces", config=faces,
                         generator=models.build_generator(faces))
    return folder


def test_score_command_prints_the_four_scores(tiny_checkpoints, capsys):
    assert main(["gan", "score", str(tiny_checkpoints / "digits.pt"), "--n", "100", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    for words in ("mlp generator after 3 steps", "classes covered", "KL to uniform",
                  "Frechet distance", "inception score", "among 100 samples"):
        assert words in out
    scores = metrics.score_checkpoint(tiny_checkpoints / "digits.pt", n=100, seed=3)
    assert scores == metrics.score_checkpoint(tiny_checkpoints / "digits.pt", n=100, seed=3)
    assert 0 <= scores["classes_covered"] <= 10


def test_score_command_refuses_a_face_checkpoint(tiny_checkpoints, capsys):
    assert main(["gan", "score", str(tiny_checkpoints / "faces.pt")]) == 2
    err = capsys.readouterr().err
    assert "faces" in err and "digit generators only" in err and "Traceback" not in err


def test_score_command_refuses_a_missing_file_and_tiny_n(tmp_path, capsys):
    assert main(["gan", "score", str(tmp_path / "nope.pt")]) == 2
    assert main(["gan", "score", str(tmp_path / "nope.pt"), "--n", "3"]) == 2
    err = capsys.readouterr().err
    assert "cannot find the checkpoint" in err and "--n must be at least 10" in err
