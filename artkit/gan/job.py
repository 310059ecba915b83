"""What to train, decided in one place for every way a run starts: `artkit gan train`, the
torchrun worker (`python -m artkit.gan.train`) and the painter's GAN panel.

A `TrainJob` is plain values (the command line's options, or the panel's choices). `prepare`
turns it into a `PreparedJob`: the model's name and config, the data, the batch size and the
checkpoint to resume, by these rules:

- the model: the job's, else the resumed checkpoint's (with its own config), else
  `default_model`; `overrides`, `lr`, `size`, `colour` and `augment` change its config (with
  `lr`, the discriminator keeps its ratio to the generator's rate);
- `conv-faces` learns at the size of its data: 64×64 colour from a CelebA file, a folder or an
  NPZ, the bundled faces' own 24×24 grey offline (unless `size` or `colour` say otherwise);
- the data: the job's word or path (digits, mnist5k, faces, pattern, a file or a folder), else
  the model's usual set;
- the batch size: the job's, else the resumed run's (so it repeats exactly), else the batch
  size measured best for the model (`artkit gan models`);
- how long: the job's steps, epochs or minutes, else 10,000 steps for the pattern (the book's)
  and five minutes for image GANs.

torch is imported inside the functions, so the panel can build jobs without loading it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from artkit.errors import ArtkitError

DEFAULT_MODEL = "mlp"      # `artkit gan train` without --model (the book's network)
PATTERN_STEPS = 10_000     # the book trains the 1010 GAN this long
IMAGE_MINUTES = 5.0        # image GANs without a limit train this long
# Models that learn at their data's size when the data are files, not the bundled set:
# (image size, channels). conv-faces: CelebA at 64×64 in colour, as in the GAN book's Part IV.
FILE_SIZED = {"conv-faces": (64, 3)}


@dataclass
class TrainJob:
    """A training run as plain values. data: "digits", "mnist5k", "faces", "pattern", a file
    or folder, or None for the model's usual data. overrides: model settings by name
    (e.g. {"width": 8}). precision: "fp32" or "bf16". resume: a checkpoint to continue."""

    model: str | None = None
    data: str | None = None
    overrides: dict = field(default_factory=dict)
    lr: float | None = None
    size: int | None = None
    colour: bool = False
    augment: str | None = None
    batch_size: int | None = None
    seed: int = 0
    device: str | None = None
    threads: int = 1
    precision: str = "fp32"
    steps: int | None = None
    epochs: float | None = None
    minutes: float | None = None
    sample_every: int | None = None
    score_every: int | None = None
    resume: str | None = None
    out: str | None = None
    default_model: str = DEFAULT_MODEL

    def check(self) -> None:
        """Refuse impossible numbers with one sentence each (before anything is loaded)."""
        for label, value in (("--batch-size", self.batch_size), ("--threads", self.threads),
                             ("--steps", self.steps)):
            if value is not None and value < 1:
                raise ArtkitError(f"{label} must be 1 or more, not {value}.")
        for label, value in (("--minutes", self.minutes), ("--epochs", self.epochs),
                             ("--lr", self.lr)):
            if value is not None and not value > 0:
                raise ArtkitError(f"{label} must be more than 0, not {value}.")
        if self.precision not in ("fp32", "bf16"):
            raise ArtkitError(f"--precision is fp32 or bf16, not {self.precision!r}.")
        if self.augment is not None:
            from artkit.gan.augment import parse_policy

            if self.augment.lower() != "auto":
                parse_policy(self.augment)

    def check_paths(self) -> None:
        """Refuse a data file or checkpoint that isn't there (cheaply: before processes start)."""
        if uses_files(self.data) and not Path(self.data).expanduser().exists():
            raise ArtkitError(f"cannot find {self.data}; give a file or folder of training "
                              "data, or a word: digits, mnist5k, faces or pattern.")
        if self.resume and not Path(self.resume).expanduser().is_file():
            raise ArtkitError(f"cannot find the checkpoint {self.resume}; check the path "
                              "(training writes best.pt and last.pt in its --out folder).")


@dataclass
class PreparedJob:
    """A job ready to train: the model's name and config, its data, the batch size, the
    resumed checkpoint's dict (or None) and the limits for `Trainer.run`."""

    name: str
    config: object
    data: object
    batch_size: int
    resumed: dict | None
    limits: dict


def resolve_model(job: TrainJob, resumed: dict | None = None):
    """(name, config) for a job: see the module note. No data are loaded."""
    from artkit.gan import models

    name = job.model or (resumed["model_name"] if resumed else job.default_model)
    if resumed and not job.model:
        config = models.config_from_dict(resumed["config"])
    else:
        config = models.model_config(name)
    config = _with_overrides(name, config, job.overrides)
    return name, _with_settings(name, config, job, from_checkpoint=bool(resumed and not job.model))


def _with_overrides(name: str, config, overrides: dict):
    """`config` with settings replaced by name; text values (from --set NAME=VALUE) are read
    as the setting's type."""
    from artkit.params import Param

    if not overrides:
        return config
    known = {item.name: item for item in dataclasses.fields(config) if item.init}
    changes = {}
    for key, value in overrides.items():
        if key not in known:
            raise ArtkitError(f"the {name} model has no setting {key!r}; it has "
                              f"{', '.join(sorted(known))}.")
        default = getattr(config, key)
        if isinstance(value, str) and not isinstance(default, str):
            value = Param.from_default(default).coerce(value, f"the {name} model's {key}")
        changes[key] = value
    return dataclasses.replace(config, **changes)


def _with_settings(name: str, config, job: TrainJob, from_checkpoint: bool):
    from artkit.gan import models

    changes = {}
    if job.lr is not None:
        if not job.lr > 0:
            raise ArtkitError(f"--lr must be more than 0, not {job.lr}.")
        changes["lr"] = job.lr
        if getattr(config, "d_lr", None) is not None:  # keep the discriminator's ratio
            changes["d_lr"] = config.d_lr * job.lr / config.lr
    if job.augment is not None:
        if config.kind != "conv":
            raise ArtkitError("--augment is for the conv models (DiffAugment before their "
                              "discriminator); the MLPs and the pattern GAN have none.")
        changes["augment"] = job.augment.lower()
    if job.size is not None or job.colour:
        if config.kind != "conv":
            raise ArtkitError("--size and --colour are for the conv models; try --model conv-faces.")
        if job.size is not None:
            changes["image_size"] = job.size
        if job.colour:
            changes["channels"] = 3
    elif name in FILE_SIZED and not from_checkpoint and uses_files(job.data):
        changes["image_size"], changes["channels"] = FILE_SIZED[name]
    word = (job.data or "").lower()
    if config.kind == "conv" and word in ("digits", "mnist5k", "faces"):
        changes["data"] = "faces" if word == "faces" else "digits"
    config = dataclasses.replace(config, **changes) if changes else config
    if config.kind == "conv":
        models.conv_plan(config)  # a clear sentence now if the size cannot be made
        if config.data == "digits" and (config.image_size, config.channels) != (28, 1):
            raise ArtkitError(f"digits are 28×28 grey but this model makes {config.image_size}"
                              f"×{config.image_size} {'colour' if config.channels == 3 else 'grey'}"
                              " images; use --model conv for digits, or --data faces.")
    return config


def uses_files(data: str | None) -> bool:
    """Is `data` a path (a file or folder), rather than a word for a built-in set?"""
    return data is not None and data.lower() not in ("digits", "mnist5k", "faces", "pattern",
                                                     "none")


def batch_size_for(name: str, resumed: dict | None, asked: int | None = None) -> int:
    """The batch size: the one asked for, else the resumed run's (so it repeats exactly), else
    the model's measured best."""
    from artkit.gan.models import MODELS

    if asked:
        return int(asked)
    if resumed and (resumed.get("trainer") or {}).get("batch_size"):
        return int(resumed["trainer"]["batch_size"])
    return MODELS[name].batch_size if name in MODELS else 64


def load_data(config, word: str | None, notice=print):
    """The data for a model and the job's `data` (see the module note)."""
    from artkit.gan import data, models

    kind = models.data_kind(config)
    if word is None:
        return data.load_data(kind, config, notice=notice)
    lowered = word.lower()
    if lowered == "pattern":
        if kind != "pattern":
            raise ArtkitError("--data pattern is for --model pattern.")
        return data.load_data("pattern", config)
    if kind == "pattern":
        raise ArtkitError("the pattern model makes its own data; leave out --data.")
    if lowered in ("digits", "faces"):
        if lowered == "faces" and config.kind == "mlp":
            raise ArtkitError("the MLP models make 28×28 digits; for faces use --model "
                              "conv-faces.")
        return data.load_data(lowered, config, notice=notice)
    if lowered == "mnist5k":
        return data.digits("mnist5k")
    return data.load_data(kind, config, source=word, notice=notice)


def limits(job: TrainJob, config) -> dict:
    """steps / epochs / minutes for `Trainer.run`: the job's, else the model kind's default."""
    chosen = {"steps": job.steps, "epochs": job.epochs, "minutes": job.minutes}
    if all(value is None for value in chosen.values()):
        if config.kind == "pattern":
            chosen["steps"] = PATTERN_STEPS
        else:
            chosen["minutes"] = IMAGE_MINUTES
    return chosen


def load_resumed(job: TrainJob) -> dict | None:
    from artkit.gan import checkpoint

    return checkpoint.load_checkpoint(job.resume) if job.resume else None


def prepare(job: TrainJob, notice=print, resumed: dict | None = None) -> PreparedJob:
    """Everything a job needs before its Trainer is built (loads the data)."""
    job.check()
    resumed = resumed if resumed is not None else load_resumed(job)
    name, config = resolve_model(job, resumed)
    if config.kind == "part1":
        return PreparedJob(name, config, None, 1, resumed, {"steps": job.steps or config.steps})
    data = load_data(config, job.data, notice)
    return PreparedJob(name, config, data, batch_size_for(name, resumed, job.batch_size),
                       resumed, limits(job, config))
