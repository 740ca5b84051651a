"""Worker processes for the build's parallel stages (training batches, figures, the PDF)."""
import contextlib
import multiprocessing
import signal
import threading
import traceback


def can_fork():
    """Whether this platform starts processes by forking (workers then inherit what this
    process has imported and computed, instead of starting from nothing)."""
    return "fork" in multiprocessing.get_all_start_methods()


def pool(processes, method="fork"):
    """A ``multiprocessing`` pool whose workers leave Ctrl-C to this process, which stops
    the pool (and the workers with it) without a traceback from each of them."""
    with children_ignore_interrupts():
        return multiprocessing.get_context(method).Pool(processes, initializer=ignore_interrupts)


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

    Calls and values go through one pipe each way, and a send waits while the pipe is
    full: send a large argument only once the values of the calls before it are small
    (fit in the pipe) or have been read.
    """

    def __init__(self):
        context = multiprocessing.get_context("fork")
        self._conn, child_conn = context.Pipe()
        self._process = context.Process(target=_serve, args=(child_conn, self._conn),
                                        daemon=True)
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
            try:
                outcome = self._conn.recv()
            except EOFError:
                raise _stopped() from None
            except Exception as error:  # noqa: BLE001 (a value that does not unpickle here)
                # recv read the whole message: the next one is the next call's
                outcome = (False, RuntimeError(f"the worker's answer could not be read: {error!r}"),
                           None)
            self._received.append(outcome)
        return self._received[number]

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


def _serve(conn, parent_conn):
    # this process's copy of the parent's end: closed, so that a receive here ends (EOF)
    # once the parent's own copy closes, even if the parent dies without stopping us
    parent_conn.close()
    while True:
        try:
            func, args = conn.recv()
        except EOFError:
            return
        try:
            outcome = (True, func(*args), None)
        except Exception as error:  # noqa: BLE001 (sent back, raised there)
            outcome = (False, error, "".join(traceback.format_exception(error)))
        try:
            conn.send(outcome)
        except Exception:  # noqa: BLE001 (a value or an exception that does not pickle)
            detail = outcome[2] or traceback.format_exc()
            conn.send((False, RuntimeError(f"the worker's answer could not be sent:\n{detail}"),
                       None))
