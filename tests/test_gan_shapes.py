"""The convolution size calculator against torch, the worked examples, and model shape tables."""

import argparse
import itertools
import subprocess
import sys

import numpy as np
import pytest

from artkit.errors import ArtkitError
from artkit.gan import shapes

torch = pytest.importorskip("torch")
nn = torch.nn
torch.set_num_threads(1)


def _torch_size(transposed, n, k, s, p, d, op=(0, 0)):
    """torch's output (height, width), or None where torch refuses or makes nothing."""
    try:
        size = shapes.torch_output_size(n, k, s, p, transposed=transposed, output_padding=op,
                                        dilation=d)
    except RuntimeError:
        return None
    return None if min(size) < 1 else size


def _ours(function, *args):
    try:
        return function(*args)
    except ArtkitError:
        return None


@pytest.mark.parametrize("example", shapes.WORKED_EXAMPLES,
                         ids=lambda ex: f"{'T' * ex.transposed}{ex.input_size}->{ex.expected}")
def test_the_seven_worked_examples(example):
    assert example.output() == example.expected
    assert shapes.torch_output_size(example.input_size, example.kernel, example.stride,
                                    example.padding, transposed=example.transposed) == \
        (example.expected, example.expected)


def test_conv_sweep_matches_torch():
    for n, k, s, p, d in itertools.product(range(1, 11), range(1, 6), range(1, 4), range(3),
                                           range(1, 3)):
        expected = _torch_size(False, n, k, s, p, d)
        ours = _ours(shapes.conv_out, n, k, s, p, d)
        assert (ours, ours) == expected if expected else ours is None, (n, k, s, p, d)


def test_transposed_sweep_matches_torch():
    for n, k, s, p, op, d in itertools.product(range(1, 8), range(1, 5), range(1, 4), range(3),
                                               range(3), range(1, 3)):
        expected = _torch_size(True, n, k, s, p, d, (op, op))
        ours = _ours(shapes.conv_transpose_out, n, k, s, p, op, d)
        assert (ours, ours) == expected if expected else ours is None, (n, k, s, p, op, d)


def test_rectangular_layers_match_torch():
    rng = np.random.default_rng(0)
    checked = 0
    while checked < 150:
        n = tuple(int(v) for v in rng.integers(3, 40, 2))
        k = tuple(int(v) for v in rng.integers(1, 6, 2))
        s = tuple(int(v) for v in rng.integers(1, 4, 2))
        p = tuple(int(v) for v in rng.integers(0, 3, 2))
        d = tuple(int(v) for v in rng.integers(1, 3, 2))
        transposed = bool(rng.integers(2))
        op = tuple(int(rng.integers(0, max(a, b))) for a, b in zip(s, d)) if transposed else (0, 0)
        expected = _torch_size(transposed, n, k, s, p, d, op)
        if expected is None:
            continue
        if transposed:
            ours = shapes.conv_transpose_out(n, k, s, p, op, d)
        else:
            ours = shapes.conv_out(n, k, s, p, d)
        assert ours == expected, (transposed, n, k, s, p, d, op)
        checked += 1


def test_ints_give_ints_and_tuples_give_tuples():
    assert shapes.conv_out(28, 4, 2, 1) == 14
    assert shapes.conv_out((28, 20), 4, 2, 1) == (14, 10)
    assert shapes.conv_out(28, (4, 3), 2, (1, 0)) == (14, 13)
    assert shapes.conv_transpose_out(7, 4, 2, 1) == 14
    assert shapes.conv_transpose_out((7, 5), 4, 2, 1) == (14, 10)


@pytest.mark.parametrize("call", [
    lambda: shapes.conv_out(3, 5),                      # kernel bigger than the input
    lambda: shapes.conv_out(0, 1),                      # no input
    lambda: shapes.conv_out(8, 2, 0),                   # stride 0
    lambda: shapes.conv_out(8, 2, 1, -1),               # negative padding
    lambda: shapes.conv_out((8, 8), (2, 2, 2)),         # mismatched sides
    lambda: shapes.conv_out(8.5, 2),                    # not a whole number
    lambda: shapes.conv_transpose_out(4, 2, 2, 0, 2),   # output padding too big
    lambda: shapes.conv_transpose_out(1, 2, 1, 3),      # padding trims everything
])
def test_impossible_layers_are_explained(call):
    with pytest.raises(ArtkitError):
        call()


def test_dropped_pixels_and_explanations():
    assert shapes.dropped_pixels(5, 2, 2) == 1
    assert shapes.dropped_pixels(6, 2, 2) == 0
    text = shapes.explain_layer(5, 2, stride=2)
    assert "5 -> 2" in text and "floor((5 + 2*0 - 1*(2 - 1) - 1) / 2) + 1 = 2" in text
    assert "never covered" in text
    text = shapes.explain_layer((32, 24), 4, stride=2, padding=1)
    assert "32x24 -> 16x12" in text and "height:" in text and "width:" in text
    text = shapes.explain_layer(3, 2, stride=2, padding=1, transposed=True)
    assert "3 -> 4" in text
    with pytest.raises(ArtkitError):
        shapes.explain_layer(5, 2, output_padding=1)


def test_shape_table_of_a_module():
    model = nn.Sequential(
        nn.Conv2d(3, 8, 3, stride=2, padding=1),  # (8, 16, 12)
        nn.BatchNorm2d(8),
        nn.ReLU(),
        nn.ConvTranspose2d(8, 4, 4, stride=2, padding=1),  # (4, 32, 24)
        nn.Flatten(),
        nn.Linear(4 * 32 * 24, 10),
    )
    model.train()
    before = model[1].running_mean.clone()
    rows = shapes.shape_table(model, (3, 32, 24))
    assert rows[0] == ("input", (3, 32, 24))
    assert [row.out_shape for row in rows[1:]] == [
        (8, 16, 12), (8, 16, 12), (8, 16, 12), (4, 32, 24), (3072,), (10,)]
    assert rows[1].layer.startswith("0 Conv2d 3->8 k3 s2 p1")
    layer, out_shape = rows[-1]  # rows unpack as (layer, out shape)
    assert "Linear" in layer and out_shape == (10,)
    assert model.training  # mode restored
    assert torch.equal(model[1].running_mean, before)  # BatchNorm statistics untouched


def test_shape_table_of_registered_models():
    rows = shapes.shape_table("conv")
    generator = [r for r in rows if r.layer.startswith("generator.")]
    discriminator = [r for r in rows if r.layer.startswith("discriminator.")]
    assert generator[0].out_shape == (8,)  # the digit conv's short latent
    assert generator[-1].out_shape == (1, 28, 28)
    assert discriminator[0].out_shape == (1, 28, 28)
    assert discriminator[-1].out_shape == (1,)
    assert any("(reshape)" in r.layer for r in generator)  # the view after the projection shows
    mlp = shapes.shape_table("mlp-naive")
    assert [r.out_shape for r in mlp if r.layer.startswith("generator.")][-1] == (1, 28, 28)


def test_model_report_checks_every_convolution():
    report = shapes.model_shape_report("conv-faces-colour")
    assert report.count("formula agrees") == 6  # three up, three down
    assert "formula says" not in report
    assert "(N, 3, 32, 32)" in report and "total parameters" in report


def test_model_errors_are_explained():
    with pytest.raises(ArtkitError, match="no layers"):
        shapes.shape_table("part1")
    with pytest.raises(ArtkitError):
        shapes.shape_table("no-such-model")
    with pytest.raises(ArtkitError, match="input shape"):
        shapes.shape_table(nn.Linear(4, 2))
    with pytest.raises(ArtkitError, match="does not take"):
        shapes.shape_table(nn.Linear(4, 2), (5,))


def _cli():
    from artkit.commands import gan_theory

    parser = argparse.ArgumentParser()
    gan_theory.register(parser.add_subparsers())
    return parser


@pytest.mark.parametrize("argv, expected", [
    (["shapes"], ["floor((n + 2p", "transposed conv k2 s2 p1", "torch"]),
    (["shapes", "--input", "6", "--kernel", "2", "--stride", "2", "--padding", "1"], ["6 -> 4"]),
    (["shapes", "--input", "3", "--kernel", "2", "--stride", "2", "--transposed"], ["3 -> 6"]),
    (["shapes", "--input", "32x24", "--kernel", "4", "--stride", "2", "--padding", "1"],
     ["32x24 -> 16x12"]),
    (["shapes", "--model", "conv"], ["ConvTranspose2d 16->1 k4 s2 p1", "(N, 1, 28, 28)", "formula agrees"]),
])
def test_shapes_command(argv, expected, capsys):
    args = _cli().parse_args(argv)
    assert args.func(args) == 0
    out = capsys.readouterr().out
    for text in expected:
        assert text in out


def test_shapes_command_needs_both_input_and_kernel():
    args = _cli().parse_args(["shapes", "--input", "28"])
    with pytest.raises(ArtkitError):
        args.func(args)
    with pytest.raises(SystemExit):
        _cli().parse_args(["shapes", "--input", "big"])


def test_theory_modules_do_not_import_torch():
    code = ("import sys; from artkit.gan import shapes, games, part1; "
            "import artkit.commands.gan_theory; "
            "assert shapes.conv_out(28, 4, 2, 1) == 14; "
            "assert part1.train_part1(5)['g'].shape == (5,); "
            "assert games.play('alternating', 0.1, 5).path.shape == (6, 2); "
            "assert 'torch' not in sys.modules, 'torch was imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
