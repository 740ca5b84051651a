"""Where the report's templates live, and the Jinja2 environment they are rendered in.

A folder of templates of one's own (``--templates DIR`` or report.toml's ``[report]
templates``) is laid over the built-in ones: a file there replaces the built-in template (or
style.css) of the same name, every other name is the built-in one (a Jinja2 ``ChoiceLoader``).
Its files are rendered in the same environment, under the same rules: an undefined name is
an error, everything is escaped, and nothing is loaded but templates of the two folders
(the page's references go through the same embedding and URL fetcher as the built-in ones').
"""
import functools
from pathlib import Path

import jinja2
import markupsafe

from .. import i18n, resources
from .filters import cell, date, num, plain, pct, pm, sci, words
from .listings import highlight
from .maths import equation, equation_block, inline_equation_block
from .render import alt_text

#: The folder holding the package: the checkout, or site-packages once installed.
PROJECT_ROOT = resources.SOURCE_ROOT
#: Where the report's templates and style.css live: the checkout's templates/, or the copy
#: a wheel carries inside the package (see ``reportgen.resources``).
TEMPLATES_DIR = resources.TEMPLATES_DIR


#: the kinds of file a templates folder holds (any other file in it is not read)
TEMPLATE_SUFFIXES = (".j2", ".css")


class TemplatesError(ValueError):
    """A folder of templates that cannot be laid over the built-in ones (an unknown name)."""


def folders(templates_dir=None):
    """The templates folders, first match wins: ``templates_dir`` (one's own templates,
    if given), then the built-in ones."""
    builtin = Path(TEMPLATES_DIR)
    if templates_dir is None or Path(templates_dir).resolve() == builtin.resolve():
        return [builtin]
    return [Path(templates_dir), builtin]


def builtin_names():
    """The names of the built-in templates and stylesheet, as the loader names them."""
    return sorted(p.relative_to(TEMPLATES_DIR).as_posix() for p in Path(TEMPLATES_DIR).rglob("*")
                  if p.is_file() and p.suffix in TEMPLATE_SUFFIXES)


def check_overrides(templates_dir, where="--templates"):
    """The files of ``templates_dir`` that replace built-in ones ({name: path}); a
    TemplatesError names ``where`` and a file that replaces no built-in template (its name
    misspelt, or in the wrong subfolder), or that lies outside the folder (a symbolic link)."""
    folder = Path(templates_dir)
    if len(folders(folder)) == 1:
        return {}
    known = builtin_names()
    found = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix not in TEMPLATE_SUFFIXES:
            continue
        name = path.relative_to(folder).as_posix()
        if name not in known:
            raise TemplatesError(f"{where}: {name}: no built-in template of that name to "
                                 f"replace; the templates: {', '.join(known)}")
        if not path.resolve().is_relative_to(folder.resolve()):
            raise TemplatesError(f"{where}: {name}: leads outside the templates folder")
        found[name] = path
    return found


@functools.lru_cache(maxsize=4)
def environment(templates_dir=None):
    """The report's Jinja2 environment (cached per templates directory): ``templates_dir``'s
    templates laid over the built-in ones."""
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(folder))
                                    for folder in folders(templates_dir)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,  # keep the newline after a block tag: it separates sentences
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # Messages are whole sentences: a {% trans %} block's message is its text with runs of
    # white space made one space, so a line break in a template is not part of the message.
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(gettext=i18n.gettext, ngettext=i18n.ngettext,
                                  pgettext=i18n.pgettext, newstyle=True)
    env.globals["equation"] = equation
    env.filters["end_of_section"] = end_of_section
    env.filters.update(pct=pct, pm=pm, sci=sci, num=num, plain=plain, cell=cell, words=words,
                       date=date, equation=equation_block,
                       inline_equation=inline_equation_block, alt_text=alt_text,
                       highlight=highlight)
    return env


def end_of_section(html, addition):
    """``html`` (a section's, Markup) with ``addition`` just before its last ``</section>``
    (at its end if it has none): the section's prose goes there, inside the section."""
    html, addition = markupsafe.Markup(html), markupsafe.Markup(addition)
    if not addition.strip():
        return html
    at = html.rfind("</section>")
    if at == -1:
        return html + addition
    return markupsafe.Markup(html[:at] + addition + html[at:])


def render_html(template_name, context, templates_dir=None):
    """Render ``templates/<template_name>`` with ``context`` (a mapping) to HTML text.

    Raises jinja2 errors (``UndefinedError`` for a missing variable, ``TemplateNotFound``...)
    and :class:`~reportgen.report.maths.EquationError` for an equation mathtext cannot render.
    """
    return environment(templates_dir).get_template(template_name).render(**dict(context))
