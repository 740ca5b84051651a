"""The network's architecture as a diagram: units as circles, weights as lines.

Layers wider than ``max_units`` are drawn with their first and last few units and a vertical
ellipsis, so the picture stays readable for 32 units (and more); the true width is written
under the layer.
"""
from . import style  # noqa: F401  (the report's rcParams)

#: How an activation is written inside a unit (None: nothing, the unit is linear).
ACTIVATION_SYMBOLS = {
    "sigmoid": r"$\sigma$",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "LReLU",
    "identity": None,
}

_INPUT_COLOR = "#dbe7f5"
_HIDDEN_COLOR = "#fde9cf"
_OUTPUT_COLOR = "#dff0d8"
_EDGE_COLOR = "#333333"
_WEIGHT_COLOR = "#8a8a8a"


def _default_names(n_layers):
    names = ["x"] + [f"h{i}" for i in range(1, n_layers - 1)] + ["ŷ"]
    return names


def _drawn_rows(size, max_units):
    """Rows to draw for a layer of ``size`` units: unit indices, and None for the ellipsis."""
    if size <= max_units:
        return list(range(size))
    head = (max_units - 1) // 2
    tail = max_units - 1 - head
    return list(range(head)) + [None] + list(range(size - tail, size))


def _unit_text(layer, index, size, n_layers, symbol):
    if layer == 0:
        return f"$x_{{{index + 1}}}$"
    if layer == n_layers - 1 and size == 1:
        return r"$\hat{y}$"
    return symbol or ""


def network(sizes, names=None, activation="sigmoid", output_activation="sigmoid", bias=True,
            max_units=9, max_width=6.2, title=None):
    """Draw a fully connected network with layer ``sizes`` (e.g. (2, 4, 4, 1)).

    Each column is headed by its name (default x, h1, h2, ..., ŷ), role, activation and width;
    between columns the weight matrix's shape ("W1: 2×4") and, with ``bias``, the bias vector's
    ("b1: 4"). At most ``max_units`` circles are drawn per layer (first and last units around a
    vertical ellipsis). The figure is at most ``max_width`` inches wide; its height follows.
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle

    sizes = [int(s) for s in sizes]
    if len(sizes) < 2 or any(s < 1 for s in sizes):
        raise ValueError(f"network: need at least two layers of >= 1 unit, got {sizes}")
    if max_units < 3:
        raise ValueError("network: max_units must be at least 3")
    n_layers = len(sizes)
    names = list(names) if names is not None else _default_names(n_layers)
    if len(names) != n_layers:
        raise ValueError(f"network: {len(names)} names for {n_layers} layers")

    # Layout in inches (the axes span the whole figure with 1 data unit = 1 inch).
    rows = [_drawn_rows(s, max_units) for s in sizes]
    tallest = max(len(r) for r in rows)
    margin = 0.65
    dx = min(1.6, (max_width - 2 * margin) / (n_layers - 1))
    dy = min(0.42, 2.6 / max(tallest - 1, 1))
    radius = min(0.15, 0.42 * dy)
    line = 0.15                                   # one 8 pt text line
    title_h, header_h, footer_h = 0.32, 3 * line + 0.12, (2 if bias else 1) * line + 0.2
    body_h = (tallest - 1) * dy + 2 * radius
    width = (n_layers - 1) * dx + 2 * margin
    height = title_h + header_h + body_h + footer_h + 0.1
    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()

    xs = [margin + i * dx for i in range(n_layers)]
    centre = footer_h + 0.05 + body_h / 2
    positions = []                                # per layer: [(y, unit index or None)]
    for layer_rows in rows:
        top = centre + (len(layer_rows) - 1) * dy / 2
        positions.append([(top - k * dy, unit) for k, unit in enumerate(layer_rows)])

    # weights: every drawn unit to every drawn unit of the next layer
    for layer in range(n_layers - 1):
        for y0, u0 in positions[layer]:
            for y1, u1 in positions[layer + 1]:
                if u0 is not None and u1 is not None:
                    ax.plot([xs[layer] + radius, xs[layer + 1] - radius], [y0, y1],
                            color=_WEIGHT_COLOR, linewidth=0.45, alpha=0.7, zorder=1,
                            solid_capstyle="butt")

    header_y = height - title_h - 0.05
    for layer, (x, size) in enumerate(zip(xs, sizes)):
        if layer == 0:
            color, act, role = _INPUT_COLOR, None, "input"
        elif layer == n_layers - 1:
            color, act, role = _OUTPUT_COLOR, output_activation, "output"
        else:
            color, act, role = _HIDDEN_COLOR, activation, "hidden"
        symbol = ACTIVATION_SYMBOLS.get(act, act) if act else None
        for y, unit in positions[layer]:
            if unit is None:
                ax.text(x, y, "⋮", ha="center", va="center", fontsize=11, zorder=3)
                continue
            ax.add_patch(Circle((x, y), radius, facecolor=color, edgecolor=_EDGE_COLOR,
                                linewidth=0.8, zorder=2))
            # inside the circle: x_i, ŷ, or a one-glyph activation symbol (σ)
            inner = symbol if symbol and symbol.startswith("$") else ""
            text = _unit_text(layer, unit, size, n_layers, inner)
            if text:
                ax.text(x, y, text, ha="center", va="center", fontsize=8, zorder=3)
        if layer == 0:
            role_text = role
        elif act is None or symbol is None:
            role_text = f"{role}, linear"
        else:
            role_text = f"{role}, {symbol}"
        ax.text(x, header_y, f"{names[layer]}\n{role_text}\n{size} unit{'s' if size != 1 else ''}",
                ha="center", va="top", fontsize=8, linespacing=1.3)

    # weight (and bias) shapes between the columns, at the bottom
    for layer in range(n_layers - 1):
        label = f"W{layer + 1}: {sizes[layer]}×{sizes[layer + 1]}"
        if bias:
            label += f"\nb{layer + 1}: {sizes[layer + 1]}"
        ax.text((xs[layer] + xs[layer + 1]) / 2, footer_h - 0.05, label, ha="center",
                va="top", fontsize=7.5, color="#1f4e8c", linespacing=1.3)

    note = "with biases" if bias else "no biases"
    ax.text(width / 2, height - 0.08, title if title is not None else
            "Network " + "–".join(str(s) for s in sizes) + f" ({note})", ha="center", va="top",
            fontsize=9)
    return fig
