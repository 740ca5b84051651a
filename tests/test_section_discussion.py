"""The discussion section: every branch of its template against hand-built facts, and its facts
computed from a real (quick) run of the experiments it reads."""
import dataclasses

import pytest
from click.testing import CliRunner

from branches import render, text
from reportgen import results
from reportgen.cli import main
from reportgen.report.facts import Row, SweepFacts
from reportgen.report.sections import discussion
from reportgen.report.sections.base import Inputs
from reportgen.report.sections.discussion import (
    BIAS_DID_NOT_HELP, BIAS_HELPED, BIAS_NO_DIFFERENCE, DATASET_NAMES, DiscussionFacts,
    Divergence, HiddenUnitsFacts, LearningRateFacts, NarrowestSolved, NoActivationFacts,
    OtherFacts, Rate, RateSpeed, SaturationComparison, Width, XorWidthTrend)
from reportgen.results import Summary


def summ(mean, succeeded=0, median=None, std=0.0, runs=5, diverged=0):
    """A Summary of ``runs`` seeds: ``succeeded`` of them ended at 100% (``median`` epochs)."""
    return Summary(runs=runs, mean_accuracy=mean, std_accuracy=std,
                   success_rate=succeeded / runs, succeeded=succeeded,
                   median_held_epoch=median, fell_back=0, spiked=0,
                   median_epochs_to_100=median, reached_100=succeeded, diverged=diverged,
                   mean_final_loss=None, median_final_loss=None)


def rate(lr, linear, xor, increase=0.0, sat=0.1, diverged=0):
    return Rate(f"lr={lr:g}", lr, 5000, {"linear": linear, "xor": xor},
                {"linear": 0.0, "xor": increase}, sat,
                converged=linear.succeeded == linear.runs and xor.succeeded == xor.runs,
                diverged=diverged, runs=linear.runs + xor.runs)


def width(n, linear, xor):
    return Width(f"sizes=2-{n}-{n}-1", n, (n, n), {"linear": linear, "xor": xor})


def row(setting, linear, xor):
    return Row(setting, {}, {"linear": linear, "xor": xor})


# ---------------------------------------------------------------- as the full build measures
R001 = rate(0.01, summ(0.748, std=0.187), summ(0.590, std=0.083), sat=0.05)
R01 = rate(0.1, summ(0.992, 1, 4066), summ(0.610))
R1 = rate(1, summ(1.0, 5, 1007), summ(1.0, 5, 1482), sat=0.099)
R3 = rate(3, summ(1.0, 5, 335), summ(1.0, 5, 416))
R10 = rate(10, summ(1.0, 5, 319), summ(1.0, 5, 238))
R30 = rate(30, summ(1.0, 5, 79), summ(0.752, 2, 2574), increase=0.32, sat=0.736)
R100 = rate(100, summ(0.504), summ(0.514), increase=0.048, sat=0.326)

MEASURED_LR = LearningRateFacts(
    rates=[R001, R01, R1, R3, R10, R30, R100], lowest=0.01, highest=100,
    converged=[R1, R3, R10], low=1, high=10, failed=[R001, R01, R30, R100],
    too_small=[R001, R01], too_large=[R30, R100], between=[], larger_no_slower=True,
    speeds=[RateSpeed("linear", "lr=30", 79, "lr=1", 1007, 1007 / 79),
            RateSpeed("xor", "lr=10", 238, "lr=1", 1482, 1482 / 238)],
    near_chance_level=0.6, too_large_near_chance=[R100], saturation_slope=0.01,
    saturation=SaturationComparison([R30, R100], R1, higher=True), diverged=[],
    bounded_loss=True)

W1 = width(1, summ(1.0, 5, 1378), summ(0.610, std=0.106))
W2 = width(2, summ(1.0, 5, 1006), summ(0.781, std=0.161))
W4 = width(4, summ(1.0, 5, 1007), summ(1.0, 5, 1482))
W8 = width(8, summ(1.0, 5, 657), summ(1.0, 5, 1177))
W16 = width(16, summ(1.0, 5, 356), summ(1.0, 5, 680))
W32 = width(32, summ(1.0, 5, 199), summ(1.0, 5, 169))

MEASURED_HIDDEN = HiddenUnitsFacts(
    widths=[W1, W2, W4, W8, W16, W32], narrowest=1, widest=32,
    narrowest_solved=[NarrowestSolved("linear", 1, []), NarrowestSolved("xor", 4, [W1, W2])],
    xor_trend=XorWidthTrend([W4, W8, W16, W32], W4, W32, wider_no_slower=True),
    single_unit_xor_best=16 / 21)

MAIN = row("sigmoid (main)", summ(1.0, 5, 1007), summ(1.0, 5, 1482))
LOGISTIC = row("identity hidden, sigmoid output", summ(1.0, 5, 524), summ(0.619, std=0.117))
WITHOUT = ["identity hidden, sigmoid output", "linear, lr=0.01", "linear, lr=0.1"]

MEASURED_NOACT = NoActivationFacts(
    input_size=2, output_size=1, weight_matrices=3, main=MAIN, without=WITHOUT,
    reached_xor=[], best_xor=16 / 21, logistic=LOGISTIC, epochs_compared=True,
    diverged=[Divergence("linear, lr=0.1", 8, 10)])

MEASURED_OTHER = OtherFacts(
    initialisations=4, best=row("init=normal, bias=true", summ(1.0, 5, 1007), summ(1.0, 5, 1482)),
    worst=row("init=uniform, bias=false", summ(1.0, 5, 1379), summ(0.600, std=0.152)),
    uniform_bias=row("init=uniform, bias=true", summ(1.0, 5, 1512), summ(0.895, std=0.092)),
    uniform_bias_solved_all=False, xor_solved_with_bias=13, xor_solved_without_bias=13,
    bias_verdict=BIAS_NO_DIFFERENCE, linear_solved=8, settings=8)

MEASURED = DiscussionFacts(
    seeds=5, dataset_names=dict(DATASET_NAMES), learning_rate=MEASURED_LR,
    hidden_units=MEASURED_HIDDEN, no_activation=MEASURED_NOACT, other=MEASURED_OTHER,
    xor_points=21, xor_linear_ceiling=16 / 21, xor_linear_correct=16, mixed_outcomes=14,
    report_seeds=5)

# ---------------------------------------------------------------- a gap in the converged rates
G3 = rate(3, summ(1.0, 5, 335), summ(0.905, 4, 416))
G30 = rate(30, summ(0.9, 4, 79, diverged=1), summ(0.7, 0, diverged=2), increase=0.4, sat=None,
           diverged=3)
W8_SLOWER = width(8, summ(1.0, 5, 657), summ(1.0, 5, 1600))

GAP = DiscussionFacts(
    seeds=3, dataset_names=dict(DATASET_NAMES),
    learning_rate=dataclasses.replace(
        MEASURED_LR, rates=[R1, G3, R10, G30], lowest=1, highest=30, converged=[R1, R10],
        low=1, high=10, failed=[G3, G30], too_small=[], too_large=[G30], between=[G3],
        larger_no_slower=True,
        speeds=[RateSpeed("linear", "lr=10", 319, "lr=1", 1007, 1007 / 319),
                RateSpeed("xor", "lr=10", 238, "lr=1", 1482, 1482 / 238)],
        too_large_near_chance=[], saturation=None, diverged=[G30], bounded_loss=False),
    hidden_units=HiddenUnitsFacts(
        widths=[W2, W4, W8_SLOWER], narrowest=2, widest=8,
        narrowest_solved=[NarrowestSolved("linear", 2, []), NarrowestSolved("xor", 4, [W2])],
        xor_trend=XorWidthTrend([W4, W8_SLOWER], W4, W8_SLOWER, wider_no_slower=False),
        single_unit_xor_best=None),
    no_activation=dataclasses.replace(
        MEASURED_NOACT, reached_xor=["linear, lr=0.01"],
        logistic=row("identity hidden, sigmoid output", summ(0.97, std=0.02), summ(0.6)),
        epochs_compared=False),
    other=dataclasses.replace(
        MEASURED_OTHER, uniform_bias=row("init=uniform, bias=true", summ(1.0, 5, 1512),
                                         summ(1.0, 5, 2000)),
        uniform_bias_solved_all=True, xor_solved_with_bias=20, xor_solved_without_bias=10,
        bias_verdict=BIAS_HELPED),
    xor_points=21, xor_linear_ceiling=16 / 21, xor_linear_correct=16, mixed_outcomes=3,
    report_seeds=3)

# ---------------------------------------------------------------- no rate converged
N01 = rate(0.1, summ(1.0, 5, 900), summ(0.6))
N1 = rate(1, summ(0.99, 4, 700), summ(0.7))

NOTHING = DiscussionFacts(
    seeds=5, dataset_names=dict(DATASET_NAMES),
    learning_rate=LearningRateFacts(
        rates=[N01, N1], lowest=0.1, highest=1, converged=[], low=None, high=None,
        failed=[N01, N1], too_small=[], too_large=[], between=[N01, N1],
        larger_no_slower=False,
        speeds=[RateSpeed("linear", "lr=0.1", 900, "lr=0.1", 900, None),
                RateSpeed("xor", None, None, None, None, None)],
        near_chance_level=0.6, too_large_near_chance=[], saturation_slope=0.01,
        saturation=None, diverged=[], bounded_loss=False),
    hidden_units=HiddenUnitsFacts(
        widths=[W1, W2], narrowest=1, widest=2,
        narrowest_solved=[NarrowestSolved("linear", 1, []), NarrowestSolved("xor", None, [])],
        xor_trend=None, single_unit_xor_best=0.619),
    no_activation=dataclasses.replace(
        MEASURED_NOACT, without=WITHOUT[1:], logistic=None, epochs_compared=False,
        diverged=[]),
    other=dataclasses.replace(
        MEASURED_OTHER, uniform_bias=None, uniform_bias_solved_all=False,
        xor_solved_with_bias=2, xor_solved_without_bias=7, bias_verdict=BIAS_DID_NOT_HELP),
    xor_points=21, xor_linear_ceiling=16 / 21, xor_linear_correct=16, mixed_outcomes=0,
    report_seeds=5)

# ---------------------------------------------------------------- saturation not higher
R1_SATURATED = dataclasses.replace(R1, saturation=0.8)

NOT_SATURATED = dataclasses.replace(
    MEASURED,
    learning_rate=dataclasses.replace(
        MEASURED_LR, converged=[R1_SATURATED, R3, R10],
        saturation=SaturationComparison([R30, R100], R1_SATURATED, higher=False),
        diverged=[G30, R100]),
    no_activation=dataclasses.replace(
        MEASURED_NOACT, diverged=[Divergence("linear, lr=0.1", 8, 10),
                                  Divergence("linear, lr=0.3", 10, 10)]),
    other=dataclasses.replace(
        MEASURED_OTHER, uniform_bias=row("init=uniform, bias=true", summ(1.0, 5, 1512),
                                         summ(0.95, 2, 3000))))

CASES = {
    "as measured": MEASURED,
    "a gap in the converged rates": GAP,
    "no rate converged": NOTHING,
    "too-large rates saturate less": NOT_SATURATED,
}


def words(name):
    return text(render("discussion", CASES[name]))


@pytest.fixture(params=list(CASES))
def case(request):
    return request.param, words(request.param)


def test_every_case_states_its_own_counts(case):
    name, said = case
    facts = CASES[name]
    lr = facts.learning_rate
    assert (f"overlays the loss curves of {len(lr.rates)} learning rates, from "
            f"{lr.lowest:g} to {lr.highest:g}") in said
    assert f"with {facts.seeds} seeds" in said
    assert f"from {facts.hidden_units.narrowest} to {facts.hidden_units.widest} units" in said
    assert "on the 21 XOR points" in said and "76.2% (16 of 21)" in said
    assert "of shape 2 × 1" in said
    assert f"Over all 4 initialisations, {facts.other.xor_solved_with_bias} XOR runs" in said


def test_learning_rates_as_measured():
    said = words("as measured")
    assert "Learning rates from 1 to 10 brought every seed of both data sets to 100%." in said
    assert ("On linear, the fastest was lr=30 (median 79 epochs), 12.7 times fewer than lr=1 "
            "(1007). On XOR, the fastest was lr=10 (median 238 epochs), 6.2 times fewer than "
            "lr=1 (1482).") in said
    assert ("Too small. With lr=0.01 the runs ended at 74.8% (linear) and 59.0% (XOR) after "
            "5000 epochs, with the loss rising in only 0.0% of the recorded XOR epochs; with "
            "lr=0.1 the runs ended at 99.2% (linear) and 61.0% (XOR)") in said
    assert ("Too large. With lr=30 the runs ended at 100.0% (linear) and 75.2% (XOR), and the "
            "loss rose in 32.0% of the recorded XOR epochs; with lr=100 the runs ended at 50.4% "
            "(linear) and 51.4% (XOR), and the loss rose in 4.8% of the recorded XOR epochs.") \
        in said
    assert "lr=100 ended near chance on XOR (below 60% mean accuracy)" in said
    assert ("73.6% with lr=30, 32.6% with lr=100 of the hidden sigmoid outputs on the XOR points "
            "were saturated (slope σ' = s(1 − s) below 0.01), against 9.9% with lr=1: the large "
            "steps drive units") in said
    assert ("No run of this sweep diverged: with a sigmoid output the squared error of a sample "
            "is at most 1") in said
    assert "A linear network has no such bound; Section 4.C shows one diverging." in said


def test_learning_rates_with_a_gap_and_a_diverging_rate():
    said = words("a gap in the converged rates")
    assert ("lr=1, lr=10 brought every seed of both data sets to 100%, but lr=3, in between, "
            "did not.") in said
    assert "Too small." not in said and "ended near chance" not in said
    assert "Too large. With lr=30 the runs ended at 90.0% (linear) and 70.0% (XOR)" in said
    assert "A measured reason" not in said
    assert "lr=30 diverged (the loss became infinite or not a number) on 3 of 10 runs." in said
    assert "No run of this sweep diverged" not in said


def test_learning_rates_when_none_converged():
    said = words("no rate converged")
    assert "No learning rate brought every seed of both data sets to 100%." in said
    assert "On linear, the fastest was lr=0.1 (median 900 epochs)." in said
    assert "On XOR, the fastest" not in said
    assert "Too small." not in said and "Too large." not in said
    assert "No run of this sweep diverged." in said
    assert "at most 1" not in said and "no such bound" not in said


def test_saturation_that_is_not_higher_gives_no_reason():
    said = words("too-large rates saturate less")
    assert "below 0.01), against 80.0% with lr=1." in said
    assert "the large steps drive units" not in said


def test_hidden_widths():
    measured = words("as measured")
    assert "On linear, the narrowest network to end at 100% on every seed had 1 unit per layer." \
        in measured
    assert ("On XOR, the narrowest network to end at 100% on every seed had 4 units per layer; "
            "narrower ones ended at 61.0% (sizes=2-1-1-1), 78.1% (sizes=2-2-2-1).") in measured
    assert "from 1482 median epochs at 4 units to 169 at 32." in measured
    assert ("so XOR, which needs two lines, cannot be solved (best run: 76.2%; the best straight "
            "line reaches 76.2%).") in measured
    gap = words("a gap in the converged rates")
    assert ("more units did not always mean fewer epochs: the medians were 1482 (4 units), "
            "1600 (8 units).") in gap
    assert "With a single unit per layer" not in gap
    nothing = words("no rate converged")
    assert "On XOR, no width ended at 100% on every seed." in nothing
    assert "Among the widths that solved XOR" not in nothing


def test_no_activation():
    measured = words("as measured")
    assert ("No run of any network without hidden activations reached 100% on XOR; the best "
            "single run reached 76.2%.") in measured
    assert "the main network ended at 100.0 ± 0.0% in this experiment." in measured
    assert ("without hidden activations ended at 100.0 ± 0.0% (5/5 seeds at 100%), after a "
            "median of 524 epochs against 1007 for the main network.") in measured
    assert "The linear, lr=0.1 network diverged on 8 of 10 runs: without a squashing output" \
        in measured
    gap = words("a gap in the converged rates")
    assert "Some runs without hidden activations reached 100% on XOR (linear, lr=0.01)." in gap
    assert "(0/5 seeds at 100%)." in gap and "after a median of" not in gap
    nothing = words("no rate converged")
    assert "On the linear data set, which a line does separate" not in nothing
    assert "diverged on" not in nothing


def test_initialisation_and_biases():
    measured = words("as measured")
    assert ("On XOR, the best setting was init=normal, bias=true (5/5 seeds at 100%) and the "
            "worst init=uniform, bias=false (mean 60.0%).") in measured
    assert "With uniform [0, 1) weights and biases, no seeds ended with XOR solved." in measured
    assert ("13 XOR runs with biases ended at 100% against 13 without: no difference in how "
            "often XOR was solved.") in measured
    assert "On the linear set, 8 of 8 settings ended at 100% on every seed." in measured
    assert "only 2 of 5 seeds ended with XOR solved" in words("too-large rates saturate less")
    gap = words("a gap in the converged rates")
    assert "Uniform [0, 1) weights with biases solved XOR on every seed." in gap
    assert "20 XOR runs with biases ended at 100% against 10 without: biases helped." in gap
    nothing = words("no rate converged")
    assert "With uniform [0, 1) weights and biases" not in nothing
    assert "Uniform [0, 1) weights with biases" not in nothing
    assert "2 XOR runs with biases ended at 100% against 7 without: biases did not help here." \
        in nothing


def test_mixed_outcomes():
    assert ("14 setting–data-set pairs of this report solved the task on some seeds but not on "
            "others; a conclusion drawn from one seed could have gone either way for them, which "
            "is why every number here is over 5 seeds.") in words("as measured")
    assert ("every setting of this report either solved a data set on all its seeds or on none, "
            "so here one seed would have told the same story as 5.") in words("no rate converged")


# ---------------------------------------------------------------- from real results

READS = ("main", "learning_rate", "hidden_units", "no_activation", "initialisation")


@pytest.fixture(scope="module")
def quick_results(tmp_path_factory):
    """The quick profile's results of the experiments the discussion reads (training only: a
    second or two)."""
    out = tmp_path_factory.mktemp("discussion") / "output"
    result = CliRunner().invoke(main, ["run", "--quick", "--quiet", "--out", str(out),
                                       "--jobs", "2", *READS])
    assert result.exit_code == 0, result.output
    loaded = results.load_all(out / "quick")
    assert set(loaded) == set(READS)
    return loaded


@pytest.fixture(scope="module")
def real(quick_results):
    inputs = Inputs(quick_results, {n: SweepFacts(r) for n, r in quick_results.items()},
                    gradchecks=[], provenance={}, meta={}, quick=True, command="reportgen build")
    return discussion.facts(inputs)


def test_real_learning_rates_are_classified_by_their_summaries(quick_results, real):
    res = quick_results["learning_rate"]
    lr = real.learning_rate
    every_seed = {s for s in res.settings
                  if all(res.summary(s, d).succeeded == res.summary(s, d).runs
                         for d in ("linear", "xor"))}
    assert {r.setting for r in lr.converged} == every_seed
    assert [r.lr for r in lr.rates] == sorted(res.overrides(s)["lr"] for s in res.settings)
    assert sorted(r.setting for r in lr.failed) == sorted(set(res.settings) - every_seed)
    assert sorted(r.setting for r in lr.too_small + lr.between + lr.too_large) \
        == sorted(r.setting for r in lr.failed)
    if lr.converged:
        assert all(r.lr < lr.low for r in lr.too_small) and all(r.lr > lr.high
                                                                for r in lr.too_large)
    for speed in lr.speeds:
        solved = [s for s in res.settings if res.summary(s, speed.dataset).succeeded
                  == res.summary(s, speed.dataset).runs]
        medians = [res.summary(s, speed.dataset).median_epochs_to_100 for s in solved]
        assert speed.fastest_epochs == (min(medians) if medians else None)
        assert speed.slowest_epochs == (max(medians) if medians else None)
    assert lr.bounded_loss   # the sweep's networks all have a sigmoid output and MSE


def test_real_other_parts_match_the_results(quick_results, real):
    hidden = quick_results["hidden_units"]
    for solved in real.hidden_units.narrowest_solved:
        widths = [hidden.overrides(s)["sizes"][1] for s in hidden.settings
                  if hidden.summary(s, solved.dataset).succeeded
                  == hidden.summary(s, solved.dataset).runs]
        assert solved.width == (min(widths) if widths else None)
    init = quick_results["initialisation"]
    assert real.other.xor_solved_with_bias + real.other.xor_solved_without_bias \
        == sum(init.summary(s, "xor").succeeded for s in init.settings)
    noact = quick_results["no_activation"]
    assert real.no_activation.diverged == [
        Divergence(s, sum(noact.summary(s, d).diverged for d in ("linear", "xor")),
                   sum(noact.summary(s, d).runs for d in ("linear", "xor")))
        for s in noact.settings if any(noact.summary(s, d).diverged for d in ("linear", "xor"))]
    assert real.xor_points == 21 and real.xor_linear_correct == 16
    assert real.report_seeds == len(quick_results["main"].data["seeds"])
    said = text(render("discussion", real))
    assert f"with {real.seeds} seeds" in said and "None" not in said


def test_several_divergences_are_listed():
    said = words("too-large rates saturate less")
    assert "lr=30 diverged (the loss became infinite or not a number) on 3 of 10 runs; lr=100" in said
    assert ("The linear, lr=0.1 network diverged on 8 of 10 runs; the linear, lr=0.3 network "
            "diverged on 10 of 10 runs:") in said
