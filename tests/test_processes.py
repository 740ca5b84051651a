"""The PDF's worker process: calls in order, errors raised here, Ctrl-C left to the parent."""
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


def fail(error):
    raise error


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


def test_a_call_raises_here_what_it_raised_there_and_the_worker_goes_on():
    worker = processes.Worker()
    try:
        with pytest.raises(ValueError, match="bad value"):
            worker.submit(fail, ValueError("bad value")).result()
        with pytest.raises(RuntimeError, match="Unpicklable: boom"):
            worker.submit(raise_unpicklable).result()
        assert worker.submit(max, 4, 9).result() == 9
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
