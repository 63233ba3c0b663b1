"""Checks of the stated answers of the exercises of the Chinchilla chapter."""

import math

import numpy as np
import pytest

from exercises.answers import answers
from exercises.roots import golden_argmin

E, A, B, ALPHA, BETA = 1.69, 406.4, 410.7, 0.34, 0.28


def loss(N, D, E=E, A=A, B=B, alpha=ALPHA, beta=BETA):
    return E + A * N ** -alpha + B * D ** -beta


def argmin_slice(C, E=E, A=A, B=B, alpha=ALPHA, beta=BETA, overhead=0.0):
    """Minimise the loss on D = C / (6 (N + overhead)) by golden-section search in ln N."""
    f = lambda x: loss(math.exp(x), C / (6 * (math.exp(x) + overhead)), E, A, B, alpha, beta)
    return math.exp(golden_argmin(f, 0.0, 80.0, 200))


def test_misallocation():
    closed, at4, at_quarter = answers("ex-chinchilla-misallocation")
    for (Ev, Av, Bv, al, be), C, kappa in [((1.69, 406.4, 410.7, 0.34, 0.28), 1e22, 3.0),
                                         ((0.5, 50.0, 900.0, 0.2, 0.45), 1e20, 0.3)]:
        n_opt = argmin_slice(C, Ev, Av, Bv, al, be)
        best = loss(n_opt, C / (6 * n_opt), Ev, Av, Bv, al, be)
        N = kappa * n_opt
        ratio = (loss(N, C / (6 * N), Ev, Av, Bv, al, be) - Ev) / (best - Ev)
        assert closed.value(kappa=kappa, alpha=al, beta=be) == pytest.approx(ratio, rel=1e-6)
    for stated, kappa in [(at4, 4.0), (at_quarter, 0.25)]:
        n_opt = argmin_slice(5.76e23)
        best = loss(n_opt, 5.76e23 / (6 * n_opt))
        N = kappa * n_opt
        assert stated.value() == pytest.approx((loss(N, 5.76e23 / (6 * N)) - E) / (best - E), rel=1e-6)


def test_overhead_local_exponent():
    closed, at_n0 = answers("ex-chinchilla-overhead")
    N0 = 1e9
    for C in [1e19, 1e21, 1e23]:
        h = 1e-3
        n1 = argmin_slice(C, overhead=N0)
        n2 = argmin_slice(C * math.exp(h), overhead=N0)
        slope = (math.log(n2) - math.log(n1)) / h
        assert closed.value(alpha=ALPHA, beta=BETA, N=n1, N0=N0) == pytest.approx(slope, rel=2e-3)
    # the budget at which N_opt = N0, found numerically, and the slope there
    lo, hi = math.log(1e15), math.log(1e27)
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if argmin_slice(math.exp(mid), overhead=N0) < N0:
            lo = mid
        else:
            hi = mid
    C = math.exp(0.5 * (lo + hi))
    h = 1e-3
    slope = (math.log(argmin_slice(C * math.exp(h), overhead=N0)) - math.log(argmin_slice(C * math.exp(-h), overhead=N0))) / (2 * h)
    assert at_n0.value() == pytest.approx(slope, rel=2e-3)


def test_gopher_budget():
    L_star, L_gopher = answers("ex-chinchilla-gopher-budget")
    C = 5.76e23
    n_opt = argmin_slice(C)
    assert L_star.value() == pytest.approx(loss(n_opt, C / (6 * n_opt)), abs=2e-4)
    assert L_gopher.value() == pytest.approx(loss(2.8e11, C / (6 * 2.8e11)), abs=2e-4)


def test_parabola_vertex():
    stated = answers("ex-chinchilla-parabola")[0]
    C = 5.76e23
    n_opt = argmin_slice(C)
    x = np.log(n_opt) + np.linspace(-2.0, 2.0, 9)
    y = loss(np.exp(x), C / (6 * np.exp(x)))
    u = x - x.mean()                                 # normal equations of the quadratic fit
    M = np.stack([np.ones_like(u), u, u ** 2], axis=1)
    c0, c1, c2 = np.linalg.solve(M.T @ M, M.T @ y)
    vertex = x.mean() - c1 / (2 * c2)
    assert stated.value() == pytest.approx(math.exp(vertex) / n_opt, abs=2e-4)
