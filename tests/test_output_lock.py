"""One command at a time writes an output folder (a lock on it), and the stale temporary files
of a killed write are removed by the next command that writes there."""
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen import layout
from reportgen.cli import main

ROOT = Path(__file__).resolve().parent.parent

TINY = """
datasets = ["xor"]
seeds = 1
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
    return experiments, tmp_path / "output"


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_stale_temporary_files_are_removed_by_the_next_run(project):
    experiments, out = project
    (out / "results").mkdir(parents=True)
    stale = [out / ".x.json.abcd.tmp", out / "results" / ".tiny.json.k2_9zq1w.tmp"]
    for path in stale:
        path.write_text("half a file")
    kept = out / "notes.tmp"          # not a name atomic.py makes: left alone
    kept.write_text("mine")
    result = invoke("run", "--experiments", experiments, "--out", out, "-j", "1", "-q")
    assert result.exit_code == 0, result.output
    assert not any(path.exists() for path in stale)
    assert kept.read_text() == "mine"


def test_no_wait_exits_2_while_another_command_writes_the_folder(project):
    experiments, out = project
    with layout.output_lock(out):
        result = invoke("run", "--experiments", experiments, "--out", out, "--no-wait", "-q")
        assert result.exit_code == 2
        assert f"another reportgen is writing {out}" in result.output
        assert "(pid " in result.output
        assert not (out / "results").exists()          # nothing trained, nothing written
        assert invoke("clean", "--out", out, "--no-wait").exit_code == 2
    result = invoke("run", "--experiments", experiments, "--out", out, "--no-wait", "-q")
    assert result.exit_code == 0, result.output


def test_a_second_command_waits_for_the_first_then_trains_nothing(project):
    """The test holds the lock and trains, as a first build would; a second ``run`` started
    meanwhile says it waits, and once the lock is released finds every run in the cache."""
    from reportgen.experiments import load_all
    from reportgen.experiments.runner import run

    experiments, out = project
    with layout.output_lock(out):
        second = subprocess.Popen(
            [sys.executable, "-m", "reportgen.cli", "run", "--experiments", str(experiments),
             "--out", str(out), "-j", "1", "-q"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            waiting = second.stderr.readline()     # blocks until the second one waits
            assert "another reportgen is writing" in waiting and "waiting" in waiting
            _, stats = run(load_all(experiments), out, jobs=1, show_progress=False)
            assert stats.trained == 2
        except BaseException:
            second.kill()
            raise
    stdout, stderr = second.communicate(timeout=120)
    assert second.returncode == 0, stderr
    assert "0 trained" in stdout and "2 from cache" in stdout


def test_a_build_checks_its_config_then_exits_2_while_the_folder_is_written(tmp_path):
    out = tmp_path / "output"
    with layout.output_lock(out):
        result = invoke("build", "--quick", "--out", out, "--no-wait",
                        "--experiments", ROOT / "experiments")
    assert result.exit_code == 2, result.output
    assert f"error: another reportgen is writing {out}/ (pid " in result.output
    assert sorted(p.name for p in out.iterdir()) == [layout.LOCK]   # nothing trained
