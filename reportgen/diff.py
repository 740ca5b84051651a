"""Two builds' results compared setting by setting: what changed beyond the comparison rule.

    from reportgen import diff
    old, new = diff.load_side("output/previous/results"), diff.load_side("output")
    d = diff.compare(old, new)
    print(diff.format_text(d))               # or format_markdown(d), summary_line(d)

For every experiment, setting and data set present on both sides, the two sides' runs are
paired by seed and put to the report's comparison rule (``report.rule.compare``). A row is
kept when the rule separates them (the new side is better or worse; faster or slower when
both converged on every seed), or when the number of seeds that converged (held 100% to the
end) or diverged changed. Settings, data sets and experiments on one side only are listed as
added or removed. Nothing here knows the report's templates.

Every build keeps the results files it is about to replace under ``previous/results/`` of
its profile's folder (``keep_previous``), when they change, so the default diff is the
last change of the results.
"""
import dataclasses
from pathlib import Path

from . import results as results_api
from .atomic import atomic_write_bytes
from .report import rule

#: the names the rule's verdict gives the two sides
OLD, NEW = "old", "new"
#: how many changes the build's one line names before "…"
LINE_ITEMS = 3


class DiffError(Exception):
    """A side that holds no results, or a malformed results file (the message names it)."""


def results_folder(path):
    """The results folder of ``path``: an output folder (its ``results/``) or a results folder
    (``*.json`` files); DiffError when it is neither."""
    path = Path(path)
    if not path.is_dir():
        raise DiffError(f"{path}: no such folder; give an output folder (with results/) or a "
                        f"results folder (with <experiment>.json files)")
    for folder in (path / "results", path):
        if folder.is_dir() and any(folder.glob("*.json")):
            return folder
    raise DiffError(f"{path}: no results here (no {path / 'results'}/*.json nor "
                    f"{path}/*.json); give an output folder a build wrote, or its results "
                    f"folder")


def load_folder(folder):
    """{experiment: ExperimentResults} of every results file in the results folder ``folder``
    (DiffError naming the first file that is not one)."""
    return load_files(sorted(Path(folder).glob("*.json")))


def load_files(paths):
    """{experiment: ExperimentResults} of these results files (DiffError naming the first
    that cannot be read or is not one)."""
    loaded = {}
    for path in paths:
        try:
            res = results_api.load_file(path)
        except OSError as error:
            raise DiffError(f"{path}: cannot be read ({error.strerror or error})") from None
        except (ValueError, KeyError, TypeError) as error:
            message = str(error)
            raise DiffError(message if message.startswith(str(path))
                            else f"{path}: not a results file ({message})") from None
        loaded[res.name] = res
    return loaded


def load_side(path):
    """The results of one side: an output folder or a results folder."""
    return load_folder(results_folder(path))


@dataclasses.dataclass(frozen=True)
class Change:
    """One setting on one data set whose results changed beyond the rule."""

    experiment: str
    setting: str
    dataset: str
    old: results_api.Summary
    new: results_api.Summary
    verdict: rule.Verdict | None    # None when the two sides share no seed

    @property
    def word(self):
        """What the rule says of the new side: better, worse, faster, slower, or ""."""
        v = self.verdict
        if v is None or v.winner is None:
            return ""
        if v.winner == NEW:
            return "faster" if v.kind == "faster" else "better"
        return "slower" if v.kind == "faster" else "worse"

    @property
    def what(self):
        """What changed, in a few words: the rule's word, then the counts that changed."""
        parts = [self.word] if self.word else []
        if self.old.succeeded != self.new.succeeded:
            parts.append(f"converged {self.old.succeeded}/{self.old.runs} → "
                         f"{self.new.succeeded}/{self.new.runs}")
        if self.old.diverged != self.new.diverged:
            parts.append(f"diverged {self.old.diverged} → {self.new.diverged}")
        if self.verdict is None:
            parts.append("no seed in common")
        return ", ".join(parts)


@dataclasses.dataclass(frozen=True)
class Diff:
    changes: list       # Change
    added: list         # (experiment, setting or None, data sets): on the new side only
    removed: list       # the same, on the old side only

    @property
    def empty(self):
        return not (self.changes or self.added or self.removed)

    def items(self):
        """Every change as a short phrase: "learning_rate: lr=10 on xor faster"."""
        phrases = [f"{c.experiment}: {c.setting} on {c.dataset} {c.what}" for c in self.changes]
        for word, entries in (("added", self.added), ("removed", self.removed)):
            phrases += [f"{_where(*entry)} {word}" for entry in entries]
        return phrases


def _where(experiment, setting, datasets):
    if setting is None:
        return f"experiment {experiment}"
    return f"{experiment}: {setting}" + (f" on {', '.join(datasets)}" if datasets else "")


def compare(old, new):
    """The Diff of two sides ({experiment: ExperimentResults}), in the new side's order."""
    changes, added, removed = [], [], []
    for name in new:
        if name not in old:
            added.append((name, None, ()))
    for name in old:
        if name not in new:
            removed.append((name, None, ()))
    for name, new_res in new.items():
        old_res = old.get(name)
        if old_res is None:
            continue
        for setting in new_res.settings:
            if setting not in old_res.settings:
                added.append((name, setting, ()))
        for setting in old_res.settings:
            if setting not in new_res.settings:
                removed.append((name, setting, ()))
        for setting in new_res.settings:
            if setting not in old_res.settings:
                continue
            old_sets = [d for d in old_res.datasets if old_res.runs(setting, d)]
            new_sets = [d for d in new_res.datasets if new_res.runs(setting, d)]
            if extra := tuple(d for d in new_sets if d not in old_sets):
                added.append((name, setting, extra))
            if gone := tuple(d for d in old_sets if d not in new_sets):
                removed.append((name, setting, gone))
            for dataset in (d for d in new_sets if d in old_sets):
                change = _compare_setting(name, setting, dataset, old_res, new_res)
                if change is not None:
                    changes.append(change)
    return Diff(changes, added, removed)


def _compare_setting(name, setting, dataset, old_res, new_res):
    runs_old, runs_new = old_res.runs(setting, dataset), new_res.runs(setting, dataset)
    before, after = old_res.summary(setting, dataset), new_res.summary(setting, dataset)
    try:
        verdict = rule.compare(OLD, runs_old, NEW, runs_new, dataset)
    except ValueError:      # no seed in common: only the counts can be compared
        verdict = None
    change = Change(name, setting, dataset, before, after, verdict)
    if (verdict is None or verdict.winner is not None or before.succeeded != after.succeeded
            or before.diverged != after.diverged):
        return change
    return None


# -- formatting ----------------------------------------------------------------------------

COLUMNS = ("experiment", "setting", "data set", "mean accuracy", "converged", "held 100% from",
           "fell back", "diverged", "change")


def _pct(value):
    return f"{100 * value:.1f}%"


def _epoch(value):
    return "—" if value is None else str(value)


def _rows(diff):
    for c in diff.changes:
        o, n = c.old, c.new
        seeds = ""
        if c.verdict is not None and c.verdict.winner is not None:
            won = c.verdict.losses if c.verdict.winner == NEW else c.verdict.wins
            seeds = f" ({won} of {c.verdict.seeds} seeds)"
        yield (c.experiment, c.setting, c.dataset,
               f"{_pct(o.mean_accuracy)} → {_pct(n.mean_accuracy)}",
               f"{o.succeeded}/{o.runs} → {n.succeeded}/{n.runs}",
               f"{_epoch(o.median_held_epoch)} → {_epoch(n.median_held_epoch)}",
               f"{o.fell_back} → {n.fell_back}", f"{o.diverged} → {n.diverged}",
               (c.word or "no clear difference") + seeds)


def _header(old_label, new_label):
    return f"OLD {old_label}, NEW {new_label}" if old_label and new_label else ""


NO_CHANGE = "no change beyond the comparison rule"


def format_text(diff, old_label=None, new_label=None):
    """An aligned table of the changes, then the settings added and removed."""
    lines = [f"Comparing {_header(old_label, new_label)}"] if old_label else []
    if diff.empty:
        return "\n".join(lines + [NO_CHANGE[0].upper() + NO_CHANGE[1:] + "."])
    rows = [COLUMNS] + list(_rows(diff))
    if diff.changes:
        widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
        lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
                  for row in rows]
    for word, entries in (("added", diff.added), ("removed", diff.removed)):
        lines += [f"{word}: {_where(*entry)}" for entry in entries]
    return "\n".join(lines)


def _md(cell):
    return cell.replace("|", r"\|")


def format_markdown(diff, old_label=None, new_label=None):
    """The same as a Markdown table (for a CI comment), the additions and removals as a list."""
    lines = ["### Results changed since the previous build"]
    if old_label:
        lines += ["", f"OLD `{old_label}`, NEW `{new_label}`; rows the comparison rule "
                      f"separates, or whose converged or diverged counts changed."]
    if diff.empty:
        return "\n".join(lines + ["", NO_CHANGE[0].upper() + NO_CHANGE[1:] + "."])
    if diff.changes:
        lines += ["", "| " + " | ".join(COLUMNS) + " |",
                  "| " + " | ".join("---" if i < 3 else "---:" if i < 8 else "---"
                                    for i in range(len(COLUMNS))) + " |"]
        lines += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in _rows(diff)]
    listed = [f"- {word}: {_md(_where(*entry))}"
              for word, entries in (("added", diff.added), ("removed", diff.removed))
              for entry in entries]
    if listed:
        lines += [""] + listed
    return "\n".join(lines)


def summary_line(diff, command="reportgen diff"):
    """The build's last line: what changed since the previous build, in one line."""
    if diff is None:
        return "First build: nothing to compare"
    if diff.empty:
        return f"Since the previous build: {NO_CHANGE}"
    items = diff.items()
    shown = "; ".join(items[:LINE_ITEMS]) + ("; …" if len(items) > LINE_ITEMS else "")
    count = f"{len(items)} setting{'s' if len(items) != 1 else ''} changed"
    return f"Since the previous build: {count} ({shown}); see {command}"


# -- the previous build's snapshot ---------------------------------------------------------

def keep_previous(results_dir, previous_dir):
    """Make ``previous_dir`` a copy of the results folder ``results_dir`` (its ``*.json`` and
    digests.txt), each file written atomically and only where it differs; files the results
    folder no longer has are removed, last. Returns whether there was anything to keep
    (False: no results files yet, and ``previous_dir`` is left as it was)."""
    results_dir, previous_dir = Path(results_dir), Path(previous_dir)
    sources = sorted(results_dir.glob("*.json"))
    if not sources:
        return False
    digests = results_dir / "digests.txt"
    if digests.is_file():
        sources.append(digests)
    names = set()
    for source in sources:
        names.add(source.name)
        target = previous_dir / source.name
        data = source.read_bytes()
        if not (target.is_file() and target.stat().st_size == len(data)
                and target.read_bytes() == data):
            atomic_write_bytes(target, data)
    for stale in previous_dir.iterdir():
        if stale.is_file() and stale.name not in names \
                and (stale.suffix == ".json" or stale.name == "digests.txt"):
            stale.unlink()
    return True


def since_previous(layout, new, unwritten):
    """Keep the previous build's results (``keep_previous``) before the build writes the
    results files ``unwritten`` (their data), and return the Diff of what changes, None for a
    first build (no results files yet). Only the experiments whose digest changes are
    compared (the others' runs are the same); files rewritten with the same digest (new
    provenance) change nothing. Raises DiffError on a malformed previous file."""
    changed = [data["experiment"] for data in unwritten
               if results_api.stored_digest(data["experiment"], layout.dir) != data["digest"]]
    if not any(layout.results.glob("*.json")):
        return None
    if not changed:
        return Diff([], [], [])
    keep_previous(layout.results, layout.previous_results)
    old = load_files([layout.results_file(name) for name in changed
                      if layout.results_file(name).is_file()])
    return compare(old, {name: new[name] for name in changed if name in new})

