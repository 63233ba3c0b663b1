import math

import numpy as np
import pytest

from exercises.answers import answer, answers


def _ranked_loss(r):
    """Per-prompt loss of a full ranking (index 0 best), computed from its definition."""
    K = len(r)
    total = 0.0
    for w in range(K):
        for l in range(w + 1, K):
            total += -math.log(1.0 / (1.0 + math.exp(-(r[w] - r[l]))))
    return total / math.comb(K, 2)


def test_equal_rewards_gradient():
    stated = answer("ex-instructgpt-equal-rewards-gradient")
    eps = 1e-6
    for K in (2, 4, 9):
        for k in range(1, K + 1):
            r = np.zeros(K)
            r_plus, r_minus = r.copy(), r.copy()
            r_plus[k - 1] += eps
            r_minus[k - 1] -= eps
            numeric = (_ranked_loss(r_plus) - _ranked_loss(r_minus)) / (2 * eps)
            assert stated.value(k=k, K=K) == pytest.approx(numeric, abs=1e-7)


def test_cyclic_rankings():
    stated = answers("ex-instructgpt-cyclic-rankings")
    rankings = [(0, 1, 2), (1, 2, 0), (2, 0, 1)]

    def expected_loss(r):
        return np.mean([_ranked_loss([r[i] for i in order]) for order in rankings])

    x = np.linspace(-2, 2, 401)                 # grid over r = (0, x, y)
    X, Y = np.meshgrid(x, x, indexing="ij")
    d12, d23, d31 = -X, X - Y, Y
    f = lambda d: (2 / 3) * np.logaddexp(0, -d) + (1 / 3) * np.logaddexp(0, d)
    loss = (f(d12) + f(d23) + f(d31)) / 3        # expected per-prompt loss, pair by pair
    i, j = np.unravel_index(np.argmin(loss), loss.shape)
    r = np.array([0.0, x[i], x[j]])
    assert expected_loss(r) == pytest.approx(loss[i, j])
    p12 = 1.0 / (1.0 + math.exp(-(r[0] - r[1])))
    assert stated[0].value() == pytest.approx(p12, abs=1e-4)
    assert stated[1].value() == pytest.approx(expected_loss(r), abs=1e-6)


def test_comparison_counts():
    stated = [a.value() for a in answers("ex-instructgpt-comparison-counts")]
    prompts = 6623 + 26584                       # Table 6, RM training split
    pair_evaluations = 2 * math.comb(9, 2)
    computed = [math.comb(4, 2), math.comb(9, 2), pair_evaluations / 9, 6 * prompts, 36 * prompts]
    assert stated == pytest.approx(computed)


def test_pl_pairs_simulation():
    stated = answer("ex-instructgpt-pl-pairs-simulation")
    s = [1.0, 0.5, 0.0, -1.0]
    from itertools import permutations

    total = 0.0
    for order in permutations(range(4)):       # exact Plackett-Luce probability of each ranking
        prob, left = 1.0, list(order)
        for item in order:
            prob *= math.exp(s[item]) / sum(math.exp(s[j]) for j in left)
            left.remove(item)
        if order.index(1) < order.index(3):
            total += prob
    assert stated.value() == pytest.approx(total, rel=1e-9)
