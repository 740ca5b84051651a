"""End-to-end: a quick build writes a complete report; rebuilds reuse what they can."""
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SOURCE_DATE_EPOCH
from pdf_helpers import (assert_inside_the_text_area, distinct_images, flat_text, pdf_text,
                         pdftotext_available)
from reportgen.cli import main
from reportgen.report import build as build_module
from reportgen.report.templates import TEMPLATES_DIR

ROOT = Path(__file__).resolve().parent.parent

REQUIRED_HEADINGS = [
    "Introduction", "Experiment setups", "Sigmoid functions", "Neural network", "Backpropagation",
    "Results of your testing", "Screenshot and comparison figure",
    "Show the accuracy of your prediction", "Learning curve", "decision boundaries",
    "Discussion", "Try different learning rates", "Try different numbers of hidden units",
    "Try without activation functions", "Anything you want to share", "Extra",
    "Implement different optimizers", "Implement different activation functions",
    "Implement convolutional layers", "Questions", "What is the purpose of activation functions",
    "learning rate is too large or too small", "purpose of weights and biases", "Appendix",
]


# quick_build: the session's quick build of the shipped report (conftest.py)


def test_quick_build_writes_both_files_with_every_heading(quick_build):
    out, output = quick_build
    assert "Report written: " in output and "experiments" in output and "render pdf" in output
    html = (out / "report.html").read_text()
    assert html.startswith("<!DOCTYPE html>")
    flat = flat_text(out / "report.pdf")
    for heading in REQUIRED_HEADINGS:
        assert heading in flat, heading
    assert "Quick preview" in flat


def test_pdf_has_every_figure_caption_and_image(quick_build):
    out, _ = quick_build
    flat = flat_text(out / "report.pdf")
    figures = sorted((out / "figures").glob("*.png"))
    assert len(figures) >= 15
    assert len(distinct_images(out / "report.pdf")) == len(figures)
    for number in range(1, len(figures) + 1):
        assert f"Figure {number}:" in flat
    for number in range(1, 11):
        assert f"Table {number}:" in flat
    assert "The two data sets." in flat and "Ground truth and prediction on the XOR" in flat


@pytest.mark.skipif(not pdftotext_available(), reason="needs poppler's pdftotext")
def test_nothing_lies_outside_the_text_area(quick_build):
    out, _ = quick_build
    assert_inside_the_text_area(out / "report.pdf")


def test_no_placeholders_or_missing_values(quick_build):
    """...in the report's text; the engine's code it lists may say None (and NaN)."""
    from reportgen.report import listings

    out, _ = quick_build
    code = {line.strip() for lst in listings.load(ROOT / "experiments").listings
            for piece in lst.pieces for line in piece.code.splitlines()}
    text = "\n".join(line for line in pdf_text(out / "report.pdf").splitlines()
                     if line.strip() not in code)
    assert "return np.divide(_ONE, a, out=a)" not in text   # the code's lines are left out
    html = re.sub(r'<figure class="listing".*?</figure>', "", (out / "report.html").read_text(),
                  flags=re.S)
    for bad in ("None", "nan", "NaN", "{{", "{%", "\\frac", "Undefined"):
        assert bad not in text, bad
    assert "{{" not in html and ">None<" not in html


def test_html_is_self_contained(quick_build):
    out, _ = quick_build
    html = (out / "report.html").read_text()
    assert 'src="figures/' not in html and 'href="style.css"' not in html
    assert "http://" not in html and "https://" not in html
    assert html.count("data:image/svg+xml;base64,") >= 16


def test_the_build_writes_every_results_file(quick_build):
    from reportgen import results

    out, _ = quick_build
    names = sorted(p.stem for p in (ROOT / "experiments").glob("*.toml") if p.stem != "report")
    for name in names:
        data = json.loads((out / "results" / f"{name}.json").read_text())
        assert data["experiment"] == name and data["profile"] == "quick"
        assert results.stored_digest(name, out) == data["digest"]
        assert len(data["runs"]) == len(data["settings"]) * len(data["datasets"]) * 2


def test_numbers_in_the_report_are_the_measured_ones(quick_build):
    from reportgen import results

    out, _ = quick_build
    main_res = results.load("main", out)
    s = main_res.summary(main_res.settings[0], "xor")
    flat = flat_text(out / "report.pdf")
    assert f"{s.succeeded}/{s.runs} seeds converged on XOR" in flat
    seed0 = main_res.runs(main_res.settings[0], "xor")[0]
    correct = round(seed0.final_accuracy * 21)
    assert f"Accuracy on all 21 samples: {correct}/21" in flat


def test_the_facts_file_holds_every_section_and_the_measured_values(quick_build):
    from reportgen import results

    out, _ = quick_build
    facts = results.load_facts(out)
    assert list(facts) == ["introduction", "setups", "results", "discussion", "extra",
                           "questions", "appendix"]
    main_res = results.load("main", out)
    xor = main_res.summary(main_res.settings[0], "xor")
    main_xor = facts["introduction"]["main_xor"]
    assert (main_xor["succeeded"], main_xor["runs"]) == (xor.succeeded, xor.runs)
    lr = results.load("learning_rate", out)
    converged = [s for s in lr.settings
                 if all(lr.summary(s, d).succeeded == lr.summary(s, d).runs for d in lr.datasets)]
    assert [r["setting"] for r in facts["discussion"]["learning_rate"]["converged"]] == converged
    assert facts["appendix"]["training_runs"] == len({run.key for res in results.load_all(out).values()
                                                      for run in res.runs()})


def test_no_change_rebuild_is_up_to_date(quick_build, monkeypatch):
    out, _ = quick_build
    before = (out / "report.pdf").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)   # the date it was built with
    result = CliRunner().invoke(main, ["build", "--quick", "--out", str(out.parent),
                                       "--experiments", str(ROOT / "experiments")])
    assert result.exit_code == 0, result.output
    assert "0 trained" in result.output and "0 drawn" in result.output
    assert "Report up to date" in result.output
    assert (out / "report.pdf").read_bytes() == before


def test_template_change_rerenders_without_retraining_or_redrawing(quick_build, tmp_path):
    out, _ = quick_build
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    intro = templates / "sections" / "introduction.html.j2"
    intro.write_text(intro.read_text().replace('<p><strong>{{ _("Key findings.") }}</strong></p>',
                                               "<p>An added sentence, zebra.</p>"))
    # the HTML only: the PDF is made from it as by any other build (a layout of the quick
    # report costs several seconds, which the other PDF tests pay)
    report = build_module.build(ROOT / "experiments", out.parent, quick=True, jobs=1,
                                formats=("html",), show_progress=False, templates_dir=templates)
    details = {name: detail for name, _, detail in report.stages}
    assert " 0 trained" in details["experiments"]
    assert " 0 drawn" in details["figures"]
    assert not report.up_to_date
    assert "An added sentence, zebra." in (out / "report.html").read_text()


def test_an_edit_to_the_sweep_table_code_rerenders_the_report(quick_build, monkeypatch):
    """Regression: the report's key hashed only report/*.py and results.py, so an edit to
    experiments/summary.py (every sweep-table cell) left the report 'up to date'."""
    from test_figure_drawing import _edited

    out, _ = quick_build
    _edited(monkeypatch, "reportgen.experiments.summary")
    report = build_module.build(ROOT / "experiments", out.parent, quick=True, jobs=1,
                                formats=("html",), show_progress=False)
    details = {name: detail for name, _, detail in report.stages}
    assert not report.up_to_date
    assert " 0 trained" in details["experiments"]   # runs depend on the engine only


def test_failing_render_leaves_the_previous_report(quick_build, tmp_path):
    out, _ = quick_build
    before = {name: (out / name).read_bytes() for name in ("report.pdf", "report.html")}
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    appendix = templates / "sections" / "appendix.html.j2"
    appendix.write_text(appendix.read_text() + "{{ no_such_value }}")
    with pytest.raises(Exception, match="no_such_value"):
        build_module.build(ROOT / "experiments", out.parent, quick=True, jobs=1, show_progress=False,
                           templates_dir=templates)
    after = {name: (out / name).read_bytes() for name in before}
    assert after == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_missing_required_experiment_is_a_clear_error(tmp_path):
    exp = tmp_path / "experiments"
    shutil.copytree(ROOT / "experiments", exp)
    (exp / "hidden_units.toml").unlink()
    result = CliRunner().invoke(main, ["build", "--quick", "--experiments", str(exp),
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "needs the experiment file hidden_units.toml" in result.output
    assert not list((tmp_path / "out").rglob("report.pdf"))


def _build_with(tmp_path, edit, *options):
    """A quick build of a copy of the experiments that ``edit(folder)`` changed."""
    exp = tmp_path / "experiments"
    shutil.copytree(ROOT / "experiments", exp)
    edit(exp)
    return CliRunner().invoke(main, ["build", "--quick", "--experiments", str(exp),
                                     "--out", str(tmp_path / "out"), *options])


def _replace(exp, name, old, new):
    path = exp / f"{name}.toml"
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new))


@pytest.mark.parametrize("name, old, new, message", [
    ("no_activation", '"identity"', '"tanh"',
     "no_activation.toml: activation: the report compares hidden activations 'sigmoid' and "
     "'identity' (none); no setting has 'identity'"),
    ("hidden_units", "seeds = 5", "seeds = 3",
     "hidden_units.toml: seeds: the report runs every experiment over the same seeds"),
    ("optimizers", 'section = "extra.optimizers"', 'section = "extra.zebra"',
     "optimizers.toml: section: no section or part 'extra.zebra' in the report"),
])
def test_experiments_the_report_cannot_describe_stop_the_build_before_training(
        tmp_path, name, old, new, message):
    result = _build_with(tmp_path, lambda exp: _replace(exp, name, old, new))
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()   # nothing trained, nothing written


def test_a_setting_label_with_maths_characters_builds_and_is_shown_as_written(tmp_path):
    """A `$` in a label used to reach matplotlib as mathtext and break the figures."""
    label = r"identity $\frac$ hidden"
    result = _build_with(tmp_path, lambda exp: _replace(exp, "no_activation",
                                                        'label = "identity hidden, sigmoid output"',
                                                        f"label = '{label}'"),
                         "--format", "html", "--jobs", "2")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out" / "quick"
    assert label in (out / "figures" / "noact_curves.svg").read_text()
    assert f'<td class="text">{label}</td>' in (out / "report.html").read_text()
