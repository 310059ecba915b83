"""`artkit gan train --nproc N`: training in several processes, through torchrun.

`launch(job, processes)` runs torchrun with this same Python (`python -m
torch.distributed.run`), which starts N processes of `python -m artkit.gan.train` with the
job's options (`artkit.gan.train.main`; rank 0 prints and writes files). torchrun's own log
lines and, when a process fails, its report (a Python traceback) are left out of what is
shown: the processes' own output is passed on, and a failure ends in one sentence.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading

from artkit.errors import ArtkitError
from artkit.gan.job import TrainJob
from artkit.gan.options import ERROR_PREFIX, Launch, job_arguments

WORKER_MODULE = "artkit.gan.train"
# torchrun's agent logs like glog: "E1205 06:15:25.555000 20237 torch/distributed/...py:1002] ..."
_AGENT_LINE = re.compile(r"^\[?[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ \S+:\d+\]")
_AGENT_FAILED = "failed (exitcode"


def torchrun_command(job: TrainJob, processes: Launch) -> list[str]:
    """The torchrun command line that trains `job` in `processes.nproc` processes here (and,
    with rendezvous options, together with other machines)."""
    if processes.nproc < 1:
        raise ArtkitError(f"--nproc must be 1 or more, not {processes.nproc}.")
    command = [sys.executable, "-m", "torch.distributed.run"]
    if not processes.rendezvous:
        command.append("--standalone")  # one machine: torchrun picks a free port itself
    command += ["--nproc-per-node", str(processes.nproc)]
    for flag, value in processes.rendezvous.items():
        command += [flag, value]
    return command + ["-m", WORKER_MODULE] + job_arguments(job)


def launch(job: TrainJob, processes: Launch, out=None, err=None) -> int:
    """`artkit gan train --nproc N`: train `job` in N processes through torchrun; returns 0,
    or 2 after the processes' own one-sentence errors. out / err: where their output goes
    (default this process's stdout and stderr)."""
    job.check()
    job.check_paths()  # before N processes each load torch to say the same
    out = out or sys.stdout
    err = err or sys.stderr
    # Setting the threads ourselves also keeps torchrun from printing its banner about it.
    environment = dict(os.environ, OMP_NUM_THREADS=str(job.threads))
    try:
        child = subprocess.Popen(torchrun_command(job, processes), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, bufsize=1, env=environment)
    except OSError as error:
        raise ArtkitError(f"could not start torchrun ({error}); check that torch is "
                          "installed for this Python.") from None
    errors: list[str] = []
    readers = [threading.Thread(target=_pass_on, args=(child.stdout, out, errors), daemon=True),
               threading.Thread(target=_pass_on, args=(child.stderr, err, errors), daemon=True)]
    for reader in readers:
        reader.start()
    try:
        code = child.wait()
    except KeyboardInterrupt:  # torchrun got the same Ctrl+C and stops the processes
        code = child.wait()
        for reader in readers:
            reader.join(5)
        return 130
    for reader in readers:
        reader.join(10)
    if code == 0:
        return 0
    if errors:
        return 2
    raise ArtkitError(f"a training process stopped with exit code {code}; the lines above "
                      "say what it was doing.")


def _pass_on(stream, target, errors: list) -> None:
    """Copy a process's lines to `target`, leaving out torchrun's own log lines and, from
    the moment it reports a failed process, its report; collect the processes' errors (each
    printed once, though every process may report the same one)."""
    swallowing = False
    for line in stream:
        if _AGENT_LINE.match(line):
            swallowing = swallowing or _AGENT_FAILED in line
            continue
        if swallowing:
            continue
        if line.startswith(ERROR_PREFIX):
            if line in errors:
                continue
            errors.append(line)
        target.write(line)
        target.flush()
