import os
import shutil
import subprocess
import tempfile

# Headless before anything imports pygame.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

# Hermetic: no network (the GAN lab would otherwise try a checksummed MNIST download), and
# sessions, journals and GAN runs go to a throw-away data folder, never the user's.
os.environ.setdefault("ARTKIT_OFFLINE", "1")
os.environ.setdefault("ARTKIT_HOME", tempfile.mkdtemp(prefix="artkit-test-home-"))


import pytest  # noqa: E402  (after the environment above, like every import of artkit)


@pytest.fixture(autouse=True)
def default_marks():
    """Every test starts and ends with artkit's default drawing (compiled loops, not skia for
    every mark): `use_exact_marks` is a process-wide switch that must not leak between tests."""
    from artkit.strokes import use_exact_marks

    use_exact_marks(False)
    yield
    use_exact_marks(False)


@pytest.fixture
def tiny_disk(tmp_path):
    """A 600 KB tmpfs (needs root and a kernel that lets us mount): a disk that really
    fills. Skipped, saying why, where it can't be mounted."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root and mount(8)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"can't mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], capture_output=True)
