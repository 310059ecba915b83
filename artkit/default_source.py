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
    """Blend colour arrays a→b by t (broadcast; t in 0..1)."""
    t = np.clip(np.asarray(t, np.float32), 0.0, 1.0)
    a = np.asarray(a, np.float32)
    return a + (np.asarray(b, np.float32) - a) * t[..., None]


def _paint(img, colour, t, rows=slice(None), cols=slice(None)) -> None:
    """Blend `colour` into img[rows, cols] by t (in 0..1, broadcast over that region), in place.
    Layers are painted only over the box they can reach: that is what keeps building the
    picture fast, since most layers cover a small part of it."""
    region = img[rows, cols]
    change = np.asarray(colour, np.float32) - region   # region + (colour - region) * t, as _mix
    change *= np.clip(np.asarray(t, np.float32), 0.0, 1.0)[..., None]
    region += change


def _span(coords, lo, hi) -> slice:
    """The indices of the increasing coordinates `coords` that lie in [lo, hi]."""
    a = int(np.searchsorted(coords, lo, "left"))
    return slice(a, max(a, int(np.searchsorted(coords, hi, "right"))))


def _smoothstep(e0, e1, x):
    t = np.clip((x - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def _ramp(stops, t):
    """A colour ramp: stops [(position, (r, g, b)), ...] in 0..1, evaluated at t."""
    pos = np.array([p for p, _ in stops], np.float32)
    cols = np.array([c for _, c in stops], np.float32)
    out = np.empty(np.shape(t) + (3,), np.float32)
    for ch in range(3):
        out[..., ch] = np.interp(t, pos, cols[:, ch])
    return out


@lru_cache(maxsize=8)
def _picture(width: int, height: int) -> np.ndarray:
    aspect = width / height
    # v down (0..1) as a column, u across (0..aspect, so shapes keep their proportions) as a
    # row: what depends on one of them is computed once per row or column and broadcast.
    v_line = (np.arange(height, dtype=np.float32) + 0.5) / height
    u_line = (np.arange(width, dtype=np.float32) + 0.5) / height
    v, u = v_line[:, None], u_line[None, :]
    cx = aspect / 2
    horizon = 0.58
    sun_x, sun_y, sun_r = cx + 0.18 * aspect, 0.47, 0.075

    # Sky: violet at the top, through rose and coral, to gold at the horizon.
    sky = _ramp([(0.0, (0.16, 0.10, 0.32)), (0.30, (0.42, 0.20, 0.48)),
                 (0.55, (0.86, 0.36, 0.45)), (0.78, (0.98, 0.58, 0.30)),
                 (1.0, (1.00, 0.84, 0.45))], v / horizon)
    img = np.array(np.broadcast_to(sky, (height, width, 3)))

    # Glow around the sun, then the sun itself: a hard bright disc (a strong edge).
    d_sun = np.hypot(u - sun_x, v - sun_y)
    _paint(img, (1.0, 0.80, 0.42), 0.75 * np.exp(-(d_sun / 0.22) ** 2))
    reach = sun_r + 0.01
    rows, cols = _span(v_line, sun_y - reach, sun_y + reach), _span(u_line, sun_x - reach, sun_x + reach)
    d_disc = d_sun[rows, cols]
    disc = _mix((1.0, 0.97, 0.78), (1.0, 0.86, 0.45), d_disc / sun_r)
    _paint(img, disc, _smoothstep(sun_r + 0.004, sun_r - 0.004, d_disc), rows, cols)

    # Clouds: streaks of overlapping soft ellipses, lit rose-gold above, violet underneath.
    rng = np.random.default_rng(7)   # fixed: the picture is the same every time
    for cy, ccx, half_w in [(0.13, 0.28, 0.34), (0.21, 0.74, 0.40), (0.32, 0.44, 0.28),
                            (0.07, 0.86, 0.22), (0.40, 0.95, 0.20)]:
        blobs = []
        for _ in range(7):
            bx = (ccx + rng.uniform(-0.8, 0.8) * half_w) * aspect
            by = cy + rng.uniform(-0.012, 0.008)
            bw = rng.uniform(0.35, 0.6) * half_w * aspect
            bh = rng.uniform(0.016, 0.032)
            blobs.append((bx, by, bw, bh))
        # The streak's box: every ellipse lies inside it, and outside them the cover is 0.
        rows = _span(v_line, min(by - bh for _, by, _, bh in blobs),
                     min(horizon, max(by + bh for _, by, _, bh in blobs)))
        cols = _span(u_line, min(bx - bw for bx, _, bw, _ in blobs),
                     max(bx + bw for bx, _, bw, _ in blobs))
        su, sv = u[:, cols], v[rows]
        cover = np.zeros((len(v_line[rows]), len(u_line[cols])), np.float32)
        for bx, by, bw, bh in blobs:
            cover = np.maximum(cover, 1.0 - ((su - bx) / bw) ** 2 - ((sv - by) / bh) ** 2)
        body = _smoothstep(0.0, 0.45, cover) * (sv < horizon)
        lit = _mix((1.0, 0.78, 0.62), (0.45, 0.20, 0.44), _smoothstep(cy - 0.02, cy + 0.03, sv))
        _paint(img, lit, 0.9 * body, rows, cols)

    # Sea: deep teal-blue, darker towards the viewer, with a glittering path under the sun.
    rows = _span(v_line, horizon, 2.0)
    sv = v[rows]
    sea_t = (sv - horizon) / (1.0 - horizon)
    sea = _ramp([(0.0, (0.55, 0.36, 0.50)), (0.12, (0.22, 0.22, 0.42)),
                 (0.5, (0.08, 0.20, 0.34)), (1.0, (0.03, 0.10, 0.20))], sea_t)
    ripples = np.sin(sv * 420.0 + np.sin(u * 31.0) * 2.5) * np.sin(u * 90.0 + sv * 60.0)
    path_w = 0.05 + 0.22 * sea_t
    path = np.exp(-((u - sun_x) / path_w) ** 2)
    glitter = np.clip(ripples * 1.6 - 0.2, 0.0, 1.0) * path
    sea = _mix(sea, (1.0, 0.78, 0.40), 0.35 * path * (1 - sea_t))
    sea = _mix(sea, (1.0, 0.93, 0.66), glitter)
    img[rows] = _mix(sea, (0.30, 0.45, 0.60), 0.18 * np.clip(ripples, 0, 1))

    # Distant hills on the left: two hazy violet ridges meeting the horizon.
    ridge1 = horizon - (0.16 * np.exp(-((u - 0.12 * aspect) / (0.30 * aspect)) ** 2)
                        + 0.012 * np.sin(u * 19.0) + 0.006 * np.sin(u * 47.0))
    rows = _span(v_line, float(ridge1.min()), horizon + 0.002)
    sv = v[rows]
    far = (sv > ridge1) & (sv < horizon + 0.002)
    _paint(img, (0.40, 0.22, 0.42), far * (0.9 - 0.4 * _smoothstep(ridge1, horizon, sv)), rows)
    ridge2 = horizon - (0.09 * np.exp(-((u - 0.30 * aspect) / (0.18 * aspect)) ** 2)
                        + 0.006 * np.sin(u * 33.0))
    rows = _span(v_line, float(ridge2.min()), horizon + 0.002)
    sv = v[rows]
    mid = (sv > ridge2) & (sv < horizon + 0.002)
    img[rows][mid] = _ramp([(0.0, (0.26, 0.14, 0.32)), (1.0, (0.20, 0.12, 0.26))],
                           ((sv - ridge2) / 0.09)[mid])

    # Foreground headland on the right: a dark green-brown cliff with a lit rim.
    cliff = 1.08 - 0.62 * _smoothstep(0.50 * aspect, 1.0 * aspect, u) \
        + 0.012 * np.sin(u * 14.0) + 0.005 * np.sin(u * 41.0)
    rows = _span(v_line, float(cliff.min()), 2.0)
    sv = v[rows]
    land = np.zeros((height, width), bool)
    land[rows] = sv > cliff
    depth = np.clip((sv - cliff) / 0.35, 0.0, 1.0)
    img[rows][land[rows]] = _ramp([(0.0, (0.78, 0.52, 0.22)), (0.03, (0.42, 0.34, 0.14)),
                                   (0.25, (0.17, 0.22, 0.10)), (1.0, (0.04, 0.07, 0.04))],
                                  depth[land[rows]])

    # A beach in the bottom-left: warm sand against the dark sea, with a foam line.
    shore = 0.88 + 0.05 * np.sin(u * 5.0 + 0.5) + 0.01 * np.sin(u * 29.0)
    rows = _span(v_line, float(shore.min()), 2.0)
    sv = v[rows]
    beach = (sv > shore) & ~land[rows]
    img[rows][beach] = _ramp([(0.0, (0.93, 0.74, 0.52)), (1.0, (0.70, 0.48, 0.32))],
                             ((sv - shore) / (1.0 - shore + 1e-6))[beach])
    # The foam is exp(-(d / 0.006)^2): below float32's smallest value beyond d = 0.07.
    rows = _span(v_line, float(shore.min()) - 0.07, float(shore.max()) + 0.07)
    sv = v[rows]
    _paint(img, (0.96, 0.93, 0.90), 0.9 * (np.exp(-((sv - shore) / 0.006) ** 2) * ~land[rows]),
           rows)

    # A lone tree on the headland: trunk and a round crown, the darkest shape in the picture.
    tx = 0.86 * aspect
    ty = float(np.interp(tx, u_line, cliff[0]))
    rows, cols = _span(v_line, ty - 0.27, ty + 0.02), _span(u_line, tx - 0.11, tx + 0.11)
    su, sv = u[:, cols], v[rows]
    trunk = (np.abs(su - tx) < 0.007) & (sv > ty - 0.16) & (sv < ty + 0.01)
    crown = np.hypot((su - tx) / 1.25, sv - (ty - 0.19)) < 0.07
    crown |= np.hypot((su - tx + 0.05), sv - (ty - 0.15)) < 0.045
    crown |= np.hypot((su - tx - 0.055), sv - (ty - 0.16)) < 0.05
    img[rows, cols][trunk | crown] = (0.06, 0.08, 0.05)

    return np.clip(img, 0.0, 1.0, out=img)


def default_picture(width: int = 1024, height: int = 768) -> np.ndarray:
    """The built-in sunset as float32 RGB (height, width, 3) in 0..1 (cached per size)."""
    pic = _picture(int(width), int(height))
    pic.setflags(write=False)
    return pic
