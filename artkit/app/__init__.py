"""The pygame side of artkit: the paint app's window, its toolbar and overlays, side panels.

Core modules never import this package; `artkit paint` imports it when the window opens.
"""

import os

# pygame prints a banner on import unless told not to; artkit's own output should stand alone.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
