"""The build's processes: the pool, the team of figure workers, the PDF's worker (calls in
order, errors raised here, Ctrl-C left to the parent)."""
import multiprocessing
import os
import signal
import time

import pytest

from reportgen import processes

pytestmark = pytest.mark.skipif(not processes.can_fork(), reason="needs fork")


class Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("not picklable")


class NeedsTwoArguments(Exception):
    """Pickles, but does not unpickle (BaseException.__reduce__ passes only args)."""

    def __init__(self, a, b):
        super().__init__(f"{a} {b}")


def fail(error):
    raise error


def raise_needs_two():
    raise NeedsTwoArguments("x", "y")


def raise_unpicklable():
    raise Unpicklable("boom")


def test_calls_return_their_values_in_any_order_of_asking():
    worker = processes.Worker()
    try:
        first = worker.submit(sum, [1, 2, 3])
        second = worker.submit(divmod, 17, 5)
        assert second.result() == (3, 2)
        assert first.result() == 6
        assert worker.submit(os.getpid).result() != os.getpid()
    finally:
        worker.stop()


def test_done_tells_whether_a_call_has_ended_waiting_at_most_its_timeout():
    worker = processes.Worker()
    try:
        slow, quick = worker.submit(time.sleep, 0.5), worker.submit(divmod, 7, 2)
        start = time.monotonic()
        assert not quick.done(0.05) and not slow.done(0)     # behind the slow call
        assert time.monotonic() - start < 0.4
        assert quick.done(10) and slow.done(0)
        assert quick.result() == (3, 1) and slow.result() is None
        failing = worker.submit(fail, ValueError("no"))
        assert failing.done(10)                               # an error ends a call too
        with pytest.raises(ValueError, match="no"):
            failing.result()
    finally:
        worker.stop()
    with processes.background(False) as here:
        assert here.submit(divmod, 7, 2).done()               # made when asked for


def test_a_large_call_is_sent_at_once_while_the_worker_is_busy():
    """Sending megabytes (the page to lay out) does not wait for the call before it (the
    warm-up): the worker reads its calls as they come."""
    worker = processes.Worker()
    try:
        busy = worker.submit(time.sleep, 1.0)
        start = time.monotonic()
        large = worker.submit(len, b"x" * 5_000_000)
        assert time.monotonic() - start < 0.5
        assert not busy.done(0)
        assert large.result() == 5_000_000 and busy.done(0)
    finally:
        worker.stop()


def test_a_call_raises_here_what_it_raised_there_and_the_worker_goes_on():
    worker = processes.Worker()
    try:
        with pytest.raises(ValueError, match="bad value"):
            worker.submit(fail, ValueError("bad value")).result()
        with pytest.raises(RuntimeError, match="Unpicklable: boom"):
            worker.submit(raise_unpicklable).result()
        with pytest.raises(RuntimeError, match="could not be read"):
            worker.submit(raise_needs_two).result()
        assert worker.submit(max, 4, 9).result() == 9
    finally:
        worker.stop()


def test_an_error_carries_the_workers_traceback_as_its_cause():
    worker = processes.Worker()
    try:
        with pytest.raises(ZeroDivisionError) as caught:
            worker.submit(divmod, 1, 0).result()
        cause = caught.value.__cause__
        assert isinstance(cause, processes.RemoteTraceback)
        assert "Traceback" in str(cause) and "ZeroDivisionError" in str(cause)
    finally:
        worker.stop()


def test_the_worker_leaves_ctrl_c_to_the_parent():
    worker = processes.Worker()
    try:
        pid = worker.submit(os.getpid).result()
        slow = worker.submit(time.sleep, 0.3)
        os.kill(pid, signal.SIGINT)
        assert slow.result() is None
        assert worker.submit(abs, -2).result() == 2
    finally:
        worker.stop()


def test_stop_ends_the_process_in_the_middle_of_a_call():
    worker = processes.Worker()
    pid = worker.submit(os.getpid).result()
    worker.submit(time.sleep, 3600)
    worker.stop()
    assert pid not in [child.pid for child in multiprocessing.active_children()]
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_the_worker_ends_by_itself_when_this_end_of_its_pipe_closes():
    """As when the build dies without stopping it: no process is left waiting forever."""
    worker = processes.Worker()
    assert worker.submit(abs, -1).result() == 1
    worker._conn.close()
    worker._process.join(timeout=30)
    assert worker._process.exitcode == 0


def test_an_interrupt_in_a_deferred_block_is_raised_at_its_end():
    finished = []
    with pytest.raises(KeyboardInterrupt):
        with processes.interrupts_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)   # the signal is handled here, and only noted
            finished.append(True)
    assert finished == [True]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_where_ctrl_c_is_ignored_a_deferred_block_just_runs(monkeypatch):
    monkeypatch.setattr(signal, "getsignal", lambda _: signal.SIG_IGN)
    installed = []
    monkeypatch.setattr(signal, "signal", lambda *args: installed.append(args))
    with processes.interrupts_deferred():
        pass
    assert installed == []


def test_workers_can_be_started_from_another_thread():
    """Signal handlers can only be set in the main thread: elsewhere they are left alone."""
    import threading

    got = []

    def use_a_worker():
        with processes.interrupts_deferred():
            worker = processes.Worker()
        try:
            got.append(worker.submit(pow, 2, 10).result())
        finally:
            worker.stop()

    thread = threading.Thread(target=use_a_worker)
    thread.start()
    thread.join(timeout=60)
    assert got == [1024]


def square_and_pid(x):
    return x * x, os.getpid()


def test_map_unordered_gives_every_value_here_or_in_a_pool():
    here = list(processes.map_unordered(square_and_pid, range(6), jobs=1))
    assert [v for v, _ in here] == [0, 1, 4, 9, 16, 25] and {p for _, p in here} == {os.getpid()}
    pooled = list(processes.map_unordered(square_and_pid, range(6), jobs=2))
    assert sorted(v for v, _ in pooled) == [0, 1, 4, 9, 16, 25]
    assert os.getpid() not in {p for _, p in pooled}
    one = list(processes.map_unordered(square_and_pid, [3], jobs=2))   # one item: no pool
    assert one == [(9, os.getpid())]


def test_background_disabled_makes_each_call_here_when_asked():
    calls = []
    with processes.background(False) as worker:
        call = worker.submit(calls.append, "made")
        assert calls == []
        assert call.result() is None and calls == ["made"]


def test_background_enabled_makes_calls_in_another_process():
    with processes.background(True) as worker:
        assert worker.submit(os.getpid).result() != os.getpid()


def test_a_team_reports_each_phase_and_an_error_names_its_task():
    def work(next_task, phase_done):
        while (task := next_task()) is not None:
            with processes.doing(f"task {task}"):
                if task == 3:
                    raise ValueError("three is not allowed")
        phase_done("done")

    team = processes.Team(work, 3, jobs=2)
    team.wait("done")
    team.join()
    team = processes.Team(work, 4, jobs=2)
    with pytest.raises(processes.WorkerError) as caught:
        team.wait("done")
    # one line: what failed and why; the worker's traceback is the cause (shown by --debug)
    assert str(caught.value) == "task 3: ValueError: three is not allowed"
    cause = caught.value.__cause__
    assert isinstance(cause, processes.RemoteTraceback)
    assert "Traceback" in str(cause) and "raise ValueError" in str(cause)


def test_an_error_in_a_pool_worker_is_one_line_with_the_traceback_as_its_cause():
    with pytest.raises(processes.WorkerError) as caught:
        list(processes.map_unordered(fail, [ValueError("a"), OSError(28, "No space left")],
                                     jobs=2))
    assert str(caught.value) in ("ValueError: a", "OSError: [Errno 28] No space left")
    assert "Traceback" in str(caught.value.__cause__)


ORPHANS = r"""
import os, sys, time
from reportgen import processes

def busy(kind, seconds=3):
    os.write(1, f"{kind}\n".encode())
    time.sleep(seconds)
    return kind

def work(next_task, phase_done):
    while next_task() is not None:
        busy("team")
    phase_done("done")

team = processes.Team(work, 1, jobs=1)
with processes.background(True) as worker:
    call = worker.submit(busy, "worker")
    for _ in processes.map_unordered(busy, ["pool", "pool"], jobs=2):
        pass
"""


def test_workers_whose_parent_was_killed_exit_quietly(tmp_path):
    """After a kill -9 of the build, its figure team, PDF worker and pool workers end at
    once, without a traceback (they used to print BrokenPipeError tracebacks as they
    exited, or wait for ever)."""
    import subprocess
    import sys

    script = tmp_path / "orphans.py"
    script.write_text(ORPHANS)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    build = subprocess.Popen([sys.executable, str(script)], cwd=root, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, start_new_session=True,
                             env={**os.environ, "PYTHONPATH": root})
    try:
        busy = set()
        while busy != {"team", "worker", "pool"}:     # every kind of worker is at work
            line = build.stdout.readline().decode().strip()
            assert line, build.stderr.read().decode()
            busy.add(line)
        build.kill()
        build.wait()
        started = time.monotonic()
        # the workers hold the pipes: they are at their end once every worker has exited
        stderr = build.stderr.read().decode()
        build.stdout.read()
        assert time.monotonic() - started < 2.5, "the workers finished their work first"
    finally:
        try:
            os.killpg(build.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
