"""Where the report's templates live, and the Jinja2 environment they are rendered in."""
import functools

import jinja2

from .. import resources
from .filters import cell, num, plain, pct, pm, sci, words
from .listings import highlight
from .maths import equation, equation_block, inline_equation_block
from .render import alt_text

#: The folder holding the package: the checkout, or site-packages once installed.
PROJECT_ROOT = resources.SOURCE_ROOT
#: Where the report's templates and style.css live: the checkout's templates/, or the copy
#: a wheel carries inside the package (see ``reportgen.resources``).
TEMPLATES_DIR = resources.TEMPLATES_DIR


@functools.lru_cache(maxsize=4)
def environment(templates_dir=None):
    """The report's Jinja2 environment (cached per templates directory)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir or TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,  # keep the newline after a block tag: it separates sentences
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["equation"] = equation
    env.filters.update(pct=pct, pm=pm, sci=sci, num=num, plain=plain, cell=cell, words=words, equation=equation_block,
                       inline_equation=inline_equation_block, alt_text=alt_text,
                       highlight=highlight)
    return env


def render_html(template_name, context, templates_dir=None):
    """Render ``templates/<template_name>`` with ``context`` (a mapping) to HTML text.

    Raises jinja2 errors (``UndefinedError`` for a missing variable, ``TemplateNotFound``...)
    and :class:`~reportgen.report.maths.EquationError` for an equation mathtext cannot render.
    """
    return environment(templates_dir).get_template(template_name).render(**dict(context))
