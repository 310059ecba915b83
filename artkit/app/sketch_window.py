"""The window that runs a sketch: events in, frames out, messages on top.

It drives an `artkit.runner.SketchRunner` (which knows nothing about pygame): every frame it
hands the runner the mouse and key events, asks it to reload the file if it changed, lets it
draw a frame, and shows the canvas without copying it (the canvas's pixels are wrapped as a
pygame Surface). While sketch code runs (in the runner's worker thread) the window keeps
reading events, so closing it works even when a sketch is stuck in a loop.

Problems are shown in a box at the bottom of the window (and printed in the terminal by the
reporter): a red box for an error, a yellow one for a warning, which fades after a while.
The last good version of the sketch keeps running underneath when a new version fails.
"""

from __future__ import annotations

import time
from functools import lru_cache

import pygame

from artkit.app.views import CanvasView
from artkit.friendly import Problem

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

    # ------------------------------------------------------------------ window
    def _fit_window(self) -> None:
        """Open the window, or resize it when the sketch's size changed."""
        w, h = self.runner.size
        win = (max(w, MIN_WINDOW[0]), max(h, MIN_WINDOW[1]))
        if self.screen is None or self.screen.get_size() != win:
            self.screen = pygame.display.set_mode(win)
        self.offset = ((win[0] - w) // 2, (win[1] - h) // 2)
        name = self.runner.path.name
        pygame.display.set_caption(self.title or f"artkit - {name} (seed {self.runner.seed})")

    # ------------------------------------------------------------------ events
    def pump(self) -> None:
        """Read pending events: quit, or pass mouse and keys to the runner (which queues them
        for the sketch's next frame). Safe to call while sketch code is running."""
        ox, oy = self.offset
        for event in pygame.event.get():
            if event.type == pygame.QUIT or (event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE):
                self.quit = True
                self.runner.stop()
            elif event.type == pygame.MOUSEBUTTONDOWN and event.button in _BUTTONS:
                self._held_buttons.add(event.button)
                self.runner.mouse_pressed(event.pos[0] - ox, event.pos[1] - oy, _BUTTONS[event.button])
            elif event.type == pygame.MOUSEBUTTONUP and event.button in _BUTTONS:
                self._held_buttons.discard(event.button)
                self.runner.mouse_released(event.pos[0] - ox, event.pos[1] - oy, _BUTTONS[event.button])
            elif event.type == pygame.MOUSEMOTION:
                self.runner.mouse_moved(event.pos[0] - ox, event.pos[1] - oy)
            elif event.type == pygame.KEYDOWN:
                self.runner.key_pressed(key_name(event))
            elif event.type == pygame.KEYUP:
                self.runner.key_released(key_name(event))

    # ------------------------------------------------------------------ drawing
    def present(self) -> None:
        """Show the canvas and any message box, then flip."""
        self._fit_window()
        screen = self.screen
        screen.fill(BACKDROP)
        canvas = self.runner.canvas
        if canvas is not None:
            screen.blit(self._view.surface(canvas), self.offset)
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
            pygame.display.quit()


def run_window(runner, max_frames: int | None = None, events: dict | None = None,
               title: str | None = None) -> int:
    """Open a window running `runner`'s sketch; returns when it is closed."""
    return SketchWindow(runner, title).run(max_frames, events)
