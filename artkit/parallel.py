"""Drawing big batches of marks on every core, with the pixels one process would draw.

Marks that artkit's compiled loops draw (lines, round dabs) are drawn by threads, one band of
rows each, on the canvas itself (`artkit.threaded`: no copies, and the loops hold no GIL).
skia-python holds the GIL while it draws, so for what skia must draw (`--exact`, squares)
threads can't share the work; processes can. A `BandRenderer` draws onto a `Canvas` with a
pool of worker processes, each owning one band of rows:

- when the workers start on a canvas, its pixels are copied into shared memory
  (`multiprocessing.shared_memory`) and each worker copies its band into a canvas of its own of
  the full size (only the band's rows are ever written, so only they take memory). Every mark
  is drawn on the same device, with the same transform and clip, as in one process: skia clips
  the edges of a path that leaves its device, so a band-sized device would round differently;
- a batch reaches each worker as numpy arrays (pickled, never a Python object per mark) holding
  only the runs (clumps drawn as one path) whose rows, widened by half their width and 2 px of
  antialiasing, touch its band, with the runs' bounds. The worker draws them in the batch's
  order. Every mark that changes a pixel of the band is drawn there, in the same order and the
  same way as in one process, so the band comes out byte for byte the same;
- `finish()` has each worker write its band back to shared memory and copies the result into
  the canvas, which then holds exactly what one process would have drawn. Between batches the
  main process is free: it computes the next batch (the brush) while the workers draw.

The pool starts at the first batch that needs it, is kept for the life of the process, and has
one worker per core this process may use (`os.sched_getaffinity`), or `jobs`. Batches are
drawn in-process until the work since the canvas was last read reaches THRESHOLD segments,
so a few marks never pay for the workers. A worker that dies is replaced: the main process
keeps the batches since the workers last wrote back, and the new worker draws them again from
the band as it was then; if replacements keep dying, the render stops with one sentence.
Shared memory is unlinked when a renderer closes or is collected, at exit, on Ctrl+C, and by
the workers themselves if the main process is killed; where /dev/shm has no room for the
canvas, the renderer draws in-process.
"""

from __future__ import annotations

import atexit
import itertools
import os
import weakref

import numpy as np

from artkit.errors import ArtkitError
from artkit.threaded import ThreadBands, bands_of_rows

__all__ = ["available_cores", "check_jobs", "renderer_for", "BandRenderer", "InProcess",
           "THRESHOLD", "MAX_JOBS", "SHM_PREFIX", "worker_pids", "shutdown"]

# Work (segments; a dab counts as DAB_WORK) drawn since the canvas was last read from which
# the pool beats drawing in-process. Starting the workers on a canvas and fetching it back
# costs a few copies of it (~2 ms at 1024²) against ~1 µs a segment saved per extra core, and
# a run of batches (autopaint, replay) pays that once; bench/bench_parallel.py measures the
# crossover on the machine at hand.
THRESHOLD = 2_000
DAB_WORK = 2   # a dab costs about two line segments to draw (bench_parallel.py prints it)
# Bytes of batches a worker may have queued before the main process waits for it to catch up.
MAX_QUEUED_BYTES = 64 * 2**20
# The most threads or processes one canvas is drawn with: past the cores, more only cost.
MAX_JOBS = 64
# Replacements for dead workers one renderer tries before it gives up with one sentence.
MAX_RESTARTS = 3
_PAD_PX = 2.0   # antialiasing reaches this far beyond a mark's half-width, with room to spare


def available_cores() -> int:
    """How many cores this process may run on (its CPU affinity where the OS tells)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def check_jobs(jobs: int) -> int:
    """`jobs`, or the one-sentence ArtkitError for a number of drawing threads or processes
    that can't be (under 1, over MAX_JOBS)."""
    jobs = int(jobs)
    if jobs < 1:
        raise ArtkitError(f"--jobs must be 1 or more, not {jobs}.")
    if jobs > MAX_JOBS:
        raise ArtkitError(f"--jobs must be at most {MAX_JOBS}, not {jobs} (this computer has "
                          f"{available_cores()} cores; leave --jobs out to use them all).")
    return jobs


def renderer_for(canvas, jobs: int | None = 1):
    """What draws batches onto `canvas`: `jobs` worker processes (None: one per core), or
    the canvas itself when that is 1 (or the machine has one core)."""
    jobs = available_cores() if jobs is None else check_jobs(jobs)
    if jobs == 1 or canvas.height < 2:
        return InProcess(canvas)
    # Threads for what compiled code draws (no copies, no GIL); processes for what skia does.
    return ThreadBands(canvas, jobs, behind=BandRenderer(canvas, jobs))


class InProcess:
    """Draws every batch in this process, straight onto the canvas."""

    def __init__(self, canvas):
        self.canvas = canvas
        self.jobs = 1

    def draw(self, strokes, scale: float = 1.0) -> None:
        self.canvas.draw(strokes, scale)

    def finish(self) -> None:
        """Nothing is pending: every batch is on the canvas as soon as it is drawn."""

    def close(self) -> None:
        """Nothing to free."""


# ---------------------------------------------------------------------------- main process


class BandRenderer:
    """Draws batches onto `canvas` with `jobs` worker processes, one band of rows each.

    `draw()` hands a batch to the workers and returns while they draw; `finish()` waits for
    them and puts the result into the canvas. Between the two the canvas must be neither read
    nor changed (`artkit.session.PaintSession.canvas` calls `finish()` for that)."""

    def __init__(self, canvas, jobs: int):
        self.canvas = canvas
        self.jobs = int(jobs)
        self.bands = bands_of_rows(canvas.height, self.jobs)
        self._memory = None                  # the SharedMemory holding the canvas's pixels
        self._shared: np.ndarray | None = None
        self._workers: list | None = None   # the pool's workers, one per band, while drawing
        self._journal: list = []             # (strokes, scale, exact) since the bands loaded
        self._unpooled = 0.0                 # work drawn in-process since the last finish()
        self._epoch = 0                      # tags the workers' replies to this epoch
        self._restarts = 0
        self._finalizer = None

    # -- drawing -------------------------------------------------------------------------------
    def draw(self, strokes, scale: float = 1.0) -> None:
        """Draw a batch: in-process when it is small and the workers hold nothing, else by
        the workers (their bands are loaded from the canvas first)."""
        if not len(strokes):
            return
        if self._workers is None:
            work = _work(strokes, scale)
            if self._unpooled + work < THRESHOLD or not self._start():
                self._unpooled += work
                self.canvas.draw(strokes, scale)
                return
        from artkit.strokes import exact_marks

        self._drain()   # first: a worker replaced here redraws the journal, not this batch
        entry = (strokes, float(scale), exact_marks())
        self._journal.append(entry)
        for index, part in enumerate(_split(strokes, scale, self.bands)):
            if part is not None:
                self._send_draw(index, part, entry)

    def finish(self) -> None:
        """Wait for the workers and put every batch drawn so far into the canvas. The
        workers then forget the canvas: the next batch loads it again, so the canvas may be
        changed in-process meanwhile."""
        self._unpooled = 0.0
        if self._workers is None:
            return
        token = next(_tokens)
        for index in range(len(self.bands)):
            self._send(index, ("store", token))
        self._wait(lambda w: w.stored == token, store_token=token)
        np.copyto(self.canvas.pixels(), self._shared)
        self._workers = None
        self._journal.clear()

    def close(self) -> None:
        """Drop pending work and free the shared memory (a renderer is also closed when it is
        collected, and at exit)."""
        self._workers = None
        self._journal.clear()
        self._shared = self._memory = None   # no view left: the mapping can close
        if self._finalizer is not None:
            self._finalizer()

    # -- the epoch: from loading the bands to writing them back ------------------------------
    def _start(self) -> bool:
        """Load the canvas into the workers' bands; False when there is no room for it in
        shared memory (a container's small /dev/shm): then this renderer draws in-process."""
        if self._memory is None:
            nbytes = self.canvas.pixels().nbytes
            if not _room_for(nbytes):
                return False
            self._memory, self._finalizer = _allocate(nbytes, self)
            self._shared = np.ndarray(self.canvas.pixels().shape, np.uint8,
                                      buffer=self._memory.buf)
        np.copyto(self._shared, self.canvas.pixels())
        self._epoch = next(_tokens)
        self._workers = _pool().take(len(self.bands), self._epoch)
        for index in range(len(self.bands)):
            self._send_load(index)
        return True

    def _drain(self) -> None:
        """Handle the replies that have arrived, without waiting (keeps the pipes clear)."""
        ready = [i for i, w in enumerate(self._workers) if w.conn.poll()]
        if ready:
            self._pump(ready)

    def _send_load(self, index: int) -> None:
        y0, y1 = self.bands[index]
        h, w = self.canvas.height, self.canvas.width
        self._send(index, ("load", self._epoch, self._memory.name, h, w, y0, y1))

    def _send_draw(self, index: int, part, entry) -> None:
        size = sum(a.nbytes for a in part[1:5])
        # A worker far behind makes the main process wait, so queued batches stay bounded.
        while 0 < self._workers[index].queued_bytes and \
                self._workers[index].queued_bytes + size > MAX_QUEUED_BYTES:
            self._pump([index])
        worker = self._workers[index]
        worker.queued_bytes += size
        worker.queued.append(size)
        worker.send(("draw", *part, entry[1], entry[2]))

    def _send(self, index: int, message) -> None:
        self._workers[index].send(message)

    def _wait(self, done, store_token=None) -> None:
        """Read the workers' replies until `done(worker)` holds for every band's worker."""
        while True:
            pending = [i for i, w in enumerate(self._workers) if not done(w)]
            if not pending:
                return
            self._pump(pending, store_token)

    def _pump(self, indices, store_token=None) -> None:
        """Wait for a reply (or a death) from any of the workers of `indices` and handle
        all that arrived; a dead worker is replaced."""
        watched = {}
        for i in indices:
            worker = self._workers[i]
            watched[worker.conn] = i
            watched[worker.process.sentinel] = i
        from multiprocessing import connection   # (multiprocessing: only when drawing in parallel)

        for ready in connection.wait(list(watched)):
            i = watched[ready]
            worker = self._workers[i]
            if worker.conn is not ready and worker.process.sentinel is not ready:
                continue   # replaced while an earlier one was handled
            try:
                alive = worker.receive()
            except ArtkitError:
                self._abandon()
                raise
            if not alive:
                self._replace(i, store_token)

    def _abandon(self) -> None:
        """Give up on this epoch: the canvas keeps what it had when the epoch began."""
        self._workers = None
        self._journal.clear()

    def _replace(self, index: int, store_token=None) -> None:
        """A worker died: start another and have it draw its band's batches again from the
        band as it was when this epoch began (the canvas still holds that)."""
        self._restarts += 1
        _pool().discard(self._workers[index])
        if self._restarts > MAX_RESTARTS:
            self._abandon()
            raise ArtkitError("The processes drawing the picture keep stopping (out of memory?); "
                              "run again with --jobs 1 to draw in one process.")
        y0, y1 = self.bands[index]
        self._shared[y0:y1] = self.canvas.pixels()[y0:y1]   # it may have died mid-write
        self._workers[index] = _pool().replacement(self._epoch)
        self._send_load(index)
        for entry in self._journal:
            part = _split(entry[0], entry[1], self.bands)[index]
            if part is not None:
                self._send_draw(index, part, entry)
        if store_token is not None:
            self._send(index, ("store", store_token))


_tokens = itertools.count(1)


def _work(strokes, scale: float) -> float:
    """About how long a batch takes to draw, in line segments at scale 1."""
    from artkit.strokes import CIRCLE, SQUARE

    per = DAB_WORK if strokes.kind in (CIRCLE, SQUARE) else 1
    return strokes.segments * per * max(1.0, scale) ** 2


def _split(strokes, scale: float, bands) -> list:
    """For each band, the runs of `strokes` whose rows touch it as (kind, points, rgba, width,
    run starts), or None when none do. A run's rows are its points' at `scale`, widened by
    half its width and _PAD_PX; a run with a non-finite value goes to every band (each draws
    it as one process would)."""
    from artkit.strokes import run_starts

    runs = run_starts(strokes)
    starts = runs[:-1]
    ys = strokes.points[..., 1]
    top, bottom = ys.min(axis=1), ys.max(axis=1)
    if len(starts) < len(strokes):   # runs of several marks: a run's rows are all of theirs
        top = np.minimum.reduceat(top, starts)
        bottom = np.maximum.reduceat(bottom, starts)
    reach = strokes.width[starts] * np.float32(0.5 * scale) + np.float32(_PAD_PX)
    top = top * np.float32(scale) - reach
    bottom = bottom * np.float32(scale) + reach
    everywhere = ~(np.isfinite(top) & np.isfinite(bottom))
    lengths = np.diff(runs)
    parts = []
    for y0, y1 in bands:
        chosen = everywhere | ((bottom >= y0) & (top <= y1))
        if not chosen.any():
            parts.append(None)
        elif chosen.all():
            parts.append((int(strokes.kind), strokes.points, strokes.rgba, strokes.width, runs))
        else:
            marks = np.repeat(chosen, lengths)
            kept = lengths[chosen]
            sub_runs = np.concatenate([[0], np.cumsum(kept)])
            parts.append((int(strokes.kind), strokes.points[marks], strokes.rgba[marks],
                          strokes.width[marks], sub_runs))
    return parts


def _room_for(nbytes: int) -> bool:
    """Whether shared memory can hold `nbytes` more: on Linux it lives in /dev/shm, a memory
    file system that may be small (64 MB in a default Docker container), and writing past its
    end kills the process."""
    try:
        stats = os.statvfs("/dev/shm")
    except (AttributeError, OSError):   # not Linux: the system sizes shared memory itself
        return True
    return stats.f_bavail * stats.f_frsize >= nbytes + (8 << 20)


def _allocate(nbytes: int, owner):
    """Shared memory for a canvas of `nbytes`, unlinked when `owner` is collected or closed,
    or at exit."""
    from multiprocessing import shared_memory

    _track_shared_memory()   # the tracker running first: a kill -9 just after leaks nothing
    memory = shared_memory.SharedMemory(create=True, size=max(1, nbytes),
                                        name=f"{SHM_PREFIX}{os.getpid()}-{next(_tokens)}")
    finalizer = _live[memory.name] = weakref.finalize(owner, _free, memory)
    return memory, finalizer


SHM_PREFIX = "artkit-"   # shared memory is named artkit-PID-N (in /dev/shm on Linux)
_live: dict[str, weakref.finalize] = {}   # name -> what unlinks it


def _free(memory) -> None:
    _live.pop(memory.name, None)
    if _POOL is not None:
        _POOL.forget(memory.name)
    try:
        memory.close()
    except BufferError:   # a numpy view still exists; the unlink below is what matters
        pass
    try:
        memory.unlink()
    except FileNotFoundError:
        pass


# ---------------------------------------------------------------------------- the pool


class _Worker:
    """One worker process, the pipe to it and what the main process knows of its work."""

    def __init__(self, context):
        import queue
        import warnings

        self.conn, child_conn = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(child_conn,), daemon=True,
                                       name="artkit-draw")
        with warnings.catch_warnings():
            # Python 3.12+ warns about forking a process with threads (the other workers'
            # senders, below): the child runs only _serve, which touches none of their locks.
            warnings.simplefilter("ignore", DeprecationWarning)
            self.process.start()
        child_conn.close()
        self.queued: list[int] = []    # bytes of each draw sent and not yet drawn
        self.queued_bytes = 0
        self.stored = None             # the token of the last band written back
        self.epoch = None              # replies from earlier epochs (abandoned) are ignored
        self.alive = True
        self._outbox = queue.SimpleQueue()
        self._sender = None

    def start_sending(self) -> None:
        """Sends go through a thread, so the main process never waits on a full pipe."""
        import threading

        if self._sender is None:
            self._sender = threading.Thread(target=self._send_loop, daemon=True,
                                            name="artkit-draw-sender")
            self._sender.start()

    def send(self, message) -> None:
        self._outbox.put(message)

    def _send_loop(self) -> None:
        while True:
            message = self._outbox.get()
            if message is None:
                return
            try:
                self.conn.send(message)
            except (OSError, ValueError):   # the worker died: the main process will see
                return

    def receive(self) -> bool:
        """Handle what the worker said; False when it has died."""
        try:
            while self.conn.poll():
                kind, epoch, detail = self.conn.recv()
                if epoch != self.epoch:
                    continue
                if kind == "drawn":
                    self.queued_bytes -= self.queued.pop(0)
                elif kind == "stored":
                    self.stored = detail
                elif kind == "failed":
                    raise ArtkitError(detail)
        except (EOFError, OSError):   # its end of the pipe closed: it is gone
            self.process.join(timeout=5)
            self.alive = False
            return False
        self.alive = self.process.is_alive()
        return self.alive

    def reset(self, epoch: int) -> None:
        self.queued.clear()
        self.queued_bytes = 0
        self.stored = None
        self.epoch = epoch

    def stop(self) -> None:
        self._outbox.put(("exit",))
        self._outbox.put(None)

    def kill(self) -> None:
        self._outbox.put(None)
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class _Pool:
    """The worker processes of this process, started when first needed and kept."""

    def __init__(self):
        import multiprocessing
        import sys

        # fork starts a worker in milliseconds with artkit already imported; elsewhere
        # (macOS, Windows) fork is unsafe or missing and workers start fresh.
        method = "fork" if sys.platform.startswith("linux") else None
        self._context = multiprocessing.get_context(method)
        self._workers: list[_Worker] = []

    def take(self, n: int, epoch: int) -> list[_Worker]:
        """`n` live workers for `epoch`, starting any that are missing."""
        self._workers = [w for w in self._workers if w.alive and w.process.is_alive()]
        if len(self._workers) < n:
            _track_shared_memory()   # before forking, so the workers share it
            while len(self._workers) < n:
                self._workers.append(_Worker(self._context))
        taken = self._workers[:n]
        for worker in taken:
            worker.start_sending()
            worker.reset(epoch)
        return list(taken)

    def replacement(self, epoch: int) -> _Worker:
        worker = _Worker(self._context)
        worker.start_sending()
        worker.reset(epoch)
        self._workers.append(worker)
        return worker

    def discard(self, worker: _Worker) -> None:
        worker.alive = False
        if worker in self._workers:
            self._workers.remove(worker)
        worker.kill()

    def forget(self, name: str) -> None:
        for worker in self._workers:
            worker.send(("forget", name))

    def pids(self) -> list[int]:
        return [w.process.pid for w in self._workers if w.process.is_alive()]

    def shutdown(self) -> None:
        for worker in self._workers:
            worker.stop()
        for worker in self._workers:
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.process.kill()
        self._workers.clear()


_POOL: _Pool | None = None


def _pool() -> _Pool:
    global _POOL
    if _POOL is None:
        _POOL = _Pool()
        # Registered after multiprocessing's own exit handler, so it runs first: the workers
        # are asked to stop (and shared memory unlinked) before multiprocessing terminates them.
        atexit.unregister(shutdown)
        atexit.register(shutdown)
    return _POOL


def worker_pids() -> list[int]:
    """The process ids of the pool's live workers (none before the pool has started)."""
    return [] if _POOL is None else _POOL.pids()


def shutdown() -> None:
    """Stop the pool's workers and free every canvas's shared memory (also run at exit)."""
    global _POOL
    for finalizer in list(_live.values()):
        finalizer()
    if _POOL is not None:
        _POOL.shutdown()
        _POOL = None


def _track_shared_memory() -> None:
    """Start multiprocessing's resource tracker now: forked workers then share it, and it
    unlinks what a killed main process leaves (see _attach)."""
    if os.name == "posix":
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()


# ---------------------------------------------------------------------------- worker process


def _serve(conn) -> None:
    """A worker: load a band, draw batches on it, write it back, as the main process asks.
    Ctrl+C is the main process's to handle; if the main process dies, the worker unlinks the
    shared memory it knows of and exits."""
    import multiprocessing
    import signal
    from multiprocessing import connection

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)   # not the main process's handler (cli.py)
    parent = multiprocessing.parent_process()
    band = _Band()
    try:
        while True:
            ready = connection.wait([conn, parent.sentinel] if parent else [conn])
            if conn not in ready:   # the main process is gone
                band.abandon()
                return
            try:
                message = conn.recv()
            except (EOFError, OSError):
                band.abandon()
                return
            kind = message[0]
            if kind == "exit":
                return
            try:
                reply = band.handle(message)
            except Exception as error:   # reported to the main process in one sentence
                conn.send(("failed", band.epoch, _failure(error)))
                continue
            if reply is not None:
                conn.send(reply)
    finally:
        band.close()


def _failure(error: BaseException) -> str:
    if isinstance(error, MemoryError):
        return ("A drawing process ran out of memory; run again with --jobs 1 (or a smaller "
                "--scale) to draw in one process.")
    if isinstance(error, ArtkitError):
        return str(error)
    return f"A drawing process failed ({type(error).__name__}: {error}); run again with --jobs 1."


class _Band:
    """A worker's view of one canvas: the shared pixels, and its own full-size canvas of
    which it keeps rows y0..y1."""

    def __init__(self):
        self.memory = None   # the main process's SharedMemory, once attached
        self.shared: np.ndarray | None = None
        self.pixels: np.ndarray | None = None
        self.sk = None
        self.surface = None
        self.rows = (0, 0)
        self.epoch = None

    def handle(self, message):
        kind = message[0]
        if kind == "load":
            self.epoch = message[1]
            self.load(*message[2:])
        elif kind == "draw":
            self.draw(*message[1:])
            return ("drawn", self.epoch, None)
        elif kind == "store":
            y0, y1 = self.rows
            self.shared[y0:y1] = self.pixels[y0:y1]
            return ("stored", self.epoch, message[1])
        elif kind == "forget":
            if self.memory is not None and self.memory.name == message[1]:
                self.close()
        return None

    def load(self, name: str, height: int, width: int, y0: int, y1: int) -> None:
        import skia

        if self.memory is None or self.memory.name != name:
            self.close()
            self.memory = _attach(name)
        self.shared = np.ndarray((height, width, 4), np.uint8, buffer=self.memory.buf)
        if self.pixels is None or self.pixels.shape != (height, width, 4):
            self.sk = self.surface = None
            # np.zeros maps untouched pages lazily: only the rows this band writes take memory.
            self.pixels = np.zeros((height, width, 4), np.uint8)
            self.surface = skia.Surface(self.pixels, colorType=skia.kRGBA_8888_ColorType,
                                        alphaType=skia.kPremul_AlphaType)
            self.sk = self.surface.getCanvas()
        self.rows = (y0, y1)
        self.pixels[y0:y1] = self.shared[y0:y1]

    def draw(self, kind, points, rgba, width, runs, scale, exact) -> None:
        from artkit.strokes import Strokes, render_strokes

        strokes = Strokes(kind, points, rgba, width)
        render_strokes(self.sk, strokes, scale, pixels=self.pixels, exact=exact, runs=runs,
                       rows=self.rows)

    def abandon(self) -> None:
        """The main process is gone: unlink its shared memory, which nobody else will."""
        if self.memory is not None:
            try:
                self.memory.unlink()
            except FileNotFoundError:
                pass

    def close(self) -> None:
        self.shared = None
        self.sk = self.surface = None
        self.pixels = None
        if self.memory is not None:
            try:
                self.memory.close()
            except BufferError:
                pass
            self.memory = None


def _attach(name: str):
    """Open the main process's shared memory. Python before 3.13 registers it with the
    resource tracker again; forked workers share the main process's tracker, where that is
    a no-op (spawned ones get it passed down)."""
    from multiprocessing import shared_memory

    try:
        return shared_memory.SharedMemory(name=name, track=False)
    except TypeError:   # Python < 3.13
        return shared_memory.SharedMemory(name=name)
