"""The state of one running sketch: its canvas, seeds, frame clock, mouse and keys, settings.

A `SketchContext` is what the beginner API (`artkit.api`) draws through: `circle(...)` calls
`context.canvas.circle(...)`. Each loaded version of a sketch gets its own context, so a
reload that fails leaves the last good version's canvas and variables untouched. Like
vsketch, each sketch owns its random numbers and noise (`random.Random`, a numpy Generator for
brushes, an `artkit.noise.Noise`), all seeded from one seed, so `--seed` repeats a picture.

Settings are the sketch's UPPERCASE top-level names (`PETALS = 8`), in the spirit of Pygame
Zero's `WIDTH`/`HEIGHT` and vsketch's `Param`s: `artkit run flower.py --param PETALS=12`
rewrites that one assignment before the file runs, so even code at the top level sees the new
value. The new value must be of the kind the file's own value is (`setting_params`): a setting
written `PETALS = 8` takes whole numbers, `SPEED = 2.5` any number, `NAME = "rose"` text; a
setting whose value is worked out (`SIZE = WIDTH / 4`) takes any Python literal, or the text.
"""

from __future__ import annotations

import ast
import os
import random as _random
import time
from pathlib import Path

from artkit.color import ColourMode
from artkit.errors import ArtkitError
from artkit.params import COMPUTED, MAX_SIDE, MIN_SIDE, Param, split_assignment

DEFAULT_WIDTH = 400
DEFAULT_HEIGHT = 400
DEFAULT_FRAME_RATE = 60.0
DEGREES = "degrees"
RADIANS = "radians"


def new_seed() -> int:
    """A fresh seed for a run without --seed (6 digits: short enough to note down)."""
    return int.from_bytes(os.urandom(4), "little") % 1_000_000


class SketchContext:
    """Everything the beginner API needs about the sketch that is running now."""

    def __init__(self, seed: int | None = None, namespace: dict | None = None,
                 out_dir: str | Path = ".", name: str = "sketch"):
        self.namespace = namespace if namespace is not None else {}
        self.out_dir = Path(out_dir)
        self.name = name
        self._canvas = None
        self.angle_mode = DEGREES
        # The colour mode, mirrored here (the canvas has no public getter) so colour(...)
        # reads numbers the way fill(...) does; push()/pop() save and restore it.
        self.colour_mode = ColourMode()
        self.colour_modes: list = []
        # Frame clock. `frame_count` is 0 in setup and 1 during the first draw(), as in p5.
        self.frame_count = 0
        self.target_frame_rate = DEFAULT_FRAME_RATE
        self.measured_frame_rate = DEFAULT_FRAME_RATE
        self._last_frame_time: float | None = None
        self.looping = True
        self.redraw_requested = False
        # Input, updated by the runner as events arrive.
        self.mouse_x = self.mouse_y = 0.0
        self.pmouse_x = self.pmouse_y = 0.0
        self.mouse_is_pressed = False
        self.mouse_button = None
        self.key = ""
        self.key_is_pressed = False
        # Painting helpers (portrait sketches): made on first use.
        self.source = None
        self.brushes: dict = {}
        self.saved_frames = 0
        self.seed_everything(new_seed() if seed is None else seed)

    # ------------------------------------------------------------------ seeds
    def seed_everything(self, seed: int) -> None:
        """Seed the sketch's random numbers, its brushes' randomness and its noise."""
        self.seed = int(seed)
        self.random = _random.Random(self.seed)
        self._numpy_rng = None
        self._noise = None

    @property
    def numpy_rng(self):
        """A numpy Generator for brushes, seeded from the sketch's seed."""
        if self._numpy_rng is None:
            import numpy as np

            self._numpy_rng = np.random.default_rng(self.seed)
        return self._numpy_rng

    @property
    def noise(self):
        """The sketch's own Perlin noise (`artkit.noise.Noise`), seeded from its seed."""
        if self._noise is None:
            from artkit.noise import Noise

            self._noise = Noise(seed=self.seed)
        return self._noise

    # ------------------------------------------------------------------ canvas
    @property
    def canvas(self):
        """The canvas, made on first use at the sketch's WIDTH x HEIGHT (default 400 x 400), so
        a sketch that draws at its top level still gets the size it asked for."""
        if self._canvas is None:
            width = self.namespace.get("WIDTH", DEFAULT_WIDTH)
            height = self.namespace.get("HEIGHT", DEFAULT_HEIGHT)
            self.resize(width, height)
        return self._canvas

    def resize(self, width, height) -> None:
        """A new blank canvas of this size (what size() does). The same size keeps the drawing."""
        from artkit.canvas import Canvas

        if self._canvas is not None and (self._canvas.width, self._canvas.height) == (width, height):
            return
        for label, value in (("width", width), ("height", height)):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ArtkitError(f"The {label} of the sketch must be a number of pixels, not {value!r}.")
        self._canvas = Canvas(int(round(width)), int(round(height)), background="white")
        self._canvas.colour_mode(self.colour_mode)
        self.brushes.clear()
        if self.source is not None and (self.source.width, self.source.height) != (self._canvas.width, self._canvas.height):
            self.source = None  # the painting source is fitted to the canvas; refit on next use

    @property
    def width(self) -> int:
        return self.canvas.width

    @property
    def height(self) -> int:
        return self.canvas.height

    # ------------------------------------------------------------------ clock
    def begin_frame(self, now: float | None = None) -> None:
        """Count the frame about to be drawn and update the measured frame rate (smoothed)."""
        self.frame_count += 1
        now = time.perf_counter() if now is None else now
        if self._last_frame_time is not None:
            dt = now - self._last_frame_time
            if dt > 0:
                self.measured_frame_rate += 0.1 * (1.0 / dt - self.measured_frame_rate)
        self._last_frame_time = now

    # ------------------------------------------------------------------ live values
    def live_values(self) -> dict:
        """The names a sketch reads as plain variables, refreshed before every call into it."""
        # Before anything has drawn, report the planned size without making the canvas yet:
        # the sketch's top level may still set WIDTH and HEIGHT.
        if self._canvas is not None:
            w, h = self._canvas.width, self._canvas.height
        else:
            w = self.namespace.get("WIDTH", DEFAULT_WIDTH)
            h = self.namespace.get("HEIGHT", DEFAULT_HEIGHT)
        return {
            "width": w,
            "height": h,
            "frame_count": self.frame_count,
            "mouse_x": self.mouse_x,
            "mouse_y": self.mouse_y,
            "pmouse_x": self.pmouse_x,
            "pmouse_y": self.pmouse_y,
            "mouse_is_pressed": self.mouse_is_pressed,
            "mouse_button": self.mouse_button,
            "key": self.key,
            "key_is_pressed": self.key_is_pressed,
        }

    def next_frame_path(self, name: str | None = None) -> Path:
        """Where save_frame() writes: `name`, or `<sketch>-0001.png` counting up."""
        if name:
            path = Path(name)
            if not path.suffix:
                path = path.with_suffix(".png")
            return path if path.is_absolute() else self.out_dir / path
        while True:
            self.saved_frames += 1
            path = self.out_dir / f"{self.name}-{self.saved_frames:04d}.png"
            if not path.exists():
                return path


# ---------------------------------------------------------------------------------------------
# Settings: UPPERCASE top-level names

def _is_setting_name(name: str) -> bool:
    return name.isupper() and not name.startswith("_")


# Settings artkit itself reads, with the limits it needs (the canvas's size in pixels).
_SETTING_LIMITS = {"WIDTH": (MIN_SIDE, MAX_SIDE), "HEIGHT": (MIN_SIDE, MAX_SIDE)}


def _setting_defaults(tree: ast.Module, computed):
    """(name, default) for each top-level `NAME = ...` with an UPPERCASE name; `computed` for
    a value that isn't a literal."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if _is_setting_name(name):
                try:
                    yield name, ast.literal_eval(node.value)
                except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                    yield name, computed  # computed; can still be overridden


def find_settings(tree: ast.Module) -> dict[str, object]:
    """The sketch's settings: top-level `NAME = literal` assignments with UPPERCASE names
    (None for a value that is worked out when the sketch runs)."""
    return dict(_setting_defaults(tree, None))


def setting_param(name: str, default=COMPUTED) -> Param:
    """The Param for the setting `name` whose value in the file is `default` (COMPUTED when
    it is worked out): the same kind as the default, within artkit's limits for WIDTH and
    HEIGHT."""
    low, high = _SETTING_LIMITS.get(name, (None, None))
    return Param.from_default(default, low, high)


def setting_params(tree: ast.Module) -> dict[str, Param]:
    """A Param for each of the sketch's settings, typed by its value in the file."""
    return {name: setting_param(name, default)
            for name, default in _setting_defaults(tree, COMPUTED)}


def check_settings(overrides: dict[str, object], params: dict[str, Param]) -> dict[str, object]:
    """The overrides (Python values, or text from the command line) checked against the
    settings' Params; raises ParamError ("The setting PETALS must be a whole number, not
    '2.5'."). Every name must be one of `params` (the caller reports unknown names)."""
    return {name: params[name].coerce(value, f"the setting {name}")
            for name, value in overrides.items()}


def parse_param(text: str, params: dict[str, Param] | None = None) -> tuple[str, object]:
    """'PETALS=12' -> ('PETALS', 12). With the sketch's `params` (see `setting_params`), the
    value is checked against its setting's kind; otherwise (or for a name not there) it is read
    as a Python literal, or kept as text."""
    name, raw = split_assignment(text, "--param", "PETALS=12")
    param = (params or {}).get(name) or setting_param(name)
    return name, param.coerce(raw, f"the setting {name}")


def apply_settings(tree: ast.Module, overrides: dict[str, object]) -> ast.Module:
    """Rewrite `NAME = ...` at the top level to `NAME = <override>` for each override.

    Returns the same tree (changed in place). Names that aren't settings are left for the
    caller to report (see `find_settings`)."""
    if not overrides:
        return tree
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in overrides:
                # repr() of a literal parses back to the same value (numbers, text, lists...).
                literal = ast.parse(repr(overrides[name]), mode="eval").body
                node.value = ast.copy_location(literal, node.value)
    return ast.fix_missing_locations(tree)
