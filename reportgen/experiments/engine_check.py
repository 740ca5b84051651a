"""``reportgen check``: does an engine compute what the lab asks, as reportgen's own does?

Each check is a ``Check`` row: what was checked, on what, whether it passed (None: skipped,
the engine does not support it or lacks what it needs) and the detail, which for a failure
names the spec, the parameter and the numbers. The checks, in order:

- **data sets**: the data sets reportgen hands the engine are the lab's (LAB_SPEC.md,
  section 1), and ``train`` leaves them as it got them;
- **results**: what ``train`` returns for a short run of the main network has the shapes and
  ranges of the protocol (``foreign.normalise``);
- **determinism**: the same spec twice gives the same numbers, bit for bit;
- **gradients**: for every spec of ``gradchecks.check_specs`` (every activation x loss x bias,
  and the convolutional networks) the engine supports, ``loss_and_gradients`` against central
  finite differences of its own loss, taken by changing its ``parameters()`` in place;
- **SGD steps**: from the same initial weights, the engine's first ``STEPS`` plain gradient
  steps against the reference engine's, to ``STEP_TOLERANCE``. The weights are copied by
  writing the reference network's parameters into the arrays the engine's network's
  ``parameters()`` returns (they must be its live arrays, named and shaped as the
  reference's); each step then takes both networks' ``loss_and_gradients`` on the XOR
  points, compares the losses and every gradient entry, and moves both by -lr x gradient.

The gradient and step checks need ``Network.from_spec(spec)``; without it they are skipped.
"""
import dataclasses
import json

import numpy as np

from .. import keys
from ..atomic import atomic_write_text
from ..engine import Network as ReferenceNetwork, RunSpec, datasets
from ..engine.losses import LOSSES
from . import foreign
from .gradchecks import check_specs

#: the largest relative error |a - n| / max(FLOOR, |a| + |n|) a gradient check passes with
#: (the differences are taken in float64, on the engine's own arrays)
TOLERANCE = 1e-5
FLOOR = 1e-6
#: the finite-difference step
STEP = 1e-5
#: how many SGD steps are compared with the reference engine's, and how closely
STEPS = 3
STEP_TOLERANCE = 1e-9
#: the spec of the results and determinism checks: the main network, briefly
SHORT_RUN = RunSpec(epochs=20)


@dataclasses.dataclass(frozen=True)
class Check:
    """One check: its kind, what it was run on, passed (None: skipped) and the detail."""

    check: str
    subject: str
    passed: bool | None
    detail: str
    error: float | None = None     # a gradient check's largest relative error

    def to_data(self):
        return dataclasses.asdict(self)


def run_checks(engine):
    """Every check of ``engine`` (an ``engines.Engine``), in order."""
    return [*_data_checks(engine), *_result_checks(engine), *_gradient_checks(engine),
            *_step_checks(engine)]


def failed(checks):
    """The checks that failed."""
    return [c for c in checks if c.passed is False]


def cached_checks(engine, path):
    """``run_checks(engine)``, kept in the file ``path`` under a key of the engine's source
    and this code: a build runs them once per version of the engine."""
    key = keys.key("gradchecks", {"engine": engine.digest, "numpy": np.__version__},
                   ("reportgen.experiments.engine_check",))
    try:
        cached = json.loads(path.read_text())
        if cached["key"] == key:
            return [Check(**c) for c in cached["checks"]]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    checks = run_checks(engine)
    atomic_write_text(path, json.dumps({"key": key, "checks": [c.to_data() for c in checks]}))
    return checks


# --- data sets, results, determinism ---------------------------------------------------------

def lab_xor():
    """The XOR points as the lab defines them (LAB_SPEC.md, section 1), written out again."""
    points, labels = [], []
    for i in range(11):
        points.append((0.1 * i, 0.1 * i))
        labels.append(0)
        if i != 5:
            points.append((0.1 * i, 1 - 0.1 * i))
            labels.append(1)
    return np.array(points), np.array(labels, dtype=float).reshape(-1, 1)


def _lab_problem(name, X, y):
    """What makes ``(X, y)`` not the lab's data set ``name``, or None."""
    if name == "xor":
        X_lab, y_lab = lab_xor()
        return None if np.allclose(X, X_lab) and np.array_equal(y, y_lab) else \
            "the XOR points or labels are not the lab's 21"
    if X.shape != (100, 2) or y.shape != (100, 1) or not ((X >= 0) & (X <= 1)).all():
        return f"expected 100 points in the unit square, got X {X.shape}, y {y.shape}"
    if not np.array_equal(y[:, 0], (X[:, 0] <= X[:, 1]).astype(float)):
        return "some label is not the lab's rule (0 when x0 > x1, else 1)"
    return None


def _data_checks(engine):
    checks = []
    for name in datasets.DATASETS:
        X, y = datasets.load(name)
        problem = _lab_problem(name, X, y)
        if problem is None:
            problem = _train_problem(engine, SHORT_RUN.replace(epochs=2), X, y, name)
        checks.append(Check("data sets", name, problem is None,
                            problem or f"the lab's {len(X)} points, unchanged by train"))
    return checks


def _train_problem(engine, spec, X, y, dataset):
    """The problem of one ``train`` call (a bad result, changed data), or None."""
    try:
        foreign.train(engine, spec, X, y, dataset)
    except foreign.EngineFault as fault:
        return str(fault)
    return None


def _result_checks(engine):
    X, y = datasets.load("xor")
    try:
        first, second = (foreign.train(engine, SHORT_RUN, X, y, "xor") for _ in range(2))
    except foreign.EngineFault as fault:
        return [Check("results", foreign.spec_text(SHORT_RUN), False, str(fault))]
    if isinstance(first, foreign.Unsupported):
        return [Check("results", foreign.spec_text(SHORT_RUN), False,
                      f"the engine does not support the lab's main network: {first.reason}")]
    subject = foreign.spec_text(SHORT_RUN) + " on xor"
    shapes = Check("results", subject, True,
                   f"{len(first.loss)} losses and accuracies, predictions of shape "
                   f"({len(X)}, 1) in [0, 1], parameters {', '.join(first.network.parameters())}")
    return [shapes, Check("determinism", subject, *_same(first, second))]


def _same(first, second):
    """(passed, detail) of two results of the same spec."""
    pairs = [("loss", first.loss, second.loss), ("accuracy", first.accuracy, second.accuracy)]
    pairs += [(f"parameter {name}", value, second.network.parameters()[name])
              for name, value in first.network.parameters().items()]
    for what, a, b in pairs:
        if not np.array_equal(a, b, equal_nan=True):
            i = np.unravel_index(np.argmax(np.abs(a - b)), np.shape(a))
            return False, (f"the same spec gave another {what}: {_at(i)} {a[i]!r} the first "
                           f"time, {b[i]!r} the second")
    return True, "the same spec twice gave the same losses, accuracies and parameters"


# --- gradients ------------------------------------------------------------------------------

def _guarded(kind, subject, spec, check, *args):
    """``check(*args)``, or a failed check naming the spec and what the engine raised."""
    try:
        return check(*args)
    except Exception as error:  # noqa: BLE001 (the engine's code: named in the row)
        return Check(kind, subject, False,
                     f"{foreign.spec_text(spec)}: the engine raised {foreign._describe(error)}")


def _gradient_checks(engine):
    return [_guarded("gradients", _subject(label, loss, bias), spec, _gradient_check, engine,
                     label, loss, bias, spec)
            for label, loss, bias, spec in check_specs()]


def _subject(label, loss, bias):
    return f"{label}, {LOSSES[loss].display}, {'with' if bias else 'without'} biases"


def _gradient_check(engine, label, loss, bias, spec):
    subject = _subject(label, loss, bias)
    net, skipped = _network(engine, spec)
    if net is None:
        return Check("gradients", subject, None, skipped)
    rng = np.random.default_rng(5)
    params = net.parameters()
    for name, param in params.items():
        if name.startswith("b"):
            param[...] = rng.normal(0, 0.3, param.shape)
    X, y = rng.uniform(-1, 1, (7, 2)), rng.integers(0, 2, (7, 1)).astype(float)
    _, analytic = net.loss_and_gradients(X, y, loss)
    analytic = {name: np.array(value, dtype=float) for name, value in analytic.items()}
    if sorted(analytic) != sorted(params):
        return Check("gradients", subject, False,
                     f"{foreign.spec_text(spec)}: loss_and_gradients gives gradients of "
                     f"{', '.join(analytic)}, the parameters are {', '.join(params)}")
    worst, where = 0.0, None
    for name, param in params.items():
        for i in np.ndindex(param.shape):
            numeric = _central_difference(net, param, i, X, y, loss)
            a = analytic[name][i]
            error = abs(a - numeric) / max(FLOOR, abs(a) + abs(numeric))
            if error > worst:
                worst, where = error, (name, i, a, numeric)
    if worst < TOLERANCE:
        return Check("gradients", subject, True, f"largest relative error {worst:.1e}", worst)
    name, i, a, numeric = where
    return Check("gradients", subject, False,
                 f"{foreign.spec_text(spec)}: the gradient of {name}{_at(i)} is {a:.6g} by "
                 f"backpropagation, {numeric:.6g} by finite differences (relative error "
                 f"{worst:.1e}, more than {TOLERANCE:.0e})", worst)


def _central_difference(net, param, i, X, y, loss):
    old = param[i]
    param[i] = old + STEP
    up = float(net.loss_and_gradients(X, y, loss)[0])
    param[i] = old - STEP
    down = float(net.loss_and_gradients(X, y, loss)[0])
    param[i] = old
    return (up - down) / (2 * STEP)


def _network(engine, spec):
    """(the engine's network of ``spec``, None) or (None, why it is skipped)."""
    make = getattr(engine.network_class, "from_spec", None)
    if make is None or not hasattr(engine.network_class, "loss_and_gradients"):
        return None, "skipped: the engine has no Network.from_spec and loss_and_gradients"
    try:
        return make(spec), None
    except foreign.NOT_SUPPORTED as error:
        return None, f"not supported by this engine ({foreign._describe(error)})"


# --- SGD steps against the reference engine -----------------------------------------------

def _step_specs():
    """The main network with and without biases, and with cross-entropy."""
    main = RunSpec(lr=1.0)
    return [main, main.replace(bias=False), main.replace(loss="bce")]


def _step_checks(engine):
    return [_guarded("SGD steps", foreign.spec_text(spec), spec, _step_check, engine, spec)
            for spec in _step_specs()]


def _step_check(engine, spec):
    subject = foreign.spec_text(spec)
    net, skipped = _network(engine, spec)
    if net is None:
        return Check("SGD steps", subject, None, skipped)
    reference = ReferenceNetwork.from_spec(spec)
    params = net.parameters()
    expected = {name: value.shape for name, value in reference.parameters().items()}
    if {name: np.shape(value) for name, value in params.items()} != expected:
        return Check("SGD steps", subject, False,
                     f"{subject}: parameters() are not named and shaped as the reference "
                     f"engine's ({foreign._shapes(expected)}), so its weights cannot be copied")
    for name, value in reference.parameters().items():
        params[name][...] = value
    if not all(np.array_equal(net.parameters()[n], v) for n, v in reference.parameters().items()):
        return Check("SGD steps", subject, None, "skipped: writing into parameters() does not "
                                                 "change the network's weights")
    X, y = datasets.load("xor")
    for step in range(1, STEPS + 1):
        problem = _compare_step(net, reference, spec, X, y, step)
        if problem:
            return Check("SGD steps", subject, False, f"{subject}: {problem}")
    return Check("SGD steps", subject, True,
                 f"{STEPS} steps from the reference's weights: losses and gradients equal to "
                 f"{STEP_TOLERANCE:.0e}")


def _compare_step(net, reference, spec, X, y, step):
    """Compare one step's losses and gradients, then move both networks; the first
    difference beyond ``STEP_TOLERANCE``, or None."""
    loss, grads = net.loss_and_gradients(X, y, spec.loss)
    ref_loss, ref_grads = reference.loss_and_gradients(X, y, spec.loss)
    pairs = [("the loss", np.float64(loss), np.float64(ref_loss), ())]
    for name, ref in ref_grads.items():
        mine = np.asarray(grads.get(name, np.full(ref.shape, np.nan)), dtype=float)
        if mine.shape != ref.shape:
            return f"step {step}: the gradient of {name} has shape {mine.shape}, not {ref.shape}"
        gap = np.abs(mine - ref) / np.maximum(1.0, np.abs(ref))
        i = np.unravel_index(np.argmax(np.where(np.isnan(gap), np.inf, gap)), ref.shape)
        pairs.append((f"the gradient of {name}", mine, ref, i))
    for what, mine, ref, i in pairs:
        if not abs(mine[i] - ref[i]) <= STEP_TOLERANCE * max(1.0, abs(ref[i])):
            return (f"step {step}: {what}{_at(i)} is {mine[i]:.12g} here, {ref[i]:.12g} by the "
                    f"reference engine (reportgen's)")
    params, ref_params = net.parameters(), reference.parameters()
    for name, grad in ref_grads.items():
        params[name][...] -= spec.lr * np.asarray(grads[name], dtype=float)
        ref_params[name][...] -= spec.lr * grad
    return None


def _at(i):
    return f"[{', '.join(map(str, i))}]" if i else ""


def format_checks(engine, checks):
    """The checks as lines of text: a verdict, then each check."""
    marks = {True: "pass", False: "FAIL", None: "skip"}
    lines = [f"engine {engine.name}" + (" (reportgen's own)" if engine.builtin else "")]
    width = max(len(c.check) for c in checks)
    for c in checks:
        lines.append(f"  {marks[c.passed]}  {c.check:<{width}}  {c.subject}: {c.detail}")
    bad = failed(checks)
    lines.append(f"{len(bad)} of {len(checks)} checks failed" if bad else
                 f"all {sum(c.passed is True for c in checks)} checks passed"
                 + (f" ({sum(c.passed is None for c in checks)} skipped)"
                    if any(c.passed is None for c in checks) else ""))
    return lines

