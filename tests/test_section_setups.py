"""The setups section: every branch of its template, against hand-built facts."""
import dataclasses

import pytest

from branches import render, words as read
from reportgen.report.listings import Listing, Piece
from reportgen.report.sections.setups import Hyper, SetupsFacts, UpdateRule, layers

SGD = UpdateRule("sgd", "SGD", r"\theta \leftarrow \theta - \eta\, g", None, [])
MOMENTUM = UpdateRule("momentum", "momentum", r"v \leftarrow \mu v - \eta g", None,
                      [Hyper("momentum", "μ", r"\mu", 0.9)])
ADAM = UpdateRule("adam", "Adam", r"m \leftarrow \beta_1 m", r"\hat{m} = m / (1 - \beta_1^{t})",
                  [Hyper("beta1", "β₁", r"\beta_1", 0.9), Hyper("beta2", "β₂", r"\beta_2", 0.999)])
ADAGRAD = UpdateRule("adagrad", "Adagrad", r"G \leftarrow G + g^{2}", None, [])
EPS = Hyper("eps", "ε", r"\epsilon", 1e-8)


def listing(key, number, *pieces):
    """A listing of hand-written pieces: (file, first line, code, names)."""
    return Listing(key, tuple(n for *_, names in pieces for n in names), number,
                   tuple(Piece(file, first, first + code.count("\n") - 1, code, names)
                         for file, first, code, names in pieces))


SIGMOID = listing("sigmoid", 1, ("lab/act.py", 3, "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n\n\n"
                                            "def sigmoid_derivative(s):\n    return s * (1 - s)\n",
                                 ("sigmoid", "sigmoid_derivative")))
FORWARD = listing("forward", 2, ("lab/net.py", 10, "def forward(self, X):\n    return X\n",
                                 ("Net.forward",)),
                  ("lab/layer.py", 7, "def forward(self, x):\n    return x @ self.W\n",
                   ("Dense.forward",)))
BACKWARD = listing("backward", 3, ("lab/net.py", 20, "def backward(self, y):\n    pass\n",
                                   ("Net.backward",)))
UPDATE = listing("update", 4, ("lab/opt.py", 5, "def step(p, g, lr):\n    p -= lr * g\n",
                               ("step",)))
EXTRA = listing("loss", 5, ("lab/loss.py", 1, "def mse(yhat, y):\n    return ((yhat - y) ** 2).mean()\n",
                            ("mse",)))

LAB = SetupsFacts(
    sizes=[2, 4, 4, 1], activation="sigmoid", output_activation="sigmoid", bias=True,
    loss="mse", optimizer="sgd", lr=1.0, init="normal",
    init_description="standard normal distribution", epochs=5000, batch_size=None,
    sigmoid_peak=0.25, lab_like=True, layers=layers([2, 4, 4, 1], True), plain=SGD, plain_is_main=True,
    others=[MOMENTUM, ADAGRAD, ADAM], shared=EPS, engine="reportgen.engine",
    listings=[SIGMOID, FORWARD, BACKWARD, UPDATE], exp_cap=708.0)

CASES = {
    "the lab's network, with biases": LAB,
    "the lab's network on mini-batches": dataclasses.replace(LAB, batch_size=10),
    "another network, without biases, on mini-batches": dataclasses.replace(
        LAB, sizes=[2, 8, 1], activation="tanh", bias=False, loss="bce", optimizer="adam",
        lr=0.01, init="xavier", init_description="Glorot (Xavier) normal distribution",
        epochs=300, batch_size=16, lab_like=False, plain_is_main=False,
        layers=layers([2, 8, 1], False), shared=None,
        # a hyper-parameter with no letter of its own is written as an equation
        others=[UpdateRule("nadam", "Nadam", r"m \leftarrow \beta_1 m", None,
                           [Hyper("beta1", "β₁", r"\beta_1", 0.8),
                            Hyper("zeta", None, r"\zeta", 0.5)])]),
    "a foreign engine without [listings]": dataclasses.replace(
        LAB, engine="mylab.network", listings=[], exp_cap=None),
    "a listing the user adds, after the four": dataclasses.replace(
        LAB, listings=[SIGMOID, FORWARD, BACKWARD, UPDATE, EXTRA]),
}


def words(name):
    return read(render("setups", CASES[name]))


LAB_CASE, _, OTHER, FOREIGN, EXTRAS = CASES


def test_layers_count_weights_and_biases():
    assert [(l.index, l.output, l.inputs, l.units, l.parameters) for l in layers([2, 4, 4, 1], True)] \
        == [(1, False, 2, 4, 12), (2, False, 4, 4, 20), (3, True, 4, 1, 5)]
    assert [l.parameters for l in layers([2, 8, 1], False)] == [16, 8]


def test_the_lab_network():
    said = words(LAB_CASE)
    assert ("for the main network of the experiments: 2-4-4-1 units, sigmoid hidden and sigmoid "
            "output units, with biases, MSE loss, plain gradient descent on the whole data set at every step with learning rate 1, "
            "weights drawn from a "
            "standard normal distribution and biases starting at zero, 5,000 epochs of "
            "full-batch training.") in said
    assert "Note." not in said
    assert ("layer weights W bias b output parameters hidden 1 2 × 4 4 n × 4 12 hidden 2 4 × 4 4 "
            "n × 4 20 output 4 × 1 1 n × 1 5") in said
    assert "The gradients of the weights and biases follow" in said
    assert "momentum: (μ = 0.9); Adagrad:; Adam: with (β₁ = 0.9, β₂ = 0.999)." in said
    assert "(ε = 10⁻⁸ avoids division by zero; t counts the updates)" in said


def test_another_network():
    said = words(OTHER)
    assert ("2-8-1 units, tanh hidden and sigmoid output units, without biases, BCE loss, ADAM "
            "with learning rate 0.01, weights drawn from a Glorot (Xavier) normal distribution "
            "and biases starting at zero, 300 epochs of training on mini-batches of 16.") in said
    assert ("Note. The equations of this section are written for the lab's network: two hidden "
            "layers, sigmoid units, MSE, plain gradient descent.") in said
    assert ("layer weights W output parameters hidden 1 2 × 8 n × 8 16 output 8 × 1 n × 1 8"
            ) in said
    assert "The gradients of the weights follow" in said
    assert "Nadam: (β₁ = 0.8, = 0.5)." in said          # ζ is an equation (an image)
    assert "ε =" not in said and "(t counts the updates)" in said


@pytest.mark.parametrize("name", list(CASES))
def test_every_case_refers_to_its_neighbours(name):
    said = words(name)
    assert "The other optimizers of Section 5.A keep a state per parameter" in said


def test_plain_gradient_descent_is_said_to_train_the_main_network_only_when_it_does():
    assert ("Plain gradient descent (named SGD in the tables: on mini-batches it is stochastic "
            "gradient descent; the main network uses it on the full batch) takes a step"
            ) in words(LAB_CASE)
    assert ("Plain gradient descent (named SGD in the tables: on mini-batches it is stochastic "
            "gradient descent) takes a step") in words(OTHER)
    assert "the main network uses it on mini-batches of 10) takes" in read(
        render("setups", dataclasses.replace(LAB, batch_size=10)))


def test_the_sigmoids_peak_slope_and_the_layer_count_come_from_facts():
    said = read(render("setups", dataclasses.replace(LAB, sigmoid_peak=0.3,
                                                    layers=layers([2, 4, 1], True))))
    assert "The derivative peaks at 0.3 for" in said
    assert "the forward pass is two matrix products" in said


def test_the_real_peak_is_the_codes():
    from reportgen.report.sections.setups import _sigmoid_peak

    assert _sigmoid_peak() == 0.25


def test_each_listing_is_in_its_part_with_its_caption():
    said = words(LAB_CASE)
    sigmoid, network, backprop = (said.index(part) for part in
                                  ("2.A Sigmoid functions", "2.B Neural network", "2.C Backpropagation"))
    first = said.index("Listing 1 is the network's code for the sigmoid and its derivative. "
                       "Listing 1: The sigmoid and its derivative: sigmoid and "
                       "sigmoid_derivative (lab/act.py, lines 3–8). def sigmoid (z): return 1 / (1 + np. exp (- z)) "
                       "def sigmoid_derivative (s): return s * (1 - s)")
    second = said.index("Listing 2 is the forward pass in the network's code. Listing 2: The "
                        "forward pass: Net.forward (lab/net.py, lines 10–11) and Dense.forward "
                        "(lab/layer.py, lines 7–8). def forward (self, X): return X def forward")
    third = said.index("Listing 3 is the backward pass in the network's code. Listing 3: The "
                       "backward pass: Net.backward (lab/net.py, lines 20–21).")
    fourth = said.index("Listing 4 is the network's code for the update of each parameter. "
                        "Listing 4: The update of a parameter: step (lab/opt.py, lines 5–6).")
    assert sigmoid < first < network < second < backprop < third < fourth
    assert said.index("in the appendix). Listing 3") < said.index("Each parameter θ") < fourth
    assert "Listing 5" not in said and "[listings]" not in said


def test_the_code_is_highlighted():
    html = render("setups", CASES[LAB_CASE])
    assert '<figure class="listing" id="lst-forward">' in html
    assert '<span class="k">def</span>' in html and '<span class="nf">sigmoid</span>' in html
    assert '<span class="mi">1</span>' in html


def test_a_foreign_engine_without_listings_is_told_how_to_add_them():
    said = words(FOREIGN)
    assert ("Code. The code of this report's engine (mylab.network) is not listed: to show it "
            "in this section, name its functions in a [listings] table of report.toml, by "
            "their qualified names in the engine module or as \"module:qualname\", e.g. "
            "sigmoid = \"sigmoid\", forward = \"Network.forward\", backward = "
            "\"Network.backward\" and update = \"SGD.update\".") in said
    assert "Listing" not in said
    assert "[listings]" not in words(LAB_CASE)


def test_a_listing_the_user_adds_comes_last():
    said = words(EXTRAS)
    assert said.index("Listing 4: The update") < said.index(
        "Report.toml's [listings] also names Listing 5. Listing 5: loss: mse (lab/loss.py, "
        "lines 1–2). def mse (yhat, y):")


def test_the_sigmoid_s_exponent_cap_is_the_code_s_and_said_only_of_the_built_in_engine():
    from reportgen.engine.activations import SIGMOID_EXP_CAP

    said = read(render("setups", LAB))
    assert (f"with the exponent capped at {SIGMOID_EXP_CAP:g}, below the largest exponent a "
            "double's") in said
    assert "capped at" not in read(render("setups", CASES["a foreign engine without [listings]"]))


@pytest.mark.parametrize("name", list(CASES))
def test_every_case_is_wholly_translated(name, monkeypatch):
    from translated_elsewhere import wholly_translated

    page = wholly_translated(monkeypatch, "setups", CASES[name])
    assert "實驗設定" in page and "反向傳播" in page


def test_the_chinese_sentences_are_whole(monkeypatch):
    from translated_elsewhere import zh_tw

    with zh_tw(monkeypatch):
        said = read(render("setups", LAB))
    assert ("2-4-4-1 架構（各層神經元數），隱藏層為 sigmoid、輸出層為 sigmoid，含偏差，損失為 MSE，最佳化方式為每"
            "一步都用完整資料集的一般梯度下降，學習率 1，權重取自標準常態分布，偏差從零開始，以全批次訓練"
            "進行 5,000 個訓練週期。") in said
    assert "程式碼 1 是網路中 sigmoid 及其導數的程式碼。" in said
