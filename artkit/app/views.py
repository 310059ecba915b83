"""A pygame Surface over a canvas's pixels, without copying them.

skia draws straight into the canvas's numpy array; the window blits a Surface that shares that
memory, so what is painted shows without a copy. This lives in the app because the core never
imports pygame.
"""

from __future__ import annotations

import pygame


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
