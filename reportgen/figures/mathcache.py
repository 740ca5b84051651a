"""One mathtext cache for the whole process, instead of one per renderer.

matplotlib keeps parsed mathtext (the log axes' $10^{-3}$ tick labels, $x_0$, the formulas) in a
cache keyed by the parser object, and every renderer makes its own parser: the layout pass, the
PNG and the SVG of every figure parse the same labels again, at about 10 ms each (pyparsing),
which is a tenth of the figures' drawing time. A parse depends only on its arguments and on the
parser's output type, so one cache per output type gives the same glyphs and the same bytes.
"""
import functools

from matplotlib import mathtext

_PARSERS = {}   # output type -> a parser of that type (any of them parses the same)
_CACHES = []    # the shared cache, once installed


def install(maxsize=512):
    """Share parsed mathtext between all parsers of the process (idempotent). A matplotlib
    whose parser has no such cache is left as it is."""
    per_parser = getattr(mathtext.MathTextParser._parse_cached, "__wrapped__", None)
    if per_parser is None or not hasattr(mathtext.MathTextParser("path"), "_output_type"):
        return

    @functools.lru_cache(maxsize=maxsize)
    def parse(output_type, *args):
        return per_parser(_PARSERS[output_type], *args)

    def parse_cached(parser, *args):
        _PARSERS.setdefault(parser._output_type, parser)
        return parse(parser._output_type, *args)

    # parse_cached has no __wrapped__, so a second install() leaves it in place
    mathtext.MathTextParser._parse_cached = parse_cached
    _CACHES.append(parse)


def forget():
    """Empty the shared cache: its parses hold the font objects they were laid out with, which
    a forked process must not use at the same time as its parent or siblings."""
    for cache in _CACHES:
        cache.cache_clear()
