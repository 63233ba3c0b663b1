"""Checks of the stated answers of the Mamba exercises."""

import math

import numpy as np
import pytest

from exercises.answers import answers


def softplus(z):
    return math.log1p(math.exp(z))


def test_gate_general_a():
    stated = answers("ex-mamba-gate-general-a")
    for a in [0.5, 1.0, 2.5]:
        for z in [-2.0, 0.0, 1.3]:
            delta = softplus(z)
            abar = math.exp(-a * delta)
            bbar = (1 - abar) / a
            assert stated[0].value(a=a, z=z) == pytest.approx(abar, rel=1e-12)
            g = stated[1].value(a=a, z=z)
            # the recurrence h = abar h + bbar x equals (1 - g) h + g x / a for arbitrary h, x
            for h, x in [(0.3, -1.0), (2.0, 0.5)]:
                assert abar * h + bbar * x == pytest.approx((1 - g) * h + g * x / a, rel=1e-12)
    assert stated[1].value(a=1.0, z=0.7) == pytest.approx(1 / (1 + math.exp(-0.7)), rel=1e-12)


def test_euler_steady_state():
    stated = answers("ex-mamba-euler-gate")
    for z in [-1.0, 0.0, 2.0]:
        abar, bbar = math.exp(-softplus(z)), softplus(z)
        h = 0.0
        for _ in range(5000):
            h = abar * h + bbar
        assert stated[0].value(z=z) == pytest.approx(h, rel=1e-9)
    abar, bbar, h = 0.5, math.log(2), 0.0
    for _ in range(200):
        h = abar * h + bbar
    assert stated[1].value() == pytest.approx(h, rel=1e-12)


def test_state_size_params():
    stated = answers("ex-mamba-state-size-params")
    E, D, blocks = 2, 1024, 48
    # count the entries that depend on N directly: A (ED x N), x -> B_t and x -> C_t (ED x N each)
    def n_dependent(N):
        shapes = [(E * D, N), (E * D, N), (E * D, N)]
        return blocks * sum(np.prod(shape) for shape in shapes)
    added = n_dependent(16) - n_dependent(1)
    assert stated[0].value() == added
    # the table's rows, rounded to 0.1M, are matched at every N
    table = {1: 367.1, 2: 367.4, 4: 368.0, 8: 369.1, 16: 371.5}
    for N, params in table.items():
        assert (table[1] * 1e6 + n_dependent(N) - n_dependent(1)) / 1e6 == pytest.approx(params, abs=0.1)
    assert stated[1].value() == pytest.approx((table[16] - table[1]) / table[1], rel=1e-9)
    assert stated[2].value() == pytest.approx(9.73 - 8.71, abs=1e-9)
    # Table 9: rank-R Delta projection, ED -> R -> ED, from R = 1 (359.1M) to R = 64 (371.5M)
    per_rank_unit = (371.5e6 - 359.1e6) / (64 - 1)
    assert stated[3].value() == pytest.approx(per_rank_unit / 2, rel=1e-9)
    assert abs(stated[3].value() - blocks * E * D) < 0.1e6 / (2 * 63)


def test_dc_gain():
    stated = answers("ex-mamba-dc-gain")
    rng = np.random.default_rng(3)
    a = -np.arange(1.0, 17.0)
    h = np.zeros(16)
    for delta in rng.uniform(0.05, 0.2, 2000):
        abar = np.exp(delta * a)
        h = abar * h + (abar - 1) / a
    assert stated[0].value() == pytest.approx(h.sum(), rel=1e-12)
