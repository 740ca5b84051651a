"""No missing glyph: before the PDF is written, every character of the report must be covered
by a font the report will draw it with.

- **The page** (title page, authors, sections, prose files, the stylesheet's generated text
  such as "Page 1 of 9"): WeasyPrint lays the text out with Pango, which asks fontconfig for
  the stylesheet's families and, for a character the first family lacks, takes the next font
  of fontconfig's sorted fallback list that has it. So a character is drawable when the union
  of the charsets of that list covers it: this module asks fontconfig the same question, for
  every family list of the stylesheet (``font-family`` and the ``font`` shorthands) and the
  page's language, through the library WeasyPrint loads itself (``libfontconfig``, with
  ctypes). fontconfig keeps each font file's charset in its own cache, so this costs a few
  milliseconds; the fallback charsets are kept per process (``reportgen watch``).
- **The figures**: matplotlib draws their texts, each with its own fallback list of font files
  (``reportgen/figures/glyphs.py`` checks them as each figure is drawn and notes what it
  found beside the figure's files, ``figures/<id>.glyphs.json``).

A character no font covers stops the build (``MissingGlyphs``, a BuildError: exit 2) before
any report file is written, with a message naming the characters, where they occur (report.toml
and its field, a prose file and its line, a figure, the report's own text) and the Debian
package of a font that has them.
"""
import html
import json
import re
import unicodedata
from pathlib import Path

from ..fonts import FontError, fallback

#: characters drawn without a glyph (white space, controls, joiners, the soft hyphen)
_INVISIBLE = set("\u00ad\u200b\u200c\u200d\u2060\ufeff")

#: the package of a font with the characters of a block (Debian/Ubuntu), first match wins:
#: (first, last code point, package)
PACKAGES = (
    (0x0000, 0x052F, "fonts-dejavu-core"),      # Latin, Greek, Cyrillic
    (0x2000, 0x2BFF, "fonts-dejavu-core"),      # punctuation, symbols, arrows, maths
    (0x1100, 0x11FF, "fonts-noto-cjk"),         # Hangul Jamo
    (0x2E80, 0x9FFF, "fonts-noto-cjk"),         # CJK radicals, punctuation, kana, Han
    (0xA960, 0xA97F, "fonts-noto-cjk"),
    (0xAC00, 0xD7FF, "fonts-noto-cjk"),         # Hangul
    (0xF900, 0xFAFF, "fonts-noto-cjk"),         # CJK compatibility ideographs
    (0xFE30, 0xFE4F, "fonts-noto-cjk"),         # CJK compatibility forms
    (0xFF00, 0xFFEF, "fonts-noto-cjk"),         # full-width forms
    (0x1F300, 0x1FAFF, "fonts-noto-color-emoji"),
    (0x20000, 0x3FFFF, "fonts-noto-cjk"),       # Han, extensions B and later
)
#: the package for any other character of a script
OTHER_PACKAGE = "fonts-noto-core"


class MissingGlyphs(ValueError):
    """Characters of the report that no font the report uses covers (or fontconfig, which
    lays the PDF's text out, cannot be loaded)."""


# ---- the stylesheet ---------------------------------------------------------------------

_GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}
_FAMILY_LIST = re.compile(r"(?:\"[^\"]+\"|'[^']+'|[A-Za-z][\w -]*?)"
                          r"(?:\s*,\s*(?:\"[^\"]+\"|'[^']+'|[A-Za-z][\w -]*?))*\s*$")


def _families(css):
    """The stylesheet's family lists (tuples of names), from ``font-family`` and ``font``."""
    css = re.sub(r"(?s)/\*.*?\*/", " ", css)
    lists = []
    for prop, value in re.findall(r"(?<![\w-])(font-family|font)\s*:\s*([^;}]+)", css):
        value = value.strip()
        if prop == "font":      # [style] [weight] size[/line-height] family, family...
            match = re.search(r"[\d.]+(?:pt|px|em|rem|%|mm|cm|in|ex|ch)"
                              r"(?:\s*/\s*[\d.]+\w*%?)?\s+(.+)$", value)
            if not match:
                continue
            value = match.group(1)
        if not _FAMILY_LIST.match(value):
            continue
        names = tuple(n.strip().strip("\"'") for n in value.split(","))
        if names and names not in lists and not names[0] in ("inherit", "initial"):
            lists.append(names)
    return lists or [("serif",)]


def _generated(css):
    """The text the stylesheet itself adds to the page: the strings of its ``content``."""
    css = re.sub(r"(?s)/\*.*?\*/", " ", css)
    texts = []
    for value in re.findall(r"(?<![\w-])content\s*:\s*([^;}]+)", css):
        texts += [a or b for a, b in re.findall(r"\"((?:[^\"\\]|\\.)*)\"|'((?:[^'\\]|\\.)*)'",
                                                 value)]
    return [re.sub(r"\\([0-9a-fA-F]{1,6})\s?", lambda m: chr(int(m.group(1), 16)),
                   t).replace("\\", "") for t in texts]


def _attributes(css, page):
    """The values of the page's attributes that the stylesheet draws (``attr(name)`` in its
    ``content`` or ``string-set``: the running header's title, "Page 1 of 9")."""
    names = set(re.findall(r"attr\(\s*([\w-]+)\s*\)", re.sub(r"(?s)/\*.*?\*/", " ", css)))
    return [html.unescape(value) for name in sorted(names)
            for value in re.findall(rf'\s{re.escape(name)}="([^"]*)"', page)]


def stylesheet(templates_dir=None):
    """The text of the style.css the report is laid out with (one's own, else the built-in)."""
    from .templates import folders

    for folder in folders(templates_dir):
        path = Path(folder) / "style.css"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


# ---- the page's text --------------------------------------------------------------------

def page_text(page):
    """The text the PDF draws of an HTML page: its body's text (code included), without the
    tags, comments, scripts, styles and the head."""
    body = re.split(r"<body\b[^>]*>", page, maxsplit=1)[-1]
    body = re.sub(r"(?s)<!--.*?-->|<(script|style|svg)\b.*?</\1\s*>", " ", body)
    return html.unescape(re.sub(r"<[^>]*>", " ", body))


def _drawn(chars):
    return {c for c in chars if not c.isspace() and c not in _INVISIBLE
            and unicodedata.category(c) not in ("Cc", "Cf")}


# ---- where a character is ---------------------------------------------------------------

def _describe(char):
    name = unicodedata.name(char, None)
    return f"{char!r} (U+{ord(char):04X}{', ' + name if name else ''})"


def package_of(char):
    """The Debian package of a font that has ``char`` (None: no font has it, such as a
    private-use or unassigned code point)."""
    if unicodedata.category(char) in ("Co", "Cn", "Cs"):
        return None
    code = ord(char)
    for first, last, package in PACKAGES:
        if first <= code <= last:
            return package
    return OTHER_PACKAGE


def _lines(text, char):
    return [n for n, line in enumerate(text.splitlines(), start=1) if char in line]


def _in_meta(meta, char, where):
    """Where ``char`` is in the title page's fields (report.toml)."""
    found = []
    for key in ("title", "subtitle", "course", "instructor", "date", "abstract"):
        value = meta.get(key)
        if isinstance(value, str) and char in value:
            found.append(f"{where}: report.{key}")
    for i, author in enumerate(meta.get("authors") or []):
        for field in ("name", "student_id"):
            if char in str(author.get(field) or ""):
                found.append(f"{where}: report.authors[{i}].{field}")
    return found


def _context(text, char, width=24):
    at = text.index(char)
    snippet = " ".join(text[max(at - width, 0):at + width + 1].split())
    snippet = snippet.replace(char, f"[U+{ord(char):04X}]")
    return f"the report's text («{snippet}»: the templates or the catalog)"


def figure_notes(figures_dir, ids):
    """{figure id: {char: [where]}} of the figures whose note (``<id>.glyphs.json``, written
    when the figure was drawn) names characters no font of theirs covers."""
    found = {}
    for figure_id in ids:
        missing = read_note(Path(figures_dir) / note_name(figure_id))
        if missing:
            found[figure_id] = missing
    return found


def note_name(figure_id):
    """The file beside a figure's that says which of its characters no font covers."""
    return f"{figure_id}.glyphs.json"


def read_note(path):
    """The note's {char: [where]} (None: no readable note, and so a figure to draw again)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    missing = data.get("missing") if isinstance(data, dict) else None
    return missing if isinstance(missing, dict) else None


# ---- the check --------------------------------------------------------------------------

def check(page=None, *, meta=None, prose=(), figures=None, templates_dir=None,
          report_toml="report.toml"):
    """Raise MissingGlyphs unless a font covers every character of ``page`` (the rendered
    HTML; None: no PDF is made, only the figures are checked) and the figures' notes
    (``figures``: {id: {char: [where]}}, :func:`figure_notes`). ``meta`` (report.toml's
    ``[report]``), ``prose`` (the prose.Prose files) and ``report_toml`` (its path, as
    messages name it) say where a character the page lacks comes from. Returns the number of
    distinct characters checked."""
    missing = {}    # char -> [where]
    checked = 0
    if page is not None:
        css = stylesheet(templates_dir)
        lang = (meta or {}).get("language") or "en"
        text = page_text(page)
        generated = "".join(_generated(css)) + "".join(_attributes(css, page))
        chars = _drawn(set(text) | set(generated))
        checked = len(chars)
        try:
            tests = [fallback(families, lang)[0] for families in _families(css)]
        except FontError as error:
            raise MissingGlyphs(str(error)) from None
        for char in sorted(c for c in chars if not any(has(c) for has in tests)):
            where = _in_meta(meta or {}, char, report_toml)
            for p in prose:
                if p and char in p.text:
                    lines = _lines(p.text, char)
                    where.append(f"{p.path.parent.name}/{p.path.name}, line"
                                 f"{'s' if len(lines) > 1 else ''} "
                                 + ", ".join(map(str, lines[:5])))
            if char in generated:
                where.append("the stylesheet's generated text (style.css: content)")
            if not where:
                where.append(_context(text, char))
            missing[char] = where
    for figure_id, chars in (figures or {}).items():
        for char, wheres in chars.items():
            missing.setdefault(char, []).extend(f"figure '{figure_id}' ({w})" for w in wheres)
    if missing:
        raise MissingGlyphs(message(missing, page is not None, templates_dir, meta))
    return checked


def message(missing, page=True, templates_dir=None, meta=None):
    """The one paragraph that says which characters no font covers, where they are and which
    package to install."""
    count = len(missing)
    parts = [f"{_describe(c)} in {'; '.join(dict.fromkeys(w))}" for c, w in missing.items()]
    packages = sorted({p for p in map(package_of, missing) if p})
    fonts = []
    if page:
        lang = (meta or {}).get("language") or "en"
        for families in _families(stylesheet(templates_dir)):
            names = fallback(families, lang)[1]
            fonts += [f for f in ([n for n in names if n in families] or names[:1])
                      if f not in fonts]
    text = (f"no installed font has {'this character' if count == 1 else f'these {count} characters'} "
            f"of the report, which the PDF would show as empty boxes: " + "; ".join(parts) + ". ")
    if fonts:
        text += (f"The report's fonts are {', '.join(fonts)}, and fontconfig's fallbacks for "
                 f"them. ")
    if packages:
        text += (f"Install a font that has {'it' if count == 1 else 'them'} "
                 f"(Debian/Ubuntu: sudo apt-get install {' '.join(packages)}) and build again")
    unfound = [f"U+{ord(c):04X}" for c in missing if package_of(c) is None]
    if unfound:
        text += ("; " if packages else "") + (
            f"{', '.join(unfound)} {'is a' if len(unfound) == 1 else 'are'} private-use or "
            f"unassigned code point{'s' if len(unfound) > 1 else ''}, which no font package "
            f"has: leave {'it' if len(unfound) == 1 else 'them'} out")
    return text + "; the previous report is untouched"
