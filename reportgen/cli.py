"""The ``reportgen`` command line."""
import contextlib
import shutil
import sys
import traceback

import click

from . import __version__
from .cli_options import IntListOption, RegistryChoice


def _default_experiments(ctx, param, value):
    """``--experiments``: ``./experiments`` when not given; where there is no such folder, the
    default report's own experiment files, shipped with reportgen (``None`` stands for them),
    with a note saying so. A folder given on the command line is taken as it is."""
    from pathlib import Path

    if value is not None:
        return value
    if Path("experiments").is_dir():
        return "experiments"
    from .resources import EXPERIMENTS_DIR

    click.echo(f"note: no experiments/ folder here: using the default report's experiment "
               f"files, shipped with reportgen ({EXPERIMENTS_DIR})", err=True)
    return None


experiments_option = click.option(
    "--experiments", "experiments_dir", type=click.Path(file_okay=False), default=None,
    callback=_default_experiments,
    help="Folder of experiment files (*.toml). Default: ./experiments, or where there is "
         "none, the default report's, shipped with reportgen.")


def _check_out(ctx, param, value):
    """``--out`` names a folder: not empty (which would write into the current folder)."""
    if value is not None and not str(value).strip():
        raise click.BadParameter("must name a folder, got ''", ctx, param)
    return value


out_option = click.option("--out", type=click.Path(file_okay=False), default="output",
                          show_default=True, callback=_check_out,
                          help="Where results, cache, figures and report go.")
jobs_option = click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                           help="Parallel processes (default: all cores).")
quick_option = click.option("--quick", is_flag=True,
                            help="Preview profile: few epochs, 2 seeds, cached separately.")
no_wait_option = click.option("--no-wait", is_flag=True,
                              help="If another reportgen is writing the output folder, exit "
                                   "with status 2 instead of waiting for it.")

#: --debug given (to the group or to a command): failures show their full traceback
_debug = {"on": False}


def _set_debug(ctx, param, value):
    # the group's option is read first (and sets it for this invocation), a command's next
    _debug["on"] = value or (ctx.parent is not None and _debug["on"])


debug_option = click.option("--debug", is_flag=True, expose_value=False, is_eager=True,
                            callback=_set_debug,
                            help="On a failure, show the full traceback (a worker's too).")


def show_traceback(error):
    """With --debug, print ``error``'s traceback, with its causes (a worker's traceback)."""
    if _debug["on"]:
        click.echo("".join(traceback.format_exception(error)).rstrip(), err=True)


@contextlib.contextmanager
def writing(out, no_wait):
    """Hold the output folder's lock (``layout.output_lock``) in the block: wait for another
    command writing it, with a message, or with ``--no-wait`` exit with status 2."""
    from .layout import Busy, output_lock

    try:
        lock = output_lock(out, wait=not no_wait,
                           on_wait=lambda busy: click.echo(f"{busy}; waiting…", err=True))
        lock.__enter__()
    except Busy as busy:
        fail(str(busy))
    except OSError as error:
        click.echo(f"error: cannot write under {out}: {error}", err=True)
        sys.exit(1)
    try:
        yield
    finally:
        lock.__exit__(None, None, None)


allow_large_option = click.option(
    "--allow-large", is_flag=True,
    help="Run experiments past the work or memory limit (see experiments/README.md).")
set_option = click.option(
    "--set", "-S", "set_texts", multiple=True, metavar="KEY=VALUE[,VALUE...]",
    help="Override a run-spec field (or seeds) of the experiments without editing them: one "
         "value sets it, several sweep it. Results go to OUT/overrides/<name>/.")


def parse_overrides(texts):
    """The ``--set`` options as overrides; a malformed one exits with status 2."""
    from .experiments import overrides

    try:
        return overrides.parse(texts)
    except overrides.OverrideError as error:
        fail(str(error))


def load_experiments(directory, names=(), quick=False, allow_large=False, overrides=()):
    """Validate every experiment file and report.toml, then pick ``names``, apply the
    ``--set`` overrides to them and check their estimated work and memory against the
    limits (unless ``allow_large``); config errors exit with status 2."""
    from .experiments import ConfigError, bounds, load_all, load_report_metadata
    from .resources import EXPERIMENTS_DIR
    from .experiments import overrides as overriding

    directory = EXPERIMENTS_DIR if directory is None else directory
    try:
        experiments = load_all(directory)
        load_report_metadata(directory)
    except ConfigError as error:
        fail(str(error))
    known = {e.name: e for e in experiments}
    unknown = [n for n in names if n not in known]
    if unknown:
        fail(f"{directory}: no experiment named {unknown[0]!r}; known: {', '.join(known)}")
    chosen = [known[n] for n in names] if names else experiments
    try:
        chosen = [overriding.apply(experiment, overrides) for experiment in chosen]
        if not allow_large:
            for experiment in chosen:
                bounds.check(experiment, quick)
    except ConfigError as error:
        fail(str(overriding.wrap(overrides, error)))
    return chosen


engine_option = click.option(
    "--engine", "engine_value", default=None, metavar="MODULE_OR_PATH",
    help="The engine to train with: an import path, or a .py file (relative to the current "
         "folder); overrides [engine] of report.toml. Default: reportgen's own.")


def load_engine(directory, value):
    """The engine ``--engine`` or the experiments folder's report.toml names (the built-in
    one by default); one that cannot be loaded exits with status 2."""
    from .experiments import ConfigError, engines
    from .resources import EXPERIMENTS_DIR

    try:
        return engines.resolve(EXPERIMENTS_DIR if directory is None else directory, value)
    except (ConfigError, engines.EngineError) as error:
        fail(str(error))


def fail(message):
    """Print one paragraph to stderr and exit with status 2 (bad input)."""
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportgen")
@debug_option
def main():
    """Run the Backpropagation lab's experiments and write its report."""


@main.command()
@click.argument("names", nargs=-1)
@experiments_option
@out_option
@jobs_option
@quick_option
@click.option("--force", is_flag=True, help="Retrain every run, ignoring the cache.")
@set_option
@engine_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@allow_large_option
@no_wait_option
@debug_option
def run(names, experiments_dir, out, jobs, quick, force, set_texts, engine_value, quiet,
        allow_large, no_wait):
    """Run experiments (all by default) and print a summary table of each.

    \b
    reportgen run learning_rate --set lr=0.5,5 --set epochs=2000
    sweeps the learning rate over 0.5 and 5 at 2000 epochs, into OUT/overrides/<name>/."""
    from .experiments import overrides as overriding
    from .experiments.foreign import EngineFault
    from .experiments.runner import run as run_experiments
    from .experiments.summary import format_summary
    from .processes import WorkerError

    overrides = parse_overrides(set_texts)
    experiments = load_experiments(experiments_dir, names, quick, allow_large, overrides)
    engine = load_engine(experiments_dir, engine_value)
    target = overriding.folder(out, overrides)
    try:
        with writing(out, no_wait):
            if overrides:
                overriding.record(target, overrides)
            loaded, stats = run_experiments(experiments, target, jobs, quick, force,
                                            not quiet, engine)
    except KeyboardInterrupt:
        click.echo("interrupted: finished runs are cached", err=True)
        sys.exit(130)
    except OSError as error:
        show_traceback(error)
        click.echo(f"error: cannot write under {out}: {error}", err=True)
        sys.exit(1)
    except EngineFault as error:
        show_traceback(error)
        fail(f"{error}; finished runs are cached")
    except WorkerError as error:
        show_traceback(error)
        click.echo(f"error: training failed: {error}; finished runs are cached", err=True)
        sys.exit(1)
    for name, res in loaded.items():
        click.echo(format_summary(res))
        click.echo()
    from .layout import OutputLayout

    click.echo(f"{stats.planned} runs: {stats.trained} trained in {stats.seconds:.1f} s, "
               f"{stats.cached} from cache. Results in {OutputLayout.of(target, quick).results}")


lang_option = click.option(
    "--lang", default=None, metavar="TAG",
    help="The language the report is written in: en (English) or zh-TW (Traditional "
         "Chinese). Default: report.toml's [report] lang, else en.")
templates_option = click.option(
    "--templates", "templates_dir", type=click.Path(file_okay=False, exists=True), default=None,
    help="Folder of your own templates: a file there replaces the built-in template (or "
         "style.css) of the same name. Default: [report] templates of report.toml, if any.")


def build_failure(error):
    """(one-paragraph message, exit status) of the error a build raised: 2 for bad input
    (a config or build-input mistake), 1 for a build that failed; None for an error no build
    step raises (a bug)."""
    from jinja2 import TemplateError

    from .experiments import ConfigError
    from .experiments.engines import EngineError
    from .experiments.foreign import EngineFault
    from .processes import WorkerError
    from .report.build import BuildError

    if isinstance(error, (ConfigError, BuildError, EngineError)):
        return str(error), 2
    if isinstance(error, EngineFault):
        return f"{error}; the previous report is untouched", 2
    if isinstance(error, TemplateError):
        where = _template_line(error)
        return (f"{where + ': ' if where else ''}the report's templates failed to render "
                f"({type(error).__name__}: {error})"), 1
    if isinstance(error, WorkerError):
        # what failed in a worker process (a figure, the PDF) and why, in one paragraph
        return f"the build failed: {error}", 1
    if isinstance(error, (ValueError, RuntimeError, OSError)):
        # figures, equations, embedding or the PDF failed, or --out cannot be written
        return f"the build failed ({type(error).__name__}: {error})", 1
    return None


def _template_line(error):
    """Where a template failed, as ``templates/x.html.j2:12``: a syntax error's line, else the
    last template line the error went through (None if none is known)."""
    import os

    from jinja2 import TemplateSyntaxError

    if isinstance(error, TemplateSyntaxError) and error.lineno:
        file, line = error.filename or error.name, error.lineno
    else:
        frames = [f for f in traceback.extract_tb(error.__traceback__)
                  if f.filename.endswith(".j2")]
        if not frames:
            return None
        file, line = frames[-1].filename, frames[-1].lineno
    if file is None:
        return None
    relative = os.path.relpath(file)
    return f"{file if relative.startswith('..') else relative}:{line}"


@main.command()
@experiments_option
@out_option
@jobs_option
@quick_option
@click.option("--format", "fmt", type=click.Choice(["pdf", "html", "all"]), default="all",
              show_default=True, help="Which report files to write.")
@click.option("--pdf-variant", type=click.Choice(["pdf/ua-1", "pdf/a-3a"]), default="pdf/ua-1",
              show_default=True,
              help="The PDF's standard: PDF/UA-1 (accessible) or PDF/A-3a (archival, "
                   "accessible); both tagged, with alt text for every image.")
@templates_option
@lang_option
@set_option
@engine_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@allow_large_option
@no_wait_option
@debug_option
def build(experiments_dir, out, jobs, quick, fmt, pdf_variant, templates_dir, lang, set_texts,
          engine_value, quiet, allow_large, no_wait):
    """Run (or load from cache) every experiment and write the report as PDF and HTML
    (with --set, a report of its own under OUT/overrides/<name>/)."""
    from .report.build import build as build_report

    formats = ("html", "pdf") if fmt == "all" else (fmt,)
    overrides = parse_overrides(set_texts)
    try:
        report = build_report(experiments_dir, out, quick, jobs, formats, not quiet,
                              templates_dir=templates_dir, allow_large=allow_large,
                              writing=writing(out, no_wait), overrides=overrides,
                              pdf_variant=pdf_variant, engine=engine_value, lang=lang)
    except KeyboardInterrupt:
        click.echo("interrupted: finished runs are cached; the previous report is untouched",
                   err=True)
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 (what build_failure does not know is raised)
        failure = build_failure(error)
        if failure is None:
            raise
        message, status = failure
        if status == 2:
            fail(message)
        show_traceback(error)
        click.echo(f"error: {message}; the previous report is untouched", err=True)
        sys.exit(status)
    width = max(len(name) for name, _, _ in report.stages)
    for name, seconds, detail in report.stages:
        click.echo(f"  {name:<{width}}  {seconds:6.2f} s  {detail}".rstrip())
    click.echo(f"  {'total':<{width}}  {sum(s for _, s, _ in report.stages):6.2f} s")
    state = "up to date" if report.up_to_date else "written"
    for path in report.paths:
        click.echo(f"Report {state}: {path}")
    if report.since:
        click.echo(report.since)


@main.command()
@experiments_option
@out_option
@jobs_option
@click.option("--quick", is_flag=True,
              help="Serve the quick preview (output/quick/) rather than the full report.")
@templates_option
@lang_option
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port to serve on, on 127.0.0.1 (0: a free one, printed).")
@set_option
@engine_option
@allow_large_option
@debug_option
def watch(experiments_dir, out, jobs, quick, templates_dir, lang, port, set_texts, engine_value,
          allow_large):
    """Build the report, serve it on 127.0.0.1 and build it again whenever an experiment,
    a template, report.toml, prose or the code changes; the open page reloads itself.
    Ctrl-C stops it (exit status 0)."""
    from .report.templates import TEMPLATES_DIR
    from .watch import CannotServe, Options, run as run_watch

    def describe(error):
        failure = build_failure(error)
        if failure is None or _debug["on"]:
            # not an error a build step raises: a bug, perhaps in code being edited
            click.echo("".join(traceback.format_exception(error)).rstrip(), err=True)
        return failure[0] if failure else f"the build failed ({type(error).__name__}: {error})"

    if templates_dir is None:       # report.toml's [report] templates, as it is now
        from .experiments import ConfigError
        from .experiments.config import report_templates
        from .resources import EXPERIMENTS_DIR

        try:
            templates_dir = report_templates(experiments_dir or EXPERIMENTS_DIR)
        except ConfigError:
            templates_dir = None    # the builds show the mistake
    options = Options(experiments_dir, out, quick, jobs, templates_dir or TEMPLATES_DIR,
                      allow_large, port, parse_overrides(set_texts), engine_value, lang)
    try:
        run_watch(options, writing=lambda: writing(out, False), describe=describe,
                  echo=click.echo)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
        sys.exit(0)
    except CannotServe as error:
        fail(f"--port {port}: {error}")


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite the files of the project that exist.")
def init(directory, force):
    """Make a lab project in DIRECTORY (default: here): experiments/ with report.toml,
    prose/ for your own words, and a README.md; `reportgen build` there builds its report.
    Existing files are not overwritten (exit 2, naming them) unless --force."""
    from pathlib import Path

    from .project import init as make_project

    try:
        written = make_project(directory, force)
    except FileExistsError as error:
        there = error.args[0]
        shown = ", ".join(there[:5]) + (f" and {len(there) - 5} more" if len(there) > 5 else "")
        fail(f"{directory}: {len(there)} of the project's files exist already ({shown}); "
             f"nothing was written; --force overwrites them")
    except OSError as error:
        click.echo(f"error: cannot write under {directory}: {error}", err=True)
        sys.exit(1)
    click.echo(f"{len(written)} files written in {directory}: experiments/ (report.toml: the "
               f"title page), prose/ (your own words), README.md")
    where = "" if Path(directory).resolve() == Path.cwd().resolve() else f"cd {directory} && "
    click.echo(f"Next: {where}reportgen build --quick  (a preview), then reportgen build")


@main.command("list")
@experiments_option
@out_option
@allow_large_option
def list_experiments(experiments_dir, out, allow_large):
    """Show the experiments, their sizes, estimated work and memory, and what the cache
    holds."""
    from .experiments import bounds
    from .experiments.runner import cached_count, plan

    experiments = load_experiments(experiments_dir, allow_large=allow_large)
    rows = [("experiment", "settings", "data sets", "seeds", "runs", "work", "memory", "cached",
             "quick cached", "section")]
    for e in experiments:
        full, quick = plan([e]), plan([e], quick=True)
        estimate = bounds.estimate(e)
        rows.append((e.name, str(len(e.settings)), ",".join(e.datasets), str(e.seeds),
                     str(len(full)), f"{estimate.work:.2g}", bounds.format_bytes(estimate.memory),
                     f"{cached_count(full, out)}/{len({p.key for p in full})}",
                     f"{cached_count(quick, out, True)}/{len({p.key for p in quick})}",
                     e.section or "—"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


@main.command()
@out_option
@click.option("--cache", "with_cache", is_flag=True, help="Also remove the run cache.")
@no_wait_option
def clean(out, with_cache, no_wait):
    """Remove build outputs (results, figures, report, and those of the quick preview and of
    the --set folders); --cache removes the caches too."""
    from pathlib import Path

    from .experiments import overrides
    from .layout import OutputLayout

    removed = []
    if not Path(out).is_dir():
        click.echo("nothing to remove")
        return
    with writing(out, no_wait):
        for layout in (OutputLayout.of(out), OutputLayout.of(out, quick=True)):
            removed += _remove(layout.outputs() + ([layout.cache] if with_cache else []))
        # the --set folders: their outputs, or all of them with the caches
        overridden = Path(out) / overrides.FOLDER
        if with_cache:
            removed += _remove([overridden])
        elif overridden.is_dir():
            for folder in sorted(p for p in overridden.iterdir() if p.is_dir()):
                for layout in (OutputLayout.of(folder), OutputLayout.of(folder, quick=True)):
                    removed += _remove(layout.outputs())
    click.echo("removed " + ", ".join(removed) if removed else "nothing to remove")


def _remove(paths):
    """Remove these files and folders; returns those that existed."""
    removed = []
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        else:
            continue
        removed.append(str(path))
    return removed


@main.command()
@click.option("--report", "which", flag_value="report.schema.json",
              help="The schema of report.toml instead of the experiment files'.")
@click.option("--write", "folder", type=click.Path(file_okay=False), default=None,
              help="Write both schemas into this folder (schema.json, report.schema.json) "
                   "instead of printing one.")
def schema(which, folder):
    """Print the JSON Schema of the experiment files, for editors (see experiments/README.md):
    made from the same rules as their validation."""
    from pathlib import Path

    from .atomic import atomic_write_text
    from .experiments import editor_schema

    if folder is None:
        click.echo(editor_schema.text(which or "schema.json"), nl=False)
        return
    if not Path(folder).is_dir():
        fail(f"--write: no folder {folder!r}")
    for name in editor_schema.FILES:
        path = Path(folder) / name
        text = editor_schema.text(name)
        changed = not path.is_file() or path.read_text(encoding="utf-8") != text
        if changed:
            atomic_write_text(path, text)
        click.echo(f"{path}: {'written' if changed else 'up to date'}")


def _check_figure(ctx, param, value):
    """``--figure``: a file in an existing folder this user may write into, checked before
    training."""
    import os
    from pathlib import Path

    if value is None:
        return value
    if not str(value).strip():
        raise click.BadParameter("must name a file, got ''", ctx, param)
    folder = Path(value).parent
    if not folder.is_dir():
        raise click.BadParameter(f"the folder {str(folder)!r} does not exist", ctx, param)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise click.BadParameter(f"the folder {str(folder)!r} is not writable", ctx, param)
    return value


@main.command()
@click.option("--dataset", type=click.Choice(["linear", "xor"]), default="xor", show_default=True,
              help="Data set to train on.")
@click.option("--hidden", cls=IntListOption, default=(4, 4), show_default=True,
              help="Units per hidden layer, e.g. --hidden 4 4.")
@click.option("--activation", default="sigmoid", show_default=True,
              type=RegistryChoice("activations", "ACTIVATIONS"), help="Hidden-layer activation.")
@click.option("--output-activation", default="sigmoid", show_default=True,
              type=RegistryChoice("activations", "ACTIVATIONS", where=lambda a: a.for_output))
@click.option("--optimizer", default="sgd", show_default=True,
              type=RegistryChoice("optimizers", "OPTIMIZERS"))
@click.option("--lr", type=click.FloatRange(min=0, min_open=True), default=1.0, show_default=True,
              help="Learning rate.")
@click.option("--epochs", type=click.IntRange(min=1), default=5000, show_default=True)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--init", default="normal", show_default=True,
              type=RegistryChoice("initializers", "INITIALIZERS"))
@click.option("--batch-size", type=click.IntRange(min=1), default=None,
              help="Mini-batch size (default: full batch).")
@click.option("--no-bias", is_flag=True, help="Layers without bias terms, as in the course's sketch.")
@click.option("--loss", type=RegistryChoice("losses", "LOSSES"), default="mse", show_default=True)
@click.option("--print-every", type=click.IntRange(min=1), default=None,
              help="Print the loss every N epochs (default: about 10 lines).")
@click.option("--figure", type=click.Path(dir_okay=False, writable=True), default=None,
              callback=lambda ctx, param, value: _check_figure(ctx, param, value),
              help="Save the 'Ground truth' / 'Predict result' figure to this file.")
@click.option("--allow-large", is_flag=True,
              help="Train a network past the work or memory limit (see experiments/README.md).")
@engine_option
@debug_option
def train(dataset, hidden, activation, output_activation, optimizer, lr, epochs, seed, init,
          batch_size, no_bias, loss, print_every, figure, allow_large, engine_value):
    """Train one network and print its loss, predictions and accuracy: the lab's live demo
    (with the engine of ./experiments/report.toml, if any, or --engine)."""
    from pathlib import Path

    from .demo import NotSupported, run_demo
    from .experiments.foreign import EngineFault

    engine = load_engine("experiments" if Path("experiments").is_dir() else None, engine_value)
    try:
        run_demo(dataset=dataset, hidden=hidden, activation=activation,
                 output_activation=output_activation, optimizer=optimizer, lr=lr, epochs=epochs,
                 seed=seed, init=init, batch_size=batch_size, bias=not no_bias, loss=loss,
                 print_every=print_every, figure=figure, echo=click.echo,
                 allow_large=allow_large, engine=engine)
    except (EngineFault, NotSupported) as error:
        show_traceback(error)
        fail(str(error))
    except ValueError as error:  # a combination the engine rejects, e.g. bce without sigmoid
        raise click.UsageError(str(error)) from None


@main.command("check")
@click.argument("engine_value", metavar="[MODULE_OR_PATH]", required=False)
@experiments_option
@debug_option
def check(engine_value, experiments_dir):
    """Check an engine (default: report.toml's [engine], else reportgen's own): the lab's data
    sets, train's shapes and ranges, determinism, gradients against finite differences, and
    its first SGD steps against reportgen's engine. Exit status 0: every check passed; 1:
    some check failed; 2: the engine cannot be loaded."""
    from .experiments import engine_check

    engine = load_engine(experiments_dir, engine_value)
    checks = engine_check.run_checks(engine)
    for line in engine_check.format_checks(engine, checks):
        click.echo(line)
    sys.exit(1 if engine_check.failed(checks) else 0)


@main.command("diff")
@click.argument("old", required=False, type=click.Path())
@click.argument("new", required=False, type=click.Path())
@out_option
@quick_option
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text",
              show_default=True, help="An aligned table, or a Markdown one (for a CI comment).")
def diff_command(old, new, out, quick, fmt):
    """Compare two builds' results setting by setting and print what changed beyond the
    report's comparison rule. OLD defaults to the previous build (kept under
    OUT/previous/results), NEW to OUT's results; either may be an output folder or a
    results folder."""
    from . import diff
    from .layout import OutputLayout

    layout = OutputLayout.of(out, quick)
    if old is None and not any(layout.previous_results.glob("*.json")):
        click.echo(f"First build: nothing to compare (no previous build kept in "
                   f"{layout.previous_results}; a build keeps one when its results change)")
        return
    try:
        old_dir = diff.results_folder(layout.previous_results if old is None else old)
        new_dir = diff.results_folder(layout.results if new is None else new)
        changes = diff.compare(diff.load_folder(old_dir), diff.load_folder(new_dir))
    except diff.DiffError as error:
        fail(str(error))
    show = diff.format_markdown if fmt == "markdown" else diff.format_text
    click.echo(show(changes, old_dir.as_posix(), new_dir.as_posix()))


if __name__ == "__main__":
    main()
