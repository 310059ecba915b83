"""artkit against p5.js on the seed's two methods, end to end, in one run on one machine.

Both sides paint a real photograph at 1024² (scikit-image's astronaut, or --photo), fitted by
artkit and handed to the page as decoded RGB bytes, so both sample the same pixels:

- flow: 2,000 clumps of 8 hairs walking 12 steps (192k segments) — bench/p5/flow.js;
- dabs: 5,000 touches of 30 translucent circles (150k circles) — bench/p5/dabs.js.

p5.js (1.11, `cd bench/p5 && npm install`) runs in headless Chromium: bench/p5/harness.js
times, inside the page, N touches from a fresh background and then `toDataURL("image/png")`,
and the same for 1 touch. artkit runs as a process, `artkit render --brush B --source
photo.png --size 1024x1024 --strokes N --out X.png` (the PNG and its stroke log written), timed
from outside, and the same with --strokes 1. On both sides the 1-touch time is subtracted, so
start-up (Chromium and p5 on one side, Python's imports on the other) doesn't count. The two
sides alternate for --rounds rounds and the medians count (the machine may be shared).

Then, from the same run, `artkit replay LOG --scale 4` (the flow painting at 4096²) and
`artkit render --source gan:CKPT --walk --frames 24`, before and after: "before" is
`--jobs 1 --exact` (one process, one skia call per dab: the serial renderer), or with
`--before-commit SHA` artkit itself as it was at that commit (its package taken from git
into the temporary folder: the seed's renderer, Pillow's PNG writer and all); "after" is the
defaults (one worker process per core, dabs blitted from pre-rasterised discs).
Their pictures are compared with the serial renderer's (`--jobs 1`, byte for byte), and the
peak memory of the replay's process tree (proportional set size, shared memory counted once)
is printed.

Targets (issue 18): artkit >= 4x p5.js on flow, >= 3.5x on dabs; replay and walk >= 1.7x.

    python bench/bench_p5.py [--rounds 5] [--photo PATH] [--p5 FOLDER] [--chromium PATH]
                             [--only p5|extras] [--before-commit SHA] [--keep FOLDER]
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
P5_DIR = HERE / "p5"
DEFAULT_P5 = P5_DIR / "node_modules" / "p5" / "lib" / "p5.min.js"
SIZE = 1024
WORKLOADS = {   # brush: (touches, marks per touch, what a mark is)
    "flow": (2000, 8 * 12, "segments"),
    "dabs": (5000, 30, "circles"),
}
TARGETS = {"flow": 4.0, "dabs": 3.5}
EXTRAS_TARGET = 1.7
WALK_FRAMES = 24
ARTKIT = [sys.executable, "-m", "artkit"]


# ---------------------------------------------------------------------------- set-up

def find_p5(folder: str | None) -> Path | None:
    """p5.min.js in `folder` (or the file itself), else the npm-installed copy; None if absent."""
    if folder is None:
        path = DEFAULT_P5
    else:
        path = Path(folder)
        if path.is_dir():
            path = path / "p5.min.js"
    return path if path.is_file() else None


def find_chromium(given: str | None) -> str | None:
    if given:
        return given
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def default_photo() -> Path | None:
    try:
        import skimage.data
    except ImportError:
        return None
    path = Path(skimage.data.__file__).parent / "astronaut.png"
    return path if path.is_file() else None


def prepare_photo(photo: Path, folder: Path) -> tuple[Path, Path]:
    """The photo fitted to SIZE² by artkit (cover), as a PNG for `artkit render --source` and
    as a script holding its RGB bytes in base64 for the page."""
    from PIL import Image

    from artkit.source import SourceImage

    source = SourceImage.load(photo, (SIZE, SIZE), fit="cover")
    rgb = np.ascontiguousarray(source.to_array()[..., :3])
    png = folder / "photo.png"
    Image.fromarray(rgb).save(png)
    script = folder / "photo.js"
    script.write_text("const PHOTO_BASE64 = '" + base64.b64encode(rgb.tobytes()).decode() + "';\n")
    return png, script


def write_page(p5_js: Path, photo_js: Path, sketch: str, folder: Path) -> Path:
    """bench.html with its scripts pointing at absolute file URLs."""
    page = (P5_DIR / "bench.html").read_text()
    page = page.replace('"P5_JS"', f'"{p5_js.resolve().as_uri()}"')
    page = page.replace('"PHOTO_JS"', f'"{photo_js.resolve().as_uri()}"')
    page = page.replace('"harness.js"', f'"{(P5_DIR / "harness.js").as_uri()}"')
    page = page.replace('"SKETCH_JS"', f'"{(P5_DIR / f"{sketch}.js").as_uri()}"')
    out = folder / f"{sketch}.html"
    out.write_text(page)
    return out


# ---------------------------------------------------------------------------- the two sides

def run_p5(chromium: str, page: Path, touches: int) -> dict:
    """One headless Chromium run of a page: {"one": {...}, "many": {...}, "p5": version}."""
    with tempfile.TemporaryDirectory() as profile:
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", f"--user-data-dir={profile}", "--dump-dom",
               f"{page.as_uri()}?touches={touches}"]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    found = re.search(r'<pre id="result">(.*?)</pre>', done.stdout, re.S)
    if not found or not found.group(1).startswith("{"):
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"the p5.js page gave no result (chromium exit {done.returncode}: "
                           f"{tail})")
    return json.loads(html.unescape(found.group(1)))


def timed_process(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, peak proportional set size in MB of the process and its children)."""
    sampler = _PeakMemory()
    started = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    sampler.watch(process.pid)
    out, err = process.communicate(timeout=1800)
    seconds = time.perf_counter() - started
    peak = sampler.stop()
    if process.returncode:
        raise RuntimeError(f"{' '.join(cmd[2:])} failed: {(err or out).strip()}")
    return seconds, peak


class _PeakMemory:
    """Samples the PSS of a process tree every 20 ms (Linux /proc; 0 elsewhere)."""

    def __init__(self):
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = None

    def watch(self, pid: int) -> None:
        if not Path("/proc/self/smaps_rollup").exists():
            return
        self._thread = threading.Thread(target=self._loop, args=(pid,), daemon=True)
        self._thread.start()

    def _loop(self, pid: int) -> None:
        while not self._stop.is_set():
            total = sum(_pss_kb(p) for p in [pid, *_descendants(pid)])
            self.peak = max(self.peak, total / 1024)
            self._stop.wait(0.02)

    def stop(self) -> float:
        self._stop.set()
        if self._thread:
            self._thread.join()
        return self.peak


def _descendants(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    found = []
    for child in map(int, children):
        found += [child, *_descendants(child)]
    return found


def _pss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    found = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    return int(found.group(1)) if found else 0


def _spin(n: int) -> float:
    started = time.perf_counter()
    total = 0
    for i in range(n):
        total += i
    return time.perf_counter() - started


def parallel_capacity(workers: int) -> float:
    """How many cores this machine gives right now: the same busy loop alone and in `workers`
    processes at once. On a shared machine it shows how much of the pool's speed-up can show."""
    import multiprocessing

    n = 5_000_000
    alone = min(_spin(n) for _ in range(2))
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pool.map(_spin, [1000] * workers)   # started and warm
        started = time.perf_counter()
        pool.map(_spin, [n] * workers)
        together = time.perf_counter() - started
    return workers * alone / together


def artkit_render(folder: Path, photo: Path, brush: str, touches: int, out: str) -> float:
    cmd = [*ARTKIT, "render", "--brush", brush, "--source", str(photo), "--size",
           f"{SIZE}x{SIZE}", "--strokes", str(touches), "--seed", "1", "--quiet", "--out", out]
    return timed_process(cmd, folder)[0]


# ---------------------------------------------------------------------------- before / after

BEFORE = ["--jobs", "1", "--exact"]   # the serial renderer: one process, drawCircle
SERIAL = ["--jobs", "1"]                   # one process, today's dab path: the pixels to match
AFTER: list[str] = []                      # the defaults
_before_command = list(ARTKIT)             # artkit at --before-commit, when given


def use_commit_as_before(commit: str, folder: Path) -> str:
    """Make "before" run artkit as it was at `commit`: its package, from git, in `folder`."""
    import io
    import tarfile

    repo = HERE.parent
    archive = subprocess.run(["git", "-C", str(repo), "archive", commit, "artkit"],
                             capture_output=True, check=True).stdout
    dest = folder / f"artkit-{commit[:10]}"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest)
    code = (f"import sys; sys.path.insert(0, {str(dest)!r}); from artkit.cli import main; "
            f"sys.exit(main())")
    _before_command[:] = [sys.executable, "-c", code]
    BEFORE.clear()   # that artkit has neither --jobs nor --exact
    label = subprocess.run(["git", "-C", str(repo), "log", "-1", "--format=%h %s", commit],
                           capture_output=True, text=True).stdout.strip()
    return label


def pictures_equal(a: Path, b: Path) -> bool:
    from PIL import Image, ImageSequence

    with Image.open(a) as x, Image.open(b) as y:
        frames_x = [np.asarray(f.convert("RGBA")) for f in ImageSequence.Iterator(x)]
        frames_y = [np.asarray(f.convert("RGBA")) for f in ImageSequence.Iterator(y)]
    return len(frames_x) == len(frames_y) and all(
        np.array_equal(p, q) for p, q in zip(frames_x, frames_y))


def tiny_checkpoint(folder: Path) -> Path | None:
    """A small MLP generator (untrained: the painting costs the same whatever it draws)."""
    try:
        import torch

        from artkit.gan import checkpoint, models
    except ImportError:
        return None
    torch.manual_seed(0)
    config = models.MLPGANConfig(hidden=64, latent_dim=8)
    path = folder / "walk.pt"
    checkpoint.save_checkpoint(path, model_name="mlp", config=config,
                               generator=models.build_generator(config), step=1)
    return path


def before_after(name: str, make_cmd, rounds: int, folder: Path, suffix: str) -> dict:
    """Time a command before and after (alternating, medians) and check the after-picture
    against the serial renderer's."""
    times = {"before": [], "after": []}
    peaks = {"before": 0.0, "after": 0.0}
    outs = {}
    for r in range(rounds):
        order = ("before", "after") if r % 2 == 0 else ("after", "before")
        for which in order:
            out = folder / f"{name}-{which}{suffix}"
            cmd = make_cmd(BEFORE if which == "before" else AFTER, str(out))
            if which == "before":
                cmd = _before_command + cmd[len(ARTKIT):]
            seconds, peak = timed_process(cmd, folder)
            times[which].append(seconds)
            peaks[which] = max(peaks[which], peak)
            outs[which] = out
    serial = folder / f"{name}-serial{suffix}"
    timed_process(make_cmd(SERIAL, str(serial)), folder)
    before, after = statistics.median(times["before"]), statistics.median(times["after"])
    return {"before": before, "after": after, "speedup": before / after,
            "identical": pictures_equal(outs["after"], serial),
            "peak_before": peaks["before"], "peak_after": peaks["after"]}


# ---------------------------------------------------------------------------- main

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="alternations of the two sides")
    parser.add_argument("--photo", metavar="PATH", help="the photograph (default: "
                        "scikit-image's astronaut)")
    parser.add_argument("--p5", metavar="PATH", help="folder holding p5.min.js (or the file)")
    parser.add_argument("--chromium", metavar="PATH", help="Chromium binary (default: on PATH)")
    parser.add_argument("--only", choices=("p5", "extras"),
                        help="only the p5.js comparison, or only replay and walk")
    parser.add_argument("--before-commit", metavar="SHA",
                        help="time replay and walk 'before' with artkit as it was at this git "
                             "commit (default: this artkit with --jobs 1 --exact)")
    parser.add_argument("--keep", metavar="FOLDER", help="write the pictures here and keep them")
    args = parser.parse_args(argv)

    photo = Path(args.photo) if args.photo else default_photo()
    if photo is None or not photo.is_file():
        print("No photograph: pass --photo PATH (or install scikit-image, the gan extra).")
        return 2
    p5_js = find_p5(args.p5)
    chromium = find_chromium(args.chromium)
    if args.only != "extras":
        if p5_js is None:
            print("p5.min.js not found: run `cd bench/p5 && npm install` (or pass --p5 FOLDER).")
            return 2
        if chromium is None:
            print("Chromium not found: install it (Debian: `apt-get install chromium`) "
                  "or pass --chromium PATH.")
            return 2

    from artkit.parallel import available_cores

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        photo_png, photo_js = prepare_photo(photo, folder)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"{SIZE}x{SIZE}, photo {photo.name}; {available_cores()} cores for artkit, load "
              f"average {load:.1f} at the start; medians of {args.rounds} alternating rounds")
        print(f"parallel capacity now: {parallel_capacity(available_cores()):.2f} of "
              f"{available_cores()} cores (a busy loop alone and in one process per core)")
        if args.only != "extras":
            version = subprocess.run([chromium, "--version"], capture_output=True,
                                     text=True).stdout.strip()
            print(f"p5.js side: {version}\n")
            compare_p5(chromium, p5_js, photo_png, photo_js, folder, args.rounds)
        if args.only != "p5":
            if args.before_commit:
                print(f"before: artkit at {use_commit_as_before(args.before_commit, folder)}")
            extras(folder, args.rounds)
    return 0


def compare_p5(chromium, p5_js, photo_png, photo_js, folder, rounds) -> None:
    for brush, (touches, per_touch, unit) in WORKLOADS.items():
        page = write_page(p5_js, photo_js, brush, folder)
        p5_net, ak_net, p5_parts = [], [], []
        for r in range(rounds):
            sides = ("p5", "artkit") if r % 2 == 0 else ("artkit", "p5")
            for side in sides:
                if side == "p5":
                    result = run_p5(chromium, page, touches)
                    p5_net.append((result["many"]["total_ms"] - result["one"]["total_ms"]) / 1e3)
                    p5_parts.append(result)
                else:
                    many = artkit_render(folder, photo_png, brush, touches, f"{brush}.png")
                    one = artkit_render(folder, photo_png, brush, 1, f"{brush}-1.png")
                    ak_net.append(many - one)
            print(f"  {brush} round {r + 1}: p5.js {p5_net[-1]:.3f} s, artkit {ak_net[-1]:.3f} s "
                  f"({p5_net[-1] / ak_net[-1]:.2f}x)")
        work = touches * per_touch
        p5_s, ak_s = statistics.median(p5_net), statistics.median(ak_net)
        draw_ms = statistics.median(p["many"]["draw_ms"] for p in p5_parts)
        png_ms = statistics.median(p["many"]["png_ms"] for p in p5_parts)
        p5_bytes = p5_parts[-1]["many"]["png_bytes"]
        ak_bytes = (folder / f"{brush}.png").stat().st_size
        ratio = p5_s / ak_s
        print(f"{brush}: {touches} touches, {work / 1e3:.0f}k {unit}, PNG included on both sides")
        print(f"  p5.js {p5_parts[-1]['p5']}: {p5_s:.3f} s = {work / p5_s / 1e3:.0f}k {unit}/s "
              f"(drawing {draw_ms:.0f} ms, PNG {png_ms:.0f} ms, {p5_bytes / 1e6:.2f} MB)")
        print(f"  artkit render:  {ak_s:.3f} s = {work / ak_s / 1e3:.0f}k {unit}/s "
              f"(PNG {ak_bytes / 1e6:.2f} MB; per round {min(p5_net) / max(ak_net):.2f}x "
              f"worst to {max(p5_net) / min(ak_net):.2f}x best)")
        target = TARGETS[brush]
        print(f"  artkit / p5.js = {ratio:.2f}x: target >= {target:g}x "
              f"{'holds' if ratio >= target else 'MISSED'}\n")


def extras(folder: Path, rounds: int) -> None:
    rounds = max(1, min(rounds, 3))
    log = folder / "flow.strokes"
    if not log.is_file():
        artkit_render(folder, folder / "photo.png", "flow", WORKLOADS["flow"][0], "flow.png")
    replay = before_after(
        "replay", lambda extra, out: [*ARTKIT, "replay", str(log), "--scale", "4", "--quiet",
                                      "--out", out, *extra], rounds, folder, ".png")
    report(f"replay --scale 4 of the flow painting ({4 * SIZE}x{4 * SIZE})", replay)
    print(f"  peak memory (PSS of the process tree): before {replay['peak_before']:.0f} MB, "
          f"after {replay['peak_after']:.0f} MB\n")
    checkpoint = tiny_checkpoint(folder)
    if checkpoint is None:
        print("render --walk: skipped (needs torch, the gan extra)")
        return
    def walk_cmd(frames):
        return lambda extra, out: [*ARTKIT, "render", "--source", f"gan:{checkpoint}#1",
                                   "--walk", "--frames", str(frames), "--quiet", "--out", out,
                                   *extra]

    walk = before_after("walk", walk_cmd(WALK_FRAMES), rounds, folder, ".webp")
    report(f"render --walk --frames {WALK_FRAMES} (512x384, flow)", walk)
    # Most of a short walk is torch's import and the first picture; the frames after it are
    # where the painting is: 24 frames minus 2 frames, before and after.
    short = before_after("walk2", walk_cmd(2), rounds, folder, ".webp")
    net_before, net_after = walk["before"] - short["before"], walk["after"] - short["after"]
    print(f"  the {WALK_FRAMES - 2} frames after the first two: before {net_before:.2f} s, "
          f"after {net_after:.2f} s = {net_before / net_after:.2f}x (a 2-frame walk takes "
          f"{short['before']:.2f} s before, {short['after']:.2f} s after)")


def report(what: str, result: dict) -> None:
    ok = result["speedup"] >= EXTRAS_TARGET and result["identical"]
    before = "--jobs 1 --exact" if BEFORE else "the older artkit"
    print(f"{what}: before ({before}) {result['before']:.2f} s, after "
          f"{result['after']:.2f} s = {result['speedup']:.2f}x; pixels "
          f"{'identical to' if result['identical'] else 'DIFFERENT from'} the serial renderer "
          f"(--jobs 1): target >= {EXTRAS_TARGET:g}x {'holds' if ok else 'MISSED'}")


if __name__ == "__main__":
    sys.exit(main())
