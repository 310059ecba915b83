"""Strokes batches, the skia path renderer, and the StrokeLog (undo, replay, files, journal)."""

import numpy as np
import pytest
import skia

from artkit.canvas import Canvas
from artkit.errors import ArtkitError
from artkit.strokelog import StrokeLog
from artkit.strokes import (CIRCLE, CURVE, LINE, POLYLINE, SQUARE, Strokes, path_bytes,
                            render_strokes)

W, H = 64, 48


def canvas(w=W, h=H):
    return Canvas(w, h, background="white")


def line(x0, y0, x1, y1, rgba=(200, 30, 30, 255), width=4.0, group=None):
    return Strokes(LINE, [[[x0, y0], [x1, y1]]], [rgba], [width], group)


def some_strokes(rng, n=20, kind=POLYLINE, p=5):
    pts = rng.uniform(4, 44, (n, p, 2)).astype(np.float32)
    rgba = rng.integers(0, 256, (n, 4)).astype(np.uint8)
    rgba[:, 3] = 120
    return Strokes(kind, pts, rgba, rng.uniform(1, 5, n), np.arange(n) // 4)


# -- skia's path layout -------------------------------------------------------------------

def test_path_bytes_match_skia_serialisation():
    path = skia.Path()
    path.moveTo(1, 2)
    path.lineTo(3, 4)
    path.lineTo(5.5, 6)
    path.moveTo(7, 8)
    path.lineTo(9, 10)
    pts = np.array([[1, 2], [3, 4], [5.5, 6], [7, 8], [9, 10]], np.float32)
    assert path_bytes(pts, bytes([0, 1, 1, 0, 1])) == bytes(path.serialize())

    curved = skia.Path()
    curved.moveTo(0, 0)
    curved.quadTo(5, 9, 10, 0)
    curved.lineTo(12, 3)
    data = path_bytes(np.array([[0, 0], [5, 9], [10, 0], [12, 3]], np.float32), bytes([0, 2, 1]))
    assert data == bytes(curved.serialize())
    back = skia.Path()
    assert back.readFromMemory(data) == len(data)
    assert back == curved


# -- the Strokes type ---------------------------------------------------------------------

def test_strokes_basics():
    rng = np.random.default_rng(0)
    s = some_strokes(rng, 8)
    assert len(s) == 8 and s.points.dtype == np.float32 and s.rgba.dtype == np.uint8
    assert s.segments == 8 * 4
    big = s.scaled(3)
    assert np.allclose(big.points, s.points * 3) and np.allclose(big.width, s.width * 3)
    assert len(Strokes.empty()) == 0 and len(Strokes.empty(CIRCLE)) == 0
    dabs = Strokes(CIRCLE, np.zeros((3, 2)), (1, 2, 3, 4), 5.0)      # (N, 2) centres, broadcast
    assert dabs.points.shape == (3, 1, 2) and dabs.rgba.shape == (3, 4)
    assert s[2:4].points.shape == (2, 5, 2)
    with pytest.raises(ValueError):
        Strokes(LINE, np.zeros((2, 3, 2)), (0, 0, 0, 255), 1)


def test_concat_pads_and_keeps_clumps_apart():
    a = Strokes(POLYLINE, np.zeros((2, 3, 2)), (1, 1, 1, 255), 1, [0, 0])
    b = Strokes(POLYLINE, np.ones((1, 5, 2)), (1, 1, 1, 255), 1, [0])
    c = Strokes.concat([a, b])
    assert c.points.shape == (3, 5, 2)
    assert np.all(c.points[0, 3:] == c.points[0, 2])       # padded with the last point
    assert c.group[0] == c.group[1] != c.group[2]
    with pytest.raises(ValueError):
        Strokes.concat([a, Strokes.empty(CIRCLE)])


# -- rendering ----------------------------------------------------------------------------

def test_opaque_line_has_its_colour_and_stays_in_place():
    c = canvas()
    c.draw(line(10, 20, 50, 20, (200, 30, 30, 255), 6))
    px = c.pixels()
    assert tuple(px[20, 30, :3]) == (200, 30, 30)
    assert tuple(px[5, 30, :3]) == (255, 255, 255)
    assert tuple(px[20, 58, :3]) == (255, 255, 255)


def test_translucent_dab_blends_over_white():
    c = canvas()
    c.draw(Strokes(CIRCLE, [[32, 24]], [(0, 0, 0, 128)], [20]))
    value = c.pixels()[24, 32, 0]
    assert abs(int(value) - 127) <= 1
    area = np.count_nonzero(c.pixels()[..., 0] < 250)
    assert abs(area - np.pi * 100) < 0.08 * np.pi * 100


def test_square_dab():
    c = canvas()
    c.draw(Strokes(SQUARE, [[20, 20]], [(0, 0, 255, 255)], [10]))
    px = c.pixels()
    assert tuple(px[16, 16, :3]) == (0, 0, 255) and tuple(px[23, 23, :3]) == (0, 0, 255)
    assert tuple(px[26, 20, :3]) == (255, 255, 255)


def test_lines_of_one_clump_do_not_darken_where_they_cross():
    cross = [[[10, 24], [54, 24]], [[32, 4], [32, 44]]]
    rgba = [(0, 0, 0, 100)] * 2
    one = canvas()
    one.draw(Strokes(LINE, cross, rgba, 4, [7, 7]))
    two = canvas()
    two.draw(Strokes(LINE, cross, rgba, 4, None))
    arm = one.pixels()[24, 15, 0]
    assert one.pixels()[24, 32, 0] == arm                 # same shade at the crossing
    assert two.pixels()[24, 32, 0] < arm - 20             # separate marks blend twice


def test_clump_with_different_colours_is_split():
    c = canvas()
    s = Strokes(LINE, [[[5, 10], [60, 10]], [[5, 30], [60, 30]]],
                [(255, 0, 0, 255), (0, 0, 255, 255)], 4, [1, 1])
    c.draw(s)
    assert tuple(c.pixels()[10, 30, :3]) == (255, 0, 0)
    assert tuple(c.pixels()[30, 30, :3]) == (0, 0, 255)


def test_curve_is_smooth_and_drawn():
    c = canvas()
    c.draw(Strokes(CURVE, [[[5, 40], [20, 5], [44, 5], [59, 40]]], [(0, 0, 0, 255)], 2))
    dark = c.pixels()[..., 0] < 128
    assert dark.sum() > 60
    assert dark[5, 32]                  # through the midpoint of the inner control points...
    assert not dark[5, 20] and not dark[5, 44]   # ...but not through the points themselves


def test_render_scale_matches_scaled_strokes():
    rng = np.random.default_rng(3)
    s = some_strokes(rng)
    a, b = canvas(2 * W, 2 * H), canvas(2 * W, 2 * H)
    render_strokes(a.sk, s, 2.0)
    render_strokes(b.sk, s.scaled(2.0), 1.0)
    assert np.array_equal(a.pixels(), b.pixels())


def test_nothing_drawn_outside_the_clip():
    rng = np.random.default_rng(4)
    pts = rng.uniform(-40, 100, (200, 4, 2))
    c = canvas()
    c.sk.save()
    c.sk.clipRect(skia.Rect.MakeLTRB(16, 12, 48, 36))
    c.draw(Strokes(POLYLINE, pts, (0, 0, 0, 200), 3, np.arange(200) // 10))
    c.sk.restore()
    px = c.pixels()[..., 0]
    inside = np.zeros_like(px, bool)
    inside[12:36, 16:48] = True
    assert (px[~inside] == 255).all() and (px[inside] < 255).any()


# -- the stroke log -----------------------------------------------------------------------

def painted_log(n_gestures=4, seed=0):
    rng = np.random.default_rng(seed)
    log = StrokeLog((W, H), "abc123", {"brush": "test", "background": [255, 255, 255]})
    for i in range(n_gestures):
        log.begin_gesture()
        log.add(some_strokes(rng, 6))
        log.add(Strokes(CIRCLE, rng.uniform(0, 48, (5, 2)), (10, 200, 10, 90), 6))
        log.end_gesture()
    return log


def replayed(log, scale=1.0):
    c = canvas(round(W * scale), round(H * scale))
    log.replay(c, scale)
    return c.pixels().copy()


def test_undo_restores_the_exact_pixels_and_redo_brings_them_back():
    log = painted_log(3)
    before = replayed(log)
    log.begin_gesture()
    log.add(line(0, 0, 64, 48, (0, 0, 0, 255), 8))
    log.end_gesture()
    after = replayed(log)
    assert not np.array_equal(before, after)
    assert log.undo()
    assert np.array_equal(replayed(log), before)
    assert log.redo()
    assert np.array_equal(replayed(log), after)
    assert not log.redo()


def test_undo_of_nothing_and_empty_gestures():
    log = StrokeLog((W, H))
    assert not log.undo()
    log.begin_gesture()
    log.end_gesture()                       # an empty gesture is not recorded
    assert log.gestures == []


def test_clear_is_undoable():
    log = painted_log(2)
    painted = replayed(log)
    log.clear()
    assert (replayed(log)[..., :3] == 255).all()
    assert log.stroke_count() == 0
    log.undo()
    assert np.array_equal(replayed(log), painted)


def test_replay_from_a_snapshot_index():
    log = painted_log(4)
    c = canvas()
    first = StrokeLog((W, H))
    first._done = log.gestures[:2]
    first.replay(c)
    log.replay(c, start=2)
    assert np.array_equal(c.pixels(), replayed(log))


def test_replay_at_twice_the_size_matches_a_direct_render():
    log = painted_log(3)
    direct = canvas(2 * W, 2 * H)
    for g in log.gestures:
        for s in g.strokes:
            direct.draw(s, 2.0)
    assert np.array_equal(replayed(log, 2.0), direct.pixels())
    big = log.render(2.0)
    assert (big.width, big.height) == (2 * W, 2 * H)
    assert np.array_equal(big.pixels(), direct.pixels())


def test_save_load_round_trip(tmp_path):
    log = painted_log(3)
    log.clear()
    log.begin_gesture()
    log.add(line(3, 3, 40, 40))
    log.end_gesture()
    path = log.save(tmp_path / "p.strokes")
    back = StrokeLog.load(path)
    assert back.size == (W, H) and back.source_hash == "abc123"
    assert back.meta == log.meta
    assert len(back.gestures) == len(log.gestures)
    for g1, g2 in zip(log.gestures, back.gestures):
        assert g1.is_clear == g2.is_clear
        for s1, s2 in zip(g1.strokes, g2.strokes):
            assert s1.kind == s2.kind
            assert np.array_equal(s1.points, s2.points) and np.array_equal(s1.rgba, s2.rgba)
            assert np.array_equal(s1.width, s2.width)
            assert (s1.group is None and s2.group is None) or np.array_equal(s1.group, s2.group)
    assert np.array_equal(replayed(back), replayed(log))
    back.undo()                                   # the clear survives as an undoable gesture
    log.undo()
    log.undo()
    back.undo()
    assert np.array_equal(replayed(back), replayed(log))


def test_unknown_and_missing_files_are_refused(tmp_path):
    other = tmp_path / "other.strokes"
    other.write_bytes(b"PK\x03\x04 not ours")
    with pytest.raises(ArtkitError, match="not an artkit stroke file"):
        StrokeLog.load(other)

    with pytest.raises(ArtkitError, match="There is no stroke file"):
        StrokeLog.load(tmp_path / "missing.strokes")
    with pytest.raises(ArtkitError, match="is a folder"):
        StrokeLog.load(tmp_path)


def test_newer_format_version_is_refused(tmp_path, monkeypatch):
    import artkit.strokelog as strokelog_module

    monkeypatch.setattr(strokelog_module, "FORMAT_VERSION", 99)
    path = painted_log(1).save(tmp_path / "future.strokes")
    monkeypatch.undo()
    with pytest.raises(ArtkitError, match="format version 99"):
        StrokeLog.load(path)


def test_journal_survives_a_kill(tmp_path):
    path = tmp_path / "session.strokes"
    log = painted_log(2)
    log.journal_to(path)
    rng = np.random.default_rng(9)
    for _ in range(3):
        log.begin_gesture()
        log.add(some_strokes(rng, 4))
        log.end_gesture()
    log.undo()
    log.clear()
    log.undo()
    log.begin_gesture()
    log.add(some_strokes(rng, 4))          # a gesture in progress when the process dies
    # No close(), no save(): load what is on disk now, as after `kill -9`.
    back = StrokeLog.load(path)
    assert len(back.gestures) == 4
    assert back.can_redo()
    log.end_gesture()
    log.undo()
    assert np.array_equal(replayed(back), replayed(log))


def test_journal_drops_a_half_written_last_record(tmp_path):
    path = tmp_path / "session.strokes"
    log = painted_log(2)
    log.journal_to(path)
    log.begin_gesture()
    log.add(line(1, 1, 30, 30))
    log.end_gesture()
    whole = path.read_bytes()
    log.close()
    path.write_bytes(whole[:-10])          # killed in the middle of writing the last gesture
    back = StrokeLog.load(path)
    assert len(back.gestures) == 2
    assert np.array_equal(replayed(back), replayed(painted_log(2)))


def test_journal_then_resume_and_continue(tmp_path):
    path = tmp_path / "session.strokes"
    log = painted_log(1)
    log.journal_to(path)
    log.begin_gesture()
    log.add(line(1, 1, 30, 30))
    log.end_gesture()
    log.close()
    resumed = StrokeLog.load(path)
    resumed.journal_to(path)               # continue the same session file
    resumed.begin_gesture()
    resumed.add(line(30, 1, 1, 30))
    resumed.end_gesture()
    again = StrokeLog.load(path)
    assert len(again.gestures) == 3
    resumed.close()


def test_merged_gesture_draws_the_same_pixels_as_the_live_batches():
    from artkit.brushes import make_brush
    from artkit.source import SourceImage

    source = SourceImage.default((W, H))
    rng = np.random.default_rng(1)
    live = canvas()
    log = StrokeLog((W, H))
    for brush in ("flow", "dabs", "sprinkles"):
        log.begin_gesture()
        b = make_brush(brush, size=6)
        for x in range(5, 60, 6):             # one batch per frame of a drag
            marks = b.stroke(source, np.array([[x, 20], [x + 6, 24]], np.float32), rng)
            live.draw(marks)
            log.add(marks)
        log.end_gesture()
        assert len(log.gestures[-1].strokes) == 1
    assert np.array_equal(replayed(log), live.pixels())


def test_a_mark_with_nan_points_is_skipped_not_redrawn():
    c = canvas()
    s = Strokes(LINE, [[[1, 1], [60, 40]], [[np.nan, 5], [60, 5]]],
                [(0, 0, 0, 255), (255, 0, 0, 255)], 2, [0, 1])
    c.draw(s)
    red = (c.pixels()[..., 0] > 200) & (c.pixels()[..., 1] < 50)
    assert not red.any()
    assert c.pixels()[20, 30, 0] < 100          # the good line is there
