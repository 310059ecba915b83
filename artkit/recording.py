"""Recording a running sketch: `save_gif`, `save_frames` and `artkit run --record`.

A recording takes the canvas after each frame the sketch draws, until it has the frames it
asked for, and streams them to a file through `artkit.video` (a GIF, WebP, MP4 or WebM), or
saves each as a numbered PNG (`save_frames`). The runner feeds recordings; a recording never
runs sketch code, so it can't hang a sketch, and an error while saving stops only the
recording.

`SketchExtras` is the small bit of state the newer beginner words need beside a sketch's
`SketchContext`: when it started (`millis()`), whether its clock counts frames instead of
seconds (headless runs, so a recording plays at the speed the sketch meant whatever the
machine's speed), whether it asked for the full screen, and the recordings it started.

Core module: no pygame.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from artkit.errors import ArtkitError
from artkit.video import RECORDING_SUFFIXES, open_writer

__all__ = ["SketchExtras", "extras", "SketchRecording", "FrameFiles", "recording_name"]


@dataclass
class SketchExtras:
    started: float = field(default_factory=time.monotonic)   # for millis()
    frame_clock_fps: float | None = None   # set: millis() counts frames at this rate
    fullscreen: bool = False               # what the sketch asked for with fullscreen()
    recordings: list = field(default_factory=list)   # started by the sketch, for the runner


def extras(context) -> SketchExtras:
    """The SketchExtras of a `SketchContext`, made on first use."""
    found = context.__dict__.get("extras")
    if found is None:
        found = context.__dict__["extras"] = SketchExtras()
    return found


def recording_name(name, sketch: str, default_suffix: str, folder: Path) -> Path:
    """Where a recording goes: `name` (a suffix added if it has none) in `folder` unless it is
    absolute, or `<sketch>.<suffix>` when no name is given."""
    path = Path(name) if name else Path(sketch)
    if not path.suffix:
        path = path.with_suffix(default_suffix)
    return path if path.is_absolute() else folder / path


class SketchRecording:
    """The next `frames` frames of a sketch (None: every frame until `finish`), written to
    `path` at `fps` as they come."""

    def __init__(self, path, frames: int | None, fps: float):
        if frames is not None and frames < 1:
            raise ArtkitError(f"A recording needs at least one frame, not {frames}.")
        self.wanted = None if frames is None else int(frames)
        self.fps = float(fps)
        self._writer = open_writer(path, fps, suffixes=RECORDING_SUFFIXES)
        self.path = self._writer.path

    @property
    def frames(self) -> int:
        return self._writer.frames

    @property
    def done(self) -> bool:
        return self.wanted is not None and self.frames >= self.wanted

    def add(self, canvas) -> bool:
        """Take the canvas's picture as the next frame; True once all frames are in."""
        if not self.done:
            try:
                self._writer.add(canvas.rgb())
            except BaseException:
                self._writer.abort()
                raise
        return self.done

    def finish(self) -> str:
        """Write the file; returns a sentence saying what was saved."""
        path = self._writer.close()
        short = "" if self.done or self.wanted is None else \
            f" (the sketch stopped before the {self.wanted} asked for)"
        return f"saved {path} ({self.frames} frames, {self.frames / self.fps:.1f} s){short}"

    def abort(self) -> None:
        self._writer.abort()


class FrameFiles:
    """`frames` numbered PNGs of a sketch, one of every `every` frames it draws:
    `name-0001.png`, `name-0002.png`…"""

    def __init__(self, stem: Path, frames: int, every: int = 1, provenance: dict | None = None):
        if frames < 1:
            raise ArtkitError(f"save_frames needs at least one frame, not {frames}.")
        if not stem.parent.is_dir():
            raise ArtkitError(f"Can't save frames in '{stem.parent}': that folder does not "
                              f"exist.")
        self.stem = stem
        self.wanted = int(frames)
        self.every = max(1, int(every))
        self.frames = 0
        self._seen = 0
        self.provenance = dict(provenance or {})
        self.path = stem.parent

    @property
    def done(self) -> bool:
        return self.frames >= self.wanted

    def add(self, canvas) -> bool:
        self._seen += 1
        if not self.done and (self._seen - 1) % self.every == 0:
            self.frames += 1
            name = self.stem.with_name(f"{self.stem.name}-{self.frames:04d}.png")
            canvas.save(name, {**self.provenance, "frame": self.frames})
        return self.done

    def finish(self) -> str:
        return (f"saved {self.frames} frames: {self.stem.name}-0001.png to "
                f"{self.stem.name}-{self.frames:04d}.png in {self.stem.parent}")

    def abort(self) -> None:
        """The PNGs already saved stay: each is a complete picture."""
