"""The window that runs a sketch: events in, frames out, messages on top.

It drives an `artkit.runner.SketchRunner` (which knows nothing about pygame): every frame it
hands the runner the mouse and key events, asks it to reload the file if it changed, lets it
draw a frame, and shows the canvas without copying it (the canvas's pixels are wrapped as a
pygame Surface). While sketch code runs (in the runner's worker thread) the window keeps
reading events, so closing it works even when a sketch is stuck in a loop.

Problems are shown in a box at the bottom of the window (and printed in the terminal by the
reporter): a red box for an error, a yellow one for a warning, which fades after a while.
The last good version of the sketch keeps running underneath when a new version fails.

The window can be resized and F11 (or `fullscreen()` in the sketch) fills the screen: the
canvas keeps its size in pixels and is shown scaled to fit, and the pointer is mapped back to
canvas pixels, so `mouse_x` is where the pointer is on the picture whatever its size on screen.
"""

from __future__ import annotations

import time
from functools import lru_cache

import pygame

from artkit.app.views import (CanvasView, blit_fitted, fit_rect, fullscreen_display,
                              pointer_scale, resize_display, to_canvas)
from artkit.friendly import Problem
from artkit.recording import extras

MIN_WINDOW = (480, 360)        # small sketches sit in the middle, so messages have room
BACKDROP = (30, 31, 34)
BOX = (24, 25, 28, 236)
ERROR_ACCENT = (222, 92, 76)
WARNING_ACCENT = (235, 190, 80)
TEXT = (236, 233, 226)
CODE = (160, 210, 255)
CARET = (255, 120, 100)
WARNING_SECONDS = 8.0

_BUTTONS = {1: "left", 2: "middle", 3: "right"}
_KEY_NAMES = {
    pygame.K_SPACE: "space", pygame.K_RETURN: "enter", pygame.K_KP_ENTER: "enter",
    pygame.K_LEFT: "left", pygame.K_RIGHT: "right", pygame.K_UP: "up", pygame.K_DOWN: "down",
    pygame.K_BACKSPACE: "backspace", pygame.K_TAB: "tab", pygame.K_DELETE: "delete",
    pygame.K_LSHIFT: "shift", pygame.K_RSHIFT: "shift", pygame.K_LCTRL: "control",
    pygame.K_RCTRL: "control", pygame.K_LALT: "alt", pygame.K_RALT: "alt",
}


def key_name(event) -> str:
    """What a sketch sees in `key`: the character typed ('a', 'A', '7'), or a name for the
    other keys ('space', 'enter', 'left', 'right', 'up', 'down', 'backspace', 'shift'...)."""
    if event.key in _KEY_NAMES:
        return _KEY_NAMES[event.key]
    char = getattr(event, "unicode", "") or ""
    if char and char.isprintable():
        return char
    return pygame.key.name(event.key)


@lru_cache(maxsize=None)
def _font(size: int, mono: bool = False) -> pygame.font.Font:
    if not pygame.font.get_init():
        pygame.font.init()
    faces = "dejavusansmono,liberationmono,consolas,menlo,monospace" if mono else \
        "dejavusans,segoeui,helvetica,arial,liberationsans,freesans"
    return pygame.font.Font(pygame.font.match_font(faces), size)


def _wrap(text: str, font: pygame.font.Font, width: int) -> list[str]:
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            trial = f"{line} {word}" if line else word
            if line and font.size(trial)[0] > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


class SketchWindow:
    """A pygame window around a SketchRunner. `run(max_frames)` returns 0 when closed."""

    def __init__(self, runner, title: str | None = None):
        self.runner = runner
        self.title = title
        self.screen = None
        self.offset = (0, 0)
        self.quit = False
        self.frames = 0
        self._warning_since = 0.0
        self._shown_warnings = None
        self._held_buttons = set()
        self._view = CanvasView("RGBA")
        self.view = pygame.Rect(0, 0, *MIN_WINDOW)   # where the canvas shows in the window
        self.fullscreen = False
        self.user_size: tuple[int, int] | None = None   # set once the person resizes the window
        self._set_size = None           # the size artkit last gave the window itself
        self._windowed_size = None      # the window's size before going full screen
        self._asked = (None, False)     # (context, fullscreen() value) last seen from the sketch

    # ------------------------------------------------------------------ window
    def _fit_window(self) -> None:
        """Open the window, or resize it when the sketch's size changed (unless the person
        has sized it), and fit the canvas into it."""
        w, h = self.runner.size
        win = self.user_size or (max(w, MIN_WINDOW[0]), max(h, MIN_WINDOW[1]))
        if self.screen is None:
            self._set_mode(win)
        elif not self.fullscreen and self.screen.get_size() != win:
            self._resize(win)
        # Bigger than its pixels only in a window the person made bigger (or full screen).
        grow = self.fullscreen or self.user_size is not None
        self.view = fit_rect((w, h), self.screen.get_rect(), grow=grow)
        self.offset = self.view.topleft
        name = self.runner.path.name
        pygame.display.set_caption(self.title or f"artkit - {name} (seed {self.runner.seed})")

    def _set_mode(self, size) -> None:
        """Open the window."""
        self._took(pygame.display.set_mode(size, pygame.RESIZABLE))

    def _resize(self, size) -> None:
        """Resize the open window where it stands."""
        self._took(resize_display(size))

    def _took(self, screen: pygame.Surface) -> None:
        self.screen = screen
        self._set_size = screen.get_size()

    def resize(self, size) -> None:
        """The person resized the window to `size`."""
        size = (max(1, int(size[0])), max(1, int(size[1])))
        if self.fullscreen or size == self._set_size:
            return   # our own resize announcing itself
        self.user_size = size
        self._fit_window()

    def set_fullscreen(self, on: bool) -> None:
        """Fill the screen with the sketch (True), or go back to the window (False)."""
        if bool(on) == self.fullscreen:
            return
        if on:
            self._windowed_size = self.screen.get_size() if self.screen else None
        self.fullscreen = bool(on)
        self._took(fullscreen_display(self.fullscreen, self._windowed_size or MIN_WINDOW))
        self._fit_window()

    def _follow_fullscreen_requests(self) -> None:
        """Apply fullscreen(...) from the sketch; keep what fullscreen() reports true to the
        window (after F11, or for a reloaded version, which starts out asking for nothing)."""
        ctx = self.runner.context
        if ctx is None:
            return
        wanted = extras(ctx)
        seen = self._asked[1] if self._asked[0] is ctx else False
        if wanted.fullscreen != seen:
            self.set_fullscreen(wanted.fullscreen)
        wanted.fullscreen = self.fullscreen
        self._asked = (ctx, self.fullscreen)

    def canvas_point(self, pos) -> tuple[float, float]:
        """Canvas coordinates of a pointer position from a window event."""
        kx, ky = pointer_scale()
        return to_canvas((pos[0] * kx, pos[1] * ky), self.view, self.runner.size)

    # ------------------------------------------------------------------ events
    def pump(self) -> None:
        """Read pending events: quit, or pass mouse and keys to the runner (which queues them
        for the sketch's next frame). Safe to call while sketch code is running."""
        for event in pygame.event.get():
            if event.type == pygame.QUIT or (event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE):
                self.quit = True
                self.runner.stop()
            elif event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
                self.set_fullscreen(not self.fullscreen)
            elif event.type == pygame.VIDEORESIZE:
                self.resize(event.size)
            elif event.type == pygame.MOUSEBUTTONDOWN and event.button in _BUTTONS:
                self._held_buttons.add(event.button)
                self.runner.mouse_pressed(*self.canvas_point(event.pos), _BUTTONS[event.button])
            elif event.type == pygame.MOUSEBUTTONUP and event.button in _BUTTONS:
                self._held_buttons.discard(event.button)
                self.runner.mouse_released(*self.canvas_point(event.pos), _BUTTONS[event.button])
            elif event.type == pygame.MOUSEMOTION:
                self.runner.mouse_moved(*self.canvas_point(event.pos))
            elif event.type == pygame.MOUSEWHEEL:
                # p5.js's sign: positive when the wheel turns towards the person.
                self.runner.mouse_wheel(-event.y)
            elif event.type == pygame.KEYDOWN:
                self.runner.key_pressed(key_name(event))
            elif event.type == pygame.KEYUP:
                self.runner.key_released(key_name(event))

    # ------------------------------------------------------------------ drawing
    def present(self) -> None:
        """Show the canvas and any message box, then flip."""
        self._follow_fullscreen_requests()
        self._fit_window()
        screen = self.screen
        screen.fill(BACKDROP)
        canvas = self.runner.canvas
        if canvas is not None:
            blit_fitted(screen, self._view.surface(canvas), self.view)
        problem = self.runner.problem
        if problem is not None:
            self._draw_box(problem, ERROR_ACCENT)
        else:
            warnings = self.runner.warnings
            if warnings is not self._shown_warnings:
                self._shown_warnings = warnings
                self._warning_since = time.monotonic()
            if warnings and time.monotonic() - self._warning_since < WARNING_SECONDS:
                self._draw_box(warnings[0], WARNING_ACCENT)
        pygame.display.flip()

    def _draw_box(self, problem: Problem, accent) -> None:
        """A box along the bottom of the window: the message, then the sketch's line with a
        caret under the spot (the caret is placed by measuring the text before it)."""
        sw, sh = self.screen.get_size()
        pad, gap = 14, 4
        body, mono = _font(15), _font(14, mono=True)
        inner = sw - 2 * pad - 10
        message = problem.message
        rows: list[tuple[str, pygame.font.Font, tuple]] = [(line, body, TEXT) for line in _wrap(message, body, inner)]
        code = problem.code.rstrip("\n").expandtabs(4) if problem.code else None
        if code is not None:
            stripped = code.lstrip()
            rows.append((stripped, mono, CODE))
        height = sum(f.get_linesize() + gap for _, f, _ in rows) + 2 * pad
        if code is not None and problem.column is not None:
            height += mono.get_linesize()
        height = min(height, int(sh * 0.7))
        box = pygame.Surface((sw - 16, height), pygame.SRCALPHA)
        pygame.draw.rect(box, BOX, box.get_rect(), border_radius=10)
        pygame.draw.rect(box, accent, pygame.Rect(0, 0, 6, height), border_top_left_radius=10,
                         border_bottom_left_radius=10)
        y = pad
        for text, font, colour in rows:
            if y + font.get_linesize() > height - pad // 2:
                break
            box.blit(font.render(text, True, colour), (pad + 6, y))
            y += font.get_linesize() + gap
        if code is not None and problem.column is not None:
            indent = len(code) - len(code.lstrip())
            before = code.lstrip()[:max(0, problem.column - 1 - indent)]
            x = pad + 6 + mono.size(before)[0]
            if y + mono.get_linesize() <= height:
                box.blit(mono.render("^", True, CARET), (x, y - gap - 2))
        self.screen.blit(box, (8, sh - height - 8))

    # ------------------------------------------------------------------ loop
    def run(self, max_frames: int | None = None, events: dict | None = None) -> int:
        """Run until the window closes (or for `max_frames` frames: tests and benches).

        `events` maps a frame number to a list of pygame events posted at its start
        (scripted input for tests)."""
        # Only what a sketch window needs: pygame.init() would also open audio devices.
        pygame.display.init()
        pygame.font.init()
        _font.cache_clear()   # fonts from before a pygame.quit() elsewhere are dead
        try:
            runner = self.runner
            if runner.current is None and runner.problem is None:
                runner.load(pump=self.pump)
            self._fit_window()
            clock = pygame.time.Clock()
            while not self.quit:
                if events and self.frames in events:
                    for event in events[self.frames]:
                        pygame.event.post(event)
                self.pump()
                if self.quit:
                    break
                runner.reload_if_changed(pump=self.pump)
                if runner.wants_frames and not self.quit:
                    runner.step(pump=self.pump)
                self.present()
                self.frames += 1
                if max_frames is not None and self.frames >= max_frames:
                    break
                # A still picture needs no 60 fps; 30 keeps reloads and messages snappy.
                clock.tick(runner.frame_rate if runner.wants_frames else 30)
            return 0
        finally:
            for said in self.runner.finish_recordings():
                print(said)
            pygame.display.quit()


def run_window(runner, max_frames: int | None = None, events: dict | None = None,
               title: str | None = None) -> int:
    """Open a window running `runner`'s sketch; returns when it is closed. Without a screen
    to open it on, an ArtkitError says so and how to run the sketch without a window."""
    from artkit.app.views import init_display

    init_display(f"run it without one with `artkit run {runner.path.name} --frames 60 --out "
                 f"picture.png`")
    return SketchWindow(runner, title).run(max_frames, events)
