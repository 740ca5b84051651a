"""The compact per-experiment table ``reportgen run`` prints."""


def _pct(value):
    return f"{100 * value:5.1f}%"


def format_summary(res):
    """One line per setting and data set: accuracy mean ± std, success, epochs, divergence."""
    header = ("setting", "data", "final accuracy (mean ± std)", "ended at 100%",
              "median epochs to first 100%", "diverged")
    rows = []
    for setting in res.settings:
        for dataset in res.datasets:
            s = res.summary(setting, dataset)
            median = "—" if s.median_epochs_to_100 is None else f"{s.median_epochs_to_100:g}"
            rows.append((setting, dataset, f"{_pct(s.mean_accuracy)} ± {_pct(s.std_accuracy)}",
                         f"{s.succeeded}/{s.runs}", median,
                         str(s.diverged)))
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    lines = [f"{res.name}" + (" (quick preview)" if res.quick else "")]
    for row in [header] + rows:
        lines.append("  " + "  ".join(cell.ljust(w) if i < 2 else cell.rjust(w)
                                      for i, (cell, w) in enumerate(zip(row, widths))))
    return "\n".join(lines)
