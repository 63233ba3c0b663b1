import math
from itertools import product

import pytest

from exercises.answers import answer, answers


def test_sample_size():
    stated = answers("ex-generalization-bounds-sample-size")
    eps, delta = 0.05, 0.01
    for a, H in zip(stated, (1000, 10**6)):
        m = 1
        while 2 * H * math.exp(-2 * m * eps**2) > delta:   # union bound of Hoeffding tails
            m += 1
        assert a.value() == m


def test_rademacher_collinear():
    stated = answer("ex-generalization-bounds-rademacher-collinear")
    m = 4
    mean_abs = sum(abs(sum(s)) for s in product((-1, 1), repeat=m)) / 2**m
    for B in (1.0, 2.5):
        assert stated.value(B=B) == pytest.approx(B * mean_abs / m)


def test_hoeffding_tightness():
    stated = answers("ex-generalization-bounds-hoeffding-tightness")
    m = 100
    exact = sum(math.comb(m, k) for k in range(m + 1) if abs(k - 50) >= 10) / 2**m
    assert stated[0].value() == pytest.approx(exact, rel=1e-4)
    assert stated[1].value() == pytest.approx(2 * math.exp(-2 * m * 0.1**2))
