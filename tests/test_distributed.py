"""gradcourse.distributed: data-parallel training equals one big batch, and the launcher leaves nothing behind.

Each ``launch`` starts two fresh Python processes (they import torch), so these tests keep the number of
launches small and the models tiny. The worker functions below must live at module level: a spawned worker
imports them by name.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.distributed as dist

from gradcourse import data
from gradcourse.distributed import (
    DataParallelConfig,
    WorkerError,
    launch,
    main,
    train_data_parallel,
)

TINY = dict(n_examples=128, batch_size=16, epochs=1, width=8, lr=0.2, momentum=0.9)


def _write_pid(folder: str) -> None:
    Path(folder, f"rank{dist.get_rank()}.pid").write_text(str(os.getpid()))


def _start_child(folder: str) -> None:
    """Start a process of the worker's own (a data loader's helper, say) that would outlive it if orphaned."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    Path(folder, f"child{dist.get_rank()}.pid").write_text(str(child.pid))


def raise_on_rank_1(folder: str) -> list[float]:
    """Rank 1 raises; rank 0 waits in an all-reduce for it (and would wait forever if not stopped). Both
    have started a child process first."""
    _write_pid(folder)
    _start_child(folder)
    if dist.get_rank() == 1:
        raise ValueError("boom: rank 1 found a bad batch")
    t = torch.ones(3)
    dist.all_reduce(t)
    return t.tolist()


def sleep_forever(folder: str) -> None:
    _write_pid(folder)
    time.sleep(3600)


def ignore_sigterm_and_sleep(folder: str) -> None:
    """A worker that starts a child and ignores SIGTERM: only a hard stop ends it."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _write_pid(folder)
    _start_child(folder)
    time.sleep(3600)


def return_early_on_rank_1(folder: str) -> float:
    """The docstring's hang: rank 1 returns while rank 0 waits in an all-reduce for it."""
    _write_pid(folder)
    if dist.get_rank() == 1:
        return 1.0
    t = torch.ones(1)
    dist.all_reduce(t)
    return float(t)


def die_on_rank_0(folder: str) -> None:
    """Rank 0 vanishes without a word (as if killed); rank 1 would wait forever."""
    _write_pid(folder)
    if dist.get_rank() == 0:
        os._exit(3)
    time.sleep(3600)


def _pids(folder: Path, kind: str = "rank") -> list[int]:
    return [int(p.read_text()) for p in sorted(folder.glob(f"{kind}*.pid"))]


def _alive(pid: int) -> bool:
    """True if the process runs (a zombie, ended but not yet reaped by whoever adopted it, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _assert_nothing_left(pids: list[int], what: str = "worker process") -> None:
    """The launcher reaped its workers, and every process in ``pids`` has ended. The launcher's last act is a
    SIGKILL to each worker's process group; the kernel ends a killed process asynchronously, which on a
    loaded machine can take a moment after launch() returns, so the second check allows a few seconds."""
    assert multiprocessing.active_children() == [], "the launcher left child processes running"
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in pids:
        assert not _alive(pid), f"{what} {pid} is still alive 10 s after launch() returned"


@pytest.fixture(scope="module")
def digits_train() -> tuple[np.ndarray, np.ndarray]:
    split = data.digits(seed=0)
    return split.X_train, split.y_train


def test_two_workers_with_batch_B_equal_one_process_with_batch_2B(digits_train):
    config = DataParallelConfig(**TINY, dtype="float64")
    workers = launch(train_data_parallel, 2, args=(config, digits_train), timeout=120)
    single = train_data_parallel(DataParallelConfig(**{**TINY, "batch_size": 2 * TINY["batch_size"]},
                                                    dtype="float64"), digits_train)

    assert [w.rank for w in workers] == [0, 1] and all(w.world_size == 2 for w in workers)
    assert single.world_size == 1 and len(single.losses) == len(workers[0].losses) == 4
    for k, batch in enumerate(single.batches):  # the same examples at every step
        together = np.concatenate([workers[0].batches[k], workers[1].batches[k]])
        assert sorted(together.tolist()) == sorted(batch.tolist()), f"step {k}: workers saw other examples"
        assert not set(workers[0].batches[k]) & set(workers[1].batches[k]), "the workers' batches overlap"
    for name, value in single.params.items():
        assert np.array_equal(workers[0].params[name], workers[1].params[name]), f"{name}: workers disagree"
        np.testing.assert_allclose(workers[0].params[name], value, rtol=0, atol=1e-12, err_msg=name)
    start = train_data_parallel(DataParallelConfig(**{**TINY, "lr": 1e-12}, dtype="float64"), digits_train)
    moved = max(np.abs(single.params[n] - start.params[n]).max() for n in start.params)
    assert moved > 1e-2, "training moved the parameters, so the equality above is not trivial"


def test_a_worker_that_raises_is_named_and_nothing_is_left_behind(tmp_path):
    with pytest.raises(WorkerError) as info:
        launch(raise_on_rank_1, 2, args=(str(tmp_path),), timeout=120)
    err = info.value
    assert err.rank == 1 and err.world_size == 2 and err.exc_type == "ValueError"
    message = str(err)
    assert "worker 1 of 2 raised ValueError: boom: rank 1 found a bad batch" in message
    assert "raise_on_rank_1" in err.remote_traceback, "the worker's own traceback is included"
    _assert_nothing_left(_pids(tmp_path))
    assert len(_pids(tmp_path)) == 2, "both workers had started"
    children = _pids(tmp_path, "child")
    assert len(children) == 2
    _assert_nothing_left(children, what="the workers' own child")


def test_a_worker_that_dies_silently_is_reported_with_its_exit_code(tmp_path):
    with pytest.raises(WorkerError, match="worker 0 of 2 exited with code 3 without reporting a result") as info:
        launch(die_on_rank_0, 2, args=(str(tmp_path),), timeout=120)
    assert info.value.rank == 0 and info.value.exitcode == 3 and info.value.exc_type is None
    _assert_nothing_left(_pids(tmp_path))


def test_a_hanging_worker_hits_the_timeout_and_is_stopped(tmp_path):
    start = time.monotonic()
    with pytest.raises(TimeoutError, match=r"did not finish within timeout=4 s; every worker was stopped"):
        launch(sleep_forever, 2, args=(str(tmp_path),), timeout=4)
    assert time.monotonic() - start < 4 + 15, "the launcher stops the workers promptly after the deadline"
    _assert_nothing_left(_pids(tmp_path))


def test_the_timeout_is_hard_and_ends_what_the_workers_started(tmp_path):
    with pytest.raises(TimeoutError, match="did not finish within timeout=10 s"):
        launch(ignore_sigterm_and_sleep, 2, args=(str(tmp_path),), timeout=10)
    # from the workers' start (the fork server's own first start, importing torch, comes before the deadline)
    started = min(p.stat().st_mtime for p in tmp_path.glob("rank*.pid"))
    assert time.time() - started < 10 + 6, "SIGTERM ignored: the launcher kills after a second"
    _assert_nothing_left(_pids(tmp_path) + _pids(tmp_path, "child"))
    assert len(_pids(tmp_path, "child")) == 2


def test_the_documented_hang_gives_the_promised_timeout_error(tmp_path):
    with pytest.raises(TimeoutError, match=r"worker\(s\) \[0\] of 2 did not finish.*\[1\] had returned.*same number"):
        launch(return_early_on_rank_1, 2, args=(str(tmp_path),), timeout=6)
    _assert_nothing_left(_pids(tmp_path))


def test_a_killed_launcher_leaves_no_worker_and_no_grandchild(tmp_path):
    """kill -9 of the launcher: no cleanup of its runs, yet the workers end their process groups."""
    Path(tmp_path, "orphans.py").write_text(textwrap.dedent(f"""
        import os, subprocess, sys, time
        from pathlib import Path
        import torch.distributed as dist

        def work():
            rank = dist.get_rank()
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
            Path({str(tmp_path)!r}, f"rank{{rank}}.pid").write_text(str(os.getpid()))
            Path({str(tmp_path)!r}, f"child{{rank}}.pid").write_text(str(child.pid))
            time.sleep(600)
    """))
    script = Path(tmp_path, "run.py")
    script.write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        from gradcourse.distributed import launch
        import orphans
        if __name__ == "__main__":
            launch(orphans.work, 2, timeout=600)
    """))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    launcher = subprocess.Popen([sys.executable, str(script)], env=env)
    try:
        deadline = time.monotonic() + 120
        while len(_pids(tmp_path, "child")) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        pids = _pids(tmp_path) + _pids(tmp_path, "child")
        assert len(pids) == 4, "both workers and their children started"
    finally:
        launcher.kill()
        launcher.wait()
    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in pids), "a worker or its child outlived the killed launcher"


def test_a_lambda_gets_a_clear_message_and_the_docstring_shows_the_main_guard():
    with pytest.raises(ValueError, match="fn must be a function defined at the top level of a module.*lambda"):
        launch(lambda: 1, 2)
    assert 'if __name__ == "__main__":' in launch.__doc__


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(world_size=0), "world_size must be an integer >= 1, got 0"),
        (dict(timeout=-1.0), "timeout must be a finite number of seconds > 0, got -1.0"),
        (dict(args=[1]), "args must be a tuple"),
    ],
)
def test_launch_rejects_bad_arguments_before_starting_anything(kwargs, match):
    with pytest.raises(ValueError, match=match):
        launch(train_data_parallel, **kwargs)
    assert multiprocessing.active_children() == []


def test_launch_rejects_something_that_is_not_a_function():
    with pytest.raises(ValueError, match="fn must be a function"):
        launch("train", 2)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(batch_size=0), "batch_size must be an integer >= 1, got 0"),
        (dict(lr=float("nan")), "lr must be a finite number > 0"),
        (dict(momentum=1.0), r"momentum must be a finite number in \[0, 1\)"),
        (dict(dtype="float16"), "dtype must be one of"),
    ],
)
def test_config_rejects_bad_values_with_the_argument_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        DataParallelConfig(**kwargs)


def test_without_a_process_group_it_trains_alone_and_checks_its_data(digits_train):
    result = train_data_parallel(DataParallelConfig(**TINY), digits_train)
    assert result.rank == 0 and result.world_size == 1 and len(result.losses) == 128 // 16
    assert result.losses[-1] < result.losses[0], "a few SGD steps lower the loss"
    with pytest.raises(ValueError, match="n_examples must be at most 10"):
        train_data_parallel(DataParallelConfig(**TINY), (digits_train[0][:10], digits_train[1][:10]))
    with pytest.raises(ValueError, match=r"X of shape \(n, 64\)"):
        train_data_parallel(DataParallelConfig(**TINY), (digits_train[0][:, :10], digits_train[1]))


def test_the_torchrun_entry_point_trains_in_one_process_without_torchrun(capsys, monkeypatch):
    monkeypatch.delenv("RANK", raising=False)
    main(["--batch-size", "16", "--n-examples", "64"])
    out = capsys.readouterr().out
    assert out.startswith("1 worker(s), 4 steps of 1×16 examples"), out
