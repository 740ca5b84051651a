"""An error in a worker process reaches the user as one paragraph, what failed and why;
``--debug`` shows the full traceback (the worker's too)."""
import textwrap

import pytest
from click.testing import CliRunner

from reportgen import processes
from reportgen.cli import main
from reportgen.experiments import runner

TWO_BATCHES = """
datasets = ["xor", "linear"]
seeds = 1
[base]
sizes = [2, 2, 1]
epochs = 5
"""


def disk_full(*args):
    raise OSError(28, "No space left on device")


@pytest.mark.skipif(not processes.can_fork(), reason="the pool's workers inherit the patch")
@pytest.mark.parametrize("args", [["run"], ["run", "--debug"], ["--debug", "run"]])
def test_a_training_workers_error_is_one_paragraph_and_debug_shows_its_traceback(
        tmp_path, monkeypatch, args):
    (tmp_path / "experiments").mkdir()
    (tmp_path / "experiments" / "tiny.toml").write_text(textwrap.dedent(TWO_BATCHES))
    monkeypatch.setattr(runner, "train_batch", disk_full)    # the forked workers inherit it
    result = CliRunner().invoke(main, args + ["--experiments", str(tmp_path / "experiments"),
                                              "--out", str(tmp_path / "out"), "-j", "2", "-q"])
    assert result.exit_code == 1
    message = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert message == ["error: training failed: OSError: [Errno 28] No space left on device; "
                       "finished runs are cached"]
    if "--debug" in args:
        assert "Traceback" in result.output and "in disk_full" in result.output
    else:
        assert result.output.strip() == message[0]
