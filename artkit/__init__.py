"""artkit: a creative-coding painting and generative-art toolkit.

`import artkit` stays light: it imports neither pygame nor torch.
"""

from artkit.version import __version__

__all__ = ["__version__", "go"]


def go():
    """Run the sketch file that called this in a window (so an editor's Run button works).

    The package itself is the entry point here, like the command line: it may open the
    window, which the core below it never does."""
    from artkit.runner import caller_sketch

    runner = caller_sketch()
    if runner is not None:
        from artkit.app.sketch_window import run_window

        run_window(runner)
