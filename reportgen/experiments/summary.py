"""The summary of an experiment, one row per setting and data set: the table ``reportgen run``
prints, and the cells of the report's sweep tables."""

HEADER = ("setting", "data", "final accuracy", "converged", "held 100% from", "fell back",
          "diverged")


def summary_cells(res, setting, dataset):
    """Formatted cells of one row (after the setting and data set columns): a seed converged
    when it held 100% training accuracy to the end; it fell back when its accuracy dropped
    after first reaching 100%."""
    s = res.summary(setting, dataset)
    median = "—" if s.median_held_epoch is None else str(s.median_held_epoch)
    return [f"{100 * s.mean_accuracy:.1f} ± {100 * s.std_accuracy:.1f}%",
            f"{s.succeeded}/{s.runs}", median, str(s.fell_back), str(s.diverged)]


def summary_rows(res):
    """Every row: setting, data set, then the ``summary_cells``; a setting the engine did not
    support is one row saying so."""
    return [[setting, dataset, *summary_cells(res, setting, dataset)]
            for setting in res.settings for dataset in res.datasets] + \
        [[setting, "—", "not supported by this engine", "", "", "", ""]
         for setting in res.unsupported]


def format_summary(res):
    """The rows as an aligned text table under the experiment's name."""
    rows = summary_rows(res)
    widths = [max(len(r[i]) for r in rows + [list(HEADER)]) for i in range(len(HEADER))]
    lines = [f"{res.name}" + (" (quick preview)" if res.quick else "")]
    for row in [list(HEADER)] + rows:
        lines.append("  " + "  ".join(cell.ljust(w) if i < 2 else cell.rjust(w)
                                      for i, (cell, w) in enumerate(zip(row, widths))))
    return "\n".join(lines)
