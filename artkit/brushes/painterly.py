"""The painterly brush: Hertzmann's curved strokes ("Painterly rendering with curved brush
strokes of multiple sizes", 1998), drawn with artkit's translucency.

Each touch is one long stroke that starts where the hand (or the layered plan) puts it and
grows both ways along the picture's isophotes: the lines of equal brightness, read from the
smoothed orientation field (`artkit.orientation`) at the brush's scale. It is a smooth curve
(quadratic B-spline) through control points one half brush width apart, as in the paper:

- it has at least `min_length` and at most `max_length` control points;
- it ends, past the minimum, where the picture's colour departs from the stroke's own by more
  than `stop` (RGB distance, 0..1 per channel), so strokes stay inside shapes;
- `curvature` (the paper's f_c) filters each new direction with the last: 1 follows the
  field fully, lower values give straighter strokes;
- where the picture is flat (no clear orientation) the stroke follows a Perlin noise field
  instead, so backgrounds still swirl.

A stroke is one translucent curve as wide as the brush with round ends, like the paper's round
brush; with `bristles` above 1 it is drawn as that many parallel hairs across its width
instead, one path per stroke (they don't darken where they overlap), which reads as a flat,
bristly brush. `jitter` varies each stroke's colour a little (the paper's expressionist
styles).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from artkit.brushes.base import SIZE_MAX, SIZE_MIN, Brush, param, to_rgba
from artkit.noise import Noise
from artkit.orientation import orientation_field
from artkit.strokes import CURVE, Strokes

# Where the orientation field is at least this strong, strokes follow it fully.
_CLEAR = 0.6


@dataclasses.dataclass
class PainterlyBrush(Brush):
    name = "painterly"
    summary = "long curved strokes along the picture's forms that end where its colour changes"
    kind = CURVE
    base_size = 12.0

    # stroke width in px; control points are half of it apart
    size: float = param(12.0, SIZE_MIN, SIZE_MAX)
    min_length: int = param(4, 1, 200)           # control points a stroke always has
    max_length: int = param(16, 1, 200)          # control points a stroke has at most
    # colour difference (RGB distance, 0..1 per channel) that ends a stroke
    stop: float = param(0.12, 0.0, 2.0)
    curvature: float = param(1.0, 0.0, 1.0)      # 1: follow the field; less: straighter
    bristles: int = param(1, 1, 64)              # hairs across the width: >1 is a flat brush
    alpha: float = param(170.0, 0.0, 255.0)      # 0..255
    # colour jitter per stroke (0..1 per channel; 0 as in the paper's "impressionist" style)
    jitter: float = param(0.0, 0.0, 1.0)
    # the noise field followed where the picture is flat (features across the shorter side)
    field_scale: float = param(2.5, 0.0, 1000.0, above_low=True)
    field_seed: int = param(0, 0, 2**32 - 1)

    def __post_init__(self):
        self._noise: Noise | None = None
        self._noise_key = None

    # -- directions -------------------------------------------------------------------------
    def _field(self, source):
        return self.orientation or orientation_field(source, max(1.0, 0.5 * float(self.size)))

    def _noise_angles(self, source, xy: np.ndarray) -> np.ndarray:
        key = int(self.field_seed)
        if self._noise is None or self._noise_key != key:
            self._noise, self._noise_key = Noise(key, octaves=2, falloff=0.5), key
        f = np.float32(self.field_scale / min(source.width, source.height))
        return self._noise(xy[:, 0] * f, xy[:, 1] * f) * np.float32(4 * math.pi)

    def _directions(self, source, field, xy: np.ndarray, previous: np.ndarray | None):
        """Unit directions (K, 2) to walk from xy: along the isophote where the picture has a
        clear orientation, the noise field where it is flat, blended in between; turned to
        agree with `previous` (an isophote has no sign) and filtered by `curvature`."""
        tangent, strength = field.at(xy[:, 0], xy[:, 1])
        a = self._noise_angles(source, xy)
        noise = np.stack([np.cos(a), np.sin(a)], axis=-1)
        if previous is not None:
            tangent = tangent * np.sign(np.einsum("ij,ij->i", tangent, previous) + 1e-9)[:, None]
            noise = noise * np.sign(np.einsum("ij,ij->i", noise, previous) + 1e-9)[:, None]
        else:   # the first direction: the isophote's sign that agrees with the noise
            tangent = tangent * np.sign(np.einsum("ij,ij->i", tangent, noise) + 1e-9)[:, None]
        w = np.minimum(strength / np.float32(_CLEAR), 1)[:, None]
        d = tangent * w + noise * (1 - w)
        if previous is not None:
            fc = np.float32(self.curvature)
            d = d * fc + previous * (1 - fc)
        length = np.hypot(d[:, 0], d[:, 1])[:, None]
        fallback = previous if previous is not None else noise
        return np.where(length > 1e-6, d / np.maximum(length, 1e-6), fallback).astype(
            np.float32)

    # -- strokes ----------------------------------------------------------------------------
    def spacing(self) -> float:
        return max(1.0, 1.5 * float(self.size))

    def marks_per_touch(self) -> int:
        return int(self.bristles)

    def _half(self) -> tuple[int, int]:
        """(steps each way at most, steps each way always)."""
        most = max(1, int(self.max_length) - 1)
        least = min(most, max(0, int(self.min_length) - 1))
        return (most + 1) // 2, (least + 1) // 2

    def empty(self) -> Strokes:
        return Strokes.empty(self.kind, 2 * self._half()[0] + 1)

    def touch(self, source, centres, rng, headings) -> Strokes:
        centres = np.asarray(centres, np.float32).reshape(-1, 2)
        m = len(centres)
        if m == 0:
            return self.empty()
        field = self._field(source)
        half, least = self._half()
        step = np.float32(max(0.5, 0.5 * float(self.size)))
        colour = source.colour_at(centres[:, 0], centres[:, 1])
        colour = np.clip(colour + rng.normal(0.0, self.jitter, (m, 3)).astype(np.float32), 0, 1)

        first = self._directions(source, field, centres, None)
        if headings is not None:
            # A hand's (or a plan's) heading picks which way along the isophote to start.
            hand = np.stack([np.cos(headings), np.sin(headings)], axis=-1).astype(np.float32)
            first *= np.sign(np.einsum("ij,ij->i", first, hand) + 1e-9)[:, None]
        # Walk forwards (rows 0..m-1) and backwards (rows m..2m-1) together.
        pos = np.concatenate([centres, centres])
        heading = np.concatenate([first, -first])
        target = np.concatenate([colour, colour])
        alive = np.ones(2 * m, bool)
        track = np.empty((half + 1, 2 * m, 2), np.float32)
        track[0] = pos
        for i in range(1, half + 1):
            nxt = pos + heading * step
            if i > least:
                seen = source.colour_at(nxt[:, 0], nxt[:, 1])
                far = np.sqrt(((seen - target) ** 2).sum(axis=1)) > np.float32(self.stop)
                alive &= ~far
            pos = np.where(alive[:, None], nxt, pos)
            track[i] = pos
            if not alive.any():
                track[i + 1:] = pos
                break
            if i < half:
                heading = np.where(alive[:, None],
                                   self._directions(source, field, pos, heading), heading)
        # Control points from the backward end through the centre to the forward end.
        forward, backward = track[:, :m], track[:, m:]
        points = np.concatenate([backward[::-1], forward[1:]], axis=0).transpose(1, 0, 2)
        return self._bristles(points, colour, rng)

    def _bristles(self, points: np.ndarray, colour: np.ndarray, rng) -> Strokes:
        """The strokes (M, P, 2) as `bristles` hairs each, side by side across the width."""
        m, p = points.shape[:2]
        count = max(1, int(self.bristles))
        size = float(self.size)
        if count == 1:
            offsets = np.zeros((m, 1), np.float32)
        else:
            across = np.linspace(-0.5, 0.5, count, dtype=np.float32) * size * (1 - 1 / count)
            wobble = rng.normal(0.0, 0.08 * size / count, (m, count)).astype(np.float32)
            offsets = across[None, :] + wobble
        # The normal of the curve at each control point (from its neighbours).
        ahead = np.concatenate([points[:, 1:], points[:, -1:]], axis=1)
        behind = np.concatenate([points[:, :1], points[:, :-1]], axis=1)
        d = ahead - behind
        length = np.hypot(d[..., 0], d[..., 1])
        normal = np.stack([-d[..., 1], d[..., 0]], axis=-1) / np.maximum(length, 1e-6)[..., None]
        # A stroke that stopped early repeats its end point: those points take the normal of
        # the nearest point that moved, so the hairs stay side by side to the very end.
        moved = length > 1e-6
        at = np.arange(p)
        nearest = np.maximum.accumulate(np.where(moved, at, 0), axis=1)
        first = np.argmax(moved, axis=1)[:, None]
        nearest = np.where(at < first, first, nearest)
        normal = np.take_along_axis(normal, nearest[..., None], axis=1)
        normal[~moved.any(axis=1)] = (0.0, 1.0)
        hairs = points[:, None] + normal[:, None] * offsets[:, :, None, None]
        width = np.float32(size / count * (1.35 if count > 1 else 1.0))
        rgba = np.repeat(to_rgba(colour, self.alpha), count, axis=0)
        group = np.repeat(np.arange(m, dtype=np.int32), count)
        return Strokes(self.kind, hairs.reshape(m * count, p, 2), rgba, width, group)
