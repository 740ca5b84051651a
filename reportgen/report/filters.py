"""The report's filters for numbers (all tested never to print "nan", "inf" or "None"):

=========================  ==============================================================
``x|pct``                  0.9523 -> "95.2%" (``pct(digits=1)``)
``m|pm(s)``                mean ± std of fractions: (0.952, 0.031) -> "95.2 ± 3.1%";
                           ``style="num"`` -> "0.952 ± 0.031", ``style="sci"`` ->
                           "(3.2 ± 0.4)×10⁻⁴"; ``m`` may also be a (mean, std) pair or an
                           object/dict with ``mean`` and ``std``
``x|sci``                  3.2e-4 -> "3.2×10⁻⁴" (``sci(digits=2)`` significant digits)
``x|num``                  plain decimal with ``digits=3`` significant digits for
                           1e-3 <= |x| < 1e4 ("0.952", "12.3", "5000"), else like ``sci``;
                           integers as they are
``x|plain``                a configuration value as written: 0.01 -> "0.01", 1.0 -> "1"
``n|words``                a count as a word: 5 -> "five" (past twelve, digits); in zh-TW
                           "五" (the words are messages of the catalog, context "a count")
``d|date``                 the report's date ("2026-12-01", ISO 8601) as the language writes
                           it: as it is in English, "2026年12月1日" in zh-TW (Babel's long
                           format); any other text as it is
``x|cell``                 a table cell: numbers through ``num``, None as "—"
=========================  ==============================================================

Non-finite and missing values: NaN, ±inf and None all render as "—" (an em dash: "no number"),
never as "nan"/"None". Every filter takes ``nonfinite=`` to say something else, e.g.
``{{ loss|sci(nonfinite="diverged") }}``. In ``pm`` a missing or non-finite std (one seed) is
left out: "95.2%". Negative numbers use the typographic minus sign "−" (U+2212).

Numbers follow the language being written (``reportgen.i18n.current``): its decimal sign, minus
sign and percent sign, and where the percent sign goes, from Babel (CLDR). An ASCII
hyphen-minus there is the typographic "−", as in English. English and Traditional Chinese
share these symbols ("95.2%", "−0.5"), so the zh-TW report writes its numbers as the English
one does; another language gets its own ("95,2 %" in German) with no change here. Digits are
never grouped ("5000", as a configuration value is written).
"""
import datetime
import functools
import math
import numbers
import re
from typing import NamedTuple

from .. import i18n
from ..i18n import gettext as _, pgettext

#: numbers as the prose writes them (``words``); larger ones as digits
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten", "eleven", "twelve")
DASH = "—"
MINUS = "−"
_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _finite(x):
    """``x`` as a float, or None if it is missing, not a number, NaN or infinite."""
    if x is None:
        return None
    if isinstance(x, (str, bytes, bool)):
        raise TypeError(f"expected a number, got {type(x).__name__} {x!r}")
    value = float(x)   # a jinja2 Undefined raises here: a missing variable stays an error
    return value if math.isfinite(value) else None


class Symbols(NamedTuple):
    """How a language writes a number's signs (Babel's, from CLDR)."""

    decimal: str = "."
    minus: str = MINUS
    percent_prefix: str = ""
    percent_suffix: str = "%"


ENGLISH = Symbols()


@functools.lru_cache(maxsize=16)
def symbols(lang):
    """The number symbols of ``lang`` (a tag of ``i18n.LANGUAGES``)."""
    from babel import Locale
    from babel.numbers import get_decimal_symbol, get_minus_sign_symbol

    locale = Locale.parse(i18n.babel_locale(lang))
    table = locale.number_symbols
    table = table.get("latn", table) if isinstance(table, dict) else table
    percent = table.get("percentSign", "%")
    pattern = locale.percent_formats[None]
    minus = get_minus_sign_symbol(locale)
    return Symbols(decimal=get_decimal_symbol(locale),
                   minus=MINUS if minus == "-" else minus,
                   percent_prefix=pattern.prefix[0].replace("%", percent),
                   percent_suffix=pattern.suffix[0].replace("%", percent))


def _symbols():
    lang = i18n.current()
    return ENGLISH if lang == "en" else symbols(lang)


def _minus(text):
    text = text.replace("-", MINUS)
    # Never print a negative zero ("−0.0").
    if text.startswith(MINUS) and not re.search(r"[1-9]", text):
        text = text[1:]
    signs = _symbols()
    if signs is not ENGLISH:
        text = text.replace(".", signs.decimal).replace(MINUS, signs.minus)
    return text


def _percent(text):
    signs = _symbols()
    return signs.percent_prefix + text + signs.percent_suffix


def _split_sci(value, digits):
    """(mantissa string, exponent) with ``digits`` significant digits, 1 <= |mantissa| < 10."""
    mantissa, exponent = f"{value:.{max(digits, 1) - 1}e}".split("e")
    return mantissa, int(exponent)


def _power(exponent):
    return f"10{str(exponent).translate(_SUPERSCRIPTS)}"


def pct(x, digits=1, nonfinite=DASH):
    """A fraction as a percentage: 0.9523 -> "95.2%"."""
    value = _finite(x)
    if value is None:
        return nonfinite
    return _percent(_minus(f"{100 * value:.{digits}f}"))


def sci(x, digits=2, nonfinite=DASH):
    """Scientific notation in Unicode: 3.2e-4 -> "3.2×10⁻⁴" (``digits`` significant digits)."""
    value = _finite(x)
    if value is None:
        return nonfinite
    if value == 0:
        return "0"
    mantissa, exponent = _split_sci(value, digits)
    if exponent == 0:
        return _minus(mantissa)
    if mantissa in ("1", "-1"):   # a power of ten itself, as with sci(1e-6, digits=1): "10⁻⁶"
        return _minus(mantissa[:-1] + _power(exponent))
    return _minus(mantissa) + "×" + _power(exponent)


def num(x, digits=3, nonfinite=DASH):
    """A number for the text or a table: integers as they are, floats with ``digits``
    significant digits in plain decimals when 1e-3 <= |x| < 1e4, else as :func:`sci`."""
    if isinstance(x, numbers.Integral) and not isinstance(x, bool):
        return _minus(str(int(x)))
    value = _finite(x)
    if value is None:
        return nonfinite
    if value == 0:
        return "0"
    magnitude = abs(value)
    if 1e-3 <= magnitude < 1e4:
        decimals = max(digits - 1 - math.floor(math.log10(magnitude)), 0)
        return _minus(f"{value:.{decimals}f}")
    return sci(value, digits=digits, nonfinite=nonfinite)


def _unpack(mean, std):
    if std is None:
        if isinstance(mean, dict) and "mean" in mean:
            return mean["mean"], mean.get("std")
        if hasattr(mean, "mean") and hasattr(mean, "std") and not callable(mean.mean):
            return mean.mean, mean.std
        if isinstance(mean, (tuple, list)) and len(mean) == 2:
            return mean[0], mean[1]
    return mean, std


def pm(mean, std=None, digits=1, style="pct", nonfinite=DASH):
    """Mean ± standard deviation.

    ``style="pct"`` (fractions shown as percent): "95.2 ± 3.1%"; ``"num"``: "0.952 ± 0.031"
    (``digits`` decimals); ``"sci"``: "(3.2 ± 0.4)×10⁻⁴" (``digits`` decimals of the mantissa,
    the std written with the mean's exponent). A non-finite/missing mean gives ``nonfinite``;
    a non-finite/missing std is left out.
    """
    mean, std = _unpack(mean, std)
    m, s = _finite(mean), _finite(std)
    if m is None:
        return nonfinite
    if style == "pct":
        text = _minus(f"{100 * m:.{digits}f}")
        if s is not None:
            text += f" ± {_minus(f'{100 * abs(s):.{digits}f}')}"
        return _percent(text)
    if style == "num":
        text = _minus(f"{m:.{digits}f}")
        if s is not None:
            text += f" ± {_minus(f'{abs(s):.{digits}f}')}"
        return text
    if style == "sci":
        exponent = 0 if m == 0 else _split_sci(m, digits + 1)[1]
        scale = 10.0 ** exponent
        text = _minus(f"{m / scale:.{digits}f}")
        if s is not None:
            text = f"({text} ± {_minus(f'{abs(s) / scale:.{digits}f}')})"
        return text + ("×" + _power(exponent) if exponent else "")
    raise ValueError(f"pm: style must be 'pct', 'num' or 'sci', not {style!r}")


def plain(x):
    """A configuration value as it was written: 0.01 -> "0.01", 1.0 -> "1", 30 -> "30";
    a missing or non-finite value is "—" like everywhere else."""
    if x is None:
        return DASH
    if isinstance(x, bool) or not isinstance(x, numbers.Number):
        return str(x)
    value = _finite(x)
    return DASH if value is None else _minus(f"{value:g}")


def cell(value):
    """How a raw table cell is shown: numbers through :func:`num`, None as a dash."""
    if value is None:
        return DASH
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return num(value)
    return value


def _number_words():
    """:data:`NUMBER_WORDS` in the language being written (a count, as "five seeds" says it)."""
    return (pgettext("a count", "zero"), pgettext("a count", "one"),
            pgettext("a count", "two"), pgettext("a count", "three"),
            pgettext("a count", "four"), pgettext("a count", "five"),
            pgettext("a count", "six"), pgettext("a count", "seven"),
            pgettext("a count", "eight"), pgettext("a count", "nine"),
            pgettext("a count", "ten"), pgettext("a count", "eleven"),
            pgettext("a count", "twelve"))


def words(n):
    """A count as a word: 5 -> "five" (past twelve, digits: 13 -> "13"), in the language
    being written (zh-TW: "五"; a count of two is "兩", as before a measure word)."""
    if not 0 <= n < len(NUMBER_WORDS):
        return str(n)
    return NUMBER_WORDS[n] if i18n.current() == "en" else _number_words()[n]


def date(value):
    """The report's date as the language writes it: an ISO 8601 date ("2026-12-01", as the
    build or report.toml gives it) stays so in English and is Babel's long format elsewhere
    ("2026年12月1日" in zh-TW); any other text is the student's own, shown as written."""
    lang = i18n.current()
    if lang == "en" or not isinstance(value, str):
        return value
    try:
        day = datetime.date.fromisoformat(value.strip())
    except ValueError:
        return value
    from babel.dates import format_date

    return format_date(day, format="long", locale=i18n.babel_locale(lang))


def listing(items):
    """Items as prose lists them: "a", "a and b", "a, b and c" (the template macro's form),
    in the language being written ("a、b和c")."""
    items = [str(i) for i in items]
    if len(items) == 1:
        return items[0]
    separator = pgettext("between the items of a list", ", ")
    return _("{items} and {last}").format(items=separator.join(items[:-1]),
                                                      last=items[-1])
