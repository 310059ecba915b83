"""Every sketch in sketches/ (the course and the portraits) runs headless without a problem
and saves a PNG that is a picture, not a blank canvas."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from artkit import friendly
from artkit.commands.run import course_projects, describe, sketches_folder
from artkit.friendly import CollectingReporter
from artkit.runner import SketchRunner
from artkit.sketch import find_settings

SKETCHES = sorted(sketches_folder().rglob("*.py"))
# Smaller settings where a sketch has them (the portraits), to keep the suite quick.
SMALL = {"WIDTH": 160, "HEIGHT": 120, "FIRST_LAYER": 30, "STROKES_PER_FRAME": 4, "TEXTURE_PER_FRAME": 1}


def small_settings(path: Path) -> dict:
    import ast

    settings = find_settings(ast.parse(path.read_text(encoding="utf-8")))
    return {name: value for name, value in SMALL.items() if name in settings}


@pytest.mark.parametrize("path", SKETCHES, ids=[p.relative_to(sketches_folder()).as_posix() for p in SKETCHES])
def test_sketch_renders_a_picture(path, tmp_path):
    with friendly.reporting_to(CollectingReporter()) as collected:
        runner = SketchRunner(path, seed=1, params=small_settings(path), timeout=20)
        ok = runner.run_frames(3)
    assert ok, "\n".join(collected.texts)
    assert not collected.problems, "\n".join(collected.texts)   # not even a warning
    out = runner.canvas.save(tmp_path / "out.png", runner.provenance(3))
    pixels = np.asarray(Image.open(out).convert("RGB")).reshape(-1, 3)
    packed = (pixels[:, 0].astype(np.int32) << 16) | (pixels[:, 1].astype(np.int32) << 8) | pixels[:, 2]
    distinct = len(np.unique(packed))
    assert distinct > 20 and pixels.std() > 10, f"{path.name} looks blank ({distinct} colours)"


def test_the_course_has_twenty_projects_in_four_levels():
    projects = course_projects()
    assert [n for n, _ in projects] == [
        "00", "11", "12", "13", "14", "21", "22", "23", "24", "25", "26", "27", "28", "29",
        "31", "32", "33", "34", "35", "36"]
    assert {p.parent.name for _, p in projects} == {"level0", "level1", "level2", "level3"}
    for number, path in projects:
        doc = path.read_text(encoding="utf-8")
        assert describe(path), f"{path.name} needs a docstring"
        assert f"artkit course {number}" in doc and f"artkit run {path.name}" in doc
        assert len(doc.splitlines()) < 120, f"{path.name} is too long to type in one session"


def test_every_brush_has_a_portrait_sketch():
    from artkit.brushes import BRUSHES

    portraits = {p.stem for p in (sketches_folder() / "portraits").glob("*.py")}
    assert set(BRUSHES) <= portraits
