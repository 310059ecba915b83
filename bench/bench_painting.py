"""How close a painting comes to its photograph: the layered plan against the uniform one.

For each photograph and canvas size, in one run and one process, alternating:

- **uniform**: today's autopaint, until covered (its own stopping rule);
- **layered**: the layered plan (`artkit.layered`), to its end;
- **equal strokes**: uniform given exactly as many touches as layered laid, and layered stopped
  after as many touches as uniform laid (a touch is one clump of the brush's marks, so equal
  touches are equal marks);
- **equal time**: each plan painting for as long (CPU time) as the other took.

Error to the photograph, both pictures shrunk to 1/4 (so a hair's texture does not count, the
picture it makes does): mean CIE76 colour difference (ΔE in Lab, lower is better) and SSIM
of the luminance (Gaussian window, sigma 1.5; higher is better), over the whole picture and
inside a face box. "Darkest tenth" is the painting's mean luminance (0..1) where the photo is
in its darkest 10 % (beside the photo's own): whether darks stay dark. The face boxes are fixed: measured by eye on each photograph fitted
(cover, centred) to a square, as fractions of its side (x0, y0, x1, y1), from the hairline to
the chin and ear to ear. The default source (a sunset) has no face; chelsea's box is the cat's
face.

Photographs: the built-in default source, scikit-image's astronaut and chelsea
(`skimage.data`) and matplotlib's grace_hopper (`matplotlib.cbook.get_sample_data`); a photo
whose package is missing is skipped with one line. Timings are wall time on this machine as
it is. Costs are compared in CPU time of this process (wall time shown beside it): on a
shared machine other work stretches wall time unevenly, CPU time much less. Each plan's full
painting is timed `--repeat` times and the least kept; "equal time" gives each plan the
other's CPU time. Compare ratios, not seconds.

    python bench/bench_painting.py [--sizes 400,1024] [--brushes flow] [--photos astronaut]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from artkit.blur import gaussian_blur  # noqa: E402
from artkit.session import PaintSession  # noqa: E402
from artkit.source import SourceImage  # noqa: E402

PHOTOS = ("default", "astronaut", "chelsea", "grace_hopper")
# Face boxes, measured by eye on each photograph fitted to a square: (x0, y0, x1, y1) as
# fractions of the side.
FACE_BOXES = {
    "astronaut": (0.35, 0.13, 0.55, 0.37),
    "chelsea": (0.15, 0.20, 0.95, 0.88),      # eyes, nose and mouth
    "grace_hopper": (0.32, 0.20, 0.68, 0.58),
}
SEED = 7


# -- photographs --------------------------------------------------------------------------------

def photo(name: str):
    """(H, W, 3) uint8 of a named photograph, or None with a reason when its package is
    missing."""
    if name == "default":
        return "default", None
    if name in ("astronaut", "chelsea"):
        try:
            from skimage import data
        except ImportError:
            return None, "scikit-image is not installed (pip install scikit-image)"
        return getattr(data, name)(), None
    if name == "grace_hopper":
        try:
            from matplotlib.cbook import get_sample_data
        except ImportError:
            return None, "matplotlib is not installed (pip install matplotlib)"
        with get_sample_data("grace_hopper.jpg") as f:
            return np.asarray(Image.open(f).convert("RGB")), None
    raise SystemExit(f"unknown photo {name!r}; the photos are {', '.join(PHOTOS)}")


def fitted(name: str, pixels, size: int) -> SourceImage:
    if name == "default":
        return SourceImage.default((size, size))
    return SourceImage.from_array(pixels, (size, size), name=name)


# -- error to the photograph ---------------------------------------------------------------------

def quarter(rgb: np.ndarray) -> np.ndarray:
    h, w = rgb.shape[:2]
    size = (max(1, w // 4), max(1, h // 4))
    return np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.BOX))


def to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB uint8 (..., 3) → CIE Lab (D65), float64."""
    c = rgb.astype(np.float64) / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    m = np.array([[0.4124564, 0.3575761, 0.1804375],
                  [0.2126729, 0.7151522, 0.0721750],
                  [0.0193339, 0.1191920, 0.9503041]])
    xyz = linear @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]),
                     200 * (f[..., 1] - f[..., 2])], axis=-1)


def delta_e(a: np.ndarray, b: np.ndarray) -> float:
    """Mean CIE76 colour difference of two sRGB uint8 pictures."""
    return float(np.sqrt(((to_lab(a) - to_lab(b)) ** 2).sum(-1)).mean())


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean SSIM of the luminance of two sRGB uint8 pictures (Wang et al. 2004: Gaussian
    window, sigma 1.5, K1 0.01, K2 0.03, data range 1)."""
    luma = np.array([0.2126, 0.7152, 0.0722], np.float32)
    x = a.astype(np.float32) @ luma / 255
    y = b.astype(np.float32) @ luma / 255
    if min(x.shape) < 2:
        return float(1.0 - abs(float(x.mean() - y.mean())))
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    mx, my = gaussian_blur(x, 1.5), gaussian_blur(y, 1.5)
    sxx = gaussian_blur(x * x, 1.5) - mx * mx
    syy = gaussian_blur(y * y, 1.5) - my * my
    sxy = gaussian_blur(x * y, 1.5) - mx * my
    s = ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2))
    return float(s.mean())


def luminance(rgb: np.ndarray) -> np.ndarray:
    return rgb.astype(np.float32) @ np.array([0.2126, 0.7152, 0.0722], np.float32) / 255


def errors(painting: np.ndarray, source: np.ndarray, box) -> dict:
    """ΔE and SSIM at 1/4 scale, whole and inside `box` (fractions; None: no face), and the
    mean luminance (0..1) of the painting where the source is in its darkest tenth."""
    p, s = quarter(painting), quarter(source)
    dark = luminance(source) <= np.percentile(luminance(source), 10)
    out = {"dE": delta_e(p, s), "ssim": ssim(p, s),
           "darks": float(luminance(painting)[dark].mean()),
           "source_darks": float(luminance(source)[dark].mean())}
    if box is not None:
        h, w = p.shape[:2]
        x0, y0, x1, y1 = (round(v * n) for v, n in zip(box, (w, h, w, h)))
        out["face_dE"] = delta_e(p[y0:y1, x0:x1], s[y0:y1, x0:x1])
        out["face_ssim"] = ssim(p[y0:y1, x0:x1], s[y0:y1, x0:x1])
    return out


# -- painting -------------------------------------------------------------------------------------

def paint(source: SourceImage, brush: str, plan: str, size: int, touches=None, seconds=None):
    """Paint `source` with one plan; stop at the plan's end, after `touches`, or when
    `seconds` of CPU time have passed (then at a batch boundary). Returns (session, run,
    (cpu seconds, wall seconds))."""
    session = PaintSession((size, size), source, brush=brush, seed=SEED)
    session.set_plan(plan)
    cpu, wall = time.process_time(), time.perf_counter()
    run = session.start_autopaint(touches)
    while run.step():
        if seconds is not None and time.process_time() - cpu >= seconds:
            run.stop()
            break
    return session, run, (time.process_time() - cpu, time.perf_counter() - wall)


def row(label: str, session, run, seconds, source, box) -> dict:
    e = errors(session.canvas.rgb(), source.to_array(), box)
    e.update(label=label, touches=run.done, seconds=seconds[0], wall=seconds[1],
             covered=run.covered)
    return e


def show(r: dict) -> None:
    face = (f"  face ΔE {r['face_dE']:5.1f} SSIM {r['face_ssim']:.3f}" if "face_dE" in r
            else "")
    print(f"    {r['label']:<26} {r['touches']:>7,} touches {r['seconds']:6.2f} s cpu "
          f"({r['wall']:5.2f} wall) covered {r['covered']:6.1%}  ΔE {r['dE']:5.1f} "
          f"SSIM {r['ssim']:.3f}{face}  darkest tenth {r['darks']:.2f} "
          f"(photo {r['source_darks']:.2f})")


def lower(layered: dict, uniform: dict, key: str = "dE") -> str:
    return f"{1 - layered[key] / uniform[key]:+.0%}".replace("+", "")


def timed(source, brush: str, plan: str, size: int, repeat: int):
    """`paint` to the plan's end `repeat` times (the same marks each time): the last run,
    with the least CPU and the least wall time any run took."""
    runs = [paint(source, brush, plan, size) for _ in range(max(1, repeat))]
    session, run, _ = runs[-1]
    return session, run, (min(r[2][0] for r in runs), min(r[2][1] for r in runs))


def bench(name: str, pixels, size: int, brush: str, repeat: int = 2) -> dict:
    source = fitted(name, pixels, size)
    box = FACE_BOXES.get(name)
    uni = row("uniform, until covered", *timed(source, brush, "uniform", size, repeat),
              source, box)
    lay = row("layered, to its end", *timed(source, brush, "layered", size, repeat),
              source, box)
    uni_n = row("uniform, layered's touches",
                *paint(source, brush, "uniform", size, touches=lay["touches"]), source, box)
    lay_n = row("layered, uniform's touches",
                *paint(source, brush, "layered", size, touches=uni["touches"]), source, box)
    uni_t = row("uniform, layered's time",
                *paint(source, brush, "uniform", size, touches=10**9, seconds=lay["seconds"]),
                source, box)
    lay_t = row("layered, uniform's time",
                *paint(source, brush, "layered", size, seconds=uni["seconds"]), source, box)
    for r in (uni, lay, uni_n, lay_n, uni_t, lay_t):
        show(r)
    faces = "face_dE" in lay
    summary = {
        "time ratio": lay["seconds"] / uni["seconds"],
        f"ΔE lower at {lay['touches']:,} touches": lower(lay, uni_n),
        f"ΔE lower at {uni['touches']:,} touches": lower(lay_n, uni),
        f"ΔE lower in {lay['seconds']:.1f} CPU s": lower(lay, uni_t),
        f"ΔE lower in {uni['seconds']:.1f} CPU s": lower(lay_t, uni),
    }
    if faces:
        summary["face ΔE lower (equal touches)"] = (f"{lower(lay, uni_n, 'face_dE')} / "
                                                    f"{lower(lay_n, uni, 'face_dE')}")
    print(f"    layered/uniform CPU time {summary['time ratio']:.2f}x (wall "
          f"{lay['wall'] / uni['wall']:.2f}x) for coverage "
          f"{lay['covered']:.1%} vs {uni['covered']:.1%}; " +
          "; ".join(f"{k} {v}" for k, v in list(summary.items())[1:]))
    return {"uniform": uni, "layered": lay, "uniform_n": uni_n, "layered_n": lay_n,
            "uniform_t": uni_t, "layered_t": lay_t}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="400,1024", help="square canvas sides, e.g. 400,1024")
    parser.add_argument("--brushes", default="flow", help="brushes to compare, e.g. flow,dabs")
    parser.add_argument("--photos", default=",".join(PHOTOS),
                        help=f"photographs ({', '.join(PHOTOS)})")
    parser.add_argument("--repeat", type=int, default=2,
                        help="time each plan's full painting this many times, keep the fastest")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    for brush in args.brushes.split(","):
        for name in args.photos.split(","):
            pixels, missing = photo(name)
            if missing:
                print(f"{name}: skipped, {missing}")
                continue
            for size in sizes:
                print(f"{brush} on {name}, {size}x{size}:")
                bench(name, pixels, size, brush, args.repeat)
                sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
