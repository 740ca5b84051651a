"""Activation functions and their derivatives, drawn from the engine's own definitions, their
words in the language being written (``reportgen.i18n``)."""
import numpy as np
from matplotlib.transforms import ScaledTranslation

from ..engine.activations import ACTIVATIONS, Activation
from ..i18n import _, pgettext
from .style import TEXT_WIDTH, literal, new_figure, with_maths

#: (function, derivative) formulas (mathtext) per activation, shorter than the entries' TeX
#: so that they fit a legend; ``{a}`` is the symbol of the entry's hyper-parameter (the
#: leaky slope's "a", as the registry and the prose write it). A formula by cases is a tuple
#: (value, condition, value otherwise), written in words ("$1$ if $z>0$ else $0$"), each as
#: mathtext and as plain text (``style.with_maths``). The panels are titled by the entries'
#: display names.
FORMULAS = {
    "sigmoid": (r"$\sigma(z) = 1/(1+e^{-z})$", r"$\sigma'(z) = \sigma(z)(1-\sigma(z))$"),
    "tanh": (r"$\tanh(z)$", r"$1-\tanh^2(z)$"),
    "relu": (r"$\max(0,\, z)$", ((r"$1$", "1"), (r"$z>0$", "z > 0"), (r"$0$", "0"))),
    "leaky_relu": (r"$\max({a} z,\, z)$", ((r"$1$", "1"), (r"$z>0$", "z > 0"),
                                            (r"${a}$", "{a}"))),
    "identity": (r"$z$", r"$1$"),
}
#: the input's symbol, as mathtext and as plain text
Z = ("$z$", "z")


def _formula(formula):
    """A legend's formula: mathtext, or a formula by cases written in words."""
    if isinstance(formula, tuple):
        then, condition, otherwise = formula
        return with_maths(_("{then} if {condition} else {otherwise}"),
                          then=then, condition=condition, otherwise=otherwise)
    return formula

#: how far below its axes a panel's legend starts, in inches (under the x label)
LEGEND_DROP = 0.4

FUNCTION_STYLE = dict(color="tab:blue", linewidth=1.8)
DERIVATIVE_STYLE = dict(color="tab:orange", linewidth=1.6, linestyle="--")


def _with_breaks(z, values):
    """NaN where a derivative jumps (ReLUs at 0), so no vertical line is drawn there."""
    values = np.asarray(values, dtype=float).copy()
    jumps = np.flatnonzero(np.abs(np.diff(values)) > 0.05 * (np.ptp(values) or 1.0))
    values[jumps] = np.nan
    return values


def _panel(ax, name, zmax, leaky_slope):
    activation = Activation(name, leaky_slope=leaky_slope)
    z = np.linspace(-zmax, zmax, 801)
    a = activation(z)
    da = activation.derivative(a)   # the engine's derivative, written in terms of the output
    entry = ACTIVATIONS[name]
    # an activation without hand-set mathtext here is labelled from its registry entry
    f_label, d_label = FORMULAS.get(name, (f"${entry.tex}$", f"${entry.derivative_tex}$"))
    symbols = {p.name: p.symbol for p in entry.parameters}
    f_label, d_label = (_formula(text).replace("{a}", symbols.get("leaky_slope", "a"))
                        for text in (f_label, d_label))
    title = literal(_(entry.display))
    if "leaky_slope" in symbols:
        title += rf" (${symbols['leaky_slope']}$ = {leaky_slope:g})"
    ax.plot(z, a, label=f_label, **FUNCTION_STYLE)
    ax.plot(z, _with_breaks(z, da), label=d_label, **DERIVATIVE_STYLE)
    ax.axhline(0, color="0.5", linewidth=0.6, zorder=0)
    ax.axvline(0, color="0.5", linewidth=0.6, zorder=0)
    ax.set_title(title)
    ax.set_xlabel(with_maths(_("input {z}"), z=Z))
    ax.set_xlim(-zmax, zmax)
    ax.set_ylabel(pgettext("the y axis of a function's plot", "value"))
    # Below the axes, so the formulas never hide the curves.
    below = ScaledTranslation(0, -LEGEND_DROP, ax.figure.dpi_scale_trans)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0),
              bbox_transform=ax.transAxes + below, frameon=False, handlelength=2.2,
              borderaxespad=0.0)


def activation(name, zmax=5.0, leaky_slope=0.01, width=3.4, height=2.75):
    """One activation and its derivative (e.g. σ and σ' = σ(1 − σ)), formulas in the legend."""
    fig, ax = new_figure(width=width, height=height)
    _panel(ax, name, zmax, leaky_slope)
    return fig


def activations(names=None, ncols=3, zmax=4.0, leaky_slope=0.01, width=TEXT_WIDTH,
                panel_height=2.35):
    """One panel per activation (default: every activation registered when it is drawn),
    each with its derivative (dashed) and both formulas in the legend."""
    names = list(ACTIVATIONS if names is None else names)
    for name in names:
        if name not in ACTIVATIONS:
            raise ValueError(f"activations: unknown {name!r}; allowed: {', '.join(ACTIVATIONS)}")
    nrows = -(-len(names) // ncols)
    fig, axes = new_figure(ncols=ncols, nrows=nrows, width=width, height=panel_height * nrows,
                           squeeze=False)
    for ax, name in zip(axes.flat, names):
        _panel(ax, name, zmax, leaky_slope)
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    return fig
