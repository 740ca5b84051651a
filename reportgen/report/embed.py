"""Making the report's HTML self-contained: figures and the stylesheet become data URIs and
<style>, and nothing is left that would load a resource from elsewhere."""
import base64
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .templates import TEMPLATES_DIR


class EmbedError(ValueError):
    """A resource of the HTML could not be embedded (missing, outside the allowed dirs...)."""


_IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
_LINK_CSS = re.compile(r"""<link\b[^>]*\brel\s*=\s*["']?stylesheet["']?[^>]*>""", re.I)
_HREF = re.compile(r"""\bhref\s*=\s*(["'])(.*?)\1""", re.I | re.S)
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]*)\1\s*\)""", re.I)
_CSS_IMPORT = re.compile(r"@import\b", re.I)
_RESOURCE_ATTR = re.compile(
    r"""<(?:img|script|link|iframe|embed|object|source|video|audio|input)\b[^>]*?"""
    r"""\b(?:src|href|data|srcset|poster)\s*=\s*(["'])(.*?)\1""", re.I | re.S)


def _is_inline(url):
    return url.startswith("data:") or url.startswith("#")


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
    if _CSS_IMPORT.search(css):
        raise EmbedError(f"{css_path.name}: @import is not supported; put the rules in one file")

    def url(match):
        target = match.group(2).strip()
        if _is_inline(target) or not target:
            return match.group(0)
        path = _resolve_local(target, [css_path.parent, *roots], f"url() in {css_path.name}")
        return f'url("{_data_uri(path)}")'

    return _CSS_URL.sub(url, css)


def embed(html, base_dir, prefer="svg", templates_dir=None, link_images=False):
    """Make ``html`` self-contained, so it opens offline and the PDF needs no files.

    - ``<img src="figures/x.svg">`` (relative to ``base_dir``, the output directory) becomes a
      data URI. With ``prefer="png"`` a sibling ``x.png`` is used instead of ``x.svg`` when it
      exists (SVG is the default: sharp at any zoom, and WeasyPrint draws it as vectors).
      With ``link_images`` the image keeps a relative URL (to the file chosen, checked like
      the others) instead: for the PDF, whose renderer reads ``base_dir`` anyway and would
      otherwise parse megabytes of base64 out of the page (about 0.3 s for the report).
    - ``<link rel="stylesheet" href="style.css">`` becomes ``<style>...</style>``; the file is
      looked up in ``base_dir`` then the templates directory; its ``url()``s become data URIs.
    - Anything left that would load a resource (src/href on img, script, link, ...) and is not
      a data URI raises :class:`EmbedError`, as does a missing file or a path leaving the
      directories. Hyperlinks (``<a href>``) are not resources and are left alone.
    """
    roots = [Path(base_dir), Path(templates_dir or TEMPLATES_DIR)]
    linked = set()

    def img(match):
        prefix, quote, src = match.groups()
        src = src.strip()
        if _is_inline(src):
            return match.group(0)
        if prefer == "png" and src.lower().endswith(".svg"):
            try:
                path = _resolve_local(src[:-4] + ".png", roots[:1], "image")
                src = src[:-4] + ".png"
            except EmbedError:
                path = _resolve_local(src, roots[:1], "image")
        else:
            path = _resolve_local(src, roots[:1], "image")
        if link_images:
            linked.add(src)
            return f"{prefix}{quote}{src}{quote}"
        return f"{prefix}{quote}{_data_uri(path)}{quote}"

    def link(match):
        tag = match.group(0)
        href = _HREF.search(tag)
        if href is None:
            raise EmbedError(f"stylesheet link without href: {tag}")
        target = href.group(2).strip()
        if target.startswith("data:"):
            return tag
        path = _resolve_local(target, roots, "stylesheet")
        css = _inline_css(path.read_text(encoding="utf-8"), path, roots)
        css = css.replace("</", "<\\/")   # a "</style>" inside the CSS must not end the tag
        return f"<style>\n{css}\n</style>"

    html = _IMG_SRC.sub(img, html)
    html = _LINK_CSS.sub(link, html)
    leftovers = [m.group(2) for m in _RESOURCE_ATTR.finditer(html)
                 if not _is_inline(m.group(2).strip()) and m.group(2).strip() not in linked]
    for style in re.findall(r"<style\b[^>]*>(.*?)</style>", html, re.I | re.S):
        leftovers += [m.group(2) for m in _CSS_URL.finditer(style)
                      if m.group(2).strip() and not _is_inline(m.group(2).strip())]
        if _CSS_IMPORT.search(style):
            leftovers.append("@import")
    if leftovers:
        raise EmbedError("external references left in the HTML: " + ", ".join(
            sorted(set(leftovers))[:10]))
    return html
