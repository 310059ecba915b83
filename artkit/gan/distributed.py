"""Training across processes and machines with PyTorch's own engine: torchrun and DDP.

`torchrun` (`python -m torch.distributed.run`) starts one process per device and tells each
who it is through the environment: RANK (0..WORLD_SIZE-1 over all machines), LOCAL_RANK (the
process's number on its machine, which picks its GPU), WORLD_SIZE, and where to meet
(MASTER_ADDR / MASTER_PORT). `Cluster.from_environment()` reads them; `Cluster.start()` joins
the process group with gloo on CPUs and NCCL on CUDA GPUs.

Each process trains its own copy of G and D inside `DistributedDataParallel`, which averages
their gradients after every backward pass, so every copy takes the same optimiser step; on its
own share of each epoch's images (`DistributedSampler`) and with its own random latents. Only
rank 0 scores, draws sample grids and writes checkpoints. Decisions that depend on a clock or
on a stop request are voted on (`any_rank`), so no process waits for a partner that has left.

Outside torchrun (no WORLD_SIZE in the environment) there is one process and none of this is
used: `Cluster.single()`.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

import torch
import torch.distributed as dist

from artkit.errors import ArtkitError

# torchrun sets this when it restarts failed workers (--max-restarts): they resume from the
# snapshot (last.pt) the previous attempt wrote.
RESTART_COUNT = "TORCHELASTIC_RESTART_COUNT"


@dataclass(frozen=True)
class Cluster:
    """Who this process is among the training processes."""

    rank: int = 0
    local_rank: int = 0
    world_size: int = 1

    @classmethod
    def single(cls) -> "Cluster":
        return cls()

    @classmethod
    def from_environment(cls, environ=None) -> "Cluster":
        """This process's place as torchrun describes it (one process outside torchrun)."""
        environ = os.environ if environ is None else environ
        if "WORLD_SIZE" not in environ or "RANK" not in environ:
            return cls.single()
        try:
            return cls(rank=int(environ["RANK"]), local_rank=int(environ.get("LOCAL_RANK", 0)),
                       world_size=int(environ["WORLD_SIZE"]))
        except ValueError:
            raise ArtkitError("RANK, LOCAL_RANK and WORLD_SIZE must be whole numbers; start the "
                              "processes with torchrun (or artkit gan train --nproc N).") from None

    @property
    def distributed(self) -> bool:
        return self.world_size > 1

    @property
    def is_main(self) -> bool:
        """Rank 0: the process that scores, draws grids and writes files."""
        return self.rank == 0

    @property
    def restarted(self) -> bool:
        """torchrun restarted this group after a failure: resume from the snapshot."""
        return int(os.environ.get(RESTART_COUNT, "0") or 0) > 0

    def device(self, asked: torch.device) -> torch.device:
        """This process's device: on CUDA the GPU numbered by its LOCAL_RANK (one per process)."""
        if not self.distributed or asked.type != "cuda":
            return asked
        count = torch.cuda.device_count()
        if self.local_rank >= count:
            raise ArtkitError(f"this machine runs {self.local_rank + 1} or more training "
                              f"processes but has {count} GPU{'s' if count != 1 else ''}; "
                              "start at most one process per GPU (--nproc).")
        return torch.device("cuda", self.local_rank)

    def start(self, device: torch.device) -> None:
        """Join the process group: NCCL between CUDA GPUs, gloo between CPU processes."""
        if not self.distributed or dist.is_initialized():
            return
        backend = "nccl" if device.type == "cuda" else "gloo"
        if device.type == "cuda":
            torch.cuda.set_device(device)
        if device.type == "mps":
            raise ArtkitError("training across processes needs CPUs (gloo) or CUDA GPUs "
                              "(NCCL); Apple's mps has no backend, so add --device cpu.")
        dist.init_process_group(backend=backend)

    def stop(self) -> None:
        """Leave the process group (after everyone has finished)."""
        if self.distributed and dist.is_initialized():
            dist.barrier()
            dist.destroy_process_group()


def wrap(module: torch.nn.Module, cluster: Cluster, device: torch.device) -> torch.nn.Module:
    """`module` inside DistributedDataParallel (whose constructor copies rank 0's weights to
    every process), or the module itself for a single process."""
    if not cluster.distributed:
        return module
    from torch.nn.parallel import DistributedDataParallel

    ids = [device.index] if device.type == "cuda" else None
    return DistributedDataParallel(module, device_ids=ids)


class ShardedOrder:
    """Each epoch's order of the data for this process: `DistributedSampler`'s shuffle (seeded
    with the run's seed and the epoch, so every process agrees) and this rank's share of it."""

    def __init__(self, size: int, cluster: Cluster, seed: int):
        from torch.utils.data import DistributedSampler

        self.sampler = DistributedSampler(range(size), num_replicas=cluster.world_size,
                                          rank=cluster.rank, shuffle=True, seed=seed)

    def epoch_order(self, epoch: int) -> torch.Tensor:
        self.sampler.set_epoch(epoch)
        return torch.tensor(list(iter(self.sampler)), dtype=torch.long)


def any_rank(flags, cluster: Cluster, device: torch.device) -> tuple[bool, ...]:
    """For each flag: True on every process when it is True on any of them (one all-reduce)."""
    flags = [bool(flag) for flag in flags]
    if not cluster.distributed:
        return tuple(flags)
    votes = torch.tensor([float(flag) for flag in flags], device=device)
    dist.all_reduce(votes, op=dist.ReduceOp.MAX)
    return tuple(bool(vote) for vote in votes.tolist())


def mean_over_ranks(values: torch.Tensor, cluster: Cluster) -> torch.Tensor:
    """The mean of a tensor over every process (the tensor itself for one process)."""
    if not cluster.distributed:
        return values
    total = values.clone()
    dist.all_reduce(total)
    return total / cluster.world_size


def weights_digest(*modules: torch.nn.Module) -> bytes:
    """SHA-256 of the modules' parameters, in order (buffers such as BatchNorm's running
    statistics are left out: each process updates those from its own batches)."""
    digest = hashlib.sha256()
    for module in modules:
        for name, parameter in module.named_parameters():
            digest.update(name.encode())
            digest.update(parameter.detach().float().cpu().contiguous().numpy().tobytes())
    return digest.digest()


def ranks_agree(cluster: Cluster, device: torch.device, *modules: torch.nn.Module) -> bool:
    """Do all processes hold identical weights? Each process's digest is gathered and compared."""
    if not cluster.distributed:
        return True
    mine = torch.tensor(list(weights_digest(*modules)), dtype=torch.uint8, device=device)
    gathered = [torch.empty_like(mine) for _ in range(cluster.world_size)]
    dist.all_gather(gathered, mine)
    return all(torch.equal(gathered[0], other) for other in gathered[1:])
