"""Checks of the stated answers of the exercises in topics/cross-entropy."""

import math

import numpy as np
import pytest

from exercises.answers import answers
from exercises.roots import golden_argmin


def smoothed_optimum_gap(classes, eps, steps=4000, lr=2.0):
    """Minimise the label-smoothed cross-entropy by gradient descent on the logits."""
    target = np.full(classes, eps / classes)
    target[0] += 1 - eps
    z = np.zeros(classes)
    for _ in range(steps):
        s = np.exp(z - z.max())
        s /= s.sum()
        z -= lr * (s - target)
    return z[0] - z[1]


def test_smoothing_gap():
    closed, transformer = answers("ex-cross-entropy-smoothing-gap")
    for classes, eps in [(3, 0.2), (10, 0.1), (5, 0.5)]:
        assert closed.value(K=classes, eps=eps) == pytest.approx(smoothed_optimum_gap(classes, eps), rel=1e-6)
    # For the large vocabulary: by symmetry the other K - 1 logits are equal at the optimum, so the loss
    # is a function of the gap g alone; minimise it by golden-section search.
    classes, eps = 37000, 0.1
    t_y = 1 - eps + eps / classes

    def loss(g):
        log_z = g + math.log1p((classes - 1) * math.exp(-g))       # log(e^g + K - 1)
        return -(t_y * (g - log_z) + (1 - t_y) * (-log_z))

    assert transformer.value() == pytest.approx(golden_argmin(loss, 0.0, 40.0, 200), rel=1e-6)


def test_weighting_moves_the_minimiser():
    stated = answers("ex-cross-entropy-weighting")[0]
    q = np.linspace(1e-6, 1 - 1e-6, 1_000_001)
    loss = 0.5 * (-np.log(q)) / 1 + 0.5 * (-np.log(1 - q)) / 2
    assert stated.value() == pytest.approx(q[np.argmin(loss)], abs=1e-5)


def test_average_log_loss():
    stated = answers("ex-cross-entropy-lln")[0]
    p = np.array([0.5, 0.3, 0.2])
    q = np.array([0.2, 0.3, 0.5])
    entropy = -(p * np.log(p)).sum()
    kl = (p * np.log(p / q)).sum()
    assert stated.value() == pytest.approx(entropy + kl, rel=1e-12)
