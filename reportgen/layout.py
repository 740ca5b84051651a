"""Where everything a build writes goes, under the output folder (``--out``)::

    output/                     the full report's profile
      report.pdf, report.html   the report
      facts.json                what its prose states, by section
      figures/                  every figure as SVG and PNG, and manifest.json (their keys)
      results/<name>.json       every run of an experiment; digests.txt (their keys)
      cache/runs/               one JSON file per trained run
      cache/gradcheck.json      the gradient checks
      cache/build.json          the keys of the last report written
      quick/                    the same for the --quick preview

Nothing else in the package spells out a path under the output folder.
"""
import dataclasses
from pathlib import Path

#: the preview profile's folder, inside the output folder
QUICK = "quick"
#: the figures' keys, in the figures folder
FIGURE_MANIFEST = "manifest.json"
#: the figures folder, relative to the profile's folder (as the page links its figures)
FIGURES = "figures"
REPORT_FORMATS = ("html", "pdf")


@dataclasses.dataclass(frozen=True)
class OutputLayout:
    """The paths of one profile: ``dir`` is the output folder, or its ``quick/`` folder."""

    dir: Path

    @classmethod
    def of(cls, out, quick=False):
        """The layout of a profile of the output folder ``out``."""
        return cls(Path(out) / QUICK if quick else Path(out))

    @property
    def results(self):
        return self.dir / "results"

    def results_file(self, name):
        return self.results / f"{name}.json"

    @property
    def results_digests(self):
        return self.results / "digests.txt"

    @property
    def figures(self):
        return self.dir / FIGURES

    @property
    def cache(self):
        return self.dir / "cache"

    @property
    def runs(self):
        return self.cache / "runs"

    @property
    def gradchecks(self):
        return self.cache / "gradcheck.json"

    @property
    def build_state(self):
        return self.cache / "build.json"

    @property
    def facts(self):
        return self.dir / "facts.json"

    def report(self, fmt):
        return self.dir / f"report.{fmt}"

    def outputs(self):
        """What ``reportgen clean`` removes, caches apart: results, figures, facts, report."""
        return [self.results, self.figures, self.facts] + [self.report(f) for f in REPORT_FORMATS]
