"""Worker processes for the build's parallel stages (training batches, figures, the PDF)."""
import multiprocessing
import signal


def can_fork():
    """Whether this platform starts processes by forking (workers then inherit what this
    process has imported and computed, instead of starting from nothing)."""
    return "fork" in multiprocessing.get_all_start_methods()


def pool(processes, method="fork"):
    """A ``multiprocessing`` pool whose workers leave Ctrl-C to this process, which stops
    the pool (and the workers with it) without a traceback from each of them."""
    return multiprocessing.get_context(method).Pool(processes, initializer=ignore_interrupts)


def ignore_interrupts():
    """Leave Ctrl-C to the parent process (call this in a worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Worker:
    """A forked process that makes the calls sent to it, one at a time and in order, and
    leaves Ctrl-C to this process. ``submit(func, *args)`` returns a ``Call`` whose
    ``result()`` waits for the value, or raises what the call raised; ``stop()`` ends the
    process at once, even in the middle of a call (after an error or an interrupt here)."""

    def __init__(self):
        context = multiprocessing.get_context("fork")
        self._conn, child_conn = context.Pipe()
        self._process = context.Process(target=_serve, args=(child_conn,), daemon=True)
        self._process.start()
        child_conn.close()
        self._sent = 0
        self._received = {}  # call number -> (succeeded, value)

    def submit(self, func, *args):
        """Send ``func(*args)`` (picklable, like every value it returns) to the process."""
        self._conn.send((func, args))
        self._sent += 1
        return Call(self, self._sent - 1)

    def _outcome(self, number):
        while number not in self._received:
            try:
                self._received[len(self._received)] = self._conn.recv()
            except EOFError:
                raise RuntimeError("a worker process stopped before it finished") from None
        return self._received[number]

    def stop(self):
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._conn.close()


class Call:
    """A call sent to a ``Worker``."""

    def __init__(self, worker, number):
        self._worker, self._number = worker, number

    def result(self):
        succeeded, value = self._worker._outcome(self._number)
        if not succeeded:
            raise value
        return value


def _serve(conn):
    ignore_interrupts()
    while True:
        try:
            func, args = conn.recv()
        except EOFError:   # the parent closed its end: nothing more will come
            return
        try:
            outcome = (True, func(*args))
        except Exception as error:  # noqa: BLE001 (sent back, raised there)
            outcome = (False, error)
        try:
            conn.send(outcome)
        except Exception:  # noqa: BLE001 (a value or an exception that does not pickle)
            import traceback

            what = outcome[1]
            detail = ("".join(traceback.format_exception(what)) if isinstance(what, BaseException)
                      else traceback.format_exc())
            conn.send((False, RuntimeError(detail)))
