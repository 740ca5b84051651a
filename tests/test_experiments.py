"""Experiments as configuration: validation, the cached parallel runner, results as data."""
import json
import textwrap
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from reportgen import results
from reportgen.cli import main
from reportgen.engine.activations import ACTIVATIONS
from reportgen.engine.optimizers import OPTIMIZERS
from reportgen.experiments import load_all
from reportgen import keys
from reportgen.experiments.runner import run

SMALL = """
description = "tiny"
datasets = ["xor", "linear"]
seeds = 2
[base]
sizes = [2, 3, 1]
epochs = 30
[sweep]
lr = [0.5, 2.0]
"""

DIVERGING = """
datasets = ["xor"]
seeds = 2
[base]
sizes = [2, 4, 4, 1]
activation = "identity"
output_activation = "identity"
epochs = 100
[[variant]]
label = "stable"
lr = 0.001
[[variant]]
label = "too large"
lr = 10000
"""


def write_experiments(directory, **files):
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / f"{name}.toml").write_text(textwrap.dedent(text))
    return directory


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def project(tmp_path):
    exp = write_experiments(tmp_path / "experiments", small=SMALL)
    return exp, tmp_path / "output"


# ---- validation --------------------------------------------------------------------------

BAD_CONFIGS = [
    ("syntax", "seeds = 2\n[base\nlr = 1\n", "invalid TOML"),
    ("unknown top-level key", "seedz = 3\n", "seedz: unknown key; allowed: description"),
    ("unknown spec field", "[base]\nlearning_rate = 0.1\n", "base.learning_rate: unknown run-spec field"),
    ("wrong type", "seeds = \"five\"\n", "seeds: must be an integer, got 'five'"),
    ("wrong spec type", "[base]\nepochs = \"many\"\n", "base.epochs: must be an integer, got 'many'"),
    ("negative lr in sweep", "[sweep]\nlr = [0.1, 1, -0.1]\n", "sweep.lr[2]: must be > 0, got -0.1"),
    ("unknown activation", "[base]\nactivation = \"softmax\"\n",
     "base.activation: unknown 'softmax'; allowed: sigmoid"),
    ("bad data set", "datasets = [\"xor\", \"spiral\"]\n", "datasets[1]: unknown data set 'spiral'"),
    ("variant without label", "[[variant]]\nlr = 0.5\n", "variant[0].label: missing"),
    ("sweep not a list", "[sweep]\nlr = 0.5\n", "sweep.lr: must be a list of values, got 0.5"),
    ("seed in base", "[base]\nseed = 3\n", "base.seed: unknown run-spec field (seeds are set by"),
    ("nan learning rate", "[base]\nlr = nan\n", "base.lr: must be a finite number, got nan"),
    ("list for a name", "[base]\nactivation = [\"tanh\"]\n", "base.activation: unknown ['tanh']"),
    ("bad conv padding", "[base]\nsizes = [2, 4, 1]\nconv = [{channels = 2, kernel = 2, padding = \"full\"}]\n",
     "base.conv[0].padding: unknown 'full'; allowed: valid, same"),
    ("conv kernel too long", "[base]\nsizes = [2, 4, 1]\nconv = [{channels = 2, kernel = 5}]\n",
     "base.conv[0].kernel: must be <= signal length 4"),
    ("too many seeds", "seeds = 100000\n", "seeds: must be <= 1000, got 100000"),
    ("not utf-8", "\udcff", "the file is not UTF-8 text"),
]


@pytest.mark.parametrize("case,text,message", BAD_CONFIGS, ids=[c[0] for c in BAD_CONFIGS])
def test_config_errors_exit_2_name_file_and_field_and_keep_outputs(project, case, text, message):
    exp, out = project
    assert invoke("run", "--experiments", exp, "--out", out, "--jobs", 1).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (exp / "broken.toml").write_bytes(text.encode("utf-8", "surrogateescape"))
    result = invoke("run", "--experiments", exp, "--out", out)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "broken.toml: " in result.output and message in result.output
    assert len(result.output.strip().splitlines()) == 1
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_duplicate_experiment_names_are_rejected(tmp_path):
    exp = write_experiments(tmp_path / "e", small=SMALL, Small=SMALL)
    if len(list(exp.glob("*.toml"))) < 2:
        pytest.skip("case-insensitive file system")
    result = invoke("run", "--experiments", exp, "--out", tmp_path / "o")
    assert result.exit_code == 2 and "duplicate experiment name" in result.output


def test_all_files_are_validated_before_any_run(tmp_path):
    exp = write_experiments(tmp_path / "e", a_good=SMALL, z_bad="[base]\nlr = -1\n")
    result = invoke("run", "--experiments", exp, "--out", tmp_path / "o")
    assert result.exit_code == 2 and "z_bad.toml: base.lr: must be > 0, got -1" in result.output
    assert not (tmp_path / "o" / "cache").exists()


def test_unknown_experiment_name_is_a_usage_error(project):
    exp, out = project
    result = invoke("run", "nope", "--experiments", exp, "--out", out)
    assert result.exit_code == 2 and "no experiment named 'nope'" in result.output


def test_shipped_experiments_are_valid_and_large_enough():
    experiments = {e.name: e for e in load_all(Path(__file__).parent.parent / "experiments")}
    assert {"main", "learning_rate", "hidden_units", "no_activation", "optimizers",
            "activations"} <= set(experiments)
    assert all(e.seeds == 5 for e in experiments.values())
    assert len(experiments["learning_rate"].settings) >= 5
    widths = [s.overrides["sizes"][1] for s in experiments["hidden_units"].settings]
    assert min(widths) <= 2 and max(widths) >= 32 and len(widths) >= 5
    # every optimizer and activation the engine has is tried in the report
    optimizers = {s.overrides["optimizer"] for s in experiments["optimizers"].settings}
    assert optimizers == set(OPTIMIZERS) >= {"sgd", "momentum", "adagrad", "rmsprop", "adam"}
    activations = {s.overrides["activation"] for name in ("activations", "no_activation")
                   for s in experiments[name].settings}
    assert activations == set(ACTIVATIONS) >= {"sigmoid", "tanh", "relu", "leaky_relu",
                                               "identity"}


# ---- runner and cache ----------------------------------------------------------------------

def comparable(res):
    """A results file without what legitimately varies between builds (times, provenance)."""
    data = json.loads(json.dumps(res.data))
    data.pop("provenance")
    for r in data["runs"]:
        r.pop("wall_time_s")
    return data


def test_results_identical_whatever_the_number_of_jobs(tmp_path):
    exp = write_experiments(tmp_path / "e", small=SMALL, diverging=DIVERGING)
    experiments = load_all(exp)
    one, _ = run(experiments, tmp_path / "o1", jobs=1, show_progress=False)
    two, stats = run(experiments, tmp_path / "o2", jobs=2, show_progress=False)
    assert stats.trained == 12
    for name in one:
        assert comparable(one[name]) == comparable(two[name])
    # and the files on disk say the same
    assert comparable(results.load("small", tmp_path / "o1")) == comparable(one["small"])


SHORTER = SMALL.replace('description = "tiny"', 'description = "the same, shorter"').replace(
    "epochs = 30", "epochs = 12")


def test_batches_keep_prefix_runs_together_and_do_not_change_results(tmp_path, monkeypatch):
    """Runs that differ only in epochs share one batch (to be trained once), whatever the
    batch size; and the batch size changes no number."""
    from reportgen.experiments import runner

    exp = write_experiments(tmp_path / "e", small=SMALL, shorter=SHORTER)
    experiments = load_all(exp)
    planned = runner.plan(experiments)
    default, _ = run(experiments, tmp_path / "o1", jobs=2, show_progress=False)
    monkeypatch.setattr(runner, "BATCH_SIZE", 1)
    batches = runner._batches(planned)
    assert len(batches) == 8  # 2 data sets x 2 learning rates x 2 seeds, one trajectory each
    for dataset, specs, run_keys in batches:
        assert sorted(s["epochs"] for s in specs) == [12, 30]
        assert len({(s["lr"], s["seed"]) for s in specs}) == 1
    one_each, stats = run(experiments, tmp_path / "o2", jobs=1, show_progress=False)
    assert stats.trained == 16
    for name in default:
        assert comparable(default[name]) == comparable(one_each[name])
    short, full = one_each["shorter"].data["runs"], one_each["small"].data["runs"]
    assert [r["history"]["loss"] for r in short] == \
        [r["history"]["loss"][:13] for r in full]


def test_cache_hit_does_not_retrain_and_engine_change_invalidates(tmp_path, monkeypatch):
    exp = write_experiments(tmp_path / "e", small=SMALL)
    experiments = load_all(exp)
    _, first = run(experiments, tmp_path / "o", jobs=1, show_progress=False)
    assert (first.planned, first.trained, first.cached) == (8, 8, 0)
    _, second = run(experiments, tmp_path / "o", jobs=1, show_progress=False)
    assert (second.trained, second.cached) == (0, 8)

    monkeypatch.setattr(keys, "code_digest", lambda modules, root=None: "a different engine")
    experiments = load_all(exp)
    _, third = run(experiments, tmp_path / "o", jobs=1, show_progress=False)
    assert (third.trained, third.cached) == (8, 0)



def test_editing_an_experiment_retrains_only_changed_runs(tmp_path):
    exp = write_experiments(tmp_path / "e", small=SMALL)
    run(load_all(exp), tmp_path / "o", jobs=1, show_progress=False)
    write_experiments(exp, small=SMALL.replace("lr = [0.5, 2.0]", "lr = [0.5, 3.0]"))
    _, stats = run(load_all(exp), tmp_path / "o", jobs=1, show_progress=False)
    assert (stats.trained, stats.cached) == (4, 4)


def test_corrupt_cache_entry_is_recomputed(tmp_path):
    exp = write_experiments(tmp_path / "e", small=SMALL)
    first, _ = run(load_all(exp), tmp_path / "o", jobs=1, show_progress=False)
    entries = sorted((tmp_path / "o" / "cache").rglob("*.json"))
    assert len(entries) == 8
    entries[0].write_text(entries[0].read_text()[:100])           # truncated
    entries[1].write_text(json.dumps({"key": "somebody else"}))  # not this key's
    again, stats = run(load_all(exp), tmp_path / "o", jobs=1, show_progress=False)
    assert (stats.trained, stats.cached) == (2, 6)
    assert comparable(again["small"]) == comparable(first["small"])


def test_diverged_runs_are_recorded_and_do_not_crash_the_sweep(tmp_path):
    exp = write_experiments(tmp_path / "e", diverging=DIVERGING)
    loaded, stats = run(load_all(exp), tmp_path / "o", jobs=1, show_progress=False)
    res = results.load("diverging", tmp_path / "o")
    assert res.summary("too large", "xor").diverged == 2
    assert res.summary("stable", "xor").diverged == 0
    bad = res.runs("too large", "xor")[0]
    assert bad.status == "diverged" and bad.final_loss is None and bad.epochs_run < 100
    assert bad.history("loss")[1][-1] != bad.history("loss")[1][-1]   # NaN at the end


def test_results_file_schema_and_api(tmp_path):
    exp = write_experiments(tmp_path / "e", small=SMALL)
    result = invoke("run", "--experiments", exp, "--out", tmp_path / "o", "--jobs", 1)
    assert result.exit_code == 0, result.output
    assert "lr=0.5" in result.output and "8 runs: 8 trained" in result.output
    data = json.loads((tmp_path / "o" / "results" / "small.json").read_text())
    assert data["experiment"] == "small" and data["profile"] == "full" and data["schema"] == 1
    assert set(data["provenance"]) >= {"package_version", "git_commit", "git_dirty", "python",
                                       "numpy", "platform", "started_at"}
    run0 = data["runs"][0]
    assert set(run0) >= {"setting", "dataset", "seed", "spec", "final_loss", "final_accuracy",
                         "epochs_to_100", "status", "history", "wall_time_s"}
    assert len(run0["history"]["loss"]) == 31
    res = results.load("small", tmp_path / "o")
    assert res.settings == ["lr=0.5", "lr=2"]
    s = res.summary("lr=2", "xor")
    assert s.runs == 2 and 0 <= s.mean_accuracy <= 1
    epochs, mean, low, high = res.curve("lr=2", "xor")
    assert len(epochs) == 31 and (low <= mean).all() and (mean <= high).all()
    _, middle, _, _ = res.curve("lr=2", "xor", geometric=True)
    losses = np.array([r.history("loss")[1] for r in res.runs("lr=2", "xor")])
    assert np.allclose(middle, np.sqrt(losses[0] * losses[1]))     # two seeds
    assert (middle <= mean + 1e-15).all()
    net = res.runs("lr=2", "xor")[0].network()
    from reportgen.engine import datasets
    X, y = datasets.xor_easy()
    acc = float(((net.forward(X) > 0.5) == (y > 0.5)).mean())
    assert acc == res.runs("lr=2", "xor")[0].final_accuracy


def test_quick_profile_is_cached_separately_and_marked(tmp_path):
    exp = write_experiments(tmp_path / "e", small=SMALL.replace("epochs = 30", "epochs = 5000"))
    loaded, stats = run(load_all(exp), tmp_path / "o", jobs=1, quick=True, show_progress=False)
    assert stats.trained == 8 and loaded["small"].quick
    assert max(r.epochs_run for r in loaded["small"].runs()) == 300
    assert (tmp_path / "o" / "quick" / "cache" / "runs").is_dir()
    assert (tmp_path / "o" / "quick" / "results" / "small.json").exists()
    assert not (tmp_path / "o" / "cache").exists() and not (tmp_path / "o" / "results").exists()


def test_list_and_clean(project):
    exp, out = project
    listing = invoke("list", "--experiments", exp, "--out", out)
    assert listing.exit_code == 0 and "small" in listing.output and "0/8" in listing.output
    invoke("run", "--experiments", exp, "--out", out, "--jobs", 1)
    listing = invoke("list", "--experiments", exp, "--out", out)
    assert "8/8" in listing.output
    assert invoke("clean", "--out", out).exit_code == 0
    assert not (out / "results").exists() and (out / "cache").exists()
    assert invoke("clean", "--out", out, "--cache").exit_code == 0
    assert not (out / "cache").exists()


def test_a_kept_results_file_keeps_the_commit_that_wrote_it(tmp_path, monkeypatch):
    """Regression: an unchanged experiment's file is kept, provenance and all, but the results
    the report was made from carried this build's commit, so the appendix never said that the
    numbers came from an earlier commit."""
    from reportgen.experiments import provenance

    exp = write_experiments(tmp_path / "e", small=SMALL)
    real = provenance.collect

    def at(commit, dirty):
        monkeypatch.setattr(provenance, "collect",
                            lambda: {**real(), "git_commit": commit, "git_dirty": dirty})

    at("a" * 40, False)
    run(load_all(exp), tmp_path / "o", jobs=1, show_progress=False)
    at("b" * 40, True)
    loaded, stats = run(load_all(exp), tmp_path / "o", jobs=1, show_progress=False)
    assert stats.trained == 0
    assert loaded["small"].data["provenance"]["git_commit"] == "a" * 40
    assert loaded["small"].data["provenance"]["git_dirty"] is False
    assert json.loads((tmp_path / "o" / "results" / "small.json").read_text())[
        "provenance"]["git_commit"] == "a" * 40
