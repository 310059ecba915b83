"""Choosing where the GAN lab computes: CUDA, Apple `mps`, else the CPU.

The choice is made at run time; `--device` forces one. On the CPU artkit uses one torch thread
by default: on small shared machines two threads were measured to be erratic, and one thread
leaves a core for the painting window.
"""

from __future__ import annotations

import contextlib

import torch

from artkit.errors import ArtkitError

KNOWN = ("cpu", "cuda", "mps")


def pick_device(name: str | None = None) -> torch.device:
    """The device to compute on: `name` if given ("cpu", "cuda", "cuda:1", "mps"), else the best
    available (CUDA, then mps, then CPU). Asking for one that is not here is an ArtkitError."""
    if name is None or name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    kind = str(name).split(":")[0].lower()
    if kind not in KNOWN:
        raise ArtkitError(f"unknown device {name!r}; use cpu, cuda or mps (or leave --device out).")
    if kind == "cuda" and not torch.cuda.is_available():
        raise ArtkitError("--device cuda was asked for but this torch sees no CUDA GPU; use "
                          "--device cpu or leave --device out.")
    if kind == "mps" and not _mps_available():
        raise ArtkitError("--device mps was asked for but Apple's GPU is not available here; use "
                          "--device cpu or leave --device out.")
    try:
        return torch.device(str(name).lower())
    except RuntimeError:
        raise ArtkitError(f"{name!r} is not a device torch understands; try cpu, cuda or mps.") from None


def use_threads(count: int = 1) -> None:
    """Limit torch's CPU threads (1 by default, see the module note)."""
    if count < 1:
        raise ArtkitError(f"--threads must be 1 or more, not {count}.")
    torch.set_num_threads(count)


def describe(device: torch.device) -> str:
    """A short human name for a device, e.g. 'cpu (1 thread)' or 'cuda (NVIDIA H100)'."""
    device = torch.device(device)
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)})"
    if device.type == "cpu":
        threads = torch.get_num_threads()
        return f"cpu ({threads} thread{'s' if threads != 1 else ''})"
    return device.type


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


PRECISIONS = ("fp32", "bf16")


def bf16_supported(device: torch.device) -> bool:
    """Can the networks run in bfloat16 under autocast here? (CUDA GPUs from Ampere on, CPUs.)"""
    device = torch.device(device)
    if device.type == "cuda":
        return torch.cuda.is_bf16_supported()
    return device.type == "cpu"


def autocast(device: torch.device, precision: str = "fp32"):
    """The context the networks' forward passes run in: bfloat16 autocast for "bf16", nothing
    for "fp32". Losses are computed outside it, in float32 (BCE is unsafe under autocast)."""
    if precision not in PRECISIONS:
        raise ArtkitError(f"unknown precision {precision!r}; use fp32 or bf16.")
    device = torch.device(device)
    if precision == "fp32":
        return contextlib.nullcontext()
    if not bf16_supported(device):
        raise ArtkitError(f"this {device.type} device cannot compute in bf16; use --precision "
                          "fp32.")
    return torch.autocast(device_type=device.type, dtype=torch.bfloat16)
