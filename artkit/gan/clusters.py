"""Grouping unlabelled images into clusters of equal size, so a GAN can condition on them.

A conditional GAN learns much faster than one that must find the kinds of image on its own
(see `conv-cond`). Without labels, k-means on the pixels finds groups of alike images to
condition on instead (self-conditioning, Liu et al. 2020). The clusters are kept equal in
size, so drawing every cluster equally often draws images as the data holds them.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from artkit.errors import ArtkitError


def equal_clusters(images: torch.Tensor, k: int, seed: int = 0, iterations: int = 20) -> torch.Tensor:
    """Cluster numbers (N,) int64 in 0..k-1 for images (N, ...): k-means on the pixels, with
    each cluster holding ceil(N / k) images or one fewer. Seeded: same images, same clusters."""
    points = images.detach().reshape(len(images), -1).float().cpu()
    if not 1 <= k <= len(points):
        raise ArtkitError(f"cannot group {len(points)} images into {k} clusters; ask for 1 to "
                          f"{len(points)}.")
    rng = torch.Generator().manual_seed(seed)
    centres = points[torch.randperm(len(points), generator=rng)[:k]]
    labels = None
    for _ in range(iterations):
        new_labels = _nearest_with_room(torch.cdist(points, centres).numpy(), k)
        if labels is not None and torch.equal(new_labels, labels):
            break
        labels = new_labels
        counts = torch.bincount(labels, minlength=k).clamp(min=1).unsqueeze(1).float()
        centres = torch.zeros_like(centres).index_add_(0, labels, points) / counts
    return labels


def _nearest_with_room(distances: np.ndarray, k: int) -> torch.Tensor:
    """Each point to its nearest centre that still has room. In each round every unplaced
    point asks for its nearest centre with room, and a centre asked by more than it can hold
    takes the closest; a round fills a centre or places everyone, so there are at most k."""
    n = len(distances)
    room = np.full(k, math.ceil(n / k))
    room[: math.ceil(n / k) * k - n] -= 1  # exactly n places in all
    labels = np.full(n, -1)
    while (labels < 0).any():
        unplaced = np.flatnonzero(labels < 0)
        choices = np.where(room > 0, distances[unplaced], np.inf)
        wanted = choices.argmin(axis=1)
        for centre in np.unique(wanted):
            asking = unplaced[wanted == centre]
            closest = asking[np.argsort(choices[wanted == centre, centre], kind="stable")]
            taken = closest[: room[centre]]
            labels[taken] = centre
            room[centre] -= len(taken)
    return torch.from_numpy(labels)
