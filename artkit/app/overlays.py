"""What floats over the canvas: toast messages and the help overlay."""

from dataclasses import dataclass

import pygame

from artkit.app import theme


@dataclass
class Toast:
    message: str
    kind: str  # "info", "ok" or "error": the colour of the stripe on its left
    seconds_left: float


class Toasts:
    """Short messages stacked at the bottom of the canvas, fading out after a few seconds."""

    FADE = 0.5  # seconds of fade-out at the end of a toast's life
    MAX_SHOWN = 4

    def __init__(self):
        self.items: list[Toast] = []
        self._cache: dict[tuple, pygame.Surface] = {}

    def show(self, message: str, kind: str = "info", seconds: float = 4.0) -> None:
        self.items.append(Toast(message, kind, seconds))
        self.items = self.items[-self.MAX_SHOWN:]

    @property
    def messages(self) -> list[str]:
        return [t.message for t in self.items]

    def update(self, dt: float) -> None:
        for t in self.items:
            t.seconds_left -= dt
        self.items = [t for t in self.items if t.seconds_left > 0]

    def _render(self, message, kind, max_width):
        key = (message, kind, max_width)
        image = self._cache.get(key)
        if image is None:
            lines = theme.wrap(message, 15, max_width - 40)
            line_h = theme.font(15).get_linesize()
            w = min(max_width, max(theme.font(15).size(line)[0] for line in lines) + 40)
            h = line_h * len(lines) + 20
            image = theme.rounded_panel((w, h), theme.OVERLAY_BG, radius=9)
            stripe = {"error": theme.TOAST_ERROR, "ok": theme.TOAST_OK}.get(kind, theme.ACCENT)
            pygame.draw.rect(image, stripe, (8, 8, 4, h - 16), border_radius=2)
            for i, line in enumerate(lines):
                theme.text(image, line, (24, 10 + i * line_h), 15)
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[key] = image
        return image

    def layout(self, area: pygame.Rect) -> list[tuple[pygame.Surface, pygame.Rect]]:
        """Where the live toasts go: stacked upwards from the bottom centre of `area`."""
        placed = []
        bottom = area.bottom - 14
        max_width = max(160, min(area.width - 24, 640))
        for t in reversed(self.items):
            image = self._render(t.message, t.kind, max_width)
            alpha = 255 if t.seconds_left > self.FADE else int(255 * t.seconds_left / self.FADE)
            image.set_alpha(alpha)
            rect = image.get_rect(midbottom=(area.centerx, bottom))
            placed.append((image, rect))
            bottom = rect.top - 8
        return placed

    def draw(self, screen: pygame.Surface, placed) -> None:
        for image, rect in placed:
            screen.blit(image, rect)


class HelpOverlay:
    """Every key the app understands, in a readable box over the canvas (H toggles it)."""

    def __init__(self):
        self.visible = False
        self._image = None
        self._lines = None

    def draw(self, screen: pygame.Surface, area: pygame.Rect, lines) -> None:
        """Draw the box centred over `area` (the canvas column, so the toolbar stays in view),
        or over the window when it is wider than that area. `lines` are (keys, what they do)
        pairs; a pair with empty keys is a section title."""
        lines = tuple(lines)
        if self._image is None or self._lines != lines:
            self._image = self._render(lines)
            self._lines = lines
        window = screen.get_rect()
        rect = self._image.get_rect(center=area.center)
        if rect.width > area.width:
            rect.centerx = window.centerx
        screen.blit(self._image, rect.clamp(window))

    def _render(self, lines):
        key_w = max(theme.font(14, True).size(k)[0] for k, _ in lines if k) + 28
        desc_w = max(theme.font(14).size(d)[0] for _, d in lines)
        row_h = 24
        w = key_w + desc_w + 64
        h = 76 + row_h * len(lines) + 36
        image = theme.rounded_panel((w, h), theme.OVERLAY_BG, radius=14)
        theme.text(image, "artkit paint — keys", (32, 22), 20, bold=True)
        y = 66
        for keys, desc in lines:
            if not keys:  # section title
                theme.text(image, desc.upper(), (32, y + 6), 11, theme.ACCENT, bold=True)
            else:
                theme.text(image, keys, (32, y + 3), 14, theme.ACCENT, bold=True)
                theme.text(image, desc, (32 + key_w, y + 3), 14)
            y += row_h
        theme.text(image, "press H or Esc to close", (w // 2, h - 20), 12, theme.TEXT_DIM,
                   anchor="center")
        return image
