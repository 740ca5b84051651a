"""Learning curves from experiment results: mean over seeds with a min-max band (for the
loss, drawn on a log axis, the geometric mean: the middle of the seeds there).

Each setting of an overlay has its own colour, line style and marker (the markers of
successive settings are staggered along the curve), so curves that lie on top of each other
are still told apart, in print and in grey.

The loss axis (log scale) spans the runs that did not diverge: from the smallest to the
largest loss any of them recorded, with a margin of 5% of that span (in decades) on either
side, at least a factor 1.3. A diverging run's loss climbs to 1e300 before it overflows and
would otherwise squeeze every other curve into the bottom of the axis. Where a curve or its
band leaves that range, a triangle in its colour marks the edge it leaves by (at the epoch it
does), and the legend says that curves are clipped there; a dotted vertical line marks the
first epoch at which one of a setting's runs diverged. Only when every run of a panel
diverged does the axis follow them, up to 100 times the largest starting loss.

Every word is drawn in the language being written (``reportgen.i18n``): the labels, titles
and legend titles a caller gives are English message ids, translated here (one the catalog
does not know is drawn as given).
"""
import warnings

import numpy as np
from matplotlib.lines import Line2D

from ..i18n import _
from .labels import dataset_name, dataset_title, separator, translated_label
from .style import TEXT_WIDTH, literal, new_figure, text_width

#: a colour per setting, in order; enough for the longest sweep
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")
#: a line style per setting (none dotted: a dotted line marks a divergence)
LINESTYLES = ("-", (0, (5, 2)), (0, (6, 1.5, 1.2, 1.5)), (0, (2.5, 1.5)),
              (0, (8, 2, 1.2, 2, 1.2, 2)), (0, (10, 3)))
#: a marker per setting
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<", ">", "*")
#: markers per curve
MARKS = 8
#: the loss axis's margin beyond the range of the runs that did not diverge
MARGIN_SHARE, MARGIN_LEAST = 0.05, 1.3
#: legend labels longer than this (in Latin characters' widths: a Chinese character counts
#: two) are broken after a comma
LABEL_CHARS = 20
#: the most points of a band's edge: a panel is at most a text width (about 470 pt) wide
BAND_POINTS = 300
#: the most points of a curve: its lowest and highest value in each of half as many runs of
#: epochs (a curve's 1,000 recorded epochs across a 150-pt panel are 7 to a point; drawing
#: them all is most of what the PDF spends on its figures)
LINE_POINTS = 400


def series_style(i, n):
    """Colour, line style and marker of the ``i``-th of ``n`` settings (keyword arguments of
    ``Axes.plot``; ``_draw`` adds where the markers go)."""
    return dict(color=PALETTE[i % len(PALETTE)], ls=LINESTYLES[i % len(LINESTYLES)],
                marker=MARKERS[i % len(MARKERS)], markersize=3.8, markeredgewidth=0.5,
                markeredgecolor="white", slot=(i, n))


def mark_epochs(epochs, i, n, count=MARKS):
    """Indices into ``epochs`` of the ``i``-th of ``n`` settings' markers: ``count`` evenly
    spaced over the epochs, each setting's shifted by 1/n of the spacing from the last's, so
    that curves lying on one another show their markers side by side."""
    epochs = np.asarray(epochs, dtype=float)
    first, last = epochs[0], epochs[-1]
    at = first + (np.arange(count) + (i + 0.5) / n) / count * (last - first)
    return sorted(set(np.minimum(np.searchsorted(epochs, at), len(epochs) - 1).tolist()))


def _label(res, setting, label):
    """A legend label: the setting's display label unless one was given (translated), broken
    after its commas into lines of at most ``LABEL_CHARS`` characters where it is longer (a
    part longer than that stays whole)."""
    label = translated_label(setting, res.overrides(setting)) if label is None else _(label)
    comma = separator()
    if comma not in label and ", " in label:
        comma = ", "
    joint, end = comma, comma.rstrip()
    lines = []
    for part in literal(label).split(comma):
        if lines and text_width(lines[-1]) + text_width(joint) + text_width(part) <= LABEL_CHARS:
            lines[-1] += joint + part
        elif lines:
            lines[-1] += end
            lines.append(part)
        else:
            lines.append(part)
    return "\n".join(lines)


def _curve(res, setting, dataset, metric):
    epochs, mean, low, high = res.curve(setting, dataset, metric, geometric=metric == "loss")
    if metric == "accuracy":
        mean, low, high = 100 * mean, 100 * low, 100 * high
    return epochs, mean, low, high


def _draw(ax, res, setting, dataset, metric, style, label):
    """Draw one setting's curve and band; returns (epochs, mean, low, high)."""
    epochs, mean, low, high = curve = _curve(res, setting, dataset, metric)
    style = dict(style)
    drawn = line_envelope(epochs, mean)
    style["markevery"] = mark_epochs(drawn[0], *style.pop("slot"))
    ax.plot(*drawn, lw=1.3, label=label, **style)
    ax.fill_between(*band_envelope(epochs, low, high), color=style["color"], alpha=0.18, lw=0)
    diverged = [r for r in res.runs(setting, dataset) if r.status == "diverged"]
    if diverged and metric == "loss":
        stop = min(r.epochs_run for r in diverged)
        ax.axvline(stop, color=style["color"], ls=":", lw=1.0)
    return curve


def line_envelope(epochs, values, points=LINE_POINTS):
    """(epochs, values) of a curve with at most about ``points`` epochs: the epochs are cut
    into ``points // 2`` runs, and each gives its lowest and its highest value, at their own
    epochs and in their order, so that the drawn line reaches every extreme the curve has (a
    spike as tall as before). The first and last epochs stay; NaN stays where a run is all
    NaN."""
    epochs, values = np.asarray(epochs), np.asarray(values)
    if len(epochs) <= points:
        return epochs, values
    edges = np.linspace(0, len(epochs), points // 2 + 1).round().astype(int)
    keep = {0, len(epochs) - 1}
    for a, b in zip(edges, edges[1:]):
        part = values[a:b]
        if np.isnan(part).all():
            keep.add(a)
            continue
        keep.update((a + int(np.nanargmin(part)), a + int(np.nanargmax(part))))
    keep = np.array(sorted(keep))
    return epochs[keep], values[keep]


def band_envelope(epochs, low, high, points=BAND_POINTS):
    """(epochs, low, high) of a band with at most ``points`` epochs, covering the band.

    matplotlib simplifies a line to what its width shows, but draws a filled band with
    every point; a band of 1000 epochs across a 150-pt panel is most of a figure's size and
    of the PDF's drawing time. Here the epochs are cut into ``points`` runs, and each gives
    one point, at its middle epoch, with the run's lowest low and highest high, so the
    band keeps its extremes (a spike is as tall as before). A run of NaN (no run left) stays
    NaN.
    """
    if len(epochs) <= points:
        return epochs, low, high
    edges = np.linspace(0, len(epochs), points + 1).round().astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a run of NaN only stays NaN
        lows = np.array([np.nanmin(low[a:b]) for a, b in zip(edges, edges[1:])])
        highs = np.array([np.nanmax(high[a:b]) for a, b in zip(edges, edges[1:])])
    middle = np.asarray(epochs)[(edges[:-1] + edges[1:] - 1) // 2]
    # the first and last epochs stay, so that the band spans the curve
    return (np.concatenate([[epochs[0]], middle, [epochs[-1]]]),
            np.concatenate([[low[0]], lows, [low[-1]]]),
            np.concatenate([[high[0]], highs, [high[-1]]]))


def loss_range(res, settings, dataset):
    """(bottom, top) of a log loss axis showing ``settings`` on ``dataset``: the range of the
    positive losses recorded by the runs that did not diverge, with the margin above; if
    every run diverged, up to 100 times the largest starting loss."""
    runs = [r for s in settings for r in res.runs(s, dataset)]
    kept = [r for r in runs if r.status != "diverged"]
    values = [r.history("loss")[1] for r in (kept or runs)]
    values = np.concatenate([v[np.isfinite(v) & (v > 0)] for v in values])
    if not kept:
        start = max(r.history("loss")[1][0] for r in runs)
        values = values[values <= 100 * start]
    if not len(values):
        return None
    low, high = float(values.min()), float(values.max())
    margin = max(MARGIN_LEAST, (high / low) ** MARGIN_SHARE)
    return low / margin, high * margin


def _mark_clipped(ax, curves, styles):
    """A triangle at the edge where each curve or band leaves the axis (at the first epoch it
    does); returns whether any did."""
    bottom, top = ax.get_ylim()
    clipped = False
    for (epochs, mean, low, high), style in zip(curves, styles):
        for values, edge, marker in ((np.fmax(mean, high), top, "^"),
                                     (np.fmin(mean, low), bottom, "v")):
            beyond = np.flatnonzero(values > top if marker == "^" else values < bottom)
            if len(beyond):
                ax.plot([epochs[beyond[0]]], [edge], ls="none", marker=marker, markersize=5.5,
                        color=style["color"], markeredgecolor="black", markeredgewidth=0.5,
                        clip_on=False, zorder=5)
                clipped = True
    return clipped


def _hide_empty_minor_labels(ax):
    """On a log axis spanning more than a decade matplotlib labels no minor tick (its
    formatter returns ""), yet it still formats and measures those empty labels, eight per
    decade, in every layout pass and every draw. Hiding them gives the same bytes, for
    5-13% less time per curve figure."""
    bottom, top = ax.get_ylim()
    if ax.get_yscale() == "log" and top > 10 * bottom:
        ax.tick_params(axis="y", which="minor", labelleft=False)


def _axes_style(ax, metric, log_loss, title):
    ax.set_xlabel(_("epoch"))
    if metric == "loss":
        ax.set_ylabel(_("training loss"))
        if log_loss:
            ax.set_yscale("log")
    else:
        ax.set_ylabel(_("training accuracy (%)"))
        ax.set_ylim(-2, 102)
    ax.set_title(title)


#: legend entries explaining the marks that are not settings
_CLIPPED = Line2D([], [], ls="none", marker="^", markersize=5.5, color="0.6",
                  markeredgecolor="black", markeredgewidth=0.5)
_DIVERGED = Line2D([], [], ls=":", lw=1.0, color="0.3")


def overlay(res, settings, datasets, metric="loss", labels=None, log_loss=True, legend_title=None,
            titles=None, width=TEXT_WIDTH, height=2.55):
    """One panel per data set, one curve (mean, band min-max over seeds) per setting, each
    with its own colour, line style and markers; the loss axis is clipped as the module
    says. ``labels``: legend labels (default: each setting's display label); ``titles``: data
    set -> panel title (default: "XOR data set"); these and ``legend_title`` are translated."""
    n = len(settings)
    styles = [series_style(i, n) for i in range(n)]
    names = [_label(res, s, None if labels is None else labels[i])
             for i, s in enumerate(settings)]
    fig, axes = new_figure(ncols=len(datasets), width=width, height=height, squeeze=False)
    clipped = diverged = False
    for ax, dataset in zip(axes[0], datasets):
        curves = [_draw(ax, res, setting, dataset, metric, style, name)
                  for setting, style, name in zip(settings, styles, names)]
        title = _(titles[dataset]) if dataset in (titles or {}) else dataset_title(dataset)
        _axes_style(ax, metric, log_loss, literal(title))
        if metric == "loss":
            diverged |= any(r.status == "diverged" for s in settings
                            for r in res.runs(s, dataset))
            if log_loss and (limits := loss_range(res, settings, dataset)) is not None:
                ax.set_ylim(*limits)
                clipped |= _mark_clipped(ax, curves, styles)
        _hide_empty_minor_labels(ax)
    handles, texts = axes[0][-1].get_legend_handles_labels()
    if diverged:
        handles, texts = handles + [_DIVERGED], texts + [_("a run diverged")]
    if clipped:
        handles, texts = handles + [_CLIPPED], texts + [_("clipped: beyond\nthe axis")]
    axes[0][-1].legend(handles, texts, loc="upper left", bbox_to_anchor=(1.02, 1.0),
                       frameon=False, handlelength=2.6,
                       title=None if legend_title is None else literal(_(legend_title)))
    return fig


def loss_and_accuracy(res, setting, datasets, width=TEXT_WIDTH, height=2.7):
    """The headline network: loss (log scale) and accuracy against epoch, both data sets."""
    fig, (left, right) = new_figure(ncols=2, width=width, height=height)
    styles = [series_style(i, len(datasets)) for i in range(len(datasets))]
    for dataset, style in zip(datasets, styles):
        name = literal(_(dataset_name(dataset)))
        _draw(left, res, setting, dataset, "loss", style, name)
        _draw(right, res, setting, dataset, "accuracy", style, name)
    _axes_style(left, "loss", True, _("training loss"))
    _axes_style(right, "accuracy", True, _("accuracy"))
    if (limits := loss_range(res, [setting], datasets[0])) is not None:
        for dataset in datasets[1:]:
            low, high = loss_range(res, [setting], dataset) or limits
            limits = min(limits[0], low), max(limits[1], high)
        left.set_ylim(*limits)
    _hide_empty_minor_labels(left)
    right.legend(loc="lower right", frameon=False, handlelength=2.6)
    return fig
