"""Table rows shared by several sections: the sweep summary, as ``reportgen run`` prints it."""
from ...experiments.summary import HEADER, summary_rows
from ...figures.labels import dataset_name, setting_label
from ..facts import SHORT_HOLD, held_briefly

SWEEP_COLUMNS = list(HEADER)


def sweep_caption(what, seeds, epochs):
    length = " and ".join(f"{e:,}" for e in epochs)
    return (f"{what}, {length} epochs, over {seeds} seeds per setting and data set: final "
            "accuracy (mean ± standard deviation over the seeds, population form); seeds that converged (held 100% to the end) "
            "and the median epoch from which they held it (\"late\": of those, seeds that held "
            f"it only over less than the last {SHORT_HOLD:.0%} of the epochs); seeds whose "
            "accuracy fell back after first reaching 100%; diverged runs.")


def sweep_table(table_id, what, sweep):
    """The summary table of one experiment (``sweep``: its SweepFacts)."""
    from .base import Table

    epochs = sorted({run.spec.epochs for run in sweep.res.runs()})
    return Table(table_id, sweep_caption(what, sweep.seeds, epochs), SWEEP_COLUMNS,
                 shown_rows(sweep.res))


def shown_rows(res):
    """``summary_rows`` with each setting and data set by its display name ("leaky ReLU,
    lr=1", "XOR"), as the figures name them."""
    return [[setting_label(row[0], res.overrides(row[0])), dataset_name(row[1]), row[2],
             row[3] if row[0] in res.unsupported else converged_cell(res, *row[:2], row[3]),
             *row[4:]] for row in summary_rows(res)]


def converged_cell(res, setting, dataset, converged):
    """The converged cell (``converged``, "4/5") of a setting on a data set, with how many of
    those seeds held 100% only late (``facts.held_briefly``): "4/5 (2 late)"."""
    late = sum(held_briefly(r) for r in res.runs(setting, dataset))
    return f"{converged} ({late} late)" if late else converged
