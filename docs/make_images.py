"""Render the README's pictures with artkit itself.

    python docs/make_images.py            # writes docs/images/*.jpg
    python docs/make_images.py plans      # only the named pictures (see PICTURES)

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


def plan_pair(work: Path, photo: Path, brush: str, side: int, seed: str = "7") -> list:
    """The same photo, brush and seed painted with the uniform and the layered plan."""
    tiles = []
    for plan in ("uniform", "layered"):
        out = work / f"{brush}-{plan}-{side}.png"
        artkit("render", "--brush", brush, "--source", str(photo), "--size", f"{side}x{side}",
               "--seed", seed, "--plan", plan, "--out", str(out))
        tiles.append(Image.open(out).convert("RGB"))
    return tiles


def labelled_sheet(rows: list, labels: list, side: int) -> Image.Image:
    """Rows of tiles side by side, each tile with its label underneath."""
    columns = max(len(row) for row in rows)
    sheet = Image.new("RGB", (columns * side, len(rows) * (side + 22)), (250, 247, 240))
    draw = ImageDraw.Draw(sheet)
    for r, (row, names) in enumerate(zip(rows, labels)):
        for c, (tile, name) in enumerate(zip(row, names)):
            x, y = c * side, r * (side + 22)
            sheet.paste(tile, (x, y))
            draw.text((x + 8, y + side + 4), name, fill=(40, 40, 40))
    return sheet


def plans_portrait(work: Path) -> None:
    """A portrait at 400x400 with the flow brush: the uniform plan beside the layered one."""
    from skimage import data

    photo = work / "astronaut.png"
    Image.fromarray(data.astronaut()).save(photo)
    tiles = plan_pair(work, photo, "flow", 400)
    sheet = labelled_sheet([tiles], [["flow, uniform plan", "flow, layered plan"]], 400)
    sheet.save(IMAGES / "plans-flow.jpg", quality=85)


def plans_brushes(work: Path) -> None:
    """Four brush families with both plans (uniform above, layered below), the head of a
    400x400 painting at full size, so the marks show: each brush still looks like itself."""
    from skimage import data

    photo = work / "astronaut.png"
    Image.fromarray(data.astronaut()).save(photo)
    brushes = ("dabs", "curves", "mouse_direction", "painterly")
    head = (100, 0, 300, 200)
    pairs = [[tile.crop(head) for tile in plan_pair(work, photo, name, 400)] for name in brushes]
    rows = [[pair[0] for pair in pairs], [pair[1] for pair in pairs]]
    labels = [[f"{name}, uniform" for name in brushes], [f"{name}, layered" for name in brushes]]
    labelled_sheet(rows, labels, 200).save(IMAGES / "plans-brushes.jpg", quality=85)


PICTURES = {"default": default_painting, "brushes": brush_gallery, "course": course_sheet,
            "plans": plans_portrait, "plans-brushes": plans_brushes}


if __name__ == "__main__":
    # python docs/make_images.py [NAME ...]: only those pictures (default: all of them)
    chosen = sys.argv[1:] or list(PICTURES)
    unknown = [name for name in chosen if name not in PICTURES]
    if unknown:
        sys.exit(f"unknown picture {', '.join(unknown)}; the pictures are {', '.join(PICTURES)}")
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for name in chosen:
            PICTURES[name](work)
    print(f"pictures written to {IMAGES}")
