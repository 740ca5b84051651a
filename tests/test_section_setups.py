"""The setups section: every branch of its template, against hand-built facts."""
import dataclasses
import html
import re

import pytest

from branches import render, text
from reportgen.report.sections.setups import SetupsFacts, layers

LAB = SetupsFacts(
    sizes=[2, 4, 4, 1], activation="sigmoid", output_activation="sigmoid", bias=True,
    loss="mse", optimizer="sgd", lr=1.0, init="normal", epochs=5000, batch_size=None,
    lab_like=True, layers=layers([2, 4, 4, 1], True), momentum=0.9, rho=0.9, beta1=0.9,
    beta2=0.999, eps=1e-8)

CASES = {
    "the lab's network, with biases": LAB,
    "another network, without biases, on mini-batches": dataclasses.replace(
        LAB, sizes=[2, 8, 1], activation="tanh", bias=False, loss="bce", optimizer="adam",
        lr=0.01, init="xavier", epochs=300, batch_size=16, lab_like=False,
        layers=layers([2, 8, 1], False), momentum=0.5, rho=0.99, beta1=0.8, beta2=0.99,
        eps=1e-7),
}


def read(page):
    """The words of a rendered page as a reader sees them: entities decoded, no space left
    where a tag (a link, bold) met punctuation."""
    words = html.unescape(text(page))
    return re.sub(r"\(\s+", "(", re.sub(r"\s+([).,;:])", r"\1", words))


def words(name):
    return read(render("setups", CASES[name]))


LAB_CASE, OTHER = CASES


def test_layers_count_weights_and_biases():
    assert [(l.index, l.output, l.inputs, l.units, l.parameters) for l in layers([2, 4, 4, 1], True)] \
        == [(1, False, 2, 4, 12), (2, False, 4, 4, 20), (3, True, 4, 1, 5)]
    assert [l.parameters for l in layers([2, 8, 1], False)] == [16, 8]


def test_the_lab_network():
    said = words(LAB_CASE)
    assert ("for the main network of the experiments: 2-4-4-1 units, sigmoid hidden and sigmoid "
            "output units, with biases, MSE loss, SGD with learning rate 1, weights drawn from a "
            "standard normal distribution and biases starting at zero, 5000 epochs of "
            "full-batch training.") in said
    assert "Note." not in said
    assert ("layer weights W bias b output parameters hidden 1 2 × 4 4 n × 4 12 hidden 2 4 × 4 4 "
            "n × 4 20 output 4 × 1 1 n × 1 5") in said
    assert "The gradients of the weights and biases follow" in said
    assert "(μ = 0.9);" in said and "(ρ = 0.9);" in said and "(β₁ = 0.9, β₂ = 0.999)." in said
    assert "(ε = 10⁻⁸ avoids division by zero;" in said


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
    assert "(μ = 0.5);" in said and "(β₁ = 0.8, β₂ = 0.99)." in said and "ε = 10⁻⁷" in said


@pytest.mark.parametrize("name", list(CASES))
def test_every_case_refers_to_its_neighbours(name):
    said = words(name)
    assert "The other optimizers of Section 5.A keep a state per parameter" in said
