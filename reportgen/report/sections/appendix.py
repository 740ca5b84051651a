"""7. Appendix: how to rebuild the report, where it came from, and the engine's gradient checks."""
import dataclasses

from ...engine.activations import ACTIVATIONS
from ...engine.gradcheck import POINTS
from ...engine.losses import LOSSES
from ...experiments.gradchecks import TOLERANCE, check_specs
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


def facts(inputs):
    prov, checks = inputs.provenance, inputs.gradchecks
    worst = max(g["error"] for g in checks)
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
        gradcheck_tolerance=TOLERANCE,
        gradchecks_passed=worst < TOLERANCE,
        checked_losses=len({g["loss"] for g in checks}),
        checked_paddings=len({spec.conv[0].padding for *_, spec in check_specs() if spec.conv}))


def _results_commits(results, commit):
    commits = sorted({(res.data["provenance"].get("git_commit") or "")[:12]
                      for res in results.values()} - {""})
    return [] if commits == [(commit or "")[:12]] else commits


def tables(inputs, facts):
    linear = next(p for p in inputs.facts("results").predictions if p.dataset == "linear")
    return [_gradcheck_table(inputs, facts),
            predictions_table("predictions_linear", linear,
                              f"Every sample of the linear data set: input, ground truth, "
                              f"prediction ŷ and predicted class (main network, seed "
                              f"{linear.seed}).")]


def _network_name(spec):
    """A checked network as the table names it: by its activation's display name."""
    activation = ACTIVATIONS[spec.activation].display
    if not spec.conv:
        return f"dense, {activation}"
    layer = spec.conv[0]
    return f"conv, kernel {layer.kernel}, {layer.padding} padding, {activation}"


def _gradcheck_table(inputs, facts):
    limit = sci(facts.gradcheck_tolerance, digits=1)
    specs = [spec for *_, spec in check_specs()]
    dense = next(s for s in specs if not s.conv)
    conv = next(s for s in specs if s.conv)
    return Table("gradcheck", "Gradient check of the backpropagation, computed while this report was built: "
                  "largest relative error between backpropagation and central finite "
                  f"differences over all parameters, on {POINTS} random points: a random "
                  f"{'-'.join(map(str, dense.sizes))} dense network for every hidden "
                  "activation, and convolutional networks (lift, one 1-D convolution layer, a dense "
                  f"layer of {conv.sizes[1]} units).",
                  ["network", "loss", "bias", "max relative error", f"passed (< {limit})"],
                  [[_network_name(spec), LOSSES[g["loss"]].display, "yes" if g["bias"] else "no",
                    sci(g["error"], digits=1),
                    "yes" if g["error"] < facts.gradcheck_tolerance else "NO"]
                   for (*_, spec), g in zip(check_specs(), inputs.gradchecks)],
                  align=["l", "l", "c", "r", "c"])


SECTION = Section(
    id="appendix", title="Appendix: reproducibility and gradient checks",
    template="sections/appendix.html.j2", facts=facts, tables=tables,
    needs={"main": Needs()},
    parts=(Part("provenance", "How this report was made"),
           Part("gradients", "Gradient checks"),
           Part("predictions", "Every prediction on the linear data set")),
)
