"""The network's architecture as a diagram: units as circles, weights as lines.

Layers wider than ``max_units`` are drawn with their first and last few units and a vertical
ellipsis, so the picture stays readable for 32 units (and more); the true width is written
under the layer. The words are drawn in the language being written (``reportgen.i18n``).
"""
from . import style  # noqa: F401  (the report's rcParams)
from ..i18n import _, ngettext, pgettext
from .labels import activation_name
from .style import literal

#: Activations written inside their units, as a one-glyph symbol; the others' units are
#: left empty. Column headers name every activation by its registry display name.
ACTIVATION_GLYPHS = {
    "sigmoid": r"$\sigma$",
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
    if layer == 0:   # numbered from 0, as the text and tables name the inputs (x0, x1)
        return f"$x_{{{index}}}$"
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
        symbol = ACTIVATION_GLYPHS.get(act) if act else None
        for y, unit in positions[layer]:
            if unit is None:
                ax.text(x, y, "⋮", ha="center", va="center", fontsize=11, zorder=3)
                continue
            ax.add_patch(Circle((x, y), radius, facecolor=color, edgecolor=_EDGE_COLOR,
                                linewidth=0.8, zorder=2))
            # inside the circle: x_i, ŷ, or a one-glyph activation symbol (σ)
            text = _unit_text(layer, unit, size, n_layers, symbol)
            if text:
                ax.text(x, y, text, ha="center", va="center", fontsize=8, zorder=3)
        if layer == 0:
            role_text = pgettext("a layer of the network's diagram", "input")
        elif role == "output":
            role_text = _("output, {activation}").format(activation=_activation_text(act))
        else:
            role_text = _("hidden, {activation}").format(activation=_activation_text(act))
        units = ngettext("{count} unit", "{count} units", size).format(count=size)
        ax.text(x, header_y, f"{literal(names[layer])}\n{role_text}\n{units}", ha="center",
                va="top", fontsize=8, linespacing=1.3)

    # weight (and bias) shapes between the columns, at the bottom
    for layer in range(n_layers - 1):
        label = f"W{layer + 1}: {sizes[layer]}×{sizes[layer + 1]}"
        if bias:
            label += f"\nb{layer + 1}: {sizes[layer + 1]}"
        ax.text((xs[layer] + xs[layer + 1]) / 2, footer_h - 0.05, label, ha="center",
                va="top", fontsize=7.5, color="#1f4e8c", linespacing=1.3)

    shown = "–".join(str(s) for s in sizes)
    if title is not None:
        title = literal(_(title))
    elif bias:
        title = _("Network {sizes} (with biases)").format(sizes=shown)
    else:
        title = _("Network {sizes} (no biases)").format(sizes=shown)
    ax.text(width / 2, height - 0.08, title, ha="center", va="top", fontsize=9)
    return fig


# --- the convolutional network -------------------------------------------------------------

_LIFT_COLOR = "#e6e1f2"
_KERNEL_COLOR = "#d9480f"
_KERNEL_FILL = "#ffd8a8"
_PAD_EDGE = "#9a9a9a"


def _drawn_channels(channels, max_channels):
    """Channel columns to draw: channel indices, and None for a horizontal ellipsis."""
    if channels <= max_channels:
        return list(range(channels))
    return list(range(max_channels - 2)) + [None, channels - 1]


def _activation_text(act):
    """An activation as a column header names it (its display name; none: linear)."""
    return (literal(_(activation_name(act))) if act else
            pgettext("a layer without activation function", "linear"))


def _conv_title(spec):
    from ..engine.conv import LIFTS

    if spec.lift == "raw":
        parts = [_("no lift (x₀, x₁)")]
    else:
        directions = LIFTS[spec.lift]
        parts = [ngettext("lift to {count} direction", "lift to {count} directions",
                          directions).format(count=directions)]
    for layer in spec.conv:
        if layer.padding == "valid":
            text = ngettext("conv {count} channel, kernel {kernel}",
                            "conv {count} channels, kernel {kernel}", layer.channels)
        else:
            text = ngettext("conv {count} channel, kernel {kernel}, {padding} padding",
                            "conv {count} channels, kernel {kernel}, {padding} padding",
                            layer.channels)
        parts.append(text.format(count=layer.channels, kernel=layer.kernel,
                                 padding=layer.padding))
    hidden = list(spec.sizes[1:-1])
    if hidden:
        parts.append(_("dense {sizes}").format(sizes="–".join(str(s) for s in hidden)))
    parts.append("ŷ")
    return _("Conv network: {layers}").format(layers=" → ".join(parts))


def _wrap_title(title, max_chars):
    """Break a long title into lines, preferably after an arrow."""
    import textwrap

    lines = [""]
    for part in title.split(" → "):
        candidate = f"{lines[-1]} → {part}" if lines[-1] else part
        if len(candidate) + 2 <= max_chars or not lines[-1]:
            lines[-1] = candidate
        else:
            lines[-1] += " →"
            lines.append(part)
    return [w for text in lines for w in (textwrap.wrap(text, max_chars) or [""])]


def conv_network(spec, max_width=6.4, max_channels=4, max_units=7, title=None):
    """Draw a convolutional network (a ``RunSpec`` with conv layers), left to right.

    Columns: the input point (x0, x1); the fixed lift to a one-channel signal s_0 .. s_{L-1}
    (lines where a projection coefficient is non-zero); each conv layer as a grid of channel
    columns × signal positions, with one kernel window of the layer's input highlighted (the
    k positions × all input channels it reads, "same" padding zeros dashed) and the one output
    value it produces; the flatten step (L_out·C values, position-major); the dense layers
    ``spec.sizes[1:]`` as circles, ending at ŷ. Headers name each column, the row under the
    body gives its shape, the bottom row the parameters between columns (kernel, W, b).
    At most ``max_channels`` channel columns and ``max_units`` circles (or flatten values,
    ``max_units + 2``) are drawn per column, around an ellipsis. The figure is at most
    ``max_width`` inches wide (unless even the tightest spacing does not fit).
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle, Rectangle

    from ..engine.conv import LIFTS, PADDINGS, output_length

    conv = tuple(getattr(spec, "conv", ()) or ())
    if not conv:
        raise ValueError("conv_network: the spec has no conv layers (draw a dense network "
                         "with network(spec.sizes))")
    if max_channels < 3 or max_units < 3:
        raise ValueError("conv_network: max_channels and max_units must be at least 3")

    # --- shapes ------------------------------------------------------------------------------
    lengths = [LIFTS[spec.lift]]
    for layer in conv:
        lengths.append(output_length(lengths[-1], layer.kernel, layer.padding))
    channels = [1] + [layer.channels for layer in conv]
    pads = [PADDINGS[layer.padding](layer.kernel) for layer in conv]
    n_flat = lengths[-1] * channels[-1]
    dense = [int(s) for s in spec.sizes[1:]]
    drawn_ch = [[0]] + [_drawn_channels(c, max_channels) for c in channels[1:]]
    flat_rows = _drawn_rows(n_flat, max_units + 2)
    dense_rows = [_drawn_rows(s, max_units) for s in dense]

    # --- sizes in inches (the axes span the whole figure, 1 data unit = 1 inch) ---------------
    radius = 0.13
    lift_w, flat_w = 0.36, 0.24
    # rows of a signal column: its positions plus the zeros the next conv layer pads it with
    rows_needed = [lengths[i] + sum(pads[i]) for i in range(len(conv))] + [lengths[-1]]
    cell_h = min(0.27, 2.3 / max(rows_needed))
    body_h = max(max(rows_needed) * cell_h, 1.2)
    flat_h = min(cell_h, body_h / len(flat_rows))
    kinds = ["lift"] + ["conv"] * len(conv) + ["flatten"] + ["dense"] * len(dense)
    gap_min = {"lift": 0.38, "conv": 0.55, "flatten": 0.3, "dense": 0.45}
    gap_pref = {"lift": 0.6, "conv": 0.95, "flatten": 0.5, "dense": 0.8}
    lo = sum(gap_min[k] for k in kinds)
    hi = sum(gap_pref[k] for k in kinds)
    # narrower channel columns and margins first; below the minimal gaps, shrink them all
    for cell_w, margin in ((0.15, 0.3), (0.13, 0.26), (0.11, 0.22)):
        widths = ([2 * radius, lift_w] + [len(d) * cell_w for d in drawn_ch[1:]] + [flat_w]
                  + [2 * radius] * len(dense))
        avail = max_width - 2 * margin - sum(widths)
        if avail >= lo:
            break
    if avail >= hi:
        gaps = [gap_pref[k] for k in kinds]
    elif avail >= lo:
        t = (avail - lo) / (hi - lo)
        gaps = [gap_min[k] + t * (gap_pref[k] - gap_min[k]) for k in kinds]
    else:
        shrink = max(avail / lo, 0.6)
        gaps = [gap_min[k] * shrink for k in kinds]
    width = 2 * margin + sum(widths) + sum(gaps)

    title = _(title) if title is not None else _conv_title(spec)
    title_lines = _wrap_title(title, max(20, int((width - 0.3) / 0.072)))
    line = 0.15
    note_lines = 5 if spec.bias else 4
    title_h = 0.12 + 0.17 * len(title_lines)
    header_h = 2 * line + 0.12
    shape_h = 0.22
    notes_h = note_lines * 0.135 + 0.12
    height = title_h + header_h + body_h + shape_h + notes_h + 0.1
    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()

    lefts = [margin]
    for w, g in zip(widths[:-1], gaps):
        lefts.append(lefts[-1] + w + g)
    centres = [left + w / 2 for left, w in zip(lefts, widths)]
    body_bottom = notes_h + shape_h + 0.05
    centre_y = body_bottom + body_h / 2
    header_y = height - title_h - 0.02
    shape_y = body_bottom - 0.06
    notes_y = notes_h

    def row_y(p, length, h=cell_h):
        return centre_y + ((length - 1) / 2 - p) * h

    def header(col, text):
        ax.text(centres[col], header_y, text, ha="center", va="top", fontsize=8, linespacing=1.3)

    def shape(col, text):
        ax.text(centres[col], shape_y, text, ha="center", va="top", fontsize=7.5)

    def note(col, text):
        """Parameters between column ``col`` and the next one."""
        x = (lefts[col] + widths[col] + lefts[col + 1]) / 2
        ax.text(x, notes_y, text, ha="center", va="top", fontsize=7.5, color="#1f4e8c",
                linespacing=1.3)

    def weight_line(p0, p1, **kwargs):
        line_style = dict(color=_WEIGHT_COLOR, linewidth=0.45, alpha=0.7, zorder=1,
                          solid_capstyle="butt")
        line_style.update(kwargs)
        ax.plot([p0[0], p1[0]], [p0[1], p1[1]], **line_style)

    # --- column 0: the input point --------------------------------------------------------
    in_y = [row_y(i, 2, h=min(0.42, body_h / 2)) for i in range(2)]
    for i, y in enumerate(in_y):
        ax.add_patch(Circle((centres[0], y), radius, facecolor=_INPUT_COLOR,
                            edgecolor=_EDGE_COLOR, linewidth=0.8, zorder=2))
        ax.text(centres[0], y, f"$x_{{{i}}}$", ha="center", va="center", fontsize=8, zorder=3)
    header(0, "x\n" + pgettext("a layer of the network's diagram", "input"))
    shape(0, "2")

    # --- signal columns: the lift (column 1) and each conv layer's output ---------------------
    def cell_x(col, k):
        """Left edge of drawn channel column k of signal column ``col``."""
        w = lift_w if col == 1 else cell_w
        return lefts[col] + k * w, w

    def draw_signal(col, sig):
        length = lengths[sig]
        color = _LIFT_COLOR if sig == 0 else _HIDDEN_COLOR
        for k, ch in enumerate(drawn_ch[sig]):
            x, w = cell_x(col, k)
            if ch is None:
                ax.text(x + w / 2, centre_y, "⋯", ha="center", va="center", fontsize=8, zorder=3)
                continue
            for p in range(length):
                y = row_y(p, length)
                ax.add_patch(Rectangle((x, y - cell_h / 2), w, cell_h, facecolor=color,
                                       edgecolor=_EDGE_COLOR, linewidth=0.6, zorder=2))
                if sig == 0:
                    ax.text(x + w / 2, y, f"$s_{{{p}}}$", ha="center", va="center",
                            fontsize=7.5, zorder=3)

    # the lift: s_t = x0 cos(pi t / L) + x1 sin(pi t / L), or s = (x0, x1) for "raw"
    L = lengths[0]
    if spec.lift == "raw":
        coef = np.eye(2)
    else:
        theta = np.pi * np.arange(L) / L
        coef = np.stack([np.cos(theta), np.sin(theta)])
    for i, y0 in enumerate(in_y):
        for t in range(L):
            if abs(coef[i, t]) > 1e-12:
                weight_line((centres[0] + radius, y0), (lefts[1], row_y(t, L)), linestyle="--",
                            linewidth=0.5)
    draw_signal(1, 0)
    header(1, _("lift (fixed)") + f"\nL = {LIFTS[spec.lift]}")
    shape(1, _("{channels} ch × {length}").format(channels=1, length=L))

    act = _activation_text(spec.activation)
    for i, layer in enumerate(conv):
        col_in, col_out = 1 + i, 2 + i
        length_in = lengths[i]
        left_pad, right_pad = pads[i]
        x_in0 = lefts[col_in]
        x_in1 = lefts[col_in] + widths[col_in]
        # zero padding of the input, dashed
        for p in list(range(-left_pad, 0)) + list(range(length_in, length_in + right_pad)):
            y = row_y(p, length_in)
            for k, ch in enumerate(drawn_ch[i]):
                if ch is None:
                    continue
                x, w = cell_x(col_in, k)
                ax.add_patch(Rectangle((x, y - cell_h / 2), w, cell_h, facecolor="white",
                                       edgecolor=_PAD_EDGE, linewidth=0.6, linestyle=(0, (2, 1.5)),
                                       zorder=2))
                ax.text(x + w / 2, y, "0", ha="center", va="center", fontsize=7.5,
                        color="#777777", zorder=3)
        draw_signal(col_out, i + 1)
        # one kernel window: output position l0 reads padded positions l0 .. l0 + k-1 of the
        # input; the first layer shows the top window, the next the bottom one, and so on
        l0 = 0 if i % 2 == 0 else lengths[i + 1] - 1
        first, last = l0 - left_pad, l0 - left_pad + layer.kernel - 1
        top, bottom = row_y(first, length_in) + cell_h / 2, row_y(last, length_in) - cell_h / 2
        ax.add_patch(Rectangle((x_in0 - 0.03, bottom - 0.03), x_in1 - x_in0 + 0.06,
                               top - bottom + 0.06, facecolor="none", edgecolor=_KERNEL_COLOR,
                               linewidth=1.4, zorder=4))
        out_x, out_w = cell_x(col_out, 0)
        out_y = row_y(l0, lengths[i + 1])
        ax.add_patch(Rectangle((out_x, out_y - cell_h / 2), out_w, cell_h,
                               facecolor=_KERNEL_FILL, edgecolor=_KERNEL_COLOR, linewidth=1.4,
                               zorder=4))
        for p in range(first, last + 1):
            weight_line((x_in1 + 0.03, row_y(p, length_in)), (out_x, out_y),
                        color=_KERNEL_COLOR, linewidth=0.9, alpha=1.0, zorder=3)
        header(col_out, _("conv {number}").format(number=i + 1) + "\n"
               + _("{activation}, {padding}").format(activation=act, padding=layer.padding))
        shape(col_out, _("{channels} ch × {length}").format(channels=layer.channels,
                                                            length=lengths[i + 1]))
        shared = _("shared across\npositions") if lengths[i + 1] > 1 else _("one output\nposition")
        text = (_("kernel k = {k}").format(k=layer.kernel) + f"\n{shared}\n"
                f"W: {layer.kernel}×{channels[i]}×{layer.channels}")
        if spec.bias:
            text += f"\nb: {layer.channels}"
        note(col_in, text)

    # --- flatten ------------------------------------------------------------------------------
    col_conv, col_flat = len(conv) + 1, len(conv) + 2
    flat_pos = []
    for k, unit in enumerate(flat_rows):
        y = row_y(k, len(flat_rows), h=flat_h)
        flat_pos.append((y, unit))
        if unit is None:
            ax.text(centres[col_flat], y, "⋮", ha="center", va="center", fontsize=10, zorder=3)
            continue
        ax.add_patch(Rectangle((lefts[col_flat], y - 0.42 * flat_h), flat_w, 0.84 * flat_h,
                               facecolor=_HIDDEN_COLOR, edgecolor=_EDGE_COLOR, linewidth=0.6,
                               zorder=2))
    grid_top = row_y(0, lengths[-1]) + cell_h / 2
    grid_bottom = row_y(lengths[-1] - 1, lengths[-1]) - cell_h / 2
    flat_top = flat_pos[0][0] + 0.42 * flat_h
    flat_bottom = flat_pos[-1][0] - 0.42 * flat_h
    x_grid = lefts[col_conv] + widths[col_conv]
    for y0, y1 in ((grid_top, flat_top), (grid_bottom, flat_bottom)):
        weight_line((x_grid + 0.04, y0), (lefts[col_flat] - 0.04, y1), linestyle=":",
                    linewidth=0.8, alpha=1.0)
    header(col_flat, _("flatten\n(reshape)"))
    shape(col_flat, str(n_flat))

    # --- dense layers ---------------------------------------------------------------------------
    prev_pos = [(lefts[col_flat] + flat_w, y) for y, unit in flat_pos if unit is not None]
    prev_size = n_flat
    out_act = _activation_text(spec.output_activation)
    for j, (size, rows) in enumerate(zip(dense, dense_rows)):
        col = col_flat + 1 + j
        is_out = j == len(dense) - 1
        dy = min(0.42, (body_h - 2 * radius) / max(len(rows) - 1, 1))
        pos = []
        for k, unit in enumerate(rows):
            y = row_y(k, len(rows), h=dy)
            if unit is None:
                ax.text(centres[col], y, "⋮", ha="center", va="center", fontsize=11, zorder=3)
                continue
            pos.append(y)
            ax.add_patch(Circle((centres[col], y), radius,
                                facecolor=_OUTPUT_COLOR if is_out else _HIDDEN_COLOR,
                                edgecolor=_EDGE_COLOR, linewidth=0.8, zorder=2))
            if is_out and size == 1:
                inner = r"$\hat{y}$"
            else:
                inner = ACTIVATION_GLYPHS.get(spec.output_activation if is_out
                                              else spec.activation, "")
            if inner:
                ax.text(centres[col], y, inner, ha="center", va="center", fontsize=8, zorder=3)
        for p in prev_pos:
            for y in pos:
                weight_line(p, (centres[col] - radius, y))
        prev_pos = [(centres[col] + radius, y) for y in pos]
        name = "ŷ" if is_out else f"h{j + 1}"
        header(col, f"{name}\n{out_act if is_out else act}")
        shape(col, str(size))
        text = f"W: {prev_size}×{size}"
        if spec.bias:
            text += f"\nb: {size}"
        note(col - 1, text)
        prev_size = size

    ax.text(width / 2, height - 0.08, literal("\n".join(title_lines)), ha="center", va="top",
            fontsize=9, linespacing=1.25)
    return fig
