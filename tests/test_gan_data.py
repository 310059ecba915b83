"""GAN lab data: the 1010 pattern, digits from every supported source, faces, bad files."""

import gzip
import hashlib
import io
import struct

import numpy as np
import pytest
import torch
from PIL import Image

from artkit.errors import ArtkitError
from artkit.gan import data


@pytest.fixture
def offline_cache(tmp_path, monkeypatch):
    """An empty user cache and no network, so `digits()` must fall back to the bundled set."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("ARTKIT_OFFLINE", "1")
    return tmp_path / "cache" / "artkit" / "mnist"


def idx_bytes(array: np.ndarray) -> bytes:
    array = np.asarray(array, dtype=np.uint8)
    return bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}i", *array.shape) + array.tobytes()


def small_digits(n=12, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, n).astype(np.int64)


# ----------------------------------------------------------------------------- pattern


def test_pattern1010_ranges_and_seeds():
    samples = data.pattern1010(500, 3)
    assert samples.shape == (500, 4) and samples.dtype == torch.float32
    high, low = samples[:, [0, 2]], samples[:, [1, 3]]
    assert high.min() >= 0.8 and high.max() <= 1.0
    assert low.min() >= 0.0 and low.max() <= 0.2
    assert torch.equal(samples, data.pattern1010(500, 3))
    assert not torch.equal(samples, data.pattern1010(500, 4))
    from_numpy = data.pattern1010(10, np.random.default_rng(0))
    assert from_numpy.shape == (10, 4) and from_numpy[:, 0].min() >= 0.8


# ----------------------------------------------------------------------------- digits


def test_bundled_digits():
    images, labels = data.load_mnist_5k()
    assert images.shape == (5000, 28, 28) and images.dtype == np.uint8
    assert np.bincount(labels).tolist() == [500] * 10
    images[0] = 0  # a copy: the cache stays intact
    assert data.load_mnist_5k()[0][0].any()


def test_digits_falls_back_to_bundled_with_one_notice(offline_cache):
    notes = []
    digits = data.digits(notice=notes.append)
    assert digits.images.shape == (5000, 1, 28, 28) and digits.images.dtype == torch.float32
    assert 0.0 <= digits.images.min() and digits.images.max() <= 1.0
    assert digits.labels.dtype == torch.int64 and digits.labels.shape == (5000,)
    assert len(notes) == 1 and "5,000" in notes[0] and "\n" not in notes[0]


def test_digits_from_idx_gz_with_labels_beside(tmp_path):
    images, labels = small_digits()
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(idx_bytes(images)))
    (tmp_path / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(idx_bytes(labels)))
    loaded = data.digits(tmp_path / "train-images-idx3-ubyte.gz")
    assert torch.equal(loaded.labels, torch.from_numpy(labels))
    assert torch.allclose(loaded.images[:, 0] * 255, torch.from_numpy(images).float())
    from_folder = data.digits(tmp_path)
    assert torch.equal(from_folder.images, loaded.images)


def test_digits_from_csv_and_npz(tmp_path):
    images, labels = small_digits(5)
    rows = np.column_stack([labels, images.reshape(5, 784)])
    csv_path = tmp_path / "mnist_train.csv"
    csv_path.write_text("\n".join(",".join(str(v) for v in row) for row in rows) + "\n")
    loaded = data.digits(csv_path)
    assert loaded.labels.tolist() == labels.tolist()
    assert torch.allclose(loaded.images[:, 0] * 255, torch.from_numpy(images).float())

    npz_path = tmp_path / "digits.npz"
    np.savez(npz_path, images=images.astype(np.float32) / 255, labels=labels)
    from_npz = data.digits(npz_path)
    assert torch.allclose(from_npz.images, loaded.images, atol=1 / 255)


def test_corrupt_idx_is_refused(tmp_path):
    images, _ = small_digits()
    truncated = tmp_path / "cut-images-idx3-ubyte"
    truncated.write_bytes(idx_bytes(images)[:-100])
    with pytest.raises(ArtkitError, match="damaged or cut short"):
        data.digits(truncated)
    garbage = tmp_path / "garbage-images-idx3-ubyte"
    garbage.write_bytes(b"\x89PNG not an idx file at all")
    with pytest.raises(ArtkitError, match="not an IDX file"):
        data.digits(garbage)
    broken_gzip = tmp_path / "broken.gz"
    broken_gzip.write_bytes(gzip.compress(idx_bytes(images))[:50])
    with pytest.raises(ArtkitError, match="damaged"):
        data.digits(broken_gzip)


def test_csv_of_the_wrong_width_is_refused(tmp_path):
    path = tmp_path / "pixels_only.csv"
    path.write_text("\n".join(",".join(["0"] * 784) for _ in range(3)))
    with pytest.raises(ArtkitError, match="785"):
        data.digits(path)


def test_missing_digits_file(tmp_path):
    with pytest.raises(ArtkitError, match="cannot find"):
        data.digits(tmp_path / "nope.csv")


def test_download_is_checked_and_cached(offline_cache, monkeypatch):
    """The download path with a fake server: a wrong checksum is refused (fallback with a
    notice), the right one is cached and loaded from then on."""
    images, labels = small_digits(20)
    served = {"train-images-idx3-ubyte.gz": gzip.compress(idx_bytes(images)),
              "train-labels-idx1-ubyte.gz": gzip.compress(idx_bytes(labels))}
    monkeypatch.delenv("ARTKIT_OFFLINE")
    monkeypatch.setattr(data.urllib.request, "urlopen",
                        lambda url, timeout: io.BytesIO(served[url.rsplit("/", 1)[1]]))
    notes = []
    fallback = data.digits(notice=notes.append)
    assert len(fallback) == 5000 and "checksum" in notes[-1]
    assert not offline_cache.joinpath("train-images-idx3-ubyte.gz").exists()

    sums = {name: hashlib.sha256(blob).hexdigest() for name, blob in served.items()}
    monkeypatch.setattr(data, "MNIST_SHA256", sums)
    fetched = data.digits(notice=notes.append)
    assert len(fetched) == 20 and fetched.labels.tolist() == labels.tolist()
    assert offline_cache.joinpath("train-labels-idx1-ubyte.gz").exists()
    monkeypatch.setenv("ARTKIT_OFFLINE", "1")  # now from the cache, no network needed
    assert len(data.digits(notice=notes.append)) == 20


# ----------------------------------------------------------------------------- faces


def test_bundled_faces_grey_and_colour():
    notes = []
    grey = data.faces(size=32, notice=notes.append)
    assert grey.images.shape == (100, 1, 32, 32) and grey.labels is None
    colour = data.faces(size=28, colour=True, notice=notes.append)
    assert colour.images.shape == (100, 3, 28, 28)
    assert torch.equal(colour.images[:, 0], colour.images[:, 2])  # grey copied to each channel
    assert "copying" in notes[-1]


def test_faces_from_a_folder_are_centre_cropped(tmp_path):
    # A wide picture: black side bands, a white centre square. After the centre crop only
    # white should remain.
    for i, (height, width) in enumerate([(40, 80), (60, 100)]):
        picture = np.zeros((height, width, 3), np.uint8)
        left = (width - height) // 2
        picture[:, left:left + height] = 255
        Image.fromarray(picture).save(tmp_path / f"face{i}.png")
    (tmp_path / "notes.txt").write_text("not a picture")
    faces = data.faces(tmp_path, size=16, colour=True)
    assert faces.images.shape == (2, 3, 16, 16)
    assert faces.images.min() > 0.95


def test_faces_from_celeba_hdf5(tmp_path):
    h5py = pytest.importorskip("h5py")
    path = tmp_path / "celeba_aligned_small.h5py"
    rng = np.random.default_rng(0)
    with h5py.File(path, "w") as file:
        group = file.create_group("img_align_celeba")
        for i in range(3):
            group.create_dataset(f"{i}.jpg", data=rng.integers(0, 256, (218, 178, 3), dtype=np.uint8))
    faces = data.faces(path, size=32, colour=True)
    assert faces.images.shape == (3, 3, 32, 32)


def test_missing_or_empty_face_folders(tmp_path):
    with pytest.raises(ArtkitError, match="cannot find"):
        data.faces(tmp_path / "nowhere")
    with pytest.raises(ArtkitError, match="no pictures"):
        data.faces(tmp_path)
