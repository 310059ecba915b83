"""Perlin noise, vectorised with numpy, with p5.js-style `noise()`, `noise_detail()`, `noise_seed()`.

Two layers:

- `perlin(x, y=None, z=None, octaves=1, persistence=0.5, lacunarity=2.0, repeat=1024, base=0)`
  is Ken Perlin's "improved" gradient noise exactly as the `noise` package computes it
  (`noise.pnoise1/2/3`, including its float32 arithmetic, its `repeat` tiling and `base`
  offset, and its 1-D quirks); in the tests it agrees with the package bit for bit. Values
  lie around -1..1. Being float32 like the reference, coordinates keep about 7 significant
  digits: fine up to tens of thousands, coarse beyond.
- `noise(x, y=0, z=None)` is the friendly p5-style form: values in 0..1, `noise_detail()`
  octaves (4) and falloff (0.5) by default. Exactly::

      noise(x, y)    = 0.5 + 0.5 * tanh(1.5 * perlin(x + OX, y + OY, octaves, persistence=falloff))
      noise(x, y, z) = 0.5 + 0.5 * tanh(1.5 * perlin(x + OX, y + OY, z + OZ, ...))
      noise(x)       = noise(x, 0)

  `perlin` divides the octave sum by the sum of amplitudes, so the mean stays at 0.5 whatever
  the octaves. The gain of 1.5 spreads the values about as widely as p5's noise (standard
  deviation about 0.11 with 4 octaves, most values within 0.2..0.8); tanh keeps them inside
  0..1 without flat clipped patches. The small constant offsets (OX, OY, OZ) keep whole-number
  inputs off the lattice, where Perlin noise is always 0: `noise(3, 7)` still varies from
  point to point, as it does in p5. Leaving out `z` gives 2-D noise (half the cost of 3-D).

p5.js's own `noise()` is value noise (random numbers at lattice points, cosine-blended), which
looks blocky; we use gradient (Perlin) noise for smoother, more natural-looking marks.

Inputs may be numbers or numpy arrays (any broadcastable shapes); scalars give a float,
arrays give a float32 array. A p5-style call on plain numbers takes a pure-Python path, about
ten times quicker than numpy for a single point (sketches call noise() once per shape). Grids are cheapest as a row and a column
(`noise(xs[None, :], ys[:, None])`): per-axis work then happens once per row/column.
`Noise(seed, octaves, falloff)` owns its own permutation and settings, so brushes and sketches
don't disturb each other; the module functions use one shared default instance.
"""

from __future__ import annotations

import math
import numbers
import struct

import numpy as np

from artkit.errors import ArtkitError

__all__ = ["Noise", "noise", "noise_detail", "noise_seed", "perlin", "PERLIN_PERMUTATION"]

# Ken Perlin's reference permutation (the one the `noise` package uses).
PERLIN_PERMUTATION = np.array([
    151, 160, 137, 91, 90, 15, 131, 13, 201, 95, 96, 53, 194, 233, 7, 225, 140, 36, 103, 30,
    69, 142, 8, 99, 37, 240, 21, 10, 23, 190, 6, 148, 247, 120, 234, 75, 0, 26, 197, 62, 94,
    252, 219, 203, 117, 35, 11, 32, 57, 177, 33, 88, 237, 149, 56, 87, 174, 20, 125, 136, 171,
    168, 68, 175, 74, 165, 71, 134, 139, 48, 27, 166, 77, 146, 158, 231, 83, 111, 229, 122, 60,
    211, 133, 230, 220, 105, 92, 41, 55, 46, 245, 40, 244, 102, 143, 54, 65, 25, 63, 161, 1,
    216, 80, 73, 209, 76, 132, 187, 208, 89, 18, 169, 200, 196, 135, 130, 116, 188, 159, 86,
    164, 100, 109, 198, 173, 186, 3, 64, 52, 217, 226, 250, 124, 123, 5, 202, 38, 147, 118, 126,
    255, 82, 85, 212, 207, 206, 59, 227, 47, 16, 58, 17, 182, 189, 28, 42, 223, 183, 170, 213,
    119, 248, 152, 2, 44, 154, 163, 70, 221, 153, 101, 155, 167, 43, 172, 9, 129, 22, 39, 253,
    19, 98, 108, 110, 79, 113, 224, 232, 178, 185, 112, 104, 218, 246, 97, 228, 251, 34, 242,
    193, 238, 210, 144, 12, 191, 179, 162, 241, 81, 51, 145, 235, 249, 14, 239, 107, 49, 192,
    214, 31, 181, 199, 106, 157, 184, 84, 204, 176, 115, 121, 50, 45, 127, 4, 150, 254, 138,
    236, 205, 93, 222, 114, 67, 29, 24, 72, 243, 141, 128, 195, 78, 66, 215, 61, 156, 180,
], dtype=np.int32)
PERLIN_PERMUTATION.setflags(write=False)

# The 16 gradients of improved noise (12 cube edges, 4 repeated), as in the `noise` package.
_GRAD3 = np.array([
    [1, 1, 0], [-1, 1, 0], [1, -1, 0], [-1, -1, 0],
    [1, 0, 1], [-1, 0, 1], [1, 0, -1], [-1, 0, -1],
    [0, 1, 1], [0, -1, 1], [0, 1, -1], [0, -1, -1],
    [1, 0, -1], [-1, 0, -1], [0, -1, 1], [0, 1, 1],
], dtype=np.float32)

# Offsets that keep p5-style noise() off the integer lattice (see the module docstring).
# Gain before tanh in noise(): spreads values like p5's noise (see the module docstring).
_GAIN = 1.5

_OFFSETS = (np.float32(0.3183099), np.float32(0.6180340), np.float32(0.4142136))


class _Tables:
    """Lookup tables for one permutation and `base`, folding the double hashing of the
    reference code into single gathers: a 2-D table indexed by (hash of x) * 256 + y cell."""

    def __init__(self, perm: np.ndarray, base: int):
        p = perm.astype(np.int32)
        cells = np.arange(256, dtype=np.int32)
        # p[(i + base) & 255] is the reference's PERM[(i & 255) + base] on a periodic table.
        self.first = p[(cells + base) & 255]
        self.first256 = self.first.astype(np.int64) * 256     # row offsets into the 2-D tables
        grid = cells[:, None] + cells[None, :] + base          # (a, j) -> a + j + base
        hashed = p[grid & 255]                                 # PERM[A + j] in the reference
        self.second256 = hashed.ravel().astype(np.int64) * 256  # for 3-D: AA, AB, BA, BB rows
        grad2 = _GRAD3[p[hashed] & 15]                         # 2-D hash: PERM[PERM[A + j]]
        self.g2x = np.ascontiguousarray(grad2[..., 0].ravel())
        self.g2y = np.ascontiguousarray(grad2[..., 1].ravel())
        grad3 = _GRAD3[p[grid & 255] & 15]                     # 3-D hash: PERM[AA + k]
        self.g3x = np.ascontiguousarray(grad3[..., 0].ravel())
        self.g3y = np.ascontiguousarray(grad3[..., 1].ravel())
        self.g3z = np.ascontiguousarray(grad3[..., 2].ravel())
        # 1-D gradient of the reference, quirk included: (h & 7) + 1, or -1 when h & 8.
        h1 = p[(cells + base) & 255]
        self.g1 = np.where(h1 & 8, -1.0, (h1 & 7) + 1.0).astype(np.float32)


def _fade(t):
    return t * t * t * (t * (t * 6 - 15) + 10)


def _lerp(t, a, b):
    return a + t * (b - a)


def _cells(v, period, int_period: bool):
    """Lattice cells (i, i+1) & 255 and the fraction, following the reference's wrap rule.

    When the period is a whole multiple of 256 the wrap cannot change `& 255`, so the cheap
    path is exact; otherwise reproduce the reference's fmod steps in float32.
    """
    floor = np.floor(v)
    frac = v - floor
    if float(period) % 256.0 == 0.0:
        i = floor.astype(np.int64)
        return i & 255, (i + 1) & 255, frac
    if int_period:
        rp = np.float32(int(period))
    else:
        rp = np.float32(period)
    i = np.floor(np.fmod(v, rp)).astype(np.int64)
    ii = np.fmod((i + 1).astype(np.float32), rp).astype(np.int64)
    return i & 255, ii & 255, frac


def _octave1(t: _Tables, x, repeat: int):
    floor = np.floor(x)
    frac = x - floor
    xi = floor.astype(np.int64)
    if repeat % 256 == 0:
        i, ii = xi & 255, (xi + 1) & 255
    else:
        i = np.fmod(xi, repeat)                # C's % truncates towards zero, like np.fmod
        ii = np.fmod(i + 1, repeat) & 255
        i = i & 255
    u = _fade(frac)
    return _lerp(u, t.g1[i] * frac, t.g1[ii] * (frac - 1)) * np.float32(0.4)


def _octave2(t: _Tables, x, y, rx, ry):
    i, ii, fx = _cells(x, rx, False)
    j, jj, fy = _cells(y, ry, False)
    u, v = _fade(fx), _fade(fy)
    fx1, fy1 = fx - 1, fy - 1
    a = t.first256[i]                          # per-axis work stays on the input shapes
    b = t.first256[ii]
    aa, ab, ba, bb = a + j, a + jj, b + j, b + jj
    g2x, g2y = t.g2x, t.g2y
    n00 = g2x[aa] * fx + g2y[aa] * fy
    n10 = g2x[ba] * fx1 + g2y[ba] * fy
    n01 = g2x[ab] * fx + g2y[ab] * fy1
    n11 = g2x[bb] * fx1 + g2y[bb] * fy1
    return _lerp(v, _lerp(u, n00, n10), _lerp(u, n01, n11))


def _octave3(t: _Tables, x, y, z, rx, ry, rz):
    i, ii, fx = _cells(x, rx, True)
    j, jj, fy = _cells(y, ry, True)
    k, kk, fz = _cells(z, rz, True)
    u, v, w = _fade(fx), _fade(fy), _fade(fz)
    fx1, fy1, fz1 = fx - 1, fy - 1, fz - 1
    a = t.first256[i]
    b = t.first256[ii]
    second = t.second256
    aa, ab = second[a + j], second[a + jj]
    ba, bb = second[b + j], second[b + jj]
    gx, gy, gz = t.g3x, t.g3y, t.g3z

    def corner(h, px, py, pz):
        return gx[h] * px + gy[h] * py + gz[h] * pz

    near = _lerp(v,
                 _lerp(u, corner(aa + k, fx, fy, fz), corner(ba + k, fx1, fy, fz)),
                 _lerp(u, corner(ab + k, fx, fy1, fz), corner(bb + k, fx1, fy1, fz)))
    far = _lerp(v,
                _lerp(u, corner(aa + kk, fx, fy, fz1), corner(ba + kk, fx1, fy, fz1)),
                _lerp(u, corner(ab + kk, fx, fy1, fz1), corner(bb + kk, fx1, fy1, fz1)))
    return _lerp(w, near, far)


def _as_coords(value, name: str):
    if isinstance(value, (bool, np.bool_)) or isinstance(value, str):
        raise ArtkitError(f"noise needs numbers, but {name} is {value!r}.")
    try:
        arr = np.asarray(value, dtype=np.float32)
    except (TypeError, ValueError):
        raise ArtkitError(f"noise needs numbers (or arrays of numbers), but {name} is {value!r}.") from None
    return arr


def _check_octaves(octaves) -> int:
    if not isinstance(octaves, numbers.Integral) or isinstance(octaves, bool) or not 1 <= octaves <= 32:
        raise ArtkitError(f"The number of noise octaves must be a whole number from 1 to 32, not {octaves!r}.")
    return int(octaves)


class Noise:
    """An independent noise generator: its own permutation (shuffled by `seed`; the reference
    permutation when `seed` is None), octaves and falloff. Call it like `noise()`."""

    def __init__(self, seed: int | None = None, octaves: int = 4, falloff: float = 0.5):
        self._tables: dict[int, _Tables] = {}
        self.seed(seed)
        self.detail(octaves, falloff)

    def seed(self, seed: int | None) -> None:
        """Shuffle the permutation deterministically from `seed` (None: Ken Perlin's table)."""
        if seed is None:
            self.permutation = PERLIN_PERMUTATION
        else:
            if not isinstance(seed, numbers.Integral) or isinstance(seed, bool):
                raise ArtkitError(f"A noise seed must be a whole number, not {seed!r}.")
            perm = np.random.default_rng(int(seed) & 0xFFFFFFFFFFFFFFFF).permutation(256)
            self.permutation = perm.astype(np.int32)
        self._tables = {}
        self._perm_list = None

    def detail(self, octaves: int = 4, falloff: float = 0.5) -> None:
        """p5's noiseDetail: how many octaves, and how much quieter each one is than the last."""
        self.octaves = _check_octaves(octaves)
        if not isinstance(falloff, numbers.Real) or isinstance(falloff, bool) or not 0 < falloff <= 1:
            raise ArtkitError(f"The noise falloff must be a number above 0 and at most 1, not {falloff!r}.")
        self.falloff = float(falloff)

    def _tables_for(self, base: int) -> _Tables:
        tables = self._tables.get(base)
        if tables is None:
            tables = self._tables[base] = _Tables(self.permutation, base)
        return tables

    def perlin(self, x, y=None, z=None, octaves: int = 1, persistence: float = 0.5,
               lacunarity: float = 2.0, repeat: int = 1024, base: int = 0):
        """Raw improved Perlin noise in 1, 2 or 3 D (about -1..1), matching `noise.pnoise1/2/3`
        with the same arguments (`repeat` is repeat, or repeatx = repeaty = repeatz)."""
        octaves = _check_octaves(octaves)
        if not isinstance(base, numbers.Integral) or isinstance(base, bool) or base < 0:
            raise ArtkitError(f"The noise base must be a whole number 0 or more, not {base!r}.")
        if not isinstance(repeat, numbers.Real) or isinstance(repeat, bool) or not repeat >= 1:
            raise ArtkitError(f"The noise repeat must be a number 1 or more, not {repeat!r}.")
        tables = self._tables_for(int(base) & 255)
        coords = [_as_coords(x, "x")]
        if y is not None:
            coords.append(_as_coords(y, "y"))
        if z is not None:
            if y is None:
                raise ArtkitError("noise got z but no y; give x, y and z.")
            coords.append(_as_coords(z, "z"))
        scalar = all(c.ndim == 0 for c in coords)
        persistence32, lacunarity32 = np.float32(persistence), np.float32(lacunarity)
        freq, amp, total_amp = np.float32(1.0), np.float32(1.0), np.float32(0.0)
        total = None
        with np.errstate(invalid="ignore", over="ignore"):
            for _ in range(octaves):
                scaled = coords if freq == 1 else [c * freq for c in coords]
                if len(coords) == 1:
                    value = _octave1(tables, scaled[0], int(np.float32(repeat) * freq))
                elif len(coords) == 2:
                    period = np.float32(repeat) * freq
                    value = _octave2(tables, scaled[0], scaled[1], period, period)
                else:
                    period = int(np.float32(repeat) * freq)
                    value = _octave3(tables, *scaled, period, period, period)
                if octaves == 1:
                    total = value
                    break
                total = value * amp if total is None else total + value * amp
                total_amp += amp
                freq = freq * lacunarity32
                amp = amp * persistence32
            if octaves > 1:
                total = total / total_amp
        total = np.asarray(total, dtype=np.float32)
        return float(total) if scalar else total

    def __call__(self, x, y=0.0, z=None):
        """p5-style noise in 0..1 (see the module docstring for the exact formula)."""
        if _is_scalar(x) and _is_scalar(y) and (z is None or _is_scalar(z)):
            return self._scalar(x, y, z)
        ox, oy, oz = _OFFSETS
        xs, ys = _as_coords(x, "x") + ox, _as_coords(y, "y") + oy
        zs = None if z is None else _as_coords(z, "z") + oz
        raw = self.perlin(xs, ys, zs, octaves=self.octaves, persistence=self.falloff)
        if isinstance(raw, float):
            return 0.5 + 0.5 * math.tanh(_GAIN * raw)
        out = np.tanh(raw * np.float32(_GAIN), out=raw)
        out *= np.float32(0.5)
        out += np.float32(0.5)
        return out


    def _scalar(self, x, y, z) -> float:
        """One value of noise() in plain Python: sketches call noise() once per shape, where
        numpy's per-call overhead would cost ~20x more than the maths. Same formula as the
        array path (float64 instead of float32 inside, so they agree to about 1e-7)."""
        ox, oy, oz = _F32_OFFSETS
        x, y = _to_f32(_to_f32(x) + ox), _to_f32(_to_f32(y) + oy)
        if z is not None:
            z = _to_f32(_to_f32(z) + oz)
        perm = self._perm_list
        if perm is None:
            perm = self._perm_list = [int(v) for v in self.permutation]
        total, total_amp, amp, freq = 0.0, 0.0, 1.0, 1.0
        falloff = _to_f32(self.falloff)
        for _ in range(self.octaves):
            if z is None:
                value = _scalar_octave2(perm, x * freq, y * freq)
            else:
                value = _scalar_octave3(perm, x * freq, y * freq, z * freq)
            total += value * amp
            total_amp += amp
            freq *= 2.0
            amp *= falloff
        return 0.5 + 0.5 * math.tanh(_GAIN * total / total_amp)


def _is_scalar(value) -> bool:
    kind = type(value)
    return kind is float or kind is int or (
        isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)))


_F32 = struct.Struct("f")


def _to_f32(value: float) -> float:
    """Round to the nearest float32, as the array path does."""
    return _F32.unpack(_F32.pack(value))[0]


_F32_OFFSETS = tuple(float(o) for o in _OFFSETS)
_GRAD_LIST = [tuple(float(c) for c in g) for g in _GRAD3]


def _scalar_octave2(p, x: float, y: float) -> float:
    """`_octave2` for one point with base 0 and the default repeat (what noise() uses)."""
    xf, yf = math.floor(x), math.floor(y)
    fx, fy = x - xf, y - yf
    i, j = xf & 255, yf & 255
    a, b = p[i], p[(i + 1) & 255]
    j1 = (j + 1) & 255
    g = _GRAD_LIST
    h00, h10 = g[p[p[(a + j) & 255]] & 15], g[p[p[(b + j) & 255]] & 15]
    h01, h11 = g[p[p[(a + j1) & 255]] & 15], g[p[p[(b + j1) & 255]] & 15]
    fx1, fy1 = fx - 1.0, fy - 1.0
    n00 = h00[0] * fx + h00[1] * fy
    n10 = h10[0] * fx1 + h10[1] * fy
    n01 = h01[0] * fx + h01[1] * fy1
    n11 = h11[0] * fx1 + h11[1] * fy1
    u = fx * fx * fx * (fx * (fx * 6.0 - 15.0) + 10.0)
    v = fy * fy * fy * (fy * (fy * 6.0 - 15.0) + 10.0)
    lo = n00 + u * (n10 - n00)
    hi = n01 + u * (n11 - n01)
    return lo + v * (hi - lo)


def _scalar_octave3(p, x: float, y: float, z: float) -> float:
    """`_octave3` for one point with base 0 and the default repeat (what noise() uses)."""
    xf, yf, zf = math.floor(x), math.floor(y), math.floor(z)
    fx, fy, fz = x - xf, y - yf, z - zf
    i, j, k = xf & 255, yf & 255, zf & 255
    a, b = p[i], p[(i + 1) & 255]
    j1, k1 = (j + 1) & 255, (k + 1) & 255
    aa, ab = p[(a + j) & 255], p[(a + j1) & 255]
    ba, bb = p[(b + j) & 255], p[(b + j1) & 255]
    fx1, fy1, fz1 = fx - 1.0, fy - 1.0, fz - 1.0
    g = _GRAD_LIST

    def dot(h, px, py, pz):
        grad = g[p[h & 255] & 15]
        return grad[0] * px + grad[1] * py + grad[2] * pz

    u = fx * fx * fx * (fx * (fx * 6.0 - 15.0) + 10.0)
    v = fy * fy * fy * (fy * (fy * 6.0 - 15.0) + 10.0)
    w = fz * fz * fz * (fz * (fz * 6.0 - 15.0) + 10.0)
    n000, n100 = dot(aa + k, fx, fy, fz), dot(ba + k, fx1, fy, fz)
    n010, n110 = dot(ab + k, fx, fy1, fz), dot(bb + k, fx1, fy1, fz)
    n001, n101 = dot(aa + k1, fx, fy, fz1), dot(ba + k1, fx1, fy, fz1)
    n011, n111 = dot(ab + k1, fx, fy1, fz1), dot(bb + k1, fx1, fy1, fz1)
    near_lo, near_hi = n000 + u * (n100 - n000), n010 + u * (n110 - n010)
    far_lo, far_hi = n001 + u * (n101 - n001), n011 + u * (n111 - n011)
    near = near_lo + v * (near_hi - near_lo)
    far = far_lo + v * (far_hi - far_lo)
    return near + w * (far - near)


_default = Noise()


def noise(x, y=0.0, z=None):
    """Smooth random values in 0..1 that change gently as x, y (and z) change, like p5's noise()."""
    return _default(x, y, z)


def noise_detail(octaves: int = 4, falloff: float = 0.5) -> None:
    """Set the octaves and falloff of `noise()` (p5's noiseDetail)."""
    _default.detail(octaves, falloff)


def noise_seed(seed: int | None) -> None:
    """Make `noise()` repeatable: the same seed gives the same noise (None: the reference)."""
    _default.seed(seed)


def perlin(x, y=None, z=None, octaves: int = 1, persistence: float = 0.5,
           lacunarity: float = 2.0, repeat: int = 1024, base: int = 0):
    """Raw improved Perlin noise with Ken Perlin's permutation, matching `noise.pnoise1/2/3`."""
    return _reference.perlin(x, y, z, octaves, persistence, lacunarity, repeat, base)


_reference = Noise()
