"""7. Appendix: how to rebuild the report, where it came from, and the engine's gradient checks."""
import dataclasses

from ...engine.gradcheck import POINTS
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
        git_commit=prov["git_commit"], git_dirty=prov["git_dirty"], python=prov["python"],
        numpy=prov["numpy"], platform=prov["platform"], date=inputs.meta["date"],
        quick=inputs.quick, seeds=list(inputs.results["main"].data["seeds"]),
        training_runs=len({run.key for res in inputs.results.values() for run in res.runs()}),
        experiments=len(inputs.results), results_dir=inputs.results_dir,
        experiments_dir=inputs.experiments_dir, gradcheck_max=worst,
        gradcheck_tolerance=TOLERANCE,
        gradchecks_passed=worst < TOLERANCE,
        checked_losses=len({g["loss"] for g in checks}),
        checked_paddings=len({spec.conv[0].padding for *_, spec in check_specs() if spec.conv}))


def tables(inputs, facts):
    linear = next(p for p in inputs.facts("results").predictions if p.dataset == "linear")
    return [_gradcheck_table(inputs, facts),
            predictions_table("predictions_linear", linear,
                              f"Every sample of the linear data set: input, ground truth, "
                              f"prediction ŷ and predicted class (main network, seed "
                              f"{linear.seed}).")]


def _gradcheck_table(inputs, facts):
    limit = sci(facts.gradcheck_tolerance, digits=1)
    specs = [spec for *_, spec in check_specs()]
    dense = next(s for s in specs if not s.conv)
    conv = next(s for s in specs if s.conv)
    return Table("gradcheck", "Gradient check of the backpropagation, computed while this report was built: "
                  "largest relative error between backpropagation and central finite "
                  f"differences over all parameters, on {POINTS} random points: a random "
                  f"{'-'.join(map(str, dense.sizes))} dense network for every hidden "
                  "activation, and convolutional networks (lift, one Conv1D layer, a dense "
                  f"layer of {conv.sizes[1]} units).",
                  ["network", "loss", "bias", "max relative error", f"passed (< {limit})"],
                  [[g["network"], g["loss"], "yes" if g["bias"] else "no", f"{g['error']:.1e}",
                    "yes" if g["error"] < facts.gradcheck_tolerance else "NO"]
                   for g in inputs.gradchecks],
                  align=["l", "l", "c", "r", "c"])


SECTION = Section(
    id="appendix", title="Appendix: reproducibility and gradient checks",
    template="sections/appendix.html.j2", facts=facts, tables=tables,
    needs={"main": Needs()},
    parts=(Part("provenance", "How this report was made"),
           Part("gradients", "Gradient checks"),
           Part("predictions", "Every prediction on the linear data set")),
)
