"""The questions section: every branch of its template against hand-built facts."""
import dataclasses
import html
import re

from branches import render, text
from reportgen.report.sections.discussion import Rate
from reportgen.report.sections.questions import (ActivationAnswer, BiasAnswer,
                                                 LearningRateAnswer, QuestionsFacts)
from reportgen.results import Summary


def summ(mean, succeeded=0, median=None, runs=5):
    return Summary(runs=runs, mean_accuracy=mean, std_accuracy=0.0,
                   success_rate=succeeded / runs, succeeded=succeeded,
                   median_held_epoch=median, fell_back=0, spiked=0,
                   median_epochs_to_100=median, reached_100=succeeded, diverged=0,
                   mean_final_loss=None, median_final_loss=None)


def rate(lr, xor, increase=0.0, sat=0.1):
    linear = summ(1.0, 5, 300)
    return Rate(f"lr={lr:g}", lr, 5000, {"linear": linear, "xor": xor},
                {"linear": 0.0, "xor": increase}, sat,
                converged=xor.succeeded == xor.runs, diverged=0, runs=10)


# as the full build measures
R001, R01 = rate(0.01, summ(0.590), sat=0.05), rate(0.1, summ(0.610))
R30 = rate(30, summ(0.752, 2, 2574), increase=0.32, sat=0.736)
R100 = rate(100, summ(0.514), increase=0.048, sat=0.326)

MEASURED_LR = LearningRateAnswer(
    too_small=[R001, R01], too_large=[R30, R100], too_large_saturated=[R30, R100],
    any_converged=True, clean_range=True, low=1, high=10, larger_no_slower=True,
    diverged=["linear, lr=0.1"])

MEASURED = QuestionsFacts(
    activation=ActivationAnswer(best_xor_without=16 / 21, xor_linear_ceiling=16 / 21,
                                sigmoid_xor=1.0),
    learning_rate=MEASURED_LR,
    bias=BiasAnswer(initialisations=4, solved_with_bias=13, runs_with_bias=20,
                    solved_without_bias=13, runs_without_bias=20,
                    uniform_xor=summ(0.6, 0)))

CASES = {
    "as measured": MEASURED,
    "none too small, too large unmeasured, slower within the range, biases needed":
        dataclasses.replace(
            MEASURED,
            learning_rate=dataclasses.replace(
                MEASURED_LR, too_small=[], too_large=[R100], too_large_saturated=[],
                larger_no_slower=False, diverged=[], low=0.01),
            bias=BiasAnswer(initialisations=3, solved_with_bias=12, runs_with_bias=15,
                            solved_without_bias=0, runs_without_bias=15, uniform_xor=None)),
    "no rate converged": dataclasses.replace(
        MEASURED, learning_rate=LearningRateAnswer(
            too_small=[], too_large=[], too_large_saturated=[], any_converged=False,
            clean_range=False, low=None, high=None, larger_no_slower=False,
            diverged=["linear, lr=0.1", "linear, lr=1"])),
}


def words(case):
    said = html.unescape(text(render("questions", CASES[case])))
    return re.sub(r"\(\s+", "(", re.sub(r"\s+([).,;:])", r"\1", said))


def test_activation_functions():
    assert ("This build measured it: without hidden activations the best XOR run reached 76.2% "
            "(a straight line can reach at most 76.2% on these points), while the same network "
            "with sigmoids ended at 100.0% on average (Table 1).") in words("as measured")


def test_too_small_and_too_large_as_measured():
    said = words("as measured")
    assert ("Too small: training is slow. At lr=0.01 and lr=0.1 the XOR runs ended at 59.0% and "
            "61.0% mean accuracy when the epochs ran out") in said
    assert ("Too large: the steps overshoot. At lr=30 and lr=100 the loss rose in 32.0% and "
            "4.8% of the recorded XOR epochs and the runs ended at 75.2% and 51.4% on XOR; at "
            "the end, 73.6% (lr=30) and 32.6% (lr=100) of their hidden sigmoid outputs were "
            "saturated, where almost no gradient flows (Section 4.A).") in said
    assert ("the loss grow without limit: the linear, lr=0.1 network diverged (Section 4.C). "
            "In between (1 to 10 here) every seed converged, and within that range every "
            "larger rate was at least as fast on both data sets.") in said


def test_the_other_learning_rate_outcomes():
    other = words("none too small, too large unmeasured, slower within the range, biases needed")
    assert "No learning rate of the sweep was too small to converge within the epochs given." \
        in other
    assert "ended at 51.4% on XOR. In between (0.01 to 10 here) every seed converged." in other
    assert "saturated" not in other and "diverged" not in other
    none = words("no rate converged")
    assert ('No learning rate of the sweep brought every seed to 100%, so this build cannot say '
            'where "too small" begins.') in none
    assert "Too large" not in none and "In between" not in none
    assert "the linear, lr=0.1, linear, lr=1 network diverged" in none


def test_weights_and_biases():
    said = words("as measured")
    assert ("Here, over 4 initialisations, 13 of 20 XOR runs with biases ended at 100%, and 13 "
            "of 20 without (Table 1). Without biases XOR could still be solved here;") in said
    assert ("all-positive uniform [0, 1) weights solved XOR on 0 of 5 seeds (Section 4.D).") \
        in said
    needed = words("none too small, too large unmeasured, slower within the range, biases needed")
    assert "over 3 initialisations, 12 of 15 XOR runs with biases ended at 100%, and 0 of 15" \
        in needed
    assert "could still be solved" not in needed and "uniform [0, 1)" not in needed
    assert "How the weights start also matters: (Section 4.D)." in needed
