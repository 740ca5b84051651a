"""The JSON Schema of the experiment files, for editors: generated from the validation's own
rules, committed as experiments/schema.json and experiments/report.schema.json, accepting every
shipped file and rejecting the bad configurations that reportgen rejects."""
import datetime
import json
import tomllib
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.experiments import editor_schema
from test_experiments import BAD_CONFIGS

ROOT = Path(__file__).resolve().parent.parent
EXPERIMENTS = ROOT / "experiments"
#: what only the TOML parser can refuse (an editor flags it before any schema)
NOT_TOML = {"syntax", "not utf-8"}


def _validator(name):
    schema = json.loads((EXPERIMENTS / name).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def _as_json(value):
    """A TOML document as an editor hands it to the schema: dates become strings."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return value


@pytest.mark.parametrize("name", list(editor_schema.FILES))
def test_the_committed_schemas_are_the_generated_ones(name):
    committed = (EXPERIMENTS / name).read_text(encoding="utf-8")
    assert committed == editor_schema.text(name), \
        f"experiments/{name} is stale: run `reportgen schema --write experiments`"


def test_the_schema_accepts_every_shipped_file():
    experiment, report = _validator("schema.json"), _validator("report.schema.json")
    files = sorted(EXPERIMENTS.glob("*.toml"))
    assert len(files) >= 9   # every experiment the report reads, and report.toml
    for path in files:
        validator = report if path.name == "report.toml" else experiment
        errors = [e.message for e in validator.iter_errors(_as_json(tomllib.loads(
            path.read_text(encoding="utf-8"))))]
        assert errors == [], path.name


@pytest.mark.parametrize("case,text,message", BAD_CONFIGS, ids=[c[0] for c in BAD_CONFIGS])
def test_the_schema_rejects_every_bad_config(case, text, message):
    try:
        data = tomllib.loads(text.encode("utf-8", "surrogateescape").decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        assert case in NOT_TOML
        return
    assert case not in NOT_TOML
    assert not _validator("schema.json").is_valid(data), message


@pytest.mark.parametrize("text", [
    "[base]\nloss = \"bce\"\noutput_activation = \"identity\"\n",     # bce needs sigmoid
    "[base]\nlr = inf\n",
    "[base]\nsizes = [3, 4, 1]\n",
    "[base]\nepochs = 10000001\n",
    "[[variant]]\nlabel = \"a\"\nlift = \"raw\"\nsizes = [2, 4, 1]\nconv = [{channels = 2, kernel = 3}]\n",
    "[sweep]\nlr = []\n",
    "[quick]\nepochs = 0\n",
    "[sweep]\nseed = [1, 2]\n",
])
def test_the_schema_rejects_more_of_what_runspec_refuses(tmp_path, text):
    assert not _validator("schema.json").is_valid(tomllib.loads(text))
    (tmp_path / "bad.toml").write_text(text)           # ... and so does reportgen
    result = CliRunner().invoke(main, ["list", "--experiments", str(tmp_path)])
    assert result.exit_code == 2 and "bad.toml: " in result.output, result.output


@pytest.mark.parametrize("text", [
    # what one table cannot know is left to reportgen, never refused wrongly: the base's lift
    "[base]\nlift = \"proj8\"\nsizes = [2, 4, 1]\n[[variant]]\nlabel = \"wide kernel\"\n"
    "conv = [{channels = 2, kernel = 6}]\n",
    "[base]\nsizes = [2, 4, 1]\nconv = [[2, 4, \"same\"], {channels = 3, kernel = 2}]\n",
    "[base]\nloss = \"bce\"\nlr = 2\nbatch_size = 7\n",
])
def test_the_schema_accepts_what_reportgen_accepts(tmp_path, text):
    assert _validator("schema.json").is_valid(tomllib.loads(text))
    (tmp_path / "good.toml").write_text(text)
    assert CliRunner().invoke(main, ["list", "--experiments", str(tmp_path)]).exit_code == 0


def test_report_toml_schema_refuses_unknown_keys_and_non_strings():
    validator = _validator("report.schema.json")
    assert not validator.is_valid({"report": {"titel": "x"}})
    assert not validator.is_valid({"report": {"author": 3}})
    assert not validator.is_valid({"meta": {}})
    assert validator.is_valid(_as_json({"report": {"date": datetime.date(2026, 12, 1)}}))


def test_reportgen_schema_prints_and_writes_the_schemas(tmp_path):
    printed = CliRunner().invoke(main, ["schema"])
    assert printed.exit_code == 0 and printed.output == editor_schema.text("schema.json")
    report = CliRunner().invoke(main, ["schema", "--report"])
    assert report.output == editor_schema.text("report.schema.json")
    written = CliRunner().invoke(main, ["schema", "--write", str(tmp_path)])
    assert written.exit_code == 0
    assert written.output.splitlines() == [f"{tmp_path / name}: written"
                                           for name in editor_schema.FILES]
    again = CliRunner().invoke(main, ["schema", "--write", str(tmp_path)])
    assert again.output.count("up to date") == 2
    missing = CliRunner().invoke(main, ["schema", "--write", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "--write: no folder" in missing.output


def test_editors_are_pointed_at_the_schemas():
    taplo = tomllib.loads((ROOT / ".taplo.toml").read_text())
    rules = {rule["schema"]["path"]: rule for rule in taplo["rule"]}
    assert set(rules) == {f"experiments/{name}" for name in editor_schema.FILES}
    assert rules["experiments/schema.json"]["exclude"] == ["experiments/report.toml"]
    readme = (EXPERIMENTS / "README.md").read_text()
    assert "#:schema ./schema.json" in readme and "reportgen schema --write" in readme
