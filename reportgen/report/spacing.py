"""Spacing of Chinese text in the page: none between two Chinese characters or punctuation
marks, one space between a Chinese character and a Latin letter or digit (the glossary's
rule).

The messages are whole sentences, but the page joins them with the white space of the
templates (a trimmed message's line break, the space between two sentences), and names and
numbers come in through placeholders, with or without a space around them: "收斂。 在",
"在 線性 資料集上", "學習率 30和學習率 100". This is applied to the text of the rendered page
(not to tags, attributes or code), so that every message reads the same whatever puts it
there.
"""
import re

from .. import i18n

#: the languages whose pages are spaced so (by the start of their tag)
SPACED = ("zh",)

#: Chinese characters, kana and the full-width forms and punctuation (、。「」（）：，；)
_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \t\n]+(?=[{_CJK}])")
#: a Chinese character (not punctuation) against a Latin letter or digit, either way round;
#: but a date is written without spaces (2026年12月1日)
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_LATIN = re.compile(rf"(?<=[{_HAN}])(?<![年月])(?=[A-Za-z0-9])"
                        rf"|(?<=[A-Za-z0-9%])(?=[{_HAN}])(?![年月日])")
#: a piece of the page: an element whose text is code or not shown, a tag, or text
_PIECE = re.compile(r"(?is)<(pre|code|script|style|svg|math)\b.*?</\1>|<[^>]*>|[^<]+")


#: tags a sentence runs through (a link, emphasis): a gap across them is a gap in the text
_INLINE = re.compile(r"(?i)</?(a|em|strong|span|b|i|sub|sup)\b[^>]*>")
_IS_CJK = re.compile(rf"[{_CJK}]")


#: a half-width colon or semicolon after a Chinese character, where a template writes one
#: after a translated name ("恆等函數: " before its formula)
_HALF_WIDTH = re.compile(rf"(?<=[{_HAN}])\s*([:;])\s*")
_FULL_WIDTH = {":": "：", ";": "；"}


def _spaced(text):
    text = _HALF_WIDTH.sub(lambda m: _FULL_WIDTH[m.group(1)], text)
    return _HAN_LATIN.sub(" ", _CJK_GAP.sub("", text))


def _neighbour(pieces, i, step):
    """The character of the text next to ``pieces[i]`` (``step`` -1: before it, 1: after
    it), across inline tags only; "" if a block tag or code comes first."""
    i += step
    while 0 <= i < len(pieces):
        piece = pieces[i]
        if not piece.startswith("<"):
            return piece[-1:] if step < 0 else piece[:1]
        if not _INLINE.fullmatch(piece):
            return ""
        i += step
    return ""


def cjk_spacing(html):
    """``html`` with the text between its tags spaced as the module says (a gap between two
    Chinese characters with a link or emphasis between them goes too)."""
    pieces = [m.group(0) for m in _PIECE.finditer(html)]
    for i, piece in enumerate(pieces):
        if piece.startswith("<"):
            continue
        text = _spaced(piece)
        if text[:1].isspace() and _IS_CJK.match(_neighbour(pieces, i, -1)) \
                and _IS_CJK.match(text.lstrip()[:1] or _neighbour(pieces, i, 1)):
            text = text.lstrip()
        if text[-1:].isspace() and _IS_CJK.match(_neighbour(pieces, i, 1)) \
                and _IS_CJK.match(text.rstrip()[-1:] or _neighbour(pieces, i, -1)):
            text = text.rstrip()
        pieces[i] = text
    return "".join(pieces)


def spaced(html):
    """``html`` spaced so (:func:`cjk_spacing`) if the report is written in a language of
    :data:`SPACED`, else as it is."""
    return cjk_spacing(html) if i18n.current().startswith(SPACED) else html
