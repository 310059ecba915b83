"""Drawing on every core with threads: one band of rows per thread, on the canvas itself.

The compiled loops that draw lines (`artkit._hairs`) and round dabs (`artkit._discblit`) hold
no GIL while they draw and write only the rows they are given, so threads can share a canvas
with no copy at all: `ThreadBands` prepares each batch once in the calling thread
(`artkit.strokes.compiled_drawer`: scaled marks, runs, dab masks), then has one thread per band
draw it into that band's rows, and returns at once, so the caller computes the next batch
while the bands draw. Each band has its own thread, which takes the batches in order, and
every mark touching a band is drawn there exactly as one thread would draw it, so the picture
is byte for byte the same (tests/test_threaded.py).

Batches compiled code can't draw (exact marks, squares, dabs a mask can't stand for) go to the
renderer behind (the worker processes of `artkit.parallel`) once the threads are done, in
order. Reading the canvas waits for everything: `finish()` (`PaintSession.canvas` calls it).
"""

from __future__ import annotations

import collections
import weakref

__all__ = ["ThreadBands", "MAX_PENDING_BYTES", "bands_of_rows", "stop_drawing"]

# Bytes of batches the bands may have queued before `draw` waits for the oldest to be drawn.
MAX_PENDING_BYTES = 64 * 2**20

_threads: list = []   # one ThreadPoolExecutor per band, kept for the life of the process
_renderers: weakref.WeakSet = weakref.WeakSet()   # every ThreadBands with work pending


class ThreadBands:
    """Draws batches onto `canvas` with `jobs` threads, one band of rows each, and those it
    can't hand to compiled code with `behind` (a renderer with draw/finish/close)."""

    def __init__(self, canvas, jobs: int, behind):
        self.canvas = canvas
        self.jobs = int(jobs)
        self.bands = bands_of_rows(canvas.height, self.jobs)
        self.behind = behind
        self._pending: collections.deque = collections.deque()   # (futures, bytes) per batch
        self._pending_bytes = 0
        _renderers.add(self)

    def draw(self, strokes, scale: float = 1.0) -> None:
        """Start drawing a batch and return: by the bands' threads when compiled code can draw
        all of it, else (after the threads are done) by the renderer behind."""
        if not len(strokes):
            return
        from artkit.discs import draws_into
        from artkit.strokes import compiled_drawer

        pixels = self.canvas.pixels()
        drawer = compiled_drawer(strokes, scale) if draws_into(self.canvas.sk, pixels) else None
        if drawer is None:
            self._wait()
            self.behind.draw(strokes, scale)
            return
        self.behind.finish()   # its batches came first: they must be in the canvas
        futures = [thread.submit(drawer, pixels, band)
                   for thread, band in zip(_band_threads(len(self.bands)), self.bands)]
        size = strokes.points.nbytes + strokes.rgba.nbytes + strokes.width.nbytes
        self._pending.append((futures, size))
        self._pending_bytes += size
        while self._pending_bytes > MAX_PENDING_BYTES and len(self._pending) > 1:
            self._wait_oldest()

    def finish(self) -> None:
        """Wait until every batch so far is in the canvas."""
        self._wait()
        self.behind.finish()

    def close(self) -> None:
        """Finish what was started (it is drawing into the canvas) and free what is behind."""
        try:
            self._wait()
        finally:
            self.behind.close()

    def drop_pending(self) -> None:
        """Forget the batches no band has started (a run that was stopped: nobody will read
        the canvas), so stopping doesn't wait for them to be drawn."""
        for futures, _ in self._pending:
            for future in futures:
                future.cancel()
        self._pending.clear()
        self._pending_bytes = 0

    def _wait(self) -> None:
        while self._pending:
            self._wait_oldest()

    def _wait_oldest(self) -> None:
        futures, size = self._pending.popleft()
        self._pending_bytes -= size
        for future in futures:
            future.result()   # a band's error (a bad mark array) surfaces here, in order


def bands_of_rows(height: int, count: int) -> list[tuple[int, int]]:
    """`count` (at most `height`) bands of rows (y0, y1) as even as can be, top to bottom."""
    n = max(1, min(int(count), int(height)))
    cuts = [round(k * height / n) for k in range(n + 1)]
    return list(zip(cuts[:-1], cuts[1:]))


def _band_threads(count: int) -> list:
    """`count` single-thread executors (made on first use, then reused): a band's batches
    run one after another on its own thread."""
    # Imported here, not above: concurrent.futures brings in logging, whose fork hooks print a
    # traceback when a SIGTERM lands while the worker processes fork (exact renders).
    from concurrent.futures import ThreadPoolExecutor

    while len(_threads) < count:
        _threads.append(ThreadPoolExecutor(1, thread_name_prefix=f"artkit-band{len(_threads)}"))
    return _threads[:count]


def stop_drawing() -> None:
    """Ctrl+C or SIGTERM: drop the batches queued for the bands, everywhere, so the program
    ends after the batches being drawn now (a few ms) rather than after all of them."""
    for renderer in list(_renderers):
        renderer.drop_pending()
