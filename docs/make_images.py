"""Render the README's pictures with artkit itself.

    python docs/make_images.py            # writes docs/images/*.jpg

Needs the `gan` extra for scikit-image's bundled photographs (the astronaut is a NASA
portrait in the public domain). Every picture is seeded, so a re-run gives the same files.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

from artkit.brushes import BRUSHES

HERE = Path(__file__).parent
IMAGES = HERE / "images"
TILE = 320


def artkit(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "artkit", *args], check=True, stdout=subprocess.DEVNULL)


def brush_gallery(work: Path) -> None:
    """Every brush painting the same photograph, labelled, in one contact sheet."""
    from skimage import data

    photo = work / "astronaut.png"
    Image.fromarray(data.astronaut()).save(photo)
    names = list(BRUSHES)
    columns = 4
    rows = -(-len(names) // columns)
    sheet = Image.new("RGB", (columns * TILE, rows * (TILE + 24)), (250, 247, 240))
    draw = ImageDraw.Draw(sheet)
    for i, name in enumerate(names):
        out = work / f"{name}.png"
        artkit("render", "--brush", name, "--source", str(photo), "--size", f"{TILE}x{TILE}",
               "--seed", "7", "--out", str(out))
        x, y = (i % columns) * TILE, (i // columns) * (TILE + 24)
        sheet.paste(Image.open(out).convert("RGB"), (x, y))
        draw.text((x + 8, y + TILE + 5), name, fill=(40, 40, 40))
    sheet.save(IMAGES / "brushes.jpg", quality=88)


def default_painting(work: Path) -> None:
    """The built-in source painted with the flow brush, as `artkit paint` starts."""
    out = work / "flow-default.png"
    artkit("render", "--brush", "flow", "--size", "1024x768", "--seed", "1", "--out", str(out))
    Image.open(out).convert("RGB").save(IMAGES / "flow-default.jpg", quality=88)


def course_sheet(work: Path) -> None:
    """Four course projects side by side."""
    sketches = Path(__file__).parent.parent / "sketches" / "course"
    tiles = []
    for number in ("13", "26", "29", "33", "36"):
        sketch = next(sketches.glob(f"level*/{number}_*.py"))
        out = work / f"course{number}.png"
        artkit("run", str(sketch), "--seed", "3", "--frames", "60", "--out", str(out))
        tiles.append(Image.open(out).convert("RGB").resize((TILE, TILE), Image.LANCZOS))
    sheet = Image.new("RGB", (TILE * len(tiles), TILE))
    for i, tile in enumerate(tiles):
        sheet.paste(tile, (i * TILE, 0))
    sheet.save(IMAGES / "course.jpg", quality=90)


if __name__ == "__main__":
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        default_painting(work)
        brush_gallery(work)
        course_sheet(work)
    print(f"pictures written to {IMAGES}")
