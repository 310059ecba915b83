"""Recordings written frame by frame (`artkit.video`): MP4 and WebM through PyAV, GIF and WebP
written here. Frame counts, durations, the held ending, pictures that match the frames,
streaming (no frame list kept) and files that appear whole or not at all."""

import importlib.util
import shutil
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from artkit import video
from artkit.errors import ArtkitError
from artkit.video import BackgroundWriter, open_writer, write_frames

HAS_AV = importlib.util.find_spec("av") is not None
needs_av = pytest.mark.skipif(not HAS_AV, reason="PyAV (the video extra) is not installed")
W, H = 97, 61   # odd on purpose: 4:2:0 video needs even sizes, artkit pads


def moving_square(n, w=W, h=H):
    """n frames: a square steps across a grey field, leaving a trail (frames always differ)."""
    picture = np.full((h, w, 3), 230, np.uint8)
    for k in range(n):
        x, y = (k * 3) % (w - 8), (k * 2) % (h - 8)
        picture[y:y + 8, x:x + 8] = ((k * 37) % 256, 80, 200)
        yield picture.copy()


def picture_frames(path):
    """(frames as arrays, durations in ms) of an animated GIF or WebP."""
    frames, durations = [], []
    with Image.open(path) as animation:
        for i in range(animation.n_frames):
            animation.seek(i)
            animation.load()
            frames.append(np.asarray(animation.convert("RGB")).astype(int))
            durations.append(animation.info["duration"])
    return frames, durations


def video_frames(path):
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = [f.to_ndarray(format="rgb24").astype(int) for f in container.decode(stream)]
        return frames, float(container.duration / av.time_base), stream


@pytest.mark.parametrize("suffix", [".gif", ".webp"])
def test_animated_pictures_have_every_frame_its_time_and_a_held_end(tmp_path, suffix):
    made = list(moving_square(24))
    path = write_frames(iter(made), tmp_path / f"a{suffix}", fps=12, hold_last_s=1.0)
    frames, durations = picture_frames(path)
    assert len(frames) == 24 and frames[0].shape == (H, W, 3)
    assert sum(durations) == pytest.approx(2000 + 1000, abs=10)   # 24 frames at 12 fps, held 1 s
    assert durations[-1] >= 1000
    tolerance = 0 if suffix == ".gif" else 3   # WebP frames are lossy
    for seen, wanted in ((frames[0], made[0]), (frames[11], made[11]), (frames[-1], made[-1])):
        assert np.abs(seen - wanted).mean() <= tolerance


@needs_av
@pytest.mark.parametrize("suffix", [".mp4", ".webm"])
def test_videos_have_every_frame_at_the_rate_asked(tmp_path, suffix):
    made = list(moving_square(30))
    path = write_frames(iter(made), tmp_path / f"v{suffix}", fps=15)
    frames, seconds, stream = video_frames(path)
    assert len(frames) == 30 and seconds == pytest.approx(2.0, abs=0.07)
    assert (stream.width, stream.height) == (W + 1, H + 1)   # padded to even sides
    assert stream.codec_context.name in ("h264", "vp9")
    # Lossy, but it is the picture: the moving square sits where it was drawn.
    assert np.abs(frames[29][:H, :W] - made[29]).mean() < 4


def top_level_boxes(path) -> list:
    """The names of an MP4's top-level boxes, in file order."""
    data, names, at = Path(path).read_bytes(), [], 0
    while at + 8 <= len(data):
        size = int.from_bytes(data[at:at + 4], "big")
        if size == 1:   # a 64-bit size follows the name
            size = int.from_bytes(data[at + 8:at + 16], "big")
        names.append(data[at + 4:at + 8].decode("latin-1"))
        if size < 8:
            break
        at += size
    return names


@needs_av
def test_an_mp4_starts_playing_before_it_has_all_arrived(tmp_path):
    """Its index (moov) comes before the frames (mdat), so a browser plays it while it
    downloads; the file is still written whole or not at all."""
    path = write_frames(moving_square(20), tmp_path / "shared.mp4", fps=10)
    boxes = top_level_boxes(path)
    assert "moov" in boxes and "mdat" in boxes
    assert boxes.index("moov") < boxes.index("mdat"), boxes
    assert len(video_frames(path)[0]) == 20
    assert [p.name for p in tmp_path.iterdir()] == ["shared.mp4"]   # no temporary left


@needs_av
def test_a_held_ending_in_a_video_repeats_the_last_frame(tmp_path):
    path = write_frames(moving_square(10), tmp_path / "held.mp4", fps=10, hold_last_s=1.0)
    frames, seconds, _ = video_frames(path)
    assert len(frames) == 20 and seconds == pytest.approx(2.0, abs=0.11)


def test_above_fifty_frames_a_second_pictures_skip_frames_but_keep_time(tmp_path):
    # Browsers show GIF/WebP frames under 20 ms for 100 ms: 60 fps would play at a crawl.
    path = write_frames(moving_square(60), tmp_path / "fast.gif", fps=60)
    frames, durations = picture_frames(path)
    assert len(frames) <= 50 and min(durations) >= 20
    assert sum(durations) == pytest.approx(1000, abs=10)


def test_frames_that_change_nothing_just_last_longer(tmp_path):
    still = np.full((H, W, 3), 90, np.uint8)
    path = write_frames([still] * 10, tmp_path / "still.webp", fps=10)
    frames, durations = picture_frames(path)
    assert len(frames) == 1 and durations == [1000]


def test_an_error_while_recording_leaves_no_file_and_keeps_the_old_one(tmp_path):
    old = tmp_path / "keep.gif"
    old.write_bytes(b"the old file")
    with pytest.raises(RuntimeError):
        with open_writer(old, fps=10) as writer:
            for frame in moving_square(5):
                writer.add(frame)
            raise RuntimeError("the sketch crashed")
    assert old.read_bytes() == b"the old file"
    assert not list(tmp_path.glob(".artkit-tmp-*"))


class DiskFillsAt:
    """A file on a disk that is full after `room` bytes."""

    def __init__(self, file, room):
        self.file, self.room, self.name = file, room, file.name

    def write(self, data):
        if self.file.tell() + len(data) > self.room:
            raise OSError(28, "No space left on device")
        return self.file.write(data)

    def __getattr__(self, name):
        return getattr(self.file, name)


def noise(n, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.integers(0, 256, (H, W, 3), dtype=np.uint8) for _ in range(n)]


@needs_av
@pytest.mark.parametrize("suffix", [".mp4", ".webm"])
@pytest.mark.parametrize("part", [0.3, 0.9, 0.999])   # among the frames ... in the ending
def test_a_disk_filling_up_mid_video_is_one_sentence(tmp_path, monkeypatch, capfd, suffix,
                                                     part):
    """The old file stays, no temporary file is left, and nothing but the sentence is said
    (ffmpeg writes on after a failure; PyAV would print each further one as a traceback)."""
    whole = write_frames(noise(20), tmp_path / f"whole{suffix}", fps=10).stat().st_size
    old = tmp_path / f"old{suffix}"
    old.write_bytes(b"the old file")
    sink = video._Sink
    monkeypatch.setattr(video, "_Sink",
                        lambda file: sink(DiskFillsAt(file, int(whole * part))))
    capfd.readouterr()
    with pytest.raises(ArtkitError, match="no space left on device"):
        write_frames(noise(20), old, fps=10)
    assert old.read_bytes() == b"the old file"
    assert not list(tmp_path.glob(".artkit-tmp-*"))
    printed = capfd.readouterr()
    assert printed.out == "" and printed.err == "", printed.err


@needs_av
@pytest.mark.parametrize("suffix", [".mp4", ".webm"])
def test_a_really_full_disk_mid_video_is_one_sentence(tiny_disk, capfd, suffix):
    """On a real full disk Python's file buffer fails again at every later seek while ffmpeg
    goes on writing: still one sentence, the old file, no temporary file, no tracebacks."""
    frames = noise(12)
    whole = write_frames(frames, tiny_disk / f"whole{suffix}", fps=10).stat().st_size
    (tiny_disk / f"whole{suffix}").unlink()
    old = tiny_disk / f"old{suffix}"
    old.write_bytes(b"the old file")
    filler = tiny_disk / "filler"
    for short in (whole // 2, 4096, 512):   # fails among the frames ... in the ending
        with open(filler, "wb") as f:
            f.write(b"\0" * max(0, shutil.disk_usage(tiny_disk).free - (whole - short)))
        capfd.readouterr()
        with pytest.raises(ArtkitError, match="no space left on device"):
            write_frames(frames, old, fps=10)
        printed = capfd.readouterr()
        assert printed.out == "" and printed.err == "", (short, printed.err)
        assert old.read_bytes() == b"the old file"
        assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler", f"old{suffix}"]
        filler.unlink()


def test_bad_recordings_are_one_sentence_errors(tmp_path, monkeypatch):
    with pytest.raises(ArtkitError, match=r"\.mp4, \.webm, \.gif or \.webp"):
        open_writer(tmp_path / "x.avi")
    with pytest.raises(ArtkitError, match="does not exist"):
        open_writer(tmp_path / "missing" / "x.gif")
    with pytest.raises(ArtkitError, match="frame rate"):
        open_writer(tmp_path / "x.gif", fps=0)
    with pytest.raises(ArtkitError, match="no frames"):
        write_frames([], tmp_path / "x.gif")
    with pytest.raises(ArtkitError, match="must be 97x61"):
        write_frames([next(moving_square(1)), np.zeros((10, 10, 3), np.uint8)], tmp_path / "y.gif")
    monkeypatch.setattr(video, "video_extra_missing", lambda: True)
    with pytest.raises(ArtkitError) as missing:
        open_writer(tmp_path / "x.mp4")
    sentence = str(missing.value)
    assert "pip install 'artkit[video]'" in sentence and ".gif" in sentence
    assert sentence.count(".") >= 1 and "\n" not in sentence
    assert not list(tmp_path.glob(".artkit-tmp-*"))


def test_frames_are_streamed_not_kept(tmp_path):
    """Python-side memory stays flat: 400 frames cost what 40 do (the frames go to disk as
    they come). PyAV's encoders live in C; their memory is measured in the issue note."""
    def peak(n, name):
        tracemalloc.start()
        write_frames(moving_square(n, 160, 120), tmp_path / name, fps=30)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    for suffix in (".gif", ".webp"):
        few, many = peak(40, f"few{suffix}"), peak(400, f"many{suffix}")
        assert many < few * 1.5 + 200_000, (suffix, few, many)


def test_a_background_writer_keeps_real_time_and_hands_back_errors(tmp_path):
    frames = list(moving_square(6))
    writer = BackgroundWriter(open_writer(tmp_path / "bg.gif", fps=10))
    for frame in frames:
        writer.add(frame, repeat=2)   # each picture lasted two frame times
    path = writer.close()
    assert writer.frames == 12
    _, durations = picture_frames(path)
    assert sum(durations) == pytest.approx(1200, abs=10)

    broken = BackgroundWriter(open_writer(tmp_path / "broken.gif", fps=10))
    broken.add(frames[0])
    broken.add(np.zeros((5, 5, 3), np.uint8))   # another size: the writer thread refuses it
    with pytest.raises(ArtkitError, match="must be"):
        broken.close()
    assert not (tmp_path / "broken.gif").exists()


@needs_av
def test_a_timelapse_can_be_an_mp4(tmp_path, capsys):
    from artkit.brushes import make_brush
    from artkit.cli import main
    from artkit.source import SourceImage
    from artkit.strokelog import StrokeLog

    source = SourceImage.default((80, 60))
    log = StrokeLog((80, 60), source.hash, {"background": [250, 247, 240]})
    rng = np.random.default_rng(1)
    for _ in range(4):
        log.begin_gesture()
        log.add(make_brush("dabs", size=6).autopaint(source, 10, rng))
        log.end_gesture()
    strokes = log.save(tmp_path / "p.strokes")
    out = tmp_path / "build.mp4"
    assert main(["replay", str(strokes), "--timelapse", str(out), "--seconds", "1"]) == 0
    frames, seconds, _ = video_frames(out)
    assert len(frames) == 12 + 18 and seconds == pytest.approx(2.5, abs=0.1)   # + 1.5 s held
    assert "build-up" in capsys.readouterr().out
