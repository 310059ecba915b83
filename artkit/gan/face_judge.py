"""How face-like are a GAN's faces? A small judge trained on the bundled faces, offline.

scikit-image bundles 200 small grey pictures (`lfw_subset`, 25×25): the first 100 are faces
from Labeled Faces in the Wild, the other 100 are not faces. `judge()` is a small CNN (three
convolutions, about 15k parameters) trained to tell faces from those pictures and from random
smooth noise (a GAN's first blobs are no faces either); its 32 penultimate features are the
space the faces are compared in. Its weights ship beside the digit classifier's
(`weights/face_judge.pt`, made by `python -m artkit.gan.face_judge`, seeded); without them it
is trained when first needed. `face_scores(images)` then gives, for generated faces:

- **fid**: the Fréchet distance between Gaussians fitted to the judge's features of the
  samples and of the 100 real faces (the FID recipe with this judge in place of Inception);
  lower is better;
- **face_share**: the share of samples the judge calls faces (probability ≥ 0.5);
- **nn_ratio**: the median distance (pixels, 0..1, RMS) from each sample to its nearest
  training face, over the median distance from each training face to its nearest other one.
  Near 1, samples are as far from the training faces as those are from each other. (A blurry
  average face is near every face too, so this alone doesn't show copying; `copies` does.)
- **copies**: the share of samples that are copies of one training face: much nearer it than
  the next nearest (distance ratio below the lowest any real face has to the others, 0.80).
  Real faces (left out in turn) score 0, a training face with faint noise 1, an average face 0;
- **roughness**: how blotchy the samples are: their mean difference from a 3×3 blur of
  themselves, over the real faces' (1.0: as smooth as real faces; above, speckled). The judge
  averages such specks away, so the Fréchet distance barely sees them, but the eye does.

Images may be any size, grey or colour: they are turned grey and resized to the judge's
24×24 (the bundled faces with one row and column trimmed).
"""

from __future__ import annotations

import argparse
import functools
import math
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from artkit.errors import ArtkitError
from artkit.files import atomic_write
from artkit.gan import data as gan_data

SIDE = 24
FEATURES = 32
JUDGE_SEED = 0
JUDGE_STEPS = 600
JUDGE_BATCH = 64
HELD_OUT = 10  # faces and as many non-faces the judge never trains on (its accuracy)
WEIGHTS = Path(__file__).resolve().parent / "weights" / "face_judge.pt"


class FaceJudge(nn.Module):
    """24×24 grey pictures in 0..1 → logits (face, not a face); `embed` gives 32 features."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),        # (N, 16, 12, 12)
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),       # (N, 32, 6, 6)
            nn.Conv2d(32, FEATURES, 3, padding=1), nn.ReLU(),                  # (N, 32, 6, 6)
            nn.AdaptiveAvgPool2d(1), nn.Flatten())                             # (N, 32)
        self.head = nn.Linear(FEATURES, 2)

    def embed(self, images: torch.Tensor) -> torch.Tensor:
        return self.features(images - 0.5)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.head(self.embed(images))


@functools.lru_cache(maxsize=1)
def bundled_pictures() -> tuple[np.ndarray, np.ndarray]:
    """(faces (100, 24, 24), non-faces (100, 24, 24)), float32 in 0..1."""
    path = gan_data._package_file("skimage", "data", "lfw_subset.npy")
    if path is None:
        raise ArtkitError("the face judge learns from the faces scikit-image bundles; install "
                          "the GAN extra (`pip install artkit[gan]`).")
    pictures = np.load(path, allow_pickle=False).astype(np.float32)[:, :SIDE, :SIDE]
    return pictures[:100], pictures[100:]


@functools.lru_cache(maxsize=1)
def judge() -> FaceJudge:
    """The judge in evaluation mode, cached: the shipped weights, else trained now (seeded)."""
    model = FaceJudge()
    if WEIGHTS.is_file():
        model.load_state_dict(torch.load(WEIGHTS, map_location="cpu", weights_only=True))
        return model.eval()
    faces, others = bundled_pictures()
    return train_judge(faces[HELD_OUT:], others[HELD_OUT:])[0]


def train_judge(faces: np.ndarray, others: np.ndarray, steps: int = JUDGE_STEPS,
                seed: int = JUDGE_SEED) -> tuple[FaceJudge, list]:
    """Train a FaceJudge on faces (label 1) against other pictures (label 0), with random
    flips, shifts of up to 2 pixels and brightness changes; returns it and its losses."""
    generator = torch.Generator().manual_seed(seed)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = FaceJudge()
    images = torch.from_numpy(np.concatenate([faces, others]))[:, None]   # (N, 1, 24, 24)
    labels = torch.cat([torch.ones(len(faces)), torch.zeros(len(others))]).long()
    optimiser = torch.optim.Adam(model.parameters(), lr=3e-3)
    losses = []
    model.train()
    noise = JUDGE_BATCH // 4  # a quarter of each batch: smooth random noise, not faces
    for _ in range(steps):
        pick = torch.randint(0, len(images), (JUDGE_BATCH - noise,), generator=generator)
        batch = torch.cat([_jitter(images[pick], generator), smooth_noise(noise, generator)])
        targets = torch.cat([labels[pick], torch.zeros(noise, dtype=torch.long)])
        loss = F.cross_entropy(model(batch), targets)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        losses.append(loss.item())
    return model.eval(), losses


def smooth_noise(n: int, generator: torch.Generator) -> torch.Tensor:
    """n pictures of random noise blurred by 1, 3, 5 or 7 pixels, at random contrast."""
    noise = torch.rand(n, 1, SIDE, SIDE, generator=generator)
    blurred = [F.avg_pool2d(noise[i:i + 1], k, stride=1, padding=k // 2, count_include_pad=False)
               for i, k in enumerate(torch.tensor([1, 3, 5, 7])[
                   torch.randint(0, 4, (n,), generator=generator)].tolist())]
    pictures = torch.cat(blurred) if blurred else noise
    low, high = pictures.amin(dim=(1, 2, 3), keepdim=True), pictures.amax(dim=(1, 2, 3), keepdim=True)
    contrast = torch.rand(n, 1, 1, 1, generator=generator)
    middle = torch.rand(n, 1, 1, 1, generator=generator)
    spread = (pictures - low) / (high - low).clamp_min(1e-6) - 0.5
    return (middle + spread * contrast).clamp(0, 1)


def _jitter(images: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    n = len(images)
    flip = torch.rand(n, generator=generator) < 0.5
    images = torch.where(flip[:, None, None, None], images.flip(-1), images)
    shifts = torch.randint(-2, 3, (2,), generator=generator).tolist()
    images = torch.roll(images, shifts=shifts, dims=(-2, -1))
    return (images + (torch.rand(n, 1, 1, 1, generator=generator) - 0.5) * 0.2).clamp(0, 1)


def as_judge_pictures(images) -> torch.Tensor:
    """(N, 1, 24, 24) float32 in 0..1 from images (N, H, W) grey or (N, H, W, 3) colour."""
    array = np.asarray(images, dtype=np.float32)
    if array.ndim == 4 and array.shape[-1] == 3:
        array = array @ np.array([0.299, 0.587, 0.114], np.float32)
    if array.ndim == 4 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 3 or len(array) < 2:
        raise ArtkitError(f"face scores need at least 2 pictures shaped (N, H, W) or "
                          f"(N, H, W, 3); got {array.shape}.")
    tensor = torch.from_numpy(np.ascontiguousarray(array))[:, None].clamp(0, 1)
    if tensor.shape[-2:] != (SIDE, SIDE):
        tensor = F.interpolate(tensor, size=(SIDE, SIDE), mode="area" if tensor.shape[-1] > SIDE
                               else "bilinear", **({} if tensor.shape[-1] > SIDE
                                                   else {"align_corners": False}))
    return tensor


@torch.no_grad()
def features_and_face_probability(pictures: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    model = judge()
    features = model.embed(pictures)
    probability = model.head(features).softmax(dim=1)[:, 1]
    return features.double().numpy(), probability.double().numpy()


@functools.lru_cache(maxsize=1)
def real_statistics() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(feature mean, feature covariance, the real faces as (100, 576) pixel rows)."""
    faces, _ = bundled_pictures()
    features, _ = features_and_face_probability(torch.from_numpy(faces)[:, None])
    return features.mean(axis=0), np.cov(features, rowvar=False), faces.reshape(len(faces), -1)


def face_scores(images) -> dict:
    """{"fid", "face_share", "nn_ratio", "copies", "roughness"} for generated faces (see the
    module note)."""
    from artkit.gan.metrics import frechet_distance

    pictures = as_judge_pictures(images)
    features, probability = features_and_face_probability(pictures)
    mean, cov, real_rows = real_statistics()
    rows = pictures.reshape(len(pictures), -1).double().numpy()
    to_real = np.sort(_distances(rows, real_rows), axis=1)[:, :2]        # nearest two
    among_real = _distances(real_rows, real_rows)
    np.fill_diagonal(among_real, math.inf)
    among_real = np.sort(among_real, axis=1)[:, :2]
    lowest_real_ratio = (among_real[:, 0] / among_real[:, 1]).min()
    return {
        "fid": frechet_distance(features.mean(axis=0), np.cov(features, rowvar=False), mean, cov),
        "face_share": float((probability >= 0.5).mean()),
        "nn_ratio": float(np.median(to_real[:, 0]) / np.median(among_real[:, 0])),
        "copies": float((to_real[:, 0] / to_real[:, 1] < lowest_real_ratio).mean()),
        "roughness": _roughness(pictures) / _roughness(torch.from_numpy(
            bundled_pictures()[0])[:, None]),
    }


def _roughness(pictures: torch.Tensor) -> float:
    """Mean |picture - its 3×3 box blur|: fine speckle, which real faces have little of."""
    blurred = F.avg_pool2d(pictures, 3, stride=1, padding=1, count_include_pad=False)
    return float((pictures - blurred).abs().mean())


def nearest_training_faces(images) -> tuple[np.ndarray, np.ndarray]:
    """For each picture, (index of the nearest bundled face, RMS pixel distance to it)."""
    pictures = as_judge_pictures(images)
    rows = pictures.reshape(len(pictures), -1).double().numpy()
    real_rows = real_statistics()[2]
    distances = _distances(rows, real_rows)
    nearest = distances.argmin(axis=1)
    return nearest, distances[np.arange(len(rows)), nearest]


def _distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """RMS pixel distances between every row of a and every row of b."""
    squared = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T
    return np.sqrt(np.clip(squared, 0, None) / a.shape[1])


def judge_accuracy() -> float:
    """The judge's accuracy on the 10 faces and 10 non-faces it never trained on."""
    return judge_accuracy_of(judge())


@torch.no_grad()
def judge_accuracy_of(model: FaceJudge) -> float:
    faces, others = bundled_pictures()
    held = torch.from_numpy(np.concatenate([faces[:HELD_OUT], others[:HELD_OUT]]))[:, None]
    probability = model(held).softmax(dim=1)[:, 1].numpy()
    truth = np.r_[np.ones(HELD_OUT), np.zeros(HELD_OUT)]
    return float(((probability >= 0.5) == truth).mean())


def main(argv=None) -> int:
    """`python -m artkit.gan.face_judge [--out PATH]`: train the judge and save its weights."""
    parser = argparse.ArgumentParser(description="Train the face judge and save its weights.")
    parser.add_argument("--out", default=str(WEIGHTS), help="where to write the weights")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    faces, others = bundled_pictures()
    model, losses = train_judge(faces[HELD_OUT:], others[HELD_OUT:])
    with atomic_write(args.out) as file:
        torch.save(model.state_dict(), file)
    judge.cache_clear()
    print(f"wrote {args.out}: last loss {np.mean(losses[-50:]):.3f}, held-out accuracy "
          f"{judge_accuracy_of(model):.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
