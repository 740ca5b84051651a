"""Save a figure as SVG and PNG, byte-identical from run to run."""
import io
from pathlib import Path

from ..atomic import atomic_write_bytes

#: PNG resolution (the brief's 150-200 dpi range; sharp enough for print and screen).
PNG_DPI = 170

#: The resolution of what an SVG holds as an image (a decision boundary's shading, see
#: ``scatter.boundaries``): print resolution, so it looks as smooth as the vector parts.
RASTER_DPI = 300

#: No dates, no software versions: the same figure gives the same bytes on every run.
_SVG_METADATA = {"Date": None, "Creator": None}
_PNG_METADATA = {"Software": None}

#: zlib level 3 instead of the default 6: the same pixels, a third less compression time
#: (about 0.3 s over the report's figures) for files some 8% larger. The PDF does not grow:
#: WeasyPrint decodes a figure's pixels and compresses them again itself.
_PNG_OPTIONS = {"compress_level": 3}


def figure_bytes(fig, fmt, dpi=PNG_DPI):
    """The figure rendered as ``fmt`` ("svg" or "png") bytes, deterministic."""
    from matplotlib import rc_context

    buf = io.BytesIO()
    with rc_context({"svg.hashsalt": "reportgen", "svg.fonttype": "path"}):
        if fmt == "svg":
            fig.savefig(buf, format="svg", dpi=RASTER_DPI, metadata=_SVG_METADATA)
        elif fmt == "png":
            fig.savefig(buf, format="png", dpi=dpi, metadata=_PNG_METADATA,
                        pil_kwargs=_PNG_OPTIONS)
            return _opaque_png(buf.getvalue(), dpi)
        else:
            raise ValueError(f"figure format must be 'svg' or 'png', not {fmt!r}")
    return buf.getvalue()


def _opaque_png(data, dpi):
    """The RGBA PNG ``data`` as an RGB one, on white: WeasyPrint writes an RGBA image into
    the PDF as two (its colours, and its alpha channel as a mask), encoding each again on
    every PDF; the figures are opaque, so the mask only costs time (a fifth of a second of
    every PDF)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        white = Image.new("RGBA", image.size, "white")
        rgb = Image.alpha_composite(white, image.convert("RGBA")).convert("RGB")
    out = io.BytesIO()
    rgb.save(out, format="png", dpi=(dpi, dpi), **_PNG_OPTIONS)
    return out.getvalue()


def _fix_layout(fig):
    """Lay the figure out once, then keep that layout for every format: with a layout
    engine, each savefig draws the figure twice (once to lay it out, then for real), and
    drawing is most of the time a figure takes to save. The engine only measures the axes
    and their labels, without drawing: the files come out byte for byte the same."""
    if fig.get_layout_engine() is not None:
        fig.get_layout_engine().execute(fig)
        fig.set_layout_engine(None)


def save(fig, out_dir, name, formats=("svg", "png"), dpi=PNG_DPI, close=True):
    """Write ``fig`` to ``out_dir/name.svg`` and ``out_dir/name.png`` (atomically).

    Returns ``{"svg": "figures/name.svg", "png": "figures/name.png"}``: each path relative to
    the parent of ``out_dir`` (the report's output directory, when ``out_dir`` is its
    ``figures/`` folder), i.e. what an ``<img src>`` in the report needs. Closes the figure
    unless ``close=False``.
    """
    out_dir = Path(out_dir)
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"figure name must be a plain file stem, not {name!r}")
    paths = {}
    try:
        _fix_layout(fig)
        for fmt in formats:
            atomic_write_bytes(out_dir / f"{name}.{fmt}", figure_bytes(fig, fmt, dpi=dpi))
            paths[fmt] = f"{out_dir.name}/{name}.{fmt}"
    finally:
        if close:
            from matplotlib import pyplot as plt

            plt.close(fig)
    return paths
