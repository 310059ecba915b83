"""The GAN lab's models: configs as dataclasses, builders, and the `MODELS` registry.

From the book "Make Your First GAN With PyTorch" (Tariq Rashid), in order:
- `part1`: the one-parameter GAN, plain numpy (`artkit.gan.part1`, not a torch model here);
- `pattern`: Part II's GAN learning the pattern 1010 — tiny sigmoid networks (D 4→3→1,
  G 1→3→4), MSE loss, SGD; G's input is the constant 0.5, as in the book;
- `mlp-naive`: Part III's MNIST GAN as first written (D 784→200→1, G 100→200→784, sigmoid,
  MSE, SGD lr 0.01) — it mode-collapses;
- `mlp`: the same networks with the book's fixes: LeakyReLU(0.02), LayerNorm, BCE and Adam.
  `MLPGANConfig` has one switch per fix so each can be tried alone (see `artkit gan ablate`);
- `conv`, `conv-faces`, `conv-faces-colour`: DCGAN-style convolutional GANs (transposed
  convolutions up, strided convolutions down, BatchNorm, LeakyReLU) for 28-pixel digits and
  24/32/64-pixel faces, grey or colour, with DiffAugment on small data sets; the digit
  model trains with a weight-averaged generator (`ConvGANConfig.ema`).

The MLP and conv models can be conditional (`classes`, as in the book's conditional GAN):
`mlp-cond` and `conv-cond` are told which digit to draw, and their discriminators judge each
image against its label. `conv-clusters` conditions on clusters of alike digits that the
trainer finds itself (`ConvGANConfig.clusters`), so it needs no labels.

Every generator has `latent_dim`, `image_shape` (C, H, W), `classes` (0 unless conditional),
`sample_latent(n, generator, labels=None)`, `labels_of(z)` and `generate(z)` → images
(N, C, H, W) in 0..1. Every discriminator takes such images (and, when conditional, their
labels) and returns (N, 1) probabilities of "real". Configs turn into plain dicts
(`config_to_dict`) so checkpoints hold no code, and back (`config_from_dict`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Callable

import torch
from torch import nn

from artkit.errors import ArtkitError
from artkit.gan.conv_sizes import conv_out, conv_transpose_out


# --------------------------------------------------------------------------- configs


@dataclass
class Part1Config:
    """The one-parameter GAN of Part I (numpy; trained by `artkit.gan.part1.train_part1`)."""

    kind: str = field(default="part1", init=False)
    steps: int = 400
    lr: float = 0.2
    loss: str = "mse"


@dataclass
class PatternGANConfig:
    """Part II: the GAN that learns 1010 (sigmoid, MSE, SGD, as in the book)."""

    kind: str = field(default="pattern", init=False)
    hidden: int = 3
    lr: float = 0.01

    @property
    def data(self) -> str:
        return "pattern"


@dataclass
class MLPGANConfig:
    """Part III: the MNIST MLP GAN. The defaults are the improved GAN; `mlp-naive` is
    optimizer="sgd", activation="sigmoid", layernorm=False, loss="mse".

    optimizer: "sgd" | "adam"; activation: "sigmoid" | "leaky" (LeakyReLU(0.02));
    layernorm: a LayerNorm after each hidden layer; loss: "mse" | "bce"; lr: None picks the
    book's rate for the optimiser (SGD 0.01, Adam 0.0001); d_lr: the discriminator's rate
    (None: the same as lr); beta1: Adam's first beta (the book keeps torch's 0.9; the
    registered `mlp` uses 0.5, as DCGAN does, which shortens Adam's memory so it follows
    the moving target of a GAN better); pack: how many images the
    discriminator judges together (PacGAN, Lin et al. 2018). A generator that keeps drawing
    the same few digits is easy to catch in a pair, so packing keeps all ten in play. On the
    bundled 5k digits, in batches of 8, single images let the book's networks peak within
    1-2 minutes and then collapse towards one or two digits (four seeds of four); with pairs,
    three seeds of three were still improving after 5 minutes. The batch size must be a
    multiple of `pack`. classes: above 0 the GAN is conditional, as in the book: the
    generator's input and the discriminator's each get the one-hot label of the digit.
    """

    kind: str = field(default="mlp", init=False)
    optimizer: str = "adam"
    activation: str = "leaky"
    layernorm: bool = True
    loss: str = "bce"
    lr: float | None = None
    d_lr: float | None = None
    beta1: float = 0.9
    latent_dim: int = 100
    hidden: int = 200
    pack: int = 1
    classes: int = 0

    @property
    def data(self) -> str:
        return "digits"

    @property
    def learning_rate(self) -> float:
        if self.lr is not None:
            return self.lr
        return 0.01 if self.optimizer == "sgd" else 0.0001


@dataclass
class ConvGANConfig:
    """A DCGAN-style GAN: transposed convolutions up, strided convolutions down.

    - image_size: 28 (digits) or 32/64 (faces); any size b·2^k with b ≤ 7 and k ≥ 2 works.
    - channels: 1 grey, 3 colour.
    - latent_dim: the length of the generator's random input. Handwritten digits vary in few
      ways (which digit, slant, thickness, a loop or not) and eight numbers are enough to say
      which: a short latent leaves the small generator less to untangle, so it learns faster
      from the 5k bundled digits (figures at the registered `conv`). Faces keep 100.
    - width: channels of the widest-resolution layer (the others double as resolution halves).
    - lr: the generator's learning rate; d_lr: the discriminator's (None: the same). The
      book's loop gives D two optimiser steps (real, then generated) per G step, so the digit
      model gives D a third of G's rate.
    - d_batchnorm: BatchNorm in the discriminator, as in DCGAN. The digit model leaves it out:
      normalising the real and the generated batches separately let the generator drift to
      the easy digits (0 and 7 drawn 3-4 times as often as 1 and 4); without it the classes
      stay balanced.
    - ema: when above 0, the generator that samples, is scored and is saved is a running
      average of the trained one's weights, w <- ema*w + (1-ema)*w_trained (smoother than any
      single step's weights).
    - reuse_fakes: the generator's step learns from the batch D has just judged, as PyTorch's
      DCGAN example does, where the book draws a fresh one: one generator pass fewer per step
      (transposed convolutions are the costliest layers on a CPU), about 1.2x the images a
      second (`bench/bench_gan.py --speed`).
    - classes: above 0 the GAN is conditional: the generator's latent ends in the one-hot
      label of the digit to draw, and the discriminator scores each image against its label
      with a learnt vector per class (a projection discriminator, Miyato & Koyama 2018).
    - clusters: above 0 (with classes 0) the GAN conditions on clusters instead of labels:
      the trainer groups the training images into this many equal clusters of alike images
      (`artkit.gan.clusters`) and uses each image's cluster as its label. No labels needed.
    - augment: DiffAugment (`artkit.gan.augment`): the same random shifts, cut-out patches and
      colour changes to the real and the generated images before D sees them, so D can't
      simply remember a small training set. "auto" (the default) turns it on for data sets of
      fewer than 1,000 images; "off", "on" or a policy such as "translation,cutout" choose.
    - data: "digits" or "faces".
    """

    kind: str = field(default="conv", init=False)
    image_size: int = 28
    channels: int = 1
    latent_dim: int = 8
    width: int = 16
    lr: float = 0.0024
    d_lr: float | None = 0.0008
    beta1: float = 0.5
    loss: str = "bce"
    d_batchnorm: bool = False
    ema: float = 0.999
    reuse_fakes: bool = True
    classes: int = 0
    clusters: int = 0
    augment: str = "auto"
    data: str = "digits"


CONFIG_TYPES = {cls.__dataclass_fields__["kind"].default: cls
                for cls in (Part1Config, PatternGANConfig, MLPGANConfig, ConvGANConfig)}


def config_to_dict(config) -> dict:
    """A plain dict (str, int, float, bool, None only) of a config, including its kind."""
    return dataclasses.asdict(config)


# What older checkpoints, saved before a setting existed, were trained with.
SETTINGS_BEFORE_THEY_WERE_SAVED = {
    "conv": {"d_batchnorm": True, "ema": 0.0, "reuse_fakes": False, "augment": "off"}}


def config_from_dict(values: dict):
    """Rebuild a config from `config_to_dict` output (unknown keys are an ArtkitError)."""
    values = dict(values)
    kind = values.pop("kind", None)
    if kind not in CONFIG_TYPES:
        raise ArtkitError(f"unknown model kind {kind!r}; this checkpoint may come from a newer "
                          "artkit.")
    cls = CONFIG_TYPES[kind]
    for key, value in SETTINGS_BEFORE_THEY_WERE_SAVED.get(kind, {}).items():
        values.setdefault(key, value)
    names = {f.name for f in dataclasses.fields(cls) if f.init}
    unknown = set(values) - names
    if unknown:
        raise ArtkitError(f"the {kind} model has no setting {sorted(unknown)[0]!r}; this "
                          "checkpoint may come from a newer artkit.")
    return cls(**values)


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class ModelSpec:
    """One entry of `MODELS`: a name, one line about it, a fresh default config, and the
    batch size it trains best with on a CPU (measured; see `artkit gan train`)."""

    name: str
    summary: str
    make_config: Callable[[], object]
    batch_size: int = 64


MODELS: dict[str, ModelSpec] = {spec.name: spec for spec in (
    ModelSpec("part1", "Part I: one-parameter generator and discriminator (numpy, hand-derived "
              "gradients)", Part1Config),
    ModelSpec("pattern", "Part II: tiny sigmoid networks learn the pattern 1010 (MSE, SGD)",
              PatternGANConfig, batch_size=1),
    ModelSpec("mlp-naive", "Part III: MNIST MLP GAN as first written (sigmoid, MSE, SGD); "
              "mode-collapses", lambda: MLPGANConfig(optimizer="sgd", activation="sigmoid",
                                                     layernorm=False, loss="mse"), batch_size=8),
    # Small batches: many more updates per image; with beta1 0.5 this covers all ten digits
    # within minutes on a CPU, where batches of 64 peaked at 9 classes and collapsed. D judges
    # pairs of images (see MLPGANConfig.pack), which stops the collapse that followed. G at
    # three times D's rate (as with the conv, D steps twice per G step): Frechet 6.0-6.6 and
    # KL 0.06-0.10 in 5 minutes (six runs), where both at the book's 0.0001 gave 8.3-9.4 and
    # KL 0.11-0.14.
    ModelSpec("mlp", "Part III improved: LeakyReLU, LayerNorm, BCE loss, Adam (beta1 0.5); "
              "D judges pairs",
              lambda: MLPGANConfig(beta1=0.5, pack=2, lr=0.0003, d_lr=0.0001), batch_size=8),
    # Measured on the bundled digits (2-core CPU, 5 minutes each, best by Frechet distance):
    # with BatchNorm in D the generator overdrew 0s and 7s (Frechet 5.3-5.5, KL 0.07); without
    # it, 3.9 (KL 0.03); G at twice D's rate and the averaged generator, 3.6-4.1 in batches of
    # 16, 3.5-3.6 in batches of 32 at G 0.0024 / D 0.0012 (batches of 64: 3.9), and with D at a
    # third of G's rate (0.0008), 3.35-3.8. The latent's length: 100 as above, 32: 2.9-3.2,
    # 12-16: 2.5-2.7, 8: 2.1-3.5 over four seeds (2.08, 2.31, 2.62, 3.51), 4: 4.6 with KL 0.1;
    # the mlp gains nothing from a short latent (6.3 with 8). Width 16 beat wider nets: a wider
    # generator learns more per image but sees fewer in 5 minutes. G's step reusing the fakes D
    # judged (reuse_fakes): 1.8-3.0 on seeds 0-4 (2.98, 1.84, 2.36, 2.45, 2.10); the mlp gains
    # nothing from it (6.1; its generator pass is cheap). With it, none of these did better over
    # seeds: an R1 penalty (2.2-2.7), real labels smoothed to 0.9, average decay 0.9995, rates
    # decaying over the last half, latent 12 (2.4-2.9), D width 8 (3.2-4.7) or 32 (3.0), G
    # width 24 (1.8-2.9 over seeds 0-3, 2.45 on average against 2.30 at width 16) or 32 (2.8).
    # Nor did these, against D memorising the small set or G blending digits: the batch's
    # spread as an extra feature map for D (minibatch std, 2.0-3.0 over seeds 0-4), LeCam's
    # regulariser (2.2-2.5), dropout in D (3.1-4.3), annealed instance noise (2.5-2.9), top-k
    # generator steps (2.0-2.8), a one-of-ten code beside the latent, with or without
    # InfoGAN's loss (1.5-5.6, seed-dependent), or a hidden layer in G's projection (2.6-4.1).
    # The hinge loss (D gives unbounded scores) with G at 0.0024: 1.9-2.7 on seeds 0-4 (mean
    # 2.20); with G at 0.0016, 1.8-2.4 on seeds 0-4 (mean 2.11, seed 0's 2.98 gone) but 1.9-2.9
    # on seeds 5-9 (mean 2.36, where this config gave 2.30): 2.23 against 2.30 over ten seeds.
    # With hinge, G at 0.0012 or 0.0032, D at 0.0012, Adam's beta2 0.99, batches of 16 or
    # LeCam's regulariser did no better on seeds 0 and 3. Nor did PyTorch's default
    # initialisation (3.25, 2.73 on seeds 0 and 3) or batches of 64 after 250k images (2.93, 2.86).
    ModelSpec("conv", "convolutional GAN (DCGAN-style) for 28x28 grey digits", ConvGANConfig,
              batch_size=32),
    # Conditional: told which digit to draw, judged against the digit's label. 5 minutes on
    # the bundled digits (2-core CPU, one thread), scored on samples that ask for each digit
    # equally often: conv-cond 0.16-0.26 (ten seeds, mean 0.20; conv: 1.8-3.1, mean 2.29),
    # mlp-cond 3.95-4.47 (four runs; mlp: 6.0-6.7). The label helps the conv far more than
    # the MLP. Scored on random labels instead, conv-cond gave 0.38 and 0.31 (seeds 0, 1).
    ModelSpec("mlp-cond", "Part III improved, conditional: told which digit to draw",
              lambda: MLPGANConfig(beta1=0.5, pack=2, lr=0.0003, d_lr=0.0001, classes=10),
              batch_size=8),
    ModelSpec("conv-cond", "convolutional GAN for 28x28 grey digits, conditional: told which "
              "digit to draw", lambda: ConvGANConfig(classes=10), batch_size=32),
    # No labels: the trainer groups the digits into 20 equal clusters of alike images and the
    # GAN conditions on those (self-conditioning). Figures at the README's GAN lab; on seed 0,
    # 10 clusters gave 1.56 and 50 gave 1.34 (50 peaked within 100k images, then got worse).
    ModelSpec("conv-clusters", "convolutional GAN for 28x28 grey digits, conditioned on 20 "
              "clusters of alike digits it finds itself (no labels)",
              lambda: ConvGANConfig(clusters=20), batch_size=32),
    # Faces: 64x64 colour from a CelebA HDF5 file or a folder (`artkit.gan.job.FILE_SIZED`
    # sizes it to the data), 24x24 grey on the 100 faces scikit-image bundles (their own 25x25, one row
    # and column cropped: a conv GAN makes sizes b*2^k). Augmented by default on small sets.
    ModelSpec("conv-faces", "convolutional GAN for faces: 64x64 colour from CelebA or a folder, "
              "24x24 grey on the bundled faces",
              lambda: _faces_config(size=FACES_BUNDLED_SIZE, channels=1), batch_size=32),
    ModelSpec("conv-faces-colour", "convolutional GAN for 32x32 colour faces",
              lambda: _faces_config(size=32, channels=3), batch_size=32),
)}

FACES_BUNDLED_SIZE = 24   # the bundled faces are 25x25; 24 is the nearest size a conv GAN makes


def _faces_config(size: int, channels: int) -> ConvGANConfig:
    """DCGAN's own recipe: BatchNorm in D, both players at 0.0002."""
    return ConvGANConfig(image_size=size, channels=channels, latent_dim=100, width=32, lr=0.0002,
                         d_lr=None, d_batchnorm=True, ema=0.0, data="faces")


def model_config(name: str, **overrides):
    """A fresh config for a registered model name, with fields replaced by `overrides`."""
    if name not in MODELS:
        raise ArtkitError(f"there is no model called {name!r}; choose one of "
                          f"{', '.join(MODELS)} (see `artkit gan models`).")
    config = MODELS[name].make_config()
    if overrides:
        names = {f.name for f in dataclasses.fields(config) if f.init}
        for key in overrides:
            if key not in names:
                raise ArtkitError(f"the {name} model has no setting {key!r}; it has "
                                  f"{', '.join(sorted(names))}.")
        config = dataclasses.replace(config, **overrides)
    return config


def model_name_for(config) -> str:
    """The registry name whose default config equals `config`, else its kind."""
    for name, spec in MODELS.items():
        if spec.make_config() == config:
            return name
    return config.kind


# --------------------------------------------------------------------------- building blocks


class Generator(nn.Module):
    """Base of every generator: maps latent vectors (N, latent_dim) to images (N, C, H, W)."""

    latent_dim: int  # the whole input: the noise, then the one-hot label when conditional
    image_shape: tuple[int, int, int]
    classes: int = 0

    def sample_latent(self, n: int, generator: torch.Generator | None = None,
                      labels=None) -> torch.Tensor:
        """n latent vectors on the CPU: standard normal (the book's `generate_random_seed`).
        A conditional generator's end in the one-hot label of the class to draw: `labels`
        (one class for all, or one per vector), else random classes."""
        noise = self.sample_noise(n, generator)
        if not self.classes:
            if labels is not None:
                raise ArtkitError("this generator was trained without labels, so it cannot be "
                                  "asked for a class; train a conditional model such as "
                                  "conv-cond.")
            return noise
        if labels is None:
            labels = torch.randint(0, self.classes, (n,), generator=generator)
        labels = torch.as_tensor(labels, dtype=torch.long).expand(n)
        return torch.cat([noise, one_hot(labels, self.classes)], dim=1)

    def sample_noise(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """The random part of n latent vectors, (n, latent_dim - classes)."""
        return torch.randn((n, self.latent_dim - self.classes), generator=generator)

    def labels_in_turn(self, n: int) -> torch.Tensor | None:
        """n labels taking each class in turn (0, 1, ... 9, 0, 1, ...), so every class is
        drawn about equally often, as in the real digits; None when not conditional."""
        return torch.arange(n) % self.classes if self.classes else None

    def labels_of(self, z: torch.Tensor) -> torch.Tensor | None:
        """The class each latent vector asks for (N,), or None when not conditional."""
        return z[:, -self.classes:].argmax(dim=1) if self.classes else None

    @torch.no_grad()
    def generate(self, z: torch.Tensor) -> torch.Tensor:
        """Images (N, C, H, W) in 0..1 for latent vectors z, computed in evaluation mode (so
        BatchNorm uses its running statistics and nothing in the model changes)."""
        was_training = self.training
        self.eval()
        try:
            device = next(self.parameters()).device
            return self(z.to(device))
        finally:
            self.train(was_training)


def label_count(config) -> int:
    """How many labels a model is conditioned on: its classes, or the clusters it finds."""
    return getattr(config, "classes", 0) or getattr(config, "clusters", 0)


def one_hot(labels: torch.Tensor, classes: int) -> torch.Tensor:
    """(N,) class numbers → (N, classes) float one-hot rows; a class out of range is an
    ArtkitError that names it."""
    labels = torch.as_tensor(labels, dtype=torch.long)
    if len(labels) and (labels.min() < 0 or labels.max() >= classes):
        bad = labels[(labels < 0) | (labels >= classes)][0].item()
        raise ArtkitError(f"class {bad} does not exist; this model knows classes 0 to "
                          f"{classes - 1}.")
    return nn.functional.one_hot(labels, classes).float()


def _required(labels, classes: int) -> torch.Tensor:
    """A conditional discriminator's labels, checked."""
    if labels is None:
        raise ArtkitError(f"this discriminator is conditional: it judges each image together "
                          f"with its label (0 to {classes - 1}), so give the labels too.")
    return labels


def _activation(name: str) -> nn.Module:
    if name == "sigmoid":
        return nn.Sigmoid()
    if name == "leaky":
        return nn.LeakyReLU(0.02)  # the book's slope
    raise ArtkitError(f"unknown activation {name!r}; use sigmoid or leaky.")


# --------------------------------------------------------------------------- Part II: 1010


class PatternGenerator(Generator):
    """1 → hidden → 4, sigmoids; outputs are shaped (N, 1, 1, 4) like tiny one-row images."""

    def __init__(self, config: PatternGANConfig):
        super().__init__()
        self.latent_dim, self.image_shape = 1, (1, 1, 4)
        self.net = nn.Sequential(nn.Linear(1, config.hidden), nn.Sigmoid(),
                                 nn.Linear(config.hidden, 4), nn.Sigmoid())

    def sample_noise(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """The book feeds this generator the constant 0.5: it only has to make one pattern."""
        return torch.full((n, 1), 0.5)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z).view(-1, *self.image_shape)  # (N, 1, 1, 4)


class PatternDiscriminator(nn.Module):
    """4 → hidden → 1, sigmoids."""

    def __init__(self, config: PatternGANConfig):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(4, config.hidden), nn.Sigmoid(),
                                 nn.Linear(config.hidden, 1), nn.Sigmoid())

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.net(images)  # (N, 1)


# --------------------------------------------------------------------------- Part III: MLP


class MLPGenerator(Generator):
    """latent → hidden → 784 (the book's 100 → 200 → 784), sigmoid output."""

    def __init__(self, config: MLPGANConfig):
        super().__init__()
        self.classes = label_count(config)
        self.latent_dim, self.image_shape = config.latent_dim + self.classes, (1, 28, 28)
        layers = [nn.Linear(self.latent_dim, config.hidden), _activation(config.activation)]
        if config.layernorm:
            layers.append(nn.LayerNorm(config.hidden))
        layers += [nn.Linear(config.hidden, 784), nn.Sigmoid()]
        self.net = nn.Sequential(*layers)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z).view(-1, 1, 28, 28)  # (N, 1, 28, 28)


def groups_of(pack: int) -> str:
    """"pairs", or "groups of N": how a packed discriminator takes its images."""
    return "pairs" if pack == 2 else f"groups of {pack}"


class MLPDiscriminator(nn.Module):
    """784 → hidden → 1 (the book's 784 → 200 → 1), sigmoid output; conditional, the label's
    one-hot row is joined to the 784 pixels, as in the book."""

    def __init__(self, config: MLPGANConfig):
        super().__init__()
        self.classes = label_count(config)
        layers = [nn.Linear((784 + self.classes) * config.pack, config.hidden),
                  _activation(config.activation)]
        if config.layernorm:
            layers.append(nn.LayerNorm(config.hidden))
        layers += [nn.Linear(config.hidden, 1), nn.Sigmoid()]
        self.net = nn.Sequential(nn.Flatten(), *layers)
        self.pack = config.pack

    def forward(self, images: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        # With pack > 1, each group of `pack` images is judged as one sample, and its verdict
        # is repeated for every image in the group (so targets and losses stay per image).
        if images.shape[0] % self.pack:
            raise ArtkitError(f"this discriminator judges images in {groups_of(self.pack)}; "
                              f"give it a multiple of {self.pack}, not {images.shape[0]}.")
        flat = images.reshape(images.shape[0], -1)  # (N, 784)
        if self.classes:
            flat = torch.cat([flat, one_hot(_required(labels, self.classes), self.classes)
                              .to(flat.device)], dim=1)  # (N, 784 + classes)
        packed = flat.reshape(images.shape[0] // self.pack, -1)  # (N / pack, width · pack)
        return self.net(packed).repeat_interleave(self.pack, dim=0)  # (N, 1)


# --------------------------------------------------------------------------- convolutional


def conv_plan(config: ConvGANConfig) -> tuple[int, list[int]]:
    """(base size, channels per resolution) of a conv GAN, smallest resolution first.

    The image size is halved until it is 7 or less: 28 → 14 → 7, 32 → 16 → 8 → 4,
    64 → ... → 4. Channels double at each halving from `width`, capped at 8·width.
    """
    size, halvings = config.image_size, 0
    while size > 7 and size % 2 == 0:
        size //= 2
        halvings += 1
    if halvings < 2 or size < 3:
        raise ArtkitError(f"a conv GAN cannot make {config.image_size}-pixel images; use 28, "
                          "32 or 64.")
    widths = [config.width * min(2 ** i, 8) for i in range(halvings)]  # largest resolution first
    return size, widths[::-1]


class ConvGenerator(Generator):
    """latent → Linear → (C0, b, b) → [ConvTranspose 4/2/1, BatchNorm, LeakyReLU] × k → image.

    For 28-pixel digits with width 16: (N, 8) → (N, 32, 7, 7) → (N, 16, 14, 14) →
    (N, 1, 28, 28). For 32-pixel faces: (N, 128, 4, 4) → (N, 64, 8, 8) → (N, 32, 16, 16) →
    (N, C, 32, 32).
    """

    def __init__(self, config: ConvGANConfig):
        super().__init__()
        base, widths = conv_plan(config)
        self.classes = label_count(config)
        self.latent_dim = config.latent_dim + self.classes
        self.image_shape = (config.channels, config.image_size, config.image_size)
        self.base_shape = (widths[0], base, base)
        self.project = nn.Sequential(
            nn.Linear(self.latent_dim, widths[0] * base * base, bias=False),
            nn.BatchNorm1d(widths[0] * base * base), nn.LeakyReLU(0.2))
        layers, size = [], base
        for c_in, c_out in zip(widths, widths[1:] + [config.channels]):
            size = conv_transpose_out(size, 4, 2, 1)  # doubles: (N, c_out, 2s, 2s)
            last = c_out == config.channels and size == config.image_size
            layers.append(nn.ConvTranspose2d(c_in, c_out, 4, 2, 1, bias=last))
            layers += [nn.Sigmoid()] if last else [nn.BatchNorm2d(c_out), nn.LeakyReLU(0.2)]
        if size != config.image_size:
            raise AssertionError(f"conv generator makes {size} px, not {config.image_size}")
        self.net = nn.Sequential(*layers)
        _dcgan_init(self)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        x = self.project(z).view(-1, *self.base_shape)  # (N, C0, b, b)
        return self.net(x)  # (N, C, H, W)


class ConvDiscriminator(nn.Module):
    """image → [Conv 4/2/1, (BatchNorm), LeakyReLU(0.2)] × k → Linear → sigmoid.

    For 28-pixel digits with width 16: (N, 1, 28, 28) → (N, 16, 14, 14) → (N, 32, 7, 7) → (N, 1).
    With `d_batchnorm`, every layer but the first has BatchNorm, as in DCGAN. Conditional, the
    score before the sigmoid gains <e_y, features>, e_y a learnt vector for label y.
    """

    def __init__(self, config: ConvGANConfig):
        super().__init__()
        base, widths = conv_plan(config)
        widths = widths[::-1]  # largest resolution first
        layers, size = [], config.image_size
        for i, (c_in, c_out) in enumerate(zip([config.channels] + widths[:-1], widths)):
            size = conv_out(size, 4, 2, 1)  # halves: (N, c_out, s/2, s/2)
            batchnorm = config.d_batchnorm and i > 0  # never on the first layer (DCGAN)
            layers.append(nn.Conv2d(c_in, c_out, 4, 2, 1, bias=not batchnorm))
            layers += ([nn.BatchNorm2d(c_out)] if batchnorm else []) + [nn.LeakyReLU(0.2)]
        if size != base:
            raise AssertionError(f"conv discriminator ends at {size} px, not {base}")
        features = widths[-1] * base * base
        layers += [nn.Flatten(), nn.Linear(features, 1), nn.Sigmoid()]
        self.net = nn.Sequential(*layers)
        self.classes = label_count(config)
        if self.classes:
            self.label_vectors = nn.Embedding(self.classes, features)
        _dcgan_init(self)

    def forward(self, images: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        if not self.classes:
            return self.net(images)  # (N, 1)
        features = self.net[:-2](images)  # (N, features)
        vectors = self.label_vectors(_required(labels, self.classes).to(features.device))
        score = self.net[-2](features) + (vectors * features).sum(dim=1, keepdim=True)
        return self.net[-1](score)  # (N, 1)


def _dcgan_init(module: nn.Module) -> None:
    """DCGAN's initialisation: weights ~ N(0, 0.02), BatchNorm scales ~ N(1, 0.02)."""
    for layer in module.modules():
        if isinstance(layer, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear, nn.Embedding)):
            nn.init.normal_(layer.weight, 0.0, 0.02)
            if getattr(layer, "bias", None) is not None:
                nn.init.zeros_(layer.bias)
        elif isinstance(layer, (nn.BatchNorm1d, nn.BatchNorm2d)):
            nn.init.normal_(layer.weight, 1.0, 0.02)
            nn.init.zeros_(layer.bias)


# --------------------------------------------------------------------------- assembling a GAN


@dataclass
class GAN:
    """A generator, a discriminator, their optimisers and the loss, ready to train."""

    config: object
    generator: Generator
    discriminator: nn.Module
    g_optimizer: torch.optim.Optimizer
    d_optimizer: torch.optim.Optimizer
    loss_fn: nn.Module


def build_generator(config) -> Generator:
    """The generator for a config (on the CPU, freshly initialised from torch's global RNG)."""
    return _builders(config)[0](config)


def build_discriminator(config) -> nn.Module:
    """The discriminator for a config (on the CPU, freshly initialised)."""
    return _builders(config)[1](config)


def build_gan(config, device="cpu") -> GAN:
    """Networks, optimisers and loss for a config; seed torch before calling for repeatability."""
    generator = build_generator(config).to(device)
    discriminator = build_discriminator(config).to(device)
    # Fused optimisers update all of a network's tensors in one kernel: on a CPU that makes
    # the book's batch-1 training ~1.7x faster (Adam's per-tensor Python loop dominates).
    fused = {"fused": True} if torch.device(device).type in ("cpu", "cuda") else {}
    if isinstance(config, PatternGANConfig):
        optimizer, lr, betas, loss_name = "sgd", config.lr, None, "mse"
    elif isinstance(config, MLPGANConfig):
        optimizer, lr, betas, loss_name = (config.optimizer, config.learning_rate,
                                           (config.beta1, 0.999), config.loss)
    else:
        optimizer, lr, betas, loss_name = "adam", config.lr, (config.beta1, 0.999), config.loss
    d_lr = getattr(config, "d_lr", None)  # None: the discriminator learns at the generator's rate
    if optimizer not in ("sgd", "adam"):
        raise ArtkitError(f"unknown optimizer {optimizer!r}; use sgd or adam.")
    if loss_name not in ("mse", "bce"):
        raise ArtkitError(f"unknown loss {loss_name!r}; use mse or bce.")

    def make_optimizer(params, rate):
        if optimizer == "sgd":
            return torch.optim.SGD(params, lr=rate, **fused)
        return torch.optim.Adam(params, lr=rate, betas=betas, **fused)

    loss_fn = nn.MSELoss() if loss_name == "mse" else nn.BCELoss()
    return GAN(config, generator, discriminator, make_optimizer(generator.parameters(), lr),
               make_optimizer(discriminator.parameters(), d_lr if d_lr is not None else lr),
               loss_fn)


def _builders(config):
    if isinstance(config, PatternGANConfig):
        return PatternGenerator, PatternDiscriminator
    if isinstance(config, MLPGANConfig):
        return MLPGenerator, MLPDiscriminator
    if isinstance(config, ConvGANConfig):
        return ConvGenerator, ConvDiscriminator
    if isinstance(config, Part1Config):
        raise ArtkitError("part1 is a one-parameter numpy model, not a torch network; train it "
                          "with `artkit gan train --model part1`.")
    raise ArtkitError(f"{type(config).__name__} is not a GAN model config.")


def data_kind(config) -> str:
    """What a model trains on: "pattern", "digits", "faces" or "none" (part1)."""
    return getattr(config, "data", "none")
