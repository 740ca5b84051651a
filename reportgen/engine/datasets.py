"""The lab's two data sets: 2-D points with a binary label.

Both return float64 arrays ``X`` of shape (n, 2) and ``y`` of shape (n, 1).
"""
import numpy as np


def diagonal_rule(points):
    """The linear set's labels: 1 where the second coordinate is at least the first."""
    return np.where(points[:, 0] > points[:, 1], 0.0, 1.0)


def quadrant_rule(points):
    """The rule the XOR points follow, extended to the unit square: 1 where exactly one
    coordinate exceeds 0.5 (the points on the anti-diagonal)."""
    return ((points[:, 0] > 0.5) != (points[:, 1] > 0.5)).astype(np.float64)


def linear(n=100, seed=0):
    """n points drawn uniformly from the unit square, split by the diagonal.

    A point's label is 0 when its first coordinate is larger than its second,
    otherwise 1. The course draws them unseeded; ``seed`` makes runs repeatable.
    """
    if n < 1:
        raise ValueError(f"n: must be >= 1, got {n}")
    points = np.random.default_rng(seed).uniform(0.0, 1.0, size=(n, 2))
    return points, diagonal_rule(points).reshape(n, 1)


def xor_easy():
    """The course's 21 fixed "XOR easy" points on the two diagonals of the unit square.

    One loop over i = 0..10 adds (0.1 i, 0.1 i) with label 0, then (0.1 i, 1 - 0.1 i)
    with label 1, skipping the second point at i = 5 where it would repeat the centre.
    """
    points, labels = [], []
    for i in range(11):
        points.append((0.1 * i, 0.1 * i))
        labels.append(0.0)
        if i == 5:
            continue
        points.append((0.1 * i, 1 - 0.1 * i))
        labels.append(1.0)
    return np.array(points, dtype=np.float64), np.array(labels, dtype=np.float64).reshape(-1, 1)


#: Data sets by the name experiments and the CLI use.
DATASETS = {
    "linear": linear,
    "xor": xor_easy,
}

#: How the report names each data set (in its prose, tables and figures).
DISPLAY_NAMES = {
    "linear": "linear",
    "xor": "XOR",
}

#: Each data set's labelling rule extended to the whole unit square.
RULES = {
    "linear": diagonal_rule,
    "xor": quadrant_rule,
}


def load(name):
    """Return ``(X, y)`` of the named data set with its default arguments."""
    if name not in DATASETS:
        raise ValueError(f"dataset: unknown {name!r}; allowed: {', '.join(DATASETS)}")
    return DATASETS[name]()
