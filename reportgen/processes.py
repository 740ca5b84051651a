"""Worker processes for the build's parallel stages (training batches, figures)."""
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
