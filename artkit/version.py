"""artkit's version, in a module of its own.

Modules that stamp the version into files (PNG metadata, checkpoints, `artkit --version`)
import it from here rather than from the `artkit` package, whose `go()` reaches up to the
runner: importing the package's __init__ from below would point back up the layers.
"""

__version__ = "0.1.0"
