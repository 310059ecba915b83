"""Recording frames to a file one at a time: MP4, WebM, animated GIF or animated WebP.

Everything artkit animates goes through here: `artkit run --record`, `save_gif()` in a
sketch, recording in the painter, time-lapses and latent walks. A writer takes one frame at a
time and streams it to disk, so memory stays flat however long a recording runs (p5.js's
`saveGif` keeps every frame and fails at a few thousand):

- MP4 (H.264) and WebM (VP9) are encoded by FFmpeg's libraries through PyAV (`pip install
  'artkit[video]'`: a wheel that bundles them, so nobody installs ffmpeg by hand).
- GIF and WebP are written here, frame by frame, with Pillow encoding each frame: only the
  rectangle that changed since the last frame is stored (a GIF frame with its own 256-colour
  palette, a WebP frame as a lossy picture), over the frames before it.

Browsers show GIF and WebP frames shorter than 20 ms for 100 ms, so at more than 50 frames a
second the animated pictures skip frames to keep the timing right (MP4 and WebM keep all).
Each writer holds back one frame, because the time a frame stays on screen is only known
when the next one comes (or the file ends, when the last frame is held for `hold_last_s`).
Files are replaced whole (`artkit.files.atomic_write`): a recording stopped by an error or a
full disk leaves any file already there untouched.

Core module: numpy and Pillow, and PyAV only when an MP4 or WebM is written.
"""

from __future__ import annotations

import abc
import contextlib
import importlib.util
import io
import numbers
import struct
from fractions import Fraction
from pathlib import Path

import numpy as np

from artkit.errors import ArtkitError
from artkit.files import atomic_write, check_writable

__all__ = ["RECORDING_SUFFIXES", "VIDEO_SUFFIXES", "PICTURE_SUFFIXES", "FrameWriter",
           "BackgroundWriter", "check_recording_path", "open_writer", "write_frames",
           "video_extra_missing"]

VIDEO_SUFFIXES = (".mp4", ".webm")      # need PyAV
PICTURE_SUFFIXES = (".gif", ".webp")    # animated pictures, Pillow only
RECORDING_SUFFIXES = VIDEO_SUFFIXES + PICTURE_SUFFIXES
MIN_PICTURE_FRAME_MS = 20
MAX_FPS = 240
GIF_COLOURS = 256
# Frames that may wait for the helper thread of write_frames(background=True): enough to
# even out frames that take longer to encode than to paint, few enough to keep memory flat.
FRAMES_AHEAD = 2


def video_extra_missing() -> bool:
    """True when PyAV (the `video` extra) is not installed."""
    return importlib.util.find_spec("av") is None


def check_recording_path(path, suffixes=RECORDING_SUFFIXES) -> Path:
    """`path` as a Path when it names a recording artkit can write here: a known suffix, a
    folder that exists and takes files, and an encoder installed for it."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in suffixes:
        names = ", ".join(suffixes[:-1]) + " or " + suffixes[-1]
        raise ArtkitError(f"A recording must be a {names} file, not '{path.name}'.")
    if suffix in VIDEO_SUFFIXES and video_extra_missing():
        raise ArtkitError(f"Saving {suffix} video needs the video extra: pip install "
                          f"'artkit[video]' (or record a .gif or .webp instead).")
    return check_writable(path)


def _check_fps(fps) -> float:
    if isinstance(fps, bool) or not isinstance(fps, numbers.Real) or not 0 < fps <= MAX_FPS:
        raise ArtkitError(f"The frame rate must be more than 0 and at most {MAX_FPS} frames "
                          f"a second, not {fps!r}.")
    return float(fps)


def _rgb(frame) -> np.ndarray:
    """A frame as a contiguous uint8 (H, W, 3) array."""
    array = np.asarray(frame)
    if array.dtype != np.uint8 or array.ndim != 3 or array.shape[2] not in (3, 4) or \
            0 in array.shape[:2]:
        raise ArtkitError(f"A frame must be a uint8 picture (height, width, 3 or 4), not "
                          f"{array.dtype} {array.shape}.")
    return np.ascontiguousarray(array[..., :3])


class FrameWriter(abc.ABC):
    """Writes frames to `path` as they come: `add(frame)` each, then `close()` (or use it
    as a context manager: an error inside the block leaves no file behind).

    fps: frames a second; hold_last_s: how long the last frame stays on screen after its own
    frame time (a time-lapse ends on the finished painting for a moment)."""

    def __init__(self, path, fps: float, hold_last_s: float = 0.0):
        self.path = Path(path)
        self.fps = _check_fps(fps)
        self.hold_last_s = max(0.0, float(hold_last_s))
        self.frames = 0            # frames given to add()
        self.size: tuple[int, int] | None = None
        self._files = contextlib.ExitStack()
        self._file = self._files.enter_context(atomic_write(self.path, "w+b"))
        self._closed = False

    @property
    def seconds(self) -> float:
        """How long the recording plays so far (without the held ending)."""
        return self.frames / self.fps

    def add(self, frame) -> None:
        """Append one frame: uint8 (H, W, 3) or (H, W, 4) (alpha is dropped)."""
        if self._closed:
            raise ArtkitError("This recording is finished; start a new one to add frames.")
        rgb = _rgb(frame)
        size = (rgb.shape[1], rgb.shape[0])
        try:
            if self.size is None:
                self.size = size
                self._start(rgb)
            elif size != self.size:
                raise ArtkitError(f"Every frame of a recording must be {self.size[0]}x"
                                  f"{self.size[1]}, but this one is {size[0]}x{size[1]}.")
            self._write(rgb, self.frames)
        except OSError as error:   # a full disk: the file is given up, in one sentence
            self._give_up(error)
            raise
        self.frames += 1

    def close(self) -> Path:
        """Finish the file (it appears at `path` only now). Returns the path."""
        if self._closed:
            return self.path
        if not self.frames:
            self.abort()
            raise ArtkitError("There are no frames to write.")
        try:
            self._finish()
        except BaseException as error:
            self._give_up(error)
            raise
        self._closed = True
        self._files.close()   # flush, fsync, rename over `path`
        return self.path

    def _give_up(self, error: BaseException) -> None:
        """End the recording after `error`: the temporary file goes, and an OSError (a full
        disk) comes back from here as atomic_write's one-sentence ArtkitError."""
        self._closed = True
        self._release()
        self._files.__exit__(type(error), error, error.__traceback__)

    def abort(self) -> None:
        """Stop without writing anything (any file already at `path` stays as it was)."""
        if self._closed:
            return
        self._closed = True
        self._release()
        stop = _Abandoned()
        with contextlib.suppress(_Abandoned):
            self._files.__exit__(_Abandoned, stop, None)

    def __enter__(self) -> "FrameWriter":
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()

    # -- what each format does ----------------------------------------------------------------
    def _start(self, first: np.ndarray) -> None:
        """Called with the first frame, once its size is known."""

    @abc.abstractmethod
    def _write(self, rgb: np.ndarray, index: int) -> None:
        """Encode one frame (the `index`-th)."""

    @abc.abstractmethod
    def _finish(self) -> None:
        """Flush what is pending and end the file."""

    def _release(self) -> None:
        """Let go of encoder resources when the recording is abandoned."""


class _Abandoned(Exception):
    """Thrown into the atomic write to make it delete its temporary file."""


# ---------------------------------------------------------------------------------------------
# MP4 and WebM through PyAV

_CODECS = {
    # crf 20: visually clean for paintings; 'veryfast' keeps up with a window at 60 fps.
    # +faststart puts the index before the frames, so a browser or a chat app starts playing
    # before the whole file has arrived (a second pass when the file is closed).
    ".mp4": ("mp4", "libx264", {"crf": "20", "preset": "veryfast"}, {"movflags": "+faststart"}),
    # VP9 in constant quality; realtime settings, or it encodes several times slower.
    ".webm": ("webm", "libvpx-vp9", {"crf": "32", "b": "0", "deadline": "realtime",
                                     "cpu-used": "8", "row-mt": "1"}, {}),
}


class _Sink:
    """The file PyAV writes through, which stops at the first failure (a full disk) or when
    the recording is given up. ffmpeg goes on writing after a failure (its ending, an MP4's
    index moved to the front) and PyAV would print each further failure as a traceback;
    stopped, writes and seeks go nowhere, and `error` keeps the first failure to report."""

    def __init__(self, file):
        self._file = file
        self.name = file.name   # by which ffmpeg opens the file again for +faststart
        self.stopped = False
        self.error: OSError | None = None

    def _do(self, call, *args, nothing):
        if self.stopped:
            return nothing
        try:
            return call(*args)
        except OSError as error:
            self.stopped, self.error = True, error
            raise

    def write(self, data) -> int:
        return self._do(self._file.write, data, nothing=len(data))

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._do(self._file.seek, offset, whence, nothing=0)

    def tell(self) -> int:
        return self._do(self._file.tell, nothing=0)


class _VideoWriter(FrameWriter):
    def __init__(self, path, fps, hold_last_s=0.0):
        super().__init__(path, fps, hold_last_s)
        self._stream = None
        self._last = None
        self._container = None
        self._sink = _Sink(self._file)
        try:
            import av

            self._av = av
            muxer, _, _, options = _CODECS[self.path.suffix.lower()]
            self._container = av.open(self._sink, mode="w", format=muxer,
                                      container_options=options)
        except BaseException:
            self.abort()   # no temporary file left behind
            raise

    def _start(self, first):
        muxer, codec, options, _ = _CODECS[self.path.suffix.lower()]
        rate = Fraction(self.fps).limit_denominator(1001)
        stream = self._container.add_stream(codec, rate=rate)
        # 4:2:0 colour needs an even width and height: odd sizes get one edge pixel repeated.
        stream.width, stream.height = (v + v % 2 for v in self.size)
        stream.pix_fmt = "yuv420p"
        stream.codec_context.time_base = 1 / rate
        stream.options = options
        self._stream = stream

    def _write(self, rgb, index):
        w, h = self.size
        if w % 2 or h % 2:
            rgb = np.pad(rgb, ((0, h % 2), (0, w % 2), (0, 0)), mode="edge")
        frame = self._av.VideoFrame.from_ndarray(rgb, format="rgb24")
        frame.pts = index
        for packet in self._stream.encode(frame):
            self._container.mux(packet)
        self._last = rgb

    def _finish(self):
        held = round(self.hold_last_s * self.fps)
        for k in range(held):   # the same picture again: x264 and VP9 store it in a few bytes
            frame = self._av.VideoFrame.from_ndarray(self._last, format="rgb24")
            frame.pts = self.frames + k
            for packet in self._stream.encode(frame):
                self._container.mux(packet)
        for packet in self._stream.encode(None):
            self._container.mux(packet)
        self._container.close()
        if self._sink.error is not None:   # (in case ffmpeg's closing let it pass)
            raise self._sink.error

    def _release(self):
        self._sink.stopped = True
        if self._container is not None:
            with contextlib.suppress(Exception):   # an encoder error must not hide the first
                self._container.close()


# ---------------------------------------------------------------------------------------------
# GIF and WebP, frame by frame

class _PictureWriter(FrameWriter, abc.ABC):
    """Frames kept at least MIN_PICTURE_FRAME_MS apart, each stored as the rectangle that
    changed since the last stored frame; one frame is held back until its duration is known."""

    even_offsets = False   # WebP places frames at even x and y only

    def __init__(self, path, fps, hold_last_s=0.0):
        super().__init__(path, fps, hold_last_s)
        self._shown: np.ndarray | None = None   # the picture as the stored frames build it
        self._pending = None                    # (start ms, encoded frame) held back
        self.stored = 0                         # frames in the file

    def _time_ms(self, index: int) -> int:
        return round(index * 1000 / self.fps)

    def _write(self, rgb, index):
        now = self._time_ms(index)
        if self._pending is not None and now - self._pending[0] < MIN_PICTURE_FRAME_MS:
            return   # too soon after the last stored frame: browsers would stall on it
        box = self._changed_box(rgb)
        if box is None:
            return   # nothing changed: the frame before simply stays on screen longer
        x0, y0, x1, y1 = box
        encoded = self._encode(rgb[y0:y1, x0:x1], (x0, y0))
        self._shown = rgb.copy() if self._shown is None else self._shown
        self._shown[y0:y1, x0:x1] = rgb[y0:y1, x0:x1]
        self._flush_pending(now)
        self._pending = (now, encoded)

    def _changed_box(self, rgb):
        h, w = rgb.shape[:2]
        if self._shown is None:
            return (0, 0, w, h)
        # Rows of bytes compared, reduced along one axis at a time: numpy reduces over
        # (height, width, channel) axes together some 30 times slower.
        changed = rgb.reshape(h, -1) != self._shown.reshape(h, -1)
        rows = np.flatnonzero(changed.any(axis=1))
        if not len(rows):
            return None
        y0, y1 = int(rows[0]), int(rows[-1]) + 1
        columns = np.flatnonzero(changed[y0:y1].any(axis=0))   # byte columns: 3 a pixel
        x0, x1 = int(columns[0]) // 3, int(columns[-1]) // 3 + 1
        if self.even_offsets:
            x0, y0 = x0 - x0 % 2, y0 - y0 % 2
        return (x0, y0, x1, y1)

    def _flush_pending(self, until_ms: int) -> None:
        if self._pending is not None:
            start, encoded = self._pending
            self._store(encoded, until_ms - start)
            self.stored += 1
            self._pending = None

    def _finish(self):
        end = self._time_ms(self.frames) + round(self.hold_last_s * 1000)
        self._flush_pending(max(end, self._pending[0] + MIN_PICTURE_FRAME_MS))
        self._end()

    @abc.abstractmethod
    def _encode(self, crop: np.ndarray, offset) -> bytes:
        """One frame's changed area in the format's own encoding."""

    @abc.abstractmethod
    def _store(self, encoded, duration_ms: int) -> None:
        """Keep an encoded frame shown for `duration_ms`."""

    @abc.abstractmethod
    def _end(self) -> None:
        """Write the file's ending."""


class _GifWriter(_PictureWriter):
    """A GIF89a written frame by frame: no global palette; each frame carries its own 256
    colours (Pillow's fast octree quantiser), so long recordings keep their colours."""

    def _start(self, first):
        w, h = self.size
        self._file.write(b"GIF89a" + struct.pack("<HHBBB", w, h, 0, 0, 0))
        # Loop forever (the NETSCAPE2.0 application extension).
        self._file.write(b"!\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00")

    def _encode(self, crop, offset):
        from PIL import Image

        picture = Image.fromarray(crop, "RGB").quantize(GIF_COLOURS,
                                                        method=Image.Quantize.FASTOCTREE)
        buffer = io.BytesIO()
        picture.save(buffer, "GIF", interlace=False)
        table, interlaced, image = _gif_parts(buffer.getvalue())
        bits = max(1, (len(table) // 3).bit_length() - 1) - 1   # table size is 2**(bits+1)
        flags = 0x80 | interlaced | bits                          # 0x80: a local table
        descriptor = b"," + struct.pack("<HHHHB", offset[0], offset[1], crop.shape[1],
                                        crop.shape[0], flags)
        return descriptor + table + image

    def __init__(self, path, fps, hold_last_s=0.0):
        super().__init__(path, fps, hold_last_s)
        self._stored_ms = 0   # where the stored frames end, in ms

    def _store(self, encoded, duration_ms):
        # Delays are in 1/100 s: round the frame's end, not its length, so they never drift.
        start_cs = round(self._stored_ms / 10)
        self._stored_ms += duration_ms
        delay = max(2, round(self._stored_ms / 10) - start_cs)
        # Graphic control: disposal 1 (leave the frame in place), no transparency.
        self._file.write(b"!\xf9\x04" + struct.pack("<BHBB", 1 << 2, delay, 0, 0) + encoded)

    def _end(self):
        self._file.write(b";")


def _gif_parts(data: bytes) -> tuple[bytes, int, bytes]:
    """(colour table, interlace flag, LZW image data with its end) of a one-frame GIF."""
    packed = data[10]
    at = 13
    table = b""
    if packed & 0x80:
        size = 3 << ((packed & 7) + 1)
        table, at = data[at:at + size], at + size
    while data[at] == 0x21:               # extensions: label, then sub-blocks up to a 0
        at += 2
        while data[at]:
            at += data[at] + 1
        at += 1
    if data[at] != 0x2C:
        raise ArtkitError("Pillow wrote a GIF artkit can't read; this is a bug in artkit.")
    local = data[at + 9]
    at += 10
    if local & 0x80:                      # a local table overrides the global one
        size = 3 << ((local & 7) + 1)
        table, at = data[at:at + size], at + size
    start = at
    at += 1                               # LZW minimum code size
    while data[at]:
        at += data[at] + 1
    return table, local & 0x40, data[start:at + 1]


class _WebpWriter(_PictureWriter):
    """An animated WebP written chunk by chunk: each frame is a lossy still (Pillow) wrapped
    in an ANMF chunk placed over the frames before it; the RIFF size is filled in at the end."""

    even_offsets = True
    QUALITY = 80
    # libwebp's effort, 0 (fastest) to 6. Measured on walk and time-lapse frames at quality 80:
    # 2 encodes 2.1-2.3x faster than 4 (9 ms a 512x384 frame against 21) for files 2-4 %
    # larger and 0.2-0.4 dB less PSNR; 0 and 1 save only a few ms more for 15-28 % larger
    # files, and 3 costs as much as 4.
    METHOD = 2

    def _start(self, first):
        w, h = self.size
        vp8x = struct.pack("<B3x", 0x02) + _u24(w - 1) + _u24(h - 1)   # 0x02: animation
        anim = struct.pack("<4BH", 255, 255, 255, 255, 0)              # background, loop forever
        self._file.write(b"RIFF\0\0\0\0WEBP" + _chunk(b"VP8X", vp8x) + _chunk(b"ANIM", anim))

    def _encode(self, crop, offset):
        from PIL import Image

        buffer = io.BytesIO()
        Image.fromarray(crop, "RGB").save(buffer, "WEBP", quality=self.QUALITY,
                                             method=self.METHOD)
        frame = _webp_frame_chunks(buffer.getvalue())
        return _u24(offset[0] // 2) + _u24(offset[1] // 2) + _u24(crop.shape[1] - 1) + \
            _u24(crop.shape[0] - 1), frame

    def _store(self, encoded, duration_ms):
        placement, frame = encoded
        flags = 0x02   # do not blend: the rectangle replaces what was there; no disposal
        self._file.write(_chunk(b"ANMF", placement + _u24(min(duration_ms, 0xFFFFFF)) +
                                bytes([flags]) + frame))

    def _end(self):
        size = self._file.tell()
        self._file.seek(4)
        self._file.write(struct.pack("<I", size - 8))
        self._file.seek(size)


def _u24(value: int) -> bytes:
    return struct.pack("<I", value)[:3]


def _chunk(fourcc: bytes, payload: bytes) -> bytes:
    return fourcc + struct.pack("<I", len(payload)) + payload + b"\0" * (len(payload) % 2)


def _webp_frame_chunks(data: bytes) -> bytes:
    """The image chunks (ALPH, VP8 or VP8L) of a still WebP, without its RIFF wrapping."""
    at, kept = 12, []
    while at + 8 <= len(data):
        fourcc = data[at:at + 4]
        size = struct.unpack("<I", data[at + 4:at + 8])[0]
        end = at + 8 + size + size % 2
        if fourcc in (b"ALPH", b"VP8 ", b"VP8L"):
            kept.append(data[at:end])
        at = end
    if not kept:
        raise ArtkitError("Pillow wrote a WebP artkit can't read; this is a bug in artkit.")
    return b"".join(kept)


# ---------------------------------------------------------------------------------------------
# Recording beside a window

class BackgroundWriter:
    """A FrameWriter fed from a window's loop: `add` hands the frame to a writer thread and
    returns at once, so encoding never stalls painting.

    `add(frame, repeat)` says how many frame times the picture lasts (a window that fell
    behind passes more than 1), so the recording keeps real time. When the writer is behind,
    a frame is skipped and its frame times go to the next one; with `wait=True` (a renderer,
    where every frame counts and nothing runs in real time) `add` waits for room instead, so
    the file is the one the writer alone would make. Either way at most `queued` frames wait,
    and a frame must not change once it is handed over.

    An error on the writer thread (a full disk, a frame of another size) comes back as it
    was, from the next `add` or from `close`; the file is then not written."""

    def __init__(self, writer: FrameWriter, queued: int = 4, wait: bool = False):
        import queue
        import threading

        self.writer = writer
        self.error: BaseException | None = None
        self._wait = wait
        self._abandoned = False   # set by abort: frames still queued are dropped
        self._owed = 0          # frame times of skipped frames, for the next one handed over
        self._skipped = None    # the last frame skipped, in case nothing follows it
        self._queue = queue.Queue(maxsize=queued)
        self._full = queue.Full
        self._thread = threading.Thread(target=self._work, name="artkit-recording", daemon=True)
        self._thread.start()

    @property
    def path(self) -> Path:
        return self.writer.path

    @property
    def frames(self) -> int:
        return self.writer.frames

    def add(self, frame, repeat: int = 1) -> None:
        if self.error is not None:
            raise self.error
        if self._wait:
            self._queue.put((frame, repeat))   # the writer thread always drains the queue
            return
        repeat += self._owed
        try:
            self._queue.put_nowait((frame, repeat))
            self._owed, self._skipped = 0, None
        except self._full:
            self._owed, self._skipped = repeat, frame

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self.error is not None or self._abandoned:
                continue
            frame, repeat = item
            try:
                for _ in range(repeat):
                    self.writer.add(frame)
            except BaseException as error:   # handed to the window's thread by add/close
                self.error = error

    def close(self) -> Path:
        """Wait for the frames handed over, then finish the file. Returns its path."""
        if self._skipped is not None:
            self._queue.put((self._skipped, self._owed))
        self._queue.put(None)
        self._thread.join()
        if self.error is not None:
            self.writer.abort()
            raise self.error
        return self.writer.close()

    def abort(self) -> None:
        """Stop without writing anything (any file already at `path` stays as it was)."""
        self._abandoned = True
        self._queue.put(None)
        self._thread.join()
        self.writer.abort()


# ---------------------------------------------------------------------------------------------

_WRITERS = {".mp4": _VideoWriter, ".webm": _VideoWriter, ".gif": _GifWriter,
            ".webp": _WebpWriter}


def open_writer(path, fps: float = 30.0, hold_last_s: float = 0.0,
                suffixes=RECORDING_SUFFIXES) -> FrameWriter:
    """A FrameWriter for `path`, chosen by its suffix (.mp4, .webm, .gif or .webp)."""
    path = check_recording_path(path, suffixes)
    _check_fps(fps)
    return _WRITERS[path.suffix.lower()](path, fps, hold_last_s)


def write_frames(frames, path, fps: float = 30.0, hold_last_s: float = 0.0,
                 suffixes=RECORDING_SUFFIXES, background: bool = False) -> Path:
    """Write `frames` (any iterable of uint8 (H, W, 3|4) arrays, consumed one at a time) to
    `path`. Returns the path.

    background=True encodes each frame on a helper thread while the iterable makes the next
    (Pillow's and FFmpeg's encoders let go of the GIL while they work, so another core does
    it): the same file, with the encoding off the critical path. Each frame must then be an
    array of its own that nothing changes afterwards (a copy such as `Canvas.rgb()`); at most
    FRAMES_AHEAD of them wait for the helper."""
    writer = open_writer(path, fps, hold_last_s, suffixes)
    if not background:
        with writer:
            for frame in frames:
                writer.add(frame)
        return writer.path
    helper = BackgroundWriter(writer, queued=FRAMES_AHEAD, wait=True)
    try:
        for frame in frames:
            helper.add(frame)
    except BaseException:
        helper.abort()
        raise
    return helper.close()
