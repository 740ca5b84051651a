"""The README's commands are the ones CI runs."""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _ci_test_commands():
    text = (ROOT / ".ci" / "run").read_text()
    block = text.split("# >>> test commands", 1)[1].split("# <<< test commands", 1)[0]
    return [line.strip() for line in block.splitlines()[1:] if line.strip()]


def test_ci_runs_the_readme_test_commands():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Run the tests", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    readme_commands = [line.strip() for line in block.splitlines() if line.strip()]
    assert readme_commands == _ci_test_commands()
    assert any("pytest" in c for c in readme_commands)
