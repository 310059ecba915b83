"""Drawing images from a generator, tiling them into a viewable grid, and latent walks.

Images leave torch here as numpy float32 in 0..1: (N, H, W) for grey, (N, H, W, 3) for colour.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch

from artkit.errors import ArtkitError
from artkit.files import atomic_write

GRID_CELL_PX = 96  # small images are enlarged until a cell is at least this many pixels across


def sample_images(generator, n: int, seed: int = 0, device=None, labels=None) -> np.ndarray:
    """n images from a generator as numpy float32 in 0..1, (N, H, W) grey or (N, H, W, 3) colour.

    The latent vectors come from a CPU generator seeded with `seed`, so the same seed gives the
    same images on any device. The generator is run in evaluation mode and left unchanged.
    labels: for a conditional generator, the class to draw (one for all, or one per image);
    None draws each class in turn (0, 1, ... 9, 0, 1, ...), as many of each as the real
    digits have, so scores compare like with like.
    """
    if n < 1:
        raise ArtkitError(f"cannot draw {n} images; ask for 1 or more.")
    if device is not None:
        generator = generator.to(device)
    if labels is None:
        labels = generator.labels_in_turn(n)
    z = generator.sample_latent(n, torch.Generator().manual_seed(int(seed)), labels)
    images = []
    for start in range(0, n, 1024):  # keeps memory flat for big n
        images.append(generator.generate(z[start:start + 1024]))
    return to_numpy_images(torch.cat(images))


def to_numpy_images(images: torch.Tensor) -> np.ndarray:
    """(N, C, H, W) tensor in 0..1 → numpy float32 (N, H, W) if C is 1, (N, H, W, 3) if C is 3."""
    array = images.detach().float().clamp(0.0, 1.0).cpu().numpy()
    if array.shape[1] == 1:
        return array[:, 0]
    return array.transpose(0, 2, 3, 1)


def grid_image(images: np.ndarray, ncols: int | None = None, *, pad: int = 2,
               cell_px: int = GRID_CELL_PX, smooth: bool = False):
    """Tile images (N, H, W) or (N, H, W, 3) in 0..1 into one Pillow image.

    ncols: columns (default: a near-square layout). Each image is enlarged by a whole factor
    until its longer side is at least `cell_px` — nearest-neighbour (crisp pixels, the default) or
    bicubic (smooth=True) — with `pad` grey pixels between cells.
    """
    from PIL import Image

    images = np.asarray(images, dtype=np.float32)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim not in (3, 4) or images.ndim == 4 and images.shape[-1] != 3 or len(images) == 0:
        raise ArtkitError(f"images of shape {images.shape} cannot make a grid; give (N, H, W) "
                          "or (N, H, W, 3).")
    n, height, width = images.shape[:3]
    ncols = ncols or math.ceil(math.sqrt(n))
    if ncols < 1:
        raise ArtkitError(f"a grid needs at least one column, not {ncols}.")
    nrows = math.ceil(n / ncols)
    scale = max(1, math.ceil(cell_px / max(height, width)))
    cell_h, cell_w = height * scale, width * scale
    colour = images.ndim == 4
    canvas = np.full((nrows * (cell_h + pad) + pad, ncols * (cell_w + pad) + pad) +
                     ((3,) if colour else ()), 0.5, dtype=np.float32)
    resample = Image.Resampling.BICUBIC if smooth else Image.Resampling.NEAREST
    for i, image in enumerate(images):
        row, col = divmod(i, ncols)
        cell = Image.fromarray(_to_uint8(image)).resize((cell_w, cell_h), resample)
        top, left = pad + row * (cell_h + pad), pad + col * (cell_w + pad)
        canvas[top:top + cell_h, left:left + cell_w] = np.asarray(cell, dtype=np.float32) / 255.0
    return Image.fromarray(_to_uint8(canvas))


def save_grid(images: np.ndarray, path, ncols: int | None = None, *, smooth: bool = False) -> Path:
    """Save images (N, H, W) or (N, H, W, 3) in 0..1 as one PNG grid (see `grid_image`)."""
    path = Path(path)
    from PIL import Image

    fmt = Image.registered_extensions().get(path.suffix.lower())
    if fmt is None or fmt not in Image.SAVE:
        raise ArtkitError(f"Can't save the grid as '{path}': end the name with .png (or .jpg, "
                          f".webp).")
    path.parent.mkdir(parents=True, exist_ok=True)
    picture = grid_image(images, ncols, smooth=smooth)
    with atomic_write(path) as f:
        picture.save(f, format=fmt)
    return path


def _to_uint8(array: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(np.asarray(array) * 255.0), 0, 255).astype(np.uint8)


def interpolate(z0: torch.Tensor, z1: torch.Tensor, t) -> torch.Tensor:
    """Spherical interpolation (slerp) between latent vectors z0 and z1 (same shape, (D,) or
    (N, D)); t a number or a sequence in 0..1. A scalar t gives z0's shape; a sequence of T
    values gives (T, *z0.shape). Slerp keeps the walk at the radius Gaussian latents live at,
    where a straight line would pass through the unlikely middle.
    """
    z0, z1 = torch.as_tensor(z0, dtype=torch.float32), torch.as_tensor(z1, dtype=torch.float32)
    if z0.shape != z1.shape:
        raise ArtkitError(f"cannot interpolate between latents of shapes {tuple(z0.shape)} and "
                          f"{tuple(z1.shape)}; they must match.")
    ts = torch.as_tensor(t, dtype=torch.float32)
    scalar = ts.dim() == 0
    ts = ts.reshape(-1, *([1] * z0.dim()))  # (T, 1, ...) to broadcast over z
    unit0 = z0 / z0.norm(dim=-1, keepdim=True).clamp_min(1e-12)
    unit1 = z1 / z1.norm(dim=-1, keepdim=True).clamp_min(1e-12)
    omega = torch.acos((unit0 * unit1).sum(-1, keepdim=True).clamp(-1.0, 1.0))
    sin_omega = torch.sin(omega)
    # Nearly parallel vectors: slerp tends to a straight line, which avoids dividing by ~0.
    straight = sin_omega.abs() < 1e-6
    safe = torch.where(straight, torch.ones_like(sin_omega), sin_omega)
    w0 = torch.where(straight, 1.0 - ts, torch.sin((1.0 - ts) * omega) / safe)
    w1 = torch.where(straight, ts, torch.sin(ts * omega) / safe)
    result = w0 * z0 + w1 * z1
    return result[0] if scalar else result
