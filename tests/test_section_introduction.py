"""The introduction: every branch of its template against hand-built facts, and the engine's
counts read from its registries."""
import dataclasses
import html
import re

import pytest

from branches import render, text
from translated_elsewhere import wholly_translated, zh_tw
from reportgen.engine.losses import LOSSES
from reportgen.report.sections.extra import Pick, Rival
from reportgen.report.sections.introduction import (IntroductionFacts, ShortRate, UsedFacts, Wobble,
                                                    used_facts)
from reportgen.results import Summary


def summ(mean, succeeded=0, median=None, std=0.0, runs=5):
    """A Summary of ``runs`` seeds: ``succeeded`` of them ended at 100% (``median`` epochs)."""
    return Summary(runs=runs, mean_accuracy=mean, std_accuracy=std,
                   success_rate=succeeded / runs, succeeded=succeeded,
                   median_held_epoch=median, fell_back=0, spiked=0,
                   median_epochs_to_100=median, reached_100=succeeded, diverged=0,
                   mean_final_loss=None, median_final_loss=None)


USED = UsedFacts(activations=["sigmoid", "tanh", "ReLU", "leaky ReLU", "identity"],
                 losses=["mean squared error", "binary cross-entropy"],
                 optimizers=["SGD", "momentum", "Adagrad", "RMSprop", "Adam"],
                 initialisations=["uniform", "normal", "Xavier", "He"], batch_sizes=[1, 10],
                 full_batch=True, without_bias=True, conv=True)

#: as the full build measures
MEASURED = IntroductionFacts(
    used=USED, gradcheck_max=1.2e-9, seeds=5, training_runs=490, quick=False,
    main_sizes=[2, 4, 4, 1], main_lab_like=True, main_activation="sigmoid", main_loss="MSE",
    main_optimizer="plain gradient descent", main_lr=1.0, main_linear=summ(1.0, 5, 1007),
    main_xor=summ(1.0, 5, 1482), lr_fastest_xor="learning rate 10", lr_fastest_xor_epochs=238,
    lr_compared=3, lr_failed=[ShortRate("learning rate 0.01", {"linear": 0, "xor": 0}, 5),
                              ShortRate("learning rate 0.1", {"linear": 1, "xor": 0}, 5),
                              ShortRate("learning rate 30", {"linear": 5, "xor": 2}, 5),
                              ShortRate("learning rate 100", {"linear": 0, "xor": 0}, 5)],
    narrowest_xor_width=4, lr_candidates=[1, 3, 10],
    lr_fastest_wobble=[Wobble("XOR", 5, 5, 2), Wobble("the linear set", 5, 5, 5)],
    optimizer_wobble=[Wobble("the linear set", 5, 5, 0)],
    no_activation_best_xor=16 / 21, linear_points=100, xor_points=21,
    xor_linear_ceiling=16 / 21, fastest_optimizer=Pick(
        "adam", "optimizer=adam, lr=0.1", 0.1, 135, display="Adam",
        label="Adam at learning rate 0.1", kind="better", converged=5, runs=5, needed=4,
        others=4, rivals=[Rival("Adagrad at learning rate 1", "same", 2, 3, 0)]),
    optimizers_compared=5, conv_comparisons=3, conv_xor_wins=1, conv_xor_losses=1)

CASES = {
    "as measured": MEASURED,
    "quick preview, XOR never solved": dataclasses.replace(
        MEASURED, quick=True, seeds=2, training_runs=98, main_sizes=[2, 3, 1], main_lab_like=False,
        main_activation="tanh", main_optimizer="Adam", main_lr=0.5,
        main_linear=summ(0.95, 1, 300, std=0.05, runs=2), main_xor=summ(0.6, 0, runs=2),
        lr_fastest_xor=None, lr_fastest_xor_epochs=None, lr_compared=0, narrowest_xor_width=None,
        fastest_optimizer=None, conv_xor_wins=0, conv_xor_losses=2),
    "every rate converged, one unit enough, full batch only": dataclasses.replace(
        MEASURED, used=dataclasses.replace(USED, batch_sizes=[], without_bias=False, conv=False),
        lr_fastest_xor="learning rate 3", lr_fastest_xor_epochs=416, lr_failed=[],
        narrowest_xor_width=1, lr_fastest_wobble=[], optimizer_wobble=[Wobble("XOR", 5, 0, 3)],
        conv_xor_wins=2, conv_xor_losses=1),
    "one of each feature, no rate faster than the others": dataclasses.replace(
        MEASURED, used=UsedFacts(["sigmoid"], ["mean squared error"], ["SGD"], ["normal"], [],
                                 True, False, False), lr_fastest_xor=None,
        fastest_optimizer=dataclasses.replace(MEASURED.fastest_optimizer, rivals=[]),
        optimizer_wobble=[]),
    "mini-batches only, one rate converged": dataclasses.replace(
        MEASURED, used=dataclasses.replace(USED, full_batch=False), lr_fastest_xor=None,
        lr_compared=1),
}

CASES["a foreign engine without every optimizer or conv network"] = dataclasses.replace(
    MEASURED, optimizers_supported=False, fastest_optimizer=None, optimizers_compared=0,
    conv_supported=False, conv_comparisons=0, conv_xor_wins=0, conv_xor_losses=0)


def test_findings_the_engine_could_not_train_for_are_not_stated():
    said = words("a foreign engine without every optimizer or conv network")
    assert ("The optimizers were not compared: the engine in use does not support them all "
            "(Section 5.A).") in said
    assert ("The convolutional networks were not compared with dense ones: the engine in use "
            "does not support them all (Section 5.C).") in said
    assert "did better on XOR in" not in said and "optimizer shown" not in said
    assert "were not compared" not in words("as measured")


def words(case):
    """The words of a case's section as a reader sees them (entities decoded, no space left
    where a tag met punctuation)."""
    return words_of(CASES[case])


def words_of(facts):
    said = html.unescape(text(render("introduction", facts)))
    return re.sub(r"\(\s+", "(", re.sub(r"\s+([).,;:])", r"\1", said))


def test_the_data_sets_and_the_runs():
    said = words("as measured")
    assert "The linear set has 100 points drawn uniformly" in said
    assert "the course's 21 fixed points on the two diagonals" in said
    assert ("Each setting was trained with 5 random seeds, 490 training runs in all; every "
            "number below was measured by the build that wrote this report, and every comparison "
            "of two settings follows one rule over the seeds (stated at the start of Section 4; "
            "Section 7 says how the report was made).") in said
    quick = words("quick preview, XOR never solved")
    assert "with 2 random seeds, 98 training runs in all (quick preview); every" in quick
    assert "(quick preview)" not in said


def test_the_main_network():
    assert ("The lab's network (2-4-4-1, sigmoid, MSE, plain gradient descent, learning rate 1) "
            "ended at 100.0 ± 0.0% accuracy on the linear set and 100.0 ± 0.0% on XOR over 5 "
            "seeds (5/5 seeds converged on XOR, that is held 100% training accuracy to the end, from a median epoch of 1482).") in words(
        "as measured")
    assert ("The main network (2-3-1, tanh, MSE, Adam, learning rate 0.5) ended at "
            "95.0 ± 5.0% accuracy on the linear set and 60.0 ± 0.0% on XOR over 2 seeds "
            "(0/2 seeds converged on XOR, that is held 100% training accuracy to the end).") in words("quick preview, XOR never solved")


def test_learning_rates_and_widths():
    said = words("as measured")
    assert ("Of the 3 learning rates that converged on every XOR seed (1, 3 and 10), learning rate "
            "10 was faster than each other one by the comparison rule (100% held from a median "
            "epoch of 238). It was not steady on the way: on XOR 5 of its 5 runs fell back after "
            "first reaching 100% and 2 had loss spikes; on the linear set 5 of its 5 runs fell "
            "back after first reaching 100% and 5 had loss spikes. Of the other rates, learning "
            "rate 0.01 converged on 0/5 seeds of the linear set and 0/5 of XOR, learning rate 0.1 converged on 1/5 and 0/5, learning rate 30 "
            "converged on 5/5 and 2/5 and learning rate 100 converged on 0/5 and 0/5 "
            "(Section 4.A).") in said
    none = words("one of each feature, no rate faster than the others")
    assert ("Of the 3 learning rates that converged on every XOR seed, none was faster than "
            "each other one by the comparison rule.") in none
    one = words("mini-batches only, one rate converged")
    assert "One learning rate converged on every XOR seed. Of the other rates," in one
    assert ("The narrowest equal hidden layers that converged on every XOR seed had 4 units each "
            "(Section 4.B).") in said
    never = words("quick preview, XOR never solved")
    assert ("No learning rate converged on every XOR seed. Of the rates tried, learning rate 0.01 "
            "converged on 0/5 seeds of the linear set") in never
    assert "No hidden width converged on every XOR seed (Section 4.B)." in never
    every = words("every rate converged, one unit enough, full batch only")
    assert ("learning rate 3 was faster than each other one by the comparison rule (100% held "
            "from a median epoch of 416). Every learning rate tried converged on every seed of "
            "both data sets (Section 4.A).") in every
    assert "had 1 unit each (Section 4.B)." in every


def test_no_activation_optimizers_and_convolution():
    said = words("as measured")
    assert ("its best XOR run reached 76.2%, against a ceiling of 76.2% that the best possible "
            "straight line reaches on these 21 points.") in said
    assert ("On XOR, Adam at learning rate 0.1 did better than each of the 4 other optimizers "
            "shown on at least 4 of 5 seeds (Section 5.A); the rule does not separate it from "
            "Adagrad at learning rate 1. It was not steady on the way: on the linear set 5 of its "
            "5 runs fell back after first reaching 100%.") in said
    assert ("on at least 4 of 5 seeds (Section 5.A); the rule does not separate it from Adagrad "
            "at learning rate 1. It was not steady on the way: on XOR 3 of its 5 runs had loss "
            "spikes."
            ) in words("every rate converged, one unit enough, full batch only")
    alone = words("one of each feature, no rate faster than the others")
    assert "on at least 4 of 5 seeds (Section 5.A)." in alone
    assert ("Against the dense network nearest in parameter count, a convolutional front end "
            "over the lifted point did better on XOR in 1 of 3 comparisons, worse in 1, with no "
            "clear difference in 1 (Section 5.C).") in said
    assert ("did better on XOR in 2 of 3 comparisons, worse in 1 (Section 5.C)."
            ) in words("every rate converged, one unit enough, full batch only")
    never = words("quick preview, XOR never solved")
    assert ("By the comparison rule, no optimizer shown did better on XOR than each of the "
            "others (Section 5.A).") in never
    assert ("a convolutional front end over the lifted point did better on XOR in 0 of 3 "
            "comparisons, worse in 2, with no clear difference in 1 (Section 5.C).") in never


def test_what_was_built_names_only_what_the_runs_used():
    said = words("as measured")
    assert ("trained it with sigmoid, tanh, ReLU, leaky ReLU and identity hidden units, two "
            "losses (mean squared error and binary cross-entropy), five optimizers (SGD, "
            "momentum, Adagrad, RMSprop and Adam) and four weight initialisations, on the full "
            "data set and on mini-batches of 1 and 10 samples, with and without biases, and "
            "with a 1-D convolutional layer.") in said
    few = words("one of each feature, no rate faster than the others")
    assert ("trained it with sigmoid hidden units, one loss (mean squared error), one optimizer "
            "(SGD) and one weight initialisation, on the full data set at every step, with "
            "biases.") in few
    only_batches = words("mini-batches only, one rate converged")
    assert "initialisations, on mini-batches of 1 and 10 samples, with and" in only_batches


def test_the_features_are_read_from_the_runs():
    from types import SimpleNamespace

    from reportgen.engine import RunSpec

    def res(*specs):
        return SimpleNamespace(runs=lambda: [SimpleNamespace(spec=s) for s in specs])

    used = used_facts({"a": res(RunSpec(), RunSpec(activation="tanh", bias=False)),
                       "b": res(RunSpec(batch_size=10, loss="bce", optimizer="adam"))})
    assert used.activations == ["sigmoid", "tanh"]
    assert used.losses == [LOSSES["mse"].display, LOSSES["bce"].display]
    assert used.optimizers == ["SGD", "Adam"] and used.initialisations == ["normal"]
    assert used.batch_sizes == [10] and used.full_batch and used.without_bias and not used.conv


#: the names other sections' facts hold, as a build in zh-TW writes them
CHINESE_NAMES = dict(
    lr_fastest_xor="學習率 10",
    lr_failed=[ShortRate(f"學習率 {lr}", r.converged, r.runs)
               for lr, r in zip(("0.01", "0.1", "30", "100"), MEASURED.lr_failed)])


def chinese(facts):
    """``facts`` with the names other sections give it in Chinese, as in a zh-TW build."""
    pick = facts.fastest_optimizer
    if pick is not None:
        pick = dataclasses.replace(pick, label="Adam（學習率 0.1）", rivals=[
            dataclasses.replace(r, label="Adagrad（學習率 1）") for r in pick.rivals])
    names = {k: v for k, v in CHINESE_NAMES.items()
             if k != "lr_fastest_xor" or facts.lr_fastest_xor}
    if not facts.lr_failed:
        names.pop("lr_failed")
    return dataclasses.replace(facts, fastest_optimizer=pick, **names)


@pytest.mark.parametrize("name", list(CASES))
def test_every_case_is_wholly_translated(name, monkeypatch):
    page = wholly_translated(monkeypatch, "introduction", chinese(CASES[name]))
    assert "<h2" in page and "簡介" in page


def test_the_chinese_sentences_are_whole(monkeypatch):
    with zh_tw(monkeypatch):
        said = html.unescape(text(render("introduction", chinese(MEASURED))))
    assert "任何一條直線都無法將它們分開。" in said
    assert ("不過它的過程並不穩定：在XOR上，5 次訓練執行中有 5 次在首次達到 100% 後回落，2 次出現"
            "損失尖峰；在線性資料集上") in said
    assert "依比較規則，學習率 10 比其他每一個都快" in said
