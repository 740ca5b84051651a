"""Learning-curve axes: minor tick labels are hidden only where matplotlib leaves them empty."""
from reportgen.figures import curves, style


def _log_axes(low, high):
    fig, ax = style.new_figure(width=3, height=2)
    ax.plot([0, 1], [low, high])
    ax.set_yscale("log")
    fig.canvas.draw()
    return fig, ax


def _minor_labels(ax):
    """The minor tick labels matplotlib would draw, as it formats them."""
    locs = ax.yaxis.get_minorticklocs()
    return [label for label in ax.yaxis.get_minor_formatter().format_ticks(locs) if label]


def _minor_labels_shown(ax):
    return all(tick.label1.get_visible() for tick in ax.yaxis.get_minor_ticks())


def test_minor_labels_are_hidden_on_an_axis_over_several_decades_where_all_are_empty():
    fig, ax = _log_axes(1e-4, 0.5)
    assert _minor_labels(ax) == []          # nothing to lose
    curves._hide_empty_minor_labels(ax)
    assert not _minor_labels_shown(ax)
    style.close(fig)


def test_minor_labels_stay_on_an_axis_within_a_decade():
    fig, ax = _log_axes(0.2, 0.5)
    assert len(_minor_labels(ax)) >= 2      # e.g. 2x10^-1, 3x10^-1: the only labels there
    curves._hide_empty_minor_labels(ax)
    assert _minor_labels_shown(ax)
    style.close(fig)

