"""Every {% if %} of every section template is taken both ways by the section tests' cases,
and those of the page around them by its own."""
import importlib

import pytest

import branches
from reportgen.report.sections import SECTIONS

SECTION_IDS = [s.id for s in SECTIONS]


def _cases(section_id):
    return importlib.import_module(f"test_section_{section_id}").CASES


@pytest.mark.parametrize("section_id", SECTION_IDS)
def test_every_branch_of_the_template_is_taken_both_ways(section_id):
    for facts in _cases(section_id).values():
        branches.render(section_id, facts)
    assert branches.untaken([section_id]) == []


def test_the_probe_sees_an_untaken_branch():
    """The check can fail: one case alone leaves some branch untaken."""
    section_id = SECTION_IDS[0]
    branches.SEEN.clear()
    branches.render(section_id, next(iter(_cases(section_id).values())))
    assert branches.untaken([section_id])
    branches.SEEN.clear()


def test_the_page_around_the_sections():
    full, quick = (branches.text(branches.render_page(q, seeds=3)) for q in (False, True))
    assert "Quick preview." not in full
    assert "Quick preview. This report was built with --quick : at most 3 seeds" in quick
    assert "Contents 1. Introduction" in full
    assert branches.untaken(templates=[branches.PAGE]) == []
