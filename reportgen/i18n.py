"""The report's language: gettext catalogs, and the one a build speaks.

The English text is the message id. Templates mark it with Jinja2's i18n extension
(``{% trans %}...{% endtrans %}``, ``_("...")``), Python code with :func:`gettext` (``_``),
:func:`ngettext` and :func:`pgettext`, and texts defined at import time with :func:`N_`; Babel extracts the ids (``babel.cfg``) and each language
has one catalog, ``reportgen/locale/<ll_CC>/LC_MESSAGES/messages.po``, compiled in memory
when a build first asks for it (a catalog is a few hundred sentences: milliseconds).

A build sets its language once (:func:`language`, a context variable, so that a build in
another thread is not affected); processes forked during the build inherit it. Everything
that turns words into output reads :func:`current`: an output made in one language is never
reused for another (figure and report keys include it).
"""
import contextlib
import contextvars
import functools
import gettext as _gettext
import io
from pathlib import Path

#: the languages the report can be written in: tag (as report.toml and ``--lang`` take it,
#: BCP 47) -> name
LANGUAGES = {"en": "English", "zh-TW": "Traditional Chinese (Taiwan)"}
DEFAULT = "en"
#: the catalogs: one folder per language but English (the message ids are English)
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"

# A third language is one new catalog: every catalog of LOCALE_DIR is a language the report
# can be written in (named by its tag where LANGUAGES does not name it).
for _po in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
    LANGUAGES.setdefault(_po.parent.parent.name.replace("_", "-"), _po.parent.parent.name)

_active = contextvars.ContextVar("reportgen_language", default=DEFAULT)


class LanguageError(ValueError):
    """A language the report has no catalog for."""


def check(lang, where="--lang"):
    """``lang`` if it is one of :data:`LANGUAGES`; else a LanguageError naming ``where``."""
    if lang not in LANGUAGES:
        raise LanguageError(f"{where}: the report cannot be written in {lang!r}; it can be "
                            f"written in " + ", ".join(f"{tag} ({name})"
                                                      for tag, name in LANGUAGES.items()))
    return lang


def babel_locale(lang):
    """Babel's and gettext's name of a language tag: "zh-TW" -> "zh_TW"."""
    return lang.replace("-", "_")


def catalog_path(lang):
    """The .po file of ``lang`` (English has none)."""
    return LOCALE_DIR / babel_locale(lang) / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.lru_cache(maxsize=8)
def _compiled(lang, stamp):
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(catalog_path(lang), "rb") as file:
        catalog = read_po(file, locale=babel_locale(lang), domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def translations(lang):
    """The ``gettext`` translations of ``lang``, compiled from its catalog (again when the
    file changes: an edited catalog shows at the next build of a running watch)."""
    if lang == DEFAULT:
        return _gettext.NullTranslations()
    path = catalog_path(lang)
    stat = path.stat()
    return _compiled(lang, (stat.st_mtime_ns, stat.st_size))


@contextlib.contextmanager
def language(lang):
    """Speak ``lang`` (one of :data:`LANGUAGES`) inside the ``with`` block."""
    token = _active.set(check(lang))
    try:
        yield lang
    finally:
        _active.reset(token)


def current():
    """The language being written: a tag of :data:`LANGUAGES`."""
    return _active.get()


def gettext(message):
    """``message`` (English) in the current language."""
    return translations(current()).gettext(message)


def ngettext(singular, plural, n):
    """The singular or plural message for ``n``, in the current language."""
    return translations(current()).ngettext(singular, plural, n)


def pgettext(context, message):
    """``message`` in the current language, where the English word alone is ambiguous
    (``context`` tells the translator which sense: "table header", "verb"...)."""
    return translations(current()).pgettext(context, message)


def N_(message):
    """``message`` as it is: marks a text defined before any build (a section's title, a
    registry's display name) for the catalogs; it is translated where it is shown."""
    return message


_ = gettext
