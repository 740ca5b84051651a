"""Training: gradient descent with loss and accuracy recorded every epoch.

``reference_train`` is the definition of what training a network means, written plainly
for one network, epoch by epoch. ``train`` and ``train_many`` compute the same thing fast:
``train`` fits one network, ``train_many`` fits many at once (specs that differ only in
seed, initialisation or optimizer hyper-parameters share their NumPy calls, with weights
stacked along a leading axis). Both go through the same loop, ``_Fit``: ``train`` is a
stack of one. The tests hold them to ``reference_train``, bit for bit.

History convention: ``loss[e]`` and ``accuracy[e]`` describe the network after e epochs
of training, so both arrays have ``epochs + 1`` entries (entry 0 is the untrained
network), fewer when the run diverged.
"""
import dataclasses
from itertools import groupby

import numpy as np

from .losses import LOSSES, accuracy
from .network import Network
from .optimizers import OPTIMIZERS, make_optimizer

#: the class threshold, as a 0-d array (see ``activations._ONE``)
_HALF = np.array(0.5)

STATUS_OK = "ok"
STATUS_DIVERGED = "diverged"


@dataclasses.dataclass
class TrainResult:
    """What one run produced."""

    spec: object
    loss: np.ndarray
    accuracy: np.ndarray
    epochs_to_100: int | None
    status: str
    network: Network

    @property
    def final_loss(self):
        return float(self.loss[-1])

    @property
    def final_accuracy(self):
        return float(self.accuracy[-1])


def reference_train(spec, X, y):
    """Train the network ``spec`` describes on (X, y), written out plainly: what training
    means. Returns the loss and the accuracy after each epoch and the trained network.

    The network starts from the weights ``spec.seed`` draws (``Network.from_spec``). Epoch
    e first measures the network as it is after e epochs, on the whole of X: that is
    ``loss[e]`` and ``accuracy[e]``. Training stops there at the first loss that is not a
    finite number (the run diverged) or after ``spec.epochs`` epochs; otherwise the epoch
    takes one optimizer step on the whole of X, or, with mini-batches, goes through X in a
    new random order (drawn from a stream seeded by ``[seed, 1]``, apart from the weights')
    and takes one step per batch of ``batch_size`` samples (the last may be smaller).

    ``train`` returns the same numbers and network, bit for bit, much faster.
    """
    net = Network.from_spec(spec)
    loss_value = LOSSES[spec.loss].value
    hyper = {name: getattr(spec, name) for name in ("lr", *OPTIMIZERS[spec.optimizer].hyper)}
    optimizer = make_optimizer(spec.optimizer, **hyper)
    shuffle = np.random.default_rng([spec.seed, 1])
    batch = spec.batch_size or len(X)
    losses, accuracies = [], []
    with np.errstate(all="ignore"):
        for epoch in range(spec.epochs + 1):
            yhat = net.forward(X)
            losses.append(float(loss_value(yhat, y)))
            accuracies.append(float(accuracy(yhat, y)))
            if not np.isfinite(losses[-1]) or epoch == spec.epochs:
                break
            if batch >= len(X):
                optimizer.step(net.parameters(), net.backward(y, spec.loss))
                continue
            order = shuffle.permutation(len(X))
            for start in range(0, len(X), batch):
                idx = order[start:start + batch]
                net.forward(X[idx])
                optimizer.step(net.parameters(), net.backward(y[idx], spec.loss))
    return np.array(losses), np.array(accuracies), net


def train(spec, X, y):
    """Train the network ``spec`` describes on (X, y); a pure function of its arguments.

    The same as ``train_many([spec], X, y)[0]``, bit for bit, and as ``reference_train``.
    """
    return train_many([spec], X, y)[0]


def train_many(specs, X, y):
    """``[train(s, X, y) for s in specs]``, with compatible specs trained together.

    Specs are compatible when they differ only in fields that change numbers, not
    array shapes or code paths (seed, init, lr, the optimizer's hyper-parameters and the
    number of epochs). Each group is trained as one stack (of one network, if need be).
    Every NumPy call treats the K networks of a stack independently, so a network's
    result does not depend on which others share its stack, nor on how many: it is bit
    for bit the same alone or among a thousand.

    Specs that differ only in their number of epochs follow the same trajectory: it is
    trained once, for the most epochs asked, and the shorter runs are its prefixes.
    """
    specs = list(specs)
    trajectories = {}
    for i, spec in enumerate(specs):
        trajectories.setdefault(trajectory_key(spec), []).append(i)
    runs = [_Trajectory(max((specs[i] for i in members), key=lambda s: s.epochs),
                        sorted({specs[i].epochs for i in members}), members)
            for members in trajectories.values()]
    results = [None] * len(specs)
    runs.sort(key=lambda run: stack_key(run.spec))
    for _, group in groupby(runs, key=lambda run: stack_key(run.spec)):
        group = list(group)
        size = _stack_size(group[0].spec, len(X))
        for start in range(0, len(group), size):
            chunk = group[start:start + size]
            stack = Network.stack([Network.from_spec(run.spec) for run in chunk])
            for run, history in zip(chunk, _Fit(chunk, stack, X, y).run()):
                for i in run.members:
                    results[i] = _result(specs[i], *history.prefix(specs[i].epochs))
    return results


#: A stack's largest activation array (networks x samples x units) is kept below this
#: many numbers, so that it stays in the CPU's caches: larger groups are trained as
#: several stacks (their results do not change, only the speed).
STACK_ELEMENTS = 1 << 16


def _stack_size(spec, n):
    return max(16, STACK_ELEMENTS // (n * max(spec.sizes)))


#: fields that may differ between networks trained as one stack, besides the
#: optimizers' hyper-parameters (see ``stackable_fields``)
STACKABLE_FIELDS = {"seed", "init", "lr", "epochs"}


def stackable_fields():
    """The fields that may differ between networks of one stack: ``STACKABLE_FIELDS`` and
    every registered optimizer's hyper-parameters (``_Fit`` gives the optimizer one value
    per network of each)."""
    return STACKABLE_FIELDS | {p.name for entry in OPTIMIZERS.values() for p in entry.parameters}


def stack_key(spec):
    """Specs with equal keys can be trained as one stack (they differ only in
    ``stackable_fields()``)."""
    return _key_without(spec, stackable_fields())


def trajectory_key(spec):
    """Specs with equal keys differ only in epochs: the shorter runs are prefixes of the longest."""
    return _key_without(spec, {"epochs"})


def _key_without(spec, fields):
    return repr(tuple((f.name, getattr(spec, f.name)) for f in dataclasses.fields(spec)
                      if f.name not in fields))


@dataclasses.dataclass
class _Trajectory:
    """One network to train: ``spec`` (the longest run), the epochs at which runs end, and
    the indices of those runs in the caller's list."""

    spec: object
    ends: list
    members: list


@dataclasses.dataclass
class _History:
    """A trained trajectory: loss and accuracy per epoch, and the network at each end."""

    loss: np.ndarray
    accuracy: np.ndarray
    networks: dict

    def prefix(self, epochs):
        """(loss, accuracy, network) of the run that stops after ``epochs`` epochs, or
        earlier, where the trajectory diverged."""
        end = min(epochs, len(self.loss) - 1)
        return self.loss[:end + 1], self.accuracy[:end + 1], self.networks[end]


class _BatchSchedule:
    """Mini-batch index arrays (K, b): each network shuffles with its own seed every epoch."""

    def __init__(self, seeds, n, batch_size):
        self.n = n
        self.batch_size = batch_size
        # A stream apart from the weights' so that batch_size does not change initial weights.
        self.rngs = [np.random.default_rng([seed, 1]) for seed in seeds]

    def epoch(self):
        """Yield one index array (K, b) per batch."""
        perms = np.stack([rng.permutation(self.n) for rng in self.rngs])
        for start in range(0, self.n, self.batch_size):
            yield perms[:, start:start + self.batch_size]

    def keep(self, mask):
        self.rngs = [rng for rng, kept in zip(self.rngs, mask) if kept]


class _Chunk:
    """The stack's outputs and parameters at each epoch since the chunk was last taken
    (see ``_Fit``)."""

    def __init__(self, size):
        self.size = size
        self.count = 0
        self.outputs = self.params = None

    def add(self, yhat, flat):
        """Copy this epoch's outputs (K, n, out) and parameters (K, P)."""
        if self.outputs is None or self.outputs.shape[1:] != yhat.shape:
            # first epoch, or the stack shrank (only ever right after ``take``)
            assert self.count == 0
            self.outputs = np.empty((self.size,) + yhat.shape)
            self.params = np.empty((self.size,) + flat.shape)
        self.outputs[self.count] = yhat
        self.params[self.count] = flat
        self.count += 1

    @property
    def full(self):
        return self.count == self.size

    def take(self):
        """(outputs, parameters) of the epochs added since the last ``take``, which the
        next ``add`` starts overwriting."""
        count, self.count = self.count, 0
        return self.outputs[:count], self.params[:count]


#: epochs whose losses and accuracies ``_Fit`` works out together
CHUNK_EPOCHS = 32


class _Fit:
    """The training of ``net``, a stack of one network per trajectory of ``runs``, on (X, y):
    ``run()`` trains it and returns one ``_History`` per trajectory.

    An epoch only copies the stack's outputs and parameters aside: the losses and
    accuracies of ``CHUNK_EPOCHS`` epochs at a time (and of each epoch where a run ends)
    are then computed in the same few NumPy calls that one epoch's would take, the same
    numbers bit for bit, instead of a dozen small calls per epoch (a fifth of a small
    stack's time). A network whose loss stops being finite is found there, up to a chunk
    late: it ends at that epoch, with the parameters it had then; the epochs it trained on
    in between, on NaN, touched no other network.

    State: ``losses`` and ``accuracies`` hold one row per epoch and one column per network;
    rows are written whole while every network is still training, then only the columns of
    those that are, ``alive`` (a slice, then an index array into the columns), which is
    also which networks the stack still holds, in order. ``last_epoch[k]`` is the epoch
    network k ends at (earlier than its spec's when it diverged), ``networks[k]`` its
    network at each epoch where one of its runs ends.
    """

    def __init__(self, runs, net, X, y):
        specs = [run.spec for run in runs]
        self.runs, self.net, self.X, self.y = runs, net, X, y
        self.spec = spec = specs[0]
        self.count = count = len(specs)
        self.epochs = max(s.epochs for s in specs)
        self.loss_value = LOSSES[spec.loss].value
        hyper = {name: np.array([getattr(s, name) for s in specs], dtype=np.float64)
                 for name in ("lr", *OPTIMIZERS[spec.optimizer].hyper)}
        self.optimizer = make_optimizer(spec.optimizer, **hyper)
        self.schedule = _BatchSchedule([s.seed for s in specs], len(X), spec.batch_size) \
            if spec.batch_size is not None and spec.batch_size < len(X) else None
        # the epochs after which some run ends: its network is copied out there
        self.ends = {end for run in runs for end in run.ends}
        self.losses = np.full((self.epochs + 1, count), np.nan)
        self.accuracies = np.full((self.epochs + 1, count), np.nan)
        self.last_epoch = np.array([s.epochs for s in specs])
        self.networks = [{} for _ in specs]
        self.alive = slice(None)
        self.chunk = _Chunk(CHUNK_EPOCHS)
        # Every epoch starts with a forward pass on the whole of X: what depends on X alone
        # (a conv network's lift and windows) is computed once here.
        self.fixed = net.fix_input(X)
        # ``accuracies`` holds counts of correct samples until the end, then is divided by
        # their number: the same bits as ``accuracy`` (an exact count over the same number),
        # one array operation fewer.
        self.labels = y > 0.5
        self.samples = self.labels.shape[-2] * self.labels.shape[-1]

    def run(self):
        """Train every network to its last epoch (or its divergence); one ``_History`` each."""
        # the loop's names bound once: it runs every epoch
        net, optimizer, schedule, chunk = self.net, self.optimizer, self.schedule, self.chunk
        ends, fixed, X, y, loss = self.ends, self.fixed, self.X, self.y, self.spec.loss
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            for epoch in range(self.epochs + 1):
                chunk.add(net.forward_fixed(fixed), net.flat)
                # every run's end is a chunk's end, the last epoch included: the loop never
                # leaves epochs unrecorded, and runs end with their losses known
                if chunk.full or epoch in ends:
                    if not self.record_chunk(epoch):
                        break
                if epoch in ends and not self.end_runs(epoch):
                    break
                if schedule is None:
                    net.backpropagate(y, loss)
                    optimizer.step({"flat": net.flat}, {"flat": net.flat_grad})
                else:
                    for idx in schedule.epoch():
                        net.forward(X[idx])
                        net.backpropagate(y[idx], loss)
                        optimizer.step({"flat": net.flat}, {"flat": net.flat_grad})
        self.accuracies /= self.samples
        return [_History(self.losses[:self.last_epoch[k] + 1, k],
                         self.accuracies[:self.last_epoch[k] + 1, k], self.networks[k])
                for k in range(self.count)]

    def stop(self, keep):
        """Drop the networks where ``keep`` is false from the stack (and from ``alive``)."""
        self.alive = np.arange(self.count)[self.alive][keep]
        self.net.keep(keep)
        self.optimizer.keep(keep)
        if self.schedule:
            self.schedule.keep(keep)
        self.net.forward_fixed(self.fixed)  # refresh the cached activations of the survivors

    def record_chunk(self, epoch):
        """Write the losses and accuracies of the chunk that ends at ``epoch``, and stop the
        networks whose loss stopped being finite in it. False when none is left."""
        outputs, params = self.chunk.take()
        first = epoch + 1 - len(outputs)
        loss = self.loss_value(outputs, self.y)
        self.losses[first:epoch + 1, self.alive] = loss
        self.accuracies[first:epoch + 1, self.alive] = np.add.reduce(
            np.equal(np.greater(outputs, _HALF), self.labels), axis=(-2, -1), dtype=np.float64)
        finite = np.isfinite(loss)
        if finite.all():
            return True
        finite_throughout = finite.all(axis=0)
        for j, k in enumerate(np.arange(self.count)[self.alive]):
            if not finite_throughout[j]:
                diverged_at = int(np.argmin(finite[:, j]))   # the first non-finite epoch
                self.last_epoch[k] = first + diverged_at
                self.networks[k][first + diverged_at] = member = self.net.member(j)
                member.flat[...] = params[diverged_at, j]
        if not finite_throughout.any():
            return False
        self.stop(finite_throughout)
        return True

    def end_runs(self, epoch):
        """Copy out the network of every run that ends at ``epoch`` and stop the networks
        none of whose runs goes further. False when none is left."""
        members = np.arange(self.count)[self.alive]
        for j, k in enumerate(members):
            if epoch in self.runs[k].ends:
                self.networks[k][epoch] = self.net.member(j)
        still_training = self.last_epoch[members] > epoch
        if not still_training.any():
            return False
        if not still_training.all():
            self.stop(still_training)
        return True


def _result(spec, loss, acc, network):
    diverged = not np.isfinite(loss[-1])
    reached = np.flatnonzero(acc == 1.0)
    return TrainResult(
        spec=spec,
        loss=loss,
        accuracy=acc,
        epochs_to_100=int(reached[0]) if reached.size else None,
        status=STATUS_DIVERGED if diverged else STATUS_OK,
        network=network,
    )
