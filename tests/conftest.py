import os
import tempfile

# Headless before anything imports pygame.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

# Hermetic: no network (the GAN lab would otherwise try a checksummed MNIST download), and
# sessions, journals and GAN runs go to a throw-away data folder, never the user's.
os.environ.setdefault("ARTKIT_OFFLINE", "1")
os.environ.setdefault("ARTKIT_HOME", tempfile.mkdtemp(prefix="artkit-test-home-"))
