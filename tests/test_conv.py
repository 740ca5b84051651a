"""The 1-D convolution layer (engine/conv.py) and conv networks."""
import itertools

import numpy as np
import pytest

from reportgen.engine import Network, RunSpec, datasets, train, train_many
from reportgen.engine.activations import Activation
from reportgen.engine.conv import Conv1D, Flatten, Lift
from reportgen.engine.gradcheck import check, max_relative_error, numeric_gradient
from reportgen.engine.spec import ConvLayer

IDENTITY = Activation("identity")

# Documented: a conv network that learns XOR easy, and the seed/lr it is tested with.
XOR_CONV = dict(sizes=(2, 4, 1), conv=({"channels": 4, "kernel": 2},), lift="proj4",
                activation="sigmoid", init="normal", optimizer="sgd", lr=1.0, seed=0)


# --- gradients ------------------------------------------------------------------------

@pytest.mark.parametrize("channels,padding,bias", list(itertools.product(
    [1, 3, 4], ["valid", "same"], [True, False])))
def test_one_conv_layer_backprop_matches_finite_differences(channels, padding, bias):
    spec = RunSpec(sizes=(2, 3, 1), conv=[{"channels": channels, "kernel": 2, "padding": padding}],
                   bias=bias, activation="tanh", init="xavier", seed=7)
    assert check(spec) < 1e-6


@pytest.mark.parametrize("lift,bias,loss", [("proj4", True, "mse"), ("proj8", False, "bce"),
                                            ("raw", True, "bce"), ("proj8", True, "mse")])
def test_two_stacked_conv_layers_backprop_matches_finite_differences(lift, bias, loss):
    conv = [{"channels": 3, "kernel": 3, "padding": "same"}, {"channels": 4, "kernel": 2}]
    spec = RunSpec(sizes=(2, 4, 1), conv=conv, lift=lift, bias=bias, loss=loss,
                   activation="sigmoid", init="xavier", seed=2)
    assert check(spec) < 1e-6


def test_conv_gradient_check_can_fail():
    spec = RunSpec(sizes=(2, 3, 1), conv=[{"channels": 3, "kernel": 2}], init="xavier", seed=1)
    net = Network.from_spec(spec)
    rng = np.random.default_rng(1)
    X, y = rng.uniform(-1, 1, (6, 2)), rng.integers(0, 2, (6, 1)).astype(float)
    _, analytic = net.loss_and_gradients(X, y, "mse")
    analytic["W1"] = analytic["W1"].copy()
    analytic["W1"][1, 0, 2] *= 1.01
    assert max_relative_error(analytic, numeric_gradient(net, X, y, "mse")) > 1e-3


def test_input_gradient_of_a_single_layer_matches_finite_differences():
    rng = np.random.default_rng(0)
    layer = Conv1D(rng.normal(size=(3, 2, 4)), rng.normal(size=4), Activation("tanh"), "same")
    x = rng.normal(size=(5, 6, 2))
    upstream = rng.normal(size=(5, 6, 4))

    def loss(x):
        return float(np.sum(layer.forward(x) * upstream))

    out = layer.forward(x)
    grad_x = layer.backward(upstream * layer.activation.derivative(out))
    numeric = np.zeros_like(x)
    h = 1e-6
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        up = loss(x)
        x[idx] = old - h
        down = loss(x)
        x[idx] = old
        numeric[idx] = (up - down) / (2 * h)
    np.testing.assert_allclose(grad_x, numeric, rtol=1e-6, atol=1e-8)


# --- it is a convolution --------------------------------------------------------------

def test_forward_by_hand_is_a_cross_correlation_with_shared_weights():
    # one sample, signal [1, 2, 3, 4] with one channel; kernel [10, 1] -> 2 output channels
    W = np.array([[[10.0, -1.0]], [[1.0, 2.0]]])          # (k=2, C_in=1, C_out=2)
    b = np.array([0.5, 0.0])
    x = np.array([1.0, 2.0, 3.0, 4.0]).reshape(1, 4, 1)
    valid = Conv1D(W, b, IDENTITY, "valid").forward(x)
    # channel 0: 10 x[l] + x[l+1] + 0.5 ; channel 1: -x[l] + 2 x[l+1]
    expected = np.array([[[12.5, 3.0], [23.5, 4.0], [34.5, 5.0]]])
    np.testing.assert_array_equal(valid, expected)
    # "same" with k = 2 pads one zero on the right: one more position, 10 * 4 + 0 + 0.5
    same = Conv1D(W, b, IDENTITY, "same").forward(x)
    np.testing.assert_array_equal(same, np.concatenate([expected, [[[40.5, -4.0]]]], axis=1))


def test_forward_by_hand_two_input_channels_same_padding_kernel_3():
    W = np.zeros((3, 2, 1))
    W[:, 0, 0] = [1.0, 2.0, 3.0]        # taps on channel 0
    W[:, 1, 0] = [0.0, 0.0, -1.0]       # channel 1 only through the last tap
    x = np.array([[[1.0, 5.0], [2.0, 6.0], [3.0, 7.0]]])   # (1, L=3, C=2)
    z = Conv1D(W, None, IDENTITY, "same").forward(x)
    # padded channel 0: [0, 1, 2, 3, 0]; channel 1: [0, 5, 6, 7, 0]
    expected = [0 * 1 + 1 * 2 + 2 * 3 - 6, 1 * 1 + 2 * 2 + 3 * 3 - 7, 2 * 1 + 3 * 2 + 0 * 3 - 0]
    np.testing.assert_array_equal(z[0, :, 0], expected)


@pytest.mark.parametrize("lift,kernel,padding,length", [
    ("proj4", 2, "valid", 3), ("proj4", 4, "valid", 1), ("proj4", 3, "same", 4),
    ("proj8", 2, "same", 8), ("proj8", 5, "valid", 4), ("raw", 2, "valid", 1),
    ("raw", 2, "same", 2), ("raw", 4, "same", 2)])
def test_output_shapes(lift, kernel, padding, length):
    spec = RunSpec(sizes=(2, 5, 1), conv=[{"channels": 3, "kernel": kernel, "padding": padding}],
                   lift=lift)
    net = Network.from_spec(spec)
    X = np.random.default_rng(0).random((9, 2))
    out = net.forward(X)
    lift_layer, conv, flatten, dense = net.layers[:4]
    assert isinstance(lift_layer, Lift) and isinstance(flatten, Flatten)
    assert conv.output.shape == (9, length, 3)
    assert flatten.output.shape == (9, length * 3)
    assert dense.W.shape == (length * 3, 5)
    assert out.shape == (9, 1)


def test_projection_lift():
    x = np.array([[0.3, 0.7]])
    s = Lift("proj4").forward(x)[0, :, 0]
    r = np.sqrt(0.5)
    np.testing.assert_allclose(s, [0.3, r * (0.3 + 0.7), 0.7, r * (0.7 - 0.3)], rtol=1e-15)
    assert s[2] == 0.7  # the exact zero of cos(pi/2) keeps the raw coordinate exact
    np.testing.assert_array_equal(Lift("raw").forward(x), [[[0.3], [0.7]]])


def test_raw_lift_with_full_width_kernel_is_the_dense_network():
    """Kernel 2, valid, over [x0, x1]: one position, i.e. a dense layer 2 -> C. With the
    normal initialiser the weights are drawn identically, so the networks agree exactly."""
    X, y = datasets.xor_easy()
    dense = RunSpec(sizes=(2, 4, 4, 1), epochs=50)
    conv = RunSpec(sizes=(2, 4, 1), conv=[{"channels": 4, "kernel": 2}], lift="raw", epochs=50)
    a, b = train(dense, X, y), train(conv, X, y)
    np.testing.assert_array_equal(a.loss, b.loss)
    assert Network.from_spec(conv).parameter_count() == Network.from_spec(dense).parameter_count()


# --- the network around it ------------------------------------------------------------

def test_parameter_names_count_only_layers_with_parameters():
    spec = RunSpec(sizes=(2, 4, 1), conv=[{"channels": 3, "kernel": 2}, {"channels": 2, "kernel": 2}])
    net = Network.from_spec(spec)
    shapes = {k: v.shape for k, v in net.parameters().items()}
    assert shapes == {"W1": (2, 1, 3), "b1": (3,), "W2": (2, 3, 2), "b2": (2,),
                      "W3": (4, 4), "b3": (4,), "W4": (4, 1), "b4": (1,)}
    X, y = datasets.xor_easy()
    _, grads = net.loss_and_gradients(X, y)
    assert {k: g.shape for k, g in grads.items()} == shapes
    assert net.parameter_count() == 6 + 3 + 12 + 2 + 16 + 4 + 4 + 1
    no_bias = Network.from_spec(spec.replace(bias=False))
    assert list(no_bias.parameters()) == ["W1", "W2", "W3", "W4"]


def test_dense_specs_keep_their_weights_and_names():
    spec = RunSpec(sizes=(2, 4, 4, 1), init="xavier", seed=9)
    net = Network.from_spec(spec)
    rng = np.random.default_rng(9)
    std = [np.sqrt(2 / 6), np.sqrt(2 / 8), np.sqrt(2 / 5)]
    expected = [rng.standard_normal(s) * d for s, d in zip([(2, 4), (4, 4), (4, 1)], std)]
    assert list(net.parameters()) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    for i, W in enumerate(expected, start=1):
        np.testing.assert_array_equal(net.parameters()[f"W{i}"], W)


def test_stack_member_and_keep():
    specs = [RunSpec(sizes=(2, 3, 1), conv=[{"channels": 2, "kernel": 3, "padding": "same"}],
                     seed=s) for s in range(3)]
    nets = [Network.from_spec(s) for s in specs]
    stack = Network.stack([Network.from_spec(s) for s in specs])
    assert stack.parameters()["W1"].shape == (3, 3, 1, 2)
    assert stack.parameters()["b1"].shape == (3, 1, 1, 2)
    assert stack.parameter_count() == nets[0].parameter_count() == 8 + 27 + 4
    X = np.random.default_rng(1).random((6, 2))
    shared = stack.forward(X)
    per_network = stack.forward(np.stack([X, X, X]))
    for k, net in enumerate(nets):
        np.testing.assert_allclose(shared[k], net.forward(X), rtol=1e-14)
        np.testing.assert_allclose(per_network[k], net.forward(X), rtol=1e-14)
        np.testing.assert_array_equal(stack.member(k).forward(X), net.forward(X))
    stack.keep(np.array([True, False, True]))
    np.testing.assert_allclose(stack.forward(X), [nets[0].forward(X), nets[2].forward(X)],
                               rtol=1e-14)


@pytest.mark.parametrize("batch_size,optimizer", [(None, "sgd"), (7, "adam")])
def test_train_many_equals_train_one_by_one(batch_size, optimizer):
    X, y = datasets.xor_easy()
    base = RunSpec(sizes=(2, 4, 1), conv=[{"channels": 3, "kernel": 2},
                                          {"channels": 2, "kernel": 2, "padding": "same"}],
                   epochs=60, batch_size=batch_size, optimizer=optimizer,
                   lr=0.05 if optimizer == "adam" else 1.0)
    specs = [base.replace(seed=s) for s in range(4)] + [base.replace(seed=1, lr=0.5)]
    together = train_many(specs, X, y)
    for spec, many in zip(specs, together):
        one = train(spec, X, y)
        assert many.spec == spec
        np.testing.assert_allclose(many.loss, one.loss, rtol=1e-9)
        np.testing.assert_array_equal(many.accuracy, one.accuracy)
        for name, value in one.network.parameters().items():
            np.testing.assert_allclose(many.network.parameters()[name], value, rtol=1e-9, atol=1e-12)


def test_conv_network_learns_xor():
    """XOR_CONV (seed 0, lr 1.0, plain SGD, MSE) reaches 100% on XOR easy in about 1.2k
    epochs; the test asks for the course's 90% after 2000."""
    X, y = datasets.xor_easy()
    result = train(RunSpec(**XOR_CONV, epochs=2000), X, y)
    assert result.status == "ok"
    assert result.final_accuracy >= 0.9
    assert result.loss[-1] < result.loss[0]


# --- the spec -------------------------------------------------------------------------

def test_spec_round_trip_and_hash():
    d = {"sizes": [2, 4, 1], "conv": [{"channels": 4, "kernel": 2},
                                      {"channels": 2, "kernel": 3, "padding": "same"}]}
    spec = RunSpec.from_dict(d)
    assert spec.conv == (ConvLayer(4, 2, "valid"), ConvLayer(2, 3, "same"))
    out = spec.to_dict()
    assert out["conv"] == [{"channels": 4, "kernel": 2, "padding": "valid"},
                           {"channels": 2, "kernel": 3, "padding": "same"}]
    assert out["lift"] == "proj4"
    import json
    again = RunSpec.from_dict(json.loads(json.dumps(out)))
    assert again == spec and hash(again) == hash(spec)
    assert RunSpec(sizes=(2, 4, 1), conv=[(4, 2), (2, 3, "same")]) == spec
    assert RunSpec().conv == () and RunSpec().to_dict()["conv"] == []
    assert spec.replace(conv=[{"channels": 4, "kernel": 2}]).conv == (ConvLayer(4, 2),)


@pytest.mark.parametrize("changes,message", [
    ({"conv": [{"channels": 4, "kernel": 5}]},
     "conv[0].kernel: must be <= signal length 4 with padding 'valid', got 5"),
    ({"conv": [{"channels": 4, "kernel": 3}], "lift": "raw"},
     "conv[0].kernel: must be <= signal length 2 with padding 'valid', got 3"),
    ({"conv": [{"channels": 4, "kernel": 2}, {"channels": 2, "kernel": 4}]},
     "conv[1].kernel: must be <= signal length 3 with padding 'valid', got 4"),
    ({"conv": [{"channels": 0, "kernel": 2}]}, "conv[0].channels: must be an integer >= 1, got 0"),
    ({"conv": [{"channels": 2.5, "kernel": 2}]}, "conv[0].channels: must be an integer >= 1"),
    ({"conv": [{"channels": 2, "kernel": 0}]}, "conv[0].kernel: must be an integer >= 1, got 0"),
    ({"conv": [{"channels": 2, "kernel": 2, "padding": "full"}]},
     "conv[0].padding: unknown 'full'; allowed: valid, same"),
    ({"conv": [{"channels": 2, "kernel": 2, "stride": 2}]},
     "conv[0]: unknown key 'stride'; allowed: channels, kernel, padding"),
    ({"conv": [{"channels": 2}]}, "conv[0]: missing 'kernel'"),
    ({"conv": [{"channels": 2, "kernel": 2}, 3]}, "conv[1]: must be a table"),
    ({"conv": {"channels": 2, "kernel": 2}}, "conv: must be a list"),
    ({"conv": [{"channels": 2, "kernel": 2}], "lift": "fourier"}, "lift: unknown 'fourier'"),
])
def test_invalid_conv_specs_name_the_field(changes, message):
    with pytest.raises(ValueError) as info:
        RunSpec(sizes=(2, 4, 1), **changes)
    assert str(info.value).startswith(message)


def test_same_padding_allows_any_kernel():
    spec = RunSpec(sizes=(2, 1), conv=[{"channels": 2, "kernel": 6, "padding": "same"}])
    assert Network.from_spec(spec).forward(np.zeros((3, 2))).shape == (3, 1)
    assert check(spec.replace(init="xavier")) < 1e-6
