"""``reportgen train``: the lab's live demo, one network trained and its predictions printed.

The printout is made by ``printout`` from a trained result, so that the report's screenshot of
the demo (Results, part A) is the very text this command prints.
"""
from .engine import STATUS_DIVERGED, RunSpec, datasets, train
from .engine.losses import accuracy
from .experiments.stability import stability

#: the defaults of ``reportgen train``'s options: the lab's main network
DEFAULTS = {"dataset": "xor", "hidden": (4, 4), "activation": "sigmoid",
            "output_activation": "sigmoid", "optimizer": "sgd", "lr": 1.0, "epochs": 5000,
            "seed": 0, "init": "normal", "batch_size": None, "bias": True, "loss": "mse"}
#: about this many loss lines when --print-every is not given
LOSS_LINES = 10


class NotSupported(Exception):
    """The engine does not support the network asked for."""


def run_demo(*, dataset, hidden, activation, output_activation, optimizer, lr, epochs, seed, init,
             batch_size, bias, loss, print_every, figure, echo, allow_large=False, engine=None):
    """Train, print the loss every few epochs, every sample's prediction and the accuracy.

    Raises ValueError, before training, for a spec RunSpec refuses or (unless
    ``allow_large``) a network past the work or memory limit (``experiments/bounds.py``).
    ``engine``: an ``engines.Engine`` (default: reportgen's own); a foreign engine that does
    not support the spec raises ``NotSupported``, one that misbehaves ``EngineFault``."""
    X, y = datasets.load(dataset)
    spec = RunSpec(sizes=(2, *hidden, 1), activation=activation,
                   output_activation=output_activation, bias=bias, init=init, seed=seed,
                   optimizer=optimizer, lr=lr, epochs=epochs, batch_size=batch_size, loss=loss)
    if not allow_large:
        from .experiments import bounds

        problem = bounds.check_network(spec, len(X))
        if problem:
            raise ValueError(f"--epochs/--hidden: {problem}; pass --allow-large to train it "
                             f"anyway")
    result = _train(engine, spec, X, y, dataset)
    for line in printout(result, dataset, X, y, print_every):
        echo(line)
    if figure:
        layers = "-".join(map(str, spec.sizes))
        _save_comparison(X, y, result.network.forward(X), figure,
                         f"{dataset}: {layers} {activation}, seed {seed}")
        echo(f"Figure saved to {figure}")


def _train(engine, spec, X, y, dataset):
    if engine is None or engine.builtin:
        return train(spec, X, y)
    from .experiments import foreign

    result = foreign.train(engine, spec, X, y, dataset)
    if isinstance(result, foreign.Unsupported):
        raise NotSupported(f"engine {engine.name}: {foreign.spec_text(spec)}: not supported by "
                           f"this engine ({result.reason})")
    return result


def printout(result, dataset, X, y, print_every=None):
    """The demo's lines for a trained ``result`` on (X, y): a header, the loss every
    ``print_every`` epochs (about LOSS_LINES lines by default), every sample's truth and
    prediction, and the accuracy."""
    spec = result.spec
    epochs = len(result.loss) - 1
    lines = [f"Training {'-'.join(map(str, spec.sizes))} network on {dataset} ({len(X)} points): "
             f"{spec.activation}, {spec.loss}, {spec.optimizer} lr={spec.lr:g}, "
             f"{'with' if spec.bias else 'no'} bias, init {spec.init}, seed {spec.seed}"]
    lines += _loss_lines(result, print_every or max(1, epochs // LOSS_LINES))
    yhat = result.network.forward(X)
    lines += _prediction_lines(X, y, yhat)
    correct = round(float(accuracy(yhat, y)) * len(X))
    lines.append(f"Accuracy: {correct}/{len(X)} = {100 * correct / len(X):.2f}%  "
                 f"({_how_it_got_there(result)}; status {result.status})")
    return lines


def command(spec, dataset):
    """The ``reportgen train`` command line that prints the demo of ``spec`` on ``dataset``,
    or None when the spec sets something the command has no option for."""
    values = {"dataset": dataset, "hidden": tuple(spec.sizes[1:-1]), "activation": spec.activation,
              "output_activation": spec.output_activation, "optimizer": spec.optimizer,
              "lr": spec.lr, "epochs": spec.epochs, "seed": spec.seed, "init": spec.init,
              "batch_size": spec.batch_size, "bias": spec.bias, "loss": spec.loss}
    default = RunSpec()
    unexpressed = [f for f in _NO_OPTION if getattr(spec, f) != getattr(default, f)]
    if spec.sizes[0] != 2 or spec.sizes[-1] != 1 or spec.conv or unexpressed:
        return None
    words = ["reportgen", "train"]
    for name, value in values.items():
        if name in ("dataset", "epochs", "seed") or value != DEFAULTS[name]:
            words += _option(name, value)
    return " ".join(words)


#: run-spec fields ``reportgen train`` has no option for (``lift`` only matters with ``conv``)
_NO_OPTION = ("momentum", "rho", "beta1", "beta2", "eps", "leaky_slope")


def _option(name, value):
    if name == "bias":
        return [] if value else ["--no-bias"]
    flag = "--" + name.replace("_", "-")
    if name == "hidden":
        return [flag, *map(str, value)]
    return [flag, f"{value:g}" if isinstance(value, float) else str(value)]


def _how_it_got_there(result):
    measured = stability(result.loss, result.accuracy, result.status == STATUS_DIVERGED)
    if result.epochs_to_100 is None:
        return "never reached 100%"
    first = f"100% first reached after {result.epochs_to_100} epochs"
    if measured["held_100"] is None:
        return f"{first}, not held to the end"
    if measured["fell_back"]:
        return f"{first}, held from epoch {measured['held_100']} to the end"
    return f"{first} and held to the end"


def _loss_lines(result, every):
    width = len(str(len(result.loss) - 1))
    last = len(result.loss) - 1
    shown = list(range(0, len(result.loss), every)) + ([last] if last % every else [])
    return [f"epoch {epoch:>{width}}  loss {result.loss[epoch]:.6f}  "
            f"accuracy {100 * result.accuracy[epoch]:6.2f}%" for epoch in shown]


def _prediction_lines(X, y, yhat):
    lines = [f"{'#':>3}  {'x0':>6}  {'x1':>6}  {'truth':>5}  {'prediction':>10}  {'class':>5}"]
    for i, (point, truth, pred) in enumerate(zip(X, y[:, 0], yhat[:, 0])):
        cls = int(pred > 0.5)
        mark = "" if cls == int(truth) else "  wrong"
        lines.append(f"{i:>3}  {point[0]:6.3f}  {point[1]:6.3f}  {int(truth):>5}  {pred:10.6f}  "
                     f"{cls:>5}{mark}")
    return lines


def _save_comparison(X, y, yhat, path, title):
    from .figures import scatter
    from .figures.style import close

    fig = scatter.comparison(X, y, yhat, suptitle=title)
    fig.savefig(path)
    close(fig)
