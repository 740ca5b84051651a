"""``--set KEY=VALUE[,VALUE...]``: overrides without editing the experiment files. Bad ones are
refused with exit 2 and a message naming them; results made with them go to a folder of
their own and leave the report's results alone."""
import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.experiments import config, overrides
from reportgen.report import build

ROOT = Path(__file__).resolve().parent.parent

TINY = """
datasets = ["xor"]
seeds = 2
[base]
sizes = [2, 2, 1]
epochs = 5
[sweep]
lr = [0.5, 1.0]
"""


@pytest.fixture
def project(tmp_path):
    experiments = tmp_path / "experiments"
    experiments.mkdir()
    (experiments / "tiny.toml").write_text(textwrap.dedent(TINY))
    (experiments / "wide.toml").write_text(textwrap.dedent(TINY).replace("[2, 2, 1]",
                                                                         "[2, 8, 1]"))
    return experiments, tmp_path / "output"


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def run(project, *args):
    experiments, out = project
    return invoke("run", *args, "--experiments", experiments, "--out", out, "-j", "1", "-q")


@pytest.mark.parametrize("option, message", [
    ("lr=abc", "error: --set lr=abc: lr: must be a finite number, got 'abc'"),
    ("lr=-1", "error: --set lr=-1: lr: must be > 0, got -1.0"),
    ("epochs=2.5", "error: --set epochs=2.5: epochs: must be an integer, got 2.5"),
    ("activation=tanhh", "error: --set activation=tanhh: activation: unknown 'tanhh'; "
                         "allowed: sigmoid, tanh, relu, leaky_relu, identity"),
    ("lr", "error: --set lr: expected KEY=VALUE[,VALUE...]"),
    ("=1", "error: --set =1: expected KEY=VALUE[,VALUE...]"),
    ("lr=0.5,,1", "error: --set lr=0.5,,1: a value is missing"),
    ("lr=1,1.0", "error: --set lr=1,1.0: lists a value twice"),
    ("lrr=1", "error: --set lrr=1: 'lrr' is not a run-spec field; allowed: sizes,"),
    ("seed=3", "error: --set seed=3: 'seed' is not a run-spec field (the seeds are set by "
               "'seeds', their number)"),
    ("seeds=2,3", "error: --set seeds=2,3: seeds takes one value, the number of seeds"),
    ("seeds=0", "error: --set seeds=0: seeds: must be an integer from 1 to 1000, got 0"),
    ("sizes=[2,4", "error: --set sizes=[2,4: '[2,4' is not a TOML value"),
    ("sizes=[2,4]", "error: --set sizes=[2,4]: sizes: must start at 2 (inputs) and end at 1"),
])
def test_a_bad_override_is_refused_naming_it_before_anything_is_written(project, option,
                                                                        message):
    _, out = project
    result = run(project, "tiny", "--set", option)
    assert result.exit_code == 2, result.output
    assert result.output.startswith(message), result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not (out / "overrides").exists() and not (out / "results").exists()


def test_a_key_set_twice_and_a_combination_that_fails_name_the_overrides(project):
    result = run(project, "tiny", "--set", "lr=1", "-S", "lr=2")
    assert result.exit_code == 2
    assert result.output == "error: --set lr=1 --set lr=2: lr is set twice\n"
    result = run(project, "tiny", "--set", "loss=bce", "--set", "output_activation=identity")
    assert result.exit_code == 2
    assert result.output.startswith("error: --set loss=bce --set output_activation=identity: "
                                    f"{project[0] / 'tiny.toml'}: base.loss: 'bce' needs "
                                    "output_activation 'sigmoid', got 'identity'")
    # each within the bounds on work, not together: checked before anything is trained
    result = run(project, "tiny", "--set", "epochs=10000000", "--set", "seeds=1000")
    assert result.exit_code == 2
    assert result.output.startswith("error: --set epochs=10000000 --set seeds=1000: "
                                    f"{project[0] / 'tiny.toml'}: ")
    assert "over the limit" in result.output and not (project[1] / "overrides").exists()


def test_overridden_results_go_to_their_own_folder_and_the_main_ones_are_untouched(project):
    _, out = project
    assert run(project, "tiny").exit_code == 0
    main_results = (out / "results" / "tiny.json").read_bytes()
    main_cache = sorted((out / "cache" / "runs").rglob("*.json"))

    result = run(project, "tiny", "--set", "lr=0.3,3", "--set", "epochs=3", "--set", "seeds=1")
    assert result.exit_code == 0, result.output
    folder = out / "overrides" / "epochs=3+lr=0.3,3.0+seeds=1"
    assert f"Results in {folder / 'results'}" in result.output
    assert "lr=0.3" in result.output and "lr=3" in result.output
    data = json.loads((folder / "results" / "tiny.json").read_text())
    assert [s["label"] for s in data["settings"]] == ["lr=0.3", "lr=3"]
    assert {(r["spec"]["lr"], r["spec"]["epochs"], r["seed"]) for r in data["runs"]} == \
        {(0.3, 3, 0), (3.0, 3, 0)}
    assert json.loads((folder / "overrides.json").read_text()) == {
        "set": ["epochs=3", "lr=0.3,3.0", "seeds=1"],
        "given": ["lr=0.3,3", "epochs=3", "seeds=1"]}
    assert not (folder / "results" / "wide.json").exists()       # only the named experiment
    # the report's results and cache are as they were
    assert (out / "results" / "tiny.json").read_bytes() == main_results
    assert sorted((out / "cache" / "runs").rglob("*.json")) == main_cache

    # the same overrides in another order, and 3 written 3.0: the same folder, all cached
    again = run(project, "tiny", "-S", "seeds=1", "-S", "epochs=3", "-S", "lr=0.3,3.0")
    assert again.exit_code == 0 and "0 trained" in again.output and str(folder) in again.output

    # clean removes their results too, and with --cache the whole folder
    assert invoke("clean", "--out", out).exit_code == 0
    assert not (folder / "results").exists() and (folder / "cache" / "runs").is_dir()
    assert invoke("clean", "--cache", "--out", out).exit_code == 0
    assert not (out / "overrides").exists()


def test_one_value_sets_the_field_wherever_the_file_sets_it():
    experiments = {e.name: e for e in config.load_all(ROOT / "experiments")}
    lr = overrides.apply(experiments["learning_rate"], overrides.parse(["lr=0.5"]))
    assert [s.label for s in lr.settings] == ["lr=0.5"] and lr.base["lr"] == 0.5
    optimizers = overrides.apply(experiments["optimizers"], overrides.parse(["lr=0.1"]))
    assert len(optimizers.settings) == 5
    assert {s.overrides["lr"] for s in optimizers.settings} == {0.1}
    no_activation = experiments["no_activation"]
    assert any("activation" in s.overrides for s in no_activation.settings)
    tanh = overrides.apply(no_activation, overrides.parse(["activation=tanh"]))
    assert {tanh.spec(s, 0).activation for s in tanh.settings} == {"tanh"}
    # several values sweep it, crossed with what the file sweeps
    wide = overrides.apply(experiments["learning_rate"],
                           overrides.parse(["sizes=[2,8,8,1],[2,4,4,1]"]))
    assert len(wide.settings) == 2 * len(experiments["learning_rate"].settings)
    assert wide.settings[0].label == "lr=0.01, sizes=2-8-8-1"


def test_names_are_stable_and_safe():
    parse = overrides.parse
    assert overrides.name(parse(["lr=5", "epochs=2000"])) == "epochs=2000+lr=5.0"
    assert overrides.name(parse(["epochs=2000", "lr=5.0"])) == "epochs=2000+lr=5.0"
    assert overrides.name(parse(["optimizer=adam,sgd"])) == "optimizer=adam,sgd"
    unsafe = overrides.name(parse(["sizes=[2,8,1]"]))
    assert unsafe.startswith("sha-") and unsafe == overrides.name(parse(["sizes=[2, 8, 1]"]))
    assert overrides.folder("out", ()) == Path("out")


def test_the_report_with_overrides_names_them_when_it_cannot_be_made(tmp_path):
    """A single learning rate leaves the report's learning-rate discussion nothing to
    compare: refused before anything is trained, naming the override."""
    with pytest.raises(overrides.OverrideError) as error:
        build.load_inputs(ROOT / "experiments", overrides=overrides.parse(["lr=0.5"]))
    assert str(error.value).startswith("--set lr=0.5: ")
    assert "learning_rate.toml" in str(error.value)
    out = tmp_path / "output"
    result = invoke("build", "--quick", "--set", "lr=0.5", "--experiments", ROOT / "experiments",
                    "--out", out)
    assert result.exit_code == 2 and result.output.startswith("error: --set lr=0.5: ")
    assert not out.exists()


def test_build_with_overrides_writes_a_report_of_its_own(tmp_path):
    out = tmp_path / "output"
    result = invoke("build", "--quick", "--format", "html", "--jobs", "2", "--set", "epochs=40",
                    "--set", "seeds=1", "--experiments", ROOT / "experiments", "--out", out, "-q")
    assert result.exit_code == 0, result.output
    folder = out / "overrides" / "epochs=40+seeds=1" / "quick"
    assert f"Report written: {folder / 'report.html'}" in result.output
    assert not (out / "quick").exists() and not (out / "report.html").exists()
    page = (folder / "report.html").read_text()
    # how to make it again
    assert "reportgen build --quick --set epochs=40 --set seeds=1" in page
    data = json.loads((folder / "results" / "learning_rate.json").read_text())
    assert {(r["spec"]["epochs"], r["seed"]) for r in data["runs"]} == {(40, 0)}
