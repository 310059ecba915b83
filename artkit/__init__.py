"""artkit: a creative-coding painting and generative-art toolkit.

`import artkit` stays light: it imports neither pygame nor torch.
"""

__version__ = "0.1.0"


def go():
    """Run the sketch file that called this (so an editor's Run button works)."""
    from artkit.runner import go as _go

    _go()
