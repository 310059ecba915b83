"""Sessions on disk: every one kept, one window each, pruned only past the budget, and the
painter's processes never losing a gesture."""

import datetime as dt
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from artkit.cli import main
from artkit.errors import ArtkitError
from artkit.session import PaintSession
from artkit.sessions import KEEP_RECENT, SessionBusy, SessionStore
from artkit.strokelog import StrokeLog


@pytest.fixture
def home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("ARTKIT_HOME", str(home))
    return home


def painted(store, when, gestures=1, size=(64, 48)):
    """A closed session begun at `when` with `gestures` dabs gestures in it."""
    lock = store.create(when)
    session = PaintSession(size, brush="dabs", seed=1)
    session.journal_to(lock.journal)
    for i in range(gestures):
        session.paint([(10 + i, 10), (40, 30)])
        session.end_gesture()
    session.log.close()
    lock.release()
    stamp = when.timestamp()
    os.utime(lock.journal, (stamp, stamp))
    return lock.id


def test_ids_follow_the_clock_and_never_collide(tmp_path):
    store = SessionStore(tmp_path / "s")
    when = dt.datetime(2026, 12, 5, 9, 30, 0)
    a, b = store.create(when), store.create(when)
    assert (a.id, b.id) == ("20261205-093000", "20261205-093000-2")
    a.release(), b.release()


def test_a_held_session_is_busy_until_released(tmp_path):
    store = SessionStore(tmp_path / "s")
    session_id = painted(store, dt.datetime(2026, 1, 1, 10))
    lock = store.acquire(session_id)
    with pytest.raises(SessionBusy, match="open in another window"):
        store.acquire(session_id)
    assert store.is_busy(session_id)
    lock.release()
    assert not store.is_busy(session_id)
    store.acquire(session_id).release()


def test_resume_finds_the_latest_or_any_by_id(tmp_path):
    store = SessionStore(tmp_path / "s")
    old = painted(store, dt.datetime(2026, 1, 1, 10))
    new = painted(store, dt.datetime(2026, 2, 1, 10))
    assert store.resolve(None) == store.resolve("latest") == new
    assert store.resolve(old) == old and store.resolve("20260101") == old
    with pytest.raises(ArtkitError, match="could be any of"):
        store.resolve("2026")
    with pytest.raises(ArtkitError, match="There is no session"):
        store.resolve("1999")
    with pytest.raises(ArtkitError, match="no painting session to resume yet"):
        SessionStore(tmp_path / "empty").resolve(None)


def test_ten_plain_starts_keep_ten_sessions(home, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for _ in range(10):
        assert main(["paint", "--size", "64x48", "--frames", "1"]) == 0
    assert len(SessionStore().ids()) == 10


def test_listing_says_what_each_session_holds(home, capsys):
    store = SessionStore()
    session_id = painted(store, dt.datetime(2026, 3, 1, 12), gestures=3)
    assert main(["sessions"]) == 0
    out = capsys.readouterr().out
    assert session_id in out and "64x48" in out and "3 gestures" in out and "dabs" in out
    info = store.info(session_id)
    assert info.gestures == 3 and info.size == (64, 48) and not info.busy


def test_pruning_keeps_the_recent_ten_and_removes_blank_ones_first(tmp_path):
    store = SessionStore(tmp_path / "s")
    start = dt.datetime(2026, 1, 1)
    ids = [painted(store, start + dt.timedelta(days=i), gestures=0 if i in (3, 5) else 1)
           for i in range(20)]
    assert store.prune(max_sessions=20) == []             # within the budget: nothing goes
    removed = store.prune(max_sessions=15)
    assert [r.id for r in removed] == [ids[3], ids[5], ids[0], ids[1], ids[2]]
    assert set(store.ids()) == set(ids) - {r.id for r in removed}
    removed = store.prune(max_sessions=1)                   # far over: the recent ten stay
    assert store.ids() == ids[::-1][:KEEP_RECENT]
    assert not list(store.folder.glob(f"{ids[0]}.*"))      # every file of a pruned session


def test_pruning_never_touches_an_open_session(tmp_path):
    store = SessionStore(tmp_path / "s")
    start = dt.datetime(2026, 1, 1)
    ids = [painted(store, start + dt.timedelta(days=i)) for i in range(12)]
    with store.acquire(ids[0]):
        removed = store.prune(max_sessions=1)
    assert ids[0] in store.ids() and [r.id for r in removed] == [ids[1]]


def test_pruning_by_bytes(tmp_path):
    store = SessionStore(tmp_path / "s")
    start = dt.datetime(2026, 1, 1)
    ids = [painted(store, start + dt.timedelta(days=i), gestures=4) for i in range(12)]
    one = store.info(ids[0]).bytes
    removed = store.prune(max_bytes=11 * one)
    assert [r.id for r in removed] == [ids[0]]


def test_an_older_artkits_journals_are_adopted(tmp_path):
    base = tmp_path / "data"
    base.mkdir()
    for name in ("session.strokes", "session.strokes.previous"):
        session = PaintSession((32, 24), brush="dabs", seed=1)
        session.paint([(5, 5), (20, 20)])
        session.log.save(base / name)
    store = SessionStore(base / "sessions")
    assert len(store.adopted) == 2 and len(store.ids()) == 2
    assert not (base / "session.strokes").exists()
    assert all(store.info(i).gestures == 1 for i in store.ids())


# -- two windows on one session, in real processes ------------------------------------------------

WINDOW = textwrap.dedent("""
    import os, sys, time, numpy as np, pygame
    from artkit.cli import main
    import artkit.app.paint_app as pa

    def run(self, max_frames=None, script=None):
        # Both windows are open (each holds a session) before either paints: then GESTURES
        # strokes, one a frame.
        print("READY", flush=True)
        deadline = time.monotonic() + 120   # never outlive a test that failed
        while not os.path.exists("go") and time.monotonic() < deadline:
            time.sleep(0.01)
        gestures, ev = int(sys.argv[1]), pygame.event.Event
        rng = np.random.default_rng(int(sys.argv[2]))
        frames = []
        for _ in range(gestures):
            a, b = (self.to_window(*p) for p in rng.uniform(5, 95, (2, 2)))
            frames += [[ev(pygame.MOUSEBUTTONDOWN, pos=a, button=1)],
                       [ev(pygame.MOUSEMOTION, pos=b, rel=(0, 0), buttons=(1, 0, 0))],
                       [ev(pygame.MOUSEBUTTONUP, pos=b, button=1)]]
        for frame in frames:
            self.step(frame)
        print("GESTURES", len(self.session.log.gestures), flush=True)

    pa.PaintApp.run = run
    sys.exit(main(["paint", "--resume", "--frames", "1"] if sys.argv[3] == "resume"
                  else ["paint", "--size", "100x80", "--seed", "2", "--frames", "1"]))
""")


def window(home, tmp_path, gestures, seed, mode):
    env = dict(os.environ, ARTKIT_HOME=str(home), SDL_VIDEODRIVER="dummy",
               SDL_AUDIODRIVER="dummy")
    return subprocess.Popen([sys.executable, "-c", WINDOW, str(gestures), str(seed), mode],
                            env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def until_ready(proc) -> str:
    """What a window printed before it was ready to paint."""
    said = ""
    for line in proc.stdout:
        if line.strip() == "READY":
            return said
        said += line
    raise AssertionError(f"the window ended early: {said}{proc.stderr.read()}")


def painted_count(out: str) -> int:
    return int(next(line for line in out.splitlines() if line.startswith("GESTURES")).split()[1])


@pytest.mark.slow
def test_two_windows_on_one_session_lose_nothing(home, tmp_path):
    first = window(home, tmp_path, 5, 0, "new")
    (tmp_path / "go").touch()
    assert first.wait(120) == 0
    (tmp_path / "go").unlink()
    store = SessionStore(home / "sessions")
    first_id = store.latest()
    a = window(home, tmp_path, 40, 1, "resume")
    b = window(home, tmp_path, 30, 2, "resume")
    try:
        said_a, said_b = until_ready(a), until_ready(b)
        (tmp_path / "go").touch()
        out_a, err_a = a.communicate(timeout=180)
        out_b, err_b = b.communicate(timeout=180)
    finally:
        for proc in (a, b):
            if proc.poll() is None:
                proc.kill()
    out_a, out_b = said_a + out_a, said_b + out_b
    assert a.returncode == 0 and b.returncode == 0, err_a + err_b
    ids = store.ids()
    assert len(ids) == 2 and first_id in ids
    copy_id = next(i for i in ids if i != first_id)
    # One window had the session, the other said so and painted a copy of its own.
    told = [o for o in (out_a, out_b) if f"Session {first_id} is open in another window" in o]
    assert len(told) == 1 and copy_id in told[0]
    counts = {painted_count(out_a), painted_count(out_b)}
    kept = {len(StrokeLog.load(store.folder / f"{i}.strokes").gestures) for i in ids}
    assert kept == counts   # every gesture either window showed is in its journal
    assert min(counts) > 5  # the copy began with the first session's gestures


def test_a_damaged_journal_is_resumed_and_its_original_kept(home, tmp_path, capsys,
                                                            monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = SessionStore()
    session_id = painted(store, dt.datetime(2026, 4, 1), gestures=6)
    journal = store.folder / f"{session_id}.strokes"
    data = bytearray(journal.read_bytes())
    data[len(data) // 2] ^= 0xFF
    journal.write_bytes(bytes(data))
    assert main(["paint", "--resume", "--frames", "1"]) == 0
    out = capsys.readouterr().out
    assert "is damaged" in out and "gestures recovered" in out and "kept as" in out
    kept = list(store.folder.glob(f"{session_id}.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == bytes(data)
    healed = StrokeLog.load(journal)
    assert healed.damage is None and len(healed.gestures) == 5
    assert np.array_equal(PaintSession.resume(journal)[0].canvas.pixels(),
                          PaintSession.from_log(healed)[0].canvas.pixels())
