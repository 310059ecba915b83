"""Training in two CPU processes with torch.distributed (gloo): the 1010 pattern through
`artkit gan train --nproc 2` (torchrun), and a tiny MNIST config with the Trainer in two
spawned processes, whose weights are compared after training and after a resume from the
snapshot; each checkpoint then loads in this single process."""

import os
import socket
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.multiprocessing as mp

from artkit import cli
from artkit.gan import checkpoint, data, distributed, models, train
from artkit.gan.job import TrainJob
from artkit.gan import launch
from artkit.gan.launch import torchrun_command
from artkit.gan.options import Launch, job_arguments, job_from_arguments, worker_parser
from artkit.gan.train import TrainConfig, Trainer


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("ARTKIT_OFFLINE", "1")


@pytest.mark.slow
def test_two_processes_learn_the_pattern_through_torchrun(tmp_path, capsys):
    out = tmp_path / "pattern"
    code = cli.main(["gan", "train", "--model", "pattern", "--steps", "400", "--lr", "0.5",
                     "--batch-size", "8", "--nproc", "2", "--out", str(out)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "2 processes, batch 8 each" in printed.out
    assert "all 2 processes hold identical weights" in printed.out
    assert "Traceback" not in printed.err and "torch.distributed" not in printed.err
    saved = checkpoint.load_checkpoint(out / "last.pt")
    assert saved["step"] == 400 and saved["images_seen"] == 400 * 8 * 2
    assert saved["trainer"]["world_size"] == 2
    generator, _ = checkpoint.load_generator(out / "best.pt")  # in this one process
    output = generator.generate(torch.full((1, 1), 0.5)).flatten()
    assert torch.allclose(output, torch.tensor([1.0, 0.0, 1.0, 0.0]), atol=0.15), output
    alone = Trainer("pattern", data.PatternData(), TrainConfig(batch_size=8, log_every=50),
                    score_fn=False)
    alone.restore(out / "last.pt")  # a single process goes on from the two processes' run
    alone.run(steps=410)
    assert alone.step_count == 410


def test_a_missing_file_is_refused_before_any_process_starts(tmp_path, capsys):
    code = cli.main(["gan", "train", "--model", "mlp", "--data", str(tmp_path / "nothing.npz"),
                     "--steps", "2", "--nproc", "2", "--out", str(tmp_path / "x")])
    assert code == 2 and "artkit: cannot find" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_torchruns_own_report_is_left_out_and_each_error_said_once():
    import io

    transcript = io.StringIO(
        "step 100  images 3.2k  D real 0.6\n"
        "W1205 06:15:25.539000 20237 torch/distributed/elastic/multiprocessing/api.py:1028] "
        "Sending process 20250 closing signal SIGTERM\n"
        "artkit: cannot find the digits file x.npz; check the path.\n"
        "artkit: cannot find the digits file x.npz; check the path.\n"
        "E1205 06:15:25.555000 20237 torch/distributed/elastic/multiprocessing/api.py:1002] "
        "failed (exitcode: 2) local_rank: 1 (pid: 20251) of binary: python\n"
        "Traceback (most recent call last):\n"
        "torch.distributed.elastic.multiprocessing.errors.ChildFailedError:\n"
        "artkit.gan.train FAILED\n")
    shown, errors = io.StringIO(), []
    launch._pass_on(transcript, shown, errors)
    assert shown.getvalue() == ("step 100  images 3.2k  D real 0.6\n"
                                "artkit: cannot find the digits file x.npz; check the path.\n")
    assert len(errors) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tiny_digits() -> data.ImageData:
    images, labels = data.load_mnist_5k()
    picked = np.arange(0, 5000, 25)  # 200 digits
    return data.ImageData(torch.from_numpy(images[picked]).float().div(255).unsqueeze(1),
                          torch.from_numpy(labels[picked]), "200 digits")


def _train_as_rank(rank: int, port: int, folder: str) -> None:
    """One of two processes: train, save this rank's weights, resume from rank 0's snapshot,
    train on and save them again (what the test compares)."""
    os.environ.update(RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE="2",
                      MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    torch.set_num_threads(1)
    written = train.ckpt.save_checkpoint

    def save_checkpoint(path, *args, **kwargs):   # who writes which file
        with open(f"{folder}/writes-rank{rank}.txt", "a") as log:
            log.write(f"{Path(path).name}\n")
        return written(path, *args, **kwargs)

    train.ckpt.save_checkpoint = save_checkpoint
    cluster = distributed.Cluster.from_environment()
    config = models.model_config("conv-cond", width=4)
    settings = TrainConfig(batch_size=8, log_every=4, sample_every=10**9, score_every=6,
                           out_dir=folder, plot=False)
    digits = _tiny_digits()
    first = Trainer(config, digits, settings, seed=3, score_fn=False, cluster=cluster,
                    notice=lambda message: None)
    first.run(steps=12)
    _save_weights(first, f"{folder}/rank{rank}-12.pt")
    torch.distributed.barrier()  # rank 0 has written last.pt
    second = Trainer(config, digits, settings, seed=3, score_fn=False, cluster=cluster,
                     notice=lambda message: None)
    second.restore(f"{folder}/last.pt")
    second.run(steps=20)
    _save_weights(second, f"{folder}/rank{rank}-20.pt")
    torch.save({"agree": second.ranks_agree, "step": second.step_count,
                "order": second._order[:8].clone()}, f"{folder}/rank{rank}-info.pt")
    cluster.stop()


def _save_weights(trainer, path) -> None:
    torch.save({**{f"G.{k}": v for k, v in trainer.generator.named_parameters()},
                **{f"D.{k}": v for k, v in trainer.discriminator.named_parameters()},
                **{f"avg.{k}": v for k, v in trainer.averaged.named_parameters()}}, path)


@pytest.mark.slow
def test_two_processes_keep_identical_weights_and_resume_from_the_snapshot(tmp_path):
    mp.start_processes(_train_as_rank, args=(_free_port(), str(tmp_path)), nprocs=2,
                       start_method="spawn")
    for step in (12, 20):
        zero = torch.load(tmp_path / f"rank0-{step}.pt", weights_only=True)
        one = torch.load(tmp_path / f"rank1-{step}.pt", weights_only=True)
        assert zero.keys() == one.keys() and len(zero) > 10
        assert all(torch.equal(zero[k], one[k]) for k in zero), step
    # Only rank 0 writes snapshots, mid-run (every 6 steps) as at the end.
    assert not (tmp_path / "writes-rank1.txt").exists()
    assert (tmp_path / "writes-rank0.txt").read_text().split().count("last.pt") >= 4
    info = [torch.load(tmp_path / f"rank{r}-info.pt", weights_only=True) for r in (0, 1)]
    assert all(i["agree"] and i["step"] == 20 for i in info)
    assert not torch.equal(info[0]["order"], info[1]["order"])  # each its own share of the data
    saved = checkpoint.load_checkpoint(tmp_path / "last.pt")
    assert saved["step"] == 20 and saved["images_seen"] == 20 * 8 * 2
    generator, _ = checkpoint.load_generator(tmp_path / "last.pt")  # in this one process
    trained = torch.load(tmp_path / "rank0-20.pt", weights_only=True)
    assert all(torch.equal(value, trained[f"avg.{name}"])
               for name, value in generator.named_parameters())


def test_the_worker_takes_the_same_options_and_torchrun_is_built_from_them():
    job = TrainJob(model="conv", data="mnist5k", overrides={"width": "8"}, lr=0.001,
                   augment="on", batch_size=16, seed=4, threads=2, precision="bf16",
                   minutes=1.5, resume=None, out="runs/x", colour=False)
    argv = job_arguments(job)
    assert job_from_arguments(worker_parser().parse_args(argv)) == job
    command = torchrun_command(job, Launch(nproc=2))
    assert command[1:7] == ["-m", "torch.distributed.run", "--standalone", "--nproc-per-node",
                            "2", "-m"] and command[7] == "artkit.gan.train"
    many = torchrun_command(job, Launch(nproc=4, rendezvous={"--nnodes": "2",
                                                             "--rdzv-endpoint": "host:29400"}))
    assert "--standalone" not in many and many[many.index("--nnodes") + 1] == "2"


def test_restarted_processes_resume_from_the_snapshot(tmp_path, monkeypatch, capsys):
    from artkit.gan.train import run_job

    out = str(tmp_path / "run")
    assert run_job(TrainJob(model="pattern", steps=20, batch_size=4, out=out)) == 0
    monkeypatch.setenv(distributed.RESTART_COUNT, "1")  # as torchrun sets it on a restart
    capsys.readouterr()
    assert run_job(TrainJob(model="pattern", steps=30, batch_size=4, out=out)) == 0
    printed = capsys.readouterr().out
    assert "resuming from" in printed and "resuming pattern at step 20" in printed
    assert checkpoint.load_checkpoint(tmp_path / "run" / "last.pt")["step"] == 30
