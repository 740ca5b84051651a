"""``reportgen build``: a pipeline of steps, each a function with a clear input and output.

    load config -> run experiments (cache) -> gradient checks -> figures -> render -> write

Every step is timed. Outputs are written atomically and only once everything they need
succeeded, so a failed build leaves the previous report in place. When nothing that goes
into the report changed (results, figures, templates, report code, metadata, date), the
render step is skipped and the existing files are kept.

``reportgen watch`` asks for the HTML first (``html_first``): it is written as soon as it is
made, and the PDF when it is laid out, after it; a build whose inputs changed meanwhile
gives its PDF up (``superseded``) for the next build.
"""
import contextlib
import dataclasses
import datetime
import hashlib
import json
import os
import shlex
import time
from pathlib import Path

from .. import i18n, keys, processes, results as results_api
from ..atomic import atomic_write_bytes, atomic_write_text
from ..experiments import (bounds, config as experiment_config, engines,
                           overrides as overrides_module)
from ..experiments.engine_check import cached_checks
from ..experiments.gradchecks import gradient_checks
from ..experiments.runner import compute as run_experiments, write_results
from ..layout import OutputLayout
from . import listings

TEMPLATE = "report.html.j2"
FACTS_SCHEMA = results_api.FACTS_SCHEMA
FORMATS = ("html", "pdf")


class BuildError(Exception):
    """A problem with the inputs of the build (reported like a config error)."""


class Superseded(Exception):
    """The build gave up its PDF: its inputs changed while it was laid out (``superseded``)."""


@dataclasses.dataclass
class BuildReport:
    paths: list
    stages: list  # (name, seconds, detail)
    up_to_date: bool
    since: str | None = None    # one line: what changed since the previous build


class _Stages:
    def __init__(self):
        self.items = []

    def timed(self, name, func, *args, **kwargs):
        start = time.perf_counter()
        value = func(*args, **kwargs)
        self.items.append([name, time.perf_counter() - start, ""])
        return value

    def note(self, detail):
        self.items[-1][2] = detail


def needs():
    """{experiment: [(section, Needs)]}: what the sections read from each experiment."""
    from .sections import SECTIONS

    table = {}
    for section in SECTIONS:
        for name, need in section.needs.items():
            table.setdefault(name, []).append((section, need))
    return table


def load_inputs(experiments_dir, quick=False, allow_large=False, overrides=(), engine=None):
    """Validated experiments, report metadata and the code the report lists of ``engine``
    (an ``engines.Engine``; None: reportgen's own) (``listings.EngineCode``); raises
    ConfigError or BuildError.

    Besides each file's own validation, the experiments the sections read must have the
    shape they read (both data sets, the swept fields), so that a build never fails after
    training, and (unless ``allow_large``) their estimated work and memory must be within
    the limits of ``experiments/bounds.py``. Returns the experiments the sections read, in
    the order they first need them.

    ``overrides`` (``--set``, ``experiments/overrides.py``) are applied to every experiment
    the sections read; a problem they cause names them (``OverrideError``, a ConfigError).
    """
    experiments = experiment_config.load_all(experiments_dir)
    by_name = {e.name: e for e in experiments}
    required = needs()
    missing = [n for n in required if n not in by_name]
    if missing:
        raise BuildError(f"{experiments_dir}: the report needs the experiment file "
                         f"{missing[0]}.toml (missing: {', '.join(missing)})")
    _check_sections(experiments)
    meta = experiment_config.load_report_metadata(experiments_dir)
    meta = {**meta, "date": meta["date"] or report_date()}
    code = listings.load(experiments_dir, *((engine.module, engine.builtin) if engine else ()))
    if engine is not None:      # named as given (a file's module has a name of reportgen's)
        code = dataclasses.replace(code, engine=engine.name)
    try:
        read = [overrides_module.apply(by_name[n], overrides) for n in required]
        for experiment, uses in zip(read, required.values()):
            for section, need in uses:
                _check_shape(experiment, need)
        _check_seeds(read)
        if not allow_large:
            for experiment in read:
                bounds.check(experiment, quick)
    except (BuildError, experiment_config.ConfigError) as error:
        raise overrides_module.wrap(overrides, error) from None
    return read, meta, code


def load_own(experiments_dir, meta, templates_option=None):
    """The student's own: (the templates folder laid over the built-in one, or None; the
    prose, ``{name: prose.Prose}``), checked before anything is trained. The folder is
    ``--templates`` (``templates_option``), else report.toml's ``[report] templates``; each
    of its templates must replace a built-in one. Raises ConfigError or BuildError."""
    from . import prose
    from .sections import SECTIONS
    from .templates import TemplatesError, check_overrides

    if templates_option is not None:
        folder, where = Path(templates_option), "--templates"
    else:
        folder = experiment_config.report_templates(experiments_dir, meta)
        where = None
    if folder is not None:
        try:
            check_overrides(folder, where or "report.templates")
        except TemplatesError as error:
            if where:
                raise BuildError(str(error)) from None
            raise experiment_config.ConfigError(
                Path(experiments_dir) / experiment_config.REPORT_FILE, None, str(error)) from None
    prose.check(meta["abstract"], Path(experiments_dir) / experiment_config.REPORT_FILE)
    return folder, prose.load(experiments_dir, [s.id for s in SECTIONS])


def report_date(environ=None):
    """The report's date where report.toml gives none: the day (UTC) of ``SOURCE_DATE_EPOCH``
    when it is set, as reproducible builds ask (two builds of the same inputs then give the
    same bytes, whatever the day), else today. A malformed value is a BuildError."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return datetime.date.today().isoformat()
    try:
        seconds = int(value)
        if seconds < 0:
            raise ValueError
        return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).date().isoformat()
    except (ValueError, OverflowError, OSError):
        raise BuildError(f"SOURCE_DATE_EPOCH (environment): must be a whole number of seconds "
                         f"since 1970-01-01 00:00 UTC, like `date +%s` prints, got {value!r}") \
            from None


def _check_seeds(experiments):
    """The report states one number of seeds for every setting: its experiments agree."""
    first = experiments[0]
    for experiment in experiments[1:]:
        if experiment.seeds != first.seeds:
            raise BuildError(f"{experiment.path}: seeds: the report runs every experiment "
                             f"over the same seeds; {first.path.name} has {first.seeds}, "
                             f"this file {experiment.seeds}")


def _check_sections(experiments):
    """An experiment's ``section`` names a section or part of the report (or is empty)."""
    from .document import outline

    known = outline()
    for experiment in experiments:
        if experiment.section and experiment.section not in known:
            raise BuildError(f"{experiment.path}: section: no section or part "
                             f"{experiment.section!r} in the report; known: "
                             + ", ".join(known))


def _check_shape(experiment, need):
    where = experiment.path
    if sorted(experiment.datasets) != ["linear", "xor"]:
        raise BuildError(f"{where}: datasets: the report needs both 'linear' and 'xor', got "
                         f"{list(experiment.datasets)}")
    if len(experiment.settings) < need.least:
        raise BuildError(f"{where}: the report needs at least {need.least} settings here, got "
                         f"{len(experiment.settings)}")
    for field in need.fields:
        for setting in experiment.settings:
            if field not in setting.overrides:
                raise BuildError(f"{where}: {field}: the report needs every setting to set it "
                                 f"(in [sweep] or a [[variant]]); {setting.label!r} does not")
    problem = need.check(experiment) if need.check else None
    if problem:
        raise BuildError(f"{where}: {problem}")


@dataclasses.dataclass
class _Build:
    """What the stages of one build share: its options, and what each stage made."""

    experiments_dir: Path
    #: the --experiments of the command that rebuilds this report (None: not given)
    experiments_option: str | None
    layout: OutputLayout
    quick: bool
    jobs: int | None
    formats: tuple
    templates_dir: Path | None
    pdf_variant: str
    html_first: object = None   # called with the HTML's path once it is written, before the PDF
    superseded: object = None   # asked while the PDF is laid out whether to give it up
    overrides: tuple = ()       # --set, applied to the experiments
    engine_option: str | None = None   # --engine, as given
    engine: object = None       # the engines.Engine the report trains with
    engine_checks: list = None  # what reportgen check found (a foreign engine's only)
    stages: _Stages = dataclasses.field(default_factory=_Stages)
    results: dict = None        # ExperimentResults by name
    unwritten: list = None      # results files still to write
    document: object = None     # the Document: sections, facts, figures, tables
    keys: dict = None           # {"facts": key, "report": key}
    prose: dict = None          # {name: prose.Prose}: the student's own words

    @property
    def paths(self):
        return [self.layout.report(fmt) for fmt in FORMATS if fmt in self.formats]


def build(experiments_dir="experiments", out="output", quick=False, jobs=None, formats=FORMATS,
          show_progress=True, templates_dir=None, allow_large=False, writing=None,
          pdf_variant=None, html_first=None, superseded=None, overrides=(), engine=None,
          lang=None):
    """Run the whole pipeline; returns a BuildReport (``experiments_dir`` None: the default
    report's experiment files, shipped with reportgen; ``templates_dir``: default
    ``templates/``; ``allow_large``: past the work and memory limits too; ``pdf_variant``: one
    of ``pdf.VARIANTS``, default PDF/UA-1).

    ``writing``, if given, is a context manager held from the end of the config's validation
    (a config mistake writes nothing) to the end of the build: the CLI's output lock.

    ``html_first``, if given, is called with the HTML report's path as soon as it is written,
    which is then before the PDF is done (the PDF and the other outputs follow; a PDF that
    fails leaves the new HTML beside the previous PDF, and the next build renders both).
    ``superseded``, if given, is called every 50 ms while the PDF is laid out in its
    process: if it returns true, the PDF is given up and ``Superseded`` raised (the HTML is
    written by then; nothing else is).

    ``overrides`` (``--set``): applied to every experiment; the whole report then goes to
    their own folder, ``<out>/overrides/<name>/`` (``overrides.folder``), and its appendix
    gives them in the command that rebuilds it.

    ``engine`` (``--engine``): the engine to train with, a module or a .py file, instead of
    report.toml's ``[engine]`` (``experiments/engines.py``). A foreign engine is checked
    first (``reportgen check``; the appendix shows the checks).

    ``lang`` (``--lang``): the language the report is written in (``reportgen.i18n``),
    instead of report.toml's ``[report] lang``."""
    if lang is not None:
        try:
            i18n.check(lang)
        except i18n.LanguageError as error:
            raise BuildError(str(error)) from None
    with contextlib.ExitStack() as stack:
        return _build(stack, experiments_dir, out, quick, jobs, formats, show_progress,
                      templates_dir, allow_large, writing, pdf_variant, html_first, superseded,
                      tuple(overrides), engine, lang)


def _build(stack, experiments_dir, out, quick, jobs, formats, show_progress, templates_dir,
           allow_large, writing, pdf_variant, html_first=None, superseded=None, overrides=(),
           engine=None, lang=None):
    from ..resources import EXPERIMENTS_DIR
    from .pdf import DEFAULT_VARIANT, VARIANTS

    pdf_variant = pdf_variant or DEFAULT_VARIANT
    if pdf_variant not in VARIANTS:
        raise BuildError(f"--pdf-variant: must be one of {', '.join(VARIANTS)}, "
                         f"got {pdf_variant!r}")

    option = None if experiments_dir is None or Path(experiments_dir) == Path("experiments") \
        else Path(experiments_dir).as_posix()
    experiments_dir = EXPERIMENTS_DIR if experiments_dir is None else experiments_dir
    out = overrides_module.folder(out, overrides)
    b = _Build(Path(experiments_dir), option, OutputLayout.of(out, quick), quick, jobs,
               tuple(formats), templates_dir, pdf_variant, html_first, superseded, overrides,
               engine)
    b.engine = b.stages.timed("load engine", engines.resolve, experiments_dir, engine)
    b.stages.note(b.engine.name)
    experiments, meta, code = b.stages.timed("load config", load_inputs, experiments_dir,
                                             quick, allow_large, overrides, b.engine)
    meta = _in_language(meta, lang)
    stack.enter_context(i18n.language(meta["lang"]))
    b.templates_dir, b.prose = b.stages.timed("load prose", load_own, experiments_dir, meta,
                                              templates_dir)
    b.stages.note(f"{sum(map(bool, b.prose.values()))} prose files"
                  + (f"; templates: {Path(b.templates_dir).as_posix()}"
                     if b.templates_dir is not None else ""))
    if writing is not None:
        stack.enter_context(writing)
    if overrides:
        overrides_module.record(out, overrides)
    if not b.engine.builtin:
        b.engine_checks = b.stages.timed("engine checks", cached_checks, b.engine,
                                         b.layout.engine_check)
        b.stages.note(f"{len(b.engine_checks)} checks: "
                      f"{sum(c.passed is False for c in b.engine_checks)} failed")
    b.results, stats, b.unwritten = b.stages.timed("experiments", run_experiments, experiments,
                                                   out, jobs, quick, False, show_progress,
                                                   b.engine)
    b.stages.note(f"{stats.planned} runs: {stats.trained} trained, {stats.cached} from cache")
    since = _since_previous(b, out)   # before any results file is replaced
    checks = (b.stages.timed("gradient checks", gradient_checks, b.layout)
              if b.engine.builtin else [])
    b.document = _document(b, meta, code, checks)
    planned = b.document.figures()
    from . import figure_plan

    # The figures are drawn in other processes while this one renders the page.
    with b.stages.timed("figures", figure_plan.start, planned, b.results, b.layout.figures,
                        jobs) as drawing:
        b.stages.note(f"{len(planned)} figures: {len(drawing.drawn)} drawn, "
                      f"{len(planned) - len(drawing.drawn)} reused")
        b.keys = _output_keys(b, drawing)
        if _up_to_date(b):
            write_results(b.unwritten, b.layout.dir)
            drawing.finish()
            b.stages.items.append(["render", 0.0, "nothing changed: report up to date"])
            _lay_out_ahead(b, drawing)
            return BuildReport(b.paths, b.stages.items, True, since)
        written = _render(b, b.document.context(drawing.refs), drawing)
    b.stages.timed("write", _write_outputs, b, written)
    return BuildReport(b.paths, b.stages.items, False, since)


def _in_language(meta, lang):
    """``meta`` with ``lang`` (``--lang``, None: report.toml's) as the report's language; the
    page's language tag follows it unless report.toml gives one of its own."""
    if lang is None or lang == meta["lang"]:
        return meta
    follows = meta["language"] == meta["lang"]
    return {**meta, "lang": lang, "language": lang if follows else meta["language"]}


def _document(b, meta, code, checks):
    """The report's sections with their inputs (facts are computed when first asked for)."""
    from .document import Document
    from .facts import SweepFacts
    from .sections.base import Inputs

    command = " ".join(["reportgen build"] + (["--quick"] if b.quick else []) +
                       [f"--set {shlex.quote(o.text)}" for o in b.overrides] +
                       ([f"--engine {shlex.quote(b.engine_option)}"] if b.engine_option else []) +
                       ([f"--experiments {b.experiments_option}"] if b.experiments_option else []))
    provenance = b.results["main"].data["provenance"]   # collected once, by the runner
    sweeps = {name: SweepFacts(res) for name, res in b.results.items()}
    inputs = Inputs(b.results, sweeps, checks, provenance, meta, b.quick, command,
                    b.layout.results.as_posix(), b.experiments_dir.as_posix(), code,
                    engine=b.engine, engine_checks=b.engine_checks)
    b.facts_key = _facts_key(inputs)
    known = _LAST_FACTS.get(b.facts_key)
    document = Document(inputs, prose=getattr(b, "prose", None), known_facts=known)
    _LAST_FACTS.clear()
    _LAST_FACTS[b.facts_key] = document.computed_facts()
    return document


#: {facts key: the sections' facts} of this process's last build: a build whose facts key is
#: the same (``reportgen watch`` after a template or prose edit) computes none of them again
#: (about half a second: the sections' facts train the demo's network, among others)
_LAST_FACTS = {}


def _facts_key(inputs):
    """The key of the facts (``reportgen.keys``): they are made from the results, gradient
    checks, metadata, provenance (but the time it was collected) and the engine's code the
    report lists."""
    return keys.key("facts", [
        {name: res.data["digest"] for name, res in inputs.results.items()}, inputs.gradchecks,
        {k: v for k, v in inputs.provenance.items() if k != "started_at"}, inputs.meta,
        inputs.quick, inputs.command, inputs.results_dir, inputs.experiments_dir,
        dataclasses.asdict(inputs.code), inputs.engine and inputs.engine.name,
        [c.to_data() for c in inputs.engine_checks or []]])


def _output_keys(b, drawing):
    """The keys of the facts (``_facts_key``) and of the report (``reportgen.keys``): the
    report is made from the facts, the figures, the templates, the formats asked for and the
    PDF's variant."""
    facts = b.facts_key
    report = keys.key("report", [facts, sorted(b.formats), b.pdf_variant, drawing.keys,
                                 {k: v.src for k, v in drawing.refs.items()},
                                 _templates_digest(b.templates_dir),
                                 _prose_texts(b)])
    return {"facts": facts, "report": report}


def _prose_texts(b):
    """{name: text} of the prose files that add something to the report."""
    return {name: p.text for name, p in (getattr(b, "prose", None) or {}).items() if p}


def _templates_digest(templates_dir):
    """The digest of every file of the templates folders (one's own, then the built-in)."""
    from .templates import folders

    digest = hashlib.sha256()
    for templates in folders(templates_dir):
        for path in sorted(Path(templates).rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(templates)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _up_to_date(b):
    """Whether the report files and facts on disk were written under these very keys."""
    try:
        state = json.loads(b.layout.build_state.read_text())
        facts = json.loads(b.layout.facts.read_text())
    except (OSError, ValueError):
        return False
    return (isinstance(state, dict) and state == b.keys and isinstance(facts, dict)
            and facts.get("schema") == FACTS_SCHEMA and facts.get("key") == b.keys["facts"]
            and isinstance(facts.get("sections"), dict)
            and all(_whole(path) for path in b.paths))


#: how each report file ends when it was written whole
_ENDINGS = {".html": b"</html>", ".pdf": b"%%EOF"}


def _whole(path):
    """Whether the report file ``path`` was written whole (it ends as its format does)."""
    try:
        with open(path, "rb") as f:
            f.seek(0, 2)
            f.seek(max(f.tell() - 64, 0))
            return f.read().rstrip().endswith(_ENDINGS[path.suffix])
    except OSError:
        return False


def _render(b, context, drawing):
    """The report files' bytes by format, made while the figures are being drawn: the page
    is rendered meanwhile; the PDF, which needs the PNGs, is laid out in a second process
    as soon as they are written, while this process writes the results files (nothing here
    reads them), waits for the SVGs and embeds them in the HTML.

    The PDF's process is started before the page is rendered, so that it loads WeasyPrint
    meanwhile (``pdf.warm_up``: about 1 s of a cold build's critical path). With a single
    job, or no PDF to make, the PDF is made in this process, when it is asked for.

    The page is checked for external references once, here, by the HTML's embedding
    (``embed.check_html``, a quarter of a second): the PDF's process lays out the very same
    page and does not check it again, unless no HTML is made.

    ``reportgen watch`` (``html_first``) lays the PDF out in its own process, after the HTML
    is written: the process keeps each chapter's layout (``report.parts``), so that the next
    build lays out again only the chapters that changed; it checks between chapters whether
    the build was superseded."""
    from .pdf import warm_up

    stages, formats, out, templates_dir = b.stages, b.formats, b.layout.dir, b.templates_dir
    kept_here = b.html_first is not None
    second = "pdf" in formats and processes.job_count(b.jobs) > 1 and not kept_here
    between = _superseding(b.superseded) if kept_here else None
    with processes.background(second) as pdf_process:
        if second:
            pdf_process.submit(warm_up, templates_dir, b.pdf_variant)   # a failure shows again
        page = stages.timed("render html", _render_page, context, templates_dir,
                            b.layout.equations)
        stages.note(page.detail)
        stages.timed("figures: png", drawing.wait_png)
        count = stages.timed("glyphs", _check_glyphs, b, page if "pdf" in formats else None,
                             drawing)
        stages.note(f"{count} characters, each in a font" if count else "figures only")
        pdf = (pdf_process.submit(_pdf, str(page), out, templates_dir, "html" not in formats,
                                  b.pdf_variant, b.layout.pdf_pages, between)
               if "pdf" in formats else None)
        stages.timed("results files", write_results, b.unwritten, out)
        stages.timed("figures: svg", drawing.finish)
        written = {}
        if "html" in formats:
            written["html"] = stages.timed("embed html", _embed, str(page), out, "svg",
                                           templates_dir).encode()
            if b.html_first is not None:
                path = b.layout.report("html")
                stages.timed("write html", atomic_write_bytes, path, written.pop("html"))
                b.html_first(path)
        if pdf is not None:
            written["pdf"] = stages.timed("render pdf", _wait, pdf, b.superseded)
            if second and processes.can_fork():
                stages.note("laid out in a second process, alongside the stages above")
            elif kept_here:
                stages.note("the chapters that did not change were laid out by the last build")
    return written


def _lay_out_ahead(b, drawing):
    """In ``reportgen watch`` (``html_first``), when its first build finds the report up to
    date: say the HTML is there, then lay the PDF out and keep its chapters' layouts (the
    file is not written again), so that the first edit lays out only its chapter. An edit
    meanwhile stops this between two chapters."""
    from . import parts

    if b.html_first is None or "pdf" not in b.formats or not parts.LAYOUTS.empty():
        return
    b.html_first(b.layout.report("html"))
    page = _render_page(b.document.context(drawing.refs), b.templates_dir, b.layout.equations)
    try:
        _pdf(str(page), b.layout.dir, b.templates_dir, False, b.pdf_variant, b.layout.pdf_pages,
             _superseding(b.superseded))
    except Superseded:
        pass


def _check_glyphs(b, page, drawing):
    """Stop the build (a BuildError: exit 2), before any report file is written, if a
    character of the page (None: no PDF is made) or of a figure has no font to draw it
    (``glyphs``). Notes how many characters were checked."""
    from . import glyphs
    from ..experiments.config import REPORT_FILE

    meta = b.document.inputs.meta if b.document is not None else {}
    try:
        count = glyphs.check(page, meta=meta, prose=list((b.prose or {}).values()),
                             figures=glyphs.figure_notes(b.layout.figures,
                                                         getattr(drawing, "refs", {})),
                             templates_dir=b.templates_dir,
                             report_toml=(Path(b.experiments_dir) / REPORT_FILE).as_posix())
    except glyphs.MissingGlyphs as error:
        raise BuildError(str(error)) from None
    return count


def _superseding(superseded):
    """A function to call between the PDF's chapters: it raises ``Superseded`` when
    ``superseded()`` (if given) says the build's inputs changed."""
    def between():
        if superseded is not None and superseded():
            raise Superseded("the inputs changed while the PDF was laid out")
    return between


def _wait(call, superseded):
    """The call's value; ``superseded()`` is asked every 50 ms meanwhile, and if it answers
    true the call is given up (``Superseded``; leaving ``processes.background`` stops it)."""
    check = _superseding(superseded)
    while not call.done(0.05):
        check()
    return call.result()


class _Page(str):
    """The rendered page, and what its rendering did (``detail``: the equations)."""

    detail = ""


def _render_page(context, templates_dir, equations):
    from . import maths
    from .document import check_order
    from .spacing import spaced
    from .templates import render_html

    with maths.stored_in(equations) as store:
        page = _Page(spaced(render_html(TEMPLATE, context, templates_dir=templates_dir)))
    check_order(page)
    count = len(store.used)
    page.detail = (f"{count} equation{'' if count == 1 else 's'}: {store.rendered} rendered, "
                   f"{count - store.rendered} from the store")
    return page


def _embed(page, out, prefer, templates_dir):
    from .embed import embed

    return embed(page, out, prefer=prefer, templates_dir=templates_dir)


def _pdf(page, out, templates_dir, check=True, variant=None, counts_path=None, between=None):
    """The PDF (``variant``: default PDF/UA-1) takes the PNG figures (170 dpi): WeasyPrint lays
    out the SVGs' thousands of paths far more slowly, for no visible gain at print size. It
    reads them from their files, all written by now, rather than decoding them from data URIs
    in the page. ``check``: whether to check the page for external references (not when the
    HTML's embedding checks the same page). ``counts_path``, ``between``: ``pdf.pdf_bytes``'s."""
    processes.import_deferring_interrupts("weasyprint")
    from .embed import embed
    from .pdf import DEFAULT_VARIANT, pdf_bytes

    return pdf_bytes(embed(page, out, prefer="png", templates_dir=templates_dir,
                           link_images=True, checked=not check), out,
                     variant=variant or DEFAULT_VARIANT, counts_path=counts_path,
                     between=between)


def _write_outputs(b, written):
    """Write every output only after all of them were produced in memory; the keys they
    were made under last."""
    facts = {"schema": FACTS_SCHEMA, "key": b.keys["facts"],
             "profile": "quick" if b.quick else "full", "sections": b.document.facts_data()}
    atomic_write_text(b.layout.facts, json.dumps(facts, indent=1, allow_nan=False))
    for fmt, data in written.items():
        atomic_write_bytes(b.layout.report(fmt), data)
    atomic_write_text(b.layout.build_state, json.dumps(b.keys))


def _since_previous(b, out):
    """Keep the results files the build is about to replace under ``previous/results`` and
    say in one line what changed since then (``reportgen.diff``)."""
    from .. import diff

    command = " ".join(["reportgen diff"] + (["--quick"] if b.quick else []) +
                       ([f"--out {Path(out).as_posix()}"] if Path(out) != Path("output") else []))
    try:
        return diff.summary_line(diff.since_previous(b.layout, b.results, b.unwritten), command)
    except diff.DiffError as error:
        return f"Since the previous build: cannot compare ({error})"
