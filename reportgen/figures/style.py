"""One look for every figure: Agg backend, print-size fonts (Chinese in Noto Sans CJK TC), the
lab's class colours."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

from . import mathcache  # noqa: E402

mathcache.install()

#: The course's colours: class 0 red, class 1 blue.
CLASS_COLORS = ("tab:red", "tab:blue")

#: The report's text width in inches: A4 (210 mm) less style.css's left and right page margins
#: (22 mm each). A figure is shown at its ``width`` (a fraction of this; the whole of it by
#: default), so its text prints at its font size times the shown width over the figure's.
TEXT_WIDTH = (210 - 2 * 22) / 25.4

#: The smallest text any figure may print at, in points (checked on every figure of a build).
MIN_PRINT_PT = 7.0


def print_scale(fig, width=None):
    """How much ``fig`` is scaled to be shown at ``width`` (a fraction of the text width,
    None for the whole of it) in the PDF: 0.8 means its 10 pt text prints at 8 pt."""
    return (1.0 if width is None else width) * TEXT_WIDTH / fig.get_figwidth()

plt.rcParams.update({
    "figure.dpi": 100,
    "savefig.dpi": 160,
    "font.size": 9,
    "axes.titlesize": 10,
    # Titles sit just above their axes. matplotlib's automatic placement (None) only ever
    # moves a title higher to clear tick labels or an offset text above the axes, which no
    # figure here has, and to find out it measures the whole y axis again for every title
    # in every draw: about 12% of the figures' drawing time, for the same pixels.
    "axes.titley": 1.0,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "path",
    "svg.hashsalt": "reportgen",
    "figure.autolayout": False,
})


#: the fonts of the figures' text by language, first choice first: matplotlib draws each
#: character with the first of them that has it (its font fallback), so Latin letters and
#: digits are DejaVu Sans in every language and Chinese is Noto Sans CJK TC (Debian's
#: fonts-noto-cjk), like the PDF's sans-serif text (style.css). A language not listed draws
#: with matplotlib's default, DejaVu Sans.
FONTS = {"zh-TW": ["DejaVu Sans", "Noto Sans CJK TC"]}
_DEFAULT_FAMILY = list(plt.rcParams["font.family"])


def use_language(lang):
    """Set the figures' fonts for ``lang`` (a tag of ``reportgen.i18n.LANGUAGES``). A font
    fontconfig has but matplotlib's font list does not (a list cached before the font was
    installed) is added to it, from fontconfig's file."""
    families = FONTS.get(lang)
    if families is None:
        plt.rcParams["font.family"] = _DEFAULT_FAMILY
        return
    from matplotlib import font_manager

    from ..fonts import FontError, font_files

    known = {f.name for f in font_manager.fontManager.ttflist}
    for family in families:
        if family not in known:
            for path in font_files(family):
                font_manager.fontManager.addfont(path)
    plt.rcParams["font.family"] = families


def literal(text):
    """``text`` (a setting label, a data set's name, anything from the configuration) as
    matplotlib should be given it to draw it as written: each ``$`` escaped, so that no pair
    of them starts mathtext. It stays literal next to a figure's own mathtext
    (``literal(label) + " ($\\alpha$)"``), and a backslash is drawn as it is."""
    return str(text).replace("$", r"\$")


def _wide(c):
    import unicodedata

    return unicodedata.east_asian_width(c) in "WF"


def text_width(text):
    """How wide ``text`` is in Latin characters: a wide character (Chinese, Japanese, Korean;
    ``unicodedata.east_asian_width`` W or F) counts two."""
    return sum(2 if _wide(c) else 1 for c in str(text))


def with_maths(message, **values):
    """``message`` (a translated message) formatted with ``values``, each a pair (mathtext,
    plain text): "network output $\\hat{y}$". matplotlib draws a text holding mathtext with
    the mathtext fonts only, every line of it, and they have no Chinese characters: a message
    that has wide characters of its own gets the plain texts instead ("網路輸出 ŷ")."""
    import re

    plain = any(_wide(c) for c in re.sub(r"\{\w+\}", "", message))
    return message.format(**{name: pair[1 if plain else 0] for name, pair in values.items()})


def plain_maths(text, *pairs):
    """``text`` with each (mathtext, plain text) pair of ``pairs`` written plain if it has wide
    characters: a text matplotlib draws is mathtext as a whole, so one ``$...$`` anywhere in
    it would leave its Chinese lines without a font."""
    if any(_wide(c) for c in str(text)):
        for maths, plain in pairs:
            text = text.replace(maths, plain)
    return text


def new_figure(ncols=1, nrows=1, width=6.0, height=3.0, **kwargs):
    """A figure with a constrained layout, so labels are never clipped, with the fonts of the
    language being written (``reportgen.i18n.current``)."""
    from .. import i18n

    use_language(i18n.current())
    return plt.subplots(nrows, ncols, figsize=(width, height), layout="constrained", **kwargs)


def close(fig):
    plt.close(fig)
