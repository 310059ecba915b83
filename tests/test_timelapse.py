"""Time-lapses from stroke logs: frames that grow to exactly the finished painting, animated
WebP/GIF files of the right length and size, and the `replay --timelapse` command."""

import numpy as np
import pytest
from PIL import Image

from artkit.brushes import make_brush
from artkit.cli import main
from artkit.errors import ArtkitError
from artkit.source import SourceImage
from artkit.strokelog import StrokeLog
from artkit.timelapse import timelapse, timelapse_frames, write_animation

SIZE = (80, 60)
PAPER = (250, 247, 240)


@pytest.fixture(scope="module")
def log():
    source = SourceImage.default(SIZE)
    rng = np.random.default_rng(4)
    log = StrokeLog(SIZE, source.hash, {"background": list(PAPER)})
    for name, n in (("dabs", 30), ("flow", 40), ("sprinkles", 10)):
        brush = make_brush(name, size=6)
        log.begin_gesture()
        log.add(brush.autopaint(source, n, rng))
        log.end_gesture()
    return log


def changed(frame):
    return int(np.any(frame != np.array(PAPER, np.uint8), axis=2).sum())


def test_frames_grow_to_exactly_the_finished_painting(log):
    frames = list(timelapse_frames(log, frames=7))
    assert len(frames) == 7 and frames[0].shape == (SIZE[1], SIZE[0], 3)
    painted = [changed(f) for f in frames]
    assert painted == sorted(painted) and painted[0] < painted[-1]
    assert np.array_equal(frames[-1], log.render().rgb())


def test_frames_at_a_larger_scale(log):
    last = list(timelapse_frames(log, frames=3, scale=2))[-1]
    assert last.shape == (SIZE[1] * 2, SIZE[0] * 2, 3)
    assert np.array_equal(last, log.render(2).rgb())


def test_only_what_follows_the_last_clear_is_replayed(log):
    cleared = StrokeLog(SIZE, log.source_hash, dict(log.meta))
    for g in log.gestures:
        cleared.begin_gesture()
        for s in g.strokes:
            cleared.add(s)
        cleared.end_gesture()
    cleared.clear()
    first = list(timelapse_frames(cleared, frames=4))
    assert all(changed(f) == 0 for f in first)  # nothing survives the clear
    assert len(first) == 4


@pytest.mark.parametrize("suffix", [".webp", ".gif"])
def test_animation_files_have_the_frames_size_and_a_held_ending(log, tmp_path, suffix):
    path = timelapse(log, tmp_path / f"build{suffix}", seconds=1.0, fps=6)
    with Image.open(path) as anim:
        assert anim.size == SIZE and anim.n_frames == 6
        anim.seek(anim.n_frames - 1)
        anim.load()
        assert anim.info["duration"] > 1000  # the finished painting is held


def test_bad_requests_are_one_sentence_errors(log, tmp_path):
    with pytest.raises(ArtkitError, match=r"\.gif or \.webp"):
        timelapse(log, tmp_path / "x.avi")
    with pytest.raises(ArtkitError, match="folder"):
        timelapse(log, tmp_path / "missing" / "x.webp")
    with pytest.raises(ArtkitError, match="seconds"):
        timelapse(log, tmp_path / "x.webp", seconds=0)
    with pytest.raises(ArtkitError, match="no frames"):
        write_animation([], tmp_path / "x.gif")


def test_frames_stream_to_the_writer_one_at_a_time(log, tmp_path, monkeypatch):
    """No frame list is built: the writer has each frame before the next is drawn (so a long
    time-lapse needs no more memory than a short one; see tests/test_video.py)."""
    import artkit.timelapse as tl

    order = []
    frames = tl.timelapse_frames

    def drawn(*args):
        for k, frame in enumerate(frames(*args)):
            order.append(f"drawn {k}")
            yield frame

    real_write = tl.write_frames

    def written(source, path, **options):
        def seen():
            for k, frame in enumerate(source):
                order.append(f"written {k}")
                yield frame
        return real_write(seen(), path, **options)

    monkeypatch.setattr(tl, "timelapse_frames", drawn)
    monkeypatch.setattr(tl, "write_frames", written)
    tl.timelapse(log, tmp_path / "streamed.gif", seconds=0.5, fps=6)
    assert order == [f"{what} {k}" for k in range(3) for what in ("drawn", "written")]


def test_replay_command_writes_a_timelapse(log, tmp_path, capsys):
    strokes = log.save(tmp_path / "painting.strokes")
    out = tmp_path / "build.webp"
    assert main(["replay", str(strokes), "--timelapse", str(out), "--scale", "0.5",
                 "--seconds", "1"]) == 0
    with Image.open(out) as anim:
        assert anim.size == (SIZE[0] // 2, SIZE[1] // 2) and anim.n_frames == 12
    assert "build-up" in capsys.readouterr().out
    assert main(["replay", str(strokes)]) == 2  # neither --out nor --timelapse
