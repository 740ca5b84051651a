"""``reportgen build``: a pipeline of steps, each a function with a clear input and output.

    load config -> run experiments (cache) -> gradient checks -> figures -> render -> write

Every step is timed. Outputs are written atomically and only once everything they need
succeeded, so a failed build leaves the previous report in place. When nothing that goes
into the report changed (results, figures, templates, report code, metadata, date), the
render step is skipped and the existing files are kept.
"""
import contextlib
import dataclasses
import datetime
import functools
import hashlib
import json
import os
import time
from pathlib import Path

from .. import processes, results as results_api
from ..atomic import atomic_write_bytes, atomic_write_text
from ..experiments import config as experiment_config
from ..experiments.gradchecks import gradient_checks
from ..experiments.runner import compute as run_experiments, profile_dir, write_results

TEMPLATE = "report.html.j2"
FACTS_SCHEMA = results_api.FACTS_SCHEMA
FORMATS = ("html", "pdf")


class BuildError(Exception):
    """A problem with the inputs of the build (reported like a config error)."""


@dataclasses.dataclass
class BuildReport:
    paths: list
    stages: list  # (name, seconds, detail)
    up_to_date: bool


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


def load_inputs(experiments_dir):
    """Validated experiments and report metadata; raises ConfigError or BuildError.

    Besides each file's own validation, the experiments the sections read must have the
    shape they read (both data sets, the swept fields), so that a build never fails after
    training. Returns the experiments the sections read, in the order they first need them.
    """
    experiments = experiment_config.load_all(experiments_dir)
    by_name = {e.name: e for e in experiments}
    required = needs()
    missing = [n for n in required if n not in by_name]
    if missing:
        raise BuildError(f"{experiments_dir}: the report needs the experiment file "
                         f"{missing[0]}.toml (missing: {', '.join(missing)})")
    for name, uses in required.items():
        for section, need in uses:
            _check_shape(by_name[name], need)
    meta = experiment_config.load_report_metadata(experiments_dir)
    return [by_name[n] for n in required], meta


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


def _inputs_digest(templates_dir, parts):
    from . import render

    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode())
    templates = Path(templates_dir or render.TEMPLATES_DIR)
    package = Path(__file__).resolve().parent.parent
    code = sorted(Path(__file__).parent.glob("*.py")) + [package / "results.py"]
    for path in sorted(templates.rglob("*")) + code:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def build(experiments_dir="experiments", out="output", quick=False, jobs=None, formats=FORMATS,
          show_progress=True, templates_dir=None):
    """Run the whole pipeline; returns a BuildReport (``templates_dir``: default ``templates/``)."""
    stages = _Stages()
    experiments, meta = stages.timed("load config", load_inputs, experiments_dir)
    results, stats, unwritten = stages.timed("experiments", run_experiments, experiments, out,
                                             jobs, quick, False, show_progress)
    stages.note(f"{stats.planned} runs: {stats.trained} trained, {stats.cached} from cache")
    out = profile_dir(out, quick)
    checks = stages.timed("gradient checks", gradient_checks, out)

    from . import figure_plan
    from .document import Document
    from .facts import SweepFacts
    from .sections.base import Inputs

    prov = results["main"].data["provenance"]   # collected once, by the runner
    today = datetime.date.today().isoformat()
    meta = {**meta, "date": meta["date"] or today}
    command = " ".join(["reportgen build"] + (["--quick"] if quick else []) +
                       ([f"--experiments {experiments_dir}"]
                        if Path(experiments_dir) != Path("experiments") else []))
    document = Document(Inputs(results, {name: SweepFacts(res) for name, res in results.items()},
                               checks, prov, meta, quick, command))
    planned = document.figures()
    # The figures are drawn in other processes while this one renders the page.
    with stages.timed("figures", figure_plan.start, planned, results, out / "figures",
                      jobs) as drawing:
        stages.note(f"{len(planned)} figures: {len(drawing.drawn)} drawn, "
                    f"{len(planned) - len(drawing.drawn)} reused")
        state_path = out / "cache" / "build.json"
        digest = _inputs_digest(templates_dir, [
            sorted(formats), quick, meta, today,
            {n: figure_plan.results_digest(r) for n, r in results.items()},
            {k: v.src for k, v in drawing.refs.items()},
            drawing.keys, prov["git_commit"], prov["git_dirty"]])
        paths = [out / f"report.{fmt}" for fmt in FORMATS if fmt in formats]
        if _read_state(state_path) == digest and all(p.exists() for p in paths + [out / "facts.json"]):
            write_results(unwritten, out)
            drawing.finish()
            stages.items.append(["render", 0.0, "nothing changed: report up to date"])
            return BuildReport(paths, stages.items, True)

        context = document.context(drawing.refs)
        written = _render(stages, context, drawing, unwritten, out, formats, jobs, templates_dir)
        facts = json.dumps({"schema": FACTS_SCHEMA, "profile": "quick" if quick else "full",
                            "sections": document.facts_data()}, indent=1, allow_nan=False)
    stages.timed("write", _write_outputs, written, facts, out)
    atomic_write_text(state_path, digest)
    return BuildReport(paths, stages.items, False)


def _render(stages, context, drawing, unwritten, out, formats, jobs, templates_dir):
    """The report files' bytes by format, made while the figures are being drawn: the page
    is rendered meanwhile; the PDF, which needs the PNGs, is laid out in a second process
    as soon as they are written, while this process writes the results files (nothing here
    reads them), waits for the SVGs and embeds them in the HTML."""
    with _pdf_process(formats, jobs, templates_dir) as pdf_process:
        page = stages.timed("render html", _render_page, context, templates_dir)
        stages.timed("figures: png", drawing.wait_png)
        pdf = _start_pdf(pdf_process, page, out, templates_dir) if "pdf" in formats else None
        stages.timed("results files", write_results, unwritten, out)
        stages.timed("figures: svg", drawing.finish)
        written = {}
        if "html" in formats:
            written["html"] = stages.timed("embed html", _embed, page, out, "svg",
                                           templates_dir).encode()
        if pdf is not None:
            written["pdf"] = stages.timed("render pdf", pdf.result)
            if pdf_process is not None:
                stages.note("laid out in a second process, alongside the stages above")
    return written


def _read_state(path):
    try:
        return path.read_text()
    except OSError:
        return None


def _render_page(context, templates_dir):
    with processes.interrupts_deferred():   # see _pdf
        import matplotlib.mathtext  # noqa: F401  (the equations)
    from .document import check_order
    from .render import render_html

    page = render_html(TEMPLATE, context, templates_dir=templates_dir)
    check_order(page)
    return page


def _embed(page, out, prefer, templates_dir):
    from .render import embed

    return embed(page, out, prefer=prefer, templates_dir=templates_dir)


@contextlib.contextmanager
def _pdf_process(formats, jobs, templates_dir):
    """A second process for the PDF, started before the HTML is rendered so that it loads
    WeasyPrint meanwhile (render.warm_up: about 1 s of a cold build's critical path), then lays
    out the PDF while this one embeds the HTML. None when there is no PDF to make, a single
    job, or no fork: the PDF is then made in this process, when it is asked for. On an error
    or Ctrl-C here, the process is stopped at once, not waited for."""
    if ("pdf" not in formats or (jobs or os.cpu_count() or 1) < 2
            or not processes.can_fork()):
        yield None
        return
    from .render import warm_up

    worker = processes.Worker()
    try:
        worker.submit(warm_up, templates_dir)   # a failure here shows again in the PDF
        yield worker
    finally:
        worker.stop()


class _InProcessCall:
    """A call made when its result is asked for: the PDF's stand-in for a ``processes.Call``
    when there is no PDF process."""

    def __init__(self, func, *args):
        self._call = functools.partial(func, *args)

    def result(self):
        return self._call()


def _start_pdf(pdf_process, page, out, templates_dir):
    """The PDF of ``page`` as a call to ``pdf_process``, or made later in this process."""
    if pdf_process is None:
        return _InProcessCall(_pdf, page, out, templates_dir)
    return pdf_process.submit(_pdf, page, out, templates_dir)


def _pdf(page, out, templates_dir):
    """The PDF takes the PNG figures (170 dpi): WeasyPrint lays out the SVGs' thousands of
    paths far more slowly, for no visible gain at print size. It reads them from their files,
    all written by now, rather than decoding them from data URIs in the page."""
    # A Ctrl-C inside the import of a C extension breaks its initialisation into an
    # ImportError: it is raised once the import is done instead.
    with processes.interrupts_deferred():
        import weasyprint  # noqa: F401
    from .render import embed, pdf_bytes

    return pdf_bytes(embed(page, out, prefer="png", templates_dir=templates_dir,
                           link_images=True), out)


def _write_outputs(written, facts, out):
    """Write every output only after all of them were produced in memory."""
    atomic_write_text(out / "facts.json", facts)
    for fmt, data in written.items():
        atomic_write_bytes(out / f"report.{fmt}", data)
