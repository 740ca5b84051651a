"""Learning curves from experiment results: mean over seeds with a min-max band."""
import numpy as np

from .style import literal, new_figure

#: a colour per setting, in order; enough for the longest sweep
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")


def _draw(ax, res, setting, dataset, metric, color, label):
    """Draw one setting's curve; returns its first mean value (the untrained network's)."""
    epochs, mean, low, high = res.curve(setting, dataset, metric)
    if metric == "accuracy":
        mean, low, high = 100 * mean, 100 * low, 100 * high
    ax.plot(epochs, mean, color=color, lw=1.4, label=literal(label))
    ax.fill_between(epochs, low, high, color=color, alpha=0.18, lw=0)
    diverged = [r for r in res.runs(setting, dataset) if r.status == "diverged"]
    if diverged and metric == "loss":
        stop = min(r.epochs_run for r in diverged)
        ax.axvline(stop, color=color, ls=":", lw=1.0)
    return mean[0]


def _clip_loss_axis(ax, start_losses):
    """A diverging run's loss climbs to 1e300 before it overflows: keep the axis on the
    range where learning happens (up to 100 times the largest starting loss)."""
    finite = [v for v in start_losses if np.isfinite(v)]
    if finite:
        bottom, top = ax.get_ylim()
        ax.set_ylim(bottom=max(bottom, 1e-8), top=min(top, 100 * max(finite)))


def _hide_empty_minor_labels(ax):
    """On a log axis spanning more than a decade matplotlib labels no minor tick (its
    formatter returns ""), yet it still formats and measures those empty labels, eight per
    decade, in every layout pass and every draw. Hiding them gives the same bytes, for
    5-13% less time per curve figure."""
    bottom, top = ax.get_ylim()
    if ax.get_yscale() == "log" and top > 10 * bottom:
        ax.tick_params(axis="y", which="minor", labelleft=False)


def _axes_style(ax, metric, log_loss, title):
    ax.set_xlabel("epoch")
    if metric == "loss":
        ax.set_ylabel("training loss")
        if log_loss:
            ax.set_yscale("log")
    else:
        ax.set_ylabel("training accuracy (%)")
        ax.set_ylim(-2, 102)
    ax.set_title(title)


def overlay(res, settings, datasets, metric="loss", labels=None, log_loss=True, legend_title=None,
            titles=None):
    """One panel per data set, one curve (mean, band min-max over seeds) per setting.

    A dotted vertical line marks the first epoch at which a setting's run diverged.
    """
    labels = labels or settings
    fig, axes = new_figure(ncols=len(datasets), width=3.3 * len(datasets) + 1.4, height=3.0,
                           squeeze=False)
    for ax, dataset in zip(axes[0], datasets):
        starts = [_draw(ax, res, setting, dataset, metric, PALETTE[i % len(PALETTE)], labels[i])
                  for i, setting in enumerate(settings)]
        _axes_style(ax, metric, log_loss,
                    literal((titles or {}).get(dataset, f"{dataset} data set")))
        if metric == "loss" and log_loss:
            _clip_loss_axis(ax, starts)
        _hide_empty_minor_labels(ax)
    axes[0][-1].legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False,
                       title=None if legend_title is None else literal(legend_title))
    return fig


def loss_and_accuracy(res, setting, datasets):
    """The headline network: loss (log scale) and accuracy against epoch, both data sets."""
    fig, (left, right) = new_figure(ncols=2, width=6.6, height=2.9)
    for i, dataset in enumerate(datasets):
        _draw(left, res, setting, dataset, "loss", PALETTE[i], dataset)
        _draw(right, res, setting, dataset, "accuracy", PALETTE[i], dataset)
    _axes_style(left, "loss", True, "training loss")
    _axes_style(right, "accuracy", True, "accuracy")
    _hide_empty_minor_labels(left)
    right.legend(loc="lower right", frameon=False)
    return fig
