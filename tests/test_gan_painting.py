"""GAN samples as painting sources: palettes, soft upscaling, `gan:` specs, latent walks, and
the walk painting written as an animation. A tiny MLP generator saved as a real checkpoint
stands in for a trained one (what matters here is the plumbing, not the digits)."""

import pickle

import numpy as np
import pytest
import torch
from PIL import Image

from artkit.cli import main
from artkit.errors import ArtkitError
from artkit.gan import checkpoint as ckpt
from artkit.gan import models
from artkit.gan import painting
from artkit.source import SourceImage, open_source


@pytest.fixture(scope="module")
def tiny_checkpoint(tmp_path_factory):
    torch.manual_seed(0)
    config = models.MLPGANConfig(hidden=16, latent_dim=8)
    generator = models.build_generator(config)
    path = tmp_path_factory.mktemp("gan") / "tiny.pt"
    ckpt.save_checkpoint(path, model_name="mlp", config=config, generator=generator, step=5)
    return path


def ring(size=28):
    yy, xx = np.mgrid[0:size, 0:size]
    r = np.hypot(yy - size / 2, xx - size / 2)
    return np.clip(1 - np.abs(r - size / 4) / 2, 0, 1).astype(np.float32)


# -- palettes and upscaling -------------------------------------------------------------------

def test_tint_maps_dark_to_first_stop_and_light_to_last():
    grey = np.array([[0.0, 1.0]], np.float32)
    for name, stops in painting.PALETTES.items():
        rgb = painting.tint(grey, name)
        assert rgb.shape == (1, 2, 3) and rgb.dtype == np.float32
        if stops is None:
            assert np.allclose(rgb[0, :, 0], rgb[0, :, 1]) and np.allclose(rgb[0, 1], 1.0)
        else:
            assert np.allclose(rgb[0, 0] * 255, stops[0], atol=0.01)
            assert np.allclose(rgb[0, 1] * 255, stops[-1], atol=0.01)


def test_tint_keeps_colour_samples_and_rejects_unknown_palettes():
    colour = np.random.default_rng(0).random((6, 6, 3)).astype(np.float32)
    assert np.array_equal(painting.tint(colour, "none"), colour)
    assert painting.tint(np.moveaxis(colour, -1, 0), "none").shape == (6, 6, 3)  # (C, H, W)
    with pytest.raises(ArtkitError, match="palette"):
        painting.tint(colour, "neon")


def test_soft_upscale_fills_the_canvas_shape_and_hides_the_pixel_grid():
    small = np.repeat(ring()[..., None], 3, axis=2)
    big = painting.soft_upscale(small, (200, 150))
    assert big.shape == (150, 200, 3)
    # Padded with the picture's own (dark) border, not white, and centred.
    assert big[:, :5].max() < 0.05 and big[75, 100].max() < 0.2 and big[75, 60].max() > 0.6
    # Smooth: no jumps like the 5-pixel steps a nearest-neighbour enlargement would make.
    steps = np.abs(np.diff(big[..., 0], axis=1)).max()
    blocky = np.asarray(Image.fromarray((ring() * 255).astype(np.uint8)).resize(
        (150, 150), Image.Resampling.NEAREST), np.float32) / 255
    assert steps < 0.5 * np.abs(np.diff(blocky, axis=1)).max()


def test_sample_source_is_a_ready_source_of_the_canvas_size():
    source = painting.sample_source(ring(), (120, 90), "ember", name="a ring")
    assert isinstance(source, SourceImage) and source.size == (120, 90)
    assert source.name == "a ring"
    assert np.array_equal(source.to_array(), np.round(source.rgb * 255).astype(np.uint8))
    assert source.gradient_at([60], [45]).shape == (1, 2)
    with pytest.raises(ArtkitError):
        painting.sample_source(np.zeros((4, 4, 2)), (10, 10))


# -- specs -------------------------------------------------------------------------------------

def test_specs_round_trip():
    spec = painting.parse_spec("runs/a#b/best.pt#7~9@0.250,ocean")
    assert spec == painting.GanSpec("runs/a#b/best.pt", 7, 9, 0.25, "ocean")
    assert painting.parse_spec(spec.text()) == spec
    assert painting.parse_spec("best.pt") == painting.GanSpec("best.pt")
    assert painting.parse_spec("gan:best.pt#3").seed == 3
    assert painting.parse_spec("best.pt#ink").palette == "ink"
    assert painting.format_spec("x.pt", 4) == "gan:x.pt#4"
    assert painting.with_seed("gan:x.pt", 5) == "gan:x.pt#5"
    assert painting.with_seed("gan:x.pt#1", 5) == "gan:x.pt#1"
    assert painting.with_seed("photo.jpg", 5) == "photo.jpg"


@pytest.mark.parametrize("bad", ["", "#3", "best.pt#3~4@2", "best.pt#3,neon", "best.pt#x y"])
def test_bad_specs_are_one_sentence_errors(bad):
    with pytest.raises(ArtkitError):
        painting.parse_spec(bad)


def test_gan_sources_open_through_open_source(tiny_checkpoint):
    a = open_source(f"gan:{tiny_checkpoint}#3", (64, 48))
    again = open_source(f"gan:{tiny_checkpoint}#3", (64, 48))
    other = open_source(f"gan:{tiny_checkpoint}#4", (64, 48))
    tinted = open_source(f"gan:{tiny_checkpoint}#3,ember", (64, 48))
    assert a.size == (64, 48)
    assert a.hash == again.hash and a.hash != other.hash and a.hash != tinted.hash
    # Seed s is the sample `artkit gan sample --seed s` would draw first.
    from artkit.gan.sample import sample_images

    generator, _ = painting.load_generator_cached(tiny_checkpoint)
    direct = painting.sample_source(sample_images(generator, 1, seed=3)[0], (64, 48))
    assert direct.hash == a.hash


def test_walk_positions_are_reproducible_sources(tiny_checkpoint):
    start = open_source(f"gan:{tiny_checkpoint}#3~8@0", (40, 30))
    end = open_source(f"gan:{tiny_checkpoint}#3~8@1", (40, 30))
    middle = open_source(f"gan:{tiny_checkpoint}#3~8@0.5", (40, 30))
    assert start.hash == open_source(f"gan:{tiny_checkpoint}#3", (40, 30)).hash
    assert end.hash == open_source(f"gan:{tiny_checkpoint}#8", (40, 30)).hash
    assert middle.hash not in (start.hash, end.hash)


def test_unsafe_or_wrong_checkpoints_get_the_gan_labs_message(tmp_path):
    class Sneaky:
        def __reduce__(self):
            return (print, ("this would run",))

    unsafe = tmp_path / "unsafe.pt"
    unsafe.write_bytes(pickle.dumps({"weights": Sneaky()}))
    with pytest.raises(ArtkitError, match="refuses|not an artkit"):
        open_source(f"gan:{unsafe}#1", (32, 32))
    with pytest.raises(ArtkitError, match="cannot find"):
        open_source(f"gan:{tmp_path / 'missing.pt'}", (32, 32))


# -- walks -------------------------------------------------------------------------------------

def test_walk_latents_start_and_end_at_the_seeds(tiny_checkpoint):
    generator, _ = painting.load_generator_cached(tiny_checkpoint)
    z = painting.walk_latents(generator, [1, 2, 3], frames=9)
    seeds = painting.seed_latents(generator, [1, 2, 3])
    assert z.shape == (9, generator.latent_dim)
    assert torch.allclose(z[0], seeds[0]) and torch.allclose(z[-1], seeds[2], atol=1e-5)
    assert torch.allclose(z[4], seeds[1], atol=1e-5)  # the middle frame is the middle seed
    # Slerp keeps the walk near the radius the latents live at.
    norms = z.norm(dim=1)
    assert norms.min() > 0.8 * seeds.norm(dim=1).min()
    with pytest.raises(ArtkitError):
        painting.walk_latents(generator, [1], frames=5)


def test_render_walk_writes_an_animation_of_the_right_frames_and_size(tiny_checkpoint, tmp_path):
    out = painting.render_walk(str(tiny_checkpoint), tmp_path / "walk.webp", frames=6,
                               size=(64, 48), seed=2, palette="ocean", touches=60)
    with Image.open(out) as anim:
        assert anim.size == (64, 48) and anim.n_frames == 6
    with pytest.raises(ArtkitError, match=r"\.gif or \.webp"):
        painting.render_walk(str(tiny_checkpoint), tmp_path / "walk.avi", frames=6)


def test_render_walk_writes_an_mp4(tiny_checkpoint, tmp_path):
    av = pytest.importorskip("av", reason="PyAV (the video extra) is not installed")
    out = painting.render_walk(str(tiny_checkpoint), tmp_path / "walk.mp4", frames=6,
                               size=(64, 48), seed=2, touches=60)
    with av.open(str(out)) as video:
        # 6 frames at 12 a second, then the last one held for 1.5 s (18 more)
        assert sum(1 for _ in video.decode(video=0)) == 6 + 18


def test_render_command_paints_a_gan_sample_and_a_walk(tiny_checkpoint, tmp_path, capsys):
    png = tmp_path / "digit.png"
    assert main(["render", "--source", f"gan:{tiny_checkpoint}", "--seed", "3", "--size",
                 "64x48", "--strokes", "150", "--out", str(png), "--quiet"]) == 0
    assert Image.open(png).size == (64, 48)
    gif = tmp_path / "walk.gif"
    assert main(["render", "--source", f"gan:{tiny_checkpoint}#1,ember", "--walk", "--frames",
                 "5", "--size", "48x36", "--out", str(gif), "--quiet"]) == 0
    with Image.open(gif) as anim:
        assert anim.n_frames == 5 and anim.size == (48, 36)
    assert main(["render", "--source", "default", "--walk", "--out", str(tmp_path / "w.gif")]) == 2
    assert "gan:" in capsys.readouterr().err


def test_a_gan_sample_autopaints_the_same_log_in_render_and_in_the_window(tiny_checkpoint,
                                                                          tmp_path):
    """Render and the painter (with the GAN panel attached), from one seed and one sample."""
    import pygame

    from artkit.app.paint_app import PaintApp
    from artkit.session import PaintSession
    from artkit.strokelog import StrokeLog

    spec = f"gan:{tiny_checkpoint}#3"
    out = tmp_path / "r.png"
    assert main(["render", "--source", spec, "--brush", "dabs", "--size", "96x72", "--seed",
                 "4", "--out", str(out), "--quiet"]) == 0
    rendered = StrokeLog.load(out.with_suffix(".strokes"))

    session = PaintSession((96, 72), open_source(spec, (96, 72)), brush="dabs", seed=4,
                           source_spec=spec)
    app = PaintApp(session, fps=None, plugins=True)
    assert any(type(p).__name__ == "GanPanel" for p in app.panels)
    a = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_a, mod=0, unicode="a")
    app.run(max_frames=2, script=[[], [a]])
    while app.autopaint:
        app.run(max_frames=1)
    app.close()
    assert rendered.source_hash == session.log.source_hash
    assert [len(g) for g in rendered.gestures] == [len(g) for g in session.log.gestures]
    for mine, theirs in zip(session.log.gestures, rendered.gestures):
        for s, t in zip(mine.strokes, theirs.strokes):
            assert np.array_equal(s.points, t.points) and np.array_equal(s.rgba, t.rgba)
