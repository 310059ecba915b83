"""Time-lapses: a painting's build-up replayed from its stroke log into an animated WebP or GIF.

A painting is its stroke log, so a time-lapse is "replay with snapshots": the marks are drawn
again in order (at any scale) and the canvas is captured after every equal share of them. Cuts
fall between clumps of hairs, never inside one, so the last frame is the painting itself.
The same writer (`write_animation`) saves the latent-walk paintings of the GAN lab.

Core module: numpy, Pillow and the canvas only (no pygame, no torch).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from artkit.errors import ArtkitError
from artkit.files import atomic_write

__all__ = ["timelapse", "timelapse_frames", "write_animation", "check_animation_path",
           "ANIMATION_SUFFIXES", "MAX_FRAME_BYTES"]

ANIMATION_SUFFIXES = (".webp", ".gif")
# Pillow's animated writers need every frame in memory at once; past this many bytes of raw
# frames the time-lapse takes fewer frames (and says so) rather than exhaust the memory.
MAX_FRAME_BYTES = 768 * 1024 * 1024
HOLD_LAST_S = 1.5  # the finished painting stays on screen this long before the loop restarts


def check_animation_path(path) -> Path:
    """`path` as a Path when it names a .webp or .gif file in an existing folder."""
    path = Path(path)
    if path.suffix.lower() not in ANIMATION_SUFFIXES:
        raise ArtkitError(f"An animation must be a .webp or .gif file, not '{path.name}'.")
    if not path.parent.is_dir():
        raise ArtkitError(f"Can't save to '{path}': the folder '{path.parent}' does not exist.")
    return path


def _clump_starts(strokes) -> np.ndarray:
    """Indices where a new clump (a run of marks drawn as one path) starts, plus the end."""
    n = len(strokes)
    if strokes.group is None or n == 0:
        return np.arange(n + 1)
    g, rgba, width = strokes.group, strokes.rgba, strokes.width
    change = (g[1:] != g[:-1]) | np.any(rgba[1:] != rgba[:-1], axis=1) | (width[1:] != width[:-1])
    return np.concatenate([[0], np.flatnonzero(change) + 1, [n]])


def timelapse_frames(log, frames: int = 96, scale: float = 1.0, background=None):
    """Yield `frames` pictures (uint8 (H, W, 3)) of the painting in `log` (a StrokeLog) as it
    grows: frame k shows about k/frames of its marks; the last shows all of them.

    Only what the finished canvas shows is replayed (the gestures after its last clear)."""
    from artkit.canvas import Canvas

    if frames < 1:
        raise ArtkitError(f"A time-lapse needs at least one frame, not {frames}.")
    bg = background if background is not None else log.meta.get("background", "white")
    bg = tuple(bg) if isinstance(bg, list) else bg
    w, h = (max(1, round(v * scale)) for v in log.size)
    canvas = Canvas(w, h, background=bg)
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
                canvas.draw(strokes[at:cut], scale)
                at = cut
            yield canvas.rgb()
            k += 1
        if at < len(strokes):
            canvas.draw(strokes[at:], scale)
        drawn += len(strokes)
    while k < frames:  # an empty log, or rounding left frames over: show the finished canvas
        yield canvas.rgb()
        k += 1


def write_animation(frames, path, fps: float = 12.0, hold_last_s: float = HOLD_LAST_S,
                    quality: int = 80) -> Path:
    """Write frames (uint8 (H, W, 3) arrays, any iterable) as a looping animated WebP or GIF
    chosen by `path`'s suffix; the last frame is held for `hold_last_s`. Returns the path."""
    path = check_animation_path(path)
    if not fps > 0:
        raise ArtkitError(f"The frame rate must be more than 0, not {fps}.")
    gif = path.suffix.lower() == ".gif"
    images = []
    for frame in frames:
        image = Image.fromarray(np.ascontiguousarray(frame[..., :3], dtype=np.uint8), "RGB")
        # GIF holds 256 colours a frame: quantise now, which also keeps memory at 1 byte/pixel.
        images.append(image.quantize(255, method=Image.Quantize.FASTOCTREE) if gif else image)
    if not images:
        raise ArtkitError("There are no frames to write.")
    step_ms = max(20, round(1000 / fps))  # browsers treat GIF delays under 20 ms as 100 ms
    durations = [step_ms] * len(images)
    durations[-1] += round(hold_last_s * 1000)
    options = dict(save_all=True, append_images=images[1:], duration=durations, loop=0)
    if gif:
        options.update(optimize=False, disposal=1)
    else:
        options.update(quality=quality, method=4)
    with atomic_write(path) as f:   # a crash or a full disk leaves any old file intact
        images[0].save(f, format="GIF" if gif else "WEBP", **options)
    return path


def timelapse(log, out, scale: float = 1.0, seconds: float = 8.0, fps: float = 12.0,
              background=None, notice=print) -> Path:
    """Render the build-up of the painting in `log` (a StrokeLog or a .strokes path) into `out`
    (.webp or .gif): `seconds` long at `fps` frames a second, `scale` times the painting's size,
    then the finished painting held for a moment. Returns the path written."""
    from artkit.strokelog import StrokeLog

    out = check_animation_path(out)
    if not (0 < scale <= 16):
        raise ArtkitError(f"--scale must be more than 0 and at most 16, not {scale}.")
    if not (0 < seconds <= 600):
        raise ArtkitError(f"--seconds must be more than 0 and at most 600, not {seconds}.")
    if not isinstance(log, StrokeLog):
        log = StrokeLog.load(log)
    frames = max(1, round(seconds * fps))
    w, h = (max(1, round(v * scale)) for v in log.size)
    per_frame = w * h * (1 if out.suffix.lower() == ".gif" else 3)
    if frames * per_frame > MAX_FRAME_BYTES:
        fewer = max(1, MAX_FRAME_BYTES // per_frame)
        notice(f"A {w}x{h} time-lapse of {frames} frames would need "
               f"{frames * per_frame / 2**30:.1f} GB of memory; making {fewer} frames instead.")
        fps = fps * fewer / frames
        frames = fewer
    return write_animation(timelapse_frames(log, frames, scale, background), out, fps=fps)
