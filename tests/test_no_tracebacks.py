"""Each case of "No traceback ever reaches a person" (issue 20), tried as a person would.

Every case ends in one plain sentence (status 2), or does the sane thing (status 0): seeds of
any whole number, sketches saved with a BOM, crafted stroke files whose damage can be skipped.
Sketches that ask for typed input, files that are pipes, NaN timeouts and sleeps never hang.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest

from artkit import cli
from artkit.canvas import max_canvas_scale, read_provenance
from artkit.errors import ArtkitError
from artkit.strokelog import StrokeLog

torch = pytest.importorskip("torch")

from artkit.gan import checkpoint as ckpt  # noqa: E402  (needs torch)
from artkit.gan import models  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def run(*argv, cwd=None):
    """`artkit ARGV` in this process: (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = cli.main([str(a) for a in argv])
            except SystemExit as exit_:
                status = exit_.code
    finally:
        os.chdir(here)
    return status, out.getvalue(), err.getvalue()


def one_sentence(err: str) -> str:
    """The single line artkit said, checked to be plain."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err and "Error:" not in err, err
    assert lines[0].startswith("artkit: ") and lines[0].rstrip().endswith((".", "?")), err
    return lines[0][len("artkit: "):]


def refused(*argv, cwd=None) -> str:
    status, _, err = run(*argv, cwd=cwd)
    assert status == 2, err
    return one_sentence(err)


@pytest.fixture(scope="module")
def tiny_checkpoint(tmp_path_factory):
    torch.manual_seed(0)
    config = models.MLPGANConfig(hidden=16, latent_dim=8)
    path = tmp_path_factory.mktemp("gan") / "tiny.pt"
    ckpt.save_checkpoint(path, model_name="mlp", config=config,
                         generator=models.build_generator(config), step=5)
    return path


def sketch(tmp_path, text, name="sketch.py", data: bytes | None = None) -> Path:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    else:
        path.write_text(text)
    return path


# --------------------------------------------------------------------------------------------
# Seeds: any whole number, everywhere, the same way

def test_render_takes_a_negative_seed_as_its_wrapped_value(tmp_path):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    assert run("render", "--seed=-5", "--size", "40x30", "--strokes", "4", "--out", a,
               "--quiet")[0] == 0
    assert run("render", "--seed", "4294967291", "--size", "40x30", "--strokes", "4", "--out",
               b, "--quiet")[0] == 0
    assert read_provenance(a)["seed"] == 4294967291
    assert a.read_bytes() == b.read_bytes()


def test_paint_takes_a_negative_seed(tmp_path, monkeypatch):
    import artkit.app.paint_app as paint_app

    seen = {}

    class Window:
        def __init__(self, session, out_dir):
            seen["seed"] = session.seed
            raise KeyboardInterrupt   # close at once: no window needed to see the seed

    monkeypatch.setattr(paint_app, "PaintApp", Window)
    status, _, err = run("paint", "--seed", "-5", "--size", "64x48", "--out-dir", tmp_path)
    assert status == 130, err
    assert seen["seed"] == 4294967291


def test_every_seed_option_documents_the_rule():
    import argparse

    def seeds(parser):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    yield from seeds(sub)
            elif action.dest == "seed":
                yield parser.prog, action

    found = list(seeds(cli.build_parser()))
    assert len(found) >= 7
    for prog, action in found:
        assert "2^32" in action.help and "-1 is the same as 4294967295" in action.help, prog
        assert action.type("-1") == 4294967295 and action.type("99999999999999999999") == \
            99999999999999999999 % 2**32, prog


def test_gan_seeds_wrap_the_same_way(tiny_checkpoint, tmp_path):
    a, b = tmp_path / "a.npy", tmp_path / "b.npy"
    for seed, npy in (("-5", a), ("4294967291", b)):
        status, _, err = run("gan", "sample", tiny_checkpoint, "--n", "3", "--seed", seed,
                             "--out", tmp_path / "g.png", "--npy", npy)
        assert status == 0, err
    assert np.array_equal(np.load(a), np.load(b))
    from PIL import Image

    pictures = []
    for seed in ("99999999999999999999", str(99999999999999999999 % 2**32)):
        out = tmp_path / f"seed{seed}.png"
        status, _, err = run("render", "--source", f"gan:{tiny_checkpoint}#{seed}", "--size",
                             "32x24", "--strokes", "2", "--out", out, "--quiet")
        assert status == 0, err
        pictures.append(np.asarray(Image.open(out)))
    assert np.array_equal(*pictures)


def test_a_word_after_the_hash_is_called_a_bad_seed(tiny_checkpoint, tmp_path):
    said = refused("render", "--source", f"gan:{tiny_checkpoint}#abc", "--size", "32x24",
                   "--out", tmp_path / "x.png")
    assert "'#abc'" in said and "is not a seed" in said and "whole number" in said
    assert "palette called" not in said


# --------------------------------------------------------------------------------------------
# Output paths: checked before the work, and a file where a folder should be is called a file

@pytest.mark.parametrize("out, words", [
    ("o/grid", "--out must name a .png (or .jpg, .webp) file, not 'o/grid'."),
    (".", "--out names the folder '.'; give a file name"),
    ("grid.txt", "--out must name a .png (or .jpg, .webp) file, not 'grid.txt'."),
])
def test_gan_sample_out_names_are_refused_before_loading(out, words, tiny_checkpoint, tmp_path,
                                                         monkeypatch):
    def never(*_a, **_k):
        raise AssertionError("the checkpoint was loaded before --out was checked")

    monkeypatch.setattr(ckpt, "load_generator", never)
    assert refused("gan", "sample", tiny_checkpoint, "--out", out, cwd=tmp_path).startswith(words)


@pytest.mark.skipif(not Path("/proc").is_dir() or os.geteuid() != 0,
                    reason="/proc is the place even root can't write in")
def test_gan_sample_out_in_proc(tiny_checkpoint, tmp_path):
    assert refused("gan", "sample", tiny_checkpoint, "--out", "/proc/s.png") == (
        "--out can't write in '/proc': files can't be made there; pick another folder.")


def test_a_file_where_a_folder_should_be_is_called_a_file(tmp_path, tiny_checkpoint):
    afile = tmp_path / "notes"
    afile.write_text("x")
    assert refused("render", "--out", afile / "x.png") == (
        f"Can't save to '{afile / 'x.png'}': '{afile}' is a file, not a folder.")
    assert refused("gan", "sample", tiny_checkpoint, "--out", afile / "g.png") == (
        f"--out needs '{afile}' to be a folder, but it is a file; give another name.")
    assert refused("paint", "--out-dir", afile) == (
        f"--out-dir must be a folder, but '{afile}' is a file; pick a folder.")
    assert refused("gan", "train", "--model", "pattern", "--out", afile) == (
        f"--out needs '{afile}' to be a folder, but it is a file; give another name.")
    assert refused("gan", "train", "--model", "pattern", "--out", afile / "run") == (
        f"--out can't make the folder '{afile / 'run'}': '{afile}' is a file, not a folder.")


def test_long_jobs_check_their_outputs_first(tmp_path, monkeypatch):
    import artkit.gan.train as train
    from artkit.session import PaintSession

    def never(*_a, **_k):
        raise AssertionError("the work started before its output was checked")

    monkeypatch.setattr(train, "run_job", never)
    monkeypatch.setattr(PaintSession, "paint_until_covered", never)
    afile = tmp_path / "notes"
    afile.write_text("x")
    refused("gan", "train", "--out", afile)
    refused("render", "--out", tmp_path / "missing" / "x.png")
    refused("render", "--out", tmp_path / "x.jpg")
    refused("gan", "ablate", "--out", afile)
    refused("gan", "xy", "--out", afile)


@pytest.mark.skipif(not Path("/proc").is_dir() or os.geteuid() != 0,
                    reason="/proc is the place even root can't write in")
def test_gan_train_out_unwritable(monkeypatch):
    import artkit.gan.train as train

    monkeypatch.setattr(train, "run_job", lambda *a, **k: pytest.fail("training started"))
    assert refused("gan", "train", "--out", "/proc/run") == (
        "--out can't write in '/proc': files can't be made there; pick another folder.")


@pytest.mark.slow
def test_gan_train_on_a_full_disk_keeps_the_checkpoint_it_had(tmp_path, monkeypatch):
    """The disk fills up after the first last.pt: one sentence, and that last.pt still loads."""
    real = ckpt.atomic_write
    saves = []

    @contextlib.contextmanager
    def filling(path, mode="wb"):
        with real(path, mode) as f:
            saves.append(Path(path).name)
            if len(saves) > 1:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            yield f

    monkeypatch.setattr(ckpt, "atomic_write", filling)
    out = tmp_path / "run"
    status, _, err = run("gan", "train", "--model", "pattern", "--steps", "40",
                         "--score-every", "10", "--sample-every", "1000", "--out", out)
    assert status == 2, err
    said = one_sentence(err)
    assert "No space left on device".lower() in said.lower() and "last.pt" in said
    assert ckpt.load_checkpoint(out / "last.pt")["step"] == 10
    assert not [p for p in out.rglob("*") if p.name.startswith(".artkit-tmp-")]


def test_gan_train_huge_batch_is_refused_and_allocator_errors_are_plain(monkeypatch):
    import artkit.gan.train as train

    assert refused("gan", "train", "--batch-size", "10000000") == (
        "--batch-size must be 1 or more and at most 65,536, not 10000000.")

    def out_of_memory(job):
        raise RuntimeError("[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: "
                           "can't allocate memory: you tried to allocate 31360000000 bytes.")

    monkeypatch.setattr(train, "run_job", out_of_memory)
    assert refused("gan", "train", "--batch-size", "60000") == (
        "Training ran out of memory with batch size 60000; try a smaller --batch-size, such "
        "as 64.")


# --------------------------------------------------------------------------------------------
# Canvas bytes: checked before work, naming what would fit

def test_render_scale_too_big_names_the_largest_scale(monkeypatch):
    from artkit.session import PaintSession

    monkeypatch.setattr(PaintSession, "__init__", lambda *a, **k: pytest.fail("painted"))
    best = max_canvas_scale(4096, 4096)
    said = refused("render", "--size", "4096x4096", "--scale", "6", "--out", "never.png")
    assert said.startswith("--scale 6 makes a 24576x24576 picture (2.2 GB), too big to draw on "
                           "here; the largest --scale for 4096x4096 is ")
    assert said.endswith(f" is {best:g}.")
    assert 0 < best <= 5.65     # skia's 2 GB: 23170 px square at most


def test_replay_scale_on_a_large_log(tmp_path):
    from artkit.strokes import Kind, Strokes

    log = StrokeLog((4096, 4096))
    log.add(Strokes(Kind(0), np.zeros((1, 2, 2), np.float32) + 10,
                    np.full((1, 4), 200, np.uint8), np.ones(1, np.float32)))
    log.end_gesture()
    path = log.save(tmp_path / "big.strokes")
    said = refused("replay", path, "--scale", "6", "--out", tmp_path / "print.png")
    assert said.startswith("--scale 6 makes a 24576x24576 picture")
    assert not (tmp_path / "print.png").exists()


def test_sketch_size_too_big_names_the_largest_canvas(tmp_path):
    path = sketch(tmp_path, "def setup():\n    size(30000, 30000)\n")
    status, _, err = run("run", path, "--frames", "1", "--out", tmp_path / "x.png")
    assert status == 2
    assert "line 2" in err and "A canvas of 30000x30000 pixels would need 3.4 GB" in err
    assert "the largest of that shape is" in err and "Traceback" not in err
    assert "RuntimeError" not in err


# --------------------------------------------------------------------------------------------
# Crafted stroke files: one sentence, or what is sane is drawn

def _crafted(tmp_path, name, header_json: bytes, extra=b"") -> Path:
    import struct

    log = StrokeLog((40, 30), meta={"brush": "flow"})
    from artkit.strokes import Kind, Strokes

    log.add(Strokes(Kind(0), np.array([[[5, 5], [30, 20]]], np.float32),
                    np.array([[200, 40, 40, 255]], np.uint8), np.array([3], np.float32)))
    log.end_gesture()
    good = log.save(tmp_path / "good.strokes").read_bytes()
    magic = b"ARTKIT-STROKES\n"
    # Replace the first record (the header) by one holding `header_json`.
    length, = struct.unpack_from("<I", good, len(magic))
    rest = good[len(magic) + 8 + length:]
    payload = struct.pack("<I", len(header_json)) + header_json
    record = struct.pack("<II", len(payload), zlib.crc32(payload)) + payload
    path = tmp_path / name
    path.write_bytes(magic + record + rest + extra)
    return path


def test_a_non_ascii_meta_key_replays(tmp_path):
    path = _crafted(tmp_path, "keys.strokes", '{"format":"artkit-strokes","version":1,'
                    '"size":[40,30],"meta":{"ключ✓":"värde","brush":"flöw"}}'.encode())
    status, _, err = run("replay", path, "--out", tmp_path / "k.png", "--quiet")
    assert status == 0, err
    assert (tmp_path / "k.png").exists()


def test_infinite_sizes_are_one_sentence(tmp_path):
    path = _crafted(tmp_path, "inf.strokes", b'{"format":"artkit-strokes","version":1,'
                    b'"size":[Infinity,1e308],"meta":{}}')
    assert refused("replay", path, "--out", tmp_path / "i.png") == (
        "'inf.strokes' is damaged beyond repair: its header makes no sense.")


def test_deep_nesting_is_skipped_as_damage(tmp_path):
    deep = b'{"format":"artkit-strokes","version":1,"size":[40,30],"meta":' + \
        b"[" * 100_000 + b"]" * 100_000 + b"}"
    path = _crafted(tmp_path, "deep.strokes", deep)
    status, out, err = run("replay", path, "--out", tmp_path / "d.png")
    assert status == 0, err
    assert one_sentence(err).startswith("'deep.strokes' is damaged: 1 gesture recovered")


def test_crafted_journals_resume_or_say_why(tmp_path, monkeypatch):
    from artkit.commands.paint import resume_session
    from artkit.sessions import SessionStore

    store = SessionStore(tmp_path / "sessions")
    store.folder.mkdir(exist_ok=True)
    for name, header in (("20260101-000000", '{"format":"artkit-strokes","version":1,"size":'
                          '[40,30],"meta":{"ключ✓":1},"journal":true}'.encode()),
                         ("20260101-000001", b'{"format":"artkit-strokes","version":1,'
                          b'"size":[Infinity,2],"meta":{},"journal":true}')):
        crafted = _crafted(tmp_path, f"{name}.strokes", header)
        crafted.rename(store.folder / crafted.name)
    session, lock, notices = resume_session(store, "20260101-000000")
    assert len(session.log.gestures) == 1 and notices == []
    lock.release()
    with pytest.raises(ArtkitError, match="damaged beyond repair: its header makes no sense"):
        resume_session(store, "20260101-000001")


# --------------------------------------------------------------------------------------------
# Checkpoints: a string for a config, a zip bomb

@pytest.fixture
def string_config(tiny_checkpoint, tmp_path):
    state = torch.load(tiny_checkpoint, weights_only=True)
    state["config"] = "mlp"
    path = tmp_path / "strcfg.pt"
    torch.save(state, path)
    return path


def test_a_string_config_is_one_sentence_in_the_cli(string_config, tmp_path):
    said = refused("gan", "sample", string_config, "--out", tmp_path / "g.png")
    assert said == ("strcfg.pt is an artkit checkpoint whose config is str, not a table of "
                    "settings: it is damaged or was edited, so use another one such as last.pt "
                    "or best.pt.")


def test_a_string_config_is_one_sentence_in_the_gan_panel(string_config):
    import queue

    from artkit.gan import worker

    events = []
    engine = worker._Engine(events.append, in_window_process=True)
    commands = queue.Queue()
    commands.put(("load", str(string_config)))
    commands.put(("quit",))
    engine.serve(commands)
    failed = [e for e in events if isinstance(e, worker.Failed)]
    assert [e.message for e in failed] == [
        "strcfg.pt is an artkit checkpoint whose config is str, not a table of settings: it is "
        "damaged or was edited, so use another one such as last.pt or best.pt."]


def _zip_bomb(source: Path, out: Path, claimed: int) -> Path:
    """`source`'s members, with data.pkl replaced by `claimed` zero bytes, deflated: ~1 KB a MB."""
    import struct

    chunk = 1 << 20
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(b"\0" * chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    count = claimed // chunk
    with zipfile.ZipFile(source) as archive:
        members = [(i.filename, archive.read(i.filename)) for i in archive.infolist()]
    central, offset = [], 0
    with open(out, "wb") as f:
        for name, data in members:
            bomb = name.endswith("data.pkl")
            method, size, packed = (8, count * chunk, len(block) * count + len(end)) if bomb \
                else (0, len(data), len(data))
            crc = 0 if bomb else zlib.crc32(data)   # never decompressed: the CRC isn't read
            head = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, crc, packed,
                               size, len(name), 0) + name.encode()
            f.write(head)
            if bomb:
                for _ in range(count):
                    f.write(block)
                f.write(end)
            else:
                f.write(data)
            central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0,
                                       0, crc, packed, size, len(name), 0, 0, 0, 0, 0, offset)
                           + name.encode())
            offset += len(head) + packed
        directory = b"".join(central)
        f.write(directory)
        f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central),
                            len(directory), offset, 0))
    return out


def test_a_zip_bomb_is_refused_before_decompression(tiny_checkpoint, tmp_path, monkeypatch):
    bomb = _zip_bomb(tiny_checkpoint, tmp_path / "bomb.pt", 3_400_000_000)
    assert bomb.stat().st_size < 4_000_000
    monkeypatch.setattr(torch, "load", lambda *a, **k: pytest.fail("torch.load decompressed"))
    started = time.perf_counter()
    said = refused("gan", "sample", bomb, "--out", tmp_path / "g.png")
    assert time.perf_counter() - started < 5
    megabytes = bomb.stat().st_size / 2**20
    assert said == (f"bomb.pt would unpack to 3.2 GB from a {megabytes:.1f} MB file, which no "
                    "artkit checkpoint does (it is damaged, or made to fill the memory), so "
                    "artkit refuses to load it.")


def test_real_checkpoints_pass_the_size_check(tiny_checkpoint):
    assert ckpt.load_checkpoint(tiny_checkpoint)["model_name"] == "mlp"


# --------------------------------------------------------------------------------------------
# Pipes: refused before anything opens them

def test_fifos_are_refused_before_opening(tmp_path, tiny_checkpoint):
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    log = tmp_path / "pipe.strokes"
    os.mkfifo(log)
    started = time.perf_counter()
    assert refused("render", "--source", fifo, "--size", "32x24", "--out", tmp_path / "a.png") \
        == f"'{fifo}' is not an ordinary file (a pipe or a device?); give an image file saved " \
           f"on disk."
    assert refused("replay", log, "--out", tmp_path / "b.png") == (
        f"'{log}' is not an ordinary file (a pipe or a device?); give a stroke file saved on "
        f"disk.")
    assert refused("gan", "sample", fifo, "--out", tmp_path / "c.png").startswith(f"'{fifo}' is not")
    assert refused("paint", "--gan", fifo).startswith(f"'{fifo}' is not an ordinary file")
    assert time.perf_counter() - started < 10


# --------------------------------------------------------------------------------------------
# Sketches: typed input, BOM, NaN timeouts, leaving, undecodable bytes, sleeps

def run_sketch(tmp_path, path, *extra):
    return run("run", path, "--frames", "2", "--out", tmp_path / "out.png", *extra)


def test_input_is_explained_at_once(tmp_path):
    path = sketch(tmp_path, 'name = input("your name? ")\ncircle(10, 10, 5)\n')
    status, _, err = run_sketch(tmp_path, path)
    assert status == 2
    assert "line 1: sketches can't ask for typed input" in err and "key_pressed" in err


@pytest.mark.slow
def test_input_with_an_open_pipe_on_stdin_does_not_hang(tmp_path):
    """The case that used to hang, then abort (status 134): stdin a pipe nobody writes to."""
    reading = sketch(tmp_path, "import sys\nfor line in sys.stdin:\n    print(line)\n", "s.py")
    asking = sketch(tmp_path, 'input("?")\n', "i.py")
    env = dict(os.environ, SDL_VIDEODRIVER="dummy")
    for path in (asking, reading):
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "artkit", "run", str(path), "--frames",
                                  "1", "--out", str(tmp_path / "x.png")], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                 cwd=tmp_path)
        try:
            _, err = child.communicate(timeout=60)   # stdin stays open: nobody types
        finally:
            child.kill()
        assert child.returncode == 2, err
        assert b"sketches can't ask for typed input" in err
        assert time.perf_counter() - started < 60


def test_a_sketch_saved_with_a_bom_runs(tmp_path):
    path = sketch(tmp_path, "", data="\ufeffdef setup():\n    size(40, 30)\n    circle(20, 15, "
                  "10)\n".encode("utf-8"))
    status, out, err = run_sketch(tmp_path, path)
    assert status == 0, err
    assert (tmp_path / "out.png").exists()


def test_a_nan_timeout_is_refused(tmp_path):
    from artkit.runner import SketchRunner

    path = sketch(tmp_path, "circle(10, 10, 5)\n")
    assert refused("run", path, "--timeout", "nan", "--frames", "1").startswith(
        "--timeout must be a number more than 0 and at most 3600, not 'nan'.")
    with pytest.raises(ArtkitError, match="must be a number of seconds more than 0"):
        SketchRunner(path, timeout=float("nan"))


@pytest.mark.parametrize("code, words", [
    ("import sys\nsys.exit()\n", "line 2: sys.exit() (or exit() or quit()) stops a whole Python "
                                 "program"),
    ("quit()\n", "line 1: sys.exit() (or exit() or quit())"),
    ("raise KeyboardInterrupt\n", "line 1: KeyboardInterrupt means Ctrl+C was pressed"),
    ("import os\ndef draw():\n    os._exit(3)\n", "line 3: os._exit() would close artkit at once"),
    ("from os import _exit\n_exit(1)\n", "line 2: os._exit() would close artkit at once"),
])
def test_leaving_from_a_sketch_is_explained(code, words, tmp_path):
    path = sketch(tmp_path, code)
    status, _, err = run_sketch(tmp_path, path)
    assert status == 2
    assert words in err and "no_loop()" in err
    assert "SystemExit" not in err.replace("sys.exit", "")


def test_a_non_utf8_byte_names_its_line(tmp_path):
    path = sketch(tmp_path, "", data=b"circle(10, 10, 5)\n# caf\xe9\n")
    status, _, err = run_sketch(tmp_path, path)
    assert status == 2
    assert "line 2: it has a character that isn't saved as UTF-8 (the byte 0xe9)" in err
    assert "codec" not in err


@pytest.mark.slow
def test_a_sleeping_sketch_is_stopped(tmp_path):
    path = sketch(tmp_path, "import time\n\ndef draw():\n    time.sleep(20)\n")
    started = time.perf_counter()
    status, _, err = run_sketch(tmp_path, path, "--timeout", "0.5")
    assert status == 2
    assert "draw ran for 0.5 seconds without finishing" in err
    assert time.perf_counter() - started < 15


# --------------------------------------------------------------------------------------------
# SIGTERM, and the last resort

@pytest.mark.slow
def test_paint_stops_on_sigterm_while_blocked(tmp_path):
    """paint, blocked in a read after pygame started (SDL used to swallow SIGTERM then)."""
    fifo = tmp_path / "slow"
    os.mkfifo(fifo)
    script = (
        "import sys, artkit.source as source\n"
        "def blocked(*a, **k):\n"
        "    print('blocking', flush=True)\n"
        "    open(sys.argv[1]).read()\n"
        "source.open_source = blocked\n"
        "from artkit.cli import main\n"
        "raise SystemExit(main(['paint', '--size', '64x48']))\n")
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    child = subprocess.Popen([sys.executable, "-c", script, str(fifo)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    try:
        assert child.stdout.readline().strip() == b"blocking"
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=20)
    finally:
        child.kill()
    assert child.returncode == 143
    assert err.decode().strip() == "artkit: stopped (terminated); what was made so far is kept."


def test_the_last_resort_names_a_log_with_the_details(tmp_path, monkeypatch):
    from artkit import errorlog

    monkeypatch.setenv("ARTKIT_HOME", str(tmp_path / "home"))
    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    for action in parser._actions:   # the sessions command now runs the buggy function
        if getattr(action, "choices", None) and "sessions" in action.choices:
            action.choices["sessions"].set_defaults(func=lambda args: {}["a bug"])
    status, _, err = run("sessions")
    log = tmp_path / "home" / errorlog.LOG_NAME
    assert status == 1
    assert one_sentence(err) == (f"something went wrong inside artkit (KeyError), which is a "
                                 f"bug in artkit, not your mistake; the details are in '{log}'.")
    text = log.read_text()
    assert "Traceback (most recent call last)" in text and "KeyError: 'a bug'" in text
    assert "$ artkit sessions" in text
    # The log keeps the newest entries only, and a pipe where it should be is never opened.
    log.write_text("=== old\n" + "x" * (errorlog.KEEP_BYTES * 2) + "\n=== newer\nkept\n")
    run("sessions")
    kept = log.read_text()
    assert len(kept.encode()) < errorlog.KEEP_BYTES + 10_000 and "kept" in kept
    assert not kept.startswith("=== old")


def test_the_last_resort_never_fails_itself(tmp_path, monkeypatch):
    from artkit import errorlog

    blocked = tmp_path / "home"
    blocked.write_text("a file where the data folder should be")
    monkeypatch.setenv("ARTKIT_HOME", str(blocked))
    assert errorlog.log_unexpected(ValueError("x"), ["x"]) is None
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert cli.report_unexpected(ValueError("boom"), ["x"]) == 1
    # With no log to name, the error's own words are the only record, so they are said.
    assert err.getvalue() == ("artkit: something went wrong inside artkit (ValueError: boom), "
                              "which is a bug in artkit, not your mistake.\n")
