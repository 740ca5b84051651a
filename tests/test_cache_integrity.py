"""Nothing read back from disk is trusted unchecked: damaged or tampered cached outputs are
recomputed, never used and never a traceback."""
import hashlib
import json
import types

import pytest

from reportgen import results
from reportgen.experiments.gradchecks import gradient_checks
from reportgen.layout import FIGURE_MANIFEST, OutputLayout
from test_experiments import SMALL, invoke, write_experiments


def comparable(data):
    """A results file without what legitimately varies between runs (times, provenance)."""
    data = json.loads(json.dumps(data))
    data.pop("provenance")
    for r in data["runs"]:
        r.pop("wall_time_s")
    return data


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """An experiment trained once, untampered: its folder and its results file's data."""
    base = tmp_path_factory.mktemp("integrity")
    exp = write_experiments(base / "e", small=SMALL)
    result = invoke("run", "--experiments", exp, "--out", base / "clean", "--jobs", 1)
    assert result.exit_code == 0, result.output
    return exp, comparable(json.loads((base / "clean" / "results" / "small.json").read_text()))


def _entries(out):
    return sorted((out / "cache" / "runs").rglob("*.json"))


def _read(path):
    entry = json.loads(path.read_text())
    return entry["record"] if "record" in entry and "checksum" in entry else entry


def _write(path, record, reseal):
    """Write ``record`` as the entry at ``path``: with its checksum made anew (``reseal``:
    someone who knows the format) or with the entry's old one (an edit of the file)."""
    old = json.loads(path.read_text())
    if "checksum" not in old:                       # a plain record, as entries once were
        path.write_text(json.dumps(record))
        return
    text = json.dumps(record, separators=(",", ":"))
    digest = hashlib.sha256(text.encode()).hexdigest() if reseal else old["checksum"]
    path.write_text(f'{{"checksum":"{digest}","record":{text}}}')


def altered_number(record, other):
    record["final_accuracy"] = 0.25 if record["final_accuracy"] != 0.25 else 0.5


def another_runs_record(record, other):
    key = record["key"]
    record.clear()
    record.update(other, key=key)


def wrong_type(record, other):
    record["final_accuracy"] = "abc"


def missing_field(record, other):
    del record["history"]


def altered_parameter(record, other):
    record["parameters"]["W1"][0][0] += 1.0


def wrong_shape(record, other):
    record["parameters"]["W1"].pop()


def bad_history(record, other):
    record["history"]["loss"][3] = "x"


TAMPERINGS = [altered_number, another_runs_record, wrong_type, missing_field,
              altered_parameter, wrong_shape, bad_history]


# "resealed": the checksum made anew, by someone who knows the format; the schema, the key
# and the record's agreement with itself must catch it (a resealed change to a trained
# weight agrees with everything else in the record, and only the checksum catches it)
CASES = [(t, reseal) for t in TAMPERINGS for reseal in (False, True)
         if not (t is altered_parameter and reseal)]


@pytest.mark.parametrize("tamper, reseal", CASES,
                         ids=[f"{t.__name__}-{'resealed' if r else 'edited'}" for t, r in CASES])
def test_a_tampered_run_entry_is_retrained_and_replaced(trained, tmp_path, tamper, reseal):
    exp, clean = trained
    out = tmp_path / "o"
    assert invoke("run", "--experiments", exp, "--out", out, "--jobs", 1).exit_code == 0
    entries = _entries(out)
    # an ok run (its final accuracy is its history's last), another run's record for the swap
    target = next(p for p in entries if _read(p)["status"] == "ok")
    other = _read(next(p for p in entries if p != target))
    record = _read(target)
    tamper(record, other)
    _write(target, record, reseal)

    result = invoke("run", "--experiments", exp, "--out", out, "--jobs", 1)
    assert result.exit_code == 0, result.output
    assert "8 runs: 1 trained" in result.output and "7 from cache" in result.output
    assert comparable(json.loads((out / "results" / "small.json").read_text())) == clean
    again = invoke("run", "--experiments", exp, "--out", out, "--jobs", 1)
    assert "8 runs: 0 trained" in again.output          # the bad entry was replaced


def test_results_load_names_the_file_of_a_bad_schema(trained, tmp_path):
    exp, _ = trained
    out = tmp_path / "o"
    assert invoke("run", "--experiments", exp, "--out", out, "--jobs", 1).exit_code == 0
    path = out / "results" / "small.json"
    data = json.loads(path.read_text())
    del data["runs"][2]["history"]
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=r"small\.json.*runs\[2\].*history"):
        results.load("small", out)
    path.write_text(json.dumps({"schema": 1, "experiment": "small"}))
    with pytest.raises(ValueError, match=r"small\.json"):
        results.load("small", out)
    path.write_text("[1, 2]")
    with pytest.raises(ValueError, match=r"small\.json"):
        results.load("small", out)


def test_malformed_digests_lines_are_ignored_and_the_results_rewritten(trained, tmp_path):
    exp, clean = trained
    out = tmp_path / "o"
    assert invoke("run", "--experiments", exp, "--out", out, "--jobs", 1).exit_code == 0
    digests = out / "results" / "digests.txt"
    digests.write_text("garbage\nsmall\n\x00 x y\nsmall not-a-digest\n")
    (out / "results" / "small.json").write_text("{}")
    result = invoke("run", "--experiments", exp, "--out", out, "--jobs", 1)
    assert result.exit_code == 0, result.output
    assert comparable(json.loads((out / "results" / "small.json").read_text())) == clean
    lines = digests.read_text().splitlines()
    assert len(lines) == 1 and lines[0].startswith("small ")


# ---- the other cached outputs -------------------------------------------------------------

@pytest.mark.parametrize("content", [
    "[]", '{"key": "%s"}', '{"key": "%s", "checks": "abc"}', '{"key": "%s", "checks": [1, 2]}',
    '{"key": "%s", "checks": [{"network": 1, "loss": "mse", "bias": true, "error": 0.0}]}',
    '{"key": "%s", "checks": []}',
], ids=["list", "no checks", "checks a string", "checks numbers", "wrong types", "none"])
def test_a_damaged_gradcheck_file_is_recomputed(tmp_path, content):
    from reportgen import keys

    layout = OutputLayout(tmp_path)
    fresh = gradient_checks(layout)
    layout.gradchecks.write_text(content.replace("%s", keys.key("gradchecks", {})))
    assert gradient_checks(layout) == fresh
    assert gradient_checks(layout) == fresh            # and the file holds them again
    assert json.loads(layout.gradchecks.read_text())["checks"] == fresh


def _figures(n=2):
    def draw():
        from matplotlib import pyplot as plt

        fig, ax = plt.subplots(figsize=(1, 1))
        ax.plot([0, 1], [0, 1])
        return fig
    from reportgen.report.sections.base import Figure

    return [Figure(id=f"f{i}", caption=f"Figure {i}.", draw=draw) for i in range(n)]


def _draw(folder):
    from reportgen.report import figure_plan

    with figure_plan.start(_figures(), {}, folder, jobs=1) as drawing:
        drawing.finish()
    return sorted(fig.id for fig in drawing.drawn)


@pytest.mark.parametrize("damage", ["manifest list", "manifest numbers", "manifest garbage",
                                    "empty png", "truncated png", "truncated svg", "svg text"])
def test_a_damaged_figure_or_manifest_is_redrawn(tmp_path, damage):
    folder = tmp_path / "figures"
    assert _draw(folder) == ["f0", "f1"]
    assert _draw(folder) == []
    manifest = folder / FIGURE_MANIFEST
    png, svg = folder / "f0.png", folder / "f0.svg"
    if damage == "manifest list":
        manifest.write_text("[1, 2]")
    elif damage == "manifest numbers":
        manifest.write_text(json.dumps({k: 1 for k in json.loads(manifest.read_text())}))
    elif damage == "manifest garbage":
        manifest.write_bytes(b"\xff\xfe{")
    elif damage == "empty png":
        png.write_bytes(b"")
    elif damage == "truncated png":
        png.write_bytes(png.read_bytes()[:-100])
    elif damage == "truncated svg":
        svg.write_bytes(svg.read_bytes()[:len(svg.read_bytes()) // 2])
    else:
        svg.write_text("not a figure")
    drawn = _draw(folder)
    assert drawn == (["f0"] if damage.endswith(("png", "svg", "text")) else ["f0", "f1"])
    assert _draw(folder) == []


@pytest.fixture
def fake_build(tmp_path):
    """What ``build._up_to_date`` reads: a layout with a report, facts and build.json written
    under keys."""
    from reportgen.report import build

    layout = OutputLayout(tmp_path)
    keys = {"facts": "f" * 64, "report": "r" * 64}
    layout.report("html").write_text("<!DOCTYPE html>\n<html><body>x</body></html>\n")
    layout.report("pdf").write_bytes(b"%PDF-1.7\n...\n%%EOF\n")
    layout.facts.write_text(json.dumps({"schema": results.FACTS_SCHEMA, "key": keys["facts"],
                                        "profile": "full", "sections": {}}))
    layout.cache.mkdir()
    layout.build_state.write_text(json.dumps(keys))
    b = types.SimpleNamespace(layout=layout, keys=keys,
                              paths=[layout.report(f) for f in build.FORMATS])
    assert build._up_to_date(b)
    return b


@pytest.mark.parametrize("damage", [
    ("build_state", "[1, 2]"), ("build_state", '{"facts": 1}'), ("build_state", "\xff"),
    ("facts", "{"), ("facts", "[]"), ("facts", '{"schema": 1, "key": "other", "sections": {}}'),
    ("pdf", "%PDF-1.7\n..."), ("pdf", ""), ("html", "<!DOCTYPE html>\n<html><bo"),
])
def test_a_damaged_build_state_or_report_is_rendered_again(fake_build, damage):
    from reportgen.report import build

    what, text = damage
    layout = fake_build.layout
    path = {"build_state": layout.build_state, "facts": layout.facts,
            "pdf": layout.report("pdf"), "html": layout.report("html")}[what]
    path.write_text(text)
    assert not build._up_to_date(fake_build)


def test_a_cached_record_reads_back_bit_for_bit():
    """The cache decodes with orjson: every float must come back as the json module reads it."""
    import json
    import struct

    import orjson

    values = [0.1, 1 / 3, 2.2250738585072014e-308, 5e-324, 1.7976931348623157e308,
              0.30000000000000004, 123456789.12345678, -0.0, 1e-300, 9007199254740993.0]
    text = json.dumps({"history": {"loss": values}}, separators=(",", ":"))
    mine, theirs = orjson.loads(text)["history"]["loss"], json.loads(text)["history"]["loss"]
    assert [struct.pack("<d", v) for v in mine] == [struct.pack("<d", v) for v in theirs]


def test_a_remembered_entry_is_read_again_once_its_file_changed(trained, tmp_path,
                                                                monkeypatch):
    """reportgen watch keeps the records it checked (``cache.remember``) and reads again only
    an entry whose file changed since: a damaged one is still caught."""
    from reportgen.experiments import cache as run_cache
    from reportgen.experiments.runner import plan
    from reportgen.experiments import config

    exp, _ = trained
    out = tmp_path / "out"
    assert invoke("run", "--experiments", exp, "--out", out, "--jobs", 1).exit_code == 0
    monkeypatch.setattr(run_cache, "_REMEMBERED", None)
    run_cache.remember()
    store = run_cache.RunCache(OutputLayout.of(out).runs)
    planned = {p.key: p for p in plan(config.load_all(exp))}
    first = {key: store.get(key, p.expected) for key, p in planned.items()}
    assert all(first.values())
    reads = []
    with monkeypatch.context() as patched:
        patched.setattr(run_cache.Path, "read_text",
                        lambda self, *a, **k: reads.append(self) or "not read")
        again = {key: store.get(key, p.expected) for key, p in planned.items()}
    assert reads == [] and all(again[k] is first[k] for k in first)     # nothing read again
    key, p = next(iter(planned.items()))
    path = store._path(key)
    record = _read(path)
    altered_number(record, None)
    _write(path, record, reseal=False)                  # a new file: read and checked again
    assert store.get(key, p.expected) is None
