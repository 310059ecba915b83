"""How a canvas is shown: a pygame Surface over its pixels, without copying them, scaled to
fit a window of any size; and whether there is a screen to show it on at all.

skia draws straight into the canvas's numpy array; the window blits a Surface that shares that
memory, so what is painted shows without a copy. This lives in the app because the core never
imports pygame.
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings

import pygame

from artkit.errors import ArtkitError

# SDL's drivers that draw nowhere: it falls back to them when it finds no screen.
HEADLESS_DRIVERS = ("offscreen", "dummy")


def init_display(headless_alternative: str) -> None:
    """Start pygame's display, or raise an ArtkitError naming `headless_alternative` (how to
    get the same result without a window) when there is no screen to open a window on.

    Without a screen (over SSH, no DISPLAY or WAYLAND_DISPLAY) SDL quietly falls back to its
    offscreen driver and a window would "open" where nobody can see it, forever. A driver
    asked for by name (SDL_VIDEODRIVER=dummy, as the tests do) is respected."""
    asked = [d.strip().lower() for d in os.environ.get("SDL_VIDEODRIVER", "").split(",")]
    # Where no screen answers, SDL's tries print noise (libwayland's XDG_RUNTIME_DIR
    # complaint) before it falls back: hold stderr for the try, since the sentence below says
    # it better. A driver asked for by name keeps its messages.
    quiet = sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")) and not any(asked)
    with _stderr_held(quiet):
        try:
            pygame.display.init()
            driver = pygame.display.get_driver().lower()
        except pygame.error:
            driver = None
    if driver is None or (driver in HEADLESS_DRIVERS and driver not in asked):
        pygame.display.quit()
        raise ArtkitError(no_window_sentence(headless_alternative))


def resize_display(size) -> pygame.Surface:
    """Give the open window `size`, where it stands, and return its surface (the same Surface
    object, resized). pygame's set_mode makes a new window every time on X11, which a window
    manager places anew: under openbox 20 px lower on each GAN panel toggle, until the
    window's bottom left the screen. Where this pygame has no way to the window, set_mode."""
    window = _display_window()
    if window is None:
        return pygame.display.set_mode(size, pygame.RESIZABLE)
    window.size = size
    return pygame.display.get_surface()


def fullscreen_display(on: bool, windowed_size) -> pygame.Surface:
    """Fill the screen with the open window (`on`), or make it a window of `windowed_size`
    again, in place as resize_display does; returns its surface."""
    window = _display_window()
    if window is None:
        return (pygame.display.set_mode((0, 0), pygame.FULLSCREEN) if on
                else pygame.display.set_mode(windowed_size, pygame.RESIZABLE))
    if on:
        window.set_fullscreen(desktop=True)
    else:
        window.set_windowed()
        window.size = windowed_size
    return pygame.display.get_surface()


def _display_window():
    """The pygame.Window of set_mode's window (pygame-ce 2.4+), or None. Its way there is
    deprecated in favour of rendering through a Window, so that warning is kept quiet: a
    pygame without it gets set_mode."""
    from_display = getattr(getattr(pygame, "Window", None), "from_display_module", None)
    if from_display is None or pygame.display.get_surface() is None:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            return from_display()
        except pygame.error:
            return None


@contextlib.contextmanager
def _stderr_held(hold: bool):
    """Send what C libraries print on stderr to nowhere inside the block (when `hold`)."""
    if not hold:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as nowhere:
            os.dup2(nowhere.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def no_window_sentence(headless_alternative: str) -> str:
    named = {name: os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY")
             if os.environ.get(name)}
    if named:   # a screen is named, but it did not answer (its server stopped, a stale name)
        which = " and ".join(f"{name}={value}" for name, value in named.items())
        why = f"the screen named by {which} does not answer (is its server running?)"
    else:
        why = ("there is no screen to show it on (DISPLAY and WAYLAND_DISPLAY are not set, as "
               "over SSH)")
    return f"Can't open a window here: {why}; {headless_alternative}."


class CanvasView:
    """`surface(canvas)`: a Surface sharing `canvas`'s pixel memory, rebuilt only when that
    memory changes (a new canvas, a resized one).

    mode "RGBA" keeps the canvas's alpha (a sketch may clear to transparent); "RGBX" ignores
    it, for an opaque canvas, where an alpha-blended blit would cost 20x more per frame."""

    def __init__(self, mode: str = "RGBA"):
        self.mode = mode
        self._key = None
        self._surface: pygame.Surface | None = None

    def surface(self, canvas) -> pygame.Surface:
        pixels = canvas.pixels()
        key = (pixels.__array_interface__["data"][0], pixels.shape)
        if key != self._key:
            self._surface = pygame.image.frombuffer(pixels, (pixels.shape[1], pixels.shape[0]),
                                                    self.mode)
            self._key = key
        return self._surface


# ---------------------------------------------------------------------------------------------
# Showing a canvas scaled to fit a window of any size

def fit_rect(size, area: pygame.Rect, grow: bool = True) -> pygame.Rect:
    """Where a picture of `size` (w, h) shows, as large as fits in `area` keeping its shape,
    centred; never larger than its own pixels unless `grow`."""
    w, h = size
    k = min(area.width / w, area.height / h)
    if not grow:
        k = min(k, 1.0)
    vw, vh = max(1, round(w * k)), max(1, round(h * k))
    return pygame.Rect(area.x + (area.width - vw) // 2, area.y + (area.height - vh) // 2, vw, vh)


def to_canvas(pos, view: pygame.Rect, size) -> tuple[float, float]:
    """Canvas coordinates (float) of window point `pos` on a canvas of `size` shown in `view`."""
    return ((pos[0] - view.x) * size[0] / view.width, (pos[1] - view.y) * size[1] / view.height)


def to_view(x: float, y: float, view: pygame.Rect, size) -> tuple[float, float]:
    """Window coordinates (float) of canvas point (x, y): the inverse of `to_canvas`."""
    return (view.x + x * view.width / size[0], view.y + y * view.height / size[1])


def pointer_scale() -> tuple[float, float]:
    """Window-event coordinates to drawing-surface pixels. 1 almost everywhere; on a HiDPI
    screen where the window's surface has more pixels than the window has points (macOS with
    high-DPI windows), pointer positions must be multiplied by this to land on the surface."""
    surface = pygame.display.get_surface()
    try:
        window = pygame.display.get_window_size()
    except pygame.error:
        return (1.0, 1.0)
    if surface is None or not window[0] or not window[1]:
        return (1.0, 1.0)
    return (surface.get_width() / window[0], surface.get_height() / window[1])


def blit_fitted(screen: pygame.Surface, picture: pygame.Surface, view: pygame.Rect,
                box=None) -> pygame.Rect | None:
    """Draw `picture` (a canvas-sized Surface) scaled into `view`; with `box` (x, y, w, h in
    canvas pixels) only that part. Returns the screen area drawn (None if nothing).

    1:1 is a plain blit. Scaled, the part is cut out on whole canvas pixels (a pixel more on
    each side, so neighbouring updates overlap rather than leave a seam) and smooth-scaled to
    exactly where the whole picture would put it."""
    size = picture.get_size()
    if box is None:
        box = (0, 0, size[0], size[1])
    if view.size == size:
        part = pygame.Rect(box).clip(pygame.Rect((0, 0), size))
        if part.width <= 0 or part.height <= 0:
            return None
        return screen.blit(picture, part.move(view.topleft), part)
    x, y, w, h = box
    x0, y0 = max(0, int(x) - 1), max(0, int(y) - 1)
    x1, y1 = min(size[0], int(x + w) + 2), min(size[1], int(y + h) + 2)
    if x1 <= x0 or y1 <= y0:
        return None
    left, top = (round(v) for v in to_view(x0, y0, view, size))
    right, bottom = (round(v) for v in to_view(x1, y1, view, size))
    if right <= left or bottom <= top:
        return None
    part = picture.subsurface((x0, y0, x1 - x0, y1 - y0))
    scaled = pygame.transform.smoothscale(part, (right - left, bottom - top))
    if picture.get_alpha() is not None:   # a see-through layer (the Tab overlay) stays so
        scaled.set_alpha(picture.get_alpha())
    return screen.blit(scaled, (left, top))
