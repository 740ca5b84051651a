"""Foreign engines: a student's engine written apart from reportgen (tests/engines/student.py:
dense layers, plain SGD, no leaky ReLU) builds the report, with the parts it cannot train
saying so; ``reportgen check`` passes it and reportgen's own engine, and fails it with a
backpropagation bug; its runs' cache keys follow its source; bad engines stop with one
paragraph and exit status 2."""
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from branches import words
from reportgen.cli import main
from reportgen.experiments import engines
from reportgen.experiments.config import ConfigError, load_engine_config

ROOT = Path(__file__).resolve().parent.parent
STUDENT = Path(__file__).resolve().parent / "engines" / "student.py"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """The shipped experiments with one seed and 40 epochs under --quick."""
    folder = tmp_path_factory.mktemp("tiny") / "experiments"
    folder.mkdir()
    for path in (ROOT / "experiments").glob("*.toml"):
        text = re.sub(r"(?m)^seeds = \d+$", "seeds = 1", path.read_text())
        if path.name != "report.toml":
            text += "\n[quick]\nepochs = 40\n"
        (folder / path.name).write_text(text)
    return folder


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def copy_engine(folder, name="engine.py", edit=None):
    source = STUDENT.read_text()
    path = Path(folder) / name
    path.write_text(edit(source) if edit else source)
    return path


def test_a_students_engine_builds_the_report_and_says_what_it_cannot_train(tiny, tmp_path):
    result = invoke("build", "--quick", "--format", "html", "--jobs", "2", "--engine", STUDENT,
                    "--experiments", tiny, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert re.search(r"engine checks .* 33 checks: 0 failed", result.output)
    page = (tmp_path / "out" / "quick" / "report.html").read_text()
    said = words(page)
    start = said.rindex("5. Extra")                      # the section, not the contents
    extra = said[start:said.index("6. Questions", start)]
    assert extra.count("Not supported by this engine.") == 3
    assert "does not support 12 of the 15 settings of the experiment optimizers" in extra
    assert "does not support 2 of the 8 settings of the experiment activations" in extra
    assert "does not support 3 of the 6 settings of the experiment convolution" in extra
    assert "%" not in extra                     # no number of runs that were not trained
    assert "The optimizers were not compared: the engine in use does not support them all" in said
    appendix = said[said.rindex("7. Appendix"):]
    assert f"the code of the engine {STUDENT}, the network under test" in appendix
    assert "33 checks: none failed, 10 skipped" in appendix
    assert "not supported by this engine (NotImplementedError: activation 'leaky_relu')" in appendix
    assert "SGD steps" in appendix


def test_reportgen_check_passes_the_reference_and_the_student_engine():
    own = invoke("check", "reportgen.engine")
    assert own.exit_code == 0, own.output
    assert "all 33 checks passed" in own.output and "skip" not in own.output
    student = invoke("check", STUDENT)
    assert student.exit_code == 0, student.output
    assert "all 23 checks passed (10 skipped)" in student.output


def test_a_backpropagation_bug_fails_the_check_naming_the_gradient(tmp_path):
    # the bug: the hidden layers' activation derivative is left out of the backward pass
    buggy = copy_engine(tmp_path, edit=lambda s: s.replace(
        "delta = (delta @ self.params[f\"W{i}\"].T) * ACTIVATIONS[self._activation(i - 1)][1](a, "
        "self.spec)", "delta = delta @ self.params[f\"W{i}\"].T"))
    assert buggy.read_text() != STUDENT.read_text()
    result = invoke("check", buggy)
    assert result.exit_code == 1, result.output
    line = next(l for l in result.output.splitlines()
                if l.strip().startswith("FAIL") and "dense sigmoid, mean squared error, with biases" in l)
    assert re.search(r"the gradient of (W|b)[12]\[[\d, ]+\] is -?[\d.e-]+ by backpropagation, "
                     r"-?[\d.e-]+ by finite differences \(relative error", line), line
    steps = next(l for l in result.output.splitlines() if "SGD steps" in l and "FAIL" in l)
    assert "step 1: the gradient of W1[" in steps and "by the reference engine" in steps


def test_editing_the_engine_retrains_its_runs_and_nothing_else(tiny, tmp_path):
    out, engine = tmp_path / "out", copy_engine(tmp_path)

    def trained(*engine_args):
        result = invoke("run", "main", "--quick", "--quiet", "--jobs", "1", "--experiments", tiny,
                        "--out", out, *engine_args)
        assert result.exit_code == 0, result.output
        return int(re.search(r"(\d+) runs: (\d+) trained", result.output)[2])

    assert trained() == 2                                  # reportgen's own engine
    assert trained("--engine", engine) == 2 and trained("--engine", engine) == 0
    engine.write_text(engine.read_text() + "\n# a comment: the source changed\n")
    assert trained("--engine", engine) == 2
    assert trained() == 0                                  # the built-in runs are still cached


def test_the_engine_of_report_toml_and_its_fields(tiny, tmp_path):
    folder = tmp_path / "experiments"
    shutil.copytree(tiny, folder)
    copy_engine(tmp_path, "mine.py")
    (folder / "report.toml").write_text('[engine]\npath = "mine.py"\ntimeout = 5\n')
    engine = engines.resolve(folder)
    assert (engine.builtin, engine.name, engine.timeout) == (False, "mine.py", 5.0)
    assert engine.sources == ((tmp_path / "mine.py").resolve(),)
    assert engines.resolve(folder, "reportgen.engine").builtin      # --engine overrides it
    for text, field in [('module = "a"\npath = "b.py"', "engine"), ('path = "b.txt"', "engine.path"),
                        ("timeout = 0", "engine.timeout"), ('modul = "a"', "engine.modul"),
                        ('module = ""', "engine.module")]:
        (folder / "report.toml").write_text(f"[engine]\n{text}\n")
        with pytest.raises(ConfigError, match=f"report.toml: {re.escape(field)}: "):
            load_engine_config(folder)
    (folder / "report.toml").write_text('[engine]\npath = "missing.py"\n')
    with pytest.raises(engines.EngineError, match=r"report.toml: engine.path: engine missing.py: "
                                                  r"no such file"):
        engines.resolve(folder)


BAD_ENGINES = {
    "does not import": ("import numpy\nraise ImportError('no module named mylab')\n",
                        r"it does not import: ImportError: no module named mylab"),
    "has no train": ("def fit(spec, X, y):\n    pass\n", r"it has no train\(spec, X, y\) function"),
    "wrong shapes": (None, r"network.forward\(X\) gave shape \((21|100),\), expected shape "
                           r"\((21|100), 1\)"),
    "prints": (None, r"train printed to stdout \('epoch 0 loss"),
    "raises": (None, r"train raised ZeroDivisionError: division by zero"),
}
EDITS = {
    "wrong shapes": lambda s: s.replace("        return self.outputs[-1]\n",
                                        "        return self.outputs[-1][:, 0]\n"),
    "prints": lambda s: s.replace("            losses.append(loss_value(yhat, y, spec.loss))\n",
                                  "            losses.append(loss_value(yhat, y, spec.loss))\n"
                                  "            print(f'epoch {epoch} loss {losses[-1]}')\n"),
    "raises": lambda s: s.replace("    net = Network.from_spec(spec)\n    shuffle",
                                  "    net = Network.from_spec(spec)\n    1 / 0\n    shuffle"),
}


@pytest.mark.parametrize("bad", list(BAD_ENGINES))
def test_a_bad_engine_stops_with_one_paragraph_and_status_2(bad, tiny, tmp_path):
    source, message = BAD_ENGINES[bad]
    engine = tmp_path / "bad.py"
    engine.write_text(source if source else EDITS[bad](STUDENT.read_text()))
    out = tmp_path / "out"
    (out / "quick").mkdir(parents=True)
    (out / "quick" / "report.html").write_text("the previous report")
    result = invoke("build", "--quick", "--format", "html", "--jobs", "2", "--engine", engine,
                    "--experiments", tiny, "--out", out)
    assert result.exit_code == 2, result.output
    error = result.output.strip().splitlines()[-1]
    assert error.startswith(f"error: ") and f"engine {engine}" in error, result.output
    assert re.search(message, error), error
    assert "Traceback" not in result.output
    assert (out / "quick" / "report.html").read_text() == "the previous report"


def test_a_missing_engine_file_and_module(tiny):
    missing = invoke("run", "main", "--quick", "--experiments", tiny, "--engine", "nowhere.py")
    assert missing.exit_code == 2
    assert "error: --engine: engine nowhere.py: no such file" in missing.output
    module = invoke("check", "no_such_lab.network")
    assert module.exit_code == 2 and "Traceback" not in module.output
    assert ("--engine: engine no_such_lab.network: it does not import: ModuleNotFoundError: No "
            "module named 'no_such_lab'") in module.output


def test_a_hanging_engine_is_stopped_at_its_time_limit(tiny, tmp_path):
    folder = tmp_path / "experiments"
    shutil.copytree(tiny, folder)
    (tmp_path / "slow.py").write_text(STUDENT.read_text().replace(
        "    net = Network.from_spec(spec)\n    shuffle",
        "    import time\n    time.sleep(30)\n    net = Network.from_spec(spec)\n    shuffle"))
    (folder / "report.toml").write_text('[engine]\npath = "slow.py"\ntimeout = 0.5\n')
    result = invoke("run", "main", "--quick", "--quiet", "--experiments", folder, "--out",
                    tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "train did not finish within 0.5 s, the time limit on one run" in result.output


def test_the_readmes_minimal_engine_passes_the_check(tmp_path):
    readme = (ROOT / "README.md").read_text()
    source = readme.split("A complete minimal engine", 1)[1].split("```python\n", 1)[1]
    engine = tmp_path / "minimal.py"
    engine.write_text(source.split("```", 1)[0])
    result = invoke("check", engine)
    assert result.exit_code == 0, result.output
    assert "all 6 checks passed (27 skipped)" in result.output


def test_the_watch_polls_a_students_engine_and_loads_it_afresh(tmp_path, monkeypatch):
    from reportgen.watch import Sources

    experiments = tmp_path / "experiments"
    experiments.mkdir()
    engine = tmp_path / "mylab" / "network.py"
    engine.parent.mkdir()
    (engine.parent / "__init__.py").write_text("")
    engine.write_text("def train(spec, X, y):\n    return 1\n")
    (experiments / "report.toml").write_text('[engine]\nmodule = "mylab.network"\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    assert set(engines.source_files(experiments)) == {engine.resolve(),
                                                       (engine.parent / "__init__.py").resolve()}
    assert engines.source_files(experiments, "mylab/network.py") == (
        (Path(".") / "mylab/network.py").resolve(),)
    assert engines.source_files(experiments, "reportgen.engine") == ()
    sources = Sources(experiments, tmp_path / "templates")
    assert str(engine.resolve()) in sources.snapshot()
    first = engines.resolve(experiments).module
    engine.write_text("def train(spec, X, y):\n    return 2\n")
    # an edit is read at the next load, as a watch's next build does
    assert first.train(None, None, None) == 1
    assert engines.resolve(experiments).module.train(None, None, None) == 2
