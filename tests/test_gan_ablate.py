"""The fixes ablation: variant configs, table, chart, and a tiny end-to-end run."""

import csv

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from artkit.cli import main  # noqa: E402
from artkit.errors import ArtkitError  # noqa: E402
from artkit.gan import ablate  # noqa: E402

torch.set_num_threads(1)


def test_variants_change_one_thing_each():
    naive = ablate.variant_config("naive")
    assert (naive.optimizer, naive.activation, naive.layernorm, naive.loss) == \
        ("sgd", "sigmoid", False, "mse")
    assert naive.learning_rate == 0.01
    for name, field, value in (("adam", "optimizer", "adam"), ("leaky", "activation", "leaky"),
                               ("layernorm", "layernorm", True)):
        config = ablate.variant_config(name)
        changed = [key for key in ("optimizer", "activation", "layernorm", "loss")
                   if getattr(config, key) != getattr(naive, key)]
        assert changed == [field] and getattr(config, field) == value
    assert ablate.variant_config("adam").learning_rate == 0.0001
    everything = ablate.variant_config("all3")
    assert (everything.optimizer, everything.activation, everything.layernorm, everything.loss) == \
        ("adam", "leaky", True, "mse")


def test_parse_variants():
    assert ablate.parse_variants(None) == list(ablate.DEFAULT_VARIANTS)
    assert ablate.parse_variants(" Naive, all3+bce ") == ["naive", "all3+bce"]
    with pytest.raises(ArtkitError, match="no variant called 'adma'"):
        ablate.parse_variants("naive,adma")
    with pytest.raises(ArtkitError, match="named twice"):
        ablate.parse_variants("adam,adam")


def _rows():
    rng = np.random.default_rng(0)
    made = []
    for i, name in enumerate(ablate.DEFAULT_VARIANTS):
        scores = {"classes_covered": 1 + 2 * i, "kl": 2.3 / (i + 1), "fid": 90.0 / (i + 1) ** 2,
                  "inception_score": 1 + i, "class_histogram": [10] * 10}
        made.append(ablate.AblationRow(name, ablate.VARIANTS[name][0], 60_000 * (i + 1), 60.0,
                                       40_000, scores, rng.random((64, 28, 28)).astype(np.float32)))
    return made


def test_table_and_chart_from_rows(tmp_path):
    rows = _rows()
    table = ablate.format_table(rows)
    assert "naive (sigmoid, MSE, SGD)" in table and "LayerNorm only" in table
    assert "90.00" in table and "Frechet" in table
    chart = ablate.plot_ablation(rows, tmp_path / "chart.png", minutes=1)
    from PIL import Image

    with Image.open(chart) as image:
        assert image.width > 600 and image.height > 500
    with open(ablate.write_csv(rows, tmp_path / "table.csv")) as file:
        table_rows = list(csv.DictReader(file))
    assert [row["variant"] for row in table_rows] == list(ablate.DEFAULT_VARIANTS)
    assert table_rows[0]["classes_covered"] == "1"


def test_bad_minutes_are_refused(capsys):
    assert main(["gan", "ablate", "--minutes", "0"]) == 2
    assert "--minutes must be a number more than 0" in capsys.readouterr().err


@pytest.mark.slow
def test_tiny_ablation_writes_table_chart_and_grids(tmp_path, capsys):
    out = tmp_path / "ablation"
    code = main(["gan", "ablate", "--minutes", "0.02", "--variants", "naive,all3",
                 "--out", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "naive (sigmoid, MSE, SGD)" in printed and "Adam + LeakyReLU + LayerNorm" in printed
    for name in ("ablation.png", "ablation.csv", "samples_naive.png", "samples_all3.png",
                 "naive/best.pt", "all3/last.pt"):
        assert (out / name).is_file(), name
    with open(out / "ablation.csv") as file:
        rows = list(csv.DictReader(file))
    assert [row["variant"] for row in rows] == ["naive", "all3"]
    for row in rows:
        assert int(row["images_seen"]) > 0
        assert 0 <= int(row["classes_covered"]) <= 10 and float(row["fid"]) >= 0
