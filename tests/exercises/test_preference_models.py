import math

import numpy as np
import pytest

from exercises.answers import answer, answers


def test_two_item_mle():
    stated = answer("ex-preference-models-two-item-mle")
    d = np.linspace(-5, 5, 200001)
    for n12, n21 in [(7, 3), (2, 9), (50, 50)]:
        ll = -n12 * np.logaddexp(0, -d) - n21 * np.logaddexp(0, d)
        assert stated.value(n12=n12, n21=n21) == pytest.approx(d[np.argmax(ll)], abs=1e-4)


def test_thurstone_odds():
    stated = answers("ex-preference-models-thurstone-iia")
    s = [1.0, 0.0, -0.5]
    g = np.linspace(-9, 9, 20001)
    dg = g[1] - g[0]
    phi = np.exp(-g**2 / 2) / math.sqrt(2 * math.pi)
    Phi = np.vectorize(lambda x: 0.5 * (1 + math.erf(x / math.sqrt(2))))

    def p_best(i, items):
        prod = np.ones_like(g)
        for j in items:
            if j != i:
                prod = prod * Phi(s[i] + g - s[j])
        return (phi * prod).sum() * dg

    two = p_best(0, [0, 1]) / p_best(1, [0, 1])
    three = p_best(0, [0, 1, 2]) / p_best(1, [0, 1, 2])
    assert stated[0].value() == pytest.approx(two, rel=1e-6)
    assert stated[1].value() == pytest.approx(three, rel=2e-5)


def test_gibbs_shortfall():
    stated = [a.value() for a in answers("ex-preference-models-gibbs-shortfall")]
    r = np.array([0.0, 1.0, 2.0])
    q = np.full(3, 1 / 3)
    # maximise J over a grid of the simplex
    n = 1001
    a, b = np.meshgrid(np.linspace(0, 1, n), np.linspace(0, 1, n))
    c = 1 - a - b
    ok = c >= 0
    P = np.stack([a[ok], b[ok], c[ok]], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        kl = np.where(P > 0, P * np.log(P / q), 0.0).sum(axis=1)
    J = P @ r - kl
    best = P[np.argmax(J)]
    pi_star = q * np.exp(r) / (q * np.exp(r)).sum()
    shortfall = (q * np.log(q / pi_star)).sum()
    assert stated[0] == pytest.approx(J.max(), abs=1e-5)
    assert stated[1] == pytest.approx(best[2], abs=2e-3)
    assert stated[2] == pytest.approx(shortfall, rel=1e-9)
