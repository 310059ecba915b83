"""Which sketch is running now: the one `SketchContext` that drawing commands go through.

The beginner API (`artkit.api`) forwards every command to this context, and the turtle draws
on its canvas when no canvas is given. Both import this small module rather than each other,
so the beginner facade stays a facade and the turtle stays usable without it.

Outside the runner (an editor running a file before `artkit.go()`, or a test) a scratch
context stands in, so commands still work.
"""

from __future__ import annotations

from artkit.sketch import SketchContext

__all__ = ["use", "current", "current_canvas"]

_context = SketchContext()


def use(context: SketchContext) -> SketchContext:
    """Make `context` the one every command draws through (the runner calls this)."""
    global _context
    _context = context
    return context


def current() -> SketchContext:
    """The SketchContext commands draw through now."""
    return _context


def current_canvas():
    """The canvas of the sketch running now."""
    return _context.canvas
