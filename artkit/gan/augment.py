"""DiffAugment: the same random changes to real and generated images before the discriminator.

With little data a discriminator soon remembers the training images and stops teaching the
generator anything but copies of them. Differentiable augmentation (Zhao et al. 2020,
"Differentiable Augmentation for Data-Efficient GAN Training") shows it each batch changed a
little — shifted, with a patch cut out, its colours nudged — the real batch and the generated
batch alike, in both players' steps. The changes are plain tensor arithmetic and indexing, so
the generator's gradients flow through them: it learns to make images whose changed versions
look real, which are simply real-looking images. DiffAugment's own figures: FID 80.2 → 46.9
on 100 photos of Obama, 26.6 → 10.5 on 5,000 FFHQ faces.

`augment(images, policy, rng)` takes images (N, C, H, W) in 0..1 and a policy such as
"translation,cutout,colour"; the random draws come from `rng` (a CPU `torch.Generator`), so a
seeded run repeats on any device. The paper's images run from -1 to 1; here they run from 0 to
1, so the brightness shift is halved and cut-out patches are mid-grey (0.5), which is the
paper's zero.
"""

from __future__ import annotations

import torch
from torch.nn import functional as F

from artkit.errors import ArtkitError

POLICIES = ("colour", "translation", "cutout")
DEFAULT_POLICY = "colour,translation,cutout"  # the paper's order
SMALL_DATA = 1000          # "auto" turns augmentation on below this many training images
TRANSLATION_RATIO = 0.125  # shift by up to 1/8 of the side (the paper's)
CUTOUT_RATIO = 0.5         # a patch half the side across (the paper's)


def parse_policy(policy: str) -> tuple[str, ...]:
    """The augmentations a policy string names, in order; "" or "off" names none.
    "color" is understood too (the paper's spelling)."""
    words = [w.strip().lower() for w in str(policy or "").replace("+", ",").split(",") if w.strip()]
    if words in ([], ["off"], ["none"]):
        return ()
    if words == ["on"]:
        return parse_policy(DEFAULT_POLICY)
    names = []
    for word in words:
        name = "colour" if word == "color" else word
        if name not in POLICIES:
            raise ArtkitError(f"unknown augmentation {word!r}; use any of "
                              f"{', '.join(POLICIES)} (comma separated), on, off or auto.")
        names.append(name)
    return tuple(names)


def resolve(setting: str, data_size: int) -> tuple[str, ...]:
    """What a model's `augment` setting means for a data set of `data_size` images: "auto" is
    the default policy below SMALL_DATA images and nothing above; anything else is a policy."""
    if str(setting).lower() == "auto":
        return parse_policy(DEFAULT_POLICY) if data_size < SMALL_DATA else ()
    return parse_policy(setting)


def augment(images: torch.Tensor, policy, rng: torch.Generator) -> torch.Tensor:
    """Images (N, C, H, W) in 0..1 with each augmentation of `policy` applied, drawn per image."""
    for name in parse_policy(policy) if isinstance(policy, str) else policy:
        images = _AUGMENTATIONS[name](images, rng)
    return images


def _uniform(images: torch.Tensor, rng: torch.Generator, shape=None) -> torch.Tensor:
    """Uniform 0..1 numbers, one per image (N, 1, 1, 1), drawn on the CPU and moved over."""
    shape = shape or (images.shape[0], 1, 1, 1)
    return torch.rand(shape, generator=rng).to(device=images.device, dtype=images.dtype)


def colour(images: torch.Tensor, rng: torch.Generator) -> torch.Tensor:
    """Brightness (±0.25), saturation (×0..2, colour images only) and contrast (×0.5..1.5)."""
    images = images + (_uniform(images, rng) - 0.5) * 0.5
    if images.shape[1] > 1:
        mean = images.mean(dim=1, keepdim=True)
        images = (images - mean) * (_uniform(images, rng) * 2) + mean
    mean = images.mean(dim=(1, 2, 3), keepdim=True)
    return (images - mean) * (_uniform(images, rng) + 0.5) + mean


def translation(images: torch.Tensor, rng: torch.Generator,
                ratio: float = TRANSLATION_RATIO) -> torch.Tensor:
    """Each image shifted by up to `ratio` of its side in x and y; what moves in is black."""
    n, _, height, width = images.shape
    max_y, max_x = int(height * ratio + 0.5), int(width * ratio + 0.5)
    shift_y = torch.randint(-max_y, max_y + 1, (n, 1, 1), generator=rng).to(images.device)
    shift_x = torch.randint(-max_x, max_x + 1, (n, 1, 1), generator=rng).to(images.device)
    batch, rows, cols = torch.meshgrid(
        torch.arange(n, device=images.device), torch.arange(height, device=images.device),
        torch.arange(width, device=images.device), indexing="ij")
    # Read from a copy padded by one black pixel: indices that leave the image land on it.
    rows = torch.clamp(rows + shift_y + 1, 0, height + 1)
    cols = torch.clamp(cols + shift_x + 1, 0, width + 1)
    padded = F.pad(images, [1, 1, 1, 1]).permute(0, 2, 3, 1)  # (N, H+2, W+2, C)
    return padded[batch, rows, cols].permute(0, 3, 1, 2).contiguous()


def cutout(images: torch.Tensor, rng: torch.Generator, ratio: float = CUTOUT_RATIO) -> torch.Tensor:
    """A square patch `ratio` of the side across, at a random place, set to mid-grey."""
    n, _, height, width = images.shape
    cut_h, cut_w = int(height * ratio + 0.5), int(width * ratio + 0.5)
    top = torch.randint(0, height + (1 - cut_h % 2), (n, 1, 1), generator=rng).to(images.device)
    left = torch.randint(0, width + (1 - cut_w % 2), (n, 1, 1), generator=rng).to(images.device)
    # Row and column offsets into the patch, which is centred on (top, left).
    into_rows = torch.arange(height, device=images.device).view(1, -1, 1) - top + cut_h // 2
    into_cols = torch.arange(width, device=images.device).view(1, 1, -1) - left + cut_w // 2
    inside = (into_rows >= 0) & (into_rows < cut_h) & (into_cols >= 0) & (into_cols < cut_w)
    keep = (~inside).unsqueeze(1).to(images.dtype)  # (N, 1, H, W)
    return images * keep + 0.5 * (1 - keep)


_AUGMENTATIONS = {"colour": colour, "translation": translation, "cutout": cutout}
