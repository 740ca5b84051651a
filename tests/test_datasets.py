import numpy as np

from reportgen.engine import datasets


def test_xor_easy_exact_points_and_order():
    X, y = datasets.xor_easy()
    expected = []
    for i in range(11):
        expected.append((0.1 * i, 0.1 * i, 0))
        if i != 5:
            expected.append((0.1 * i, 1 - 0.1 * i, 1))
    assert X.shape == (21, 2) and y.shape == (21, 1)
    assert X.dtype == np.float64 and y.dtype == np.float64
    np.testing.assert_array_equal(X, np.array([e[:2] for e in expected]))
    np.testing.assert_array_equal(y[:, 0], [e[2] for e in expected])
    assert int(y.sum()) == 10
    # interleaved: 0, 1, 0, 1, ... then two zeros in a row around the skipped centre
    assert list(y[:12, 0]) == [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0]


def test_linear_labels_follow_the_diagonal():
    X, y = datasets.linear(n=500, seed=3)
    assert X.shape == (500, 2) and y.shape == (500, 1)
    assert X.min() >= 0 and X.max() < 1
    np.testing.assert_array_equal(y[:, 0], np.where(X[:, 0] > X[:, 1], 0.0, 1.0))
    assert 0.3 < y.mean() < 0.7


def test_linear_same_seed_same_points_other_seed_other_points():
    a, _ = datasets.linear(seed=7)
    b, _ = datasets.linear(seed=7)
    c, _ = datasets.linear(seed=8)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.shape == (100, 2)


def test_rules_extend_the_labels_to_the_square():
    X, y = datasets.linear(seed=2)
    np.testing.assert_array_equal(datasets.RULES["linear"](X), y[:, 0])
    X, y = datasets.xor_easy()
    off_centre = np.abs(X - 0.5).max(axis=1) > 0   # the centre (0.5, 0.5) is on the boundary
    np.testing.assert_array_equal(datasets.RULES["xor"](X)[off_centre], y[off_centre, 0])
