"""Checks of the stated answers of the exercises in topics/divergences.md."""
import math

import numpy as np
import pytest

from exercises.answers import answer, answers


def _kl(a, b):
    return a * math.log(a / b) + (1 - a) * math.log((1 - a) / (1 - b))


def test_conjugate_of_the_gan_generator():
    stated = answer("ex-divergences-gan-conjugate")
    u = np.logspace(-8, 8, 2_000_001)
    f = u * np.log(u) - (u + 1) * np.log1p(u)
    for t in [-0.05, -0.7, -3.0]:
        assert stated.value(t=t) == pytest.approx(np.max(u * t - f), rel=1e-6)


def _entropy(pmf):
    pmf = np.asarray(pmf, dtype=float)
    return float(-np.sum(pmf * np.log(pmf)))


def test_bernoulli_numbers():
    js, tv, pinsker_pq, pinsker_qp = answers("ex-divergences-bernoulli-numbers")
    p, q = np.array([0.5, 0.5]), np.array([0.99, 0.01])
    m = (p + q) / 2
    direct_js = 0.5 * np.sum(p * np.log(p / m)) + 0.5 * np.sum(q * np.log(q / m))
    assert js.value() == pytest.approx(direct_js, rel=1e-10)
    assert js.value() == pytest.approx(_entropy(m) - (_entropy(p) + _entropy(q)) / 2, rel=1e-10)
    events = [np.array(e, dtype=bool) for e in [(0, 0), (0, 1), (1, 0), (1, 1)]]
    assert tv.value() == pytest.approx(max(abs(p[e].sum() - q[e].sum()) for e in events), rel=1e-12)
    assert pinsker_pq.value() == pytest.approx(math.sqrt(_kl(0.5, 0.01) / 2), rel=1e-10)
    assert pinsker_qp.value() == pytest.approx(math.sqrt(_kl(0.01, 0.5) / 2), rel=1e-10)
    assert min(pinsker_pq.value(), pinsker_qp.value()) >= tv.value()


def test_kl_violates_the_triangle_inequality():
    stated = answer("ex-divergences-triangle")
    excess = _kl(1 / 2, 1 / 8) - _kl(1 / 2, 1 / 4) - _kl(1 / 4, 1 / 8)
    assert stated.value() == pytest.approx(excess, rel=1e-12)
    assert stated.value() > 0
