"""The README's commands are the ones CI and the GitHub workflow run."""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _readme_block(heading):
    section = (ROOT / "README.md").read_text().split(heading, 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line.strip() for line in block.splitlines() if line.strip()]


def _ci_test_commands():
    text = (ROOT / ".ci" / "run").read_text()
    block = text.split("# >>> test commands", 1)[1].split("# <<< test commands", 1)[0]
    return [line.strip() for line in block.splitlines()[1:] if line.strip()]


def _workflow_commands():
    text = (ROOT / ".github" / "workflows" / "report.yml").read_text()
    return [m.strip() for m in re.findall(r"^\s*run: (.*)$", text, re.M)]


def test_ci_runs_the_readme_test_commands():
    readme_commands = _readme_block("## Run the tests")
    assert readme_commands == _ci_test_commands()
    assert any("pytest" in c for c in readme_commands)


def test_workflow_installs_tests_and_builds_like_the_readme():
    workflow = _workflow_commands()
    for command in _readme_block("## Run the tests"):
        assert command in workflow
    main_command = _readme_block("## Quick start")[0].split("&&")[-1].strip()
    assert main_command == "reportgen build" and main_command in workflow
    text = (ROOT / ".github" / "workflows" / "report.yml").read_text()
    assert "output/report.pdf" in text and "output/report.html" in text
    assert "actions/upload-artifact" in text


def test_readme_thumbnail_exists():
    readme = (ROOT / "README.md").read_text()
    image = re.search(r"!\[[^\]]*\]\(([^)]+)\)", readme).group(1)
    assert (ROOT / image).read_bytes()[:4] == b"\x89PNG"
