"""A checksum of everything in a GAN checkpoint, so a damaged file is refused, not used.

torch's file format keeps no checksum of the weights it reads back: a checkpoint with 20
bytes flipped by a bad disk or a broken copy loaded and sampled without complaint. So
`save_checkpoint` stores a SHA-256 of the checkpoint's contents beside them (under
"checksum"), and `load_checkpoint` computes it again and refuses a file whose contents no
longer match.

The digest is taken over the loaded values, not the file's bytes (torch's zip layout may
change between versions): every dict in key order, every list, every tensor's dtype, shape
and raw bytes, and every plain value, each tagged with its kind. Files written before
checksums existed have none, and load as before.
"""

from __future__ import annotations

import hashlib

import torch

KEY = "checksum"
ALGORITHM = "sha256"


def digest(payload: dict) -> dict:
    """What `save_checkpoint` stores under KEY: {"algorithm": "sha256", "hex": ...}."""
    return {"algorithm": ALGORITHM, "hex": _hex(payload)}


def matches(payload: dict) -> bool | None:
    """Does a loaded checkpoint still hold what was saved? None when it carries no checksum
    (written before checksums existed) or one of an unknown kind."""
    stored = payload.get(KEY)
    if not isinstance(stored, dict) or stored.get("algorithm") != ALGORITHM:
        return None
    return stored.get("hex") == _hex(payload)


def _hex(payload: dict) -> str:
    hasher = hashlib.sha256()
    _feed(hasher, {key: value for key, value in payload.items() if key != KEY})
    return hasher.hexdigest()


def _feed(hasher, value) -> None:
    if isinstance(value, dict):
        hasher.update(b"{%d:" % len(value))
        for key in sorted(value, key=repr):
            _feed(hasher, key)
            _feed(hasher, value[key])
        hasher.update(b"}")
    elif isinstance(value, (list, tuple)):
        hasher.update(b"[%d:" % len(value))
        for item in value:
            _feed(hasher, item)
        hasher.update(b"]")
    elif isinstance(value, torch.Tensor):
        tensor = value.detach().cpu().contiguous()
        hasher.update(f"<{tensor.dtype}{tuple(tensor.shape)}>".encode())
        hasher.update(tensor.reshape(-1).view(torch.uint8).numpy().tobytes())
    else:  # str, int, float (repr is exact), bool, None
        hasher.update(f"({type(value).__name__}:{value!r})".encode())
