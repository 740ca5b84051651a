"""7. Appendix: how to rebuild the report, where it came from, and the engine's checks: the
gradient checks of reportgen's own engine, or what ``reportgen check`` found of a foreign one."""
import dataclasses

from ...engine.activations import ACTIVATIONS
from ...engine.gradcheck import POINTS
from ...engine.losses import LOSSES
from ...experiments import engine_check
from ...experiments.gradchecks import TOLERANCE, check_specs
from ...i18n import N_, _, pgettext
from ..filters import sci
from .base import Needs, Part, Section, Table
from .results import predictions_table


@dataclasses.dataclass
class AppendixFacts:
    """How this build was made, and what its gradient checks found."""

    command: str               # the command that rebuilds this report
    package_version: str
    git_commit: str | None     # None when not built from a git checkout
    git_dirty: bool | None
    results_commits: list      # the commits of the builds that wrote the results files, when
                               # some differ from git_commit (an unchanged experiment's file is
                               # kept from the build that last changed it)
    python: str
    numpy: str
    platform: str
    date: str
    quick: bool
    seeds: list                # the seeds of every setting
    training_runs: int         # distinct runs over all experiments
    experiments: int
    results_dir: str           # where the results files of this build are
    experiments_dir: str       # and its experiment files
    gradcheck_max: float       # the largest relative error of any check
    gradcheck_tolerance: float
    gradchecks_passed: bool    # every check below the tolerance
    checked_losses: int        # how many losses the checks cover
    checked_paddings: int      # how many paddings of the convolutional layer
    engine: str = "reportgen.engine"  # the engine the runs were trained with, as named
    engine_builtin: bool = True       # reportgen's own (else the checks are reportgen check's)
    engine_checks: int = 0            # a foreign engine's checks: how many ran,
    engine_failed: int = 0            # failed,
    engine_skipped: int = 0           # and were skipped (not supported, or not possible)
    unsupported_runs: int = 0         # runs the engine did not support (not trained)


def facts(inputs):
    prov = inputs.provenance
    builtin = inputs.engine is None or inputs.engine.builtin
    checks = inputs.gradchecks if builtin else _foreign_gradchecks(inputs.engine_checks)
    tolerance = TOLERANCE if builtin else engine_check.TOLERANCE
    worst = max((g["error"] for g in checks), default=0.0)
    rows = inputs.engine_checks or []
    return AppendixFacts(
        command=inputs.command, package_version=prov["package_version"],
        git_commit=prov["git_commit"], git_dirty=prov["git_dirty"],
        results_commits=_results_commits(inputs.results, prov["git_commit"]),
        python=prov["python"],
        numpy=prov["numpy"], platform=prov["platform"], date=inputs.meta["date"],
        quick=inputs.quick, seeds=list(inputs.results["main"].data["seeds"]),
        training_runs=len({run.key for res in inputs.results.values() for run in res.runs()}),
        experiments=len(inputs.results), results_dir=inputs.results_dir,
        experiments_dir=inputs.experiments_dir, gradcheck_max=worst,
        gradcheck_tolerance=tolerance,
        gradchecks_passed=worst < tolerance,
        checked_losses=len({g["loss"] for g in checks}),
        checked_paddings=len({spec.conv[0].padding for *_, spec in check_specs() if spec.conv}),
        engine=inputs.engine.name if inputs.engine else "reportgen.engine",
        engine_builtin=builtin, engine_checks=len(rows),
        engine_failed=len(engine_check.failed(rows)),
        engine_skipped=sum(c.passed is None for c in rows),
        unsupported_runs=len({run["key"] for res in inputs.results.values()
                              for run in res.data["runs"] if run["status"] == "unsupported"}))


def _foreign_gradchecks(rows):
    """The gradient checks of a foreign engine that ran, as {loss, error} (for the facts)."""
    return [{"loss": c.subject.split(", ")[-2], "error": c.error}
            for c in rows or [] if c.check == "gradients" and c.error is not None]


def _results_commits(results, commit):
    commits = sorted({(res.data["provenance"].get("git_commit") or "")[:12]
                      for res in results.values()} - {""})
    return [] if commits == [(commit or "")[:12]] else commits


def tables(inputs, facts):
    linear = next(p for p in inputs.facts("results").predictions if p.dataset == "linear")
    checks = _gradcheck_table if facts.engine_builtin else _engine_check_table
    return [checks(inputs, facts),
            predictions_table("predictions_linear", linear,
                              _("Every sample of the linear data set: input, ground truth, "
                                "prediction ŷ and predicted class (main network, seed "
                                "{seed}).").format(seed=linear.seed))]


def _network_name(spec):
    """A checked network as the table names it: by its activation's display name."""
    activation = _(ACTIVATIONS[spec.activation].display)
    if not spec.conv:
        return _("dense, {activation}").format(activation=activation)
    layer = spec.conv[0]
    return _("conv, kernel {kernel}, {padding} padding, {activation}").format(
        kernel=layer.kernel, padding=layer.padding,
        activation=activation)


#: the checks of ``reportgen check`` (``engine_check.Check.check``), as its table names them
CHECKS = {name: name for name in (N_("data sets"), N_("results"), N_("determinism"),
                                  N_("gradients"), N_("SGD steps"))}


def _yes(passed):
    """A passed cell: "yes" or "NO"."""
    return _("yes") if passed else _("NO")


def _gradcheck_table(inputs, facts):
    limit = sci(facts.gradcheck_tolerance, digits=1)
    specs = [spec for *_, spec in check_specs()]
    dense = next(s for s in specs if not s.conv)
    conv = next(s for s in specs if s.conv)
    losses = pgettext("between clauses", "; ").join(_("{name}, {display}").format(name=name.upper(), display=_(entry.display))
                       for name, entry in LOSSES.items())
    caption = _("Gradient check of the backpropagation, computed while this report was built: "
                "largest relative error between backpropagation and central finite "
                "differences over all parameters, on {points} random points: a random "
                "{sizes} dense network for every hidden activation, and convolutional networks "
                "(lift, one 1-D convolution layer, a dense layer of {units} units); a check "
                "passed below {limit}. Losses: {losses}.").format(
        points=POINTS, sizes="-".join(map(str, dense.sizes)), units=conv.sizes[1], limit=limit,
        losses=losses)
    return Table("gradcheck", caption,
                 [_("network"), _("loss"), _("bias"), _("max relative error"), _("passed")],
                 [[_network_name(spec), g["loss"].upper(), _("yes") if g["bias"] else _("no"),
                   sci(g["error"], digits=2), _yes(g["error"] < facts.gradcheck_tolerance)]
                  for (*_ignored, spec), g in zip(check_specs(), inputs.gradchecks)],
                 align=["l", "l", "c", "r", "c"])


def _engine_check_table(inputs, facts):
    marks = {True: _("yes"), False: _("NO"), None: _("skipped")}
    caption = _("The checks of reportgen check on the engine {engine}, run at the start of "
                "this build: the data sets, what train returns, determinism, gradients against "
                "central finite differences (passed below a relative error of {tolerance}) and "
                "the first {steps} gradient steps against reportgen's own engine from the same "
                "weights (to {step_tolerance}).").format(
        engine=facts.engine, tolerance=sci(facts.gradcheck_tolerance, digits=1),
        steps=engine_check.STEPS, step_tolerance=sci(engine_check.STEP_TOLERANCE, digits=1))
    return Table("gradcheck", caption,
                 [pgettext("table header", "check"), pgettext("table header", "on"),
                  _("passed"), _("detail")],
                 [[_(CHECKS.get(c.check, c.check)), c.subject, marks[c.passed], c.detail]
                  for c in inputs.engine_checks],
                 align=["l", "l", "c", "l"])


SECTION = Section(
    id="appendix", title=N_("Appendix: reproducibility and gradient checks"),
    template="sections/appendix.html.j2", facts=facts, tables=tables,
    needs={"main": Needs()},
    parts=(Part("provenance", N_("How this report was made")),
           Part("gradients", N_("Gradient checks")),
           Part("predictions", N_("Every prediction on the linear data set"))),
)
