"""Checks of the stated answers of the exercises of the scaling-laws chapter."""

import math

import numpy as np
import pytest

from exercises.answers import answers
from exercises.roots import bisect, golden_argmin


def penalty(N, D, aN, aD, Nc, Dc):
    joint = ((Nc / N) ** (aN / aD) + Dc / D) ** aD
    return joint / (Nc / N) ** aN - 1


def least_data(N, eps, aN, aD, Nc, Dc):
    return math.exp(bisect(lambda logD: penalty(N, math.exp(logD), aN, aD, Nc, Dc) - eps, 0.0, 100.0))


def test_exact_data_requirement():
    closed, number = answers("ex-scaling-laws-exact-data-requirement")
    for N, eps, aN, aD, Nc, Dc in [(1e9, 0.02, 0.076, 0.103, 6.4e13, 1.8e13), (3e7, 0.1, 0.2, 0.3, 1e10, 1e9)]:
        direct = least_data(N, eps, aN, aD, Nc, Dc)
        stated = closed.value(N=N, eps=eps, alpha_N=aN, alpha_D=aD, N_c=Nc, D_c=Dc)
        assert stated == pytest.approx(direct, rel=1e-6)
    N = 1e9
    K = least_data(N, 0.02, 0.076, 0.103, 6.4e13, 1.8e13) / N ** (0.076 / 0.103)
    assert number.value() == pytest.approx(K, rel=1e-3)
    assert number.value() == pytest.approx(5.5e3, rel=0.01)


def test_fixed_step_breaks_the_hyperbola():
    steps, least_steps, least_tokens, formula, at_bcrit = answers("ex-scaling-laws-fixed-step")
    rng = np.random.default_rng(1)
    Q = rng.standard_normal((4, 4))
    H = Q @ Q.T + np.eye(4)
    R = rng.standard_normal((4, 4))
    Sigma = R @ R.T
    G = rng.standard_normal(4)
    eps = 0.5 * (G @ G) / (G @ H @ G)              # a fixed step with positive noiseless progress
    delta = 1.0

    def decrease(B):                                # expected one-step decrease in the quadratic model
        return eps * (G @ G) - 0.5 * eps ** 2 * (G @ H @ G + np.trace(H @ Sigma) / B)

    B0 = bisect(decrease, 1e-9, 1e9)                # batch below which no progress is made
    S = lambda B: delta / decrease(B)
    S_min = S(1e15)
    grid = B0 * np.exp(np.linspace(1e-4, 6, 400001))
    E_vals = grid * delta / (eps * (G @ G) - 0.5 * eps ** 2 * (G @ H @ G + np.trace(H @ Sigma) / grid))
    E_min = E_vals.min()
    B_crit = E_min / S_min
    a = eps * (G @ G) - 0.5 * eps ** 2 * (G @ H @ G)  # the constants of the statement
    c = 0.5 * eps ** 2 * np.trace(H @ Sigma)
    for B in [1.5 * B0, 4 * B0, 30 * B0]:
        assert steps.value(Delta=delta, a=a, c=c, B=B) == pytest.approx(S(B), rel=1e-9)
    assert least_steps.value(Delta=delta, a=a, c=c) == pytest.approx(S_min, rel=1e-9)
    assert least_tokens.value(Delta=delta, a=a, c=c) == pytest.approx(E_min, rel=1e-6)
    for B in [1.2 * B0, 2 * B0, 3.5 * B0, 10 * B0, B_crit]:
        product = (S(B) / S_min - 1) * (B * S(B) / E_min - 1)
        assert formula.value(b=B / B0) == pytest.approx(product, rel=1e-4, abs=1e-8)
    product = (S(B_crit) / S_min - 1) * (B_crit * S(B_crit) / E_min - 1)
    assert at_bcrit.value() == pytest.approx(product, rel=1e-3)


def test_ten_pf_days():
    flops, N, D, L, run_tokens = answers("ex-scaling-laws-ten-pf-days")
    C = 10.0                                        # PF-days
    assert flops.value() == pytest.approx(C * 1e15 * 24 * 3600, rel=1e-12)
    B_crit = 2.0e6 * math.exp(0.24 * math.log(C))   # Table 6, tokens
    S_min = 5.4e3 * math.exp(0.03 * math.log(C))    # Table 6, steps
    assert run_tokens.value() == pytest.approx(2 * B_crit * S_min, rel=1e-6)
    assert run_tokens.value() == pytest.approx(4.0e10, rel=0.01)
    assert N.value() == pytest.approx(1.3e9 * math.exp(0.73 * math.log(C)), rel=1e-6)
    assert D.value() == pytest.approx(2e10 * math.exp(0.27 * math.log(C)), rel=1e-6)
    assert L.value() == pytest.approx(math.exp(0.050 * (math.log(3.1e8) - math.log(C))), rel=1e-6)
    assert N.value() == pytest.approx(6.98e9, rel=2e-3)
    assert D.value() == pytest.approx(3.72e10, rel=2e-3)
    assert L.value() == pytest.approx(2.37, rel=2e-3)


def test_frontier_experiment():
    exponent, ratio = answers("ex-scaling-laws-frontier-experiment")
    aN, aS, aB = 0.076, 0.76, 0.21
    Nc, Sc, Bs = 8.8e13, 2.1e3, 2.1e8

    def loss(N, C):
        u = (Nc / N) ** aN
        k = (6 * Bs * Sc * N / C) ** aS
        return bisect(lambda L: L - u - k * L ** (-aS / aB), u, u + k * u ** (-aS / aB), 100)

    def best(C):                                    # golden-section search in ln N
        return golden_argmin(lambda x: loss(math.exp(x), C), math.log(1e4), math.log(1e14), 120)

    x1, x2 = best(1e19), best(1e23)
    assert exponent.value() == pytest.approx((x2 - x1) / (math.log(1e23) - math.log(1e19)), rel=1e-3)
    N = math.exp(x2)
    assert ratio.value() == pytest.approx(loss(N, 1e23) / (Nc / N) ** aN, rel=1e-4)
