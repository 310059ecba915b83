"""What makes `artkit render --walk` fast without changing what it makes: the GAN source
enlarged with fewer temporary arrays (bit for bit the same picture, so a `gan:` source keeps
its hash), the changed area of a frame found with cheap reductions, frames encoded on a
helper thread and sources prepared on another (the same file as without them, errors still
one sentence, nothing half-written, memory bounded). Speed itself is measured in
bench/bench_p5.py, never here."""

import errno
import threading
import time

import numpy as np
import pytest
from PIL import Image

from artkit import video
from artkit.errors import ArtkitError
from artkit.gan import painting
from artkit.video import BackgroundWriter, open_writer, write_frames


def moving_square(n, w=97, h=61):
    """n frames: a square steps across a grey field, leaving a trail (frames always differ)."""
    picture = np.full((h, w, 3), 230, np.uint8)
    for k in range(n):
        x, y = (k * 3) % (w - 8), (k * 2) % (h - 8)
        picture[y:y + 8, x:x + 8] = ((k * 37) % 256, 80, 200)
        yield picture.copy()


def helper_threads():
    return [t.name for t in threading.enumerate()
            if t.name.startswith(("artkit-recording", "artkit-walk"))]


# -- the enlarged source: the same bits as the straightforward way ------------------------------

def blur_reference(a, sigma):
    """The blur as first written: each pass a Python sum of weighted shifted copies."""
    radius = max(1, int(round(3 * sigma)))
    x = np.arange(-radius, radius + 1, dtype=np.float32)
    kernel = np.exp(-0.5 * (x / sigma) ** 2)
    kernel /= kernel.sum()
    for axis in (0, 1):
        padded = np.pad(a, [(radius, radius) if i == axis else (0, 0) for i in range(2)],
                        mode="edge")
        n = a.shape[axis]
        a = sum(w * (padded[k:k + n] if axis == 0 else padded[:, k:k + n])
                for k, w in enumerate(kernel))
    return np.ascontiguousarray(a, dtype=np.float32)


def upscale_reference(rgb, size):
    """soft_upscale as first written: one channel at a time, stacked, then clipped."""
    width, height = size
    h, w = rgb.shape[:2]
    target_w = max(w, round(h * width / height))
    target_h = max(h, round(w * height / width))
    padded = np.empty((target_h, target_w, 3), np.float32)
    padded[:] = painting._border_colour(rgb)
    top, left = (target_h - h) // 2, (target_w - w) // 2
    padded[top:top + h, left:left + w] = rgb
    step = int(min(8, max(1, max(width / target_w, height / target_h))))
    mid = (target_w * step, target_h * step)
    channels = []
    for c in range(3):
        plane = Image.fromarray(np.ascontiguousarray(padded[..., c]), "F")
        if step > 1:
            plane = plane.resize(mid, Image.Resampling.BICUBIC)
            plane = Image.fromarray(blur_reference(np.asarray(plane, np.float32),
                                                   painting.SOFTNESS * step), "F")
        plane = plane.resize((width, height), Image.Resampling.BICUBIC)
        channels.append(np.asarray(plane, np.float32))
    return np.clip(np.stack(channels, axis=-1), 0.0, 1.0)


def test_the_blur_is_bit_for_bit_the_sum_of_shifted_copies():
    rng = np.random.default_rng(3)
    for sigma in (0.55, 2.2, 4.4):
        # Values below 0 and above 1 as bicubic enlarging makes them, and exact zeros.
        a = (rng.random((37, 53), dtype=np.float32) * 1.4 - 0.2)
        a[5:9] = 0.0
        assert painting._blur(a, sigma).tobytes() == blur_reference(a, sigma).tobytes()


@pytest.mark.parametrize("size", [(512, 384), (200, 150), (64, 48), (33, 77), (28, 28), (1, 1)])
def test_soft_upscale_is_bit_for_bit_what_it_was(size):
    rng = np.random.default_rng(size[0])
    for shape in ((28, 28), (32, 32, 3), (5, 11)):
        picture = painting.tint(painting.stretch_contrast(rng.random(shape, dtype=np.float32)),
                                "ember" if len(shape) == 2 else "none")
        got = painting.soft_upscale(picture, size)
        want = upscale_reference(picture, size)
        assert got.dtype == np.float32 and got.flags.c_contiguous
        assert got.shape == want.shape and got.tobytes() == want.tobytes()


# -- the changed area of a frame --------------------------------------------------------------

def changed_box_reference(rgb, shown, even):
    rows = np.flatnonzero(np.any(rgb != shown, axis=(1, 2)))
    if not len(rows):
        return None
    band = slice(rows[0], rows[-1] + 1)
    cols = np.flatnonzero(np.any(rgb[band] != shown[band], axis=(0, 2)))
    x0, y0 = int(cols[0]), int(rows[0])
    if even:
        x0, y0 = x0 - x0 % 2, y0 - y0 % 2
    return (x0, y0, int(cols[-1]) + 1, int(rows[-1]) + 1)


@pytest.mark.parametrize("suffix", [".webp", ".gif"])
def test_the_changed_box_is_the_box_of_the_changed_pixels(suffix, tmp_path):
    rng = np.random.default_rng(7)
    writer = open_writer(tmp_path / f"box{suffix}", fps=10)
    try:
        for _ in range(400):
            h, w = (int(v) for v in rng.integers(1, 19, 2))
            shown = rng.integers(0, 3, (h, w, 3)).astype(np.uint8)
            frame = shown.copy()
            for _ in range(int(rng.integers(0, 4))):   # a few channels of a few pixels
                y, x, c = rng.integers(0, h), rng.integers(0, w), rng.integers(0, 3)
                frame[y, x, c] ^= 1
            writer._shown = shown
            assert writer._changed_box(frame) == changed_box_reference(frame, shown,
                                                                       writer.even_offsets)
    finally:
        writer.abort()


# -- encoding on a helper thread ----------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".webp", ".gif"])
def test_a_background_encoder_writes_the_same_file(suffix, tmp_path):
    frames = list(moving_square(30))
    alone = write_frames(iter(frames), tmp_path / f"alone{suffix}", fps=12, hold_last_s=1.0)
    helped = write_frames(iter(frames), tmp_path / f"helped{suffix}", fps=12, hold_last_s=1.0,
                          background=True)
    assert helped.read_bytes() == alone.read_bytes()
    assert not helper_threads()


def test_a_full_disk_on_the_encoder_thread_is_one_sentence_and_no_file(tmp_path, monkeypatch):
    stored = video._WebpWriter._store

    def store(self, encoded, duration_ms):
        if self.stored == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        stored(self, encoded, duration_ms)

    monkeypatch.setattr(video._WebpWriter, "_store", store)
    old = tmp_path / "walk.webp"
    old.write_bytes(b"the old file")
    for background in (False, True):
        with pytest.raises(ArtkitError) as full:
            write_frames(moving_square(12), old, fps=12, background=background)
        sentence = str(full.value)
        assert "no space left on device" in sentence and "walk.webp" in sentence
        assert "\n" not in sentence
        assert old.read_bytes() == b"the old file"
        assert not list(tmp_path.glob(".artkit-tmp-*"))
    assert not helper_threads()


def test_a_frame_of_another_size_stops_a_background_recording(tmp_path):
    frames = [*moving_square(3), np.zeros((5, 5, 3), np.uint8), *moving_square(3)]
    with pytest.raises(ArtkitError, match="must be 97x61"):
        write_frames(iter(frames), tmp_path / "sizes.webp", fps=12, background=True)
    assert not (tmp_path / "sizes.webp").exists()
    assert not list(tmp_path.glob(".artkit-tmp-*"))


def test_an_error_while_frames_are_made_leaves_no_file_and_no_thread(tmp_path):
    def crashing():
        yield from moving_square(4)
        raise RuntimeError("the painting crashed")

    with pytest.raises(RuntimeError, match="crashed"):
        write_frames(crashing(), tmp_path / "crash.gif", fps=12, background=True)
    assert not (tmp_path / "crash.gif").exists()
    assert not list(tmp_path.glob(".artkit-tmp-*"))
    assert not helper_threads()


def test_a_slow_encoder_holds_back_the_frames_not_memory(tmp_path, monkeypatch):
    """However far the encoder falls behind, only FRAMES_AHEAD frames wait for it (plus the
    one it is encoding and the one being handed over), and none is skipped."""
    encoded = []
    encode = video._GifWriter._encode

    def slow_encode(self, crop, offset):
        time.sleep(0.002)   # only to let the painting run ahead; nothing is timed
        encoded.append(len(encoded))
        return encode(self, crop, offset)

    monkeypatch.setattr(video._GifWriter, "_encode", slow_encode)
    made = 0
    furthest_ahead = 0

    def frames():
        nonlocal made, furthest_ahead
        for frame in moving_square(40):
            furthest_ahead = max(furthest_ahead, made - len(encoded))
            made += 1
            yield frame

    write_frames(frames(), tmp_path / "slow.gif", fps=12, background=True)
    assert len(encoded) == 40
    assert furthest_ahead <= video.FRAMES_AHEAD + 2


def test_a_waiting_background_writer_keeps_every_frame(tmp_path):
    frames = list(moving_square(20))
    writer = BackgroundWriter(open_writer(tmp_path / "all.gif", fps=10), queued=1, wait=True)
    for frame in frames:
        writer.add(frame)
    with Image.open(writer.close()) as animation:
        assert animation.n_frames == 20   # every frame differs, so none was skipped


# -- sources prepared ahead ---------------------------------------------------------------------

def test_made_ahead_keeps_the_order_and_stays_a_bounded_distance_ahead():
    made = []

    def make(item):
        made.append(item)
        return item * 10

    with painting._made_ahead(make, range(12), ahead=3) as results:
        for taken, value in enumerate(results, start=1):
            assert value == (taken - 1) * 10
            assert len(made) <= taken + 3
    assert made == list(range(12))
    assert not helper_threads()


def test_made_ahead_hands_errors_over_and_stops_early_without_a_thread():
    def make(item):
        if item == 4:
            raise ArtkitError("That sample can't be painted.")
        return item

    with pytest.raises(ArtkitError, match="can't be painted"):
        with painting._made_ahead(make, range(10)) as results:
            list(results)
    with painting._made_ahead(lambda item: item, range(1000)) as results:
        assert next(results) == 0   # leaving here drops what was made and not taken
    assert not helper_threads()


@pytest.fixture(scope="module")
def tiny_checkpoint(tmp_path_factory):
    torch = pytest.importorskip("torch")
    from artkit.gan import checkpoint, models

    torch.manual_seed(0)
    config = models.MLPGANConfig(hidden=16, latent_dim=8)
    path = tmp_path_factory.mktemp("gan") / "tiny.pt"
    checkpoint.save_checkpoint(path, model_name="mlp", config=config,
                               generator=models.build_generator(config), step=1)
    return path


def test_a_walk_is_the_file_it_was_without_helper_threads(tiny_checkpoint, tmp_path, monkeypatch):
    import contextlib

    import artkit.timelapse as timelapse

    def walk(name):
        return painting.render_walk(str(tiny_checkpoint), tmp_path / name, frames=7,
                                    size=(96, 72), seed=4, palette="ocean", touches=40)

    helped = walk("helped.webp")
    assert not helper_threads()

    @contextlib.contextmanager
    def made_here(make, items, ahead=0):
        yield (make(item) for item in items)

    real_write_frames = timelapse.write_frames
    monkeypatch.setattr(painting, "_made_ahead", made_here)
    monkeypatch.setattr(timelapse, "write_frames",
                        lambda *args, **options: real_write_frames(
                            *args, **{**options, "background": False}))
    assert walk("alone.webp").read_bytes() == helped.read_bytes()
