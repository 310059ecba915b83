"""Side panels: regions beside the canvas that other parts of artkit can plug into the paint app.

A panel is laid out to the right of the canvas while it is `visible`, gets every event before
the painting does (so a panel can own a key, e.g. G for the GAN panel, even while hidden), is
updated once a frame and draws itself into its `rect`. The app re-lays the window out by itself
when a panel's visibility or width changes.

To add one: subclass `Panel`, then `app.add_panel(panel)`. A module `artkit.app.gan_panel` that
defines `attach(app)` is picked up automatically when the paint app starts (see
`PaintApp.attach_plugins`). A panel can replace the painting's source with `app.set_source(...)`
and handle dropped files by suffix through `app.drop_handlers[".pt"] = function(path)`.
"""

import pygame


class Panel:
    """Base class: override what you need; every method has a harmless default."""

    #: width in px of the region the panel wants beside the canvas while visible
    width = 280
    #: one line for the help overlay, e.g. ("G", "show or hide the GAN panel"); None for none
    help_line = None

    def __init__(self):
        self.visible = False
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.app = None

    def attach(self, app) -> None:
        """Called once when the panel is added to `app`."""
        self.app = app

    def handle_event(self, event) -> bool:
        """Return True when the panel used the event (the app then ignores it)."""
        return False

    def update(self, dt: float) -> None:
        """Advance by `dt` seconds (called every frame, visible or not)."""

    def draw(self, screen: pygame.Surface, force: bool = False) -> bool:
        """Draw into `self.rect` on `screen` (called every frame while visible). Return False
        to say nothing changed since the last frame and nothing was drawn (the screen keeps
        what it shows); when `force` is True the whole window is being redrawn: draw all."""
        return True

    def close(self) -> None:
        """Release resources (threads, files) when the app quits."""
