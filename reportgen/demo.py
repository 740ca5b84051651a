"""``reportgen train``: the lab's live demo, one network trained and its predictions printed."""
from .engine import RunSpec, datasets, train
from .engine.losses import accuracy


def run_demo(*, dataset, hidden, activation, output_activation, optimizer, lr, epochs, seed, init,
             batch_size, bias, loss, print_every, figure, echo, allow_large=False):
    """Train, print the loss every few epochs, every sample's prediction and the accuracy.

    Raises ValueError, before training, for a spec RunSpec refuses or (unless
    ``allow_large``) a network past the work or memory limit (``experiments/bounds.py``)."""
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
    result = train(spec, X, y)
    layers = "-".join(map(str, spec.sizes))
    echo(f"Training {layers} network on {dataset} ({len(X)} points): {activation}, {loss}, "
         f"{optimizer} lr={lr:g}, {'with' if bias else 'no'} bias, init {init}, seed {seed}")
    _print_loss(result, print_every or max(1, epochs // 10), echo)
    yhat = result.network.forward(X)
    _print_predictions(X, y, yhat, echo)
    correct = round(float(accuracy(yhat, y)) * len(X))
    reached = ("never reached 100%" if result.epochs_to_100 is None
               else f"100% first reached after {result.epochs_to_100} epochs")
    echo(f"Accuracy: {correct}/{len(X)} = {100 * correct / len(X):.2f}%  ({reached}; "
         f"status {result.status})")
    if figure:
        _save_comparison(X, y, yhat, figure, f"{dataset}: {layers} {activation}, seed {seed}")
        echo(f"Figure saved to {figure}")


def _print_loss(result, every, echo):
    width = len(str(len(result.loss) - 1))
    for epoch in range(0, len(result.loss), every):
        echo(f"epoch {epoch:>{width}}  loss {result.loss[epoch]:.6f}  "
             f"accuracy {100 * result.accuracy[epoch]:6.2f}%")
    last = len(result.loss) - 1
    if last % every:
        echo(f"epoch {last:>{width}}  loss {result.loss[last]:.6f}  "
             f"accuracy {100 * result.accuracy[last]:6.2f}%")


def _print_predictions(X, y, yhat, echo):
    echo(f"{'#':>3}  {'x0':>6}  {'x1':>6}  {'truth':>5}  {'prediction':>10}  {'class':>5}")
    for i, (point, truth, pred) in enumerate(zip(X, y[:, 0], yhat[:, 0])):
        cls = int(pred > 0.5)
        mark = "" if cls == int(truth) else "  wrong"
        echo(f"{i:>3}  {point[0]:6.3f}  {point[1]:6.3f}  {int(truth):>5}  {pred:10.6f}  {cls:>5}{mark}")


def _save_comparison(X, y, yhat, path, title):
    from .figures import scatter
    from .figures.style import close

    fig = scatter.comparison(X, y, yhat, suptitle=title)
    fig.savefig(path)
    close(fig)
