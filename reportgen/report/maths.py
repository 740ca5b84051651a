r"""Equations for the report: a LaTeX subset rendered to SVG by matplotlib's mathtext.

WeasyPrint understands neither MathML nor TeX, so every equation is rendered here, once, to a
small SVG and embedded in the page as a data URI. No TeX installation is used, and no matplotlib
figure either: mathtext parses and lays out the expression once, and the SVG is written here as
a single black ``<path>`` (matplotlib's own glyph outlines plus the rules of fraction bars and
roots) on a transparent background, so it looks the same in WeasyPrint and in any browser, needs
no fonts, and is cheap for WeasyPrint to draw. The image is the layout box rounded up to whole
points plus a 0.5 pt pad all round, and records how far the baseline is above its bottom edge.

Templates call :func:`equation`::

    {{ equation(r"\sigma(z) = \frac{1}{1 + e^{-z}}") }}                 {# display, centred #}
    the derivative {{ equation(r"\sigma'(z)", display=False) }} is ...  {# inline #}

The image's alt text / aria-label is a plain-Unicode reading of the expression (σ, ∂, ⊙, ...)
with no backslashes, so raw LaTeX never reaches the PDF's text layer or a screen reader.

Supported subset (checked by tests/test_maths.py), i.e. what matplotlib mathtext accepts:

- Greek letters (``\sigma``, ``\eta``, ``\delta``, ``\Sigma`` ...), ``\partial``, ``\nabla``,
  ``\infty``, ``\ell``, ``'`` primes
- sub/superscripts ``x_i``, ``W^T``, ``W_{1}^{\top}``, ``e^{-z}``
- ``\frac{a}{b}`` (set as ``\dfrac`` in display equations), ``\dfrac``, ``\tfrac``,
  ``\sqrt{x}``, ``\sqrt[n]{x}``, ``\binom``
- accents ``\hat{y}``, ``\bar{x}``, ``\tilde{x}``, ``\vec{x}``, ``\dot{x}``, ``\overline{x}``
- operators ``\cdot``, ``\times``, ``\odot``, ``\pm``, ``\leq``/``\le``, ``\geq``/``\ge``,
  ``\neq``, ``\approx``, ``\in``, ``\to``, ``\leftarrow``, ``\mapsto``
- big operators ``\sum_{i=1}^{n}``, ``\prod``, ``\lim_{x \to 0}`` (limits set below/above)
- named functions ``\exp``, ``\log``, ``\tanh``, ``\max``, ``\min``,
  ``\operatorname{ReLU}``
- fonts ``\mathbf{W}``, ``\boldsymbol{W}``, ``\mathrm{d}``, ``\mathit``, ``\mathcal{L}``,
  ``\mathbb{R}``, ``\mathsf``, ``\text{...}`` (``\textbf`` is mapped to ``\mathbf``)
- delimiters ``\left( ... \right)``, ``\left[``, ``\left\{``, ``\left|``, ``\left.``
- spaces ``\,``, ``\;``, ``\!``, ``\quad``, ``\qquad``

Not supported (a :class:`EquationError` at build time): environments (``\begin{...}``:
matrices, ``align``, ``cases``), line breaks ``\\``, ``\big(``-style sizes, ``\underbrace``,
``\limits``, ``\&``, ``$``, and anything else mathtext does not know. Write one equation per
call instead of an ``align`` block.
"""
import base64
import contextlib
import contextvars
import functools
import json
import re
import unicodedata
from pathlib import Path

import markupsafe

__all__ = ["EquationError", "equation", "equation_svg", "tex_to_text", "BODY_SIZE_PT",
           "EquationStore", "stored_in"]

#: The body text size of the report (templates/style.css), in points. Equations are rendered at
#: this size and sized in em on the page, so they match the text around them.
BODY_SIZE_PT = 11.0

#: Mathtext fonts: DejaVu Serif matches the report's body font (style.css).
MATH_FONTSET = "dejavuserif"

#: Common LaTeX spellings that mathtext lacks, rewritten to ones it has.
_ALIASES = [
    (re.compile(r"\\le(?![A-Za-z])"), r"\\leq"),
    (re.compile(r"\\ge(?![A-Za-z])"), r"\\geq"),
    (re.compile(r"\\[lr]Vert(?![A-Za-z])"), r"\\Vert"),
    (re.compile(r"\\[lr]vert(?![A-Za-z])"), r"|"),
    (re.compile(r"\\textbf(?![A-Za-z])"), r"\\mathbf"),
    (re.compile(r"\\displaystyle(?![A-Za-z])\s*"), ""),
]
_FRAC = re.compile(r"\\frac(?![A-Za-z])")
#: mathtext has no ``\tfrac``; its ``\frac`` is set in text style, which is what \tfrac means
_TFRAC = re.compile(r"\\tfrac(?![A-Za-z])")


class EquationError(ValueError):
    """An expression that mathtext cannot render. The message names the expression."""


def _prepare(tex, display):
    if not isinstance(tex, str):
        raise EquationError(f"equation: expected a TeX string, got {type(tex).__name__}: {tex!r}")
    tex = str(tex)
    control = re.search(r"[\x00-\x1f\x7f]", tex)
    if control:
        raise EquationError(
            f"equation {tex!r} contains the control character {control.group()!r}: a Jinja "
            f"string literal turned a backslash into an escape (\\f in \\frac, \\t in \\tau, "
            f"\\n in \\nabla, ...). Double the backslashes ('\\\\frac') or write the TeX in "
            f"a block: {{% filter equation %}}\\frac{{1}}{{2}}{{% endfilter %}}")
    body = tex.strip()
    if not body:
        raise EquationError("equation: empty expression")
    if "$" in body:
        raise EquationError(f"equation {tex!r}: write the expression without $ delimiters")
    for pattern, repl in _ALIASES:
        body = pattern.sub(repl, body)
    if display:
        body = _FRAC.sub(r"\\dfrac", body)
    return _TFRAC.sub(r"\\frac", body)


#: Mathtext lays the expression out at this size and the result is scaled to the requested one:
#: matplotlib's TextToPath.FONT_SCALE, i.e. the layout its SVG backend draws (equations were
#: drawn that way before), on a finer grid than a layout at 11 pt would be.
_LAYOUT_SIZE = 100.0

#: Empty space around the ink, in points, so antialiased edges and accents are never clipped.
_PAD = 0.5

_SVG_COMMANDS = {1: "M", 2: "L", 3: "Q", 4: "C"}     # Path.MOVETO, LINETO, CURVE3, CURVE4
_SVG_POINTS = {1: 1, 2: 1, 3: 2, 4: 3}               # vertices each command takes
_CLOSEPOLY = 79


def _num(value):
    """A coordinate in points: at most 3 decimals, no trailing zeros, never "-0"."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


_OUTLINES = {}


def _glyph_outline(font, glyph_index):
    """(vertices, codes) of one glyph at ``_LAYOUT_SIZE`` and 72 dpi, unhinted, as
    matplotlib's TextToPath loads it. Cached per font file and glyph."""
    key = (font.fname, glyph_index)
    cache = _OUTLINES
    if key not in cache:
        from matplotlib import ft2font
        flags = (ft2font.LoadFlags.NO_HINTING if hasattr(ft2font, "LoadFlags")
                 else ft2font.LOAD_NO_HINTING)
        font.clear()
        font.set_size(_LAYOUT_SIZE, 72)
        font.load_glyph(glyph_index, flags=flags)
        cache[key] = font.get_path()
    return cache[key]


def _path_data(glyphs, rects, scale, x0, y0):
    """SVG path data for the parsed glyphs and rules (fraction bars, square-root tops, ...).

    Glyph and rule coordinates are mathtext's (y up, layout units); ``scale`` converts them to
    points and ``(x0, y0)`` is where the layout origin lands in the SVG (y down).
    """
    import numpy as np

    parts = []

    def emit(verts, codes):
        xs = x0 + scale * verts[:, 0]
        ys = y0 - scale * verts[:, 1]
        i, n = 0, len(codes)
        while i < n:
            code = int(codes[i])
            if code == _CLOSEPOLY:
                parts.append("Z")
                i += 1
            elif code in _SVG_COMMANDS:
                k = _SVG_POINTS[code]
                parts.append(_SVG_COMMANDS[code] + " ".join(
                    f"{_num(xs[j])} {_num(ys[j])}" for j in range(i, i + k)))
                i += k
            else:                                     # Path.STOP
                i += 1

    for font, fontsize, _, glyph_index, ox, oy in glyphs:
        verts, codes = _glyph_outline(font, glyph_index)
        emit(np.asarray(verts) * (fontsize / _LAYOUT_SIZE) + (ox, oy), codes)
    for ox, oy, w, h in rects:
        emit(np.array([(ox, oy), (ox, oy + h), (ox + w, oy + h), (ox + w, oy)]), [1, 2, 2, 2])
        parts.append("Z")
    return "".join(parts)


@functools.lru_cache(maxsize=512)
def _render(tex, size, display):
    """(svg text, width pt, height pt, depth pt) for one expression. Cached by its arguments."""
    import math

    from .. import processes

    body = _prepare(tex, display)
    # mathtext is imported only when an equation is not in the store (a Ctrl-C meanwhile is
    # raised after the import, not inside a C extension's initialisation)
    processes.import_deferring_interrupts("matplotlib.mathtext")
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import MathTextParser

    prop = FontProperties(size=_LAYOUT_SIZE, math_fontfamily=MATH_FONTSET)
    try:
        width, height, depth, glyphs, rects = MathTextParser("path").parse(f"${body}$", dpi=72,
                                                                          prop=prop)
    except ValueError as exc:
        detail = str(exc).strip().splitlines()
        reason = detail[-1] if detail else "parse error"
        raise EquationError(f"equation {tex!r} cannot be rendered by mathtext: {reason}") \
            from None
    if width <= 0 or height <= 0:
        raise EquationError(f"equation {tex!r} renders to nothing")
    scale = size / _LAYOUT_SIZE

    def whole_pt(value):                 # layout units -> points, rounded up as the box always was
        return math.ceil(round(value * scale, 6))

    # Box: whole points above and below the baseline plus the pad all round. The layout origin
    # (mathtext's y = 0) sits ``depth`` above the bottom edge: the point that goes on the text's
    # baseline.
    width_pt = whole_pt(width) + 2 * _PAD
    depth_pt = whole_pt(depth) + _PAD
    height_pt = whole_pt(height - depth) + depth_pt + _PAD
    path = _path_data(glyphs, rects, scale, _PAD, height_pt - depth_pt)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_num(width_pt)}pt" '
           f'height="{_num(height_pt)}pt" viewBox="0 0 {_num(width_pt)} {_num(height_pt)}">'
           f'<path fill="#000" d="{path}"/></svg>')
    return svg, width_pt, height_pt, depth_pt


def equation_svg(tex, size=BODY_SIZE_PT, display=True):
    """Render ``tex`` (no ``$``) to an SVG document string.

    Returns ``(svg, width_pt, height_pt, depth_pt)``: the size of the image in points and how
    far its baseline is above the bottom edge (for vertical alignment of inline equations).
    Raises :class:`EquationError` naming the expression if mathtext cannot render it.

    Inside ``stored_in(path)`` (what a build does), an equation rendered by an earlier build
    is taken from the store instead of being rendered again.
    """
    size, display = float(size), bool(display)
    store = _STORE.get()
    if store is None:
        return _render(tex, size, display)
    return store.svg(tex, size, display)


#: the schema of the equations' store file
STORE_SCHEMA = 1
_STORE = contextvars.ContextVar("equation store", default=None)


class EquationStore:
    """The rendered equations of the last page, kept on disk by content, so that a build
    renders only the formulas no build rendered before (rendering is half the time of a
    page's rendering, about 25 ms a formula; a template edit changes few of them, if any).

    The file maps each formula, ``[tex, size, display]`` as JSON, to ``[svg, width, height,
    depth]``, under a key of the code that renders it (``keys.key("equations")``: this
    module and what it imports) and of the matplotlib whose fonts and layout it uses: any
    change to either renders every formula again. Nothing read back is trusted unchecked:
    a file without that schema and key is ignored, and so is an entry that is not an SVG
    document with a positive box. ``save`` keeps exactly the formulas this page used.
    """

    def __init__(self, path):
        self.path = Path(path)
        self.key = _store_key()
        self.loaded = self._read()
        self.used = {}

    def _read(self):
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not (isinstance(data, dict) and data.get("schema") == STORE_SCHEMA
                and data.get("key") == self.key and isinstance(data.get("equations"), dict)):
            return {}
        return {name: tuple(entry) for name, entry in data["equations"].items()
                if _whole_entry(entry)}

    def svg(self, tex, size, display):
        """``equation_svg``'s answer: from the store, or rendered (and then kept)."""
        name = json.dumps([tex, size, display])
        entry = self.used.get(name) or self.loaded.get(name)
        if entry is None:
            entry = _render(tex, size, display)
        self.used[name] = entry
        return entry

    @property
    def rendered(self):
        """How many formulas of the page were not in the store."""
        return sum(1 for name in self.used if name not in self.loaded)

    def save(self):
        """Write the formulas this page used (atomically), if they differ from the file's."""
        if self.used == self.loaded:
            return
        from ..atomic import atomic_write_text

        atomic_write_text(self.path, json.dumps(
            {"schema": STORE_SCHEMA, "key": self.key,
             "equations": {name: list(entry) for name, entry in sorted(self.used.items())}},
            separators=(",", ":")))


def _whole_entry(entry):
    if not (isinstance(entry, list) and len(entry) == 4 and isinstance(entry[0], str)):
        return False
    svg, *box = entry
    return (svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" ') and svg.endswith("</svg>")
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0
                    for v in box) and box[0] > 0 and box[1] > 0 and box[2] <= box[1])


def _store_key():
    from importlib import metadata

    from .. import keys

    try:
        matplotlib = metadata.version("matplotlib")
    except metadata.PackageNotFoundError:       # pragma: no cover (a matplotlib not installed)
        import matplotlib

        matplotlib = matplotlib.__version__
    return keys.key("equations", [matplotlib, MATH_FONTSET, _LAYOUT_SIZE, _PAD])


@contextlib.contextmanager
def stored_in(path):
    """Take the equations rendered in the block from the store at ``path`` (an
    ``EquationStore``, yielded), and save it if the block ends without an error."""
    store = EquationStore(path)
    token = _STORE.set(store)
    try:
        yield store
    finally:
        _STORE.reset(token)
    store.save()


def equation_block(text, display=True):
    """Jinja filter for ``{% filter equation %}TeX{% endfilter %}`` blocks (display) and
    ``{% filter inline_equation %}...{% endfilter %}``: template text is raw, so backslashes
    need no doubling there; line breaks and tabs in the block count as spaces."""
    return equation(re.sub(r"[\r\n\t]", " ", str(text)), display=display)


def inline_equation_block(text):
    """``{% filter inline_equation %}\\hat{y}{% endfilter %}``: see :func:`equation_block`."""
    return equation_block(text, display=False)


# --- a plain-text reading of the expression, for alt text -----------------------------------

_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
    "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ",
    "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "Pi": "Π",
    "partial": "∂", "nabla": "∇", "infty": "∞", "ell": "ℓ", "cdot": "·", "times": "×",
    "odot": "⊙", "pm": "±", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠",
    "approx": "≈", "in": "∈", "to": "→", "rightarrow": "→", "leftarrow": "←", "mapsto": "↦",
    "sum": "Σ", "prod": "Π", "top": "T", "intercal": "T", "sqrt": "√", "ldots": "…",
    "dots": "…", "cdots": "⋯", "mid": "|", "Vert": "‖", "|": "‖", "{": "{", "}": "}",
    "%": "%", "_": "_", "#": "#", "prime": "′",
}
_SPACES = {",": " ", ";": " ", ":": " ", "!": "", "quad": " ", "qquad": " "}
_DROP = {"left", "right", "mathbf", "boldsymbol", "mathrm", "mathit", "mathcal", "mathbb",
         "mathsf", "text", "operatorname", "displaystyle", "textbf", "hat", "bar", "tilde",
         "vec", "dot", "overline", "frac", "dfrac", "tfrac", "big"}
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")


def _group(text, start):
    """The balanced ``{...}`` group starting at ``text[start]``: (content, index after it)."""
    while start < len(text) and text[start].isspace():
        start += 1
    if start >= len(text) or text[start] != "{":
        return None, start
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{" and text[i - 1] != "\\":
            depth += 1
        elif text[i] == "}" and text[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return text[start + 1:i], i + 1
    return None, start


def _fractions_to_slash(text):
    r"""``\frac{a}{b+c}`` -> ``(a)/(b+c)``, innermost groups handled recursively."""
    out = []
    pos = 0
    for match in re.finditer(r"\\[dt]?frac(?![A-Za-z])", text):
        if match.start() < pos:
            continue
        num, after = _group(text, match.end())
        den, end = _group(text, after) if num is not None else (None, after)
        if num is None or den is None:
            continue
        out.append(text[pos:match.start()])
        num, den = _fractions_to_slash(num), _fractions_to_slash(den)
        wrap = (lambda s: s if re.fullmatch(r"\\?\w+", s.strip()) else f"({s})")
        out.append(f"{wrap(num)}/{wrap(den)}")
        pos = end
    out.append(text[pos:])
    return "".join(out)


def tex_to_text(tex):
    r"""A readable plain-Unicode version of ``tex`` (``\sigma'(z)`` -> ``σ'(z)``).

    Never contains a backslash; used as alt text, so the TeX source does not leak into the
    PDF's text or a screen reader.
    """
    def command(match):
        name = match.group(1)
        if name in _SYMBOLS:
            return _SYMBOLS[name]
        if name in _SPACES:
            return _SPACES[name]
        if name in _DROP:
            return ""
        return name if name.isalpha() else ""

    text = _fractions_to_slash(tex)
    text = re.sub(r"\\hat\s*\{([^{}]*)\}", r"\1̂", text)
    text = _COMMAND.sub(command, text)
    text = text.replace("{", "").replace("}", "").replace("\\", "")
    text = text.replace("-", "−")
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text).strip())


def equation(tex, display=True, size=BODY_SIZE_PT, alt=None, number=None):
    """Jinja global: the equation as ``<img class="eq ...">`` Markup with an SVG data URI.

    ``display=True`` gives a centred block (``<span class="eq-display">`` around the image);
    ``display=False`` an inline image whose baseline sits on the text's baseline. Sizes are in
    em (relative to ``BODY_SIZE_PT``), so the equation matches the surrounding font size.
    ``alt`` overrides the automatic plain-text alt (which never contains TeX). ``number``
    (display only) adds an equation number "(number)" at the right margin.
    """
    svg, width, height, depth = equation_svg(tex, size=size, display=display)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    em = BODY_SIZE_PT
    style = f"width:{width / em:.3f}em;height:{height / em:.3f}em"
    if not display:
        style += f";vertical-align:{-depth / em:.3f}em"
    label = tex_to_text(tex) if alt is None else str(alt)
    img = markupsafe.Markup(
        '<img class="eq {kind}" src="data:image/svg+xml;base64,{data}" alt="{label}" '
        'role="img" style="{style}">'
    ).format(kind="eq-display" if display else "eq-inline", data=data, label=label,
             style=style)
    if display:
        if number is not None:
            img += markupsafe.Markup('<span class="eq-number">({})</span>').format(number)
        return markupsafe.Markup('<span class="equation">{}</span>').format(img)
    if number is not None:
        raise EquationError(f"equation {tex!r}: only display equations can be numbered")
    return img
