"""GAN samples as painting sources: `gan:` specs, palettes for grey digits, latent walks.

A generator's sample is tiny (28 or 32 pixels). To paint from it, `sample_source` turns it into
a `SourceImage` the size of the canvas:

1. the sample's contrast is stretched to the full range (`stretch_contrast`), and grey
   samples can be tinted with a palette (`PALETTES`: none, ember, ocean, forest, ink),
   mapping dark → light through a few colours;
2. the picture is padded to the canvas's shape with its own border colour (a digit keeps its
   dark surround instead of being cropped);
3. it is enlarged with a smooth (bicubic) filter and then blurred by about half an original
   pixel, so brushes follow the shapes (strokes, cheeks, eyes) and never the pixel grid.

A sample is named by a spec that `artkit.source.open_source` understands:

    gan:CHECKPOINT            the sample for seed 0
    gan:CHECKPOINT#7          the sample for seed 7 (the latent is drawn with torch seeded 7)
    gan:CHECKPOINT#7,ember    ... tinted with a palette
    gan:CHECKPOINT#3~9@0.25   a quarter of the way along the latent walk from seed 3 to seed 9

so a painting's stroke log can name its source and `artkit paint --resume` finds it again.
A latent walk (`walk_latents`) interpolates the noise vectors with slerp between seeds, easing
in and out of each one; `render_walk` paints over the moving source frame by frame and writes
an animated WebP or GIF.

numpy and Pillow only at import time: torch is imported inside the functions that need a
generator, so the paint app can use palettes and upscaling without loading torch.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections import OrderedDict, deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from artkit.errors import ArtkitError
from artkit.params import reduce_seed
from artkit.source import SourceImage

__all__ = ["PALETTES", "PALETTE_NAMES", "GanSpec", "tint", "soft_upscale", "sample_source",
           "parse_spec", "format_spec", "with_seed", "open_source", "load_generator_cached",
           "seed_latents", "walk_latents", "stretch_contrast", "walk_schedule", "generate", "render_walk",
           "PreparedSource"]

# Colour stops from dark to light (0..255). "none" keeps the sample's own colours.
PALETTES: dict[str, tuple | None] = {
    "none": None,
    "ember": ((18, 8, 10), (110, 18, 22), (208, 72, 28), (246, 168, 64), (255, 238, 196)),
    "ocean": ((6, 18, 40), (16, 64, 112), (32, 132, 160), (120, 204, 200), (236, 250, 244)),
    "forest": ((10, 22, 14), (30, 74, 38), (86, 128, 52), (182, 190, 92), (246, 240, 200)),
    "ink": ((250, 246, 236), (214, 204, 186), (120, 112, 110), (44, 42, 52), (14, 14, 22)),
}
PALETTE_NAMES = tuple(PALETTES)

# The blur after enlarging, in original sample pixels (0.5: shapes stay crisp, pixels vanish).
SOFTNESS = 0.55
_LUMA = np.array([0.2126, 0.7152, 0.0722], np.float32)


# --------------------------------------------------------------------------- pictures


def _check_palette(palette: str) -> str:
    name = (palette or "none").strip().lower()
    if name not in PALETTES:
        raise ArtkitError(f"There is no palette called {palette!r}; choose one of "
                          f"{', '.join(PALETTE_NAMES)}.")
    return name


def _as_float_image(image) -> np.ndarray:
    a = np.asarray(image, dtype=np.float32)
    if a.ndim == 3 and a.shape[-1] == 1:
        a = a[..., 0]
    if a.ndim == 3 and a.shape[0] in (1, 3) and a.shape[-1] not in (1, 3):
        a = np.moveaxis(a, 0, -1)  # (C, H, W) straight from torch
        if a.shape[-1] == 1:
            a = a[..., 0]
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[-1] != 3) or 0 in a.shape:
        raise ArtkitError(f"A GAN sample must be grey (H, W) or colour (H, W, 3), not shape "
                          f"{a.shape}.")
    return np.clip(np.nan_to_num(a), 0.0, 1.0)


def tint(image, palette: str = "none") -> np.ndarray:
    """A sample (grey (H, W) or colour (H, W, 3), floats 0..1) as RGB (H, W, 3) float32.

    With a palette, brightness is mapped through its colour stops (colour samples use their
    brightness, which makes a duotone); "none" keeps grey as grey and colour as colour."""
    a = _as_float_image(image)
    stops = PALETTES[_check_palette(palette)]
    if stops is None:
        return np.repeat(a[..., None], 3, axis=2) if a.ndim == 2 else a.astype(np.float32)
    grey = a if a.ndim == 2 else a @ _LUMA
    colours = np.asarray(stops, np.float32) / 255.0
    positions = np.linspace(0.0, 1.0, len(colours), dtype=np.float32)
    out = np.empty(grey.shape + (3,), np.float32)
    for c in range(3):
        out[..., c] = np.interp(grey, positions, colours[:, c])
    return out


def _border_colour(rgb: np.ndarray) -> np.ndarray:
    border = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]])
    return np.median(border, axis=0)


def soft_upscale(rgb: np.ndarray, size) -> np.ndarray:
    """Enlarge a small RGB picture (H, W, 3) in 0..1 to `size` (width, height): padded to that
    shape with its border colour, enlarged bicubically, then blurred by SOFTNESS of an
    original pixel. Returns float32 (height, width, 3)."""
    rgb = np.asarray(rgb, np.float32)
    width, height = (int(v) for v in size)
    if width < 1 or height < 1:
        raise ArtkitError(f"A canvas must be at least 1x1 pixel, not {width}x{height}.")
    h, w = rgb.shape[:2]
    # Pad the shorter way so the picture has the canvas's aspect ratio, centred.
    target_w = max(w, round(h * width / height))
    target_h = max(h, round(w * height / width))
    padded = np.empty((target_h, target_w, 3), np.float32)
    padded[:] = _border_colour(rgb)
    top, left = (target_h - h) // 2, (target_w - w) // 2
    padded[top:top + h, left:left + w] = rgb
    # Enlarge in two float steps (no 8-bit banding): bicubically to an intermediate size,
    # where a Gaussian blur of SOFTNESS original pixels melts the pixel grid, then to the canvas.
    scale = max(width / target_w, height / target_h)
    step = int(min(8, max(1, scale)))
    mid = (target_w * step, target_h * step)
    out = np.empty((height, width, 3), np.float32)
    for c in range(3):
        plane = Image.fromarray(np.ascontiguousarray(padded[..., c]), "F")
        if step > 1:
            plane = plane.resize(mid, Image.Resampling.BICUBIC)
            plane = Image.fromarray(_blur(np.asarray(plane, np.float32), SOFTNESS * step), "F")
        plane = plane.resize((width, height), Image.Resampling.BICUBIC)
        np.clip(np.asarray(plane, np.float32), 0.0, 1.0, out=out[..., c])
    return out


def _blur(a: np.ndarray, sigma: float) -> np.ndarray:
    """Separable Gaussian blur of a small 2-D float array (edges repeated).

    Each pass adds the weighted shifted copies one by one, starting from 0, in float32: the
    rounding is part of the picture (a `gan:` source's hash must not change), so only the
    temporary arrays are saved, never the order of the sums."""
    radius = max(1, int(round(3 * sigma)))
    x = np.arange(-radius, radius + 1, dtype=np.float32)
    kernel = np.exp(-0.5 * (x / sigma) ** 2)
    kernel /= kernel.sum()
    a = np.asarray(a, np.float32)
    for axis in (0, 1):
        padded = np.pad(a, [(radius, radius) if i == axis else (0, 0) for i in range(2)],
                        mode="edge")
        n = a.shape[axis]
        total = np.zeros_like(a)
        term = np.empty_like(a)
        for k, weight in enumerate(kernel):
            np.multiply(padded[k:k + n] if axis == 0 else padded[:, k:k + n], weight, out=term)
            total += term
        a = total
    return a


class PreparedSource(SourceImage):
    """A SourceImage whose slow parts (edge field, hash, 8-bit copy) are computed up front, so
    the paint window can receive it from a helper thread and switch to it in no time."""

    def __init__(self, rgb: np.ndarray, name: str = "array"):
        super().__init__(rgb, name)
        self.gradient_at(np.zeros(1, np.float32), np.zeros(1, np.float32))  # builds the field
        self._uint8 = np.round(self.rgb * 255).astype(np.uint8)
        self._uint8.setflags(write=False)
        _ = self.hash

    def to_array(self) -> np.ndarray:
        return self._uint8.copy()


def stretch_contrast(image) -> np.ndarray:
    """The sample with its brightness stretched so its darkest 1 % are black and its lightest
    1 % white (colours scale together). Small GANs draw in muddy mid-greys; translucent brush
    marks flatten contrast further, so a face would vanish into the paper without this.
    Pictures that already span the range (digits) hardly change."""
    a = _as_float_image(image)
    grey = a if a.ndim == 2 else a @ _LUMA
    low, high = np.percentile(grey, [1, 99])
    if high - low < 0.05:  # a flat picture: nothing to stretch
        return a
    return np.clip((a - low) / (high - low), 0.0, 1.0).astype(np.float32)


def sample_source(image, size, palette: str = "none", name: str = "gan sample") -> SourceImage:
    """A GAN sample (grey (H, W) or colour (H, W, 3) in 0..1) as a `SourceImage` of `size`
    (width, height): contrast stretched, tinted with `palette` and smoothly enlarged (see the
    module notes)."""
    rgb = soft_upscale(tint(stretch_contrast(image), palette), size)
    return PreparedSource(rgb, name=name)


# --------------------------------------------------------------------------- specs

_SEED_PART = re.compile(r"^(?:(?P<seed>-?\d+)(?:~(?P<to>-?\d+)@(?P<t>[0-9.]+))?)?"
                        r"(?:,?(?P<palette>[A-Za-z]+))?$")


@dataclass(frozen=True)
class GanSpec:
    """What a `gan:` spec names: a checkpoint, a seed (or a point between two seeds) and a
    palette."""

    checkpoint: str
    seed: int = 0
    seed_to: int | None = None
    t: float = 0.0
    palette: str = "none"

    def text(self) -> str:
        return format_spec(self.checkpoint, self.seed, self.palette, self.seed_to, self.t)


def parse_spec(rest: str) -> GanSpec:
    """Read the part after "gan:" (see the module notes). Raises ArtkitError when it is not a
    spec artkit understands."""
    rest = str(rest).strip()
    if rest.lower().startswith("gan:"):
        rest = rest[4:]
    path, hashmark, tail = rest.rpartition("#")
    if not hashmark:
        path, tail = rest, ""
    match = _SEED_PART.match(tail)
    if hashmark and match is None:
        raise ArtkitError(f"I can't read '#{tail}' in the GAN source 'gan:{rest}'; write "
                          f"gan:CHECKPOINT#SEED, e.g. gan:best.pt#7 or gan:best.pt#7,ember.")
    if not path:
        raise ArtkitError("A GAN source needs a checkpoint: write gan:CHECKPOINT, e.g. "
                          "gan:best.pt#7.")
    if match is None:
        return GanSpec(path)
    word = match["palette"]
    if match["seed"] is None and word and word.strip().lower() not in PALETTES:
        raise ArtkitError(f"'#{tail}' in the GAN source 'gan:{rest}' is not a seed: a seed is a "
                          f"whole number, like gan:{path}#7 (a palette such as ember goes after "
                          f"it: gan:{path}#7,ember).")
    # Seeds wrap around at 2**32 as everywhere in artkit (artkit.params.reduce_seed).
    seed = reduce_seed(int(match["seed"])) if match["seed"] else 0
    seed_to = reduce_seed(int(match["to"])) if match["to"] else None
    t = float(match["t"]) if match["t"] else 0.0
    if not 0.0 <= t <= 1.0:
        raise ArtkitError(f"The walk position in 'gan:{rest}' must be between 0 and 1, not {t}.")
    palette = _check_palette(match["palette"] or "none")
    return GanSpec(path, seed, seed_to, t, palette)


def format_spec(checkpoint, seed: int = 0, palette: str = "none", seed_to: int | None = None,
                t: float = 0.0) -> str:
    """The `gan:` spec text for a sample, e.g. "gan:runs/best.pt#7,ember"."""
    text = f"gan:{checkpoint}#{int(seed)}"
    if seed_to is not None:
        text += f"~{int(seed_to)}@{t:.4f}"
    palette = _check_palette(palette)
    if palette != "none":
        text += f",{palette}"
    return text


def with_seed(spec: str, seed: int) -> str:
    """`spec` with `seed` filled in when it is a `gan:` spec without one (for `render --seed`)."""
    text = str(spec)
    if not text.lower().startswith("gan:") or "#" in text:
        return text
    return f"{text}#{int(seed)}"


# --------------------------------------------------------------------------- generators

_GENERATORS: OrderedDict = OrderedDict()  # (resolved path, mtime, size) → (generator, info)


def load_generator_cached(checkpoint):
    """`artkit.gan.checkpoint.load_generator` on the CPU, remembering the last few files (a walk
    asks for the same generator hundreds of times)."""
    try:
        from artkit.gan.checkpoint import load_generator
    except ImportError:
        raise ArtkitError("GAN sources need torch, which is not installed here; install it "
                          "with pip install 'artkit[gan]'.") from None

    path = Path(checkpoint).expanduser()
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = None
    if key is not None and key in _GENERATORS:
        _GENERATORS.move_to_end(key)
        return _GENERATORS[key]
    loaded = load_generator(path, device="cpu")
    if key is not None:
        _GENERATORS[key] = loaded
        while len(_GENERATORS) > 4:
            _GENERATORS.popitem(last=False)
    return loaded


def seed_latents(generator, seeds):
    """One latent per seed, (len(seeds), latent_dim): seed s gives the same vector as
    `artkit.gan.sample.sample_images(generator, 1, seed=s)` uses."""
    import torch

    return torch.cat([generator.sample_latent(1, torch.Generator().manual_seed(int(s)))
                      for s in seeds])


def walk_schedule(legs: int, frames: int) -> list[tuple[int, float]]:
    """(leg, eased t) for each of `frames` frames spread evenly over `legs` legs; each leg eases
    in and out (cosine), so every seed's own sample is held for a moment."""
    if legs < 1 or frames < 1:
        raise ArtkitError(f"A walk needs at least one leg and one frame, not {legs} and {frames}.")
    schedule = []
    for i in range(frames):
        u = i * legs / max(1, frames - 1) if frames > 1 else 0.0
        leg = min(legs - 1, int(u))
        t = u - leg
        # Rounded so that a `gan:` spec, which writes t with 4 decimals, names the same latent.
        schedule.append((leg, round(float(0.5 - 0.5 * np.cos(np.pi * t)), 4)))
    return schedule


def walk_latents(generator, seeds, frames: int):
    """Latents (frames, latent_dim) walking through the samples of `seeds` in order (slerp
    between neighbours, eased), starting at the first seed's sample and ending at the last's."""
    import torch

    from artkit.gan.sample import interpolate

    seeds = list(seeds)
    if len(seeds) < 2:
        raise ArtkitError("A latent walk needs at least two seeds to walk between.")
    z = seed_latents(generator, seeds)
    rows = [interpolate(z[leg], z[leg + 1], float(t))
            for leg, t in walk_schedule(len(seeds) - 1, frames)]
    return torch.stack(rows)


def generate(generator, latents) -> np.ndarray:
    """Images for latents as numpy float32 in 0..1: (N, H, W) grey or (N, H, W, 3) colour.

    One latent at a time, on purpose: matrix kernels may round differently for different batch
    sizes, and a sample picked from a grid must be bit-for-bit the picture its `gan:` spec
    opens later (else `paint --resume` would think the source had changed)."""
    import torch

    from artkit.gan.sample import to_numpy_images

    latents = torch.as_tensor(latents)
    return to_numpy_images(torch.cat([generator.generate(latents[i:i + 1])
                                      for i in range(len(latents))]))


def spec_image(spec: GanSpec) -> np.ndarray:
    """The small sample a spec names (grey (H, W) or colour (H, W, 3), floats 0..1)."""
    from artkit.gan.sample import interpolate

    generator, _ = load_generator_cached(spec.checkpoint)
    z = seed_latents(generator, [spec.seed])[0]
    if spec.seed_to is not None:
        z = interpolate(z, seed_latents(generator, [spec.seed_to])[0], spec.t)
    return generate(generator, z[None])[0]


def open_source(rest: str, size=None) -> SourceImage:
    """The opener for "gan:" sources (`artkit.source.open_source` calls it): the sample a spec
    names, tinted and enlarged to `size` (default 1024x768)."""
    spec = parse_spec(rest)
    size = tuple(size) if size is not None else (1024, 768)
    image = spec_image(spec)
    label = f"{Path(spec.checkpoint).name} #{spec.seed}"
    if spec.seed_to is not None:
        label += f"~{spec.seed_to}"
    return sample_source(image, size, spec.palette, name=label)


# --------------------------------------------------------------------------- walk paintings


# Sources a walk prepares before they are needed: enough to keep the helper thread busy while
# a frame is painted, few enough to keep memory flat (each is several copies of the canvas).
SOURCES_AHEAD = 2


@contextlib.contextmanager
def _made_ahead(make, items, ahead: int = SOURCES_AHEAD):
    """An iterator over make(item) for each of `items` in order, each made on a helper thread
    up to `ahead` items before it is asked for (numpy and Pillow let go of the GIL while they
    work, so another core does it). Leaving the block drops what was made and not taken."""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="artkit-walk")
    items = iter(items)
    pending = deque(pool.submit(make, item) for item in itertools.islice(items, ahead))

    def results():
        while pending:
            future = pending.popleft()
            pending.extend(pool.submit(make, item) for item in itertools.islice(items, 1))
            yield future.result()

    try:
        yield results()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def render_walk(checkpoint: str, out, *, frames: int = 120, size=(512, 384), seed: int = 0,
                legs: int | None = None, palette: str = "none", brush: str = "flow",
                brush_params: dict | None = None, touches: int | None = None, fps: float = 12.0,
                background=None, progress=None, jobs: int | None = 1) -> Path:
    """Paint a latent walk and write it as an animated WebP or GIF (`out`'s suffix).

    The walk visits the samples of seeds seed, seed+1, … (`legs` legs; default one per ~40
    frames). The first frame's source is painted until covered; then for each frame the source
    moves along the walk, the brush lays `touches` more touches over the painting so far
    (default: enough to repaint about a tenth of the canvas, so the marks of a few frames show
    at once), and the canvas is captured. All of it is one painting session, drawn on `jobs`
    threads (`artkit.parallel`; None: one per core; the frames don't depend on it), while
    helper threads prepare the next sources and encode the frames already captured (the file
    is the same as without them)."""
    from artkit.session import PAPER, PaintSession
    from artkit.timelapse import check_animation_path, write_animation

    out = check_animation_path(out)
    if frames < 2:
        raise ArtkitError(f"A walk needs at least 2 frames, not {frames}.")
    palette = _check_palette(palette)
    legs = legs or max(1, round(frames / 40))
    generator, _ = load_generator_cached(checkpoint)
    images = generate(generator, walk_latents(generator, range(seed, seed + legs + 1), frames))
    width, height = (int(v) for v in size)

    def source_for(image):
        return sample_source(image, (width, height), palette)

    with _made_ahead(source_for, images) as sources:
        session = PaintSession((width, height), next(sources), brush=brush,
                               brush_params=brush_params, seed=seed,
                               background=tuple(background or PAPER), source_spec="gan walk",
                               jobs=jobs)
        brush_area = max(1.0, session.brush_size ** 2)
        touches = touches or max(20, int(width * height / brush_area / 10))

        def painted_frames():
            # While a frame is painted, helper threads prepare the next sources (_made_ahead)
            # and encode the frames before it (write_animation).
            session.paint_until_covered()   # the first frame starts from a covered canvas
            yield session.canvas.rgb()
            for i, source in enumerate(sources, start=1):
                session.set_source(source, "gan walk")
                session.autopaint(touches)
                session.end_gesture()
                if progress:
                    progress(i, len(images))
                yield session.canvas.rgb()
            if progress:
                progress(len(images), len(images))

        return write_animation(painted_frames(), out, fps=fps)
