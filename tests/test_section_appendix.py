"""The appendix section: every branch of its template, against hand-built facts."""
import dataclasses

from reportgen.report.filters import sci

import pytest

from branches import render, text, words
from reportgen.report.sections.appendix import AppendixFacts

BASE = AppendixFacts(
    command="reportgen build", package_version="9.9.9", git_commit="0123456789abcdef",
    git_dirty=False, results_commits=[], python="3.11.7", numpy="2.4.6", platform="Linux-x86_64", date="2026-12-01",
    quick=False, seeds=[0, 1, 2], training_runs=123, experiments=8,
    results_dir="output/results", experiments_dir="experiments", gradcheck_max=3.4e-9,
    gradcheck_tolerance=1e-6, gradchecks_passed=True, checked_losses=2, checked_paddings=2)

CASES = {
    "clean checkout, checks passed": BASE,
    "dirty checkout, quick, results of earlier builds": dataclasses.replace(
        BASE, git_dirty=True, quick=True, results_commits=["0123456789ab", "fedcba987654"],
                                                 command="reportgen build --quick",
                                                 results_dir="output/quick/results"),
    "no git, a check failed": dataclasses.replace(BASE, git_commit=None, git_dirty=None,
                                                  gradcheck_max=2.5e-3, gradchecks_passed=False,
                                                  checked_losses=3, checked_paddings=1),
}

FOREIGN = dataclasses.replace(BASE, engine="student.py", engine_builtin=False, engine_checks=31,
                              engine_failed=0, engine_skipped=0, unsupported_runs=0,
                              gradcheck_tolerance=1e-5)
CASES["a foreign engine, every check passed"] = FOREIGN
CASES["a foreign engine: checks failed and skipped, runs not supported"] = dataclasses.replace(
    FOREIGN, engine_failed=2, engine_skipped=8, unsupported_runs=68, gradcheck_max=0.4,
    gradchecks_passed=False)
CASES["a foreign engine: checks failed, none skipped"] = dataclasses.replace(
    FOREIGN, engine_failed=3, gradcheck_max=0.4, gradchecks_passed=False)
CASES["a foreign engine: checks skipped, none failed"] = dataclasses.replace(
    FOREIGN, engine_skipped=5)


def test_the_engine_is_named_and_a_foreign_one_shows_its_checks():
    own = words(render("appendix", BASE))
    assert "from the experiment files and the code of the engine reportgen.engine (reportgen's " \
        "own)" in own and "reportgen check" not in own
    passed = words(render("appendix", FOREIGN))
    assert "the code of the engine student.py, the network under test" in passed
    assert "engine student.py" in passed and "below the 10⁻⁶ threshold" not in passed
    assert "found of it at the start of this build, 31 checks: none failed." in passed
    assert "skipped" not in passed and "runs of the experiments were not trained" not in passed
    failed = words(render("appendix", CASES["a foreign engine: checks failed and skipped, runs "
                                           "not supported"]))
    assert "31 checks: 2 FAILED, 8 skipped (the engine does not support" in failed
    assert "68 runs of the experiments were not trained: the engine does not support their " \
        "specs" in failed
    only_failed = words(render("appendix", CASES["a foreign engine: checks failed, none "
                                                "skipped"]))
    assert "31 checks: 3 FAILED. Its gradients" in only_failed and "skipped" not in only_failed
    skipped = words(render("appendix", CASES["a foreign engine: checks skipped, none failed"]))
    assert "31 checks: none failed, 5 skipped (the engine does not support" in skipped


@pytest.fixture(params=list(CASES))
def case(request):
    return request.param, text(render("appendix", CASES[request.param]))


def test_every_case_states_its_own_numbers(case):
    name, words = case
    facts = CASES[name]
    assert f"{facts.training_runs} ({facts.experiments} experiments;" in words
    assert "seeds 0, 1, 2 for every setting" in words
    assert f"largest relative error was {sci(facts.gradcheck_max, digits=2)}" in words
    assert facts.command in words


def test_git_state_and_profile():
    assert "0123456789ab (clean)" in text(render("appendix", CASES["clean checkout, checks passed"]))
    dirty = text(render("appendix", CASES["dirty checkout, quick, results of earlier builds"]))
    assert "0123456789ab (with uncommitted changes)" in dirty
    assert "quick preview (--quick)" in dirty
    assert "the files in experiments/ , the results in output/quick/results/*.json" in dirty
    assert "not built from a git checkout" in text(render("appendix", CASES["no git, a check failed"]))


def test_the_gradient_check_verdict_follows_the_facts():
    passed = text(render("appendix", CASES["clean checkout, checks passed"]))
    failed = text(render("appendix", CASES["no git, a check failed"]))
    assert "below the 10⁻⁶ threshold in every case" in passed and "FAILED" not in passed
    assert "SOME CHECKS FAILED the 10⁻⁶ threshold" in failed and "below the" not in failed


def test_what_the_checks_cover_is_counted():
    assert "every hidden activation, both losses, with and without biases, and for the " \
        "convolutional layer with both paddings:" in text(render("appendix", BASE))
    assert "all three losses, with and without biases, and for the convolutional layer with " \
        "the padding:" in text(render("appendix", CASES["no git, a check failed"]))


def test_results_written_by_earlier_builds_are_named():
    said = text(render("appendix", CASES["dirty checkout, quick, results of earlier builds"]))
    assert "results written by 0123456789ab and fedcba987654: an experiment's results file" in said
    assert "results written by" not in text(render("appendix", BASE))


def test_the_results_commits_are_listed_only_when_they_differ():
    from types import SimpleNamespace

    from reportgen.report.sections.appendix import _results_commits

    def res(commit):
        return SimpleNamespace(data={"provenance": {"git_commit": commit}})

    assert _results_commits({"a": res("a" * 40)}, "a" * 40) == []
    assert _results_commits({"a": res("a" * 40), "b": res("b" * 40)}, "a" * 40) == ["a" * 12,
                                                                                    "b" * 12]


def test_every_case_in_traditional_chinese():
    from branches import english_left
    from reportgen import i18n

    with i18n.language("zh-TW"):
        pages = {name: render("appendix", facts) for name, facts in CASES.items()}
    for name, page in pages.items():
        assert english_left(page) == [], name
    said = text(pages["clean checkout, checks passed"])
    assert "針對每種隱藏層激勵函數、兩種損失函數、有無偏差，以及採用兩種填補方式的卷積層" in said
    assert "每個設定皆為 0、1、2" in said
    failed = text(pages["a foreign engine: checks failed and skipped, runs not supported"])
    assert "共 31 項檢查：2 項未通過，8 項略過" in failed
