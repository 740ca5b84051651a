"""The sweep tables name settings and data sets as the figures do: by display names."""
from types import SimpleNamespace

from reportgen.report.sections import tables


def test_rows_use_display_names(monkeypatch):
    monkeypatch.setattr(tables, "summary_rows", lambda res: [
        ["activation=leaky_relu, lr=0.1", "xor", "99.0 ± 1.9%", "4/5", "714", "1", "0"],
        ["dense 2-4-4-1", "linear", "100.0 ± 0.0%", "5/5", "1007", "0", "0"]])
    overrides = {"activation=leaky_relu, lr=0.1": {"activation": "leaky_relu", "lr": 0.1},
                 "dense 2-4-4-1": {"sizes": [2, 4, 4, 1]}}
    runs = {"activation=leaky_relu, lr=0.1": [SimpleNamespace(held_100=h, epochs_run=1000)
                                              for h in (714, 950, 995, 300, None)],
            "dense 2-4-4-1": [SimpleNamespace(held_100=900, epochs_run=1000)] * 5}
    rows = tables.shown_rows(SimpleNamespace(overrides=overrides.get, unsupported={},
                                             runs=lambda s, d: runs[s]))
    assert rows[0][:2] == ["leaky ReLU, learning rate 0.1", "XOR"]
    # two of its four converged seeds held 100% only over the last tenth of the epochs
    assert rows[0][2:] == ["99.0 ± 1.9%", "4/5 (2 late)", "714", "1", "0"]
    assert rows[1][3] == "5/5"
    assert rows[1][:2] == ["dense 2-4-4-1", "linear"]


def test_the_main_network_s_rows_are_marked_and_the_caption_says_what_the_marks_mean():
    from reportgen.engine import RunSpec
    from reportgen.report.sections.tables import MAIN_NOTE, mark_main

    main = RunSpec(sizes=(2, 4, 4, 1), epochs=5000).to_dict()
    specs = {"lr=1": RunSpec(sizes=(2, 4, 4, 1), epochs=5000),
             "lr=1, short": RunSpec(sizes=(2, 4, 4, 1), epochs=2000),
             "lr=10": RunSpec(sizes=(2, 4, 4, 1), epochs=5000, lr=10.0),
             "sigmoid (main)": RunSpec(sizes=(2, 4, 4, 1), epochs=5000)}
    res = SimpleNamespace(settings=list(specs), datasets=["xor"],
                          runs=lambda s: [SimpleNamespace(spec=specs[s].replace(seed=k))
                                          for k in range(3)])
    rows = [[label, "XOR"] for label in specs]
    marked, found = mark_main(res, rows, dict(main, seed=None))
    assert [r[0] for r in marked] == ["lr=1\n(main network)", "lr=1, short\n(main setting)",
                                      "lr=10", "sigmoid (main)"]
    assert found == {"main", "setting"}
    assert "another number of epochs" in MAIN_NOTE["setting"]
