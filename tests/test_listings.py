"""The engine's code in the report: report.toml's [listings], resolved to real files and
lines, shown in the quick report's PDF, checked before anything is trained, and part of the
report's key."""
import dataclasses
import inspect
import shutil
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import QUICK_BUILD, ROOT, SOURCE_DATE_EPOCH
from pdf_helpers import flat_text
from reportgen import engine
from reportgen.cli import main
from reportgen.engine import activations, layers, network, optimizers
from reportgen.experiments import editor_schema
from reportgen.experiments.config import ConfigError, load_listings, load_report_metadata
from reportgen.report import build, listings

REPORT_TOML = "[report]\ntitle = \"A lab\"\n"


def _folder(tmp_path, text):
    folder = tmp_path / "experiments"
    folder.mkdir(exist_ok=True)
    (folder / "report.toml").write_text(REPORT_TOML + text)
    return folder


def _lines(function):
    """(first, last) line of ``function`` in its file, as inspect reads them."""
    lines, first = inspect.getsourcelines(function)
    return first, first + len(lines) - 1


def test_the_built_in_engine_lists_its_own_functions_at_their_lines():
    code = listings.load(ROOT / "experiments")
    assert code.engine == "reportgen.engine" and code.builtin
    shown = {lst.key: lst for lst in code.listings}
    assert [lst.key for lst in code.listings] == ["sigmoid", "forward", "backward", "update"]
    assert [lst.number for lst in code.listings] == [1, 2, 3, 4]
    # the sigmoid and its derivative, blank lines apart, are one piece of code
    (sigmoid,) = shown["sigmoid"].pieces
    assert (sigmoid.file, sigmoid.names) == ("reportgen/engine/activations.py",
                                             ("sigmoid", "sigmoid_derivative"))
    assert (sigmoid.first, sigmoid.last) == (_lines(activations.sigmoid)[0],
                                             _lines(activations.sigmoid_derivative)[1])
    source = Path(activations.__file__).read_text().splitlines()
    assert sigmoid.code.splitlines() == source[sigmoid.first - 1:sigmoid.last]
    # Network is re-exported by reportgen.engine; its code is network.py's
    assert [(p.file, p.names, (p.first, p.last)) for p in shown["forward"].pieces] == [
        ("reportgen/engine/network.py", ("Network.forward",), _lines(network.Network.forward)),
        ("reportgen/engine/layers.py", ("Dense.forward",), _lines(layers.Dense.forward))]
    assert shown["forward"].pieces[1].code.startswith("def forward(self, x):\n")   # dedented
    assert [p.names for p in shown["backward"].pieces] == [("Network.backpropagate",),
                                                          ("Dense.backward",)]
    (update,) = shown["update"].pieces
    assert (update.file, (update.first, update.last)) == (
        "reportgen/engine/optimizers.py", _lines(optimizers.SGD.update))
    assert update.lines == f"lines {update.first}–{update.last}"


def test_the_quick_report_shows_the_listings_with_their_files_and_lines(quick_report):
    # a path broken at a slash at the end of a line reads "reportgen/engine/ layers.py"
    text = flat_text(quick_report.out / "report.pdf").replace("/ ", "/")
    code = listings.load(ROOT / "experiments")
    at = []
    for lst in code.listings:
        caption = f"Listing {lst.number}: {lst.title}: " + " and ".join(
            f"{' and '.join(p.names)} ({p.file}, {p.lines})" for p in lst.pieces) + "."
        assert caption in text, caption
        at.append(text.index(caption))
    assert at == sorted(at)
    assert "Listing 1: The sigmoid and its derivative: sigmoid and sigmoid_derivative " \
           "(reportgen/engine/activations.py, lines" in text
    assert "return a * (1.0 - a)" in text                       # the code itself
    assert "param -= h[\"lr\"] * grad" in text
    assert "Listing 5" not in text and "[listings]" not in text


def test_the_order_is_the_four_then_the_others_as_the_file_gives_them(tmp_path):
    folder = _folder(tmp_path, '[listings]\nzeta = "Network.forward"\nupdate = "optimizers.Momentum.update"\n'
                               'alpha = ["losses.mse", "losses.bce"]\n')
    assert load_listings(folder) == {"update": ("optimizers.Momentum.update",), "zeta": ("Network.forward",),
                                     "alpha": ("losses.mse", "losses.bce")}
    assert load_report_metadata(folder)["title"] == "A lab"
    code = listings.load(folder)
    assert [(lst.number, lst.key) for lst in code.listings] == [
        (1, "sigmoid"), (2, "forward"), (3, "backward"), (4, "update"), (5, "zeta"),
        (6, "alpha")]
    assert code.listings[3].pieces[0].names == ("Momentum.update",)   # report.toml's, not the default
    # two functions of losses.py that are not neighbours stay two pieces
    assert [p.names for p in code.listings[5].pieces] == [("mse",), ("bce",)]
    assert code.listings[5].title == "alpha" and code.listings[5].extra


def test_code_elsewhere_is_named_module_colon_qualname(tmp_path):
    folder = _folder(tmp_path, '[listings]\nextra = "reportgen.engine.losses:mse"\n')
    extra = listings.load(folder).listings[-1]
    assert (extra.number, extra.key, extra.pieces[0].file) == (5, "extra",
                                                               "reportgen/engine/losses.py")
    assert extra.pieces[0].code.startswith("def mse(yhat, y):")


@pytest.mark.parametrize("text, field, problem", [
    ('forward = "Network.forwards"', "listings.forward",
     "'Network.forwards': reportgen.engine.Network has no attribute 'forwards'"),
    ('extra = "nosuchmodule_xyz:f"', "listings.extra",
     "'nosuchmodule_xyz:f': cannot import nosuchmodule_xyz: ModuleNotFoundError"),
    ('sigmoid = ["activations.sigmoid", "activations.SIGMOID_EXP_CAP"]', "listings.sigmoid[1]",
     "'activations.SIGMOID_EXP_CAP': reportgen.engine.activations.SIGMOID_EXP_CAP is a float, "
     "not a function, method or class"),
    ('update = "numpy:exp"', "listings.update", "numpy.exp is a ufunc, not a function"),
])
def test_a_name_that_cannot_be_found_is_a_config_error_naming_the_field(tmp_path, text, field,
                                                                        problem):
    folder = _folder(tmp_path, f"[listings]\n{text}\n")
    with pytest.raises(ConfigError) as error:
        listings.load(folder)
    assert error.value.field == field and error.value.path == folder / "report.toml"
    assert problem in str(error.value)


@pytest.mark.parametrize("text, field", [
    ('forward = 3', "listings.forward"), ('forward = "Network..forward"', "listings.forward"),
    ('forward = []', "listings.forward"), ('forward = ["a", 2]', "listings.forward[1]"),
    ('"a b" = "x"', "listings.a b"), ("listings = 1", "listings"),
])
def test_a_malformed_listings_table_is_refused_by_every_command(tmp_path, text, field):
    folder = tmp_path / "experiments"
    folder.mkdir()
    (folder / "report.toml").write_text(text if text.startswith("listings")
                                        else f"[listings]\n{text}\n")
    with pytest.raises(ConfigError) as error:
        load_report_metadata(folder)
    assert error.value.field == field


def test_the_schema_knows_the_listings():
    import jsonschema

    validator = jsonschema.Draft7Validator(editor_schema.report_schema())
    assert validator.is_valid({"listings": {"sigmoid": "sigmoid", "extra": "m.n:f.g",
                                            "forward": ["Network.forward", "Dense.forward"]}})
    for bad in ({"forward": 3}, {"forward": []}, {"forward": "a..b"}, {"a b": "x"}):
        assert not validator.is_valid({"listings": bad}), bad


def _foreign_engine():
    module = types.ModuleType("mylab_engine")
    exec("def train(spec, X, y):\n    return None\n", module.__dict__)
    return module


def test_a_foreign_engine_shows_only_what_report_toml_names(tmp_path):
    fake = _foreign_engine()
    assert listings.extract(fake, False, None, tmp_path / "report.toml") == \
        listings.EngineCode("mylab_engine", False, ())
    # it has no source file: a listing of it is an error, not an empty box
    with pytest.raises(ConfigError, match=r"listings\.forward: 'train': its source"):
        listings.extract(fake, False, {"forward": ("train",)}, tmp_path / "report.toml")
    named = listings.extract(engine, False, {"update": ("optimizers.Momentum.update",)},
                             tmp_path / "report.toml")
    assert [lst.key for lst in named.listings] == ["update"]


def test_the_reports_key_changes_with_the_listed_code():
    """A listing's code is an input of the facts, and so of the report."""
    code = listings.load(ROOT / "experiments")
    edited = dataclasses.replace(code, listings=code.listings[:-1] + (dataclasses.replace(
        code.listings[-1], pieces=(dataclasses.replace(code.listings[-1].pieces[0],
                                                        code="def update(): pass\n"),)),))

    def keys(code):
        inputs = types.SimpleNamespace(results={}, gradchecks=[], provenance={}, meta={},
                                       quick=True, command="reportgen build", results_dir="r",
                                       experiments_dir="e", code=code, engine=None,
                                       engine_checks=None)
        b = types.SimpleNamespace(facts_key=build._facts_key(inputs), formats=("html",),
                                  pdf_variant="pdf/ua-1", templates_dir=None)
        return build._output_keys(b, types.SimpleNamespace(keys={}, refs={}))

    assert keys(code) == keys(listings.load(ROOT / "experiments"))
    assert keys(edited)["facts"] != keys(code)["facts"]
    assert keys(edited)["report"] != keys(code)["report"]


@pytest.fixture
def built_copy(quick_report, tmp_path, monkeypatch):
    """A copy of the session's quick build and of the experiments, to build again."""
    out = tmp_path / "output"
    shutil.copytree(quick_report.out.parent, out)
    experiments = tmp_path / "experiments"
    shutil.copytree(ROOT / "experiments", experiments)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    command = [a if a != str(ROOT / "experiments") else str(experiments) for a in QUICK_BUILD]
    return out, experiments, command + ["--out", str(out)]


def test_a_listing_the_user_adds_is_shown_after_the_four(built_copy):
    out, experiments, command = built_copy
    with open(experiments / "report.toml", "a") as f:
        f.write('\n[listings]\nloss = "reportgen.engine.losses:mse_output_delta"\n')
    result = CliRunner().invoke(main, command + ["--format", "html"])
    assert result.exit_code == 0, result.output
    html = (out / "quick" / "report.html").read_text()
    first, last = _lines(sys.modules["reportgen.engine.losses"].mse_output_delta)
    assert html.index('id="lst-update"') < html.index('id="lst-loss"')
    assert ('<span class="label">Listing 5:</span> loss: mse_output_delta '
            f'(reportgen/engine/losses.py, <span class="nowrap">lines {first}–{last}</span>).'
            ) in html


def test_an_unknown_name_stops_the_build_before_training(built_copy):
    out, experiments, command = built_copy
    with open(experiments / "report.toml", "a") as f:
        f.write('\n[listings]\nforward = "Network.forwards"\n')
    before = {p: p.read_bytes() for p in (out / "quick").glob("report.*")}
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 2, result.output
    message = " ".join(result.output.split())
    assert message.startswith("error: ") and "report.toml: listings.forward: " in message
    assert "'Network.forwards': reportgen.engine.Network has no attribute 'forwards'" in message
    assert "Traceback" not in result.output and "trained" not in result.output
    assert {p: p.read_bytes() for p in (out / "quick").glob("report.*")} == before


def test_the_standard_titles_are_messages():
    """Each standard listing's title, as its caption shows it, is a message of the catalog."""
    from reportgen.experiments import config
    from reportgen.report.listings import TITLES

    assert tuple(v[0].upper() + v[1:] for v in config.LISTING_KEYS.values()) == TITLES
