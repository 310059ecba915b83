"""Clickable regions of a side strip, as last drawn: (screen rect, target) pairs.

The toolbar and the GAN panel draw themselves, note where each clickable thing landed, and
look clicks up here; tests find a button's rect by its target to click it.
"""

from __future__ import annotations

import pygame


class HitMap:
    def __init__(self):
        self._items: list[tuple[pygame.Rect, tuple]] = []

    def replace(self, items) -> None:
        """The regions of the latest drawing (screen coordinates)."""
        self._items = list(items)

    def at(self, pos) -> tuple[pygame.Rect, tuple] | None:
        """(rect, target) of the region under `pos`, or None."""
        for rect, target in self._items:
            if rect.collidepoint(pos):
                return rect, target
        return None

    def rect_of(self, target) -> pygame.Rect | None:
        """Screen rect of a clickable thing, e.g. ("brush", "flow") or ("button", "train")."""
        for rect, t in self._items:
            if t == target:
                return rect.copy()
        return None
