"""Making the report's HTML self-contained: figures and the stylesheet become data URIs and
<style>, and nothing is left that would load a resource from elsewhere (checked on the page
as a browser parses it, HTML by tinyhtml5 and CSS by tinycss2, the parsers WeasyPrint uses)."""
import base64
import mimetypes
import re
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .templates import folders as template_folders


class EmbedError(ValueError):
    """A resource of the HTML could not be embedded (missing, outside the allowed dirs...)."""


_IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
_LINK_CSS = re.compile(r"""<link\b[^>]*\brel\s*=\s*["']?stylesheet["']?[^>]*>""", re.I)
_HREF = re.compile(r"""\bhref\s*=\s*(["'])(.*?)\1""", re.I | re.S)
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]*)\1\s*\)""", re.I)

#: Attributes whose value is a URL the page would load (on any element, HTML or SVG, with
#: or without a namespace such as xlink:). ``href`` on a hyperlink (``<a>``, ``<area>``)
#: loads nothing and is allowed; ``<img src>`` and stylesheet links are embedded.
_URL_ATTRS = frozenset({
    "src", "href", "data", "poster", "background", "action", "formaction", "lowsrc", "dynsrc",
    "manifest", "icon", "codebase", "archive", "classid", "ping"})
_SRCSET_ATTRS = frozenset({"srcset", "imagesrcset"})
_HYPERLINKS = frozenset({"a", "area"})
#: CSS functions whose string arguments are URLs (url() written with quotes is a function).
_CSS_URL_FUNCTIONS = frozenset({"url", "src", "image", "image-set", "-webkit-image-set",
                                "cross-fade", "-webkit-cross-fade"})

def _loads_nothing(url):
    """A URL that loads nothing from elsewhere: a data: URI, a fragment, or empty."""
    url = url.strip()
    return not url or url.startswith("#") or url[:5].lower() == "data:"


def _refuse(where, url):
    raise EmbedError(f"external references are not allowed: {where} refers to "
                     f"{url.strip()[:120]!r} (the report is self-contained: only data: URIs "
                     f"and fragments may be loaded)")


def _css_urls(tokens):
    """Every URL the CSS component values ``tokens`` would load, and "@import" for an
    import (found at any depth: inside @media, blocks and functions too)."""
    import tinycss2.ast as css

    for token in tokens:
        if isinstance(token, css.URLToken):
            yield token.value
        elif isinstance(token, (css.AtRule, css.AtKeywordToken)):
            if token.lower_at_keyword == "import" if isinstance(token, css.AtRule) \
                    else token.lower_value == "import":
                yield "@import"
            yield from _css_urls(getattr(token, "prelude", None) or [])
            yield from _css_urls(getattr(token, "content", None) or [])
        elif isinstance(token, css.FunctionBlock):
            if token.lower_name in _CSS_URL_FUNCTIONS:
                yield from (t.value for t in token.arguments
                            if isinstance(t, (css.StringToken, css.URLToken)))
            yield from _css_urls(token.arguments)
        elif isinstance(token, (css.QualifiedRule, css.Declaration)):
            yield from _css_urls(getattr(token, "prelude", None) or [])
            yield from _css_urls(getattr(token, "value", None) or [])
            yield from _css_urls(getattr(token, "content", None) or [])
        elif isinstance(token, (css.ParenthesesBlock, css.SquareBracketsBlock,
                                css.CurlyBracketsBlock)):
            yield from _css_urls(token.content)


def check_css(text, where, declarations=False):
    """Raise :class:`EmbedError` if the stylesheet (or, with ``declarations``, the style
    attribute) ``text`` imports anything or names a url() that is not a data: URI."""
    import tinycss2

    tokens = (tinycss2.parse_blocks_contents(text) if declarations
              else tinycss2.parse_stylesheet(text))
    for url in _css_urls(tokens):
        if url == "@import":
            raise EmbedError(f"{where} has an @import: put the rules in the stylesheet itself")
        if not _loads_nothing(url):
            _refuse(where, url)


def _srcset_urls(value):
    """The image URLs of a srcset ("a.png 1x, data:... 2x"), as the HTML standard splits it."""
    urls, i, n = [], 0, len(value)
    while i < n:
        while i < n and (value[i].isspace() or value[i] == ","):
            i += 1
        start = i
        while i < n and not value[i].isspace():
            i += 1
        url = value[start:i]
        if url.endswith(","):
            url = url.rstrip(",")
        else:                                   # skip the descriptors, up to the next comma
            depth = 0
            while i < n and (value[i] != "," or depth):
                depth += {"(": 1, ")": -1}.get(value[i], 0)
                i += 1
        if url:
            urls.append(url)
    return urls


def _data_text(url):
    """The text of a data: URI (for a stylesheet given as one)."""
    header, _, body = url.partition(",")
    if header.lower().endswith(";base64"):
        return base64.b64decode(unquote(body)).decode("utf-8", "replace")
    return unquote(body)


def _local_name(name):
    return name.rpartition("}")[2].rpartition(":")[2].lower()


def check_html(html):
    """Parse ``html`` as a browser would (tinyhtml5, WeasyPrint's parser) and refuse, with
    :class:`EmbedError` naming the reference and where it is, anything that would load a
    resource from elsewhere: a URL attribute (src, srcset, href, xlink:href, data, poster...)
    on any element, HTML or inline SVG; a url() or @import in a style attribute or a
    <style> element. Hyperlinks (``<a href>``) load nothing and are allowed, as are data:
    URIs and fragments.

    Returns what :func:`embed` replaces: the ``src`` of each ``<img>`` and the ``href`` of
    each stylesheet ``<link>`` that are not data: URIs (both then resolved inside the output
    and templates directories, or refused)."""
    import tinyhtml5

    images, stylesheets = [], []
    for element in tinyhtml5.parse(html).iter():
        if not isinstance(element.tag, str):            # comments
            continue
        tag = _local_name(element.tag)
        if tag == "style":
            check_css(element.text or "", "<style>")
        rel = element.get("rel", "").lower().split()
        for name, value in element.attrib.items():
            attr = _local_name(name)
            where = f"<{tag} {name.rpartition('}')[2]}>"
            if name.startswith("{http://www.w3.org/1999/xlink}"):
                where = f"<{tag} xlink:{attr}>"
            if attr == "style":
                check_css(value, f'<{tag} style="...">', declarations=True)
            elif attr in _SRCSET_ATTRS:
                for url in _srcset_urls(value):
                    if not _loads_nothing(url):
                        _refuse(where, url)
            elif attr == "srcdoc":
                check_html(value)
            elif attr == "content" and element.get("http-equiv", "").lower() == "refresh":
                _refuse('<meta http-equiv="refresh">', value)
            elif attr not in _URL_ATTRS or (attr == "href" and tag in _HYPERLINKS):
                continue
            elif tag == "img" and attr == "src" and not _loads_nothing(value):
                images.append(value.strip())
            elif tag == "link" and attr == "href" and "stylesheet" in rel:
                if _loads_nothing(value):
                    check_css(_data_text(value.strip()), "a data: stylesheet")
                else:
                    stylesheets.append(value.strip())
            elif not _loads_nothing(value):
                _refuse(where, value)
    return images, stylesheets


def _resolve_local(url, roots, what):
    """The file a relative URL names, which must lie inside one of ``roots``."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("/"):
        raise EmbedError(f"{what}: {url!r} is not a relative path; only files in the output or "
                         f"templates directory can be embedded")
    relative = unquote(parts.path)
    for root in roots:
        root = Path(root).resolve()
        path = (root / relative).resolve()
        if not path.is_relative_to(root):
            raise EmbedError(f"{what}: {url!r} points outside {root.name}/")
        if path.is_file():
            return path
    raise EmbedError(f"{what}: {url!r} not found in " + " or ".join(
        f"{Path(r).name}/" for r in roots))


def _data_uri(path):
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix.lower() == ".svg":
        mime = "image/svg+xml"
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _inline_css(css, css_path, roots):
    """The stylesheet with its url()s as data URIs (relative ones resolved in its folder or
    ``roots``); @import and anything that is neither data: nor local are refused."""
    def url(match):
        target = match.group(2).strip()
        if _loads_nothing(target):
            return match.group(0)
        path = _resolve_local(target, [css_path.parent, *roots], f"url() in {css_path.name}")
        return f'url("{_data_uri(path)}")'

    inlined = _CSS_URL.sub(url, css)
    check_css(inlined, css_path.name)       # what the regex missed (or an @import) fails here
    return inlined


def embed(html, base_dir, prefer="svg", templates_dir=None, link_images=False, checked=False):
    """Make ``html`` self-contained, so it opens offline and the PDF needs no files.

    - ``<img src="figures/x.svg">`` (relative to ``base_dir``, the output directory) becomes a
      data URI. With ``prefer="png"`` a sibling ``x.png`` is used instead of ``x.svg`` when it
      exists (SVG is the default: sharp at any zoom, and WeasyPrint draws it as vectors).
      With ``link_images`` the image keeps a relative URL (to the file chosen, checked like
      the others) instead: for the PDF, whose renderer reads ``base_dir`` anyway and would
      otherwise parse megabytes of base64 out of the page (about 0.3 s for the report).
    - ``<link rel="stylesheet" href="style.css">`` becomes ``<style>...</style>``; the file is
      looked up in ``base_dir`` then the templates directories (one's own, the built-in); its ``url()``s become data URIs.
    - Anything else that would load a resource and is not a data: URI or a fragment raises
      :class:`EmbedError` naming it and where it is (see :func:`check_html`: src, srcset,
      href, xlink:href on any element, inline SVG included; url() and @import in style
      attributes, <style> and the stylesheet), as does a missing file or a path leaving the
      directories. Hyperlinks (``<a href>``) are not resources and are left alone.

    The PDF goes through this too (with ``link_images``), before WeasyPrint sees the page.
    ``checked``: ``html`` is a page whose other embedding checks it (the build's HTML, made
    from the same page as its PDF): the references are rewritten, not checked again.
    """
    roots = [Path(base_dir), *template_folders(templates_dir)]

    def img(match):
        prefix, quote, src = match.groups()
        src = src.strip()
        if _loads_nothing(src):
            return match.group(0)
        rewritten_images.append(src)
        if prefer == "png" and src.lower().endswith(".svg"):
            try:
                path = _resolve_local(src[:-4] + ".png", roots[:1], "<img src>")
                src = src[:-4] + ".png"
            except EmbedError:
                path = _resolve_local(src, roots[:1], "<img src>")
        else:
            path = _resolve_local(src, roots[:1], "<img src>")
        if link_images:
            return f"{prefix}{quote}{src}{quote}"
        return f"{prefix}{quote}{_data_uri(path)}{quote}"

    def link(match):
        tag = match.group(0)
        href = _HREF.search(tag)
        if href is None:
            raise EmbedError(f"stylesheet link without href: {tag}")
        target = href.group(2).strip()
        if _loads_nothing(target):
            return tag
        inlined.append(target)
        path = _resolve_local(target, roots, '<link rel="stylesheet" href>')
        css = _inline_css(path.read_text(encoding="utf-8"), path, roots)
        css = css.replace("</", "<\\/")   # a "</style>" inside the CSS must not end the tag
        return f"<style>\n{css}\n</style>"

    rewritten_images, inlined = [], []
    if checked:
        return _LINK_CSS.sub(link, _IMG_SRC.sub(img, html))
    images, stylesheets = check_html(html)
    html = _IMG_SRC.sub(img, html)
    html = _LINK_CSS.sub(link, html)
    for kind, found, done in (('<img src="...">', images, rewritten_images),
                              ('<link rel="stylesheet" href="...">', stylesheets, inlined)):
        missed = Counter(found) - Counter(done)
        if missed:
            raise EmbedError(f"{sorted(missed)[0]!r} could not be embedded: write it as "
                             f"{kind}, the URL quoted")
    return html
