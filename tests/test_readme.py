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


def test_workflow_pins_every_action_by_commit_and_limits_itself():
    """Actions by full commit SHA with the release in a comment; read-only token, one run per
    ref, a timeout, an artifact that must exist and expires."""
    text = (ROOT / ".github" / "workflows" / "report.yml").read_text()
    uses = re.findall(r"^\s*(?:- )?uses: (\S+)(.*)$", text, re.M)
    assert {u.split("@")[0] for u, _ in uses} >= {
        "actions/checkout", "actions/setup-python", "actions/cache/restore",
        "actions/cache/save", "actions/upload-artifact"}
    for action, comment in uses:
        assert re.fullmatch(r"[\w./-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r"\s+# v\d+\.\d+\.\d+", comment), (action, comment)
    for line in ("permissions:\n  contents: read", "concurrency:", "timeout-minutes:",
                 "pull_request:", "workflow_dispatch:", "if-no-files-found: error",
                 "retention-days:", "cache: pip", "path: output/cache/runs"):
        assert line in text, line


def test_workflow_keys_the_run_cache_by_what_a_run_key_hashes():
    """The NumPy version and the engine's source digest, as reportgen.keys makes it for runs
    (experiments/cache.py: key_of), so that the cache is kept exactly as long as it is valid."""
    text = (ROOT / ".github" / "workflows" / "report.yml").read_text()
    command = re.search(r"engine=\$\(python -c '(.*)'\)", text).group(1)
    assert command == 'from reportgen import keys; print(keys.code_digest(keys.DEPENDS_ON["run"])[:16])'
    assert "numpy=$(python -c 'import numpy; print(numpy.__version__)')" in text
    assert "hashFiles('experiments/*.toml')" in text
    cache = (ROOT / "reportgen" / "experiments" / "cache.py").read_text()
    assert 'keys.key("run", {"spec": spec_dict, "dataset": dataset, "numpy": np.__version__})' \
        in cache


def _readme_font_packages():
    """The packages of the README's font command (Quick start: ``sudo apt-get install -y ...``)."""
    section = (ROOT / "README.md").read_text().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [c for block in re.findall(r"```bash\n(.*?)```", section, re.S)
                for c in block.splitlines() if "apt-get install" in c]
    assert len(commands) == 1, commands
    return commands[0].split("apt-get install", 1)[1].replace("-y", "").split()


def test_ci_and_the_workflow_install_the_readme_fonts():
    """The README's set-up installs the report's fonts (a CJK one among them), and so do .ci/run
    (before the tests, which build a report in Traditional Chinese) and the workflow."""
    packages = _readme_font_packages()
    assert {"fonts-noto-cjk", "fonts-dejavu-core"} <= set(packages)
    text = (ROOT / ".ci" / "run").read_text()
    block = text.split("# >>> fonts", 1)[1].split("# <<< fonts", 1)[0]
    assert re.search(r'^fonts="(.*)"$', block, re.M).group(1).split() == packages
    assert "apt-get install -y -qq $missing" in text and 'missing="$fonts"' in text
    assert text.index("# <<< fonts") < text.index("# >>> test commands")
    installs = [c for c in _workflow_commands() if "apt-get install" in c]
    assert installs and set(packages) <= set(installs[0].split())
