"""The toolbar: a strip at the left of the window with the brushes, the brush size, the source
and the main actions. Everything on it is clickable; everything on it also has a key.

It re-renders only when what it shows changes (its state tuple), so it costs one blit a frame.
"""

from dataclasses import dataclass

import numpy as np
import pygame

from artkit.app import theme
from artkit.app.hits import HitMap
from artkit.brushes.base import SIZE_MAX, SIZE_MIN

WIDTH = 212
PAD = 14
ROW_H = 26
MIN_HEIGHT = 666  # the window is at least this tall so the toolbar always fits (12 brushes)


@dataclass(frozen=True)
class ToolbarState:
    """Everything the toolbar shows; a new value means a redraw."""

    brushes: tuple  # ((key label, brush name), ...)
    current: str
    summary: str
    size: float
    autopaint: bool
    overlay: bool
    source_id: int
    hover: object  # the hit-test result under the pointer, or None
    plan: str = "uniform"       # how autopaint paints: "uniform" or "layered"
    autopaint_note: str = ""    # e.g. "layer 2/3" while a layered autopaint runs


# Actions listed at the bottom of the toolbar: (action name, key label, text)
ACTIONS = (
    ("autopaint", "A", "autopaint"),
    ("undo", "Ctrl Z", "undo"),
    ("redo", "Ctrl Y", "redo"),
    ("clear", "C", "clear"),
    ("save", "S", "save PNG"),
    ("help", "H", "all keys"),
)


def brush_label(name: str) -> str:
    return name.replace("_", " ")


class Toolbar:
    def __init__(self):
        self.rect = pygame.Rect(0, 0, WIDTH, MIN_HEIGHT)
        self._image = None
        self._state = None
        self._hits = HitMap()
        self._thumb = None
        self._thumb_key = None

    # -- hit testing -------------------------------------------------------------------------
    def hit(self, pos):
        """("brush", name), ("action", name), ("size", fraction 0..1) or None at screen `pos`."""
        found = self._hits.at(pos)
        if found is None:
            return None
        rect, target = found
        if target[0] == "size":
            frac = (pos[0] - rect.left) / max(1, rect.width)
            return ("size", min(1.0, max(0.0, frac)))
        return target

    def target_rect(self, target) -> pygame.Rect | None:
        """Screen rect of a clickable thing, e.g. ("brush", "flow") or ("action", "save")."""
        return self._hits.rect_of(target)

    # -- drawing -----------------------------------------------------------------------------
    def set_source_thumbnail_from(self, source) -> None:
        """Show a small picture of `source` (a SourceImage); cheap when it hasn't changed."""
        if source is self._thumb_key:
            return
        arr = np.ascontiguousarray(source.to_array()[..., :3])
        surf = pygame.image.frombuffer(arr.tobytes(), (arr.shape[1], arr.shape[0]), "RGB")
        w = WIDTH - 2 * PAD
        h = max(1, round(w * arr.shape[0] / arr.shape[1]))
        self._thumb = pygame.transform.smoothscale(surf, (w, h))
        self._thumb_key = source
        self._image = None

    def draw(self, screen: pygame.Surface, state: ToolbarState, force: bool = False) -> bool:
        """Blit the toolbar if it changed (or `force`); True when it was drawn."""
        stale = (self._image is None or state != self._state
                 or self._image.get_height() != self.rect.h)
        if stale:
            self._image = self._render(state)
            self._state = state
        if stale or force:
            screen.blit(self._image, self.rect)
        return stale or force

    def _render(self, s: ToolbarState) -> pygame.Surface:
        img = pygame.Surface(self.rect.size)
        img.fill(theme.SIDEBAR)
        pygame.draw.line(img, theme.SIDEBAR_EDGE, (WIDTH - 1, 0), (WIDTH - 1, self.rect.h))
        hits = []
        inner_w = WIDTH - 2 * PAD

        def hit(rect, target):
            hits.append((rect.move(self.rect.topleft), target))

        # title
        r = theme.text(img, "artkit", (PAD, 14), 21, bold=True)
        theme.text(img, "paint", (r.right + 7, r.bottom - 4), 14, theme.TEXT_DIM, anchor="bottomleft")

        # brushes
        y = 56
        self._section(img, "Brushes", y)
        y += 20
        for key, name in s.brushes:
            row = pygame.Rect(PAD - 6, y, inner_w + 12, ROW_H - 2)
            current = name == s.current
            if current:
                pygame.draw.rect(img, theme.ACCENT, row, border_radius=7)
            elif s.hover == ("brush", name):
                pygame.draw.rect(img, theme.ROW_HOVER, row, border_radius=7)
            if key:
                theme.key_badge(img, key, (PAD, row.centery), 12, active=current)
            colour = theme.ACCENT_TEXT if current else theme.TEXT
            theme.text(img, brush_label(name), (PAD + 34, row.centery), 15, colour,
                       bold=current, anchor="midleft")
            hit(row, ("brush", name))
            y += ROW_H
        if any(not key for key, _ in s.brushes):
            theme.text(img, ",  .  previous / next brush", (PAD, y + 2), 11, theme.TEXT_FAINT)
            y += 16

        # what the current brush does
        y += 6
        for line in theme.wrap(s.summary, 12, inner_w)[:3]:
            theme.text(img, line, (PAD, y), 12, theme.TEXT_DIM)
            y += 15

        # size: a slider on a logarithmic scale, like the wheel and [ ] keys
        y += 12
        self._section(img, "Size", y)
        theme.text(img, f"{s.size:.0f} px", (WIDTH - PAD, y - 2), 13, theme.TEXT, bold=True,
                   anchor="topright")
        y += 24
        track = pygame.Rect(PAD, y, inner_w, 6)
        pygame.draw.rect(img, theme.BADGE, track, border_radius=3)
        frac = size_to_fraction(s.size)
        filled = track.copy()
        filled.width = max(6, round(track.width * frac))
        pygame.draw.rect(img, theme.ACCENT, filled, border_radius=3)
        pygame.draw.circle(img, theme.TEXT, (track.left + round(track.width * frac), track.centery), 8)
        hit(track.inflate(0, 18), ("size", 0.0))
        y += 14
        theme.text(img, "wheel or [ ]", (PAD, y), 11, theme.TEXT_FAINT)
        y += 22

        # actions, bottom-up so they stay at the bottom edge whatever the height
        bottom = self.rect.h - 10
        rows = len(ACTIONS)
        top_actions = bottom - rows * 24
        yy = top_actions
        for action, key, label in ACTIONS:
            row = pygame.Rect(PAD - 6, yy, inner_w + 12, 22)
            on = action == "autopaint" and s.autopaint
            if on:
                pygame.draw.rect(img, theme.ACCENT, row, border_radius=6)
            elif s.hover == ("action", action):
                pygame.draw.rect(img, theme.ROW_HOVER, row, border_radius=6)
            theme.key_badge(img, key, (WIDTH - PAD, row.centery), 11, active=on,
                            anchor="midright")
            if action == "autopaint":   # which plan it follows (L switches), and its layer
                label += f"  · {s.autopaint_note or 'on'}" if on else f"  · {s.plan}"
            theme.text(img, label, (PAD, row.centery), 14,
                       theme.ACCENT_TEXT if on else theme.TEXT, bold=on, anchor="midleft")
            hit(row, ("action", action))
            yy += 24

        # the source, in whatever room is left between the size and the actions
        room = top_actions - 12 - y
        if self._thumb is not None and room > 60:
            self._section(img, "Source", y)
            theme.key_badge(img, "Tab", (WIDTH - PAD, y + 6), 11, active=s.overlay,
                            anchor="midright")
            y += 22
            thumb = self._thumb
            if thumb.get_height() > room - 24:
                h = room - 24
                w = round(thumb.get_width() * h / thumb.get_height())
                thumb = pygame.transform.smoothscale(thumb, (w, h))
            rect = thumb.get_rect(midtop=(WIDTH // 2, y))
            img.blit(thumb, rect)
            pygame.draw.rect(img, theme.SIDEBAR_EDGE, rect.inflate(2, 2), 1)
            hit(rect, ("action", "overlay"))
        self._hits.replace(hits)
        return img

    @staticmethod
    def _section(img, title, y):
        theme.text(img, title.upper(), (PAD, y), 11, theme.TEXT_FAINT, bold=True)


# The size slider spans the brushes' sizes (SIZE_MIN..SIZE_MAX, 1..200 px) on a log scale, so
# small sizes get as much travel as big ones.
def size_to_fraction(size: float) -> float:
    f = np.log(max(SIZE_MIN, min(SIZE_MAX, size)) / SIZE_MIN) / np.log(SIZE_MAX / SIZE_MIN)
    return float(f)


def fraction_to_size(frac: float) -> float:
    return float(SIZE_MIN * (SIZE_MAX / SIZE_MIN) ** min(1.0, max(0.0, frac)))
