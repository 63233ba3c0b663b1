import math

import numpy as np
import pytest

from exercises.answers import answer, answers


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def test_pair_optimum():
    stated = answer("ex-dpo-pair-optimum")
    h = np.linspace(-40, 40, 800001)
    for p, beta in [(0.7, 0.1), (0.3, 0.5), (0.95, 2.0)]:
        loss = -p * np.log(_sigmoid(beta * h)) - (1 - p) * np.log(_sigmoid(-beta * h))
        assert stated.value(p=p, beta=beta) == pytest.approx(h[np.argmin(loss)], abs=2e-4)


def _population_loss(pi, pi_ref, r_star, pairs, beta=1.0):
    total = 0.0
    for i, j in pairs:
        d_theta = beta * (math.log(pi[i] / pi_ref[i]) - math.log(pi[j] / pi_ref[j]))
        d_star = r_star[i] - r_star[j]
        total += -_sigmoid(d_star) * math.log(_sigmoid(d_theta)) - _sigmoid(-d_star) * math.log(_sigmoid(-d_theta))
    return total / len(pairs)


def test_disconnected_graph():
    stated = [a.value() for a in answers("ex-dpo-disconnected")]
    pi_ref = np.full(4, 0.25)
    r_star = np.array([math.log(3), 0.0, 0.0, 0.0])
    weights = pi_ref * np.exp(r_star)
    pi_star = weights / weights.sum()
    assert stated[0] == pytest.approx(pi_star[0])
    pairs = [(0, 1), (2, 3)]
    ms = np.linspace(0.001, 0.999, 999)
    family = [np.array([3 * m / 4, m / 4, (1 - m) / 2, (1 - m) / 2]) for m in ms]
    losses = [_population_loss(pi, pi_ref, r_star, pairs) for pi in family]
    assert max(losses) - min(losses) < 1e-12     # the whole family is optimal
    rng = np.random.default_rng(0)
    for _ in range(200):                           # and nothing else with full support beats it
        pi = rng.dirichlet(np.ones(4))
        assert _population_loss(pi, pi_ref, r_star, pairs) >= min(losses) - 1e-12
    assert stated[1] == pytest.approx(max(pi[0] for pi in family), abs=1e-3)
    connected = pairs + [(1, 2)]
    losses = [_population_loss(pi, pi_ref, r_star, connected) for pi in family]
    assert stated[2] == pytest.approx(ms[int(np.argmin(losses))], abs=1e-3)


def test_sentiment_pairs():
    stated = [a.value() for a in answers("ex-dpo-sentiment-pairs")]
    prefixes, completions = 25000, 4
    pairs = prefixes * math.comb(completions, 2)
    computed = [pairs, completions - 1, 2 * pairs, prefixes * completions]
    assert stated == pytest.approx(computed)


def test_tabular_recovery():
    stated = answer("ex-dpo-tabular-recovery")
    pi_ref = np.array([0.4, 0.3, 0.2, 0.1])
    r_star = np.array([0.0, 1.0, 2.0, 0.5])
    beta = 0.5
    pairs = [(i, j) for i in range(4) for j in range(i + 1, 4)]
    I = np.array([i for i, _ in pairs])
    J = np.array([j for _, j in pairs])
    p = _sigmoid(r_star[I] - r_star[J])
    theta = np.zeros(4)
    for _ in range(20000):                         # minimise the expected DPO loss over all pairs
        logratio = theta - np.log(pi_ref)
        g = beta * (_sigmoid(beta * (logratio[I] - logratio[J])) - p)
        grad = np.bincount(I, g, minlength=4) - np.bincount(J, g, minlength=4)
        theta -= 1.0 * grad
    pi_theta = np.exp(theta) / np.exp(theta).sum()
    assert stated.value() == pytest.approx(pi_theta[2], rel=1e-6)
