"""The discussion section: every branch of its template against hand-built facts, and its facts
computed from a real (quick) run of the experiments it reads, checked against the comparison
rule and the results files."""
import dataclasses
import math
import re
from pathlib import Path

import numpy as np

from reportgen.figures.labels import dataset_name, setting_label
import pytest
from click.testing import CliRunner

from branches import english_left, render, words as page_words
from reportgen import i18n, results
from reportgen.engine.activations import ACTIVATIONS
from reportgen.engine.initializers import INITIALIZERS
from reportgen.engine.losses import LOSSES
from reportgen.cli import main
from reportgen.engine import datasets
from reportgen.engine.losses import accuracy
from reportgen.experiments.summary import summary_cells
from reportgen.report import rule
from reportgen.report.document import to_data
from reportgen.report.facts import Row, SweepFacts, chance
from reportgen.report.sections import discussion
from reportgen.report.sections import results as results_section
from reportgen.report.sections.base import Inputs
from reportgen.report.sections.discussion import (
    BETTER, FASTER, SET_NAMES, SLOWER, TIED, UNCLEAR, WORSE, AtRate, BatchFacts, BatchSize,
    BiasFreeFacts, BiasVerdict, BriefHold, Comparison, DATASET_NAMES, DiscussionFacts, Divergence,
    EqualUpdates, Failure,
    HiddenUnitsFacts, InitStart, Instability, LearningRateFacts, LinearOutcome, LogisticOutcome,
    LossFacts, MainRow, Mirror, NarrowestSolved, NoActivationFacts, NoneAt, OriginOutput,
    OtherFacts, PartDFacts, Rate, RateOn, RatesAtWidths, RateSpeed, RuleFacts, Twin, Unequal,
    WideFacts,
    Width, WidthRate, WidthSpeed)
from reportgen.results import Summary

ROOT = Path(__file__).resolve().parent.parent


def summ(mean, succeeded=0, median=None, std=0.0, runs=5, diverged=0, fell_back=0):
    """A Summary of ``runs`` seeds: ``succeeded`` of them converged (``median``: the median
    epoch from which they held 100%)."""
    return Summary(runs=runs, mean_accuracy=mean, std_accuracy=std,
                   success_rate=succeeded / runs, succeeded=succeeded,
                   median_held_epoch=median, fell_back=fell_back, spiked=0,
                   median_epochs_to_100=median, reached_100=succeeded, diverged=diverged,
                   mean_final_loss=None, median_final_loss=None)


def cmp(a, b, outcome, wins=5, losses=0, ties=0, dataset="xor", seeds=5):
    return Comparison(a, b, dataset, outcome, wins, losses, ties, seeds, 4)


def on(dataset, failed=0, still=0, change=None, constant=0, saturated=0, slope=None,
       hidden=None, at_chance=0, runs=5):
    return RateOn(dataset, runs, failed, still, failed - still, change, constant, saturated,
                  slope, hidden, at_chance)


def rate(lr, linear, xor, increase=0.0, sat=0.1, diverged=0, ons=None, main=False):
    ons = ons or {"linear": on("linear", linear.runs - linear.succeeded),
                  "xor": on("xor", xor.runs - xor.succeeded)}
    return Rate(f"lr={lr:g}", lr, 5000, {"linear": linear, "xor": xor},
                {"linear": 0.0, "xor": increase}, sat,
                converged=linear.succeeded == linear.runs and xor.succeeded == xor.runs,
                diverged=diverged, runs=linear.runs + xor.runs, name=f"learning rate {lr:g}",
                on=ons, main=main)


def width(sizes, linear, xor, main=False):
    return Width("sizes=" + "-".join(map(str, sizes)), sizes[1], tuple(sizes[1:-1]),
                 {"linear": linear, "xor": xor}, "-".join(map(str, sizes)), main)


def row(setting, linear, xor):
    return Row(setting, {}, {"linear": linear, "xor": xor})


def wobble(name, dataset, fell_back=0, lowest=None, spiked=0, most=0, converged=5, largest=None):
    return Instability(name, dataset, 5, converged, fell_back, lowest, spiked, most, largest)


RULE = RuleFacts(seeds=5, needed=4, by_chance=3 / 16, by_chance_either=3 / 8, spike_factor=10.0, still_learning=0.01,
                 late_share=0.1, constant_spread=0.01, saturation_slope=0.01)

# ---------------------------------------------------------------- as the full build measures
R001 = rate(0.01, summ(0.748, std=0.187), summ(0.590, std=0.083), sat=0.0, ons={
    "linear": on("linear", 5, 3, 0.0041, at_chance=2),
    "xor": on("xor", 5, 0, 0.00042, at_chance=3)})
R01 = rate(0.1, summ(0.992, 1, 4066), summ(0.610), ons={
    "linear": on("linear", 4, 4), "xor": on("xor", 5, 2, 0.0035, at_chance=2)})
R1 = rate(1, summ(1.0, 5, 1007), summ(1.0, 5, 1482), sat=0.099, main=True)
R3 = rate(3, summ(1.0, 5, 1151), summ(1.0, 5, 853))
R10 = rate(10, summ(1.0, 5, 858), summ(1.0, 5, 368))
R30 = rate(30, summ(1.0, 5, 652), summ(0.752, 2, 2435), increase=0.32, sat=0.736, ons={
    "linear": on("linear"), "xor": on("xor", 3, 2, constant=2, hidden=0.786)})
R100 = rate(100, summ(0.504), summ(0.514), increase=0.048, sat=0.326, ons={
    "linear": on("linear", 5, 0, 1.2e-6, 5, 5, 2.6e-6, 0.0, 5),
    "xor": on("xor", 5, 0, 3.2e-4, 5, 5, 1.6e-4, 0.119, 5)})

LR_WIDTHS = RatesAtWidths(
    epochs=1000, narrow="2-4-4-1", wide="2-16-16-1",
    rates=[WidthRate(lr, {}, {}, []) for lr in (1, 3, 10, 30, 100)],
    converged_narrow={"linear": [10, 30], "xor": [10]},
    converged_wide={"linear": [1, 10], "xor": [1, 3, 10]},
    separated=[AtRate(1, cmp("2-16-16-1", "2-4-4-1", BETTER, 4, 1, dataset="linear")),
               AtRate(30, cmp("2-16-16-1", "2-4-4-1", WORSE, 1, 4, dataset="linear"))],
    none_converged=[NoneAt(100, ["linear", "xor"],
                           [cmp("2-16-16-1", "2-4-4-1", WORSE, 1, 4, dataset="linear"),
                            cmp("2-16-16-1", "2-4-4-1", UNCLEAR, 1, 3, 1)])],
    narrow_is_main=False)

MEASURED_LR = LearningRateFacts(
    rates=[R001, R01, R1, R3, R10, R30, R100], lowest=0.01, highest=100, epochs=5000,
    late_epochs=500, converged=[R1, R3, R10], low=1, high=10, failed=[R001, R01, R30, R100],
    too_small=[R001, R01], too_large=[R30, R100], between=[], too_small_learning=9,
    too_small_flat=10, larger_faster=False,
    speeds=[RateSpeed("linear", "lr=30", 652, "lr=3", 1151, 1151 / 652, [1, 3, 10, 30],
                      "learning rate 30", "learning rate 3",
                      [cmp("learning rate 3", "learning rate 1", SLOWER, 0, 5, dataset="linear"),
                       cmp("learning rate 10", "learning rate 3", FASTER, dataset="linear")]),
            RateSpeed("xor", "lr=10", 368, "lr=1", 1482, 1482 / 368, [1, 3, 10],
                      "learning rate 10", "learning rate 1",
                      [cmp("learning rate 3", "learning rate 1", FASTER)])],
    failures=[Failure("learning rate 30", "xor", 3, 5, 2, 0, None, 0.786, 0.643, 2, 0.0001, 0,
                      constant_explains=False, hidden_explains=True),
              Failure("learning rate 100", "linear", 10, 10, 10, 10, 1.6e-4, 0.0, 0.643, 0,
                      3.2e-4, 10, constant_explains=True, hidden_explains=False,
                      datasets=["linear", "xor"])],
    unstable=[wobble("learning rate 3", "linear", 5, 0.95),
              wobble("learning rate 10", "linear", 5, 0.93, 5, 67, largest=15.3)],
    main=R1, diverged=[], bounded_loss=True, widths=LR_WIDTHS)

W1 = width((2, 1, 1, 1), summ(1.0, 5, 1378), summ(0.610, std=0.106))
W2 = width((2, 2, 2, 1), summ(1.0, 5, 1006), summ(0.781, std=0.161))
W4 = width((2, 4, 4, 1), summ(1.0, 5, 1007), summ(1.0, 5, 1482), main=True)
W8 = width((2, 8, 8, 1), summ(1.0, 5, 657), summ(1.0, 5, 1177))
W16 = width((2, 16, 16, 1), summ(1.0, 5, 356), summ(1.0, 5, 680))
W32 = width((2, 32, 32, 1), summ(1.0, 5, 199), summ(1.0, 5, 419))
W64 = width((2, 64, 64, 1), summ(1.0, 5, 449), summ(1.0, 5, 406))

U84 = Unequal("2-8-4-1", (8, 4), {}, [cmp("2-8-4-1", "2-4-4-1", UNCLEAR, 3, 2),
                                      cmp("2-8-4-1", "2-8-8-1", UNCLEAR, 3, 2)],
              ["2-4-4-1", "2-8-8-1"], [])

MEASURED_HIDDEN = HiddenUnitsFacts(
    widths=[W1, W2, W4, W8, W16], narrowest=1, widest=16, epochs=5000,
    narrowest_solved=[NarrowestSolved("linear", 1, []), NarrowestSolved("xor", 4, [W1, W2])],
    speeds=[WidthSpeed("linear", ["2-1-1-1", "2-2-2-1"], W16,
                       [cmp("2-2-2-1", "2-1-1-1", FASTER, dataset="linear")], False),
            WidthSpeed("xor", ["2-4-4-1", "2-8-8-1", "2-16-16-1"], W16,
                       [cmp("2-8-8-1", "2-4-4-1", UNCLEAR, 3, 2),
                        cmp("2-16-16-1", "2-8-8-1", FASTER)], False)],
    single_unit_xor_best=16 / 21,
    unstable=[wobble("2-8-8-1", "xor", 1, 0.857)], unequal=[U84],
    mirrored=[Mirror("2-8-4-1", "2-4-8-1", [cmp("2-8-4-1", "2-4-8-1", UNCLEAR, 3, 2)], [])],
    widest_fastest=["linear", "xor"], unequal_separated=False, main=W4,
    wide=WideFacts(1000, [W16, W32, W64], True,
                   [WidthSpeed("linear", ["2-16-16-1"], None,
                               [cmp("2-64-64-1", "2-32-32-1", SLOWER, 0, 5, dataset="linear")],
                               False)],
                   [wobble("2-64-64-1", "xor", 5, 0.476)], brief=2))

MAIN = row("sigmoid (main)", summ(1.0, 5, 1007), summ(1.0, 5, 1482))
LOGISTIC = row("identity hidden, sigmoid output", summ(1.0, 5, 1036), summ(0.619, std=0.117))
WITHOUT = ["identity hidden, sigmoid output", "no activation, lr=0.01", "no activation, lr=0.1"]

MEASURED_NOACT = NoActivationFacts(
    input_size=2, output_size=1, weight_matrices=3, main=MAIN, main_is_main=True,
    main_name="the sigmoid network at learning rate 1", without=WITHOUT,
    reached_xor=[], best_xor=16 / 21, logistic=LOGISTIC,
    logistic_xor=LogisticOutcome(5, 2, 3, 3),
    compared=[cmp("the logistic model", "the main network", UNCLEAR, 2, 3, dataset="linear"),
              cmp("the logistic model", "the main network", WORSE, 0, 5)],
    diverged=[Divergence("no activation, lr=0.1", 8, 10,
                         "the fully linear network at learning rate 0.1")],
    fit_at_chance=True, fit_accuracy=11 / 21, fit_correct=11, fit_constant=True,
    fit_value=10 / 21, fit_below_ceiling=True,
    linear=[LinearOutcome("no activation, lr=0.01",
                          "the fully linear network at learning rate 0.01", 5, 5, 5,
                          1.9e-14, 5, 1e-6)],
    boundary_constant=["xor"])

UNIFORM_START = InitStart("uniform", 1.0, [0.94, 0.89, 0.88, 0.93, 0.97],
                          [0.90, 0.70, 0.93, 0.97, 0.87], 0, 5)
NORMAL_START = InitStart("normal", 0.47, [0.81, 0.54, 0.52, 0.55, 0.57],
                         [0.50, 0.70, 0.50, 0.47, 0.62], 5, 5)

MEASURED_OTHER = OtherFacts(
    initialisations=4, init_names=["uniform", "normal", "Xavier", "He"],
    init_tex=[r"W \sim U", r"W \sim N", r"W \sim N_X", r"W \sim N_H"],
    best=row("init=normal, bias=true", summ(1.0, 5, 1007), summ(1.0, 5, 1482)),
    best_name="normal weights with biases",
    worst=row("init=uniform, bias=false", summ(1.0, 5, 1379), summ(0.600, std=0.152)),
    worst_name="uniform weights without biases",
    uniform_bias=row("init=uniform, bias=true", summ(1.0, 5, 1512), summ(0.895, std=0.092)),
    uniform_bias_solved_all=False, uniform_still_learning=5, uniform_failed=5,
    uniform_failed_runs=10, uniform_converged_runs=0, xor_solved_with_bias=13, xor_solved_without_bias=13,
    runs_with_bias=20, runs_without_bias=20,
    bias_verdicts=[BiasVerdict("uniform", cmp("the network with biases", "the one without",
                                              BETTER)),
                   BiasVerdict("normal", cmp("the network with biases", "the one without",
                                             FASTER)),
                   BiasVerdict("Xavier", cmp("the network with biases", "the one without",
                                             BETTER, 4, 0, 1)),
                   BiasVerdict("He", cmp("the network with biases", "the one without", UNCLEAR,
                                         3, 1, 1))],
    bias_better=3, bias_worse=0, linear_solved=8, settings=8,
    starts=[UNIFORM_START, NORMAL_START, dataclasses.replace(NORMAL_START, init="Xavier"),
            dataclasses.replace(NORMAL_START, init="He")], uniform_start=UNIFORM_START,
    failed_likeness=(0.88, 0.97), failed_likeness_end=(0.52, 0.97),
    converged_likeness=0.814, converged_likeness_end=0.743, likeness_separates=True,
    likeness_end_separates=False, main_name="normal weights with biases", epochs=5000,
    late_epochs=500, other_failed_likeness=(0.79, 0.81), all_failed_separate=False)

MSE = row("mean squared error", summ(1.0, 5, 1007), summ(1.0, 5, 1482))
BCE = row("binary cross-entropy", summ(1.0, 5, 367), summ(1.0, 5, 924))
MEASURED_LOSS = LossFacts(
    5000, ["mean squared error", "binary cross-entropy"], [MSE, BCE],
    [cmp("binary cross-entropy", "mean squared error", FASTER, dataset="linear"),
     cmp("binary cross-entropy", "mean squared error", FASTER)],
    [wobble("binary cross-entropy", "xor", 3, 0.714)], True,
    [r"\delta = \frac{2}{n}(\hat{Y} - Y) \odot f'(Z)", r"\delta = (\hat{Y} - Y)/n"], True)

B1 = BatchSize("batch size 1", 1, {"linear": 100, "xor": 21}, {},
               {"linear": 20000, "xor": 4200})
B10 = BatchSize("batch size 10", 10, {"linear": 10, "xor": 3}, {},
                {"linear": 2000, "xor": 600})
FULL = BatchSize("the full batch", None, {"linear": 1, "xor": 1}, {},
                 {"linear": 200, "xor": 200})
MEASURED_BATCH = BatchFacts(
    200, {"linear": 100, "xor": 21}, [B1, B10, FULL],
    [cmp("batch size 1", "the full batch", UNCLEAR, 3, 2, dataset="linear"),
     cmp("batch size 10", "the full batch", UNCLEAR, 0, 2, 3)],
    [wobble("batch size 1", "linear", 5, 0.89, 5, 19, converged=2, largest=12.5)], False,
    [EqualUpdates("batch size 10", "linear", 1000, 5, 5, 0, 5, held=0),
     EqualUpdates("batch size 1", "xor", 2100, 1, 5, 4, 5, held=1)])

RELU = row("ReLU, no biases", summ(0.904, 4, 669), summ(0.857, 2, 102))
SIGMOID_NB = row("sigmoid, no biases", summ(1.0, 5, 733), summ(1.0, 5, 1853))
MEASURED_BIAS_FREE = BiasFreeFacts(
    epochs=5000, relu=RELU, relu_name="the ReLU network", others=[SIGMOID_NB],
    outputs=[OriginOutput("the ReLU network", 0.5, 0.5, True),
             OriginOutput("the sigmoid network", 0.0038, 0.418, False)],
    threshold=0.5, threshold_is_class_0=True, origin_label=0, xor_points=21,
    comparisons=[cmp("the ReLU network", "the sigmoid network", UNCLEAR, 2, 3,
                     dataset="linear"),
                 cmp("the ReLU network", "the sigmoid network", UNCLEAR, 2, 3)],
    dead_low=0.0, dead_high=0.625,
    twins=[Twin("the sigmoid network", "init", "normal, no biases", 5000)])

MAIN_ROWS = [MainRow("lr", "learning rate 1", "lr=1"), MainRow("hidden", "2-4-4-1", "2-4-4-1"),
             MainRow("init", "normal weights with biases", "init=normal, bias=true")]

MEASURED = DiscussionFacts(
    seeds=5, dataset_names=dict(DATASET_NAMES), set_names=dict(SET_NAMES), rule=RULE,
    chance={"linear": 0.52, "xor": 11 / 21}, chance_correct={"linear": 52, "xor": 11},
    points={"linear": 100, "xor": 21}, threshold=0.5, main_epochs=5000, main_rows=MAIN_ROWS,
    learning_rate=MEASURED_LR, hidden_units=MEASURED_HIDDEN, no_activation=MEASURED_NOACT,
    other=MEASURED_OTHER,
    part_d=PartDFacts(MEASURED_LOSS, MEASURED_BATCH, MEASURED_BIAS_FREE),
    xor_points=21, xor_linear_ceiling=16 / 21, xor_linear_correct=16, mixed_outcomes=26,
    report_seeds=5, brief_holds=[BriefHold("wide", "2-16-16-1", "xor", 2, 5, 736, 800),
                                 BriefHold("lr_widths", "2-4-4-1 at learning rate 1", "linear",
                                           1, 5, 924, 1000)])

# ---------------------------------------------------------------- a gap in the converged rates
G3 = rate(3, summ(1.0, 5, 335), summ(0.905, 4, 416))
G30 = rate(30, summ(0.9, 4, 79, diverged=1), summ(0.7, 0, diverged=2), increase=0.4, sat=None,
           diverged=3)
G100 = rate(100, summ(0.5), summ(0.5), diverged=10)

GAP = dataclasses.replace(
    MEASURED, seeds=3, main_rows=[],
    learning_rate=dataclasses.replace(
        MEASURED_LR, rates=[R1, G3, R10, G30, G100], lowest=1, highest=100, converged=[R1, R10],
        low=1, high=10, failed=[G3, G30, G100], too_small=[], too_large=[G30, G100],
        between=[G3], too_small_learning=0, too_small_flat=0, larger_faster=True,
        speeds=[RateSpeed("linear", None, None, None, None, None, [1, 10], None, None,
                          [cmp("learning rate 10", "learning rate 1", TIED, 0, 0, 5,
                               dataset="linear")]),
                RateSpeed("xor", "lr=10", 238, None, None, None, [1, 10], "learning rate 10",
                          None, [cmp("learning rate 10", "learning rate 1", FASTER)])],
        failures=[Failure("learning rate 30", "xor", 5, 5, 1, 0, None, 0.2, 0.6, 0, 0.0, 0,
                          constant_explains=False, hidden_explains=False),
                  Failure("learning rate 100", "linear", 4, 5, 4, 4, 1e-6, None, None, 1, None,
                          3, constant_explains=True, hidden_explains=False),
                  Failure("learning rate 30", "linear", 2, 5, 0, 0, None, 0.8, 0.6, 1, 0.0, 0,
                          constant_explains=False, hidden_explains=True)],
        unstable=[], main=None, diverged=[G30, G100], bounded_loss=False,
        widths=dataclasses.replace(
            LR_WIDTHS, narrow_is_main=True, converged_narrow={"linear": [], "xor": []},
            converged_wide={"linear": [], "xor": []}, separated=[],
            none_converged=[NoneAt(100, ["xor"])])),
    hidden_units=dataclasses.replace(
        MEASURED_HIDDEN, widths=[W2, W4, W8], narrowest=2, widest=8,
        narrowest_solved=[NarrowestSolved("linear", 2, []), NarrowestSolved("xor", None, [])],
        speeds=[WidthSpeed("linear", ["2-2-2-1", "2-4-4-1"], None,
                           [cmp("2-4-4-1", "2-2-2-1", UNCLEAR, 2, 2, 1, dataset="linear")],
                           False),
                WidthSpeed("xor", [], None, [], False)],
        single_unit_xor_best=None, unstable=[], widest_fastest=[], main=None,
        unequal=[Unequal("2-8-4-1", (8, 4), {}, [cmp("2-8-4-1", "2-4-4-1", FASTER),
                                                 cmp("2-8-4-1", "2-8-8-1", UNCLEAR, 2, 2, 1)],
                         ["2-4-4-1", "2-8-8-1"], [cmp("2-8-4-1", "2-4-4-1", FASTER)]),
                 Unequal("2-4-8-1", (4, 8), {}, [cmp("2-4-8-1", "2-4-4-1", SLOWER, 0, 5)],
                         ["2-4-4-1"], [cmp("2-4-8-1", "2-4-4-1", SLOWER, 0, 5)])],
        mirrored=[Mirror("2-8-4-1", "2-4-8-1",
                         [cmp("2-8-4-1", "2-4-8-1", BETTER, 4, 1),
                          cmp("2-8-4-1", "2-4-8-1", UNCLEAR, 3, 2, dataset="linear")],
                         [cmp("2-8-4-1", "2-4-8-1", BETTER, 4, 1)])],
        unequal_separated=True,
        wide=WideFacts(1000, [W16, W32], False,
                       [WidthSpeed("xor", ["2-16-16-1", "2-32-32-1"], W32, [], False)], [])),
    no_activation=dataclasses.replace(
        MEASURED_NOACT, main_is_main=False, reached_xor=["the fully linear network"],
        fit_constant=False, fit_at_chance=False, fit_accuracy=0.8, fit_correct=17,
        fit_value=0.45, fit_below_ceiling=False,
        linear=[LinearOutcome("linear", "the fully linear network", 5, 5, 0, 0.3, 0,
                              1e-6)], boundary_constant=[],
        logistic_xor=LogisticOutcome(5, 5, 0, 0)),
    other=dataclasses.replace(
        MEASURED_OTHER, best=None, best_name=None, worst=None, worst_name=None,
        uniform_bias=row("init=uniform, bias=true", summ(1.0, 5, 1512), summ(1.0, 5, 2000)),
        uniform_bias_solved_all=True, uniform_still_learning=0, uniform_failed=0,
        converged_likeness=None, converged_likeness_end=None, likeness_separates=False,
        bias_better=0, main_name=None, init_tex=[]),
    part_d=PartDFacts(
        dataclasses.replace(MEASURED_LOSS, squared_is_main=False, unstable=[], epochs=2000,
                            second_ahead=False,
                            comparisons=[cmp("binary cross-entropy", "mean squared error", WORSE,
                                             0, 5),
                                         cmp("binary cross-entropy", "mean squared error", TIED,
                                             0, 0, 5, dataset="linear")]),
        dataclasses.replace(MEASURED_BATCH, full_is_main=True, unstable=[], equal_updates=[],
                            comparisons=[cmp("batch size 1", "the full batch", FASTER),
                                         cmp("batch size 10", "the full batch", UNCLEAR, 2, 2,
                                             1)]),
        dataclasses.replace(MEASURED_BIAS_FREE, twins=[],
                            outputs=[OriginOutput("the ReLU network", 0.49, 0.5, False)],
                            threshold_is_class_0=False, origin_label=None, dead_low=None,
                            dead_high=None,
                            comparisons=[cmp("the ReLU network", "the sigmoid network", BETTER,
                                             4, 1),
                                         cmp("the ReLU network", "the sigmoid network", UNCLEAR,
                                             2, 2, 1, dataset="linear")])),
    mixed_outcomes=0, report_seeds=3, brief_holds=[])

# ---------------------------------------------------------------- no rate converged
N01 = rate(0.1, summ(1.0, 5, 900), summ(0.6))
N1 = rate(1, summ(0.99, 4, 700), summ(0.7))

NOTHING = dataclasses.replace(
    MEASURED, main_rows=[],
    learning_rate=dataclasses.replace(
        MEASURED_LR, rates=[N01, N1], lowest=0.1, highest=1, converged=[], low=None, high=None,
        failed=[N01, N1], too_small=[], too_large=[], between=[N01, N1], larger_faster=False,
        speeds=[RateSpeed("linear", None, None, None, None, None, [0.1], None, None, []),
                RateSpeed("xor", None, None, None, None, None, [], None, None, [])],
        failures=[], unstable=[], main=None, diverged=[], bounded_loss=False),
    hidden_units=dataclasses.replace(
        MEASURED_HIDDEN, widths=[W1, W2], narrowest=1, widest=2,
        narrowest_solved=[NarrowestSolved("linear", 1, []), NarrowestSolved("xor", None, [])],
        speeds=[WidthSpeed("linear", ["2-1-1-1"], None, [], False),
                WidthSpeed("xor", ["2-1-1-1", "2-2-2-1", "2-4-4-1"], None, [], False)],
        single_unit_xor_best=0.619, unequal=[], mirrored=[], unstable=[]),
    no_activation=dataclasses.replace(
        MEASURED_NOACT, without=WITHOUT[1:], logistic=None, logistic_xor=None, compared=[],
        diverged=[]),
    other=dataclasses.replace(
        MEASURED_OTHER, uniform_bias=None, uniform_bias_solved_all=False, uniform_start=None,
        xor_solved_with_bias=2, xor_solved_without_bias=7))

# ---------------------------------------------------------------- the remaining branches
OTHERWISE = dataclasses.replace(
    MEASURED, brief_holds=[BriefHold("batch", "batch size 1", "xor", 1, 1, 93, 100),
                           BriefHold("lr", "learning rate 3", "linear", 2, 2, 4600, 5000)],
    learning_rate=dataclasses.replace(
        MEASURED_LR,
        failures=[Failure("learning rate 30", "xor", 3, 5, 0, 0, None, 0.786, 0.643, 3, 0.0001,
                          0, constant_explains=False, hidden_explains=True),
                  Failure("learning rate 100", "xor", 5, 5, 5, 5, 1.6e-4, 0.119, 0.643, 2,
                          3.2e-4, 5, constant_explains=True, hidden_explains=False)],
        unstable=[wobble("learning rate 3", "linear", 0, None, 2, 3),
                  wobble("learning rate 10", "xor", 2, 0.5, 0, 0, converged=3)],
        too_small=[dataclasses.replace(R001, on={"linear": on("linear"),
                                                 "xor": on("xor", 5, 5)})],
        too_small_learning=5, too_small_flat=0),
    hidden_units=dataclasses.replace(
        MEASURED_HIDDEN,
        unstable=[wobble("2-8-8-1", "xor", 1, 0.857), wobble("2-16-16-1", "xor", 1, 0.905)],
        mirrored=[Mirror("2-8-4-1", "2-4-8-1", [cmp("2-8-4-1", "2-4-8-1", BETTER, 4, 1)],
                         [cmp("2-8-4-1", "2-4-8-1", BETTER, 4, 1)])],
        wide=dataclasses.replace(
            MEASURED_HIDDEN.wide,
            speeds=[WidthSpeed("xor", ["2-16-16-1", "2-32-32-1", "2-64-64-1"], None,
                               [cmp("2-32-32-1", "2-16-16-1", FASTER, 4, 1),
                                cmp("2-64-64-1", "2-32-32-1", UNCLEAR, 3, 2)], False)],
            unstable=[wobble("2-32-32-1", "xor", 4, 0.762), wobble("2-64-64-1", "xor", 5, 0.476)],
            brief=0)),
    no_activation=dataclasses.replace(
        MEASURED_NOACT,
        diverged=[Divergence("no activation, lr=0.1", 8, 10, "the fully linear network at "
                             "learning rate 0.1"),
                  Divergence("no activation, lr=0.3", 10, 10, "the fully linear network at "
                             "learning rate 0.3")],
        linear=[LinearOutcome("no activation, lr=0.1", "the fully linear network at learning rate 0.1",
                              3, 5, 2, 0.2, 1, 1e-6),
                LinearOutcome("no activation, lr=0.3", "the fully linear network at learning rate 0.3",
                              1, 5, 1, 0.0, 1, 1e-6),
                LinearOutcome("no activation, lr=1", "the fully linear network at learning rate 1",
                              1, 5, 0, 0.3, 0, 1e-6)],
        boundary_constant=["linear", "xor"]),
    other=dataclasses.replace(
        MEASURED_OTHER,
        uniform_bias=row("init=uniform, bias=true", summ(1.0, 5, 1512), summ(0.95, 2, 3000)),
        uniform_still_learning=1, uniform_failed=3, likeness_end_separates=True,
        all_failed_separate=True, uniform_converged_runs=2,
        starts=[UNIFORM_START, NORMAL_START,
                dataclasses.replace(NORMAL_START, init="He", positive=0.52)]),
    part_d=dataclasses.replace(
        MEASURED.part_d,
        loss=dataclasses.replace(
            MEASURED_LOSS, unstable=[wobble("binary cross-entropy", "xor", 3, 0.714),
                                     wobble("mean squared error", "linear", 0, None, 1, 1)]),
        batch=dataclasses.replace(
            MEASURED_BATCH, comparisons=[cmp("batch size 1", "the full batch", BETTER, 4, 1)],
            unstable=[wobble("batch size 1", "linear", 5, 0.89, 5, 19, converged=2),
                      wobble("batch size 10", "linear", 5, 0.9, converged=2)]),
        bias_free=dataclasses.replace(
            MEASURED_BIAS_FREE, origin_label=1,
            twins=[Twin("the sigmoid network", "init", "normal, no biases", 5000),
                   Twin("the ReLU network", "init", "He, no biases", 5000)],
            comparisons=[cmp("the ReLU network", "the sigmoid network", SLOWER, 1, 4)])))

PLATEAUS_ONLY = dataclasses.replace(
    MEASURED, brief_holds=[*MEASURED.brief_holds,
                           BriefHold("loss", "binary cross-entropy", "xor", 3, 3, 4700, 5000)],
    learning_rate=dataclasses.replace(
        MEASURED_LR, too_small=[dataclasses.replace(R001, on={
            "linear": on("linear", 5, 0, 0.0041), "xor": on("xor", 5, 0, 0.00042)})],
        too_small_learning=0, too_small_flat=10,
        failures=[Failure("learning rate 30", "xor", 3, 5, 2, 0, None, 0.786, 0.643, 0, 0.0001,
                          0, constant_explains=False, hidden_explains=True)]),
    other=dataclasses.replace(MEASURED_OTHER, uniform_still_learning=0,
                              other_failed_likeness=(None, None), uniform_converged_runs=1))

NO_UNIFORM_FAILURE = dataclasses.replace(
    MEASURED, other=dataclasses.replace(MEASURED_OTHER, uniform_failed_runs=0,
                                        likeness_separates=False))
NOT_SEPARATED = dataclasses.replace(
    MEASURED, other=dataclasses.replace(
        MEASURED_OTHER, likeness_separates=False, uniform_still_learning=2, uniform_failed=3,
        uniform_bias=row("init=uniform, bias=true", summ(1.0, 5, 1512), summ(0.95, 2, 3000))))

CASES = {
    "as measured": MEASURED,
    "a gap in the converged rates": GAP,
    "no rate converged": NOTHING,
    "the remaining branches": OTHERWISE,
    "every uniform run converged": NO_UNIFORM_FAILURE,
    "the likeness does not separate": NOT_SEPARATED,
    "plateaus only": PLATEAUS_ONLY,
}


def words(name):
    return page_words(render("discussion", CASES[name]))


@pytest.fixture(params=list(CASES))
def case(request):
    return request.param, words(request.param)


# ---------------------------------------------------------------- hand-built facts

def test_every_case_states_the_rule_and_its_counts(case):
    name, said = case
    facts = CASES[name]
    rl = facts.rule
    assert (f"A setting is better than another when it was ahead on at least {rl.needed} of the "
            f"{rl.seeds} seeds") in said
    assert "of an even count they are the lower of the two middle values" in said
    assert (f"{100 * facts.chance['linear']:.1f}% ({facts.chance_correct['linear']} of 100 "
            "points) on the linear set") in said
    assert f"with the same {facts.seeds} seeds" in said
    assert "None" not in said and "lr=" not in said and "sizes=" not in said
    assert ("A run diverged when its loss became infinite or not a number; every table counts "
            "such runs in a column of its own, and a diverged run enters a table's mean accuracy "
            "with its accuracy at the last epoch its loss was finite.") in said
    assert ("A run's loss and accuracy are recorded at up to 1,000 evenly spaced epochs, its "
            "recorded epochs") in said
    assert "4.D Anything you want to share: weights, biases, loss, batches" in said


def test_the_rule_and_its_chance_as_measured():
    said = words("as measured")
    assert ("when both converged, the one that held 100% from the earlier epoch, by at least 1% "
            "of the epochs (closer is a tie);") in said
    assert ("A run converged however late its 100% began; in this section's tables, the following "
            "held it only over less than the last 10% of their epochs (marked \"late\" there), so "
            "they converged, but only just: two of the five seeds of "
            "2-16-16-1 that converged on XOR (Table 1; the latest from epoch 736 of 800) and one "
            "of the five seeds of 2-4-4-1 at learning rate 1 that converged on the linear set "
            "(Table 1; the latest from epoch 924 of 1,000).") in said
    assert ("Were two settings alike, each seed a coin toss, a given one of them would be ahead "
            "on at least 4 of 5 seeds with probability 18.8%, and either of them with "
            "probability 37.5%: among the many comparisons below, some verdicts between settings "
            "that are in fact alike are to be expected.") in said
    assert "52.0% (52 of 100 points) on the linear set and 52.4% (11 of 21) on XOR" in said
    assert ("Rows with exactly the main network's setting are the main network's own runs, so "
            "their numbers are those of Table 1: learning rate 1 in Table 1, 2-4-4-1 in Table 1 "
            "and normal weights with biases in Table 1.") in said
    assert "Rows with exactly the main network's setting" not in words("no rate converged")


def test_learning_rates_as_measured():
    said = words("as measured")
    assert ("learning rates, from 0.01 to 100, each trained for 5,000 epochs, and Table 1 "
            "summarises them; learning rate 1 is the main network.") in said
    assert "Learning rates from 1 to 10 converged on every seed of both data sets." in said
    assert ("On the linear set, of the rates that converged on every seed (1, 3, 10 and 30), "
            "learning rate 30 was the fastest: it held 100% from a median epoch of 652, a median "
            "1.8 times lower than the slowest's, learning rate 3 (1151).") in said
    assert ("Step by step: learning rate 3 was slower than learning rate 1 (5 of 5 seeds); "
            "learning rate 10 was faster than learning rate 3 (5 of 5 seeds).") in said
    assert ("So, among the rates that converged, a larger rate was not faster than the one below "
            "it on every data set.") in said
    assert ("Learning rate 10 on the linear set: 5 of 5 seeds fell back after first reaching "
            "100% (to as low as 93.0%); 5 of 5 seeds had loss spikes (the largest 15 times the "
            "lowest loss before it). Every seed converged in the end.") in said
    assert "a run that fell back and then held 100% to the end counts as converged." in said
    assert "in one run" not in said and "converged all the same" not in said.split(
        "Too small.")[0]
    rest = words("the remaining branches")
    assert ("Learning rate 3 on the linear set: 2 of 5 seeds had loss spikes. Every seed "
            "converged in the end.") in rest
    assert "93.0%); 5 of 5 seeds had loss spikes" not in rest
    assert ("Learning rate 10 on XOR: 2 of 5 seeds fell back after first reaching 100% (to as "
            "low as 50.0%). 3 of 5 seeds converged in the end.") in rest


def test_instability_says_converged_only_where_every_seed_did():
    said = words("as measured")
    assert ("with batch size 1 on the linear set, 5 of 5 seeds fell back after first reaching "
            "100% (to as low as 89.0%) and 5 of 5 seeds had loss spikes (the largest 12 times "
            "the lowest loss before it).") in said
    assert ("with mean squared error on the linear set, 1 of 5 seeds had loss spikes, and every "
            "seed converged all the same.") in words("the remaining branches")


def test_too_small_rates_say_which_seeds_were_still_learning():
    said = words("as measured")
    assert ("On the linear set, 3 of the 5 seeds that did not converge were still learning, and "
            "the loss of the other 2 changed by at most 0.41% over the last 500 epochs.") in said
    assert ("On XOR, none of the 5 seeds that did not converge was still learning: the loss "
            "changed by at most 0.04% over the last 500 epochs, a plateau.") in said
    assert "On the linear set, all 4 seeds that did not converge were still learning." in said
    assert ("Whether the runs still learning would have converged with more epochs was not "
            "measured here.") in said
    assert "whether more epochs would have left it was not measured here either" in said
    only_learning = words("the remaining branches")
    assert "On the linear set every seed converged." in only_learning
    assert "Whether the runs still learning would have converged" in only_learning
    assert "sat on a plateau" not in only_learning


def test_a_cause_is_called_measured_only_with_the_measurement_that_separates():
    said = words("as measured")
    # hidden saturation separates the failed seeds of learning rate 30 from every converged run
    assert ("Learning rate 30 on XOR: 3 of 5 seeds did not converge. Measured: they ended with "
            "at least 78.6% of their hidden sigmoid outputs saturated (slope below 0.01), more "
            "than any run that converged on XOR (at most 64.3%), and 2 of them output a "
            "constant. This is measured at the end of training, so it cannot tell cause from "
            "consequence: whether the saturation is why they failed is not measured (2 of them "
            "were still learning at the end).") in said
    plateaus = words("plateaus only")
    assert "whether the saturation is why they failed is not measured." in plateaus
    assert "still learning at the end)" not in plateaus
    # a constant, saturated output: measured, and said once for both data sets
    assert ("Learning rate 100 on the linear set and XOR: none of the 10 runs converged, on "
            "either data set. Measured: every run ended with the same output on every training "
            "point, the output sigmoid saturated there (slope ŷ(1 − ŷ) at most 1.6×10⁻⁴), so "
            "each run predicts one class on all of them (all of them ended at or below chance), and the loss "
            "changed by a fraction of at most 3.2×10⁻⁴ over the last 500 epochs. Why gradient "
            "descent stalls there is reasoning, not a separate measurement") in said
    assert said.count("Why gradient descent stalls there") == 1
    assert "measured cause" not in said
    assert "No measurement here separates them" not in said
    rest = words("the remaining branches")
    assert "Learning rate 100 on XOR: none of the 5 runs converged. Measured: every run" in rest
    gap = words("a gap in the converged rates")
    assert ("Learning rate 30 on XOR: 5 of 5 seeds did not converge. No measurement here "
            "separates them from the runs that converged: 1 of them output a constant") in gap
    assert "Why they failed is not measured here." in gap
    assert ("Learning rate 100 on the linear set: 4 of the 5 runs did not converge. Measured: "
            "every failed run ended with the same output") in gap
    assert "(3 of them ended at or below chance), though 1 of them was still learning." in gap
    assert "it cannot tell cause from consequence: whether the saturation is why they failed is " \
        "not measured (1 of them was still learning at the end)." in gap
    assert "hidden sigmoid outputs saturated, more than any run" not in gap


def test_learning_rates_with_a_gap_and_diverging_rates():
    said = words("a gap in the converged rates")
    assert ("1 and 10 converged on every seed of both data sets, but 3, in between, did "
            "not.") in said
    assert ("On the linear set, no single rate of those that converged on every seed (1 and 10) "
            "was faster than all the others.") in said
    assert "learning rate 10 was tied with learning rate 1 on every seed" in said
    assert ("On XOR, of the rates that converged on every seed (1 and 10), learning rate 10 was "
            "the fastest: it held 100% from a median epoch of 238.") in said
    assert "each larger one was faster than the one below it on both data sets" in said
    assert "Too small." not in said and "Converged is not the same" not in said
    assert ("Learning rate 30 diverged (the loss became infinite or not a number) on 3 of 10 "
            "runs; learning rate 100 diverged") in said
    assert "No run of this sweep diverged" not in said


def test_learning_rates_when_none_converged():
    said = words("no rate converged")
    assert "No learning rate converged on every seed of both data sets." in said
    assert "On the linear set, only learning rate 0.1 converged on every seed." in said
    assert "On XOR, no rate converged on every seed." in said
    assert "Too small." not in said and "Too large." not in said
    assert "No run of this sweep diverged: the loss stayed finite on every run." in said
    assert "at most 1" not in said and "no such bound" not in said
    measured = words("as measured")
    assert ("That part is no surprise: with a sigmoid output, the squared error of a sample is "
            "at most 1 whatever the weights (mathematics, not a measurement). The fully linear "
            "network has no such bound") in measured
    assert "stalls training instead of blowing it up" not in measured


def test_learning_rates_at_two_widths():
    said = words("as measured")
    assert ("trains the learning rates 1, 3, 10, 30 and 100 at 2-4-4-1 and at 2-16-16-1, for 1,000 epochs; its "
            "2-4-4-1 rows are therefore not the main network, which trains for 5,000.") in said
    assert ("On the linear set, every seed converged at learning rates 10 and 30 with 2-4-4-1 "
            "and at 1 and 10 with 2-16-16-1. On XOR, every seed converged at learning rate 10 "
            "with 2-4-4-1") in said
    assert ("The rule separates the two widths here: at learning rate 1 on the linear set, "
            "2-16-16-1 was better than 2-4-4-1 (4 of 5 seeds); at learning rate 30 on the linear "
            "set, 2-16-16-1 was worse than 2-4-4-1 (4 of 5 seeds).") in said
    assert ("At learning rate 100 no seed converged at either width on the linear set and "
            "XOR; there the rule compares only the accuracies at which the failed runs ended, "
            "which says nothing about learning speed: on the linear set 2-16-16-1 was worse than "
            "2-4-4-1 (4 of 5 seeds); on XOR 2-16-16-1 was not clearly different from 2-4-4-1 "
            "(ahead on 1, behind on 3, tied on 1 of 5 seeds). Every other comparison shows no "
            "clear difference.") in said
    gap = words("a gap in the converged rates")
    assert ("At learning rate 100 no seed converged at either width on XOR; there the rule "
            "compares only the accuracies at which the failed runs ended, which says nothing "
            "about learning speed.") in gap
    gap = words("a gap in the converged rates")
    assert "rows are therefore not the main network" not in gap
    assert "every seed converged at no learning rate with 2-4-4-1 and at none with" in gap
    assert "separates the two widths at no learning rate where some seed converged." in gap


def test_hidden_widths():
    said = words("as measured")
    assert "same width, 1, 2, 4, 8 and 16 units, for 5,000 epochs; 2-4-4-1 is the main network." \
        in said
    assert "On the linear set, the narrowest network that converged on every seed had 1 unit " \
        "per layer." in said
    assert ("On XOR, the narrowest network that converged on every seed had 4 units per layer; "
            "narrower ones ended at 61.0% (2-1-1-1), 78.1% (2-2-2-1) mean accuracy.") in said
    assert ("Of the widths that converged on every seed of XOR, 2-16-16-1 was the fastest "
            "(median epoch 680).") in said
    assert ("Step by step on XOR: 2-8-8-1 was not clearly different from 2-4-4-1 (ahead on 3, "
            "behind on 2, tied on 0 of 5 seeds); 2-16-16-1 was faster than 2-8-8-1") in said
    assert ("A possible reason why the widest network of Table 1 was the fastest, not measured "
            "here") in said
    assert "so XOR, which needs two lines, cannot be solved (best run: 76.2%;" in said
    gap = words("a gap in the converged rates")
    assert "On XOR, no width converged on every seed." in gap
    assert ("The two widths that converged on every seed of the linear set showed no clear "
            "difference in speed.") in gap
    assert ("Of the widths that converged on every seed of XOR, none was faster than all the "
            "others.") in words("no rate converged")
    assert "A possible reason why the widest" not in gap and "With a single unit" not in gap


def test_unequal_and_wide_layers():
    said = words("as measured")
    assert "2-8-4-1 showed no clear difference from 2-4-4-1 and 2-8-8-1 on either data set." \
        in said
    assert ("2-8-4-1 and 2-4-8-1 have the same layers in the other order: they showed no clear "
            "difference on either data set.") in said
    assert "the rule cannot tell whether it matters more to widen the first or" in said
    assert ("trains 2-16-16-1, 2-32-32-1 and 2-64-64-1 for 1,000 epochs; every seed of every "
            "one converged on both data sets, though two of those seeds held 100% only over the last 10% "
            "of the epochs (see the start of this section).") in said
    assert "2-64-64-1 was slower than 2-32-32-1 (5 of 5 seeds)" in said
    assert ("Some runs fell back or spiked on the way: with 2-64-64-1 on XOR, 5 of 5 seeds fell "
            "back after first reaching 100% (to as low as 47.6%), and every seed converged all the "
            "same.") in said
    gap = words("a gap in the converged rates")
    assert ("On XOR, 2-8-4-1 was faster than 2-4-4-1 (5 of 5 seeds). Otherwise 2-8-4-1 showed no "
            "clear difference from 2-4-4-1 and 2-8-8-1.") in gap
    assert "On XOR, 2-4-8-1 was slower than 2-4-4-1 (5 of 5 seeds). 2-4-8-1 showed" not in gap
    assert ("on XOR, 2-8-4-1 was better than 2-4-8-1 (4 of 5 seeds); otherwise they showed no "
            "clear difference.") in gap
    assert "the rule cannot tell" not in gap
    assert "On XOR, 2-32-32-1 was the fastest." in gap and "though" not in gap.split(
        "On XOR, 2-32-32-1")[0].split("Wide layers.")[1]


def test_no_activation_and_the_least_squares_line():
    said = words("as measured")
    assert ("No run of any network without hidden activations reached 100% on XOR; the best "
            "single run reached 76.2%.") in said
    assert ("on the XOR points that fit is the same value, 0.476, everywhere, so every point "
            "gets one class, and it classifies 11 of the 21 points correctly (52.4%, chance): "
            "the line that fits the labels best in squared error is not the line that "
            "classifies them best.") in said
    assert ("All 5 XOR runs of the fully linear network at learning rate 0.01 finished without "
            "diverging, and all of them ended at that fit (outputs within 1.0×10⁻⁶ of it on "
            "every point), and all of them output a constant.") in said
    assert ("The logistic model, with the sigmoid output kept, minimises the same squared error "
            "over a different function: 2 "
            "of 5 XOR seeds ended at the best line's 76.2%, and 3 output a constant (3 of them "
            "at chance).") in said
    assert "Where the fully linear network ends." in said
    assert "does not find that line" not in said
    assert "on XOR it was worse than the main network (5 of 5 seeds)" in said
    assert ("Of the runs of the fully linear network at learning rate 0.1, 8 of 10 diverged. A "
            "possible reason, not measured here: without a squashing output") in said
    assert ("Figure 1 draws the logistic model's decision boundaries (seed 0): on the linear "
            "set a straight line; on XOR that run outputs a constant on every training point "
            "and puts them all in one class.") in said
    assert "shows the straight boundary" not in said
    rest = words("the remaining branches")
    assert ("Of the 5 XOR runs of the fully linear network at learning rate 0.1, 2 diverged; of "
            "the 3 that did not, 2 ended at that fit (outputs within 1.0×10⁻⁶ of it on every "
            "point), and 1 output a constant.") in rest
    assert ("draws the logistic model's decision boundaries (seed 0); on the linear set and XOR "
            "that run outputs a constant") in rest
    gap = words("a gap in the converged rates")
    assert "Some runs without hidden activations reached 100% on XOR" in gap
    assert "its outputs on the XOR points average 0.45" in gap and "(80.0%; chance is 52.4%)" in gap
    assert "is not the line that classifies them best" not in gap
    assert "and 0 output a constant." in gap
    assert "draws the logistic model's decision boundaries (seed 0): on the linear set a " \
        "straight line." in gap
    assert ("Every run of this section that converged held 100% over at least the last 10% of "
            "its epochs.") in gap
    nothing = words("no rate converged")
    assert "On the linear data set, which a line does separate" not in nothing
    assert "diverged." not in nothing and "The logistic model, with" not in nothing


def test_initialisation_measurements_and_their_labels():
    said = words("as measured")
    assert ("They draw each weight as follows, with n in and n out its layer's inputs and "
            "outputs: uniform: normal: Xavier: He: On XOR,") in said
    assert "its layer's inputs and outputs" not in words("a gap in the converged rates")
    assert ("On XOR, normal weights with biases was better than every other setting, and "
            "uniform weights without biases was behind every other.") in said
    assert ("With uniform weights and biases, no seeds converged on XOR; all of them were still "
            "learning when the epochs ran out.") in said
    assert ("every initial weight is positive (100% of them here, against 47% with normal, "
            "Xavier and He weights alike, which scale the same normal draws of each seed), and "
            "every first-layer unit starts out increasing in both inputs.") in said
    assert "against 47% (normal) and 52% (He)" in words("the remaining branches")
    assert ("0.88 to 0.97 with uniform weights and biases, and at most 0.81 for any run that "
            "converged on XOR. The uniform runs that did not converge, with or without biases, "
            "started at 0.88 or above, higher than every run that converged. But no uniform run "
            "converged on XOR, so this separates the uniform initialisation from the others, not "
            "failure from success within it: it cannot tell whether the likeness or some other "
            "property of uniform weights held those runs back. It does not separate the failures in general: the other XOR runs that did not "
            "converge started at 0.79 to 0.81, within the range of converged runs. That the "
            "likeness is what held the uniform runs back is a possible reason, not measured "
            "here.") in said
    assert ("Those include two uniform runs: among uniform runs too, the measure separates "
            "those that failed from those that converged.") in words("the remaining branches")
    assert "But no uniform run" not in words("the remaining branches")
    assert ("Of the 5 XOR runs of the fully linear network at learning rate 0.3, 4 diverged; the "
            "one that finished ended at that fit (outputs within 1.0×10⁻⁶ of it on every point), "
            "and it output a constant.") in words("the remaining branches")
    assert ("learning rate 1, 4 diverged; the one that finished did not end at that fit (outputs "
            "within") in words("the remaining branches")
    rest = words("the remaining branches")
    assert ("but only just: the one seed of batch size 1 that converged on XOR (Table 1; the "
            "latest from epoch 93 of 100) and both seeds of learning rate 3 that converged on the "
            "linear set") in rest
    assert "every seed of every one converged on both data sets." in rest
    assert ("It also separates every XOR run that did not converge, whatever its "
            "initialisation, from every converged one.") in words("the remaining branches")
    assert "No run of another initialisation failed on XOR." in words("plateaus only")
    assert "Those include one uniform run: among" in words("plateaus only")
    assert ("At the end of training the measure no longer separates them (0.52 to 0.97, "
            "against up to 0.74 for converged runs).") in said
    rest = words("the remaining branches")
    assert "only 2 of 5 seeds converged on XOR; 1 of the 3 that did not was still" in rest
    assert "At the end of training they were still more alike (0.52 to 0.97" in rest
    assert "This does not separate" in words("the likeness does not separate")
    assert "2 of the 3 that did not were still learning" in words("the likeness does not separate")
    assert "possible reason" not in words("the likeness does not separate").split(
        "This does not separate")[1].split("Biases.")[0]
    assert "Every uniform run converged on XOR" in words("every uniform run converged")
    gap = words("a gap in the converged rates")
    assert "Uniform weights with biases converged on XOR on every seed." in gap
    assert "no run of this experiment converged on XOR to compare them with" in gap
    assert "On XOR, no setting was better than every other." in gap
    nothing = words("no rate converged")
    assert "With uniform weights and biases" not in nothing and "[0, 1)" not in nothing


def test_biases_loss_and_batch_size():
    said = words("as measured")
    assert ("Over all 4 initialisations, 13 of 20 XOR runs with biases converged, and 13 of 20 "
            "without. Seed by seed, with uniform weights the network with biases was better "
            "than the one without (5 of 5 seeds); with normal weights the network with biases "
            "was faster than the one without (5 of 5 seeds); with Xavier weights the network "
            "with biases was better than the one without (4 of 5 seeds); with He weights the "
            "network with biases was "
            "not clearly different from the one without (ahead on 3, behind on 1, tied on 1 of "
            "5 seeds).") in said
    assert ("that this is why biases helped with 3 of the 4 initialisations is a possible "
            "reason, not measured here.") in said
    assert ("On the linear set, binary cross-entropy was faster than mean squared error (5 of 5 "
            "seeds); on XOR, binary cross-entropy was faster") in said
    assert "A possible reason, not measured here: at the output unit's input" in said
    assert ("with batch size 1 an epoch is 100 updates on the 100 linear points and 21 on the "
            "21 XOR points; with batch size 10 an epoch is 10 updates on the 100 linear points "
            "and 3 on the 21 XOR points; the full batch makes one update per epoch.") in said
    assert ("The comparisons below are at equal epochs, 200 for every size, so batch size 1 "
            "made 20,000 and 4,200 updates and batch size 10 made 2,000 and 600 updates (linear "
            "and XOR) against 200 of the full batch; a difference may come from the number of "
            "updates as much as from the size of the batch.") in said
    assert ("after 1,000 updates on the linear set, 5 of 5 seeds of batch size 10 (0 of them "
            "held it from then to the end) and 0 of 5 of the full batch had first reached 100%; "
            "after 2,100 updates on XOR, 1 of 5 seeds of batch size 1 (1 of them held it from "
            "then to the end) and 4 of 5 of the full batch had first reached 100%. That counts the "
            "first epoch at 100%, not the held 100% the comparison rule uses") in said
    assert "No mini-batch size was clearly different from the full batch on either data set." \
        in said
    assert ("its full-batch rows are the main network's setting, not the main network's own "
            "runs of Table 1, which train for 5,000") in said
    assert ("trains the main network's setting with mean squared error and with binary "
            "cross-entropy, everything else the same, for 5,000 epochs (so its mean squared error "
            "rows are the main network itself).") in said
    gap = words("a gap in the converged rates")
    assert ("with mean squared error and with binary cross-entropy, everything else the same, for "
            "2,000 epochs, not the main network's 5,000, so its mean squared error rows are not "
            "those of Table 1.") in gap
    assert "At equal updates instead" not in gap
    assert "A possible reason, not measured here: at the output" not in gap
    assert "binary cross-entropy was tied with mean squared error on every seed" in gap
    assert ("On XOR, batch size 1 was faster than the full batch (5 of 5 seeds). Otherwise no "
            "mini-batch size was clearly different from the full batch.") in gap
    assert "full-batch rows are the main network's setting" not in gap
    assert "possible reason, not measured here" not in gap.split("Biases.")[1].split(
        "The loss.")[0]
    rest = words("the remaining branches")
    assert "On XOR, batch size 1 was better than the full batch (4 of 5 seeds)." in rest
    assert "Otherwise no mini-batch" not in rest


def test_the_bias_free_relu_network_at_the_origin():
    said = words("as measured")
    assert ("Measured, ŷ(0, 0) of the ReLU network was exactly 0.5 on every run; ŷ(0, 0) of "
            "the sigmoid network was between 0.00380 and 0.418.") in said
    assert ("The class rule gives class 1 only when ŷ is above 0.5, so ŷ = 0.5 is class 0, "
            "and (0, 0) is an XOR point of class 0: the ReLU network without biases gets it "
            "right whatever it learns, one of the 21 XOR points for free, and only because ŷ = 0.5 "
            "does not count as class 1.") in said
    assert ("The ReLU and the sigmoid networks without biases showed no clear difference on "
            "either data set.") in said
    assert "In its runs, 0% to 62% of the ReLU network's hidden units ended dead" in said
    rest = words("the remaining branches")
    assert "gets it wrong whatever it learns" in rest
    assert "On XOR, the ReLU network was slower than the sigmoid network (4 of 5 seeds)." in rest
    gap = words("a gap in the converged rates")
    assert "ŷ(0, 0) of the ReLU network was between 0.490 and 0.500" in gap
    assert "counts ŷ = 0.5 as class 1." in gap and "XOR point of class" not in gap
    assert "were dead" not in gap
    assert ("On XOR, the ReLU network was better than the sigmoid network (4 of 5 seeds). "
            "Otherwise the ReLU and the sigmoid networks without biases showed no clear "
            "difference.") in gap


def test_a_setting_that_fell_back_is_not_called_converged():
    """A rate whose seeds reached 100% but fell back and ended below it is not among the
    converged ones: it is named as failing, never as converging."""
    reached = dataclasses.replace(summ(0.9, 0), reached_100=5, fell_back=5,
                                  median_epochs_to_100=100)
    fell = rate(3, summ(1.0, 5, 300), reached)
    facts = dataclasses.replace(MEASURED, learning_rate=dataclasses.replace(
        MEASURED_LR, rates=[R1, fell], converged=[R1], failed=[fell], between=[],
        too_large=[fell], too_small=[], low=1, high=1, failures=[]))
    said = page_words(render("discussion", facts))
    assert "Learning rates from 1 to 1 converged on every seed" in said
    assert "3 converged" not in said and "learning rate 3 converged" not in said
    assert "With learning rate 3 the runs ended at 100.0% (linear) and 90.0% (XOR)" in said


# ---------------------------------------------------------------- in Traditional Chinese

#: the fields of the facts that name a setting as the prose does (``facts`` makes them in the
#: build's language; the hand-built cases hold the English ones)
NAMING = {"name", "a", "b", "fastest_name", "slowest_name", "main_name", "best_name",
          "worst_name", "relu_name", "init", "row"}
NAMING_LISTS = {"names", "init_names", "reached_xor"}


def spoken(name):
    """An English name of the hand-built facts as ``discussion.facts`` names it in the current
    language."""
    _ = i18n.gettext
    if m := re.fullmatch(r"(.+) at learning rate (\S+)", name):
        if re.fullmatch(r"[\d-]+", m[1]):
            return discussion._width_rate_name(tuple(map(int, m[1].split("-"))), float(m[2]))
        return _("{network} at {rate}").format(network=spoken(m[1]),
                                                rate=discussion._lr_name(float(m[2])))
    if m := re.fullmatch(r"learning rate (\S+)", name):
        return discussion._lr_name(float(m[1]))
    if m := re.fullmatch(r"batch size (\d+)", name):
        return discussion._batch_size_name(int(m[1]))
    if m := re.fullmatch(r"the (\S+) network", name):
        by_display = {a.display: key for key, a in ACTIVATIONS.items()}
        if m[1] in by_display:
            return discussion._network_name(by_display[m[1]])
    if m := re.fullmatch(r"(\S+) weights with biases", name):
        return _("{init} weights with biases").format(init=_(m[1]))
    if m := re.fullmatch(r"(\S+) weights without biases", name):
        return _("{init} weights without biases").format(init=_(m[1]))
    return _(name)


def in_language(value):
    """Hand-built facts with their names as the facts of a build in the current language
    hold them."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changed = {}
        for field in dataclasses.fields(value):
            v = getattr(value, field.name)
            if field.name in NAMING and isinstance(v, str):
                changed[field.name] = spoken(v)
            elif field.name in NAMING_LISTS and isinstance(v, list):
                changed[field.name] = [spoken(x) for x in v]
            elif field.name == "set_names":
                changed[field.name] = {d: i18n.gettext(n) for d, n in v.items()}
            else:
                changed[field.name] = in_language(v)
        return dataclasses.replace(value, **changed)
    if isinstance(value, list):
        return [in_language(v) for v in value]
    if isinstance(value, dict):
        return {k: in_language(v) for k, v in value.items()}
    return value


#: names the discussion shows but other catalogs translate: the registries' display names and
#: the experiments' labels (the figures' region)
ELSEWHERE = [*(a.display for a in ACTIVATIONS.values()), *(i.display for i in INITIALIZERS.values()),
             *(loss.display for loss in LOSSES.values()), "normal, no biases", "He, no biases"]


@pytest.mark.parametrize("name", list(CASES))
def test_every_case_in_traditional_chinese(name):
    with i18n.language("zh-TW"):
        html = render("discussion", in_language(CASES[name]))
        section = discussion.SECTION
        titles = [i18n.gettext(t) for t in (section.title, *(p.title for p in section.parts))]
        untranslated = [n for n in ELSEWHERE if i18n.gettext(n) == n]
    assert titles == ["討論", "嘗試不同的學習率", "嘗試不同數量的隱藏層神經元", "嘗試不使用激勵函數",
                      "其他想分享的：權重、偏差、損失、批次"]
    # the headings are written by the page's heading macro, which translates them
    body = re.sub(r"(?s)<h[23][^>]*>.*?</h[23]>", " ", html)
    for other in sorted(untranslated, key=len, reverse=True):
        body = re.sub(rf"(?<![A-Za-z]){re.escape(other)}(?![A-Za-z])", " ", body)
    assert english_left(body) == []
    said = page_words(html)
    assert "設定如何比較。" in said
    assert "若一個設定在 5 個隨機種子中至少有 4 個領先另一個設定，即稱它 較好" in said


def test_a_verdict_and_a_measured_cause_in_traditional_chinese():
    with i18n.language("zh-TW"):
        said = page_words(render("discussion", in_language(MEASURED)))
    assert "逐一比較：學習率 3 比 學習率 1 慢（5 個隨機種子中的 5 個）；學習率 10 比 學習率 3 快" in said
    assert ("學習率 30 在 XOR 上：5 個隨機種子中有 3 個未收斂。 量測結果：它們最終至少有 78.6% 的隱藏層 "
            "sigmoid 輸出飽和（斜率低於 0.01），比 XOR 上任何收斂的訓練執行都多") in said
    assert "2-64-64-1 在 XOR 上，5 個隨機種子中有 5 個在首次達到 100% 後回落（最低降至 47.6%），但每個" in said


def test_outcomes_are_worded_from_the_first_setting_side():
    said = words("a gap in the converged rates") + words("as measured")
    for phrase in ("faster than", "slower than", "better than", "worse than", "tied with",
                   "not clearly different from"):
        assert phrase in said, phrase


def test_the_template_prose_has_no_literal_numbers():
    """Numbers in the prose come from the facts: outside its tags and expressions the template
    writes no number but 0, 1 (classes, the origin, bounds of the sigmoid) and 100%."""
    source = (ROOT / "templates" / "sections" / "discussion.html.j2").read_text()
    prose = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", source, flags=re.S)
    prose = re.sub(r"<[^>]+>", " ", prose)
    numbers = re.findall(r"\d+(?:[.,]\d+)*%?", prose)
    assert set(numbers) <= {"0", "1", "100%"}, sorted(set(numbers))


# ---------------------------------------------------------------- from real results

READS = ("main", "learning_rate", "learning_rate_widths", "hidden_units", "no_activation",
         "initialisation", "loss", "batch_size", "bias_free")


@pytest.fixture(scope="module")
def quick_results(tmp_path_factory):
    """The quick profile's results of the experiments the discussion reads (training only: a
    few seconds)."""
    out = tmp_path_factory.mktemp("discussion") / "output"
    result = CliRunner().invoke(main, ["run", "--quick", "--quiet", "--out", str(out),
                                       "--jobs", "2", *READS])
    assert result.exit_code == 0, result.output
    loaded = results.load_all(out / "quick")
    assert set(loaded) == set(READS)
    return loaded


@pytest.fixture(scope="module")
def inputs(quick_results):
    return Inputs(quick_results, {n: SweepFacts(r) for n, r in quick_results.items()},
                  gradchecks=[], provenance={}, meta={}, quick=True, command="reportgen build")


@pytest.fixture(scope="module")
def real(inputs):
    return discussion.facts(inputs)


@pytest.fixture(scope="module")
def recorded(real):
    """The facts as facts.json records them."""
    return to_data(real)


def test_real_the_fastest_is_the_rule_s_pick_on_held_epochs(quick_results, real, recorded):
    res = quick_results["learning_rate"]
    for speed, kept in zip(real.learning_rate.speeds, recorded["learning_rate"]["speeds"]):
        d = speed.dataset
        every = [s for s in res.settings
                 if all(r.held_100 is not None for r in res.runs(s, d))]
        pick = rule.best({s: res.runs(s, d) for s in every}, d) if len(every) > 1 else None
        assert speed.fastest == pick and kept["fastest"] == pick
        if pick is not None:
            held = sorted(r.held_100 for r in res.runs(pick, d))
            assert speed.fastest_epochs == held[(len(held) - 1) // 2]
            for other in every:
                if other != pick:
                    verdict = rule.compare(pick, res.runs(pick, d), other, res.runs(other, d), d)
                    assert verdict.winner == pick and verdict.kind == "faster"
    for sp in real.hidden_units.speeds:
        if sp.fastest is not None:
            hid = quick_results["hidden_units"]
            others = [s for s in hid.settings if s != sp.fastest.setting
                      and hid.summary(s, sp.dataset).succeeded == hid.summary(s, sp.dataset).runs
                      and len(set(hid.overrides(s)["sizes"][1:-1])) == 1
                      and "epochs" not in hid.overrides(s)]
            for other in others:
                assert rule.compare(sp.fastest.setting, hid.runs(sp.fastest.setting, sp.dataset),
                                    other, hid.runs(other, sp.dataset), sp.dataset).winner \
                    == sp.fastest.setting


def test_real_a_rate_with_a_seed_below_100_at_the_end_is_not_converged(quick_results, real):
    res = quick_results["learning_rate"]
    converged = {r.setting for r in real.learning_rate.converged}
    for s in res.settings:
        runs = res.runs(s)
        if any(r.final_accuracy < 1.0 for r in runs):
            assert s not in converged
        else:
            assert s in converged
            assert all(r.held_100 is not None for r in runs)
    for r in real.learning_rate.rates:
        for d, ro in r.on.items():
            assert ro.failed == sum(run.held_100 is None for run in res.runs(r.setting, d))


def test_real_brief_holds_are_the_converged_runs_of_the_last_tenth(quick_results, real):
    brief = {}
    for experiment in ("learning_rate", "learning_rate_widths", "no_activation", "loss",
                       "batch_size", "bias_free"):
        res = quick_results[experiment]
        for run in res.runs():
            if run.held_100 is not None and run.epochs_run - run.held_100 < 0.1 * run.epochs_run:
                brief[experiment, run.setting, run.dataset] = \
                    brief.get((experiment, run.setting, run.dataset), 0) + 1
    found = {(b.table, b.dataset): b.brief for b in real.brief_holds}
    tables = {"lr": "learning_rate", "lr_widths": "learning_rate_widths", "noact": "no_activation",
              "loss": "loss", "batch": "batch_size", "bias_free": "bias_free"}
    listed = sum(n for (table, _), n in found.items() if table in tables)
    assert listed == sum(brief.values())


def test_real_bias_free_twins_are_the_initialisation_rows_at_another_length(quick_results, real):
    init = quick_results["initialisation"]
    for twin in real.part_d.bias_free.twins:
        assert twin.table == "init" and twin.epochs == init.runs()[0].spec.epochs


def test_every_seed_of_a_late_row_and_no_twins():
    assert ("all three seeds of binary cross-entropy that converged on XOR (Table 1; the latest "
            "from epoch 4,700 of 5,000)") in words("plateaus only")
    assert ("for 5,000 epochs, with ReLU and with sigmoid hidden units. Without biases, the point "
            "(0, 0)") in words("a gap in the converged rates")


def test_a_bias_free_network_trained_elsewhere_for_longer_is_named_there():
    said = words("as measured")
    assert ("with ReLU and with sigmoid hidden units; the sigmoid network is the network of the "
            "row “normal, no biases” of Table 1, there trained for 5,000 epochs.") in said
    assert ("there trained for 5,000 epochs, and the ReLU network is the network of the row “He, "
            "no biases” of Table 1") in words("the remaining branches")


def test_real_main_network_rows_agree_with_table_1(quick_results, inputs, real):
    main_res = quick_results["main"]
    results_facts = results_section.facts(inputs)
    shown = results_section.tables(inputs, results_facts)[0].rows
    table_1 = dict(zip(main_res.datasets, (r[1:4] for r in shown)))
    for d, cells in table_1.items():
        accuracy, converged, held = summary_cells(main_res, main_res.settings[0], d)[:3]
        assert cells[0] == accuracy and cells[1].startswith(converged) and cells[2] == held
    main_spec = discussion.main_spec_of(inputs)
    tables = {t.id: t for t in discussion.tables(inputs, real)}
    by_table = {"lr": "learning_rate", "hidden": "hidden_units", "noact": "no_activation",
                "init": "initialisation", "loss": "loss", "batch": "batch_size",
                "lr_widths": "learning_rate_widths", "wide": "hidden_units",
                "bias_free": "bias_free"}
    found = 0
    for table_id, name in by_table.items():
        res = quick_results[name]
        # the tables name settings and data sets by display names
        shown_as = {setting_label(s, res.overrides(s)): s for s in res.settings}
        for marked_label in {row_[0] for row_ in tables[table_id].rows}:
            shown_label = marked_label.removesuffix("\n(main network)").removesuffix(
                "\n(main setting)")
            setting = shown_as.get(shown_label, shown_label)
            is_main = all(discussion._spec_key(run) == main_spec for run in res.runs(setting))
            # the table marks the main network's own rows (unless their label says so)
            assert marked_label.endswith("\n(main network)") == (is_main and
                                                               "main" not in shown_label)
            if is_main:
                found += 1
                for row_ in tables[table_id].rows:
                    if row_[0] == marked_label:
                        dataset = next(d for d in res.datasets if dataset_name(d) == row_[1])
                        assert row_[2:5] == table_1[dataset], (table_id, setting)
                assert (table_id, setting) in {(m.table, m.setting) for m in real.main_rows}
    assert found == len(real.main_rows) >= 4


def test_real_chance_is_the_majority_share(real, recorded):
    for d in DATASET_NAMES:
        _, y = datasets.load(d)
        share = float(np.mean(y > 0.5))
        assert real.chance[d] == max(share, 1 - share) == chance(y)
        assert recorded["chance"][d] == real.chance[d]
        assert real.chance_correct[d] == round(max(share, 1 - share) * len(y))


def test_real_explanations_rest_on_their_measurements(quick_results, real):
    res = quick_results["learning_rate"]
    for f in real.learning_rate.failures:
        X, _ = datasets.load(f.dataset)
        rate_ = next(r for r in real.learning_rate.rates if r.name == f.name)
        failed = [r for r in res.runs(rate_.setting, f.dataset) if r.held_100 is None]
        assert f.failed == len(failed)
        if f.constant_explains:
            assert all(np.ptp(r.predict(X)) < 0.01 for r in failed)
        if f.hidden_explains:
            converged = [r for r in res.runs(dataset=f.dataset) if r.held_100 is not None]
            sat = [float(np.mean(h * (1 - h) < 0.01))
                   for h in (r.hidden_outputs(X) for r in converged)]
            assert f.hidden_low > max(sat)
    na = real.no_activation
    X, y = datasets.load("xor")
    A = np.column_stack([X, np.ones(len(X))])
    fit = A @ np.linalg.lstsq(A, y, rcond=None)[0]
    assert na.fit_accuracy == float(accuracy(fit, y))
    assert na.fit_below_ceiling == (na.fit_accuracy < real.xor_linear_ceiling)
    bf = real.part_d.bias_free
    assert bf.threshold_is_class_0 and bf.origin_label == 0
    relu = quick_results["bias_free"]
    relu_runs = relu.runs(bf.relu.setting)
    assert bf.outputs[0].exact == all(float(r.predict(np.zeros((1, 2)))[0, 0]) == 0.5
                                      for r in relu_runs)


def test_real_facts_render_and_are_recorded(real, recorded, quick_results):
    said = page_words(render("discussion", real))
    assert f"with the same {real.seeds} seeds" in said and "None" not in said
    assert "lr=" not in said and "sizes=" not in said and "leaky_relu" not in said
    assert real.xor_points == 21 and real.xor_linear_correct == 16
    assert real.report_seeds == len(quick_results["main"].data["seeds"])
    assert [r["setting"] for r in recorded["learning_rate"]["converged"]] \
        == [r.setting for r in real.learning_rate.converged]
    noact = quick_results["no_activation"]
    assert [d.setting for d in real.no_activation.diverged] == [
        s for s in noact.settings if any(noact.summary(s, d).diverged for d in DATASET_NAMES)]
    batch = real.part_d.batch
    assert [b.updates for b in batch.sizes] == [
        {"linear": 100, "xor": 21}, {"linear": 10, "xor": 3}, {"linear": 1, "xor": 1}]
    assert math.isclose(real.rule.by_chance, 3 / 16 if real.seeds == 5 else
                        sum(math.comb(real.seeds, k) for k in range(real.rule.needed,
                                                                     real.seeds + 1))
                        / 2 ** real.seeds)
    assert math.isclose(real.rule.by_chance_either, 2 * real.rule.by_chance)
