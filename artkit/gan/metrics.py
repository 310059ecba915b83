"""How good are a GAN's digits? Scores from artkit's small MNIST classifier.

`digit_scores(images)` judges N generated 28×28 digits (values 0..1) four ways:

- **classes covered** (0..10): a digit class counts as covered when at least
  `max(1, ceil(2 % of N))` samples are classified as that digit *confidently* (classifier
  probability ≥ 0.5). Blurry in-between blobs therefore cover nothing, and one stray lucky
  sample does not count as covering a class when N is large. A mode-collapsed GAN covers 1.
- **kl**: KL(class histogram ‖ uniform) in nats, from every sample's most likely class.
  0 means all ten digits equally often; log 10 ≈ 2.303 means a single digit.
- **fid**: the Fréchet distance between Gaussians fitted to the classifier's 64 penultimate
  features of the samples and of the 5000 real bundled digits (the "FID" recipe, with the
  MNIST classifier in place of Inception). Lower is better; real digits score ≈ 0 up to
  sampling noise, which grows as N shrinks, so compare scores at the same N (default 1000).
- **inception_score**: exp(E_x KL(p(y|x) ‖ p(y))) with the same classifier, 1..10. Ten
  digits, each drawn clearly, score near 10; one repeated digit scores 1.

The matrix square root inside the Fréchet distance uses numpy's symmetric eigen-decomposition
(no scipy): Tr sqrt(Σ1 Σ2) equals the sum of square roots of the eigenvalues of the symmetric
matrix √Σ1 Σ2 √Σ1, which stays real and stable even when Σ1 is singular (N < 64 samples).

The real-digit feature statistics ship beside the classifier weights (computed once by
`python -m artkit.gan.classifier`); they are recomputed from the bundled data only if the
weights changed without them.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

import numpy as np
import torch

from artkit.errors import ArtkitError
from artkit.gan import classifier as _clf

CONFIDENT = 0.5      # a sample counts towards "covered" when the classifier is this sure
MIN_SHARE = 0.02     # ... and a class is covered when such samples are at least 2 % of N
SCORE_KEYS = ("classes_covered", "kl", "fid", "inception_score", "class_histogram")


@functools.lru_cache(maxsize=4)
def classifier(device: str = "cpu") -> _clf.DigitClassifier:
    """The committed MNIST classifier (weights/mnist_classifier.pt) in eval mode, cached."""
    if not _clf.WEIGHTS_PATH.exists():
        raise ArtkitError(
            "the digit classifier's weights are missing; reinstall artkit or run "
            "`python -m artkit.gan.classifier` to train them.")
    return _clf.load_classifier(_clf.WEIGHTS_PATH, device=device)


@functools.lru_cache(maxsize=1)
def real_statistics() -> tuple[np.ndarray, np.ndarray]:
    """(mean (64,), covariance (64, 64)) of the classifier features of the 5000 real digits."""
    path = _clf.stats_path(_clf.WEIGHTS_PATH)
    if path.exists():
        with np.load(path) as stats:
            if str(stats["weights_sha256"]) == _clf.file_sha256(_clf.WEIGHTS_PATH):
                return stats["mean"], stats["cov"]
    from artkit.gan.data import load_mnist_5k

    images, _ = load_mnist_5k()
    real = torch.from_numpy(images.astype(np.float32) / 255).unsqueeze(1)
    return _clf.real_feature_stats(classifier(), real)


def frechet_distance(mean1, cov1, mean2, cov2) -> float:
    """‖μ1 − μ2‖² + Tr(Σ1 + Σ2 − 2 (Σ1 Σ2)^½) between two Gaussians, numpy only."""
    mean1, mean2 = np.asarray(mean1, np.float64), np.asarray(mean2, np.float64)
    cov1, cov2 = np.asarray(cov1, np.float64), np.asarray(cov2, np.float64)
    sqrt1 = _sqrt_psd(cov1)
    middle = sqrt1 @ cov2 @ sqrt1
    eigenvalues = np.linalg.eigvalsh((middle + middle.T) / 2)
    trace_sqrt = np.sqrt(np.clip(eigenvalues, 0, None)).sum()
    diff = mean1 - mean2
    distance = diff @ diff + np.trace(cov1) + np.trace(cov2) - 2 * trace_sqrt
    return float(max(distance, 0.0))  # rounding can leave -1e-13 for identical Gaussians


def _sqrt_psd(matrix: np.ndarray) -> np.ndarray:
    """Square root of a symmetric positive semi-definite matrix (tiny negative eigenvalues → 0)."""
    eigenvalues, vectors = np.linalg.eigh((matrix + matrix.T) / 2)
    return (vectors * np.sqrt(np.clip(eigenvalues, 0, None))) @ vectors.T


def as_digit_batch(images) -> torch.Tensor:
    """Check and convert images (N, 28, 28) or (N, 1, 28, 28), numpy or torch, 0..1 → float tensor."""
    if isinstance(images, np.ndarray):
        images = torch.from_numpy(np.ascontiguousarray(images))
    elif not isinstance(images, torch.Tensor):
        images = torch.as_tensor(np.asarray(images))
    images = images.detach().float()
    if images.ndim == 3:
        images = images.unsqueeze(1)
    if images.ndim != 4 or tuple(images.shape[1:]) != (1, 28, 28):
        raise ArtkitError(
            f"digit scores need 28x28 grey images shaped (N, 28, 28); got shape {tuple(images.shape)}.")
    if images.shape[0] < 2:
        raise ArtkitError("digit scores need at least 2 images; draw more samples.")
    if not torch.isfinite(images).all():
        raise ArtkitError("the images contain NaN or infinite values; the generator has broken down.")
    low, high = float(images.min()), float(images.max())
    if low < -0.01 or high > 1.01:
        raise ArtkitError(f"digit images must hold values from 0 to 1; these run from {low:.2f} to {high:.2f}.")
    return images.clamp(0, 1)


def classify(images) -> tuple[np.ndarray, np.ndarray]:
    """(class probabilities (N, 10), penultimate features (N, 64)) as numpy float64."""
    batch = as_digit_batch(images)
    device = str(batch.device)
    probs, features = _clf.predict(classifier(device), batch)
    return probs.double().numpy(), features.double().numpy()


def digit_scores(images, asked=None) -> dict:
    """Scores for generated digits (N, 28, 28) in 0..1 (numpy or torch; (N, 1, 28, 28) works too).

    Returns {"classes_covered": int 0..10, "kl": float nats (0 even … log 10 one digit),
    "fid": float (lower is better), "inception_score": float 1..10,
    "class_histogram": list of 10 ints (samples whose most likely class is each digit)}, and
    with `asked` (N,), the digits a conditional generator was asked for, "asked_drawn": the
    share of samples the classifier reads as the digit asked for.
    """
    probs, features = classify(images)
    n = probs.shape[0]
    predicted = probs.argmax(axis=1)
    histogram = np.bincount(predicted, minlength=10)
    confident = np.bincount(predicted[probs.max(axis=1) >= CONFIDENT], minlength=10)
    needed = max(1, math.ceil(MIN_SHARE * n))
    real_mean, real_cov = real_statistics()
    asked_drawn = {} if asked is None else {
        "asked_drawn": float(np.mean(predicted == np.asarray(asked)))}
    return {
        "classes_covered": int((confident >= needed).sum()),
        "kl": kl_to_uniform(histogram),
        "fid": frechet_distance(features.mean(axis=0), np.cov(features, rowvar=False), real_mean, real_cov),
        "inception_score": inception_score(probs),
        "class_histogram": histogram.tolist(),
        **asked_drawn,
    }


LEGIBLE = 0.9  # the judge's confidence for a sample to count as a legible digit


def legibility(images, asked=None) -> dict:
    """How legible generated digits are to the judge (artkit's MNIST classifier):

    - "confidence": the judge's mean probability for the digit asked for (with `asked`, a
      conditional model's labels), else for the digit it reads;
    - "legible_kinds" (0..10): digits drawn legibly. With `asked`, a digit counts when at least
      half the samples asked for it are read as it with confidence >= 0.9; without, when at
      least 2 % of the samples are.
    """
    probs, _ = classify(images)
    n = probs.shape[0]
    read = probs.argmax(axis=1)
    sure = probs.max(axis=1) >= LEGIBLE
    if asked is None:
        counts = np.bincount(read[sure], minlength=10)
        return {"confidence": float(probs.max(axis=1).mean()),
                "legible_kinds": int((counts >= max(1, math.ceil(MIN_SHARE * n))).sum())}
    asked = np.asarray(asked)
    right = (read == asked) & sure
    kinds = sum(1 for digit in range(10)
                if (asked == digit).any() and right[asked == digit].mean() >= 0.5)
    return {"confidence": float(probs[np.arange(n), asked].mean()), "legible_kinds": kinds}


def kl_to_uniform(histogram) -> float:
    """KL(p ‖ uniform over the bins) in nats for a histogram of counts; 0·log 0 counts as 0."""
    counts = np.asarray(histogram, np.float64)
    p = counts / counts.sum()
    nonzero = p > 0
    return float(np.sum(p[nonzero] * np.log(p[nonzero] * len(p))))


def inception_score(probs: np.ndarray) -> float:
    """exp(mean over samples of KL(p(y|x) ‖ p(y))) for class probabilities (N, classes)."""
    probs = np.clip(np.asarray(probs, np.float64), 1e-12, 1.0)
    marginal = probs.mean(axis=0, keepdims=True)
    return float(np.exp(np.mean(np.sum(probs * (np.log(probs) - np.log(marginal)), axis=1))))


def format_scores(scores: dict, n: int | None = None) -> str:
    """A few lines of plain text for a scores dict from `digit_scores`."""
    drawn = f" among {n} samples" if n else ""
    histogram = " ".join(f"{digit}:{count}" for digit, count in enumerate(scores["class_histogram"]))
    asked = ([f"digit asked for   {scores['asked_drawn']:.1%} of samples read as the digit "
              "they were asked for"] if "asked_drawn" in scores else [])
    return "\n".join([
        f"classes covered   {scores['classes_covered']:d} of 10{drawn}",
        f"KL to uniform     {scores['kl']:.3f}  (0 = every digit equally often, 2.303 = one digit)",
        f"Frechet distance  {scores['fid']:.2f}  (lower is better; real digits score near 0)",
        f"inception score   {scores['inception_score']:.2f}  (1 to 10, higher is better)",
        f"digits drawn      {histogram}",
        *asked,
    ])


def score_checkpoint(path, n: int = 1000, seed: int = 0, device=None) -> dict:
    """Draw n digits (latents seeded with `seed`) from a checkpoint's generator and score them.

    Returns `digit_scores`' dict plus "model_name", "step" and "images_seen" from the
    checkpoint. A checkpoint whose model does not make 28×28 digits is an ArtkitError.
    """
    from artkit.gan import checkpoint as ckpt
    from artkit.gan import models
    from artkit.gan.device import pick_device
    from artkit.gan.sample import sample_images

    saved = ckpt.load_checkpoint(path)
    config = models.config_from_dict(saved["config"])
    kind = models.data_kind(config)
    if kind != "digits":
        made = {"faces": "faces", "pattern": "the 1010 pattern", "none": "no images"}.get(kind, kind)
        raise ArtkitError(f"{Path(path).name} holds a {saved['model_name']} model that makes "
                          f"{made}, and `artkit gan score` judges digit generators only "
                          "(the mlp and conv models trained on digits).")
    generator, info = ckpt.load_generator(path, device=pick_device(device))
    if tuple(generator.image_shape) != (1, 28, 28):
        c, h, w = generator.image_shape
        raise ArtkitError(f"{Path(path).name} makes {c}×{h}×{w} images, and `artkit gan score` "
                          "judges 28×28 grey digits only.")
    # A conditional generator draws each digit in turn (`sample_images`), checked on each.
    asked = generator.labels_in_turn(n) if getattr(config, "classes", 0) else None
    scores = digit_scores(sample_images(generator, n, seed=seed), asked)
    scores.update(model_name=info["model_name"], step=info["step"], images_seen=info["images_seen"])
    return scores
