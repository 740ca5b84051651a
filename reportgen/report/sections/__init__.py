"""The report's sections, one module each, in document order."""
from . import appendix, discussion, extra, introduction, questions, results, setups

SECTIONS = [module.SECTION for module in
            (introduction, setups, results, discussion, extra, questions, appendix)]
