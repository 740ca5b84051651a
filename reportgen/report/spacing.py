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
#: a Chinese character (not punctuation) against a Latin letter or digit, either way round
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_LATIN = re.compile(rf"(?<=[{_HAN}])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%])(?=[{_HAN}])")
#: a piece of the page: an element whose text is code or not shown, a tag, or text
_PIECE = re.compile(r"(?is)<(pre|code|script|style|svg|math)\b.*?</\1>|<[^>]*>|[^<]+")


def _spaced(text):
    return _HAN_LATIN.sub(" ", _CJK_GAP.sub("", text))


def cjk_spacing(html):
    """``html`` with the text between its tags spaced as the module says."""
    return _PIECE.sub(lambda m: m.group(0) if m.group(0).startswith("<")
                      else _spaced(m.group(0)), html)


def spaced(html):
    """``html`` spaced so (:func:`cjk_spacing`) if the report is written in a language of
    :data:`SPACED`, else as it is."""
    return cjk_spacing(html) if i18n.current().startswith(SPACED) else html
