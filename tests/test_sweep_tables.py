"""The sweep tables name settings and data sets as the figures do: by display names."""
from types import SimpleNamespace

from reportgen.report.sections import tables


def test_rows_use_display_names(monkeypatch):
    monkeypatch.setattr(tables, "summary_rows", lambda res: [
        ["activation=leaky_relu, lr=0.1", "xor", "99.0 ± 1.9%", "4/5", "714", "1", "0"],
        ["dense 2-4-4-1", "linear", "100.0 ± 0.0%", "5/5", "1007", "0", "0"]])
    overrides = {"activation=leaky_relu, lr=0.1": {"activation": "leaky_relu", "lr": 0.1},
                 "dense 2-4-4-1": {"sizes": [2, 4, 4, 1]}}
    rows = tables.shown_rows(SimpleNamespace(overrides=overrides.get))
    assert rows[0][:2] == ["leaky ReLU, learning rate 0.1", "XOR"]
    assert rows[0][2:] == ["99.0 ± 1.9%", "4/5", "714", "1", "0"]
    assert rows[1][:2] == ["dense 2-4-4-1", "linear"]
