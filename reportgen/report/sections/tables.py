"""Table rows shared by several sections: the sweep summary, as ``reportgen run`` prints it."""
from ...experiments.summary import HEADER, summary_rows
from ...figures.labels import dataset_name, setting_label

SWEEP_COLUMNS = list(HEADER)


def sweep_caption(what, seeds, epochs):
    length = " and ".join(f"{e:,}" for e in epochs)
    return (f"{what}, {length} epochs, over {seeds} seeds per setting and data set: final "
            "accuracy (mean ± standard deviation over the seeds, population form); seeds that converged (held 100% to the end) "
            "and the median epoch from which they held it; seeds whose accuracy fell back after "
            "first reaching 100%; diverged runs.")


def sweep_table(table_id, what, sweep):
    """The summary table of one experiment (``sweep``: its SweepFacts)."""
    from .base import Table

    epochs = sorted({run.spec.epochs for run in sweep.res.runs()})
    return Table(table_id, sweep_caption(what, sweep.seeds, epochs), SWEEP_COLUMNS,
                 shown_rows(sweep.res))


def shown_rows(res):
    """``summary_rows`` with each setting and data set by its display name ("leaky ReLU,
    lr=1", "XOR"), as the figures name them."""
    return [[setting_label(row[0], res.overrides(row[0])), dataset_name(row[1]), *row[2:]]
            for row in summary_rows(res)]
