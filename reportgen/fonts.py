"""The fonts the report draws its text with, found as fontconfig finds them for WeasyPrint
(through the library WeasyPrint itself loads, libfontconfig, with ctypes): the fallback list of
a CSS family list, the characters it covers, the files of a family."""
import ctypes
import ctypes.util


class FontError(RuntimeError):
    """fontconfig cannot be loaded."""


class _FcFontSet(ctypes.Structure):
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int),
                ("fonts", ctypes.POINTER(ctypes.c_void_p))]


#: the names WeasyPrint loads fontconfig by (weasyprint/text/ffi.py)
_LIBRARIES = ("fontconfig-1", "libfontconfig-1.dll", "libfontconfig.so.1",
              "libfontconfig.1.dylib", "libfontconfig-1.dylib")
_fc = None
#: (fontconfig's configuration, family list, language) -> (charset, [family names])
_FALLBACKS = {}


def _fontconfig():
    global _fc
    if _fc is None:
        names = [ctypes.util.find_library("fontconfig"), *_LIBRARIES]
        for name in filter(None, names):
            try:
                lib = ctypes.CDLL(name)
                break
            except OSError:
                continue
        else:
            raise FontError("fontconfig (libfontconfig), which WeasyPrint lays the PDF's "
                                "text out with, cannot be loaded")
        p = ctypes.c_void_p
        for name, res, args in (
                ("FcInit", ctypes.c_int, []), ("FcInitBringUptoDate", ctypes.c_int, []),
                ("FcConfigGetCurrent", p, []), ("FcNameParse", p, [ctypes.c_char_p]),
                ("FcPatternAddString", ctypes.c_int, [p, ctypes.c_char_p, ctypes.c_char_p]),
                ("FcConfigSubstitute", ctypes.c_int, [p, p, ctypes.c_int]),
                ("FcDefaultSubstitute", None, [p]),
                ("FcFontSort", ctypes.POINTER(_FcFontSet),
                 [p, p, ctypes.c_int, ctypes.POINTER(p), ctypes.POINTER(ctypes.c_int)]),
                ("FcCharSetHasChar", ctypes.c_int, [p, ctypes.c_uint32]),
                ("FcPatternGetString", ctypes.c_int,
                 [p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]),
                ("FcPatternDestroy", None, [p])):
            func = getattr(lib, name)
            func.restype, func.argtypes = res, args
        lib.FcInit()
        _fc = lib
    return _fc


def fallback(families, lang):
    """(the charset fontconfig's fallback list for ``families`` (a CSS family list, as a
    tuple of names) covers, as a ``has(char)`` function; the list's family names, first the
    best) for text in ``lang`` (a BCP 47 tag)."""
    fc = _fontconfig()
    fc.FcInitBringUptoDate()        # fonts installed meanwhile: a new configuration
    config = fc.FcConfigGetCurrent()
    key = (config, tuple(families), lang.lower())
    if key not in _FALLBACKS:
        pattern = fc.FcNameParse(b"")
        for family in families:
            fc.FcPatternAddString(pattern, b"family", family.encode())
        fc.FcPatternAddString(pattern, b"lang", lang.lower().encode())
        fc.FcConfigSubstitute(config, pattern, 0)     # FcMatchPattern
        fc.FcDefaultSubstitute(pattern)
        charset, result = ctypes.c_void_p(), ctypes.c_int()
        fonts = fc.FcFontSort(config, pattern, 1, ctypes.byref(charset), ctypes.byref(result))
        fc.FcPatternDestroy(pattern)
        names, files = [], {}
        if fonts:
            for i in range(fonts.contents.nfont):
                value, name = ctypes.c_char_p(), None
                if fc.FcPatternGetString(fonts.contents.fonts[i], b"family", 0,
                                         ctypes.byref(value)) == 0:
                    name = value.value.decode("utf-8", "replace")
                    if name not in names:
                        names.append(name)
                if fc.FcPatternGetString(fonts.contents.fonts[i], b"file", 0,
                                         ctypes.byref(value)) == 0 and name:
                    files.setdefault(name, []).append(value.value.decode())
        # the font set (and the charset) are kept for the process: a few per stylesheet
        has = (lambda c, cs=charset.value: bool(fc.FcCharSetHasChar(cs, ord(c)))) \
            if charset.value else (lambda c: False)
        _FALLBACKS[key] = (has, names, files)
    return _FALLBACKS[key][:2]


def font_files(family):
    """The files fontconfig has of ``family`` (an exact family name; [] if it has none)."""
    fallback((family,), "und")
    config = _fontconfig().FcConfigGetCurrent()
    return sorted(set(_FALLBACKS[(config, (family,), "und")][2].get(family, [])))
