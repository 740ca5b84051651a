"""Figures in the report's language: every word a figure draws is translated in zh-TW, the
names from the engine's registries and the experiment files' labels are extracted for the
catalogs (reportgen.i18n_names) and translated there, and English stays as it was."""
import html
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from matplotlib.text import Text

from branches import english_left
from reportgen import i18n
from reportgen.engine import RunSpec, datasets
from reportgen.engine.activations import ACTIVATIONS
from reportgen.engine.initializers import INITIALIZERS
from reportgen.engine.losses import LOSSES
from reportgen.engine.optimizers import LEARNING_RATE, OPTIMIZERS
from reportgen.figures import curves, diagrams, functions, scatter, style
from reportgen.figures.labels import DATASET_TITLES, setting_label, translated_label
from test_figure_curves import _decay, _results, _run

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENTS = sorted((ROOT / "experiments").glob("*.toml"))
REGISTRIES = {"activation": ACTIVATIONS, "optimizer": OPTIMIZERS, "loss": LOSSES,
              "initialisation": INITIALIZERS}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def registry_names():
    """Every name the registries give the report: display names, descriptions, the
    hyper-parameters' descriptions, the data sets' names."""
    names = set(datasets.DISPLAY_NAMES.values())
    for registry in REGISTRIES.values():
        for entry in registry.values():
            names.add(entry.display)
            if getattr(entry, "description", ""):
                names.add(entry.description)
            names.update(p.description for p in getattr(entry, "parameters", ()) if p.description)
    names.add(LEARNING_RATE.description)
    return names


def experiment_labels():
    return {variant["label"] for path in EXPERIMENTS
            for variant in tomllib.loads(path.read_text()).get("variant", [])}


def catalog():
    with open(i18n.catalog_path("zh-TW"), "rb") as file:
        return read_po(file, locale="zh_TW")


def _translated(po, msgid):
    message = po.get(msgid)
    return message is not None and bool(message.string)


def test_every_registry_name_and_experiment_label_has_a_translation():
    po = catalog()
    missing = sorted(m for m in registry_names() | experiment_labels() if not _translated(po, m))
    assert not missing, f"not in the zh_TW catalog: {missing}"
    assert {"identity", "leaky ReLU", "mean squared error", "identity hidden, sigmoid output"} \
        <= registry_names() | experiment_labels()


def test_babel_extracts_the_registries_names_and_the_experiment_labels():
    with open(ROOT / "babel.cfg") as file:
        method_map, options_map = parse_mapping_cfg(file)
    # the engine and the experiment files only: the whole tree takes a few seconds
    method_map = [(p, m) for p, m in method_map if "engine" in p or "experiments" in p]
    found = {message for _file, _line, message, _comments, _context
             in extract_from_dir(str(ROOT), method_map, options_map)}
    assert registry_names() | experiment_labels() <= found
    assert "leaky_relu" not in found and "mse" not in found       # names, not the engine's ids


def test_figure_messages_are_translated():
    """Every message the figures' modules mark is in the catalog, translated."""
    with open(ROOT / "babel.cfg") as file:
        method_map, options_map = parse_mapping_cfg(file)
    method_map = [("reportgen/figures/**.py", "python")]
    po = catalog()
    missing = []
    for _file, _line, message, _comments, context in extract_from_dir(str(ROOT), method_map,
                                                                       options_map):
        entry = po.get(message if isinstance(message, str) else message[0], context=context)
        string = entry and (entry.string if isinstance(entry.string, str) else entry.string[0])
        if not string:
            missing.append(message)
    assert not missing


def _words(fig):
    """Every text the figure draws, maths dropped, as a page ``english_left`` reads."""
    texts = [t.get_text() for t in fig.findobj(Text)]
    said = " . ".join(re.sub(r"(?<!\\)\$.*?(?<!\\)\$", " ", t) for t in texts if t)
    return "<p>" + html.escape(said) + "</p>", texts


def _diverging():
    blow_up = [0.3 * 10.0 ** (5 * k) for k in range(11)] + [None]
    settings = {"activation=leaky_relu, lr=1": {"activation": "leaky_relu", "lr": 1.0},
                "identity hidden, sigmoid output": {"activation": "identity"},
                "no activation, lr=0.1": {"lr": 0.1}}
    labels = list(settings)
    runs = [_run(labels[0], d, _decay(0.3, 0.005), seed=s) for d in ("linear", "xor")
            for s in (0, 1)]
    runs += [_run(labels[1], d, _decay(0.3, 0.001), seed=s) for d in ("linear", "xor")
             for s in (0, 1)]
    runs += [_run(labels[2], "linear", blow_up, status="diverged", seed=0),
             _run(labels[2], "linear", _decay(0.3, 0.0001), seed=1)]
    runs += [_run(labels[2], "xor", _decay(0.3, 0.0001), seed=s) for s in (0, 1)]
    return _results(settings, runs)


def _figures():
    X, y = datasets.load("xor")
    res = _diverging()
    yield curves.overlay(res, res.settings, ["linear", "xor"], legend_title="network")
    yield curves.overlay(res, res.settings, ["linear", "xor"], metric="accuracy",
                         labels=["Xavier", "He", "normal"], legend_title="initialisation")
    yield curves.loss_and_accuracy(res, res.settings[0], ["linear", "xor"])
    yield diagrams.network((2, 4, 4, 1), activation="leaky_relu")
    yield diagrams.network((2, 32, 1), activation="identity", output_activation=None,
                           bias=False)
    for padding in ("valid", "same"):
        yield diagrams.conv_network(RunSpec(sizes=[2, 4, 1], lift="proj4", activation="relu",
                                            conv=[{"channels": 4, "kernel": 2,
                                                   "padding": padding}]))
    yield functions.activations()
    yield scatter.comparison(X, y, X[:, :1], suptitle="XOR data set")
    yield scatter.data_sets([("linear", X, y), ("XOR", X, y)])
    yield scatter.decision_boundaries([("main", X, y, lambda p: np.full((len(p), 1), 0.49)),
                                       ("identity hidden", X, y, lambda p: 0.6 + 0.3 * p[:, :1]),
                                       ("main", X, y, lambda p: p[:, :1])])


def test_figures_in_zh_tw_draw_no_english_words():
    drawn = []
    with i18n.language("zh-TW"):
        for fig in _figures():
            page, texts = _words(fig)
            assert english_left(page) == [], texts
            drawn += texts
            style.close(fig)
    for chinese in ("訓練週期", "訓練損失", "有訓練執行發散", "網路 2–4–4–1（含偏差）",
                    "恆等隱藏層，\nsigmoid 輸出層", "卷積網路：提升至 4 個方向", "真實標籤",
                    "輸出為常數，無決策邊界："):
        assert any(chinese in t for t in drawn), chinese


def test_a_line_with_chinese_words_writes_its_symbols_as_text():
    """matplotlib draws a line holding mathtext in mathtext's fonts, which have no Chinese."""
    with i18n.language("zh-TW"):
        fig = functions.activation("relu")
        ax = fig.axes[0]
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert ax.get_xlabel() == "輸入 z" and legend[1] == "z > 0 時為 1，否則為 0"
        style.close(fig)
    fig = functions.activation("relu")
    assert fig.axes[0].get_xlabel() == "input $z$"
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()][1] == \
        "$1$ if $z>0$ else $0$"
    style.close(fig)


@pytest.mark.parametrize("label, overrides, shown", [
    ("activation=leaky_relu, lr=1", {"activation": "leaky_relu", "lr": 1.0},
     "leaky ReLU，學習率 1"),
    ("init=he, bias=false", {"init": "he", "bias": False}, "He，無偏差"),
    ("identity hidden, sigmoid output", {"activation": "identity"}, "恆等隱藏層，sigmoid 輸出層"),
    ("2-16-16-1, lr=10", {"sizes": [2, 16, 16, 1], "lr": 10}, "2-16-16-1，學習率 10"),
    ("my own net, lr=0.5", {"lr": 0.5}, "my own net，學習率 0.5"),      # a student's label
])
def test_setting_labels_are_shown_translated_and_stay_english_for_the_code(label, overrides,
                                                                           shown):
    english = setting_label(label, overrides)
    with i18n.language("zh-TW"):
        assert translated_label(label, overrides) == shown
        assert setting_label(label, overrides) == english      # the code compares these
    assert translated_label(label, overrides) == english


def test_the_data_sets_titles_are_their_names_and_data_set():
    assert DATASET_TITLES == {name: f"{shown} data set"
                              for name, shown in datasets.DISPLAY_NAMES.items()}


def test_chinese_is_written_in_traditional_characters():
    """A few characters of Simplified Chinese a translation could have slipped in."""
    from babel.messages.pofile import read_po

    with open(i18n.catalog_path("zh-TW"), "rb") as file:
        catalog = read_po(file, locale="zh_TW")
    translations = "\n".join(s for m in catalog if m.id
                             for s in (m.string if isinstance(m.string, tuple) else (m.string,)))
    assert CHINESE.search(translations)
    assert re.findall("[网络层数据类别输图练损这个为时]", translations) == []
