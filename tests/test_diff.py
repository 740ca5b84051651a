"""``reportgen diff``: two builds' results compared under the report's comparison rule, and the
previous build every build keeps for it."""
import json
import shutil

import pytest
from click.testing import CliRunner

from conftest import QUICK_BUILD, ROOT, SOURCE_DATE_EPOCH
from reportgen import diff
from reportgen.cli import main
from reportgen.layout import OutputLayout
from reportgen.results import ExperimentResults


def run_record(setting, dataset, seed, held=None, accuracy=None, status="ok", fell_back=False):
    """A run as the comparison needs it: ``held`` the epoch from which it held 100%."""
    accuracy = 1.0 if held is not None else accuracy
    return {"setting": setting, "dataset": dataset, "seed": seed, "status": status,
            "final_accuracy": accuracy, "final_loss": 0.01, "epochs_to_100": held,
            "epochs_run": 5000,
            "stability": {"held_100": held, "fell_back": fell_back, "spikes": 0}}


def experiment(name, outcomes, datasets=("xor",)):
    """Hand-built results: ``outcomes`` {setting: [held epoch or final accuracy per seed]}."""
    runs = [run_record(setting, dataset, seed, *((o, None) if isinstance(o, int) else (None, o)))
            for setting, per_seed in outcomes.items() for dataset in datasets
            for seed, o in enumerate(per_seed)]
    return ExperimentResults({"experiment": name, "profile": "full", "datasets": list(datasets),
                              "settings": [{"label": s, "overrides": {}} for s in outcomes],
                              "runs": runs})


OLD = {"learning_rate": experiment("learning_rate", {
    "lr=1": [900, 800, 1000, 700, 900], "lr=10": [400, 300, 500, 350, 450],
    "lr=100": [0.5, 0.5, 0.5, 0.5, 0.5]})}


def test_one_faster_setting_is_the_one_row():
    new = {"learning_rate": experiment("learning_rate", {
        "lr=1": [900, 800, 1000, 700, 900], "lr=10": [200, 150, 250, 300, 200],
        "lr=100": [0.5, 0.5, 0.5, 0.5, 0.5]})}
    d = diff.compare(OLD, new)
    assert [(c.experiment, c.setting, c.dataset, c.word) for c in d.changes] == [
        ("learning_rate", "lr=10", "xor", "faster")]
    assert not d.added and not d.removed
    assert diff.summary_line(d) == ("Since the previous build: 1 setting changed "
                                    "(learning_rate: lr=10 on xor faster); see reportgen diff")
    text = diff.format_text(d, "old/results", "new/results").splitlines()
    assert text[0] == "Comparing OLD old/results, NEW new/results"
    assert text[1].split()[:3] == ["experiment", "setting", "data"]
    assert text[2].split()[:3] == ["learning_rate", "lr=10", "xor"]
    assert "400 → 200" in text[2] and "5/5 → 5/5" in text[2]
    assert text[2].endswith("faster (5 of 5 seeds)") and len(text) == 3


def test_the_rule_decides_and_counts_show_even_without_a_winner():
    new = {"learning_rate": experiment("learning_rate", {
        # three seeds of five faster: no clear difference, and no row
        "lr=1": [800, 700, 900, 800, 1000],
        # one more seed converged: not a winner under the rule, but a row
        "lr=10": [400, 300, 500, 350, 450],
        "lr=100": [0.5, 0.5, 0.5, 0.5, 0.5]})}
    new["learning_rate"].runs("lr=100", "xor")[0].record.update(
        final_accuracy=1.0, epochs_to_100=10, stability={"held_100": 10, "fell_back": False,
                                                         "spikes": 0})
    d = diff.compare(OLD, new)
    assert [(c.setting, c.word, c.what) for c in d.changes] == [
        ("lr=100", "", "converged 0/5 → 1/5")]
    worse = {"learning_rate": experiment("learning_rate", {
        "lr=1": [0.9] * 5, "lr=10": [400, 300, 500, 350, 450], "lr=100": [0.5] * 5})}
    assert [(c.setting, c.word) for c in diff.compare(OLD, worse).changes] == [("lr=1", "worse")]


def test_added_and_removed_settings_and_experiments_are_listed():
    new = {"learning_rate": experiment("learning_rate", {
        "lr=1": [900, 800, 1000, 700, 900], "lr=10": [400, 300, 500, 350, 450],
        "lr=20": [0.5] * 5}),
        "batch_size": experiment("batch_size", {"batch=4": [100] * 5})}
    d = diff.compare(OLD, new)
    assert not d.changes
    assert d.items() == ["experiment batch_size added", "learning_rate: lr=20 added",
                         "learning_rate: lr=100 removed"]
    md = diff.format_markdown(d, "a", "b")
    assert "- added: learning_rate: lr=20" in md and "- removed: learning_rate: lr=100" in md
    assert diff.summary_line(diff.compare(OLD, OLD)) == \
        "Since the previous build: no change beyond the comparison rule"
    assert diff.summary_line(None) == "First build: nothing to compare"


def test_markdown_is_a_table():
    new = {"learning_rate": experiment("learning_rate", {
        "lr=1": [0.6] * 5, "lr=10": [400, 300, 500, 350, 450], "lr=100": [0.5] * 5})}
    lines = diff.format_markdown(diff.compare(OLD, new), "old", "new").splitlines()
    table = [line for line in lines if line.startswith("|")]
    assert table[0].startswith("| experiment | setting | data set | mean accuracy |")
    assert set(table[1].replace("|", "").split()) <= {"---", "---:"}
    cells = [c.strip() for c in table[2].strip("|").split("|")]
    assert cells[:3] == ["learning_rate", "lr=1", "xor"]
    assert cells[3] == "100.0% → 60.0%" and cells[4] == "5/5 → 0/5"
    assert cells[-1] == "worse (5 of 5 seeds)" and len(table) == 3


@pytest.fixture(scope="module")
def two_sides(quick_build, tmp_path_factory):
    """The quick build's results as OLD, and a copy as NEW in which lr=1 on linear has the
    runs of lr=0.01 (so that only it changes)."""
    quick, _ = quick_build
    root = tmp_path_factory.mktemp("diff")
    shutil.copytree(quick / "results", root / "old" / "results")
    shutil.copytree(quick / "results", root / "new" / "results")
    path = root / "new" / "results" / "learning_rate.json"
    data = json.loads(path.read_text())
    slow = [dict(r, setting="lr=1") for r in data["runs"]
            if r["setting"] == "lr=0.01" and r["dataset"] == "linear"]
    data["runs"] = [r for r in data["runs"]
                    if not (r["setting"] == "lr=1" and r["dataset"] == "linear")] + slow
    path.write_text(json.dumps(data))
    return root / "old", root / "new"


def test_the_command_shows_exactly_the_changed_setting(two_sides):
    old, new = two_sides
    result = CliRunner().invoke(main, ["diff", str(old), str(new / "results")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Comparing OLD {(old / 'results').as_posix()}, NEW {(new / 'results').as_posix()}"
    assert len(lines) == 3 and lines[2].split()[:3] == ["learning_rate", "lr=1", "linear"]
    assert "worse" in lines[2]
    md = CliRunner().invoke(main, ["diff", str(old), str(new), "--format", "markdown"])
    assert md.exit_code == 0
    rows = [line for line in md.output.splitlines() if line.startswith("| learning_rate")]
    assert len(rows) == 1 and "| lr=1 | linear |" in rows[0]
    same = CliRunner().invoke(main, ["diff", str(old), str(old)])
    assert same.output.splitlines()[-1] == "No change beyond the comparison rule."


def test_bad_input_is_one_paragraph_and_exit_2(two_sides, tmp_path):
    old, _ = two_sides
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(main, ["diff", str(empty), str(old)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.startswith(f"error: {empty}: no results here")
    missing = CliRunner().invoke(main, ["diff", str(tmp_path / "nowhere"), str(old)])
    assert missing.exit_code == 2 and "no such folder" in missing.output
    bad = tmp_path / "bad" / "results"
    shutil.copytree(old / "results", bad)
    (bad / "main.json").write_text('{"schema": 1, "experiment": "main"}')
    result = CliRunner().invoke(main, ["diff", str(bad.parent), str(old)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.startswith(f"error: {bad / 'main.json'}: ")
    assert len(result.output.strip().splitlines()) == 1


def test_no_previous_build_says_so(tmp_path):
    result = CliRunner().invoke(main, ["diff", "--out", str(tmp_path)])
    assert result.exit_code == 0 and result.output.startswith("First build: nothing to compare")


def test_keep_previous_copies_only_what_differs_and_drops_what_is_gone(tmp_path):
    results, previous = tmp_path / "results", tmp_path / "previous" / "results"
    results.mkdir()
    assert not diff.keep_previous(results, previous) and not previous.exists()
    (results / "a.json").write_text("1")
    (results / "digests.txt").write_text("a x\n")
    assert diff.keep_previous(results, previous)
    assert sorted(p.name for p in previous.iterdir()) == ["a.json", "digests.txt"]
    before = (previous / "a.json").stat().st_mtime_ns
    (results / "a.json").unlink()
    (results / "b.json").write_text("2")
    (previous / "notes.md").write_text("mine")
    diff.keep_previous(results, previous)
    assert sorted(p.name for p in previous.iterdir()) == ["b.json", "digests.txt", "notes.md"]
    (results / "c.json").write_text("3")
    before = (previous / "b.json").stat().st_mtime_ns
    diff.keep_previous(results, previous)
    assert (previous / "b.json").stat().st_mtime_ns == before   # unchanged: not rewritten


def test_a_build_keeps_the_previous_results_and_says_what_changed(quick_report, tmp_path,
                                                                  monkeypatch):
    """The session's quick build was a first one; a second build of a copy of its output,
    with one learning rate changed, keeps the first one's results and names the change."""
    assert quick_report.output.splitlines()[-1] == "First build: nothing to compare"
    out = tmp_path / "output"
    shutil.copytree(quick_report.out.parent, out)
    experiments = tmp_path / "experiments"
    shutil.copytree(ROOT / "experiments", experiments)
    toml = experiments / "learning_rate.toml"
    toml.write_text(toml.read_text().replace("lr = [0.01, 0.1, 1, 3, 10, 30, 100]",
                                             "lr = [0.01, 0.1, 1, 3, 20, 30, 100]"))
    first = (quick_report.out / "results" / "learning_rate.json").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    command = [a if a != str(ROOT / "experiments") else str(experiments) for a in QUICK_BUILD]
    result = CliRunner().invoke(main, command + ["--out", str(out)])
    assert result.exit_code == 0, result.output
    last = result.output.splitlines()[-1]
    assert last == ("Since the previous build: 2 settings changed (learning_rate: lr=20 added; "
                    f"learning_rate: lr=10 removed); see reportgen diff --quick --out "
                    f"{out.as_posix()}")
    layout = OutputLayout.of(out, quick=True)
    assert (layout.previous_results / "learning_rate.json").read_bytes() == first
    assert not OutputLayout.of(out).previous_results.exists()   # the full profile's own
    shown = CliRunner().invoke(main, ["diff", "--quick", "--out", str(out)])
    assert shown.exit_code == 0
    assert shown.output.splitlines()[1:] == ["added: learning_rate: lr=20",
                                             "removed: learning_rate: lr=10"]
    again = CliRunner().invoke(main, command + ["--out", str(out)])
    assert again.output.splitlines()[-1] == \
        "Since the previous build: no change beyond the comparison rule"
    assert (layout.previous_results / "learning_rate.json").read_bytes() == first
