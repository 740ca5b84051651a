"""Which characters of a figure matplotlib would draw as empty boxes.

matplotlib draws a text with the font files of its font properties' family list, each
character with the first file that has it (``font_manager.fontManager._find_fonts_by_props``,
what its renderers use); the text of a mathtext string (between and around ``$...$``) is drawn
with the mathtext fonts instead (DejaVu Sans, falling back to STIX). A file's characters are
its character map as matplotlib reads it (FT2Font), kept per file for the process.

``reportgen/report/figure_plan.py`` checks each figure as it is drawn and writes what it found
beside the figure's files (``figures/<id>.glyphs.json``); the build reads every figure's note
before the PDF is written (``reportgen/report/glyphs.py``), and a figure whose note names
missing characters is drawn again at the next build (a font may have been installed since).
"""
import functools
import json
import os
import re
import unicodedata

from matplotlib import font_manager, ft2font
from matplotlib.text import Text

from ..atomic import atomic_write_text

#: mathtext's fonts (rcParams["mathtext.fontset"] "dejavusans", matplotlib's default)
MATHTEXT_FAMILIES = ("DejaVu Sans", "STIXGeneral")


@functools.lru_cache(maxsize=64)
def _charmap(path, index, stamp):
    return frozenset(ft2font.FT2Font(path, face_index=index).get_charmap())


def _covers(font_path, char):
    path = os.fspath(font_path)
    index = getattr(font_path, "face_index", 0) or 0
    stat = os.stat(path)
    return ord(char) in _charmap(path, index, (stat.st_mtime_ns, stat.st_size))


def _fonts(prop):
    find = getattr(font_manager.fontManager, "_find_fonts_by_props", None)
    return find(prop) if find else [font_manager.findfont(prop)]


def _mathtext_fonts():
    return [font_manager.findfont(font_manager.FontProperties(family=f)) for f in
            MATHTEXT_FAMILIES]


def _drawn(text):
    return {c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf")}


def _outside_maths(text):
    """The text of a mathtext string outside its ``$...$`` (``\\$`` a dollar sign)."""
    parts = re.split(r"(?<!\\)\$", text)
    return "".join(parts[0::2]).replace("\\$", "$")


def missing(fig):
    """{char: [where]} of the characters of ``fig`` no font of theirs covers."""
    found = {}
    for artist in fig.findobj(Text):
        text = artist.get_text()
        if not artist.get_visible() or not text or not text.strip():
            continue
        shown, ismath = artist._preprocess_math(text)
        if ismath == "TeX":
            continue
        if ismath:
            chars, fonts = _drawn(_outside_maths(shown)), _mathtext_fonts()
            how = ", drawn by mathtext, which has only its own fonts: keep it outside $...$ " \
                  "in a text of its own"
        else:
            chars, fonts = _drawn(shown), _fonts(artist.get_fontproperties())
            how = ""
        for char in sorted(chars):
            if not any(_covers(f, char) for f in fonts):
                where = f"the text {text!r}{how}"
                if where not in found.setdefault(char, []):
                    found[char].append(where)
    return found


def write_note(fig, path):
    """Write ``fig``'s missing characters (``{"missing": {char: [where]}}``) to ``path``."""
    atomic_write_text(path, json.dumps({"missing": missing(fig)}, ensure_ascii=False,
                                       sort_keys=True))
