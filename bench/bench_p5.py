"""artkit's `flow` brush against the same hairy-portrait flow method in p5.js, same run, same machine.

The p5.js side is bench/p5/flow.js (clumps of 8 hairs walking 12 steps of 4 px along 2-D noise,
weight 2, alpha 60, one round-capped `line()` per segment, 1024² canvas; DESIGN.md §6), run in
headless Chromium: the sketch draws for a fixed wall time inside setup() and writes its rate into
the page, which `--dump-dom` prints. The artkit side is the `flow` brush at its defaults,
autopainting from the built-in source and drawn onto a 1024² canvas, timed end to end exactly as
bench/bench_brushes.py does. The two alternate `--rounds` times and the best of each counts
(the machine is shared, so the best is the least disturbed). A skia single-`drawLine` rate is
printed too, as this machine's speed right now.

Target: artkit flow >= 2x the p5.js segments/s.

    python bench/bench_p5.py [--seconds 3] [--rounds 3] [--p5 FOLDER] [--chromium PATH]

p5.js is not in the repository: `cd bench/p5 && npm install` fetches the pinned version.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_brushes import measure, skia_line_calibration  # noqa: E402

P5_DIR = HERE / "p5"
DEFAULT_P5 = P5_DIR / "node_modules" / "p5" / "lib" / "p5.min.js"
TARGET = 2.0
SIZE = 1024      # flow.js draws on 1024², so artkit does too


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


def write_page(p5_js: Path, folder: Path) -> Path:
    """flow.html with its two scripts pointing at absolute file URLs, so p5.js can live anywhere."""
    page = (P5_DIR / "flow.html").read_text()
    page = page.replace('"node_modules/p5/lib/p5.min.js"', f'"{p5_js.resolve().as_uri()}"')
    page = page.replace('"flow.js"', f'"{(P5_DIR / "flow.js").as_uri()}"')
    out = folder / "flow.html"
    out.write_text(page)
    return out


def run_p5(chromium: str, page: Path, seconds: float) -> dict:
    """One headless Chromium run of the sketch: {segments, seconds, rate, p5}."""
    with tempfile.TemporaryDirectory() as profile:
        cmd = [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={profile}", "--dump-dom",
               f"{page.as_uri()}?seconds={seconds:g}"]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 90)
    found = re.search(r'<pre id="result">(.*?)</pre>', done.stdout, re.S)
    if not found or not found.group(1).startswith("{"):
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"the p5.js page gave no result (chromium exit {done.returncode}: "
                           f"{tail})")
    return json.loads(html.unescape(found.group(1)))


def run_artkit(source, seconds: float) -> float:
    """Segments/s of the `flow` brush at its defaults, autopaint + draw (as bench_brushes)."""
    from artkit.brushes import make_brush
    from artkit.canvas import Canvas

    brush = make_brush("flow")
    canvas = Canvas(SIZE, SIZE, background=(250, 247, 240))
    batch = max(50, 2000 // brush.marks_per_touch())
    return measure(brush, source, seconds, canvas.draw, batch)[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="alternations of p5.js and artkit")
    parser.add_argument("--p5", metavar="PATH", help="folder holding p5.min.js (or the file)")
    parser.add_argument("--chromium", metavar="PATH", help="Chromium binary (default: on PATH)")
    args = parser.parse_args(argv)

    p5_js = find_p5(args.p5)
    if p5_js is None:
        print("p5.min.js not found: run `cd bench/p5 && npm install` (or pass --p5 FOLDER).")
        return 2
    chromium = find_chromium(args.chromium)
    if chromium is None:
        print("Chromium not found: install it (Debian: `apt-get install chromium`) "
              "or pass --chromium PATH.")
        return 2
    version = subprocess.run([chromium, "--version"], capture_output=True, text=True).stdout

    from artkit.source import SourceImage

    source = SourceImage.default((SIZE, SIZE))
    source.gradient_at([0], [0])          # precompute the smoothed gradient once, as the app does
    print(f"{SIZE}x{SIZE} canvas, {args.seconds:g} s per measurement, best of {args.rounds}; "
          f"{version.strip()}")
    p5_best = artkit_best = calib_best = 0.0
    paired = []           # artkit / p5.js within each round: the two measured seconds apart
    with tempfile.TemporaryDirectory() as tmp:
        page = write_page(p5_js, Path(tmp))
        for i in range(args.rounds):
            p5 = run_p5(chromium, page, args.seconds)
            artkit = run_artkit(source, args.seconds)
            calib = skia_line_calibration(SIZE)
            p5_best, artkit_best = max(p5_best, p5["rate"]), max(artkit_best, artkit)
            calib_best = max(calib_best, calib)
            paired.append(artkit / p5["rate"])
            print(f"round {i + 1}: p5.js {p5['rate'] / 1e3:7.0f}k segs/s (p5 {p5['p5']}, "
                  f"{p5['segments']} segs in {p5['seconds']:.2f} s)   artkit flow "
                  f"{artkit / 1e3:7.0f}k segs/s ({paired[-1]:.2f}x)   skia drawLine "
                  f"{calib / 1e3:5.0f}k lines/s")
    ratio = artkit_best / p5_best
    print()
    print(f"p5.js flow (headless Chromium, one line() per segment): {p5_best / 1e3:.0f}k segs/s")
    print(f"artkit flow brush at defaults (autopaint + draw):       {artkit_best / 1e3:.0f}k segs/s")
    print(f"calibration, skia single drawLine (2 px AA translucent): {calib_best / 1e3:.0f}k/s "
          f"(p5.js flow = {p5_best / calib_best:.2f}x it; DESIGN.md §6 had 470k/510k = 0.92x)")
    print(f"artkit / p5.js = {ratio:.2f}x (best over best; per round {min(paired):.2f}x to "
          f"{max(paired):.2f}x): target >= {TARGET:g}x {'holds' if ratio >= TARGET else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
