"""Every {% if %} of every section template is taken both ways by the section tests' cases."""
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
