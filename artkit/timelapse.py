"""Time-lapses: a painting's build-up replayed from its stroke log into an animated WebP or
GIF, or an MP4 or WebM video.

A painting is its stroke log, so a time-lapse is "replay with snapshots": the marks are drawn
again in order (at any scale) and the canvas is captured after every equal share of them. Cuts
fall between clumps of hairs, never inside one, so the last frame is the painting itself.
Frames go to `artkit.video` one at a time as they are drawn, so a long or large time-lapse
needs no more memory than a short one. `write_animation` (the same writer, with the finished
picture held at the end) also saves the latent-walk paintings of the GAN lab.

Core module: numpy, Pillow and the canvas only (no pygame, no torch).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from artkit.errors import ArtkitError
from artkit.video import RECORDING_SUFFIXES, check_recording_path, write_frames

__all__ = ["timelapse", "timelapse_frames", "write_animation", "check_animation_path",
           "ANIMATION_SUFFIXES"]

ANIMATION_SUFFIXES = RECORDING_SUFFIXES   # .mp4, .webm, .gif, .webp
HOLD_LAST_S = 1.5  # the finished painting stays on screen this long before the loop restarts


def check_animation_path(path) -> Path:
    """`path` as a Path when it names an animation artkit can write (.webp, .gif, or .mp4 and
    .webm with the video extra) in a folder that exists."""
    return check_recording_path(path)


def _clump_starts(strokes) -> np.ndarray:
    """Indices where a new clump (a run of marks drawn as one path) starts, plus the end."""
    n = len(strokes)
    if strokes.group is None or n == 0:
        return np.arange(n + 1)
    g, rgba, width = strokes.group, strokes.rgba, strokes.width
    change = (g[1:] != g[:-1]) | np.any(rgba[1:] != rgba[:-1], axis=1) | (width[1:] != width[:-1])
    return np.concatenate([[0], np.flatnonzero(change) + 1, [n]])


def timelapse_frames(log, frames: int = 96, scale: float = 1.0, background=None,
                     jobs: int | None = 1):
    """Yield `frames` pictures (uint8 (H, W, 3)) of the painting in `log` (a StrokeLog) as it
    grows: frame k shows about k/frames of its marks; the last shows all of them. `jobs`
    processes draw (`artkit.parallel`; None: one per core); the frames don't depend on it.

    Only what the finished canvas shows is replayed (the gestures after its last clear)."""
    from artkit.canvas import Canvas
    from artkit.parallel import renderer_for

    if frames < 1:
        raise ArtkitError(f"A time-lapse needs at least one frame, not {frames}.")
    bg = background if background is not None else log.meta.get("background", "white")
    bg = tuple(bg) if isinstance(bg, list) else bg
    w, h = (max(1, round(v * scale)) for v in log.size)
    canvas = Canvas(w, h, background=bg)
    renderer = renderer_for(canvas, jobs)
    batches = [s for g in log.visible_gestures() for s in g.strokes if len(s)]
    total = sum(len(s) for s in batches)
    targets = [round(total * (k + 1) / frames) for k in range(frames)]
    drawn, k = 0, 0
    for strokes in batches:
        starts = _clump_starts(strokes)
        at = 0  # marks of this batch already drawn
        while k < frames and targets[k] <= drawn + len(strokes):
            # Cut at the first clump boundary at or after the target, so clumps stay whole.
            want = targets[k] - drawn
            cut = int(starts[np.searchsorted(starts, want)])
            if cut > at:
                renderer.draw(strokes[at:cut], scale)
                at = cut
            renderer.finish()
            yield canvas.rgb()
            k += 1
        if at < len(strokes):
            renderer.draw(strokes[at:], scale)
        drawn += len(strokes)
    renderer.finish()
    while k < frames:  # an empty log, or rounding left frames over: show the finished canvas
        yield canvas.rgb()
        k += 1


def write_animation(frames, path, fps: float = 12.0, hold_last_s: float = HOLD_LAST_S) -> Path:
    """Write frames (uint8 (H, W, 3) arrays, any iterable, taken one at a time) as a looping
    animation chosen by `path`'s suffix (`artkit.video`); the last frame is held for
    `hold_last_s`. Returns the path.

    Each frame is encoded on a helper thread while the next one is drawn, so every frame
    must be an array of its own (such as `Canvas.rgb()`'s copy), left alone once yielded."""
    return write_frames(frames, path, fps=fps, hold_last_s=hold_last_s, background=True)


def timelapse(log, out, scale: float = 1.0, seconds: float = 8.0, fps: float = 12.0,
              background=None, jobs: int | None = 1) -> Path:
    """Render the build-up of the painting in `log` (a StrokeLog or a .strokes path) into `out`
    (.webp, .gif, .mp4 or .webm): `seconds` long at `fps` frames a second, `scale` times the
    painting's size, then the finished painting held for a moment. Returns the path written."""
    from artkit.strokelog import StrokeLog

    out = check_animation_path(out)
    if not (0 < scale <= 16):
        raise ArtkitError(f"--scale must be more than 0 and at most 16, not {scale}.")
    if not (0 < seconds <= 600):
        raise ArtkitError(f"--seconds must be more than 0 and at most 600, not {seconds}.")
    if not isinstance(log, StrokeLog):
        log = StrokeLog.load(log)
    frames = max(1, round(seconds * fps))
    return write_animation(timelapse_frames(log, frames, scale, background, jobs), out,
                           fps=fps)
