"""How fast the engine trains, side by side with the alternatives, on the lab's workloads.

    python benchmarks/bench_training.py           # a few minutes
    python benchmarks/bench_training.py --quick   # under a minute, rougher numbers

Workloads: the XOR (21 points) and linear (100 points) data sets, networks (2, w, w, 1) with
w = 4, 8, 32, sigmoid everywhere, MSE, plain SGD (lr 1), full batch. Contenders:

- ``naive loop``: what a student writes, a Python loop over the samples with per-sample
  forward and backward passes on NumPy vectors, gradients summed over the epoch (so it is
  the same full-batch training; checked against ``train`` below);
- ``train``: the engine, one network;
- ``train_many K=..``: the engine, K networks trained as one stack;
- ``torch ..``: PyTorch on the CPU, one thread, float64 like the engine: K separate
  ``nn.Sequential`` networks trained one after the other with ``optim.SGD`` ("one by
  one"), and K networks as one batch of ``torch.baddbmm`` products ("bmm");
- ``sklearn``: scikit-learn's ``MLPClassifier(solver="sgd")`` with batch_size = n, no
  momentum, no L2 penalty, no early stop, max_iter = epochs (note: its loss is the
  log-loss, not MSE).

Every number is the cost of one more epoch of one network, in microseconds: each
measurement times a run of 1 epoch and a run of E epochs and divides the difference by
E - 1 (so building the networks, stacking them and importing are left out, as they are
in a 5000-epoch run), and by the number of networks; the median of ``--repeats`` (>= 5)
such measurements is shown. E is picked per contender so that a run takes about 0.2 s,
and long enough that the epochs outweigh the one-epoch run (building a thousand networks
takes a good part of a second), within 2 s (at least 5 epochs; 3 with --quick). The engine
records the loss and the accuracy after every epoch; the naive loop and PyTorch record the
loss; scikit-learn records its own loss curve. ``x`` is the speed-up over ``train``
measured in the same run (higher is faster).

At the end, the whole report, ``--builds`` times (3) in a new empty temporary folder each:
``reportgen build`` from a cold cache, the same build again (no change), and ``reportgen run
--force``; the median wall time with its range, and the median CPU time (user + system)
of all their processes. The same work takes more CPU time when a shared machine's
neighbours are busy: a slow build whose CPU time grew as much was slowed by the machine.
"""
import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from reportgen.engine import Network, RunSpec, datasets, train, train_many

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = (4, 8, 32)
DATASETS = ("xor", "linear")
LR = 1.0
STACKS = (10, 100, 1000)
#: the longest a single timed run may take, in seconds (the epochs are picked to fit)
MAX_SECONDS = 2.0


def spec_for(width, epochs, seed=0):
    return RunSpec(sizes=(2, width, width, 1), activation="sigmoid", output_activation="sigmoid",
                   loss="mse", optimizer="sgd", lr=LR, epochs=epochs, batch_size=None,
                   init="normal", seed=seed)


# --------------------------------------------------------------------------- contenders

def engine_single(X, y, width):
    def run(epochs):
        train(spec_for(width, epochs), X, y)
    return run, 1


def engine_many(K):
    def make(X, y, width):
        def run(epochs):
            train_many([spec_for(width, epochs, seed) for seed in range(K)], X, y)
        return run, K
    return make


def _naive_sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def naive_train(W, b, X, y, epochs, lr=LR):
    """The student's loop: one sample at a time, gradients summed, one step per epoch.
    ``W``, ``b``: lists of weight matrices and bias vectors, updated in place. Returns
    the loss after each epoch (before the step, as the engine records it)."""
    n = len(X)
    losses = []
    for _ in range(epochs):
        gW = [np.zeros_like(w) for w in W]
        gb = [np.zeros_like(v) for v in b]
        loss = 0.0
        for i in range(n):
            # forward
            acts = [X[i]]
            for w, v in zip(W, b):
                acts.append(_naive_sigmoid(acts[-1] @ w + v))
            out = acts[-1]
            loss += float((out[0] - y[i, 0]) ** 2) / n
            # backward: delta = dL/dz, layer by layer
            delta = 2.0 * (out - y[i]) / n * out * (1.0 - out)
            for layer in range(len(W) - 1, -1, -1):
                gW[layer] += np.outer(acts[layer], delta)
                gb[layer] += delta
                if layer:
                    a = acts[layer]
                    delta = (W[layer] @ delta) * a * (1.0 - a)
        losses.append(loss)
        for w, g in zip(W, gW):
            w -= lr * g
        for v, g in zip(b, gb):
            v -= lr * g
    return losses


def _engine_weights(width):
    """The initial weights ``train`` starts from, as plain arrays."""
    layers = Network.from_spec(spec_for(width, 1)).layers
    return [layer.W.copy() for layer in layers], [layer.b.copy() for layer in layers]


def naive(X, y, width):
    def run(epochs):
        W, b = _engine_weights(width)
        naive_train(W, b, X, y, epochs)
    return run, 1


def check_naive_is_the_same_training():
    """The naive loop trains exactly what ``train`` trains (loss history to 1e-9)."""
    X, y = datasets.load("xor")
    W, b = _engine_weights(4)
    with np.errstate(all="ignore"):
        losses = naive_train(W, b, X, y, 20)
    reference = train(spec_for(4, 20), X, y).loss[:20]
    return bool(np.allclose(losses, reference, rtol=1e-9, atol=0))


def torch_one_by_one(K):
    def make(X, y, width):
        import torch
        Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

        def run(epochs):
            for seed in range(K):
                torch.manual_seed(seed)
                model = torch.nn.Sequential(
                    torch.nn.Linear(2, width), torch.nn.Sigmoid(),
                    torch.nn.Linear(width, width), torch.nn.Sigmoid(),
                    torch.nn.Linear(width, 1), torch.nn.Sigmoid()).double()
                opt = torch.optim.SGD(model.parameters(), lr=LR)
                loss_fn = torch.nn.MSELoss()
                losses = []
                for _ in range(epochs):
                    opt.zero_grad()
                    loss = loss_fn(model(Xt), yt)
                    loss.backward()
                    opt.step()
                    losses.append(loss.item())
        return run, K
    return make


def torch_bmm(K):
    def make(X, y, width):
        import torch
        n = len(X)
        Xt = torch.from_numpy(X).expand(K, n, 2)
        yt = torch.from_numpy(y).expand(K, n, 1)
        sizes = (2, width, width, 1)

        def run(epochs):
            gen = torch.Generator().manual_seed(0)
            params = []
            for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
                params.append(torch.randn(K, fan_in, fan_out, generator=gen, dtype=torch.float64,
                                          requires_grad=True))
                params.append(torch.zeros(K, 1, fan_out, dtype=torch.float64, requires_grad=True))
            losses = []
            for _ in range(epochs):
                a = Xt
                for W, b in zip(params[0::2], params[1::2]):
                    a = torch.sigmoid(torch.baddbmm(b, a, W))
                per_net = ((a - yt) ** 2).mean(dim=(1, 2))   # each network's own MSE
                per_net.sum().backward()
                with torch.no_grad():
                    for p in params:
                        p -= LR * p.grad
                        p.grad = None
                losses.append(per_net.detach())
        return run, K
    return make


def sklearn_mlp(X, y, width):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    labels = y.ravel().astype(int)

    def run(epochs):
        model = MLPClassifier(hidden_layer_sizes=(width, width), activation="logistic",
                              solver="sgd", alpha=0.0, batch_size=len(X),
                              learning_rate="constant", learning_rate_init=LR, momentum=0.0,
                              nesterovs_momentum=False, max_iter=epochs, tol=0.0,
                              n_iter_no_change=epochs + 10, shuffle=False, early_stopping=False,
                              random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, labels)
    return run, 1


def optional(module):
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def contenders():
    """(label, factory or None, note when skipped)."""
    rows = [("naive loop (per sample)", naive, None),
            ("train (one network)", engine_single, None)]
    rows += [(f"train_many K={K}", engine_many(K), None) for K in STACKS]
    if optional("torch"):
        import torch
        torch.set_num_threads(1)
        rows.append(("torch, one by one (K=10)", torch_one_by_one(10), None))
        rows += [(f"torch bmm K={K}", torch_bmm(K), None) for K in STACKS[1:]]
    else:
        rows.append(("torch", None, "not installed (pip install torch)"))
    if optional("sklearn"):
        rows.append(("sklearn MLPClassifier", sklearn_mlp, None))
    else:
        rows.append(("sklearn", None, "not installed (pip install scikit-learn)"))
    return rows


# --------------------------------------------------------------------------- measuring

def _seconds(run, epochs):
    start = time.perf_counter()
    run(epochs)
    return time.perf_counter() - start


def _epoch_seconds(run, one):
    """Seconds one more epoch takes, from a run long enough that its epochs outweigh the
    one-epoch run ``one`` (building a thousand networks takes a good part of a second, and
    varies by more than a few epochs of them take)."""
    epochs = 11
    while True:
        extra = _seconds(run, epochs) - one
        if extra > one or epochs > 10_000:
            return max(extra, 1e-9) / (epochs - 1)
        epochs *= 4


def per_network_epoch(run, networks, budget, repeats, min_epochs):
    """Median over ``repeats`` of (time(E epochs) - time(1 epoch)) / (E - 1) / networks, in µs."""
    with np.errstate(all="ignore"):
        one = _seconds(run, 1)                              # also the warm-up
        epochs = min_epochs
        if budget:
            probe = _epoch_seconds(run, one)
            # about ``budget`` seconds, and long enough that the epochs outweigh the
            # one-epoch run they are measured against, within MAX_SECONDS
            wanted = max(min_epochs, budget / probe, 4 * one / probe)
            epochs = int(min(wanted, max(min_epochs, MAX_SECONDS / probe)))
        slopes = []
        for _ in range(repeats):
            one = _seconds(run, 1)
            many = _seconds(run, epochs)
            slopes.append(max(many - one, 0.0) / (epochs - 1))
    return statistics.median(slopes) / networks * 1e6, epochs


# --------------------------------------------------------------------------- the runner

def _reportgen_command():
    exe = shutil.which("reportgen")
    return [exe] if exe else [sys.executable, "-c", "from reportgen.cli import main; main()"]


def _timed(args):
    """(wall seconds, CPU seconds of the command and every process it waited for) of one
    ``reportgen`` command; raises RuntimeError if it fails."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(_reportgen_command() + args, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["?"]
        raise RuntimeError(f"reportgen {args[0]} failed: {tail[0]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu


def _summary(timings):
    """'median s (min-max of n), CPU median s' of a list of (wall, cpu)."""
    walls = [wall for wall, _ in timings]
    cpu = statistics.median(c for _, c in timings)
    spread = f" (min {min(walls):.1f}, max {max(walls):.1f}, {len(walls)} runs)" \
        if len(walls) > 1 else ""
    return f"{statistics.median(walls):.1f} s{spread}; CPU {cpu:.1f} s"


def runner_timings(quick, repeats):
    """Wall times of the whole report in empty temporary output folders, median of
    ``repeats``: the first build (cold: every run trained, every figure drawn), the same
    build again (nothing changed), then every experiment retrained (``run --force``)."""
    profile = ["--quick"] if quick else []
    build = " ".join(["reportgen build"] + profile)
    cold, unchanged, retrain = [], [], []
    try:
        for _ in range(repeats):
            with tempfile.TemporaryDirectory() as out:
                common = ["--experiments", str(ROOT / "experiments"), "--out", out,
                          "--quiet"] + profile
                cold.append(_timed(["build"] + common))
                unchanged.append(_timed(["build"] + common))
                retrain.append(_timed(["run", "--force"] + common))
    except RuntimeError as error:
        return [("runner", str(error))]
    return [(f"{build}, cold (empty output folder: trains, draws, renders)", _summary(cold)),
            (f"{build}, no change", _summary(unchanged)),
            (" ".join(["reportgen run --force"] + profile) + " (training only)",
             _summary(retrain))]


def machine():
    parts = [f"{os.cpu_count()} cores", platform.machine(), f"Python {platform.python_version()}",
             f"NumPy {np.__version__}"]
    if optional("torch"):
        import torch
        parts.append(f"torch {torch.__version__}")
    if optional("sklearn"):
        import sklearn
        parts.append(f"scikit-learn {sklearn.__version__}")
    return ", ".join(parts)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3-epoch runs, quick profile")
    parser.add_argument("--repeats", type=int, default=5, help="measurements per cell (>= 5)")
    parser.add_argument("--no-runner", action="store_true", help="skip timing reportgen run/build")
    parser.add_argument("--builds", type=int, default=3,
                        help="times each whole-report command is timed (median shown)")
    args = parser.parse_args(argv)
    repeats = max(5, args.repeats)
    # seconds per timed run, roughly (--quick: always 3 epochs)
    budget, min_epochs = (0, 3) if args.quick else (0.2, 5)

    print(f"Machine: {machine()}")
    print("naive loop = train's training, loss history to 1e-9:",
          "yes" if check_naive_is_the_same_training() else "NO")
    workloads = [(name, w) for name in DATASETS for w in WIDTHS]
    data = {name: datasets.load(name) for name in DATASETS}
    table = {}
    notes = []
    for label, make, note in contenders():
        if make is None:
            notes.append(f"{label}: {note}")
            continue
        for name, width in workloads:
            X, y = data[name]
            run, networks = make(X, y, width)
            table[label, name, width] = per_network_epoch(run, networks, budget, repeats, min_epochs)[0]
        print(".", end="", flush=True, file=sys.stderr)
    print(file=sys.stderr)

    labels = list(dict.fromkeys(label for label, _, _ in table))
    heads = [f"{name} {n} pts, w={w}" for name, w in workloads
             for n in [len(data[name][0])]]
    print(f"\nµs per network-epoch (median of {repeats}); x = speed-up over `train`\n")
    print("| contender | " + " | ".join(heads) + " |")
    print("| --- |" + " ---: |" * len(heads))
    for label in labels:
        cells = []
        for name, width in workloads:
            us = table[label, name, width]
            base = table["train (one network)", name, width]
            cells.append(f"{us:.3g} ({base / us:.2g}x)" if us > 0 else "-")
        print(f"| {label} | " + " | ".join(cells) + " |")
    for note in notes:
        print(f"- {note}")

    if not args.no_runner:
        print("\nWhole report (wall time, default --jobs; CPU: user + system of every "
              "process):\n")
        for what, result in runner_timings(args.quick, max(1, args.builds)):
            print(f"- {what}: {result}")


if __name__ == "__main__":
    main()
