"""The picture a brush takes its colours from: `SourceImage`.

Any image Pillow reads (JPEG, PNG, WebP, GIF, BMP, TIFF) or a numpy array becomes float32 RGB in
0..1 fitted to the canvas, with its luminance and (smoothed) gradient precomputed, so brushes
can ask for the colour, brightness or edge direction at thousands of points in one numpy call.
Coordinates are canvas pixels; points outside the picture read the nearest edge pixel.
"""

from __future__ import annotations

import hashlib
import re
import struct
import warnings
from functools import cached_property
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from artkit.errors import ArtkitError

__all__ = ["SourceImage", "open_source", "register_source_scheme", "image_size", "MAX_PIXELS",
           "FITS"]

# Refuse pictures above this many pixels before decoding them (a 90 MP image already needs
# ~1 GB as float32; bigger ones are nearly always a mistake or a decompression bomb).
MAX_PIXELS = 90_000_000
FITS = ("cover", "contain")
_READS = "it reads JPEG, PNG, WebP, GIF, BMP and TIFF"
_WHITE = (255, 255, 255)
# Rec. 709 luma weights, applied to the (gamma-encoded) RGB values.
_LUMA = np.array([0.2126, 0.7152, 0.0722], np.float32)


class SourceImage:
    """A picture fitted to the canvas: float32 RGB (H, W, 3) in 0..1.

    Build one with `SourceImage.load(path, size)`, `SourceImage.from_array(arr, size)` or
    `SourceImage.default(size)`; `size` is (width, height) of the canvas or None to keep the
    picture's own size. `fit="cover"` fills the canvas and crops the overflow (centred);
    `fit="contain"` shows all of it, letterboxed on white.
    """

    def __init__(self, rgb: np.ndarray, name: str = "array"):
        rgb = np.ascontiguousarray(rgb, dtype=np.float32)
        if rgb.ndim != 3 or rgb.shape[2] != 3:
            raise ValueError(f"SourceImage needs an (H, W, 3) array, not {rgb.shape}")
        self.rgb = rgb
        self.rgb.setflags(write=False)
        self.name = name
        self.height, self.width = rgb.shape[:2]
        self.luminance = np.ascontiguousarray(rgb @ _LUMA, dtype=np.float32)
        self.luminance.setflags(write=False)

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def load(cls, path, size=None, fit: str = "cover") -> "SourceImage":
        """Read an image file and fit it to `size` (width, height)."""
        path = Path(path)
        _check_fit(fit)
        size = _check_size(size)
        image = _open_image(path, size)
        image = _fit_image(image, size, fit)
        rgb = np.asarray(image, dtype=np.float32) / np.float32(255)
        return cls(rgb, name=path.name)

    @classmethod
    def from_array(cls, arr, size=None, fit: str = "cover", name: str = "array") -> "SourceImage":
        """A source from a numpy array: uint8 (0..255) or float (0..1); grey (H, W) or
        (H, W, 1), RGB or RGBA (composited on white)."""
        _check_fit(fit)
        size = _check_size(size)
        rgb = _array_to_rgb(arr)
        h, w = rgb.shape[:2]
        if size is not None and size != (w, h):
            image = Image.fromarray(np.round(rgb * 255).astype(np.uint8), "RGB")
            image = _fit_image(image, size, fit)
            rgb = np.asarray(image, dtype=np.float32) / np.float32(255)
        return cls(rgb, name=name)

    @classmethod
    def default(cls, size=(1024, 768)) -> "SourceImage":
        """The built-in picture (a sunset over sea and hills, drawn in code), at `size`."""
        from artkit.default_source import default_picture

        size = _check_size(size) or (1024, 768)
        return cls(default_picture(*size), name="default")

    # -- facts ------------------------------------------------------------------------------
    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)

    @cached_property
    def hash(self) -> str:
        """Short sha1 of the pixels (for provenance: which picture a painting came from)."""
        digest = hashlib.sha1()
        digest.update(f"{self.width}x{self.height}".encode())
        digest.update(self.to_array().tobytes())
        return digest.hexdigest()[:12]

    def to_array(self) -> np.ndarray:
        """The picture as a new uint8 RGB array (H, W, 3)."""
        return np.round(self.rgb * 255).astype(np.uint8)

    def __repr__(self) -> str:
        return f"SourceImage({self.name!r}, {self.width}x{self.height})"

    # -- sampling ---------------------------------------------------------------------------
    def _index(self, xs, ys) -> tuple[np.ndarray, np.ndarray]:
        """Nearest pixel of each canvas point, clipped to the picture (NaN reads pixel 0).
        fmax/fmin rather than nan_to_num and clip: brushes call this every step of a walk."""
        xs = np.asarray(xs, dtype=np.float32)
        ys = np.asarray(ys, dtype=np.float32)
        ix = np.fmin(np.fmax(xs, 0), self.width - 1).astype(np.intp)
        iy = np.fmin(np.fmax(ys, 0), self.height - 1).astype(np.intp)
        return ix, iy

    def colour_at(self, xs, ys) -> np.ndarray:
        """Colours at the points: float32 (N, 3) in 0..1 (nearest pixel)."""
        ix, iy = self._index(xs, ys)
        return self.rgb[iy, ix]

    color_at = colour_at

    def luminance_at(self, xs, ys) -> np.ndarray:
        """Brightness at the points: float32 (N,) in 0..1 (Rec. 709 weights)."""
        ix, iy = self._index(xs, ys)
        return self.luminance[iy, ix]

    def gradient_at(self, xs, ys) -> np.ndarray:
        """Edge tangents at the points: float32 (N, 2).

        Each vector points ALONG the edge (perpendicular to the direction in which brightness
        rises fastest) and its length is the gradient magnitude: the change of luminance per
        pixel, measured with a Sobel filter on a Gaussian-smoothed (sigma 2 px) luminance.
        Divide by the length for a unit direction; flat areas give (near) zero vectors.
        """
        ix, iy = self._index(xs, ys)
        return self._tangent[iy, ix]

    @cached_property
    def _tangent(self) -> np.ndarray:
        smooth = _gaussian_blur(self.luminance, sigma=2.0)
        gx, gy = _sobel(smooth)
        # Rotate the gradient (gx, gy) by 90° to get the direction along the edge.
        tangent = np.stack([-gy, gx], axis=-1).astype(np.float32)
        tangent.setflags(write=False)
        return tangent


# --------------------------------------------------------------------------------------------
# Where sources come from

_SCHEMES: dict[str, object] = {}


def register_source_scheme(scheme: str, opener) -> None:
    """Let `open_source("scheme:rest", size)` call `opener(rest, size) -> SourceImage`.
    (e.g. a GAN package registering "gan" so `--source gan:CHECKPOINT` works)."""
    _SCHEMES[scheme.lower()] = opener


# Schemes whose opener lives in an optional package, imported only when asked for: the module
# must define `open_source(rest, size) -> SourceImage`.
_LAZY_SCHEMES = {"gan": "artkit.gan.painting"}


def open_source(spec, size=None, fit: str = "cover") -> SourceImage:
    """The one place a source spec becomes a SourceImage: None or "default" is the built-in
    picture; "scheme:rest" goes to a registered scheme (e.g. "gan:model.pt"); anything else is
    an image file path."""
    if isinstance(spec, SourceImage):
        return spec
    if spec is None or str(spec).strip().lower() in ("", "default"):
        return SourceImage.default(size or (1024, 768))
    spec = str(spec)
    match = re.match(r"^([A-Za-z][A-Za-z0-9_+-]+):(.*)$", spec)
    if match and not Path(spec).exists():   # one-letter "schemes" are Windows drive letters
        scheme, rest = match.group(1).lower(), match.group(2)
        opener = _SCHEMES.get(scheme)
        if opener is None and scheme in _LAZY_SCHEMES:
            import importlib

            try:
                opener = importlib.import_module(_LAZY_SCHEMES[scheme]).open_source
            except (ImportError, AttributeError):
                raise ArtkitError(f"'{scheme}:' sources are not available in this install "
                                  f"(the {scheme} part of artkit is missing).") from None
        if opener is None:
            raise ArtkitError(f"I don't know the source kind '{scheme}:'; give an image file "
                              f"or 'default'.")
        return opener(rest, size)
    return SourceImage.load(spec, size, fit)


# --------------------------------------------------------------------------------------------
# Reading and normalising pictures


def _check_fit(fit: str) -> None:
    if fit not in FITS:
        raise ArtkitError(f"fit must be 'cover' or 'contain', not {fit!r}.")


def _check_size(size):
    if size is None:
        return None
    try:
        w, h = (int(v) for v in size)
    except (TypeError, ValueError):
        raise ArtkitError(f"A size must be (width, height), not {size!r}.") from None
    if w < 1 or h < 1:
        raise ArtkitError(f"A size must be at least 1x1 pixel, not {w}x{h}.")
    return (w, h)


def image_size(path) -> tuple[int, int]:
    """(width, height) of an image file as it is shown (EXIF rotation applied), read from its
    header (nothing is decoded)."""

    def shown_size(image):
        w, h = image.size
        try:
            orientation = image.getexif().get(0x0112, 1)
        except Exception:   # a damaged EXIF block must not stop us: the pixels may be fine
            orientation = 1
        return (h, w) if orientation in (5, 6, 7, 8) else (w, h)

    return _guarded(Path(path), shown_size)


def _open_image(path: Path, size) -> Image.Image:
    """Decode `path` into an RGB (8-bit) Pillow image, refusing huge or broken files."""

    def decode(image):
        image.seek(0)   # animated GIF/WebP: the first frame
        if size is not None and image.format == "JPEG":
            # Let the JPEG decoder skip detail we would throw away (a fast 1/2..1/8 decode).
            image.draft("RGB", (size[0] * 2, size[1] * 2))
        image.load()
        return _to_rgb(ImageOps.exif_transpose(image))

    return _guarded(path, decode)


def _guarded(path: Path, use):
    """Open `path` with Pillow, check its pixel count, and run `use(image)`; every way a file
    can be wrong becomes one ArtkitError sentence."""
    if not path.exists():
        raise ArtkitError(f"There is no image file called '{path}'.")
    if path.is_dir():
        raise ArtkitError(f"'{path}' is a folder, not an image.")
    if not path.is_file():   # a pipe or a device: opening it could wait forever
        raise ArtkitError(f"'{path}' is not an ordinary file (a pipe or a device?); give an "
                          f"image file saved on disk.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                w, h = image.size
                if w * h > MAX_PIXELS:
                    raise ArtkitError(_too_big(path, w, h))
                return use(image)
    except ArtkitError:
        raise
    except Image.DecompressionBombError as error:
        found = re.search(r"\((\d+) pixels\)", str(error))
        pixels = f"{int(found.group(1)) / 1e6:.0f} megapixels" if found else "too many pixels"
        raise ArtkitError(f"'{path.name}' is too big ({pixels}); artkit reads images up to "
                          f"{MAX_PIXELS // 1_000_000} megapixels.") from None
    except UnidentifiedImageError:
        raise ArtkitError(f"'{path.name}' is not an image artkit can read ({_READS}).") from None
    except PermissionError:
        raise ArtkitError(f"Can't read '{path}': permission denied.") from None
    except (OSError, SyntaxError, ValueError, struct.error, EOFError, MemoryError):
        raise ArtkitError(f"'{path.name}' is damaged or truncated; "
                          f"open it in an image editor and save it again.") from None


def _too_big(path: Path, w: int, h: int) -> str:
    return (f"'{path.name}' is {w}x{h} ({w * h / 1e6:.0f} megapixels), more than the "
            f"{MAX_PIXELS // 1_000_000} megapixels artkit reads; make it smaller first.")


def _to_rgb(image: Image.Image) -> Image.Image:
    """Any Pillow mode to 8-bit RGB; transparency is composited on white."""
    mode = image.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        # 16-bit and 32-bit grey: scale to 0..255 by the type's range, not the data's.
        arr = np.asarray(image, dtype=np.float64)
        top = 65535.0 if mode.startswith("I;16") or (mode == "I" and arr.max() > 255) else (
            1.0 if mode == "F" and arr.max() <= 1.0 else 255.0)
        grey = np.clip(np.round(arr / top * 255), 0, 255).astype(np.uint8)
        return Image.fromarray(grey, "L").convert("RGB")
    if mode == "P":
        image = image.convert("RGBA")
    elif mode in ("LA", "PA", "La", "RGBa"):
        image = image.convert("RGBA")
    if image.mode == "RGBA":
        background = Image.new("RGBA", image.size, _WHITE + (255,))
        return Image.alpha_composite(background, image).convert("RGB")
    if image.mode != "RGB":
        image = image.convert("RGB")   # 1, L, CMYK, YCbCr, LAB, HSV…
    return image


def _fit_image(image: Image.Image, size, fit: str) -> Image.Image:
    if size is None or image.size == tuple(size):
        return image
    if fit == "cover":
        return ImageOps.fit(image, size, method=Image.Resampling.LANCZOS, centering=(0.5, 0.5))
    return ImageOps.pad(image, size, method=Image.Resampling.LANCZOS, color=_WHITE,
                        centering=(0.5, 0.5))


def _array_to_rgb(arr) -> np.ndarray:
    a = np.asarray(arr)
    if a.dtype == bool:
        a = a.astype(np.float32)
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[:, :, 0]
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] not in (3, 4)) or 0 in a.shape:
        raise ArtkitError(f"A source array must be grey (H, W), RGB (H, W, 3) or RGBA "
                          f"(H, W, 4), not shape {a.shape}.")
    if np.issubdtype(a.dtype, np.integer):
        f = a.astype(np.float32) / np.float32(255 if a.dtype == np.uint8 or a.max() <= 255
                                                else 65535)
    elif np.issubdtype(a.dtype, np.floating):
        f = np.nan_to_num(a.astype(np.float32))
    else:
        raise ArtkitError(f"A source array must hold numbers, not {a.dtype}.")
    f = np.clip(f, 0.0, 1.0)
    if f.ndim == 2:
        return np.repeat(f[:, :, None], 3, axis=2)
    if f.shape[2] == 4:
        alpha = f[:, :, 3:4]
        return f[:, :, :3] * alpha + (1.0 - alpha)
    return f


def _gaussian_blur(a: np.ndarray, sigma: float) -> np.ndarray:
    """Separable Gaussian blur with edge padding (numpy only)."""
    radius = max(1, int(round(3 * sigma)))
    x = np.arange(-radius, radius + 1, dtype=np.float32)
    kernel = np.exp(-0.5 * (x / sigma) ** 2)
    kernel /= kernel.sum()
    out = a.astype(np.float32)
    for axis in (0, 1):
        padded = np.pad(out, [(radius, radius) if i == axis else (0, 0) for i in range(2)],
                        mode="edge")
        acc = np.zeros_like(out)
        n = out.shape[axis]
        for k, weight in enumerate(kernel):
            acc += weight * (padded[k:k + n] if axis == 0 else padded[:, k:k + n])
        out = acc
    return out


def _sobel(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sobel derivatives (per pixel, so a unit step over one pixel reads about 1)."""
    p = np.pad(a, 1, mode="edge")
    # Smooth across, differentiate along; /8 makes the result a per-pixel slope.
    sx = (p[:-2, 2:] + 2 * p[1:-1, 2:] + p[2:, 2:]) - (p[:-2, :-2] + 2 * p[1:-1, :-2] + p[2:, :-2])
    sy = (p[2:, :-2] + 2 * p[2:, 1:-1] + p[2:, 2:]) - (p[:-2, :-2] + 2 * p[:-2, 1:-1] + p[:-2, 2:])
    return sx / 8.0, sy / 8.0
