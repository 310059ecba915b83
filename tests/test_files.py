"""Saving never leaves a half-written file: a full disk or a kill mid-save keeps the old one."""

import errno
import os
import shutil
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
from PIL import Image

from artkit import files
from artkit.cli import main
from artkit.errors import ArtkitError
from artkit.session import PaintSession


def painted_session(size=(120, 90), seed=1):
    session = PaintSession(size, brush="dabs", seed=seed)
    session.paint_until_covered(touches=200)
    return session


def readable(path) -> np.ndarray:
    with Image.open(path) as picture:
        picture.load()   # a truncated PNG fails here
        return np.asarray(picture.convert("RGB"))


def strays(folder) -> list:
    return [p.name for p in folder.iterdir() if p.name.startswith(files.TEMP_PREFIX)]


def test_a_failed_write_keeps_the_old_file_and_says_so(tmp_path, monkeypatch):
    old = painted_session(seed=1).save_as(tmp_path / "p.png")
    before_png, before_log = old.read_bytes(), old.with_suffix(".strokes").read_bytes()

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(ArtkitError, match="no space left on device") as caught:
        painted_session(seed=2).save_as(tmp_path / "p.png")
    assert "unchanged" in str(caught.value) and "\n" not in str(caught.value)
    assert old.read_bytes() == before_png
    assert old.with_suffix(".strokes").read_bytes() == before_log
    assert strays(tmp_path) == []


def test_atomic_write_keeps_the_file_mode_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "x.bin"
    with files.atomic_write(target) as f:
        f.write(b"one")
    with pytest.raises(ZeroDivisionError):
        with files.atomic_write(target) as f:
            f.write(b"two")
            1 / 0
    assert target.read_bytes() == b"one" and strays(tmp_path) == []
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_folder_fifo_and_missing_folder_are_refused_before_work(tmp_path):
    with pytest.raises(ArtkitError, match="is a folder"):
        files.check_writable(tmp_path)
    with pytest.raises(ArtkitError, match="does not exist"):
        files.check_writable(tmp_path / "nope" / "x.png")
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.png"
        os.mkfifo(fifo)
        with pytest.raises(ArtkitError, match="not a regular file"):
            files.check_writable(fifo)
        with pytest.raises(ArtkitError, match="not an ordinary file"):
            files.check_regular_file(fifo)


def test_a_really_full_disk_keeps_the_old_render(tiny_disk, capsys):
    out = tiny_disk / "sunset.png"
    assert main(["render", "--size", "80x60", "--strokes", "50", "--out", str(out),
                 "--quiet"]) == 0
    before = out.read_bytes()
    filler = tiny_disk / "filler"
    with open(filler, "wb") as f:   # leave less room than the next render needs
        free = shutil.disk_usage(tiny_disk).free
        f.write(b"\0" * max(0, free - 20_000))
    code = main(["render", "--size", "400x300", "--seed", "3", "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "no space left on device" in err and len(err.strip().splitlines()) == 1
    assert out.read_bytes() == before and readable(out).shape == (60, 80, 3)
    assert strays(tiny_disk) == []


@pytest.mark.slow
def test_kill_9_in_the_middle_of_saves_never_leaves_a_broken_picture(tmp_path):
    """A process saving over the same PNG again and again is killed at seeded random moments:
    the file is always one whole picture, never a truncated one."""
    writer = textwrap.dedent("""
        import sys
        from artkit.session import PaintSession
        a = PaintSession((400, 300), brush="dabs", seed=1)
        a.paint_until_covered(touches=300)
        b = PaintSession((400, 300), brush="flow", seed=2)
        b.paint_until_covered(touches=300)
        a.save_as("p.png")
        print("READY", flush=True)
        while True:
            for s in (a, b):
                s.save_as("p.png")
    """)
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    rng = np.random.default_rng(0)
    seen = set()
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, "-c", writer], cwd=tmp_path, env=env,
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "READY"
        time.sleep(float(rng.uniform(0.05, 0.6)))
        proc.kill()
        proc.wait()
        pixels = readable(tmp_path / "p.png")
        assert pixels.shape == (300, 400, 3)
        seen.add(pixels.tobytes())
        proc.stdout.close()
    assert 1 <= len(seen) <= 2   # always one of the two whole pictures


def test_a_stray_left_by_a_killed_writer_goes_with_the_next_save(tmp_path, monkeypatch):
    """A temporary file names its writer's process. The next save into the folder removes
    the ones whose process has gone once they are STALE_TEMP_S old, and keeps a live
    process's (a save in progress), a fresh one and any file not artkit's."""
    if os.name != "posix":
        pytest.skip("only POSIX can ask harmlessly whether a process lives")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    old = time.time() - files.STALE_TEMP_S - 5
    names = {"dead-old": f"{files.TEMP_PREFIX}{gone.pid}-abc.png",
             "dead-new": f"{files.TEMP_PREFIX}{gone.pid}-def.png",
             "alive-old": f"{files.TEMP_PREFIX}{os.getppid()}-ghi.png",
             "unnamed": f"{files.TEMP_PREFIX}xyz.png", "mine": "notes.txt"}
    for key, name in names.items():
        (tmp_path / name).write_bytes(b"x")
        if key != "dead-new":
            os.utime(tmp_path / name, (old, old))
    monkeypatch.setattr(files, "_swept", set())
    with files.atomic_write(tmp_path / "p.png") as f:
        f.write(b"picture")
    left = {p.name for p in tmp_path.iterdir()}
    assert names["dead-old"] not in left
    assert {names[k] for k in ("dead-new", "alive-old", "unnamed", "mine")} <= left
    assert (tmp_path / "p.png").read_bytes() == b"picture"
    assert sorted(strays(tmp_path)) == sorted(names[k] for k in ("dead-new", "alive-old",
                                                                 "unnamed"))


def test_a_journal_reaches_the_disk_soon_after_each_gesture_without_the_painter_waiting(
        tmp_path, monkeypatch):
    """Each journal record is fsynced by a thread of its own (a power cut loses little); the
    gesture's own call never waits for the disk; closing syncs once more and stops it."""
    import threading

    from artkit.strokelog import StrokeLog
    from artkit.strokes import CIRCLE, Strokes

    synced, disk = threading.Event(), threading.Event()
    calls = []

    def slow_fsync(fd):
        disk.wait(5)   # a slow disk: only released below
        calls.append(fd)
        synced.set()

    log = StrokeLog((50, 40))
    log.journal_to(tmp_path / "j.strokes")
    monkeypatch.setattr(files.os, "fsync", slow_fsync)
    log.begin_gesture()
    log.add(Strokes(CIRCLE, [[10, 10]], (1, 2, 3, 200), 4.0))
    log.end_gesture()            # returns although the disk hasn't answered
    assert not calls
    disk.set()
    assert synced.wait(5) and calls
    thread = log._journal_sync._thread
    log.close()
    assert not thread.is_alive() and len(calls) >= 2   # the last sync on closing
    assert len(StrokeLog.load(tmp_path / "j.strokes").gestures) == 1
