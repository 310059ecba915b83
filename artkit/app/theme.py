"""The paint app's look: one palette, one set of fonts, a few drawing helpers.

Everything the window draws around the canvas takes its colours and fonts from here, so the
toolbar, help overlay, toasts and side panels (including ones written later) look like one tool.
"""

from functools import lru_cache

import pygame

# A dark, warm-neutral frame makes the painting the brightest thing on screen.
BACKDROP = (30, 31, 34)  # behind the canvas where the window is larger than it
SIDEBAR = (38, 40, 44)
SIDEBAR_EDGE = (56, 59, 65)
ROW_HOVER = (50, 53, 59)
ACCENT = (232, 165, 86)  # the current brush, toggles that are on
ACCENT_TEXT = (33, 26, 18)
TEXT = (232, 229, 222)
TEXT_DIM = (150, 150, 156)
TEXT_FAINT = (110, 112, 118)
BADGE = (62, 65, 72)
OVERLAY_BG = (24, 25, 28, 228)  # help overlay and toasts: nearly opaque, so text stays legible
TOAST_ERROR = (196, 78, 66)
TOAST_OK = (96, 168, 112)

# The canvas starts as warm paper rather than screen white: translucent marks read better on it.
PAPER = (248, 245, 238)

# Preferred faces in order; pygame's bundled font is the fallback when none is installed.
FONT_FACES = "dejavusans,segoeui,helveticaneue,helvetica,arial,liberationsans,freesans"


@lru_cache(maxsize=None)
def _font_path(bold: bool):
    path = pygame.font.match_font(FONT_FACES, bold=bold)
    return path  # None means pygame's default font


@lru_cache(maxsize=None)
def font(size: int, bold: bool = False) -> pygame.font.Font:
    """A cached font of `size` px; bold where the system has a bold face."""
    if not pygame.font.get_init():
        pygame.font.init()
    path = _font_path(bold)
    face = pygame.font.Font(path, size)
    if bold and path is None:
        face.set_bold(True)
    return face


def reset_fonts() -> None:
    """Forget cached fonts: they die with pygame.font.quit(), and a new window may follow."""
    font.cache_clear()


def text(surface, string, pos, size=14, colour=TEXT, bold=False, anchor="topleft"):
    """Draw antialiased `string` at `pos` (anchored like a pygame Rect attribute); returns its rect."""
    image = font(size, bold).render(string, True, colour)
    rect = image.get_rect(**{anchor: pos})
    surface.blit(image, rect)
    return rect


def wrap(string, size, width, bold=False):
    """Split `string` into lines that fit in `width` px at font `size`."""
    face = font(size, bold)
    lines, line = [], ""
    for word in string.split():
        trial = f"{line} {word}".strip()
        if line and face.size(trial)[0] > width:
            lines.append(line)
            line = word
        else:
            line = trial
    if line:
        lines.append(line)
    return lines


def rounded_panel(size, colour, radius=10):
    """A translucent rounded rectangle on its own SRCALPHA surface (pygame.draw ignores alpha
    on opaque targets, so translucent shapes are drawn here and then blitted)."""
    panel = pygame.Surface(size, pygame.SRCALPHA)
    pygame.draw.rect(panel, colour, panel.get_rect(), border_radius=radius)
    return panel


def key_badge(surface, label, pos, size=12, active=False, anchor="midleft"):
    """A small rounded key cap with `label` (e.g. "1", "Tab") at `pos` (its `anchor` point)."""
    face = font(size, bold=True)
    image = face.render(label, True, ACCENT_TEXT if active else TEXT)
    w = max(image.get_width() + 10, 20)
    h = image.get_height() + 4
    rect = pygame.Rect(0, 0, w, h)
    setattr(rect, anchor, pos)
    pygame.draw.rect(surface, (250, 214, 166) if active else BADGE, rect, border_radius=5)
    surface.blit(image, image.get_rect(center=rect.center))
    return rect


def window_icon() -> pygame.Surface:
    """artkit's window icon, drawn in code: three warm hair-strokes on a dark rounded tile
    (drawn 4x larger and scaled down, since pygame.draw does not antialias)."""
    k = 4
    big = pygame.Surface((64 * k, 64 * k), pygame.SRCALPHA)
    pygame.draw.rect(big, SIDEBAR, big.get_rect(), border_radius=14 * k)
    for i, colour in enumerate(((232, 165, 86), (214, 110, 92), (120, 140, 200))):
        rect = pygame.Rect((6 + i * 7) * k, (14 + i * 7) * k, 70 * k, 56 * k)
        pygame.draw.arc(big, colour, rect, 1.75, 3.0, 7 * k)
    return pygame.transform.smoothscale(big, (64, 64))
