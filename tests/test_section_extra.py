"""The extra section: every branch of its template, against hand-built facts."""
import dataclasses


from branches import render, words as read
from reportgen.engine import RunSpec
from reportgen.engine.optimizers import OPTIMIZERS as REGISTERED_OPTIMIZERS
from reportgen.report.sections.extra import (ActivationFacts, BestSetting, ConvolutionFacts,
                                             ConvPair, ExtraFacts, Formula, NearChance,
                                             OnDataset, OptimizerFacts, PairOutcome, Pick,
                                             activation_names, formulas,
                                             optimizer_names)
from reportgen.results import Summary


def summary(succeeded, median=None, runs=5, accuracy=None):
    """A data set's summary over ``runs`` seeds, ``succeeded`` of them ending at 100%."""
    accuracy = succeeded / runs if accuracy is None else accuracy
    return Summary(runs=runs, mean_accuracy=accuracy, std_accuracy=0.0,
                   success_rate=succeeded / runs, succeeded=succeeded,
                   median_held_epoch=median, fell_back=0, spiked=0,
                   median_epochs_to_100=median, reached_100=succeeded, diverged=0,
                   mean_final_loss=0.01, median_final_loss=0.01)


def best(name, lr, linear, xor):
    return BestSetting(name, f"{name}, lr={lr}", lr,
                       [OnDataset("linear", "linear", linear), OnDataset("xor", "XOR", xor)])


def pair(conv, conv_params, dense, dense_params, linear, xor):
    """``linear``/``xor``: (verdict, conv summary, dense summary)."""
    return ConvPair(conv, conv_params, dense, dense_params,
                    [PairOutcome("linear", "linear", *linear), PairOutcome("xor", "XOR", *xor)])


ENGINE_OPTIMIZERS = ["plain SGD", "momentum", "Adagrad", "RMSprop", "Adam"]

OPTIMIZERS = OptimizerFacts(
    engine=ENGINE_OPTIMIZERS, engine_count=5, lrs=[0.01, 0.1, 1.0],
    epochs=2000,
    best=[best("sgd", 1.0, summary(5, 1007), summary(4, 1342.5)),
          best("adam", 0.1, summary(5, 29), summary(5, 135))],
    fastest_xor=Pick("adam", "adam, lr=0.1", 0.1, 135), speedup=None, near_chance_level=0.6,
    near_chance=[NearChance("small", ["sgd, lr=0.01", "sgd, lr=0.1"]),
                 NearChance("large", ["adam, lr=1"])])

ACTIVATIONS = ActivationFacts(
    engine=["tanh", "ReLU", "leaky ReLU", "the identity"],
    formulas=[Formula("tanh", "tanh", r"\tanh(z)", r"\tanh'(z)", [], False),
              Formula("leaky_relu", "leaky ReLU", r"f(z)", r"f'(z)", [("a", 0.01), ("b", 2)],
                      False),
              Formula("identity", "identity", "f(z) = z", "f'(z) = 1", [], True)],
    lrs=[0.1, 1.0],
    best=[best("tanh", 1.0, summary(5, 344), summary(5, 64))],
    fastest_xor=Pick("tanh", "tanh, lr=1", 1.0, 64),
    slowest_xor=Pick("leaky_relu", "leaky_relu, lr=1", 1.0, 73), tanh_beats_sigmoid=True,
    relu_failed=["relu, lr=0.1", "relu, lr=1"], relu_failures=2, leaky_failures=1,
    leaky_fails_less=True)

EVEN_PAIRS = [
    pair("conv small", 39, "dense small", 37, ("same", summary(5, 937), summary(5, 1007)),
         ("worse", summary(4, 1841.5), summary(5, 1482))),
    pair("conv same", 85, "dense large", 67, ("faster", summary(5, 599), summary(5, 787)),
         ("faster", summary(5, 922), summary(5, 1190))),
]
CONVOLUTION = ConvolutionFacts(
    params={"conv small": 39, "dense small": 37, "conv same": 85, "dense large": 67},
    pairs=EVEN_PAIRS, comparisons=2, xor_wins=1, xor_losses=1, xor_outcome="even",
    bigger_winners=[EVEN_PAIRS[1]])

HELPED_PAIR = pair("conv tiny", 20, "dense tiny", 25, ("better", summary(5, 90), summary(3, 400)),
                   ("better", summary(5, 300), summary(2, 900)))
HURT_PAIR = pair("conv tiny", 20, "dense tiny", 25, ("slower", summary(5, 900), summary(5, 400)),
                 ("slower", summary(5, 3000), summary(5, 900)))

AS_MEASURED = ExtraFacts(OPTIMIZERS, ACTIVATIONS, CONVOLUTION)

CASES = {
    "as measured: the fastest beat a failing SGD, ReLU died, conv even": AS_MEASURED,
    "nothing solved XOR, convolution helped": ExtraFacts(
        dataclasses.replace(OPTIMIZERS, best=[best("sgd", 1.0, summary(0), summary(0))],
                            fastest_xor=None, near_chance=[]),
        dataclasses.replace(ACTIVATIONS, fastest_xor=None, slowest_xor=None,
                            tanh_beats_sigmoid=None, relu_failed=[], relu_failures=0,
                            leaky_failures=0, leaky_fails_less=False),
        dataclasses.replace(CONVOLUTION, params={"conv tiny": 20, "dense tiny": 25},
                            pairs=[HELPED_PAIR], comparisons=1, xor_wins=1, xor_losses=0,
                            xor_outcome="helped", bigger_winners=[])),
    "SGD solved XOR, one activation fastest, sigmoid beat tanh, conv hurt": ExtraFacts(
        dataclasses.replace(OPTIMIZERS, speedup=1342.5 / 135,
                            near_chance=[NearChance("best", ["sgd, lr=1"])]),
        dataclasses.replace(ACTIVATIONS, slowest_xor=None, tanh_beats_sigmoid=False,
                            relu_failed=["relu, lr=1"], relu_failures=1, leaky_failures=1,
                            leaky_fails_less=False),
        dataclasses.replace(CONVOLUTION, params={"conv tiny": 20, "dense tiny": 25},
                            pairs=[HURT_PAIR], comparisons=1, xor_wins=0, xor_losses=1,
                            xor_outcome="hurt", bigger_winners=[])),
}


def words(case):
    return read(render("extra", CASES[case]))


MEASURED, NOTHING, SGD_SOLVED = CASES


def test_the_engines_names_and_counts():
    said = words(MEASURED)
    assert ("The engine implements five optimizers (their update rules are in Section 2.C): "
            "plain SGD, momentum, Adagrad, RMSprop and Adam.") in said
    assert "each was run at 0.01, 0.1, 1 for 2000 epochs" in said
    assert "Besides the sigmoid, the engine has tanh, ReLU, leaky ReLU and the identity, each" in said
    assert "tanh: leaky ReLU:, with a = 0.01, b = 2 identity: (the \"without activation\" case of Section 4.C)" in said
    assert "at two learning rates" in said


def test_the_formulas_are_the_registrys():
    listed = formulas(RunSpec(leaky_slope=0.2), {"identity"})
    assert [f.display for f in listed] == ["tanh", "ReLU", "leaky ReLU", "identity"]
    assert [f.hyper for f in listed] == [[], [], [("a", 0.2)], []]
    assert [f.no_activation for f in listed] == [False, False, False, True]
    assert listed[0].tex.startswith(r"\tanh(z) =")


def test_the_engine_lists_come_from_the_engine():
    assert [d for _, d in optimizer_names()][:5] == ["SGD", "momentum", "Adagrad", "RMSprop",
                                                     "Adam"]
    assert [n for n, _ in activation_names()][:5] == ["sigmoid", "tanh", "relu", "leaky_relu",
                                                      "identity"]
    assert len(optimizer_names()) == len(REGISTERED_OPTIMIZERS)
    from reportgen.report.filters import words
    assert words(5) == "five" and words(13) == "13"


def test_best_optimizers_and_the_fastest():
    said = words(MEASURED)
    assert ("sgd: best at learning rate 1; linear 5/5 seeds at 100% (median 1007 epochs), "
            "XOR 4/5 seeds at 100% (median 1342.5 epochs).") in said
    assert "On XOR the fastest optimizer to solve every seed was adam (135 median epochs)." in said
    assert "times fewer" not in said
    faster = words(SGD_SOLVED)
    assert "adam (135 median epochs), 9.9 times fewer than plain SGD at its best learning rate." \
        in faster
    nothing = words(NOTHING)
    assert "sgd: best at learning rate 1; linear 0/5 seeds at 100%, XOR 0/5 seeds at 100%." in nothing
    assert "No optimizer solved XOR on every seed within 2000 epochs at its best learning rate." in nothing


def test_near_chance_groups():
    said = words(MEASURED)
    assert ("Near chance on XOR (below 60% mean accuracy) ended sgd, lr=0.01; sgd, lr=0.1, with a "
            "step smaller than that optimizer's best; adam, lr=1, with a step larger than that "
            "optimizer's best: the learning rate has to suit the optimizer.") in said
    assert "sgd, lr=1, even at that optimizer's best step:" in words(SGD_SOLVED)
    assert "Near chance" not in words(NOTHING)


def test_activations():
    said = words(MEASURED)
    assert ("On XOR, tanh at learning rate 1 was fastest (64 median epochs to 100%) and "
            "leaky_relu slowest among those that solved every seed (73).") in said
    assert "tanh beat the sigmoid; its derivative peaks at 1 instead of 0.25" in said
    assert ("ReLU left some XOR seeds short of 100% (relu, lr=0.1; relu, lr=1)") in said
    assert "failed in fewer settings (1 against 2)." in said
    one = words(SGD_SOLVED)
    assert "was fastest (64 median epochs to 100%). The sigmoid was not slower than tanh here." in one
    assert "leaky ReLU did not fail less often here." in one
    nothing = words(NOTHING)
    assert "was fastest" not in nothing and "tanh beat" not in nothing
    assert "not slower than tanh" not in nothing and "ReLU left" not in nothing


def test_convolution_pairs_and_conclusion():
    said = words(MEASURED)
    assert ("conv small (39 parameters) against dense small (37): on linear no clear difference "
            "(5/5 vs 5/5 at 100%, median epochs 937 vs 1007); on XOR fewer seeds solved "
            "(4/5 vs 5/5 at 100%, median epochs 1841.5 vs 1482).") in said
    assert ("On XOR the convolutional front end helped in 1 and did worse in 1 of 2 comparisons: "
            "no consistent advantage. conv same, which did better, also has more parameters "
            "than its dense partner (85 against 67). That is what one should expect here") in said
    helped = words(NOTHING)
    assert ("On XOR the convolutional front end helped in 1 of 1 comparisons (and did worse in 0)"
            in helped)
    assert "more seeds solved (5/5 vs 2/5 at 100%, median epochs 300 vs 900)" in helped
    assert "That is what one should expect" not in helped
    hurt = words(SGD_SOLVED)
    assert ("On XOR the convolutional front end did not help: it did worse in 1 of 1 comparisons "
            "and better in 0.") in hurt
    assert "as many seeds solved but slower" in hurt and "That is what one should expect" in hurt
