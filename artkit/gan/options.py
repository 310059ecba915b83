"""The options of a training run: one table for `artkit gan train` and for the worker that
torchrun starts, `python -m artkit.gan.train`.

torchrun starts a module in every process, and `torchrun --nproc_per_node 2 -m
artkit.gan.train --model conv ...` must take the same options as `artkit gan train`. The GAN
lab may not import the command layer, so the table lives here and `artkit.commands.gan`
registers it too: the one argparse table outside `artkit/commands/`. It turns arguments into
plain values (`TrainJob`, `Launch`) and back (`job_arguments`, which builds a worker's
command line), so nothing below sees an `argparse.Namespace`.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field, fields

from artkit.gan.job import TrainJob
from artkit.params import split_assignment

# How a process starts its one-sentence error, as the command line does: the launcher shows
# each such sentence once, however many processes report it.
ERROR_PREFIX = "artkit: "

# torchrun's rendezvous options that `artkit gan train` passes through (flag, metavar, help).
RENDEZVOUS = (
    ("--nnodes", "N", "machines taking part (torchrun's --nnodes, e.g. 2 or 1:4)"),
    ("--node-rank", "I", "this machine's number, 0 to N-1 (with --master-addr)"),
    ("--rdzv-backend", "NAME", "torchrun's rendezvous backend (e.g. c10d)"),
    ("--rdzv-endpoint", "HOST:PORT", "where the machines meet (torchrun's --rdzv-endpoint)"),
    ("--rdzv-id", "NAME", "a name for this run, the same on every machine"),
    ("--master-addr", "HOST", "the address of machine 0 (static rendezvous)"),
    ("--master-port", "PORT", "the port on machine 0 (static rendezvous)"),
    ("--max-restarts", "N", "restart the processes this often after a failure; they resume "
                            "from last.pt"),
)


@dataclass
class Launch:
    """How many processes, and torchrun's rendezvous options (flag → value) to pass through."""

    nproc: int = 1
    rendezvous: dict = field(default_factory=dict)

    @property
    def distributed(self) -> bool:
        return self.nproc > 1 or bool(self.rendezvous)


def add_train_arguments(parser: argparse.ArgumentParser, launcher: bool = True) -> None:
    """The options of `artkit gan train`; launcher=False leaves out --nproc and torchrun's
    flags (a worker that torchrun started is already one of the processes)."""
    parser.add_argument("--model", default=None,
                        help="model name from `artkit gan models` (default mlp, or the resumed "
                             "checkpoint's)")
    parser.add_argument("--data", default=None, metavar="digits|faces|pattern|PATH",
                        help="training data: digits (full MNIST if cached or downloadable, else "
                             "the bundled 5,000), mnist5k, faces, pattern, or a file/folder "
                             "(default: the model's usual data)")
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--epochs", type=float, help="total passes over the data")
    length.add_argument("--minutes", type=float,
                        help="minutes of training (default 5; the pattern model: 10,000 steps)")
    length.add_argument("--steps", type=int, help="total training steps (batches)")
    parser.add_argument("--batch-size", type=int, default=None,
                        help="images per step, per process (default: the model's, see `artkit "
                             "gan models`; 1 is the book's per-image training)")
    parser.add_argument("--lr", type=float, default=None,
                        help="learning rate (default: the model's; for mlp and conv models "
                             "the generator's, and the discriminator's keeps its ratio to it)")
    parser.add_argument("--size", type=int, default=None,
                        help="image size for conv models: 24, 28, 32 or 64")
    parser.add_argument("--colour", action="store_true", help="colour faces (conv models)")
    parser.add_argument("--augment", default=None, metavar="auto|on|off|POLICY",
                        help="DiffAugment before the conv models' discriminator: auto (on for "
                             "fewer than 1,000 images), on, off, or e.g. translation,cutout")
    parser.add_argument("--set", dest="settings", action="append", default=[],
                        metavar="NAME=VALUE",
                        help="any other model setting, e.g. --set width=8 (repeatable)")
    parser.add_argument("--seed", type=int, default=0,
                        help="random seed (default 0; a resumed run keeps its own)")
    parser.add_argument("--device", default=None, help="cpu, cuda or mps (default: the best here)")
    parser.add_argument("--threads", type=int, default=1,
                        help="CPU threads for torch, per process (default 1)")
    parser.add_argument("--precision", default="fp32", choices=("fp32", "bf16"),
                        help="bf16 runs the networks under bfloat16 autocast (CUDA GPUs from "
                             "Ampere on; default fp32)")
    parser.add_argument("--sample-every", type=int, default=None, metavar="STEPS",
                        help="steps between sample grids (default: every 15 s)")
    parser.add_argument("--score-every", type=int, default=None, metavar="STEPS",
                        help="steps between scores and last.pt (default: every 20 s)")
    parser.add_argument("--resume", default=None, metavar="CKPT",
                        help="continue from a last.pt; --steps/--epochs count from the start")
    parser.add_argument("--out", default=None, metavar="DIR",
                        help="folder for the results (default gan-MODEL)")
    if launcher:
        group = parser.add_argument_group(
            "processes and machines", "Train with several processes through torchrun (gloo on "
            "CPUs, NCCL on CUDA GPUs): one per GPU, or a few on a many-core CPU.")
        group.add_argument("--nproc", type=int, default=1, metavar="N",
                           help="processes on this machine (default 1: no torchrun)")
        for flag, metavar, text in RENDEZVOUS:
            group.add_argument(flag, default=None, metavar=metavar, help=text)


def job_from_arguments(args: argparse.Namespace) -> TrainJob:
    """The TrainJob the parsed options describe."""
    overrides = dict(split_assignment(text, "--set", "width=8") for text in args.settings)
    return TrainJob(
        model=args.model, data=args.data, overrides=overrides, lr=args.lr, size=args.size,
        colour=args.colour, augment=args.augment, batch_size=args.batch_size, seed=args.seed,
        device=args.device, threads=args.threads, precision=args.precision, steps=args.steps,
        epochs=args.epochs, minutes=args.minutes, sample_every=args.sample_every,
        score_every=args.score_every, resume=args.resume, out=args.out)


def launch_from_arguments(args: argparse.Namespace) -> Launch:
    """The processes and rendezvous options the parsed options ask for."""
    rendezvous = {}
    for flag, _, _ in RENDEZVOUS:
        value = getattr(args, flag[2:].replace("-", "_"), None)
        if value is not None:
            rendezvous[flag] = str(value)
    return Launch(nproc=args.nproc, rendezvous=rendezvous)


# TrainJob field → its option (None: not an option of its own).
_FLAGS = {"model": "--model", "data": "--data", "lr": "--lr", "size": "--size",
          "augment": "--augment", "batch_size": "--batch-size", "seed": "--seed",
          "device": "--device", "threads": "--threads", "precision": "--precision",
          "steps": "--steps", "epochs": "--epochs", "minutes": "--minutes",
          "sample_every": "--sample-every", "score_every": "--score-every",
          "resume": "--resume", "out": "--out", "colour": "--colour", "overrides": None,
          "default_model": None}


def job_arguments(job: TrainJob) -> list[str]:
    """The worker's command line for a job: `job_from_arguments` of it parses back to `job`."""
    argv = []
    for item in fields(job):
        value, flag = getattr(job, item.name), _FLAGS[item.name]
        if flag is None or value is None or value is False:
            continue
        argv += [flag] if value is True else [flag, str(value)]
    for name, value in job.overrides.items():
        argv += ["--set", f"{name}={value}"]
    return argv


def worker_parser() -> argparse.ArgumentParser:
    """The parser of `python -m artkit.gan.train` (one process of a torchrun group)."""
    parser = argparse.ArgumentParser(
        prog="python -m artkit.gan.train",
        description="One GAN training process, as torchrun starts them: `torchrun "
                    "--nproc_per_node N -m artkit.gan.train [options of artkit gan train]`.")
    add_train_arguments(parser, launcher=False)
    return parser
