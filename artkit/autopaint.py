"""Paint until covered: the one rule every front end uses to let a brush paint by itself.

`Autopaint(session)` lays touches of the session's brush anywhere on its canvas in fixed
batches, and every `check_every` touches it closes an undo step and measures how much of the
canvas has changed since it started. It stops when

- COVERED of the canvas has changed;
- coverage stalls: the last STALL_CHECKS checks together gained less than STALL_GAIN (a source
  the colour of the paper, a brush that leaves gaps by design);
- it has laid `cap` touches (a brush that never covers everything), or exactly `touches`
  when the caller asked for a number.

Batch sizes depend only on the canvas and the brush, never on the clock, so the window (which
runs as many batches a frame as its time budget allows), `artkit render` (all of them at once)
and the GAN panel make the same marks from the same seed: their stroke logs are identical.

This is the "uniform" plan. The "layered" plan (`artkit.layered.LayeredAutopaint`: coarse to
fine brush sizes, touches only where the painting differs from the picture) has the same
interface and keeps the same promise; `PaintSession.set_plan` chooses between them.
"""

from __future__ import annotations

import abc

import numpy as np

__all__ = ["PaintingPlan", "Autopaint", "COVERED", "coverage", "batch_sizes"]

COVERED = 0.995         # this share of the canvas changed: covered
STALL_CHECKS = 8        # stalled: this many checks…
STALL_GAIN = 0.0002     # …gained less than this share of the canvas together
BATCHES_PER_CHECK = 16  # a check period is split into this many batches (a few a frame)


def coverage(pixels: np.ndarray, reference: np.ndarray) -> float:
    """Share of pixels of `pixels` that differ from `reference` (both (H, W, 4) uint8).

    Each pixel is compared as one 32-bit word, which is 40x faster than comparing channels
    (0.15 ms for 1024x768 here), so every pixel is looked at on every check."""
    now = np.ascontiguousarray(pixels).view(np.uint32)
    then = np.ascontiguousarray(reference).view(np.uint32)
    return float(np.count_nonzero(now != then)) / now.size


def batch_sizes(canvas_size, brush_size: float) -> tuple[int, int]:
    """(touches per check period, touches per batch) for a brush of `brush_size` px on a
    canvas of `canvas_size` (w, h): a check period paints about an eighth of the canvas once
    over, and a batch is an eighth of that — about one frame's work at 60 fps."""
    w, h = canvas_size
    per_touch = max(1.0, float(brush_size) ** 2)
    check_every = int(min(2000, max(20, w * h / per_touch / 8)))
    return check_every, max(1, -(-check_every // BATCHES_PER_CHECK))


class PaintingPlan(abc.ABC):
    """What every autopaint plan shares: `step()` paints one batch and says whether there is
    more; `run()` paints them all; `stop()` ends it early keeping what is painted. A plan sets
    `session`, `done`, `covered`, `finished` and `reason`, and says when a period (an undo
    step) has just ended."""

    @abc.abstractmethod
    def step(self) -> bool:
        """Paint one batch; False once finished."""

    @abc.abstractmethod
    def _period_ended(self) -> bool:
        """True right after a step that closed an undo step."""

    def run(self, progress=None):
        """Paint until finished; `progress(touches, coverage)` after every period."""
        while self._advance():
            if progress and self._period_ended():
                progress(self.done, self.covered)
        if progress:
            progress(self.done, self.covered)
        return self

    def _advance(self) -> bool:
        """What `run()` paints at a time, when nobody waits for a frame in between: one batch,
        unless a plan can do more at once with the same result."""
        return self.step()

    def stop(self) -> None:
        """Stop early: what is painted stays, as its own undo step."""
        if not self.finished:
            self.session.end_gesture()
            self.finished, self.reason = True, "stopped"


class Autopaint(PaintingPlan):
    """One run of "paint until covered" on a `PaintSession` (see the module notes).

    touches: paint exactly this many instead of until covered. `step()` paints one batch and
    says whether there is more to do; `run()` paints them all; `finished` and `reason` say
    how it ended."""

    plan = "uniform"

    def __init__(self, session, touches: int | None = None):
        self.session = session
        w, h = session.size
        per_touch = max(1.0, float(session.brush.size) ** 2)
        self.check_every, self.batch = batch_sizes(session.size, session.brush.size)
        self.exact = touches is not None
        self.cap = int(touches) if self.exact else int(max(2000, 20 * w * h / per_touch))
        self.done = 0
        self.covered = 0.0
        self.history: list[float] = []
        self.finished = self.cap <= 0
        self.reason = "nothing to paint" if self.finished else ""
        self._reference = session.canvas.snapshot()
        self._since_check = 0

    def step(self) -> bool:
        """Paint one batch; False once finished (then nothing more is painted)."""
        if self.finished:
            return False
        n = min(self.batch, self.check_every - self._since_check, self.cap - self.done)
        self.session.autopaint(n)
        self.done += n
        self._since_check += n
        if self._since_check >= self.check_every or self.done >= self.cap:
            self._check()
        return not self.finished

    def _advance(self) -> bool:
        """The rest of the period at once: the batches `step()` would paint one by one until
        the next check, with their marks computed together (`PaintSession.autopaint_batches`):
        the same marks, log and pixels as stepping, in fewer, bigger numpy calls."""
        if self.finished:
            return False
        counts = []
        since, done = self._since_check, self.done
        while since < self.check_every and done < self.cap:
            n = min(self.batch, self.check_every - since, self.cap - done)
            counts.append(n)
            since += n
            done += n
        self.session.autopaint_batches(counts)
        self.done, self._since_check = done, since
        self._check()
        return not self.finished

    def _period_ended(self) -> bool:
        return self._since_check == 0

    def _check(self) -> None:
        self._since_check = 0
        self.session.end_gesture()   # one undo step per check period
        self.covered = coverage(self.session.canvas.pixels(), self._reference)
        self.history.append(self.covered)
        if self.done >= self.cap:
            self.finished, self.reason = True, "done" if self.exact else "cap"
        elif self.exact:
            return
        elif self.covered >= COVERED:
            self.finished, self.reason = True, "covered"
        elif len(self.history) > STALL_CHECKS and \
                self.history[-1] - self.history[-1 - STALL_CHECKS] < STALL_GAIN:
            self.finished, self.reason = True, "stalled"
