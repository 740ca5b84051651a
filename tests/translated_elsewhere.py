"""Rendering a section in Traditional Chinese on its own, with the words other parts of the
report translate.

A section's page also shows words that are not its own messages: the registries' display
names (translated by the figures' catalog region), the settings' names that other sections'
facts hold, the code listings' captions. ``zh_tw()`` speaks zh-TW with stand-ins for the
first, where the catalog does not have them yet, so that a section's test finds only the
English its own templates leave; ``without_listings`` drops the listings' captions.
"""
import contextlib
import re

from reportgen import i18n

#: the registries' display names and descriptions, as the report translates them
STANDINS = {
    "mean squared error": "均方誤差", "binary cross-entropy": "二元交叉熵",
    "momentum": "Momentum", "leaky ReLU": "帶洩漏 ReLU", "identity": "恆等函數",
    "uniform": "均勻分布", "normal": "常態分布", "Xavier": "Xavier", "He": "He",
    "standard normal distribution": "標準常態分布",
    "Glorot (Xavier) normal distribution": "Glorot (Xavier) 常態分布",
}


class _WithStandIns:
    """The catalog's translations, and a stand-in for a message it leaves as it is."""

    def __init__(self, real):
        self.real = real

    def gettext(self, message):
        said = self.real.gettext(message)
        return STANDINS.get(message, said) if said == message else said

    def ngettext(self, singular, plural, n):
        return self.real.ngettext(singular, plural, n)

    def pgettext(self, context, message):
        return self.real.pgettext(context, message)


@contextlib.contextmanager
def zh_tw(monkeypatch):
    """zh-TW inside the block, the registries' names translated."""
    real = i18n.translations
    monkeypatch.setattr(i18n, "translations", lambda lang: _WithStandIns(real(lang)))
    with i18n.language("zh-TW"):
        yield


def without_listings(html):
    """``html`` without its code listings (their captions are the listings' own words)."""
    return re.sub(r'(?s)<figure class="listing".*?</figure>', " ", html)


#: optimizers' names that stay in Latin letters, as SGD and Adam do (the glossary)
NAMES = ("Adagrad", "RMSprop", "Nadam")


def english_left(page):
    """``branches.english_left`` of ``page``, its code listings and the names of ``NAMES``
    left out."""
    import branches

    page = without_listings(page)
    for name in NAMES:
        page = page.replace(name, "·")
    return branches.english_left(page)


def wholly_translated(monkeypatch, section_id, facts):
    """Section ``section_id`` rendered from ``facts`` in zh-TW (``branches.render``), checked
    to leave no run of English words (``english_left``)."""
    import branches

    with zh_tw(monkeypatch):
        page = branches.render(section_id, facts)
    assert english_left(page) == []
    return page
