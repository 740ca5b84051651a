r"""The student's own words: Markdown files in ``prose/``, beside the experiments folder.

``prose/<section>.md`` (``introduction.md``, ``setups.md``, ... : one per section id) is placed
at the end of that section, inside it, after everything the report writes there;
``prose/conclusion.md`` makes a Conclusion section of its own, numbered, after the last
section before the appendix. A file that is missing, empty or holds only comments adds
nothing.

The Markdown is CommonMark (markdown-it-py) with tables and ~~strikethrough~~, and maths:
``$...$`` inline, ``$$...$$`` displayed, both rendered by the report's own equation renderer
(``maths.equation``: the same TeX subset, the same images and alt text). The text is never
altered: no typographic replacements, no links made of bare URLs. Headings are set one level
below the section's (``#`` is a part's level, h3), so the report's outline stays whole.

Raw HTML is never passed through: ``<!-- ... -->`` comments are dropped (each file starts with
one saying where its text goes), any other HTML is shown as the text it is, escaped. Images
are refused (a prose file cannot load files; the figures are the report's). A file that is
not UTF-8, an unknown file name (``discusion.md``) or an image stops the build before
anything is trained, naming the file (and line); an equation mathtext cannot render stops it
when the page is rendered, naming the file and the equation.
"""
import dataclasses
import re
from pathlib import Path

from markupsafe import Markup, escape

from ..experiments.config import ConfigError
from ..i18n import N_

#: the folder of prose files, beside the experiments folder
PROSE_DIR = "prose"
#: the prose file that makes a Conclusion section
CONCLUSION = "conclusion"
#: the Conclusion section's title
CONCLUSION_TITLE = N_("Conclusion")
#: how many levels a prose heading is set below h1 (``#`` -> h3: a part's level)
HEADING_SHIFT = 2
_COMMENT = re.compile(r"\s*(?:<!--.*?-->\s*)+", re.S)


@dataclasses.dataclass(frozen=True)
class Prose:
    """One prose file: its name (a section id or "conclusion"), path and text. Its
    ``__html__`` is the rendered Markdown (empty when it holds nothing): a template shows it
    with ``{{ prose.discussion }}``."""

    name: str
    path: Path
    text: str

    def __bool__(self):
        return not empty(self.text)

    def __html__(self):
        return render(self.text, self.path) if self else Markup("")

    def __str__(self):
        return self.__html__()


def folder(experiments_dir):
    """The ``prose/`` folder beside ``experiments_dir``."""
    return Path(experiments_dir).resolve().parent / PROSE_DIR


def names(section_ids):
    """The prose files' names (without ``.md``): the sections' ids, then the conclusion."""
    return [*section_ids, CONCLUSION]


def load(experiments_dir, section_ids):
    """{name: Prose} for every name of ``names(section_ids)`` (missing files: empty), each
    file checked as the report will render it; ConfigError for a file that is not UTF-8,
    not a prose file's name, or holds an image."""
    known = names(section_ids)
    found = {name: Prose(name, folder(experiments_dir) / f"{name}.md", "") for name in known}
    where = folder(experiments_dir)
    if not where.is_dir():
        return found
    for path in sorted(where.iterdir()):
        if path.suffix.lower() != ".md" or path.name.startswith("."):
            continue
        if path.stem not in known or path.suffix != ".md":
            raise ConfigError(path, None, f"not a prose file of this report; the prose files "
                                          f"are {', '.join(n + '.md' for n in known)} (one per "
                                          f"section, and the conclusion)")
        text = _read(path)
        check(text, path)
        found[path.stem] = Prose(path.stem, path, text)
    return found


def _read(path):
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError(path, None, f"cannot read: {error.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise ConfigError(path, f"line {line}", f"not UTF-8 text (byte {data[error.start]:#04x} "
                                                f"at offset {error.start}); save the file as "
                                                f"UTF-8") from None


def empty(text):
    """Whether ``text`` holds nothing but white space and comments."""
    return not _COMMENT.sub("", text).strip()


def check(text, path):
    """Raise ConfigError where ``text`` has what prose may not: an image."""
    for token in _parser().parse(text):
        for child in token.children or ():
            if child.type == "image":
                line = token.map[0] + 1 if token.map else None
                raise ConfigError(path, f"line {line}" if line else None,
                                  f"an image ({child.attrGet('src')!r}): prose cannot include "
                                  f"images or other files; the report's figures are its own")


def render(text, path=None):
    """The Markdown ``text`` as HTML Markup (``path``: named by the errors)."""
    return Markup(_parser().render(text, {"path": path}))


# --- the parser --------------------------------------------------------------------------


def _parser():
    global _PARSER
    if _PARSER is None:
        from markdown_it import MarkdownIt

        md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
        md.enable(["table", "strikethrough"])
        md.inline.ruler.before("escape", "maths", _maths)
        for kind in ("html_block", "html_inline"):
            md.add_render_rule(kind, _raw_html)
        md.add_render_rule("table_open", _table)
        md.add_render_rule("heading_open", _heading)
        md.add_render_rule("heading_close", _heading)
        md.add_render_rule("maths_inline", _equation)
        md.add_render_rule("maths_display", _equation)
        _PARSER = md
    return _PARSER


_PARSER = None


def _maths(state, silent):
    """``$...$`` (inline) and ``$$...$$`` (displayed, over several lines if need be), closed
    by the next ``$`` (``$$``): an inline equation's opening ``$`` is followed by a character
    that is not white space, its closing one preceded by one and not followed by a digit
    ("$5 and $6" is no equation);
    ``\\$`` is a dollar sign."""
    src, start = state.src, state.pos
    if src[start] != "$":
        return False
    display = src.startswith("$$", start)
    mark = "$$" if display else "$"
    begin = start + len(mark)
    if begin >= state.posMax or (not display and src[begin].isspace()):
        return False
    end = begin
    while True:         # the first unescaped mark after the opening one closes it, or nothing
        end = src.find(mark, end)
        if end == -1 or end >= state.posMax:
            return False
        if src[end - 1] != "\\":
            break
        end += 1
    after = end + len(mark)
    if not display and (src[end - 1].isspace() or (after < len(src) and src[after].isdigit())):
        return False
    tex = src[begin:end]
    if not tex.strip() or (not display and tex.startswith("$")):
        return False
    if not silent:
        token = state.push("maths_display" if display else "maths_inline", "", 0)
        token.content = tex
        token.markup = mark
    state.pos = end + len(mark)
    return True


def _equation(self, tokens, idx, options, env):
    from .maths import EquationError, equation

    token = tokens[idx]
    tex = " ".join(token.content.split())
    try:
        return str(equation(tex, display=token.type == "maths_display"))
    except EquationError as error:
        raise ConfigError(env.get("path") or "prose", None,
                          f"{token.markup}{tex}{token.markup}: {error}") from None


def _raw_html(self, tokens, idx, options, env):
    content = tokens[idx].content
    if _COMMENT.fullmatch(content):
        return ""
    if tokens[idx].type == "html_block":
        return f"<p>{escape(content.strip())}</p>\n"
    return str(escape(content))


def _heading(self, tokens, idx, options, env):
    token = tokens[idx]
    level = min(int(token.tag[1:]) + HEADING_SHIFT, 6)
    return f"<h{level}>" if token.nesting == 1 else f"</h{level}>\n"


def _table(self, tokens, idx, options, env):
    return '<table class="data">\n'     # styled and broken across pages like the report's
