"""The ``reportgen`` command line."""
import click

from . import __version__
from .cli_options import IntListOption


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportgen")
def main():
    """Run the Backpropagation lab's experiments and write its report."""


@main.command()
@click.option("--dataset", type=click.Choice(["linear", "xor"]), default="xor", show_default=True,
              help="Data set to train on.")
@click.option("--hidden", cls=IntListOption, default=(4, 4), show_default=True,
              help="Units per hidden layer, e.g. --hidden 4 4.")
@click.option("--activation", default="sigmoid", show_default=True,
              type=click.Choice(["sigmoid", "tanh", "relu", "leaky_relu", "identity"]),
              help="Hidden-layer activation.")
@click.option("--output-activation", default="sigmoid", show_default=True,
              type=click.Choice(["sigmoid", "identity"]))
@click.option("--optimizer", default="sgd", show_default=True,
              type=click.Choice(["sgd", "momentum", "adagrad", "rmsprop", "adam"]))
@click.option("--lr", type=click.FloatRange(min=0, min_open=True), default=1.0, show_default=True,
              help="Learning rate.")
@click.option("--epochs", type=click.IntRange(min=1), default=5000, show_default=True)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--init", default="normal", show_default=True,
              type=click.Choice(["uniform", "normal", "xavier", "he"]))
@click.option("--batch-size", type=click.IntRange(min=1), default=None,
              help="Mini-batch size (default: full batch).")
@click.option("--no-bias", is_flag=True, help="Layers without bias terms, as in the course's sketch.")
@click.option("--loss", type=click.Choice(["mse", "bce"]), default="mse", show_default=True)
@click.option("--print-every", type=click.IntRange(min=1), default=None,
              help="Print the loss every N epochs (default: about 10 lines).")
@click.option("--figure", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Save the 'Ground truth' / 'Predict result' figure to this file.")
def train(dataset, hidden, activation, output_activation, optimizer, lr, epochs, seed, init,
          batch_size, no_bias, loss, print_every, figure):
    """Train one network and print its loss, predictions and accuracy: the lab's live demo."""
    from .demo import run_demo

    run_demo(dataset=dataset, hidden=hidden, activation=activation,
             output_activation=output_activation, optimizer=optimizer, lr=lr, epochs=epochs,
             seed=seed, init=init, batch_size=batch_size, bias=not no_bias, loss=loss,
             print_every=print_every, figure=figure, echo=click.echo)


if __name__ == "__main__":
    main()
