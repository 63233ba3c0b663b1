import math
from itertools import product

import numpy as np
import pytest

from exercises.answers import answer, answers


def test_baseline_variance():
    stated = [a.value() for a in answers("ex-policy-gradients-baseline-variance")]
    r = np.array([1.0, 2.0, 3.0])
    pi = np.full(3, 1 / 3)
    score = (np.arange(3) == 2) - pi[2]
    moments = []
    for b in (0.0, 2.0):
        g = (r - b) * score
        mean = (pi * g).sum()
        moments.append((mean, (pi * g**2).sum() - mean**2))
    assert stated == pytest.approx([moments[0][0], moments[0][1], moments[1][1]])
    assert moments[1][0] == pytest.approx(moments[0][0])


def test_group_mean_baseline():
    stated = answer("ex-policy-gradients-group-mean")
    rng = np.random.default_rng(0)
    theta = rng.normal(size=3)
    r = rng.normal(size=3)
    pi = np.exp(theta) / np.exp(theta).sum()
    true_grad = pi * (r - pi @ r)
    for G in (2, 3, 4):
        expected = np.zeros(3)
        for actions in product(range(3), repeat=G):      # exact expectation over G-tuples
            prob = np.prod(pi[list(actions)])
            rbar = np.mean(r[list(actions)])
            g = sum((np.eye(3)[a] - pi) * (r[a] - rbar) for a in actions) / G
            expected += prob * g
        c = expected @ true_grad / (true_grad @ true_grad)
        assert np.allclose(expected, c * true_grad, atol=1e-12)
        assert stated.value(G=G) == pytest.approx(c, rel=1e-9)


def test_two_step_soft():
    stated = answers("ex-policy-gradients-two-step-soft")

    def kl(p):
        return sum(x * math.log(2 * x) for x in (p, 1 - p) if x > 0)

    grid = np.linspace(1e-6, 1 - 1e-6, 200001)
    klg = grid * np.log(2 * grid) + (1 - grid) * np.log(2 * (1 - grid))
    second = grid - klg                          # best regularised value after token 1
    v1 = second.max()
    # second step after token 0: no reward, best is the reference (value 0)
    J = grid * v1 - klg                          # first step: p0 * v1 + (1 - p0) * 0 - KL
    assert stated[0].value() == pytest.approx(J.max(), abs=1e-8)
    assert stated[1].value() == pytest.approx(grid[np.argmax(J)], abs=1e-4)
