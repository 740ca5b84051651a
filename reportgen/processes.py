"""The one home of the build's processes, behind three small interfaces:

- ``map_unordered(func, items, jobs)``: the training batches, spread over a pool;
- ``Team(work, count, jobs)``: the figure workers, which share tasks and report the end
  of each of their phases (PNGs first, then SVGs);
- ``background(enabled)``: the PDF's process (a ``Worker``), or the same calls made here.

Every worker leaves Ctrl-C to the build's process, which stops them; ``import_deferring
_interrupts`` imports C extensions so that a Ctrl-C meanwhile is raised after the import.

An error in a worker is raised here as a ``WorkerError`` (or, from a ``Worker``'s call, as
itself) whose message is one line, what failed and why; the worker's traceback is its
cause (a ``RemoteTraceback``), which ``reportgen --debug`` shows. Workers whose parent dies
(a kill -9 of the build) end at once and quietly (``_exit_with_parent``).
"""
import contextlib
import ctypes
import ctypes.util
import functools
import importlib
import multiprocessing
import multiprocessing.connection
import os
import queue
import signal
import sys
import threading
import time
import traceback
from multiprocessing.reduction import ForkingPickler


def can_fork():
    """Whether this platform starts processes by forking (workers then inherit what this
    process has imported and computed, instead of starting from nothing)."""
    return "fork" in multiprocessing.get_all_start_methods()


def map_unordered(func, items, jobs):
    """``func(item)`` of every item, in the order they finish: here, one after another, with
    one job or one item; else in a pool of ``min(jobs, len(items))`` processes, forked
    (they start at once, with what this process has imported) where the platform can,
    else spawned. The pool's workers leave Ctrl-C to this process, which stops them."""
    items = list(items)
    if jobs == 1 or len(items) <= 1:
        yield from map(func, items)
        return
    if can_fork():
        # a Team, not a multiprocessing.Pool: stopping a pool after a worker's error could
        # hang in its terminate (seen once in the test suite, for ten minutes)
        team = Team(_mapping(func, items), len(items), min(jobs, len(items)))
        try:
            yield from team.values("done")
            team.join()
        finally:
            team.stop()
        return
    with children_ignore_interrupts():
        pool = multiprocessing.get_context("spawn").Pool(min(jobs, len(items)),
                                                         initializer=_pool_worker,
                                                         initargs=(_parent(),))
    with pool:
        for failed, value, where in pool.imap_unordered(_Reporting(func), items):
            if failed:
                raise WorkerError(value) from RemoteTraceback(where)
            yield value


class Overtime(Exception):
    """A task of ``map_with_deadline`` ran past its time limit: ``item`` is that task."""

    def __init__(self, item, seconds):
        super().__init__(f"did not finish within {seconds:g} s")
        self.item, self.seconds = item, seconds


def map_with_deadline(func, items, seconds, jobs):
    """``func(item)`` of every item, in the order they finish, in ``min(jobs, len(items))``
    forked processes (even one: so that a task can be stopped), each task given at most
    ``seconds``: one that takes longer stops every process and raises ``Overtime``. An error
    in ``func`` is raised here as itself, the worker's traceback its cause. Where the
    platform cannot fork: here, one after another, with no time limit."""
    items = list(items)
    if not can_fork():
        yield from map(func, items)
        return
    slots = []
    try:
        with children_ignore_interrupts():
            slots = [_Slot(func, items) for _ in range(min(jobs, len(items)))]
        tasks = iter(range(len(items)))
        for slot in slots:
            slot.give(next(tasks, None))
        while busy := [slot for slot in slots if slot.index is not None]:
            left = min(slot.started for slot in busy) + seconds - time.monotonic()
            ready = multiprocessing.connection.wait([slot.conn for slot in busy],
                                                    timeout=max(left, 0))
            if not ready:
                raise Overtime(items[min(busy, key=lambda s: s.started).index], seconds)
            for slot in busy:
                if slot.conn in ready:
                    value = slot.result()
                    slot.give(next(tasks, None))
                    yield value
    finally:
        for slot in slots:
            slot.stop()


class _Slot:
    """One process of ``map_with_deadline``: it is given task numbers and answers each."""

    def __init__(self, func, items):
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_answer, args=(func, items, child, _parent()),
                                       daemon=True)
        self.process.start()
        child.close()
        self.index = self.started = None

    def give(self, index):
        self.index, self.started = index, time.monotonic()
        if index is not None:
            self.conn.send(index)

    def result(self):
        try:
            succeeded, value, where = self.conn.recv()
        except EOFError:
            raise _stopped() from None
        if not succeeded:
            raise value from RemoteTraceback(where)
        return value

    def stop(self):
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.conn.close()


def _answer(func, items, conn, parent):
    """In a ``_Slot``'s process: ``func`` of each task number received, sent back."""
    ignore_interrupts()
    _exit_with_parent(parent)
    while True:
        try:
            index = conn.recv()
        except (EOFError, OSError):
            return
        try:
            outcome = (True, func(items[index]), None)
        except Exception as error:  # noqa: BLE001 (raised in the parent)
            outcome = (False, error, "".join(traceback.format_exception(error)))
        try:
            conn.send(outcome)
        except (BrokenPipeError, ConnectionResetError):
            return
        except Exception:  # noqa: BLE001 (an error or a value that does not pickle)
            conn.send((False, RuntimeError(describe(outcome[1]) if not outcome[0] else
                                           "a value that does not pickle"), outcome[2] or ""))


def _mapping(func, items):
    """The work of a Team member for ``map_unordered``: ``func`` of each item it takes."""
    def work(next_task, report):
        while (index := next_task()) is not None:
            report("value", func(items[index]))
        report("done")
    return work


def _pool_worker(parent):
    ignore_interrupts()
    _exit_with_parent(parent)


class _Reporting:
    """``func`` in a pool's worker: (failed, value or one-line message, traceback), so that
    an error is raised here in one line, whether or not it pickles."""

    def __init__(self, func):
        self.func = func

    def __call__(self, item):
        try:
            return False, self.func(item), None
        except Exception as error:  # noqa: BLE001 (raised in the parent)
            return True, describe(error), "".join(traceback.format_exception(error))


def describe(error):
    """An exception in one line: its type and message (``OSError: [Errno 28] No space...``)."""
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


class WorkerError(RuntimeError):
    """An error in a worker process: its message says what failed and why, in one line; its
    cause (a ``RemoteTraceback``) is the worker's traceback."""


_PR_SET_PDEATHSIG = 1


def _parent():
    """What a worker started here needs to know of this process (``_exit_with_parent``)."""
    return os.getpid(), _in_main_thread()


def _exit_with_parent(parent):
    """In a worker: end quietly (SIGTERM, which every worker takes as the end of its work)
    as soon as the parent (``_parent()``, called there) dies, rather than finish work no one
    waits for and print BrokenPipeError tracebacks. On Linux the kernel sends the signal
    (prctl) if the worker was started from the parent's main thread (the signal comes when
    the thread that started it ends); elsewhere a thread watches the parent's pid."""
    parent, from_main_thread = parent
    if sys.platform.startswith("linux") and from_main_thread:
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0:
                if os.getppid() != parent:    # died before prctl: no signal will come
                    os.kill(os.getpid(), signal.SIGTERM)
                return
        except (OSError, AttributeError):
            pass

    def watch():
        while os.getppid() == parent:
            threading.Event().wait(0.2)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, daemon=True).start()


def import_deferring_interrupts(*names):
    """Import modules (C extensions: matplotlib, WeasyPrint) with Ctrl-C deferred to the end
    of the import: an interrupt inside one breaks its initialisation into an ImportError."""
    with interrupts_deferred():
        for name in names:
            importlib.import_module(name)


def ignore_interrupts():
    """Leave Ctrl-C to the parent process (call this in a worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def children_ignore_interrupts():
    """Start processes in this block: they are born ignoring Ctrl-C (a Ctrl-C between a
    fork and the child's own ``ignore_interrupts`` would print a traceback from the child)."""
    return _sigint_handled_by(signal.SIG_IGN)


@contextlib.contextmanager
def interrupts_deferred():
    """Run the block to its end even if Ctrl-C comes; then raise the KeyboardInterrupt (in
    a process that ignores Ctrl-C, such as a worker, the block just runs)."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        yield
        return
    received = []
    with _sigint_handled_by(lambda *_: received.append(True)):
        yield
    if received:
        raise KeyboardInterrupt


@contextlib.contextmanager
def _sigint_handled_by(handler):
    """Ctrl-C goes to ``handler`` in the block. Outside the main thread, where Ctrl-C never
    lands and handlers cannot be set, the handler is left as it is."""
    if not _in_main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _in_main_thread():
    return threading.current_thread() is threading.main_thread()


class Worker:
    """A forked process that makes the calls sent to it, one at a time and in order, and
    leaves Ctrl-C to this process. ``submit(func, *args)`` returns a ``Call`` whose
    ``result()`` waits for the value, or raises what the call raised; ``stop()`` ends the
    process at once, even in the middle of a call (after an error or an interrupt here).

    Calls and values go through one pipe each way. The process reads the calls as they
    come, in a thread of its own, so that sending one never waits for the calls before it
    to end (the build sends the page to lay out as a PDF, megabytes, while the process is
    still warming up); a value it sends back waits in the pipe until it is asked for.
    """

    def __init__(self):
        context = multiprocessing.get_context("fork")
        self._conn, child_conn = context.Pipe()
        self._process = context.Process(target=_serve,
                                        args=(child_conn, self._conn, _parent()), daemon=True)
        with children_ignore_interrupts():
            self._process.start()
        child_conn.close()
        self._sent = 0
        self._received = []  # (succeeded, value, worker's traceback) of each call, in order

    def submit(self, func, *args):
        """Send ``func(*args)`` (picklable, like every value it returns) to the process."""
        try:
            self._conn.send((func, args))
        except (BrokenPipeError, ConnectionResetError):
            raise _stopped() from None
        self._sent += 1
        return Call(self, self._sent - 1)

    def _outcome(self, number):
        while len(self._received) <= number:
            self._receive()
        return self._received[number]

    def _arrived(self, number, timeout):
        """Whether the outcome of call ``number`` is here, waiting up to ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while len(self._received) <= number:
            if not self._conn.poll(max(deadline - time.monotonic(), 0)):
                return False
            self._receive()
        return True

    def _receive(self):
        try:
            outcome = self._conn.recv()
        except EOFError:
            raise _stopped() from None
        except Exception as error:  # noqa: BLE001 (a value that does not unpickle here)
            # recv read the whole message: the next one is the next call's
            outcome = (False, RuntimeError(f"the worker's answer could not be read: {error!r}"),
                       None)
        self._received.append(outcome)

    def stop(self):
        """End the process now, whatever it is doing."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._conn.close()


def _stopped():
    return RuntimeError("a worker process stopped before it finished")


class Call:
    """A call sent to a ``Worker``."""

    def __init__(self, worker, number):
        self._worker, self._number = worker, number

    def done(self, timeout=0.0):
        """Whether the call has ended (its value or error has come), waiting up to
        ``timeout`` seconds for it."""
        return self._worker._arrived(self._number, timeout)

    def result(self):
        """The call's value; or the exception it raised, with the worker's traceback as
        its cause."""
        succeeded, value, where = self._worker._outcome(self._number)
        if not succeeded:
            raise value from (RemoteTraceback(where) if where else None)
        return value


class RemoteTraceback(Exception):
    """Where a call failed in the worker, shown as the cause of the error raised here."""

    def __str__(self):
        return f"\n\n{self.args[0]}"


def _serve(conn, parent_conn, parent):
    # this process's copy of the parent's end: closed, so that a receive here ends (EOF)
    # once the parent's own copy closes, even if the parent dies without stopping us
    parent_conn.close()
    _exit_with_parent(parent)
    calls = queue.SimpleQueue()
    threading.Thread(target=_receive_calls, args=(conn, calls), daemon=True).start()
    while True:
        message = calls.get()
        if message is None:
            return
        func, args = ForkingPickler.loads(message)      # here, not in the reading thread
        try:
            outcome = (True, func(*args), None)
        except Exception as error:  # noqa: BLE001 (sent back, raised there)
            outcome = (False, error, "".join(traceback.format_exception(error)))
        try:
            conn.send(outcome)
        except (BrokenPipeError, ConnectionResetError):
            return      # the parent is gone: no one to answer
        except Exception as error:  # noqa: BLE001 (a value or an exception that does not pickle)
            detail = outcome[2] or traceback.format_exc()
            try:
                what = ("its value" if outcome[0]
                        else f"the error it raised, {describe(outcome[1])},")
                conn.send((False, RuntimeError(f"the worker's answer could not be sent: "
                                               f"{what} does not pickle ({describe(error)})"),
                           detail))
            except (BrokenPipeError, ConnectionResetError):
                return


def _receive_calls(conn, calls):
    """In a Worker's process: put each call's message on ``calls`` as it comes, then None
    when the parent's end closes."""
    while True:
        try:
            calls.put(conn.recv_bytes())
        except (EOFError, OSError):
            calls.put(None)
            return


class Team:
    """Forked processes that share ``count`` tasks (numbered 0..count-1; what they stand for
    the processes inherit) and report the end of each phase of their work.

    ``work(next_task, report)`` runs in each process: it takes tasks with ``next_task()``
    (None when there are no more), calls ``report(phase)`` at the end of each phase, and
    ``report("value", value)`` to send a value (``values`` yields them). An error in it is raised here, by ``wait``, naming ``describe()``'s
    answer at the time (the task at work). A process stopped in the middle of its work
    exits as on an error, so that ``atomic_open`` removes its temporary file.
    """

    def __init__(self, work, count, jobs):
        context = multiprocessing.get_context("fork")
        tasks, self._reports = context.SimpleQueue(), context.Queue()
        for index in list(range(count)) + [None] * jobs:
            tasks.put(index)
        self._processes = [context.Process(target=_member,
                                           args=(work, tasks, self._reports, _parent()),
                                           daemon=True) for _ in range(jobs)]
        with children_ignore_interrupts():
            for process in self._processes:
                process.start()
        self._reported = {}

    def wait(self, phase):
        """Wait until every process has reported the end of ``phase``."""
        for _ in self._reports_until(phase):
            pass

    def values(self, phase):
        """Yield the values the processes send, until every one has reported ``phase``."""
        for kind, detail in self._reports_until(phase):
            if kind == "value":
                yield detail

    def _reports_until(self, phase):
        """Yield each (kind, detail) reported until every process has reported ``phase``;
        an error, or a process that died, stops the team and is raised."""
        while self._reported.get(phase, 0) < len(self._processes):
            try:
                kind, detail = self._reports.get(timeout=0.5)
            except queue.Empty:
                if any(p.exitcode not in (None, 0) for p in self._processes):
                    self.stop()
                    raise RuntimeError("a worker process stopped without finishing its work")
                continue
            if kind == "error":
                self.stop()
                message, where = detail
                raise WorkerError(message) from RemoteTraceback(where)
            self._reported[kind] = self._reported.get(kind, 0) + 1
            yield kind, detail

    def join(self):
        for process in self._processes:
            process.join()

    def stop(self):
        """End the processes now, wherever they are."""
        for process in self._processes:
            if process.is_alive():
                process.terminate()
        self.join()


class TaskError(Exception):
    """An error of a team's work, with what it was doing (``where``) for the message."""

    def __init__(self, where, error):
        super().__init__(f"{where}: {describe(error)}")
        self.where, self.error = where, error


@contextlib.contextmanager
def doing(where):
    """In a team's work: an error in the block is reported as the error of ``where``."""
    try:
        yield
    except Exception as error:
        raise TaskError(where, error) from error


def _member(work, tasks, reports, parent):
    ignore_interrupts()
    # stopped (by the build, or as its parent died): exit as on an error, which removes a
    # temporary file being written, and quietly
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    _exit_with_parent(parent)
    try:
        work(tasks.get, lambda kind, detail=None: reports.put((kind, detail)))
    except TaskError as error:
        reports.put(("error", (str(error), "".join(traceback.format_exception(error.error)))))
    except Exception as error:  # noqa: BLE001 (reported to the build, which raises it)
        reports.put(("error", (describe(error), traceback.format_exc())))


class _Here:
    """Calls made in this process when their result is asked for: the stand-in for a
    ``Worker`` where there is none."""

    def submit(self, func, *args):
        return _Deferred(functools.partial(func, *args))


class _Deferred:
    def __init__(self, call):
        self._call = call

    def done(self, timeout=0.0):
        """Always true: the call is made when its result is asked for."""
        return True

    def result(self):
        return self._call()


@contextlib.contextmanager
def background(enabled):
    """A ``Worker`` to send calls to (``submit(func, *args).result()``) where ``enabled``
    and the platform can fork; else an object with the same ``submit``, whose calls are made
    here when their results are asked for. On leaving the block (an error, Ctrl-C) the
    worker is stopped at once, not waited for."""
    if not (enabled and can_fork()):
        yield _Here()
        return
    worker = Worker()
    try:
        yield worker
    finally:
        worker.stop()


def job_count(jobs=None):
    """How many processes ``--jobs`` asks for: all cores by default."""
    return jobs or os.cpu_count() or 1
