"""Damaged stroke files and journals: every intact gesture comes back, and the damage is told."""

import os
import stat

import numpy as np
import pytest

from artkit import strokelog
from artkit.errors import ArtkitError
from artkit.strokelog import StrokeLog
from artkit.strokes import LINE, Strokes

W, H = 80, 60


def numbered_log(n: int) -> StrokeLog:
    """A log whose gesture i is one line of width i + 1, so a gesture says which it was."""
    rng = np.random.default_rng(5)
    log = StrokeLog((W, H), "hash", {"brush": "flow", "background": [250, 247, 240]})
    for i in range(n):
        log.begin_gesture()
        log.add(Strokes(LINE, rng.uniform(0, 60, (1, 2, 2)), (9, 9, 9, 200), float(i + 1)))
        log.end_gesture()
    return log


def widths(log: StrokeLog) -> list[int]:
    return [int(g.strokes[0].width[0]) - 1 for g in log.gestures]


def record_starts(data: bytes) -> list[int]:
    """Where each record begins (the header's first)."""
    starts, pos = [], len(strokelog._MAGIC)
    while pos < len(data):
        starts.append(pos)
        length, _ = strokelog._RECORD.unpack_from(data, pos)
        pos += strokelog._RECORD.size + length
    return starts


def damaged_copy(tmp_path, data: bytes, at: int, name="damaged.strokes"):
    broken = bytearray(data)
    broken[at] ^= 0xFF
    path = tmp_path / name
    path.write_bytes(bytes(broken))
    return path


@pytest.fixture
def forty(tmp_path):
    path = numbered_log(40).save(tmp_path / "forty.strokes")
    return path.read_bytes()


def test_a_sound_file_has_no_damage(tmp_path, forty):
    log = StrokeLog.load(tmp_path / "forty.strokes")
    assert log.damage is None and widths(log) == list(range(40))


def test_one_flipped_byte_in_the_middle_loses_only_its_own_gesture(tmp_path, forty):
    starts = record_starts(forty)
    hit = 20 + 1                                    # record 0 is the header
    path = damaged_copy(tmp_path, forty, starts[hit] + 30)   # inside gesture 20's payload
    log = StrokeLog.load(path)
    assert widths(log) == [i for i in range(40) if i != 20]
    assert log.damage.recovered == 39 and log.damage.stretches == 1
    assert not log.damage.header_lost and not log.damage.truncated
    assert "39 gestures recovered" in log.damage.sentence("damaged.strokes")


def test_a_damaged_length_field_resynchronises_on_the_next_record(tmp_path, forty):
    starts = record_starts(forty)
    path = damaged_copy(tmp_path, forty, starts[11] + 1)     # gesture 10's length
    log = StrokeLog.load(path)
    assert widths(log) == [i for i in range(40) if i != 10]


def test_damage_at_the_start_keeps_every_gesture_and_guesses_the_size(tmp_path, forty):
    starts = record_starts(forty)
    path = damaged_copy(tmp_path, forty, starts[0] + 20)     # the header
    log = StrokeLog.load(path)
    assert widths(log) == list(range(40))
    assert log.damage.header_lost
    marks = np.concatenate([g.strokes[0].points.reshape(-1, 2) for g in log.gestures])
    assert log.size == tuple(int(v) for v in np.ceil(marks.max(axis=0)))
    assert "guessed" in log.damage.sentence("x.strokes")


def test_damage_at_the_end_keeps_everything_before(tmp_path, forty):
    path = damaged_copy(tmp_path, forty, len(forty) - 3)
    log = StrokeLog.load(path)
    assert widths(log) == list(range(39))
    cut = tmp_path / "cut.strokes"
    cut.write_bytes(forty[:-7])
    log = StrokeLog.load(cut)
    assert widths(log) == list(range(39)) and log.damage.truncated
    assert "cut off" in log.damage.sentence("cut.strokes")


def test_a_journal_killed_mid_record_is_not_damage(tmp_path):
    path = tmp_path / "session.strokes"
    log = numbered_log(5)
    log.journal_to(path)
    log.close()
    data = path.read_bytes()
    path.write_bytes(data + data[-40:-10])   # half of a record, as a killed write leaves it
    back = StrokeLog.load(path)
    assert widths(back) == list(range(5)) and back.damage is None


def test_intact_bytes_that_make_no_record_are_skipped(tmp_path):
    log = numbered_log(3)
    records = log._state_records(journal=False)
    crafted = strokelog._record({"op": "gesture", "batches": [{"kind": 9, "n": 1, "p": 2}]})
    path = tmp_path / "crafted.strokes"
    path.write_bytes(strokelog._MAGIC + b"".join(records[:2] + [crafted] + records[2:]))
    back = StrokeLog.load(path)
    assert widths(back) == [0, 1, 2] and back.damage.stretches == 1


def test_nothing_left_is_refused_in_one_sentence(tmp_path):
    path = tmp_path / "zeros.strokes"
    path.write_bytes(strokelog._MAGIC + b"\0" * 64)
    with pytest.raises(ArtkitError, match="damaged beyond repair"):
        StrokeLog.load(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_before_it_is_opened(tmp_path):
    fifo = tmp_path / "pipe.strokes"
    os.mkfifo(fifo)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    with pytest.raises(ArtkitError, match="not an ordinary file"):
        StrokeLog.load(fifo)   # would block forever if it were opened
