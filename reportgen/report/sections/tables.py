"""Table rows shared by several sections: the sweep summary, as ``reportgen run`` prints it."""
from ...experiments.summary import HEADER, summary_rows

SWEEP_COLUMNS = list(HEADER)


def sweep_caption(what, seeds):
    return (f"{what} over {seeds} seeds per setting and data set: final accuracy (mean ± std), "
            "seeds that ended at 100%, median epochs to first reach 100% (over the seeds that "
            "did), diverged runs.")


def sweep_table(table_id, what, sweep):
    """The summary table of one experiment (``sweep``: its SweepFacts)."""
    from .base import Table

    return Table(table_id, sweep_caption(what, sweep.seeds), SWEEP_COLUMNS,
                 summary_rows(sweep.res))
