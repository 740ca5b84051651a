"""Bounds on work and checked outputs: nothing starts that cannot finish or cannot be written."""
import shutil
import time
from pathlib import Path

import pytest

from reportgen.engine import RunSpec
from reportgen.experiments import bounds, load_all
from test_experiments import SMALL, invoke, write_experiments

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def no_training(monkeypatch):
    """Any training fails the test."""
    from reportgen import demo
    from reportgen.experiments import runner

    def refuse(*args, **kwargs):
        raise AssertionError("trained")

    monkeypatch.setattr(runner, "train_missing", refuse)
    monkeypatch.setattr(demo, "train", refuse)


def one_paragraph_error(result, *parts):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.output.startswith("error: ") and len(result.output.strip().splitlines()) == 1
    for part in parts:
        assert part in result.output, result.output


# ---- absurd values: refused by RunSpec, whatever the flag --------------------------------

ABSURD = [
    ({"epochs": 10**12}, "epochs: must be <= 10000000"),
    ({"epochs": 10**7 + 1}, "epochs: must be <= 10000000"),
    ({"sizes": (2, 1000000, 1000000, 1)}, "sizes: every layer has at most 10000 units"),
    ({"batch_size": 10**9}, "batch_size: must be <= 1000000"),
    ({"sizes": (2, 4, 1), "conv": [{"channels": 10**5, "kernel": 2}]}, "conv[0].channels: must be <= 10000"),
    ({"sizes": (2, 4, 1), "conv": [{"channels": 2, "kernel": 10**5, "padding": "same"}]},
     "conv[0].kernel: must be <= 10000"),
]


@pytest.mark.parametrize("fields,message", ABSURD, ids=[m for _, m in ABSURD])
def test_runspec_refuses_absurd_values(fields, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        RunSpec(**fields)


@pytest.mark.parametrize("line,field", [("epochs = 1000000000000", "base.epochs"),
                                        ("sizes = [2, 1000000, 1000000, 1]", "base.sizes")])
def test_absurd_experiment_exits_2_even_with_allow_large(tmp_path, no_training, line, field):
    exp = write_experiments(tmp_path / "e", big=f"seeds = 2\n[base]\n{line}\n")
    for extra in ([], ["--allow-large"]):
        result = invoke("run", "--experiments", exp, "--out", tmp_path / "o", *extra)
        one_paragraph_error(result, "big.toml: ", f"{field}: ")
    assert not (tmp_path / "o").exists()


# ---- work and memory bounds --------------------------------------------------------------

def test_shipped_report_is_within_its_documented_work():
    total = sum(bounds.estimate(e).work for e in load_all(ROOT / "experiments"))
    assert bounds.SHIPPED_WORK / 2 < total <= bounds.SHIPPED_WORK
    assert bounds.WORK_LIMIT == 10 * bounds.SHIPPED_WORK
    assert all(bounds.estimate(e).memory < 100 * 1024**2 for e in load_all(ROOT / "experiments"))


def test_parameter_count_matches_the_built_network():
    from reportgen.engine import Network

    for spec in (RunSpec(), RunSpec(sizes=(2, 8, 3, 1), bias=False),
                 RunSpec(sizes=(2, 4, 1), conv=[{"channels": 3, "kernel": 2}], lift="proj8"),
                 RunSpec(sizes=(2, 1), conv=[{"channels": 2, "kernel": 3, "padding": "same"}])):
        assert bounds.parameter_count(spec) == Network.from_spec(spec).parameter_count()


def test_ten_million_epochs_stop_run_build_and_list_before_training(tmp_path, no_training):
    exp = tmp_path / "experiments"
    shutil.copytree(ROOT / "experiments", exp)
    main = exp / "main.toml"
    main.write_text(main.read_text().replace("epochs = 5000", "epochs = 10000000"))
    assert "epochs = 10000000" in main.read_text()
    out = tmp_path / "o"
    for command in (["run", "main"], ["build"], ["list"]):
        start = time.monotonic()
        result = invoke(*command, "--experiments", exp, "--out", out)
        one_paragraph_error(result, "main.toml: base.epochs: the estimated work is",
                            "over the limit of 1e+11", "--allow-large")
        assert time.monotonic() - start < 5
    assert not out.exists()


def test_allow_large_lets_a_merely_large_experiment_through(tmp_path, monkeypatch):
    monkeypatch.setattr(bounds, "WORK_LIMIT", 1000.0)
    exp = write_experiments(tmp_path / "e", small=SMALL)
    out = tmp_path / "o"
    result = invoke("run", "--experiments", exp, "--out", out, "--jobs", 1)
    one_paragraph_error(result, "small.toml: ", "over the limit of 1e+03")
    assert not out.exists()
    result = invoke("run", "--experiments", exp, "--out", out, "--jobs", 1, "--allow-large")
    assert result.exit_code == 0, result.output
    result = invoke("list", "--experiments", exp, "--out", out, "--allow-large")
    assert result.exit_code == 0, result.output


def test_memory_bound_names_the_memory(tmp_path, no_training, monkeypatch):
    monkeypatch.setattr(bounds, "MEMORY_LIMIT", 1000)
    exp = write_experiments(tmp_path / "e", small=SMALL)
    result = invoke("run", "--experiments", exp, "--out", tmp_path / "o")
    one_paragraph_error(result, "small.toml: ", "of arrays (the largest stack", "over the limit of 0.977 kB")


def test_list_shows_the_estimate(tmp_path):
    exp = write_experiments(tmp_path / "e", small=SMALL)
    result = invoke("list", "--experiments", exp, "--out", tmp_path / "o")
    assert result.exit_code == 0, result.output
    header, row = result.output.splitlines()[:2]
    assert "work" in header and "memory" in header
    work = bounds.estimate(load_all(exp)[0]).work
    assert f"{work:.2g}" in row


def test_train_checks_its_network_against_the_limits(no_training, monkeypatch):
    result = invoke("train", "--hidden", "10000", "10000", "--epochs", "10000000")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "--allow-large" in result.output and "over the limit" in result.output
    result = invoke("train", "--hidden", "20000", "--allow-large")
    assert result.exit_code == 2 and "at most 10000 units" in result.output
    monkeypatch.setattr(bounds, "WORK_LIMIT", 1000.0)
    result = invoke("train", "--epochs", "10")
    assert result.exit_code == 2 and "over the limit" in result.output


def test_train_allow_large_trains(monkeypatch):
    monkeypatch.setattr(bounds, "WORK_LIMIT", 1000.0)
    result = invoke("train", "--epochs", "10", "--allow-large")
    assert result.exit_code == 0, result.output


# ---- output paths checked before training ------------------------------------------------

@pytest.mark.parametrize("figure", ["/nonexistent/dir/f.png", "{tmp}"])
def test_train_figure_to_a_missing_or_bad_folder_exits_2_at_once(tmp_path, no_training, figure):
    start = time.monotonic()
    result = invoke("train", "--figure", figure.format(tmp=tmp_path))
    assert result.exit_code == 2, result.output
    assert "--figure" in result.output and "Traceback" not in result.output
    assert time.monotonic() - start < 1


def test_train_figure_to_a_read_only_folder_exits_2(tmp_path, no_training):
    import os

    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        result = invoke("train", "--figure", folder / "f.png")
        assert result.exit_code == 2 and "--figure" in result.output
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize("command", ["run", "build", "list", "clean"])
def test_empty_or_file_out_is_refused_by_every_command(tmp_path, no_training, command, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exp = write_experiments(tmp_path / "e", small=SMALL)
    before = sorted(p.name for p in tmp_path.iterdir())
    args = [command] + ([] if command == "clean" else ["--experiments", exp])
    result = invoke(*args, "--out", "")
    assert result.exit_code == 2 and "--out" in result.output, result.output
    (tmp_path / "afile").write_text("x")
    result = invoke(*args, "--out", tmp_path / "afile")
    assert result.exit_code == 2 and "--out" in result.output, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(before + ["afile"])


# ---- report.toml is read by every command that reads the experiments ----------------------

@pytest.mark.parametrize("command", ["run", "list"])
def test_broken_report_toml_stops_run_and_list(tmp_path, no_training, command):
    exp = write_experiments(tmp_path / "e", small=SMALL)
    (exp / "report.toml").write_text("[report]\ntitel = 'x'\n")
    result = invoke(command, "--experiments", exp, "--out", tmp_path / "o")
    one_paragraph_error(result, "report.toml: report.titel: unknown key")
    (exp / "report.toml").write_text("[report\n")
    result = invoke(command, "--experiments", exp, "--out", tmp_path / "o")
    one_paragraph_error(result, "report.toml: invalid TOML")
    assert not (tmp_path / "o").exists()
