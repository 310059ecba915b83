"""Fast smoothing for whole pictures: a Gaussian blur whose cost does not grow with its size.

`gaussian_blur(a, sigma)` approximates a Gaussian with three box blurs in a row (the central
limit theorem: three boxes are within a few percent of the bell curve), and each box blur is
one running sum, so blurring by 40 px costs the same as by 4 px. Small blurs (sigma up to
2 px) use the Gaussian's own taps, which is cheaper there. The layered painting plan blurs the source once per brush size
and the orientation field smooths its structure tensor at the brush's scale with it.

Edges are padded with the edge value, like `artkit.source`'s own smoothing, so a picture's
border does not darken.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["gaussian_blur", "box_widths"]

_BOXES = 3
_TAPS_UP_TO = 2.0   # sigmas up to this are blurred with a true kernel (at most 13 taps)


def box_widths(sigma: float, boxes: int = _BOXES) -> list[int]:
    """Odd widths of `boxes` box filters whose combined spread is a Gaussian's `sigma`
    (W. Jarosz / I. Kutskir's "boxes for Gauss": the widths differ by at most 2)."""
    ideal = math.sqrt(12.0 * sigma * sigma / boxes + 1.0)
    low = int(math.floor(ideal))
    if low % 2 == 0:
        low -= 1
    low = max(1, low)
    high = low + 2
    # How many of the boxes take the lower width so the variances add up to sigma².
    m = round((12.0 * sigma * sigma - boxes * low * low - 4 * boxes * low - 3 * boxes)
              / (-4.0 * low - 4.0))
    m = min(boxes, max(0, m))
    return [low if i < m else high for i in range(boxes)]


def _box(a: np.ndarray, width: int, axis: int) -> np.ndarray:
    """A box blur of odd `width` along `axis` (edge-padded), from one running sum."""
    if width <= 1 or a.shape[axis] == 0:
        return a
    r = width // 2
    pad = [(0, 0)] * a.ndim
    pad[axis] = (r + 1, r)
    padded = np.pad(a, pad, mode="edge")
    total = np.cumsum(padded, axis=axis, dtype=np.float32)
    n = a.shape[axis]
    hi = [slice(None)] * a.ndim
    lo = [slice(None)] * a.ndim
    hi[axis], lo[axis] = slice(width, width + n), slice(0, n)
    out = total[tuple(hi)] - total[tuple(lo)]
    out *= 1.0 / width
    return out.astype(np.float32)


def _taps(a: np.ndarray, sigma: float) -> np.ndarray:
    """A true Gaussian from its taps (edge-padded): cheaper than three boxes when small."""
    radius = max(1, int(math.ceil(3 * sigma)))
    x = np.arange(-radius, radius + 1, dtype=np.float32)
    kernel = np.exp(-0.5 * (x / np.float32(sigma)) ** 2)
    kernel /= kernel.sum()
    out = a
    for axis in (0, 1):
        pad = [(0, 0)] * a.ndim
        pad[axis] = (radius, radius)
        padded = np.pad(out, pad, mode="edge")
        n = out.shape[axis]
        acc = np.zeros_like(out)
        for k, weight in enumerate(kernel):
            part = padded[k:k + n] if axis == 0 else padded[:, k:k + n]
            acc += weight * part
        out = acc
    return out


def gaussian_blur(a, sigma: float) -> np.ndarray:
    """`a` (H, W) or (H, W, C) smoothed by a Gaussian of `sigma` pixels over its first two
    axes, as float32. A sigma below 0.5 px returns the picture unchanged (as float32)."""
    out = np.asarray(a, dtype=np.float32)
    if not sigma or sigma < 0.5:
        return out.copy()
    if sigma <= _TAPS_UP_TO:
        return _taps(out, float(sigma))
    for width in box_widths(float(sigma)):
        out = _box(out, width, 0)
        out = _box(out, width, 1)
    return out
