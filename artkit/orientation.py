"""Which way the picture runs: a smoothed orientation field from the source, for brushes.

A painter lays strokes along forms, not across them: along a cheek, around an eye, down a
strand of hair. The direction that does this at a point is the isophote (the line of equal
brightness, perpendicular to the gradient). Single-pixel gradients are noisy, so the field is
read from the *structure tensor*: the outer product of the luminance gradient with itself,
averaged over a Gaussian window of sigma `scale` px (the layered plan uses half its brush
size, and the painterly brush half its own). Its main
eigenvector is the dominant gradient direction in that window, and the isophote is
perpendicular to it; its eigenvalues say how clear that direction is:

- `strength` (0..1) = coherence x contrast: coherence (l1 - l2) / (l1 + l2) is 1 along one
  clean edge and 0 in texture or noise; contrast ramps to 1 as the edge's slope reaches
  FLAT_SLOPE. Where the picture is flat, strength is near 0 and brushes keep their own noise
  field, so backgrounds still swirl.

The field is computed once per source picture and scale (vectorised numpy, on a grid as coarse
as the scale allows: a field smoothed over 24 px needs no per-pixel detail) and kept in a cache
that forgets a source when the source is gone. `orientation_field(source, scale)` is the one
way to get one.
"""

from __future__ import annotations

import math
import weakref

import numpy as np

from artkit.blur import gaussian_blur

__all__ = ["OrientationField", "orientation_field", "FLAT_SLOPE"]

# Luminance change per pixel (averaged over the window) at which a direction counts as clear.
FLAT_SLOPE = 0.012
# The field is computed on a grid this many times finer than its scale, and on at most this
# many cells (a huge canvas gets a coarser grid; the field is smooth at that scale anyway).
_CELLS_PER_SCALE = 2.0
_MAX_CELLS = 1_500_000
_CACHED_SCALES = 8   # per source: the layered plan uses a handful of sizes


class OrientationField:
    """The orientation of `luminance` (H, W, float32 in 0..1) smoothed at `scale` px.

    Sample it with `at(xs, ys)` (unit isophote directions and strengths), `angle_at` or
    `tangent_at` (vectors along the isophote whose length is the edge's slope times its
    strength: the same units as `SourceImage.gradient_at`, so a brush can swap one for the
    other)."""

    def __init__(self, luminance: np.ndarray, scale: float):
        lum = np.asarray(luminance, np.float32)
        self.height, self.width = lum.shape
        self.scale = float(max(scale, 0.5))
        step = max(1.0, self.scale / _CELLS_PER_SCALE,
                   math.sqrt(self.width * self.height / _MAX_CELLS))
        self.step = int(step)
        grid = _shrink(lum, self.step)
        tangent, strength, slope = _structure(grid, self.scale / self.step, self.step)
        self._tangent = tangent               # (h, w, 2) unit vectors along the isophote
        self._strength = strength             # (h, w) 0..1
        # Along the isophote, as long as slope x strength: what `tangent_at` reads.
        self._weighted = (tangent * (slope * strength)[..., None]).astype(np.float32)
        for a in (self._tangent, self._strength, self._weighted):
            a.setflags(write=False)

    def _index(self, xs, ys):
        h, w = self._strength.shape
        k = np.float32(1.0 / self.step)
        ix = np.fmin(np.fmax(np.asarray(xs, np.float32) * k, 0), w - 1).astype(np.intp)
        iy = np.fmin(np.fmax(np.asarray(ys, np.float32) * k, 0), h - 1).astype(np.intp)
        return ix, iy

    def at(self, xs, ys) -> tuple[np.ndarray, np.ndarray]:
        """(N, 2) unit vectors along the isophote and (N,) strengths 0..1 at canvas points
        (nearest grid cell; points outside read the edge). A direction has no sign: (x, y)
        and (-x, -y) are the same line."""
        ix, iy = self._index(xs, ys)
        return self._tangent[iy, ix], self._strength[iy, ix]

    def angle_at(self, xs, ys) -> tuple[np.ndarray, np.ndarray]:
        """(N,) isophote angles in radians (in -pi..pi) and (N,) strengths."""
        t, s = self.at(xs, ys)
        return np.arctan2(t[:, 1], t[:, 0]).astype(np.float32), s

    def tangent_at(self, xs, ys) -> np.ndarray:
        """(N, 2) vectors along the isophote, as long as the edge's slope x its strength."""
        ix, iy = self._index(xs, ys)
        return self._weighted[iy, ix]

    def __repr__(self) -> str:
        return (f"OrientationField({self.width}x{self.height}, scale {self.scale:g} px, "
                f"grid {self.step} px)")


def _shrink(a: np.ndarray, step: int) -> np.ndarray:
    """`a` (H, W) averaged over step x step blocks (the last partial blocks included)."""
    if step <= 1:
        return a
    h, w = a.shape
    ph, pw = -h % step, -w % step
    if ph or pw:
        a = np.pad(a, ((0, ph), (0, pw)), mode="edge")
    return a.reshape(a.shape[0] // step, step, a.shape[1] // step, step).mean(axis=(1, 3))


def _structure(lum: np.ndarray, sigma: float, step: int):
    """Isophote directions, strengths and slopes (per canvas px) of `lum`, a grid of `step`
    px cells, from its structure tensor smoothed by `sigma` cells."""
    smooth = gaussian_blur(lum, 1.0)   # derivative of a lightly smoothed picture, like Sobel
    if min(smooth.shape) >= 2:
        gy, gx = np.gradient(smooth)
    else:   # a picture one pixel wide has no direction
        gy = gx = np.zeros_like(smooth)
    tensor = np.stack([gx * gx, gx * gy, gy * gy], axis=-1)
    jxx, jxy, jyy = np.moveaxis(gaussian_blur(tensor, sigma), -1, 0)
    half_diff = 0.5 * (jxx - jyy)
    root = np.sqrt(half_diff * half_diff + jxy * jxy)
    mean = 0.5 * (jxx + jyy)
    l1, l2 = mean + root, np.maximum(mean - root, 0)
    # The main eigenvector (the gradient's direction) is at angle theta; the isophote is
    # perpendicular to it: (-sin theta, cos theta).
    theta = 0.5 * np.arctan2(2 * jxy, jxx - jyy)
    tangent = np.stack([-np.sin(theta), np.cos(theta)], axis=-1).astype(np.float32)
    coherence = (l1 - l2) / (l1 + l2 + np.float32(1e-12))
    slope = (np.sqrt(l1) / step).astype(np.float32)
    strength = (coherence * np.minimum(slope / FLAT_SLOPE, 1)).astype(np.float32)
    return tangent, strength, slope


_CACHE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def orientation_field(source, scale: float) -> OrientationField:
    """The field of `source` (a SourceImage) at `scale` px, computed on first use and kept
    while the source lives (scales are rounded to 1/4 px; a few per source are kept)."""
    key = round(float(scale) * 4) / 4
    fields = _CACHE.get(source)
    if fields is None:
        fields = _CACHE[source] = {}
    field = fields.get(key)
    if field is None:
        if len(fields) >= _CACHED_SCALES:
            fields.pop(next(iter(fields)))
        field = fields[key] = OrientationField(source.luminance, key)
    return field
