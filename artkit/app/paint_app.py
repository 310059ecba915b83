"""The paint app's window: turns pygame events into calls on a `PaintSession` and shows it.

Layout, left to right: the toolbar, the canvas, then any visible side panels. Each frame:
events → marks along the pointer's path since the last frame (drawn straight onto the
persistent canvas) → autopaint batch → blit the part of the canvas the new marks touched (from
a zero-copy view of its pixels) → toolbar (re-rendered only when it changes) → overlays →
update only those screen areas. Nothing is redrawn from scratch, nothing full-canvas is
converted.

The window can be resized and F11 fills the screen. The canvas keeps its size in pixels and is
shown scaled to fit the column between the toolbar and the panels (`canvas_rect` is where it
shows); pointer positions are mapped back to canvas pixels (`to_canvas`, `to_window`), so a
mark lands under the pointer at any size. The window is never made wider or taller than the
screen: opening a panel shrinks the canvas's view instead.

`run(max_frames=..., script=...)` is the one hook tests and benches need: `script` feeds
synthetic events frame by frame, so the real loop runs headless (SDL's dummy video driver).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pygame

from artkit.app import theme, toolbar as toolbar_mod
from artkit.app.overlays import HelpOverlay, Toasts
from artkit.app.panels import Panel
from artkit.app.views import (CanvasView, blit_fitted, fit_rect, fullscreen_display,
                              pointer_scale, resize_display, to_canvas, to_view)
from artkit.session import PaintSession
from artkit.errors import ArtkitError

# Brush keys in toolbar order; brushes past these are reached with , and . or a click.
BRUSH_KEYS = "1234567890-="
SIZE_STEP = 1.15  # one wheel notch or [ ] press scales the brush by this
SOURCE_OVERLAY_ALPHA = 85  # Tab: how strongly the source shows through (0..255)
AUTOPAINT_BUDGET_S = 0.008  # autopaint work per frame, leaving room for the rest at 60 fps
MIN_COLUMN_WIDTH = 640  # a smaller canvas sits centred in this, so help and toasts fit
PLUGIN_MODULES = ("artkit.app.gan_panel",)  # optional modules with attach(app), see panels.py
SCREEN_MARGIN = (16, 80)  # room left on the screen for window borders, a title bar and a dock
MIN_VIEW = 160  # the canvas's view is never squeezed narrower than this
RECORD_FPS = 30  # R records the canvas at this rate, in real time

HELP_LINES = (
    ("", "Painting"),
    ("drag", "paint with the current brush"),
    ("{brush keys}", "choose a brush (or click it in the toolbar)"),  # see help_lines()
    (",  .", "previous / next brush"),
    ("wheel  [  ]", "smaller / bigger brush"),
    ("A", "autopaint: the brush covers the canvas by itself"),
    ("L", "autopaint plan: uniform, or layered (big brush to small, where it differs)"),
    ("", "Editing"),
    ("Ctrl+Z", "undo"),
    ("Ctrl+Y  Ctrl+Shift+Z", "redo"),
    ("C", "clear the canvas (undo brings it back)"),
    ("", "Pictures"),
    ("S  Ctrl+S", "save a PNG and its stroke log"),
    ("V", "save them and an SVG beside them (vector, for print and plotters)"),
    ("R", "start / stop recording the painting as a video"),
    ("Tab", "show the source picture faintly over the painting"),
    ("drop a file", "paint from that picture instead"),
    ("", "Window"),
    ("H", "show or hide this help"),
    ("F11", "full screen (drag the window's edge to resize it)"),
    ("Esc", "quit (your painting is kept: artkit paint --resume)"),
)


@dataclass
class RunStats:
    """What one `run` did: frames drawn and each frame's working time (s, without the wait
    for the next frame)."""

    frames: int = 0
    frame_times: list = field(default_factory=list)


class PaintApp:
    """The paint window around a `PaintSession`: toolbar, canvas, side panels, overlays.

    `out_dir`: where S saves; `fps`: frame cap (None: as fast as possible, for tests and
    benches); `plugins`: attach optional panels such as the GAN panel (see `attach_plugins`).
    """

    def __init__(self, session: PaintSession, out_dir=".", fps: int | None = 60,
                 plugins: bool = True, title: str = "artkit paint"):
        self.session = session
        self.out_dir = Path(out_dir)
        self.fps = fps
        self.title = title
        if not pygame.display.get_init():
            pygame.display.init()
        if not pygame.font.get_init():
            pygame.font.init()
        # Fonts cached before a pygame.quit() (another window, a paint command run in this
        # process) are dead even once the font module is back: forget them.
        theme.reset_fonts()
        pygame.key.set_repeat()  # off: a held S must save once, not twenty times
        self.toolbar = toolbar_mod.Toolbar()
        self.toasts = Toasts()
        self.help = HelpOverlay()
        self.panels: list[Panel] = []
        #: dropped files by lower-case suffix → handler(path); anything else is tried as a picture
        self.drop_handlers: dict = {}
        self.screen: pygame.Surface | None = None
        self.canvas_rect = pygame.Rect(0, 0, 0, 0)  # where the canvas shows (maybe scaled)
        self.fullscreen = False
        self.user_column: tuple[int, int] | None = None  # the column's size once resized by hand
        self._set_size = None  # the window size artkit last asked for itself
        self._given_size = None  # the size the person or the window system last gave it
        self._windowed_size = None  # the window's size before F11 filled the screen
        self.recording = None  # a BackgroundWriter while R records
        self._record_start = 0.0
        self._recorded = 0
        self._exports: list = []  # SVG writes running in threads: (thread, outcome list)
        self.column_rect = pygame.Rect(0, 0, 0, 0)  # between toolbar and panels; holds the canvas
        self.running = True
        self.show_source = False
        self.autopaint = False
        self._layout_key = None
        self._held: list | None = None  # window positions of the pointer since the last frame
        self._dragging_size = False
        self._hover = None
        self._canvas_view = CanvasView("RGBX")
        self._overlay = None  # (source, faint Surface of it) for the Tab overlay
        self._auto = None  # autopaint run state
        self._full_redraw = True  # next frame redraws the whole window, not just what changed
        self._toast_rects: list = []  # where toasts were drawn last frame
        self._journal_error_shown: str | None = None
        self.layout()
        self._refresh_caption()
        if plugins:
            self.attach_plugins()

    # -- structure -------------------------------------------------------------------------
    def add_panel(self, panel: Panel) -> Panel:
        self.panels.append(panel)
        panel.attach(self)
        self.layout()
        return panel

    def attach_plugins(self) -> None:
        """Let optional modules (e.g. the GAN panel) plug in: each defines attach(app)."""
        for name in PLUGIN_MODULES:
            if importlib.util.find_spec(name) is None:
                continue
            try:
                module = importlib.import_module(name)
            except ImportError as error:
                print(f"artkit: {name} is not available ({error}).", file=sys.stderr)
                continue
            attach = getattr(module, "attach", None)
            if attach is not None:
                attach(self)

    def layout(self) -> None:
        """Size the window for the toolbar, the canvas and the visible panels, within the
        screen; fit the canvas's view into the column left for it."""
        visible = [p for p in self.panels if p.visible]
        panels_w = sum(p.width for p in visible)
        key = tuple((id(p), p.width) for p in visible) + (
            self.session.size, self.user_column, self.fullscreen)
        if key == self._layout_key and self.screen is not None:
            return
        self._layout_key = key
        cw, ch = self.session.size
        if self.fullscreen:
            width, height = self.screen.get_size()
        else:
            column_w, column_h = self.user_column or (max(cw, MIN_COLUMN_WIDTH),
                                                      max(ch, toolbar_mod.MIN_HEIGHT))
            room_w, room_h = _screen_room()
            width = min(toolbar_mod.WIDTH + column_w + panels_w, room_w)
            height = min(column_h, room_h)
        column_w = max(MIN_VIEW, width - toolbar_mod.WIDTH - panels_w)
        self.toolbar.rect = pygame.Rect(0, 0, toolbar_mod.WIDTH, height)
        self.column_rect = pygame.Rect(toolbar_mod.WIDTH, 0, column_w, height)
        # Larger than its pixels only in a window made larger by hand, or full screen.
        grow = self.fullscreen or self.user_column is not None
        self.canvas_rect = fit_rect((cw, ch), self.column_rect, grow=grow)
        x = self.column_rect.right
        for p in visible:
            p.rect = pygame.Rect(x, 0, p.width, height)
            x += p.width
        self._full_redraw = True
        if not self.fullscreen and (self.screen is None or self.screen.get_size() != (width, height)):
            grew = self.screen is not None and width > self.screen.get_width()
            if self.screen is None:
                pygame.display.set_icon(theme.window_icon())  # before the window exists
                self.screen = pygame.display.set_mode((width, height), pygame.RESIZABLE)
            else:
                self.screen = resize_display((width, height))
            self._set_size = self.screen.get_size()
            if grew:
                _keep_on_screen(width)

    def resize_window(self, size) -> None:
        """The painter dragged the window's edge: the column (and the canvas's view in it)
        takes the new room; panels keep their width."""
        size = (int(size[0]), int(size[1]))
        if self.fullscreen or size == self._set_size:
            return   # artkit's own resize, announced back
        panels_w = sum(p.width for p in self.panels if p.visible)
        # Never so small that the toolbar's buttons pile up: the window snaps back to that,
        # every time (the column alone can't tell: two heights below it give the same
        # column). A window system that gives the same size again insists: then it wins,
        # rather than the two resizing the window back and forth for ever.
        if size != self._given_size:
            self._layout_key = None
        self._given_size = size
        self.user_column = (max(MIN_VIEW, size[0] - toolbar_mod.WIDTH - panels_w),
                            max(toolbar_mod.MIN_HEIGHT, size[1]))
        self.layout()

    def toggle_fullscreen(self) -> None:
        """F11: fill the screen, or go back to the window as it was."""
        self.fullscreen = not self.fullscreen
        if self.fullscreen:
            self._windowed_size = self.screen.get_size()
        self.screen = fullscreen_display(self.fullscreen, self._windowed_size)
        if not self.fullscreen:
            self._set_size = self.screen.get_size()   # (SDL announces it as a resize)
        self._layout_key = None
        self.layout()

    def set_source(self, source, spec: str | None = None) -> None:
        """Paint from `source` (a SourceImage) from now on; the painting is untouched."""
        self.session.set_source(source, spec)
        self._full_redraw = True  # the toolbar's thumbnail and the Tab overlay show it

    # -- actions ---------------------------------------------------------------------------
    def select_brush(self, name: str) -> None:
        self.session.select_brush(name)
        self._refresh_caption()

    def select_brush_index(self, index: int) -> None:
        names = self.session.brush_names
        if 0 <= index < len(names):
            self.select_brush(names[index])

    def cycle_brush(self, step: int) -> None:
        names = self.session.brush_names
        i = names.index(self.session.brush_name) if self.session.brush_name in names else 0
        self.select_brush(names[(i + step) % len(names)])

    def resize_brush(self, notches: float) -> None:
        self.session.brush_size = self.session.brush_size * SIZE_STEP ** notches

    def undo(self) -> None:
        self._end_stroke()
        self.stop_autopaint()
        if not self.session.undo():
            self.toasts.show("Nothing to undo.", seconds=1.5)

    def redo(self) -> None:
        self._end_stroke()
        self.stop_autopaint()
        if not self.session.redo():
            self.toasts.show("Nothing to redo.", seconds=1.5)

    def clear(self) -> None:
        self._end_stroke()
        self.stop_autopaint()
        self.session.clear()
        self.toasts.show("Cleared. Ctrl+Z brings the painting back.", seconds=2.5)

    def save(self) -> Path | None:
        """Save PNG + stroke log in out_dir; a toast says where (or why not)."""
        self._end_stroke()
        try:
            png = self.session.save(self.out_dir)
        except ArtkitError as error:
            self.toasts.show(str(error), "error", seconds=6)
            print(f"artkit: {error}", file=sys.stderr)
            return None
        where = png.resolve()
        self.toasts.show(f"Saved {png.name} and {png.with_suffix('.strokes').name} in {where.parent}",
                         "ok", seconds=5)
        print(f"Saved {where} and {where.with_suffix('.strokes')}")
        return png

    def save_svg(self) -> Path | None:
        """V: save the PNG and stroke log (as S does) and an SVG of the painting beside them.
        The SVG is written in a thread, from the marks as they are now, so a big painting
        never stalls the brush; a toast says when it is there."""
        import threading

        from artkit.vector import Painting, export_vector

        png = self.save()
        if png is None:
            return None
        svg = png.with_suffix(".svg")
        painting = Painting.of(self.session.log, self.session.background)
        outcome: list = []

        def write():
            try:
                outcome.append(export_vector(painting, svg))
            except ArtkitError as error:
                outcome.append(error)

        thread = threading.Thread(target=write, name="artkit-svg", daemon=True)
        thread.start()
        self._exports.append((thread, outcome))
        return svg

    def _check_exports(self) -> None:
        """Say which SVG writes have finished."""
        for entry in list(self._exports):
            thread, outcome = entry
            if thread.is_alive():
                continue
            self._exports.remove(entry)
            for result in outcome:
                if isinstance(result, ArtkitError):
                    self.toasts.show(str(result), "error", seconds=6)
                    print(f"artkit: {result}", file=sys.stderr)
                else:
                    self.toasts.show(f"Saved {result.path.name} ({result.marks:,} marks, "
                                     f"{len(result.pens)} pens)", "ok", seconds=5)
                    print(f"Saved {result.path.resolve()}")

    # -- recording -------------------------------------------------------------------------
    def toggle_recording(self) -> None:
        if self.recording is None:
            self.start_recording()
        else:
            self.stop_recording()

    def start_recording(self) -> Path | None:
        """R: record the canvas as you paint, in real time, into an MP4 in out_dir (an
        animated WebP without the video extra)."""
        from artkit.sessions import timestamped_name
        from artkit.video import BackgroundWriter, open_writer, video_extra_missing

        suffix = ".webp" if video_extra_missing() else ".mp4"
        path = timestamped_name(self.out_dir, prefix="artkit-recording", suffix=suffix,
                                siblings=())
        try:
            self.recording = BackgroundWriter(open_writer(path, RECORD_FPS))
        except ArtkitError as error:
            self.toasts.show(str(error), "error", seconds=6)
            return None
        self._record_start, self._recorded = time.perf_counter(), 0
        self._record_frame()
        self.toasts.show(f"Recording {path.name}: R stops.", seconds=3)
        return path

    def _record_frame(self) -> None:
        """Hand the canvas to the recording as often as real time asks (a slow frame counts
        for more than one video frame)."""
        due = int((time.perf_counter() - self._record_start) * RECORD_FPS) + 1 - self._recorded
        if due <= 0:
            return
        try:
            self.recording.add(self.session.canvas.rgb(), repeat=min(due, RECORD_FPS))
        except ArtkitError as error:
            self.recording.abort()
            self.recording = None
            self.toasts.show(f"Recording stopped: {error}", "error", seconds=8)
            return
        self._recorded += due

    def stop_recording(self) -> Path | None:
        recording, self.recording = self.recording, None
        if recording is None:
            return None
        try:
            recording.add(self.session.canvas.rgb())   # it ends on the painting as it is now
            path = recording.close()
        except ArtkitError as error:
            self.toasts.show(str(error), "error", seconds=8)
            print(f"artkit: {error}", file=sys.stderr)
            return None
        seconds = recording.frames / RECORD_FPS
        self.toasts.show(f"Saved {path.name} ({seconds:.1f} s)", "ok", seconds=5)
        print(f"Saved {path.resolve()} ({seconds:.1f} s)")
        return path

    def toggle_source_overlay(self) -> None:
        self.show_source = not self.show_source
        self._full_redraw = True

    def toggle_help(self) -> None:
        self.help.visible = not self.help.visible
        self._full_redraw = True

    def quit(self) -> None:
        self.running = False

    def drop_file(self, path) -> None:
        """A file dropped on the window: a handler by suffix, else a new source picture."""
        path = Path(path)
        handler = self.drop_handlers.get(path.suffix.lower(), self._drop_picture)
        try:
            handler(path)
        except ArtkitError as error:
            self.toasts.show(str(error), "error", seconds=6)

    def _drop_picture(self, path: Path) -> None:
        self._end_stroke()
        self.session.open_source(str(path))
        self._full_redraw = True
        self.toasts.show(f"Painting from {path.name} now.", "ok")

    # -- autopaint -------------------------------------------------------------------------
    def toggle_autopaint(self) -> None:
        if self.autopaint:
            self.stop_autopaint("Autopaint stopped.")
        else:
            self.start_autopaint()

    def start_autopaint(self) -> None:
        """Paint until covered, a few batches a frame (the core's plan: the same marks as
        `artkit render` with the same seed)."""
        self._end_stroke()
        self._auto = self.session.start_autopaint()
        self._auto_batch_s = 0.0
        self._auto_layer = 0
        self.autopaint = True
        how = ""
        if self._auto.plan == "layered":
            how = f" in {self._auto.passes} layers, {self._auto.sizes[0]:.1f} px first"
        self.toasts.show(f"Autopainting with {self.session.brush_name}{how}: A stops it, "
                         f"keeping what is painted.", seconds=2.5)

    def toggle_plan(self) -> None:
        """Switch autopaint between the uniform and the layered plan (from the next A)."""
        layered = self.session.plan != "layered"
        self.session.set_plan("layered" if layered else "uniform", *self.session.detail)
        words = ("layered: big brush first, then smaller ones where the painting differs"
                 if layered else "uniform: touches anywhere until covered")
        later = " (from the next A)" if self.autopaint else ""
        self.toasts.show(f"Autopaint plan {words}{later}.", seconds=3)

    def stop_autopaint(self, message: str | None = None) -> None:
        if not self.autopaint:
            return
        self.autopaint = False
        self._auto.stop()   # what it painted stays, as an undo step
        self._auto = None
        if message:
            self.toasts.show(message, "ok" if "finished" in message else "info", seconds=3)

    def _autopaint_frame(self) -> None:
        """As many of the plan's batches as fit in this frame's budget (at least one): the
        batches are fixed, so only how many land in a frame depends on the clock."""
        if self._held is not None:  # the painter's own stroke has the frame
            return
        auto = self._auto
        started = time.perf_counter()
        while True:
            t0 = time.perf_counter()
            more = auto.step()
            self._auto_batch_s = time.perf_counter() - t0
            spent = time.perf_counter() - started
            if not more or spent + self._auto_batch_s > AUTOPAINT_BUDGET_S:
                break
        layer = getattr(auto, "pass_index", 0)
        if layer != self._auto_layer and not auto.finished:
            self._auto_layer = layer
            self.toasts.show(f"Layer {layer + 1} of {auto.passes}: a {auto.size:.1f} px brush "
                             f"where the painting still differs.", seconds=2.5)
        if auto.finished:
            self.autopaint, self._auto = False, None
            reason = auto.reason
            if reason == "covered" or (reason == "stalled" and auto.covered > 0.95):
                message = "Autopaint finished: the canvas is covered."
            elif reason == "stalled":  # e.g. where the source is the colour of the paper
                message = "Autopaint finished: this brush has covered all it can."
            elif reason == "layers":
                message = f"Autopaint finished all {auto.passes} layers ({auto.done:,} touches)."
            else:
                message = f"Autopaint finished after {auto.done:,} touches."
            self.toasts.show(message, "ok", seconds=3)

    # -- events ----------------------------------------------------------------------------
    def handle_event(self, event) -> None:
        event = _on_surface(event)
        for panel in self.panels:
            if panel.handle_event(event):
                return
        kind = event.type
        if kind == pygame.QUIT:
            self.quit()
        elif kind == pygame.KEYDOWN:
            self._key(event)
        elif kind == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self._press(event.pos)
        elif kind == pygame.MOUSEMOTION:
            self._motion(event.pos)
        elif kind == pygame.MOUSEBUTTONUP and event.button == 1:
            self._release(event.pos)
        elif kind == pygame.MOUSEWHEEL:
            self.resize_brush(event.y)
        elif kind == pygame.DROPFILE:
            self.drop_file(event.file)
        elif kind == pygame.VIDEORESIZE:
            self.resize_window(event.size)
        elif kind == pygame.WINDOWFOCUSLOST and self._held is not None:
            self._end_stroke()  # the button-up will go to another window
        elif kind in (pygame.WINDOWEXPOSED, pygame.VIDEOEXPOSE, pygame.WINDOWRESTORED):
            self._full_redraw = True  # the window system lost what was on screen

    def _key(self, event) -> None:
        key, mod = event.key, event.mod
        ctrl = bool(mod & (pygame.KMOD_CTRL | pygame.KMOD_META))
        shift = bool(mod & pygame.KMOD_SHIFT)
        char = getattr(event, "unicode", "") or ""
        if self.help.visible and key in (pygame.K_ESCAPE, pygame.K_h, pygame.K_F1):
            self.toggle_help()
        elif key == pygame.K_ESCAPE:
            self.quit()
        elif ctrl and key == pygame.K_z:
            self.redo() if shift else self.undo()
        elif ctrl and key == pygame.K_y:
            self.redo()
        elif key == pygame.K_s:
            self.save()
        elif key == pygame.K_F11:
            self.toggle_fullscreen()
        elif ctrl:
            return  # other shortcuts (e.g. Ctrl+C) are not painting commands
        elif key == pygame.K_c:
            self.clear()
        elif key == pygame.K_TAB:
            self.toggle_source_overlay()
        elif key == pygame.K_a:
            self.toggle_autopaint()
        elif key == pygame.K_v:
            self.save_svg()
        elif key == pygame.K_r:
            self.toggle_recording()
        elif key == pygame.K_l:
            self.toggle_plan()
        elif key in (pygame.K_h, pygame.K_F1) or char == "?":
            self.toggle_help()
        elif key == pygame.K_LEFTBRACKET or char == "[":
            self.resize_brush(-1)
        elif key == pygame.K_RIGHTBRACKET or char == "]":
            self.resize_brush(+1)
        elif key == pygame.K_COMMA or char == ",":
            self.cycle_brush(-1)
        elif key == pygame.K_PERIOD or char == ".":
            self.cycle_brush(+1)
        else:
            index = _brush_key_index(key)
            if index is not None:
                self.select_brush_index(index)

    def _press(self, pos) -> None:
        if self.help.visible:
            self.toggle_help()
            return
        if self.toolbar.rect.collidepoint(pos):
            self._toolbar_click(pos)
        elif self.canvas_rect.collidepoint(pos):
            if self.autopaint:
                self.session.end_gesture()  # the painter's stroke is its own undo step
            self.session.begin_gesture()
            self._held = [pos]

    def _motion(self, pos) -> None:
        if self._held is not None:
            self._held.append(pos)
        elif self._dragging_size:
            self._toolbar_click(pos)
        else:
            hit = self.toolbar.hit(pos) if self.toolbar.rect.collidepoint(pos) else None
            self._hover = hit if hit and hit[0] != "size" else None

    def _release(self, pos) -> None:
        self._dragging_size = False
        if self._held is not None:
            self._held.append(pos)
            self._paint_held()
            self._end_stroke()

    def _end_stroke(self) -> None:
        """Finish the pointer's stroke (if any) as one undo step."""
        if self._held is not None:
            self._held = None
            self.session.end_gesture()

    def _toolbar_click(self, pos) -> None:
        hit = self.toolbar.hit(pos)
        if hit is None:
            return
        what, value = hit
        if what == "brush":
            self.select_brush(value)
        elif what == "size":
            self._dragging_size = True
            self.session.brush_size = toolbar_mod.fraction_to_size(value)
        elif what == "action":
            {"autopaint": self.toggle_autopaint, "undo": self.undo, "redo": self.redo,
             "clear": self.clear, "save": self.save, "help": self.toggle_help,
             "overlay": self.toggle_source_overlay}[value]()

    def _paint_held(self) -> None:
        """Marks along every pointer position since the last frame (so fast moves leave no
        gaps); while the button is held still, the brush keeps working at the pointer."""
        points = self._held
        if not points:
            return
        path = self.to_canvas(np.asarray(points, dtype=np.float32))
        self.session.paint(path)
        self._held = [points[-1]]

    # -- the loop --------------------------------------------------------------------------
    def run(self, max_frames: int | None = None, script=None) -> RunStats:
        """Run the window until quit, or for `max_frames` frames (then it can run on: a stroke
        or autopaint in progress carries over; `close()` finishes them). `script` feeds
        synthetic events: a sequence whose i-th item is the list of events for frame i, or a
        function (frame, app) -> list of events."""
        stats = RunStats()
        clock = pygame.time.Clock()
        feed = iter(script) if script is not None and not callable(script) else None
        dt = 0.0
        while self.running and (max_frames is None or stats.frames < max_frames):
            t0 = time.perf_counter()
            events = pygame.event.get()
            if callable(script):
                events += list(script(stats.frames, self) or ())
            elif feed is not None:
                events += list(next(feed, ()) or ())
            self.step(events, dt)
            stats.frame_times.append(time.perf_counter() - t0)
            stats.frames += 1
            dt = clock.tick(self.fps) / 1000.0 if self.fps else stats.frame_times[-1]
        return stats

    def step(self, events, dt: float = 1 / 60) -> None:
        """One frame: handle `events`, paint, draw, flip."""
        for event in events:
            self.handle_event(event)
            if not self.running:
                return
        if self._held is not None:
            self._paint_held()
        if self.autopaint:
            self._autopaint_frame()
        self._check_journal()
        self.toasts.update(dt)
        for panel in self.panels:
            panel.update(dt)
        self.layout()
        rects = self.draw()
        if rects:
            pygame.display.update(rects)
        if self.recording is not None:
            self._record_frame()
        if self._exports:
            self._check_exports()

    def _check_journal(self) -> None:
        """Tell the painter, once, when the session journal stopped being written (a full
        disk): from then on only saving (S) keeps new marks."""
        error = self.session.log.journal_error
        if error and error != self._journal_error_shown:
            self._journal_error_shown = error
            self.toasts.show(f"{error} Press S to save your painting.", "error", seconds=12)
            print(f"artkit: {error}", file=sys.stderr)

    def close(self) -> None:
        """Finish the session's last gesture, a recording and any SVG being written, and
        release panels (the journal stays)."""
        self._end_stroke()
        self.stop_autopaint()
        self.session.end_gesture()
        if self.recording is not None:
            self.stop_recording()
        for thread, _ in self._exports:
            thread.join()
        self._check_exports()
        for panel in self.panels:
            panel.close()

    # -- drawing ---------------------------------------------------------------------------
    def canvas_surface(self) -> pygame.Surface:
        """A pygame Surface over the canvas pixels (no copy; the canvas is opaque)."""
        return self._canvas_view.surface(self.session.canvas)

    def _source_overlay(self) -> pygame.Surface:
        source = self.session.source
        if self._overlay is None or self._overlay[0] is not source:
            arr = np.ascontiguousarray(source.to_array())
            surf = pygame.image.frombuffer(arr.tobytes(), source.size, "RGB").convert()
            surf.set_alpha(SOURCE_OVERLAY_ALPHA)
            self._overlay = (source, surf)
        return self._overlay[1]

    def draw(self) -> list[pygame.Rect]:
        """Draw what changed since the last frame; returns the screen areas drawn.

        While painting only the new marks' box is re-blitted from the canvas (plus toasts and
        visible panels); anything else that changes the picture asks for a full redraw."""
        screen = self.screen
        full = self._full_redraw or self.help.visible
        self._full_redraw = False
        column = self.column_rect
        changed = self.session.take_dirty()
        toasts = self.toasts.layout(column)  # below a small canvas rather than over it
        toast_rects = [r for _, r in toasts]
        if full:
            areas = [column]
        else:
            areas = self._toast_rects + toast_rects
            if changed:
                areas.append(self._screen_area(changed))
            areas = [a.clip(column) for a in areas]
        drawn = []
        view = self.canvas_rect
        for area in areas:
            if area.width <= 0 or area.height <= 0:
                continue
            if not view.contains(area):
                screen.fill(theme.BACKDROP, area)
            part = area.clip(view)
            drawn.append(area)
            if part.width <= 0 or part.height <= 0:
                continue
            (x0, y0), (x1, y1) = self.to_canvas(part.topleft), self.to_canvas(part.bottomright)
            box = (x0, y0, x1 - x0, y1 - y0)
            # (1:1 this is a plain blit of `part`; scaled, a pixel or so around it as well)
            spread = blit_fitted(screen, self.canvas_surface(), view, box)
            if self.show_source:
                blit_fitted(screen, self._source_overlay(), view, box)
            if spread is not None:
                drawn.append(spread)
        for panel in self.panels:
            if panel.visible and panel.draw(screen, force=full):
                drawn.append(panel.rect)
        self.toolbar.set_source_thumbnail_from(self.session.source)
        if self.toolbar.draw(screen, self._toolbar_state(), force=full):
            drawn.append(self.toolbar.rect)
        self.toasts.draw(screen, toasts)
        if self.help.visible:  # over the toasts: the help is what the painter asked to read
            self.help.draw(screen, column, self.help_lines())
        self._toast_rects = toast_rects
        return [screen.get_rect()] if full else drawn

    def _screen_area(self, box) -> pygame.Rect:
        """The window area showing canvas box (x, y, w, h), whole pixels around it."""
        x, y, w, h = box
        left, top = self.to_window(x, y)
        right, bottom = self.to_window(x + w, y + h)
        if self.canvas_rect.size == self.session.size:
            return pygame.Rect(left, top, right - left, bottom - top)
        return pygame.Rect(left - 1, top - 1, right - left + 2, bottom - top + 2)

    def help_lines(self):
        keys = brush_keys_label(len(self.session.brush_names))
        lines = tuple((k.replace("{brush keys}", keys), words) for k, words in HELP_LINES)
        extra = [p.help_line for p in self.panels if p.help_line]
        return lines + ((("", "Panels"),) + tuple(extra) if extra else ())

    def _toolbar_state(self) -> toolbar_mod.ToolbarState:
        s = self.session
        names = s.brush_names
        keys = tuple((BRUSH_KEYS[i] if i < len(BRUSH_KEYS) else "", n) for i, n in enumerate(names))
        return toolbar_mod.ToolbarState(
            brushes=keys, current=s.brush_name, summary=getattr(s.brush, "summary", ""),
            size=round(s.brush_size, 1), autopaint=self.autopaint, overlay=self.show_source,
            source_id=id(s.source), hover=self._hover, plan=s.plan,
            autopaint_note=self._autopaint_note())

    def _autopaint_note(self) -> str:
        """What the autopaint row says while it runs: the layer under the layered plan."""
        auto = self._auto
        if not self.autopaint or auto is None or auto.plan != "layered":
            return ""
        return f"layer {auto.pass_index + 1}/{auto.passes}"

    def _refresh_caption(self) -> None:
        pygame.display.set_caption(f"{self.title} — {self.session.brush_name}")

    # -- helpers for scripts -----------------------------------------------------------------
    def to_window(self, x: float, y: float) -> tuple[int, int]:
        """Window coordinates of canvas point (x, y), wherever and however large the canvas
        shows."""
        wx, wy = to_view(x, y, self.canvas_rect, self.session.size)
        return (int(round(wx)), int(round(wy)))

    def to_canvas(self, points):
        """Canvas coordinates of window points: an (N, 2) array, or one (x, y)."""
        if isinstance(points, np.ndarray):
            view, (w, h) = self.canvas_rect, self.session.size
            k = np.array([w / view.width, h / view.height], np.float32)
            return (points - np.float32(view.topleft)) * k
        return to_canvas(points, self.canvas_rect, self.session.size)


def _screen_room() -> tuple[int, int]:
    """The largest window the screen holds: its size less room for borders, a title bar and
    a dock (unbounded when the size is unknown)."""
    try:
        w, h = pygame.display.get_desktop_sizes()[0]
    except (pygame.error, IndexError):
        return (1 << 15, 1 << 15)
    return (w - SCREEN_MARGIN[0], h - SCREEN_MARGIN[1])


def _on_surface(event):
    """`event` with its pointer position in the window surface's pixels (they differ from
    the window's points on a HiDPI screen; see views.pointer_scale)."""
    pos = getattr(event, "pos", None)
    if pos is None:
        return event
    kx, ky = pointer_scale()
    if kx == 1.0 and ky == 1.0:
        return event
    return pygame.event.Event(event.type, {**event.dict, "pos": (round(pos[0] * kx),
                                                                 round(pos[1] * ky))})


def _keep_on_screen(width: int) -> None:
    """Slide a window that just grew (a panel opened) left until its right edge is on the
    desktop again; window systems keep the left edge where it was."""
    try:
        x, y = pygame.display.get_window_position()
        desktop_w = pygame.display.get_desktop_sizes()[0][0]
    except (pygame.error, IndexError):
        return
    if x + width > desktop_w:
        pygame.display.set_window_position((max(0, desktop_w - width), y))


def brush_keys_label(count: int) -> str:
    """The brush keys in use for `count` brushes, for the help: '1 … 9  0  -'."""
    keys = BRUSH_KEYS[:count]
    if len(keys) <= 3:
        return "  ".join(keys)
    head = f"{keys[0]} … {keys[min(8, len(keys) - 1)]}"
    return "  ".join([head, *keys[9:]])


def _brush_key_index(key: int) -> int | None:
    try:
        name = pygame.key.name(key)
    except ValueError:
        return None
    if len(name) == 1 and name in BRUSH_KEYS:
        return BRUSH_KEYS.index(name)
    return None
