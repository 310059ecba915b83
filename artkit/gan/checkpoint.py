"""GAN checkpoints: one file with everything needed to sample from a model or go on training it.

A checkpoint is a dict saved with `torch.save` holding only tensors, dicts, lists and plain
values (never objects or code): the format tag, the artkit version, the model name and config
(as a plain dict), the generator's and discriminator's weights, both optimisers' states, the
step and images seen, scores, and whatever the trainer adds (data order, RNG states, loss
history) under "trainer".

Loading uses `torch.load(weights_only=True)`, so nothing in the file can run: a file carrying
a pickled payload (code) is refused with a sentence saying so. A truncated file, a file that
is not a checkpoint, and a checkpoint whose layers do not fit the model asked for each get
their own one-sentence `ArtkitError`. Every checkpoint carries a SHA-256 of its contents
(`artkit.gan.checksum`), checked on load: a file damaged on the disk or in a copy is refused.
"""

from __future__ import annotations

import pickle
import warnings
import zipfile
from pathlib import Path

import torch
from torch import nn

from artkit.version import __version__
from artkit.errors import ArtkitError
from artkit.files import atomic_write, check_regular_file
from artkit.gan import checksum, models

FORMAT = "artkit-gan-checkpoint"
FORMAT_VERSION = 1
REQUIRED_KEYS = ("model_name", "config", "generator")


def save_checkpoint(path, *, model_name: str, config, generator, discriminator=None,
                    g_optimizer=None, d_optimizer=None, step: int = 0, images_seen: int = 0,
                    scores: dict | None = None, trainer: dict | None = None) -> Path:
    """Write a checkpoint atomically (a half-written file never replaces a good one).

    config: a model config dataclass or its plain dict. generator / discriminator: modules or
    state dicts; g_optimizer / d_optimizer: optimisers or their state dicts. scores: the latest
    scores (plain numbers). trainer: extra plain data the trainer needs to resume exactly.
    """
    path = Path(path)
    config_dict = config if isinstance(config, dict) else models.config_to_dict(config)
    payload = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "artkit_version": __version__,
        "model_name": model_name,
        "config": dict(config_dict),
        "generator": _state(generator),
        "discriminator": _state(discriminator),
        "g_optimizer": _state(g_optimizer),
        "d_optimizer": _state(d_optimizer),
        "step": int(step),
        "images_seen": int(images_seen),
        "scores": dict(scores or {}),
        "trainer": trainer or {},
    }
    payload[checksum.KEY] = checksum.digest(payload)  # checked again on load
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as f:   # a crash or a full disk leaves the last good one intact
        torch.save(payload, f)
    return path


def _state(thing):
    if thing is None:
        return None
    if isinstance(thing, (nn.Module, torch.optim.Optimizer)):
        return thing.state_dict()
    return thing


def load_checkpoint(path) -> dict:
    """Read and check a checkpoint (on the CPU); returns its dict. Never runs code from the file."""
    path = Path(path)
    if not path.is_file():
        if path.exists():   # a folder, or a pipe or device that reading would wait on forever
            check_regular_file(path, "checkpoint")
        raise ArtkitError(f"cannot find the checkpoint {path}; check the path (training writes "
                          "best.pt and last.pt in its --out folder).")
    _check_unpacked_size(path)
    with open(path, "rb") as file:
        head = file.read(4)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch's notes on pickle protocols, not for users
            checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:
        if head[:2] == b"PK" or head[:1] == b"\x80":
            raise ArtkitError(f"{path.name} holds Python objects, not only weights and numbers, "
                              "and artkit refuses to load it because it contains code that could "
                              "run on this computer; use checkpoints written by `artkit gan "
                              "train`.") from None
        raise _not_a_checkpoint(path) from None
    except (RuntimeError, EOFError, OSError) as error:
        if head[:2] == b"PK" and "zip archive" in str(error) or isinstance(error, (EOFError, OSError)):
            raise ArtkitError(f"{path.name} is cut short or damaged (it may not have finished "
                              "copying or saving); use another checkpoint such as last.pt.") from None
        raise _not_a_checkpoint(path) from None
    except Exception:  # the safe unpickler raises assorted errors on files that are not pickles
        raise _not_a_checkpoint(path) from None
    if not isinstance(checkpoint, dict) or checkpoint.get("format") != FORMAT:
        raise _not_a_checkpoint(path)
    missing = [key for key in REQUIRED_KEYS if checkpoint.get(key) is None]
    if missing:
        raise ArtkitError(f"{path.name} is an artkit checkpoint without its {missing[0]}; it is "
                          "damaged, so use another one.")
    for key, kind, words in _FIELD_TYPES:
        if key in checkpoint and not isinstance(checkpoint[key], kind):
            raise ArtkitError(f"{path.name} is an artkit checkpoint whose {key} is "
                              f"{type(checkpoint[key]).__name__}, not {words}: it is damaged or "
                              f"was edited, so use another one such as last.pt or best.pt.")
    if checkpoint.get("format_version", 0) > FORMAT_VERSION:
        raise ArtkitError(f"{path.name} was written by a newer artkit "
                          f"({checkpoint.get('artkit_version')}); upgrade artkit to read it.")
    if checksum.matches(checkpoint) is False:
        raise ArtkitError(f"{path.name} is damaged: its weights no longer match the checksum "
                          "saved with them (the file changed on the disk or in a copy), so "
                          "use another checkpoint such as last.pt or best.pt.")
    return checkpoint


# Fields a damaged or hand-edited checkpoint may hold the wrong kind of value in, checked before
# anything reads them: (key, type, the words for what it should be).
_FIELD_TYPES = (("model_name", str, "a model's name"), ("config", dict, "a table of settings"),
                ("generator", dict, "a table of weights"), ("format_version", int, "a number"),
                ("step", int, "a number"), ("images_seen", int, "a number"),
                ("scores", dict, "a table of scores"), ("trainer", dict, "a table"))
# A checkpoint's zip stores its members uncompressed (torch.save), so they unpack to about the
# file's own size; more than twice that (plus this slack) is a damaged or hostile file.
_UNPACK_SLACK = 16 * 2**20


def _check_unpacked_size(path: Path) -> None:
    """Refuse a zip whose members claim far more bytes than the file holds (a zip bomb), from
    the sizes in its directory, before anything is decompressed."""
    try:
        if not zipfile.is_zipfile(path):
            return
        with zipfile.ZipFile(path) as archive:
            claimed = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return   # not a sound zip: torch.load says it is damaged or not a checkpoint
    size = path.stat().st_size
    if claimed > 2 * size + _UNPACK_SLACK:
        raise ArtkitError(f"{path.name} would unpack to {claimed / 2**30:.1f} GB from a "
                          f"{size / 2**20:.1f} MB file, which no artkit checkpoint does (it is "
                          f"damaged, or made to fill the memory), so artkit refuses to load it.")


def _not_a_checkpoint(path: Path) -> ArtkitError:
    return ArtkitError(f"{path.name} is not an artkit GAN checkpoint; give a .pt file written by "
                       "`artkit gan train` (best.pt or last.pt).")


def load_generator(path, device=None) -> tuple[models.Generator, dict]:
    """The generator saved in a checkpoint, ready to sample (evaluation mode, on `device`), and
    an info dict: model_name, config (dataclass), step, images_seen, scores, artkit_version, path.

    The GAN panel and `--source gan:CKPT` use this; `artkit.gan.sample.sample_images` draws from it.
    """
    checkpoint = load_checkpoint(path)
    try:
        config = models.config_from_dict(checkpoint["config"])
        generator = models.build_generator(config)
    except ArtkitError:
        raise
    except (TypeError, ValueError, KeyError, OverflowError, RuntimeError, MemoryError):
        raise ArtkitError(f"{Path(path).name}'s settings don't describe a model artkit can "
                          "build (the file is damaged or was edited); use another checkpoint "
                          "such as last.pt or best.pt.") from None
    load_weights(generator, checkpoint["generator"], "generator", Path(path).name)
    if device is not None:
        generator = generator.to(device)
    generator.eval()
    info = {
        "model_name": checkpoint["model_name"],
        "config": config,
        "step": checkpoint.get("step", 0),
        "images_seen": checkpoint.get("images_seen", 0),
        "scores": checkpoint.get("scores", {}),
        "artkit_version": checkpoint.get("artkit_version"),
        "path": str(path),
    }
    return generator, info


def load_weights(module: nn.Module, state: dict, part: str, source: str = "this checkpoint") -> None:
    """Load a state dict into a module after checking every layer's shape; on a mismatch raise
    an ArtkitError naming both architectures and the first layer that differs."""
    problem = mismatch(module.state_dict(), state, part, source)
    if problem:
        raise ArtkitError(problem)
    module.load_state_dict(state)


def mismatch(model_state: dict, checkpoint_state: dict, part: str, source: str = "this checkpoint") -> str:
    """"" when the two state dicts have the same layers and shapes, else one sentence saying how
    they differ, e.g. "this checkpoint's generator is 100→200→784; the model asked for is
    100→500→784 (layer net.0.weight is 200×100 in the checkpoint and 500×100 in the model)"."""
    for key in list(model_state) + [k for k in checkpoint_state if k not in model_state]:
        ours, theirs = model_state.get(key), checkpoint_state.get(key)
        if ours is not None and theirs is not None and tuple(ours.shape) == tuple(theirs.shape):
            continue
        if ours is None:
            detail = f"layer {key} is in the checkpoint but not in the model"
        elif theirs is None:
            detail = f"layer {key} is in the model but not in the checkpoint"
        else:
            detail = (f"layer {key} is {_shape(theirs)} in the checkpoint and {_shape(ours)} in "
                      "the model")
        return (f"{source}'s {part} is {architecture(checkpoint_state, part)}; the model asked "
                f"for is {architecture(model_state, part)} ({detail}), so use the --model "
                "(and settings) it was trained with, or train a new one.")
    return ""


def architecture(state: dict, part: str) -> str:
    """A short chain of layer sizes read from a state dict: "100→200→784" for the book's MLP
    generator; convolution layers are shown by channels ("100→3136→32ch→1ch")."""
    chain = []
    for key, tensor in state.items():
        if not key.endswith("weight") or tensor.dim() not in (2, 4):
            continue  # norms and biases carry no sizes of their own
        if tensor.dim() == 2:  # Linear: (out, in)
            n_out, n_in = tensor.shape
            labels = (str(n_in), str(n_out))
        else:  # generators use transposed convolutions (in, out, k, k); discriminators (out, in, k, k)
            a, b = tensor.shape[:2]
            n_in, n_out = (a, b) if part == "generator" else (b, a)
            labels = (f"{n_in}ch", f"{n_out}ch")
        if not chain:
            chain.append(labels[0])
        chain.append(labels[1])
    return "→".join(chain) if chain else "empty"


def _shape(tensor) -> str:
    return "×".join(str(n) for n in tensor.shape)
