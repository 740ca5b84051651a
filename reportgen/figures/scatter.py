"""Scatter plots of the 2-D data sets: the course's comparison figure and decision boundaries.

Titles given by the caller are English message ids, drawn translated (``reportgen.i18n``); one
the catalog does not know is drawn as given.
"""
import numpy as np

from ..i18n import N_, _
from .style import CLASS_COLORS, literal, new_figure, plain_maths, with_maths

#: the network's output as the figures write it: mathtext, and plain text (``with_maths``)
YHAT = (r"$\hat{y}$", "ŷ")


def _scatter_classes(ax, X, labels, title):
    for cls, color in enumerate(CLASS_COLORS):
        points = X[labels.ravel() == cls]
        ax.scatter(points[:, 0], points[:, 1], c=color, s=22,
                   label=_("class {number}").format(number=cls), edgecolors="white",
                   linewidths=0.4, zorder=3)
    ax.set_title(literal(_(title)))
    ax.set_xlabel("$x_0$")
    ax.set_ylabel("$x_1$")
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.05, 1.05)
    ax.set_aspect("equal")


def comparison(X, y, yhat, suptitle=None):
    """The lab's figure: "Ground truth" and "Predict result" side by side (red 0, blue 1)."""
    fig, (left, right) = new_figure(ncols=2, width=6.0, height=3.1)
    _scatter_classes(left, X, y, N_("Ground truth"))
    _scatter_classes(right, X, (yhat > 0.5).astype(int), N_("Predict result"))
    right.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
    if suptitle:
        fig.suptitle(literal(_(suptitle)))
    return fig


def data_sets(panels, panel_width=2.35, height=2.5):
    """Data sets side by side: one panel per (title, X, y), points coloured by class."""
    fig, axes = new_figure(ncols=len(panels), width=panel_width * len(panels) + 0.55,
                           height=height, squeeze=False)
    for ax, (title, X, y) in zip(axes[0], panels):
        _scatter_classes(ax, X, y, title)
    axes[0][-1].legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
    return fig


#: Grid points per side on which decision boundaries evaluate the network. A panel is about
#: 390 pixels wide in the PDF's PNG, so a cell is 3 pixels, across which the network's
#: smooth output is drawn by linear interpolation: boundaries move by at most a pixel against
#: a 200-point grid, for less than half the evaluation and contouring time and SVG size.
BOUNDARY_RESOLUTION = 128


def constant_output(out, inside):
    """None if the network's output ``out`` (on a grid) crosses 0.5 at the grid points
    ``inside`` the unit square; else what its panel's title says instead of drawing a
    boundary, such as "class 0 everywhere / ŷ ≈ 0.49" on two lines (a point is class 1 where
    ŷ > 0.5, as in the comparison figures)."""
    values = out[inside]
    above = values > 0.5
    if above.any() and not above.all():
        return None
    low, high = float(values.min()), float(values.max())
    level = (f"{YHAT[0]} ≈ {(low + high) / 2:.2f}" if high - low < 0.02 else
             with_maths(_("{yhat} from {low} to {high}"), yhat=YHAT,
                        low=(f"{low:.2f}",) * 2, high=(f"{high:.2f}",) * 2))
    return _("class {number} everywhere").format(number=int(above[0])) + "\n" + level


def decision_boundaries(panels, ncols=2, resolution=BOUNDARY_RESOLUTION):
    """One panel per (title, X, y, predict) with predict(grid points (m, 2)) -> (m, 1).

    The background shows the network's output (drawn as an image in the SVG: as vector
    shapes, its bands were a sixth of the report's drawing), the line its 0.5 contour, as a
    vector. A panel whose
    network gives one class over the whole unit square (no 0.5 contour inside it: it
    predicts a constant, or near one) says so in its title, with the class it gives and its
    output (``constant_output``).
    """
    nrows = -(-len(panels) // ncols)
    fig, axes = new_figure(ncols=ncols, nrows=nrows, width=2.8 * ncols + 0.5, height=2.75 * nrows,
                           squeeze=False)
    grid = np.linspace(-0.05, 1.05, resolution)
    gx, gy = np.meshgrid(grid, grid)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    inside = (gx >= 0) & (gx <= 1) & (gy >= 0) & (gy <= 1)
    image = None
    for ax, (title, X, y, predict) in zip(axes.flat, panels):
        out = predict(points).reshape(gx.shape)
        image = ax.contourf(gx, gy, out, levels=np.linspace(0, 1, 11), cmap="RdBu", alpha=0.55,
                            extend="both", rasterized=True)
        note = constant_output(out, inside)
        if note is None:
            ax.contour(gx, gy, out, levels=[0.5], colors="black", linewidths=1.0)
        _scatter_classes(ax, X, y, title)
        if note is not None:
            # in the title, above the panel: a note inside it would hide data points or be
            # hidden by them
            ax.set_title(plain_maths(_("{title}\nconstant output, no boundary:\n{note}").format(
                title=literal(_(title)), note=note), YHAT))
    for ax in list(axes.flat)[len(panels):]:
        ax.set_visible(False)
    if image is not None:
        fig.colorbar(image, ax=axes, shrink=0.8,
                     label=with_maths(_("network output {yhat}"), yhat=YHAT))
    return fig
