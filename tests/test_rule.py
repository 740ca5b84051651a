"""The comparison rule, on hand-built runs, and the measures explanations rest on."""
import types

import numpy as np
import pytest

from reportgen.engine import RunSpec, datasets, train
from reportgen.experiments.record import record_from_result
from reportgen.report import facts, rule
from reportgen.results import Run


def runs(*outcomes):
    """Runs on seeds 0, 1, ...: an int is the epoch from which 100% held, a float an accuracy
    the run ended at without converging."""
    return [types.SimpleNamespace(seed=seed, held_100=o if isinstance(o, int) else None,
                                  final_accuracy=1.0 if isinstance(o, int) else o,
                                  epochs_run=5000)
            for seed, o in enumerate(outcomes)]


def verdict(a, b):
    return rule.compare("a", runs(*a), "b", runs(*b), "xor")


def test_faster_on_four_of_five_seeds_is_faster():
    v = verdict([100, 200, 300, 400, 900], [200, 300, 400, 500, 500])
    assert (v.winner, v.loser, v.kind, v.wins, v.losses, v.needed) == ("a", "b", "faster", 4, 1, 4)


def test_held_epochs_closer_than_a_hundredth_of_the_run_are_a_tie():
    # 5000 epochs: 49 epochs apart is a tie, 50 apart a win
    v = verdict([1000, 1000, 1000, 1000, 1000], [1049, 1049, 1049, 1049, 1050])
    assert (v.wins, v.losses, v.ties, v.winner) == (1, 0, 4, None)
    assert not v.tie
    assert verdict([1000] * 5, [1049] * 5).tie


def test_three_of_five_is_no_clear_difference():
    v = verdict([100, 200, 300, 900, 900], [200, 300, 400, 500, 500])
    assert v.winner is None and not v.tie


def test_a_run_that_converged_beats_one_that_did_not_whatever_its_epochs():
    v = verdict([4999, 4999, 4999, 4999, 4999], [10, 0.9, 0.9, 0.9, 0.9])
    assert v.winner == "a" and v.kind == "better"


def test_neither_converged_compares_final_accuracy():
    assert verdict([0.9] * 5, [0.8] * 5).winner == "a"
    assert verdict([0.8] * 5, [0.9] * 5).winner == "b"


def test_identical_outcomes_are_a_tie():
    v = verdict([100, 200, 300, 400, 500], [100, 200, 300, 400, 500])
    assert v.tie and v.winner is None and v.ties == 5


def test_seeds_are_paired_and_two_of_two_is_needed_with_two_seeds():
    v = rule.compare("a", runs(100, 200), "b", runs(300, 150), "linear")
    assert v.needed == 2 and v.winner is None
    assert rule.compare("a", runs(100, 200), "b", runs(300, 250), "linear").winner == "a"


def test_best_and_worst_name_only_what_the_rule_separates():
    candidates = {"slow": runs(*[500] * 5), "mid": runs(*[300] * 5), "fast": runs(*[100] * 5)}
    assert rule.best(candidates, "xor") == "fast" and rule.worst(candidates, "xor") == "slow"
    # two settings the rule cannot tell apart: no single best
    tied = {"x": runs(100, 100, 100, 900, 900), "y": runs(900, 900, 900, 100, 100)}
    assert rule.best(tied, "xor") is None and rule.worst(tied, "xor") is None


def test_chance_is_the_majority_share():
    _, y = datasets.load("xor")
    assert facts.chance(y) == pytest.approx(11 / 21)


def trained(**fields):
    X, y = datasets.load("xor")
    spec = RunSpec(**{"sizes": (2, 4, 4, 1), "epochs": 200, "seed": 0, **fields})
    result = train(spec, X, y)
    return Run("s", record_from_result(result, "xor", "k", 0.0)), X


def test_a_network_pushed_to_one_class_outputs_a_constant():
    run, X = trained(lr=100.0)
    spread = facts.output_spread(run, X)
    assert facts.constant_output(run, X) == (spread < facts.CONSTANT_SPREAD)
    sane, _ = trained(lr=1.0, epochs=3000)   # the main network, which solves XOR
    assert not facts.constant_output(sane, X) and facts.output_spread(sane, X) > 0.5


def test_dead_units_are_relu_units_off_on_every_point():
    run, X = trained(activation="relu", lr=0.1)
    layers = run.hidden_layers(X)
    expected = sum(int((layer == 0).all(axis=0).sum()) for layer in layers) / 8
    assert facts.dead_units(run, X) == expected
    sigmoid, _ = trained()
    assert facts.dead_units(sigmoid, X) is None


def test_saturation_shares_are_fractions_and_only_for_sigmoids():
    run, X = trained(lr=100.0)
    assert 0 <= facts.output_saturation(run, X) <= 1 and 0 <= facts.hidden_saturation(run, X) <= 1
    tanh, _ = trained(activation="tanh")
    assert facts.hidden_saturation(tanh, X) is None


def test_still_learning_follows_the_late_loss_change():
    run, _ = trained(lr=1.0, epochs=300)
    change = run.stability["late_loss_change"]
    assert facts.still_learning(run) == (change < -0.01)
