"""The built-in source picture: a sunset over the sea and hills, drawn with numpy.

It exists so `artkit paint` and `artkit render` work with no photo at hand, and it is designed to
paint well with every brush: strong silhouettes and a bright sun for edges, a sky running from
violet through rose to gold for colour variety, deep shadows and a glittering sea path for light
and dark. Everything is computed from normalised coordinates, so any canvas size gives the same
picture (no stretching: the scene is laid out in the canvas's own proportions).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["default_picture"]


def _mix(a, b, t):
    """Blend colour arrays a→b by t (broadcast; t in 0..1). Only the rows where t is non-zero
    are computed (most layers cover a band of the picture)."""
    t = np.clip(np.asarray(t, np.float32), 0.0, 1.0)
    a = np.broadcast_to(np.asarray(a, np.float32), t.shape + (3,))
    b = np.broadcast_to(np.asarray(b, np.float32), t.shape + (3,))
    out = np.array(a, dtype=np.float32)
    rows = np.flatnonzero(t.any(axis=1))
    if len(rows):
        band = slice(rows[0], rows[-1] + 1)
        tb = t[band][..., None]
        out[band] += (b[band] - a[band]) * tb
    return out


def _smoothstep(e0, e1, x):
    t = np.clip((x - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def _ramp(stops, t):
    """A colour ramp: stops [(position, (r, g, b)), ...] in 0..1, evaluated at t."""
    pos = np.array([p for p, _ in stops], np.float32)
    cols = np.array([c for _, c in stops], np.float32)
    out = np.empty(t.shape + (3,), np.float32)
    for ch in range(3):
        out[..., ch] = np.interp(t, pos, cols[:, ch])
    return out


@lru_cache(maxsize=8)
def _picture(width: int, height: int) -> np.ndarray:
    aspect = width / height
    # u across (0..aspect, so shapes keep their proportions), v down (0..1).
    v, u = np.mgrid[0:height, 0:width].astype(np.float32)
    v = (v + 0.5) / height
    u = (u + 0.5) / height
    cx = aspect / 2
    horizon = 0.58
    sun_x, sun_y, sun_r = cx + 0.18 * aspect, 0.47, 0.075

    # Sky: violet at the top, through rose and coral, to gold at the horizon.
    sky_t = v / horizon
    img = _ramp([(0.0, (0.16, 0.10, 0.32)), (0.30, (0.42, 0.20, 0.48)),
                 (0.55, (0.86, 0.36, 0.45)), (0.78, (0.98, 0.58, 0.30)),
                 (1.0, (1.00, 0.84, 0.45))], sky_t)

    # Glow around the sun, then the sun itself: a hard bright disc (a strong edge).
    d_sun = np.hypot(u - sun_x, v - sun_y)
    glow = np.exp(-(d_sun / 0.22) ** 2)
    img = _mix(img, np.array([1.0, 0.80, 0.42], np.float32), 0.75 * glow)
    sun = _smoothstep(sun_r + 0.004, sun_r - 0.004, d_sun)
    img = _mix(img, _mix(np.array([1.0, 0.97, 0.78], np.float32),
                         np.array([1.0, 0.86, 0.45], np.float32), d_sun / sun_r), sun)

    # Clouds: streaks of overlapping soft ellipses, lit rose-gold above, violet underneath.
    rng = np.random.default_rng(7)   # fixed: the picture is the same every time
    for cy, ccx, half_w in [(0.13, 0.28, 0.34), (0.21, 0.74, 0.40), (0.32, 0.44, 0.28),
                            (0.07, 0.86, 0.22), (0.40, 0.95, 0.20)]:
        cover = np.zeros_like(u)
        for _ in range(7):
            bx = (ccx + rng.uniform(-0.8, 0.8) * half_w) * aspect
            by = cy + rng.uniform(-0.012, 0.008)
            bw = rng.uniform(0.35, 0.6) * half_w * aspect
            bh = rng.uniform(0.016, 0.032)
            blob = 1.0 - ((u - bx) / bw) ** 2 - ((v - by) / bh) ** 2
            cover = np.maximum(cover, blob)
        body = _smoothstep(0.0, 0.45, cover) * (v < horizon)
        shade = _smoothstep(cy - 0.02, cy + 0.03, v)
        lit = _mix(np.array([1.0, 0.78, 0.62], np.float32),
                   np.array([0.45, 0.20, 0.44], np.float32), shade)
        img = _mix(img, lit, 0.9 * body)

    # Sea: deep teal-blue, darker towards the viewer, with a glittering path under the sun.
    sea_t = (v - horizon) / (1.0 - horizon)
    sea = _ramp([(0.0, (0.55, 0.36, 0.50)), (0.12, (0.22, 0.22, 0.42)),
                 (0.5, (0.08, 0.20, 0.34)), (1.0, (0.03, 0.10, 0.20))], sea_t)
    ripples = np.sin(v * 420.0 + np.sin(u * 31.0) * 2.5) * np.sin(u * 90.0 + v * 60.0)
    path_w = 0.05 + 0.22 * sea_t
    path = np.exp(-((u - sun_x) / path_w) ** 2)
    glitter = np.clip(ripples * 1.6 - 0.2, 0.0, 1.0) * path
    sea = _mix(sea, np.array([1.0, 0.78, 0.40], np.float32), 0.35 * path * (1 - sea_t))
    sea = _mix(sea, np.array([1.0, 0.93, 0.66], np.float32), glitter)
    sea = _mix(sea, np.array([0.30, 0.45, 0.60], np.float32), 0.18 * np.clip(ripples, 0, 1))
    img = np.where((v >= horizon)[..., None], sea, img)

    # Distant hills on the left: two hazy violet ridges meeting the horizon.
    ridge1 = horizon - (0.16 * np.exp(-((u - 0.12 * aspect) / (0.30 * aspect)) ** 2)
                        + 0.012 * np.sin(u * 19.0) + 0.006 * np.sin(u * 47.0))
    far = (v > ridge1) & (v < horizon + 0.002)
    img = _mix(img, np.array([0.40, 0.22, 0.42], np.float32),
               far * (0.9 - 0.4 * _smoothstep(ridge1, horizon, v)))
    ridge2 = horizon - (0.09 * np.exp(-((u - 0.30 * aspect) / (0.18 * aspect)) ** 2)
                        + 0.006 * np.sin(u * 33.0))
    mid = (v > ridge2) & (v < horizon + 0.002)
    img = np.where(mid[..., None], _ramp([(0.0, (0.26, 0.14, 0.32)), (1.0, (0.20, 0.12, 0.26))],
                                         (v - ridge2) / 0.09), img)

    # Foreground headland on the right: a dark green-brown cliff with a lit rim.
    cliff = 1.08 - 0.62 * _smoothstep(0.50 * aspect, 1.0 * aspect, u) \
        + 0.012 * np.sin(u * 14.0) + 0.005 * np.sin(u * 41.0)
    land = v > cliff
    depth = np.clip((v - cliff) / 0.35, 0.0, 1.0)
    ground = _ramp([(0.0, (0.78, 0.52, 0.22)), (0.03, (0.42, 0.34, 0.14)),
                    (0.25, (0.17, 0.22, 0.10)), (1.0, (0.04, 0.07, 0.04))], depth)
    img = np.where(land[..., None], ground, img)

    # A beach in the bottom-left: warm sand against the dark sea, with a foam line.
    shore = 0.88 + 0.05 * np.sin(u * 5.0 + 0.5) + 0.01 * np.sin(u * 29.0)
    beach = (v > shore) & ~land
    sand = _ramp([(0.0, (0.93, 0.74, 0.52)), (1.0, (0.70, 0.48, 0.32))],
                 (v - shore) / (1.0 - shore + 1e-6))
    img = np.where(beach[..., None], sand, img)
    foam = np.exp(-((v - shore) / 0.006) ** 2) * ~land
    img = _mix(img, np.array([0.96, 0.93, 0.90], np.float32), 0.9 * foam)

    # A lone tree on the headland: trunk and a round crown, the darkest shape in the picture.
    tx = 0.86 * aspect
    ty = float(np.interp(tx, u[0], cliff[0]))
    trunk = (np.abs(u - tx) < 0.007) & (v > ty - 0.16) & (v < ty + 0.01)
    crown = np.hypot((u - tx) / 1.25, v - (ty - 0.19)) < 0.07
    crown |= np.hypot((u - tx + 0.05), v - (ty - 0.15)) < 0.045
    crown |= np.hypot((u - tx - 0.055), v - (ty - 0.16)) < 0.05
    tree = trunk | crown
    img = np.where(tree[..., None], np.array([0.06, 0.08, 0.05], np.float32), img)

    return np.clip(img, 0.0, 1.0).astype(np.float32)


def default_picture(width: int = 1024, height: int = 768) -> np.ndarray:
    """The built-in sunset as float32 RGB (height, width, 3) in 0..1 (cached per size)."""
    pic = _picture(int(width), int(height))
    pic.setflags(write=False)
    return pic
