"""Checks of the stated answers of the exercises in topics/score-matching.md."""
import math

import numpy as np
import pytest

from exercises.answers import answer, answers


def test_ism_precision_by_explicit_score_matching():
    stated = answer("ex-score-matching-ism-precision")
    # smooth non-Gaussian data: a two-component Gaussian mixture; minimise the explicit objective
    x = np.linspace(-12, 12, 240001)
    comp = lambda m, s: np.exp(-(x - m) ** 2 / (2 * s**2)) / (s * math.sqrt(2 * math.pi))
    p = 0.3 * comp(-1.0, 0.5) + 0.7 * comp(1.5, 0.8)
    score = np.gradient(np.log(p), x)
    v = np.trapezoid(x**2 * p, x)
    # the explicit objective is the quadratic 0.5 * (t^2 v + 2 t E[x score] + E[score^2]) in t
    cross = np.trapezoid(x * score * p, x)
    best = -cross / v
    esm = lambda t: 0.5 * np.trapezoid(p * (-t * x - score) ** 2, x)
    assert esm(best) < min(esm(best - 0.01), esm(best + 0.01))
    assert stated.value(v=v) == pytest.approx(best, rel=1e-4)


def test_tweedie_for_a_gaussian_prior():
    stated = answer("ex-score-matching-tweedie-gaussian")
    x = np.linspace(-30, 30, 600001)
    for tau, sigma, xt in [(1.0, 0.5, 0.8), (2.0, 3.0, -1.7)]:
        post = np.exp(-x**2 / (2 * tau**2) - (xt - x) ** 2 / (2 * sigma**2))
        mean = np.trapezoid(x * post, x) / np.trapezoid(post, x)
        assert stated.value(tau=tau, sigma=sigma, xt=xt) == pytest.approx(mean, rel=1e-8)


def test_boundary_terms_change_the_minimiser():
    esm_min, ism_min = answers("ex-score-matching-boundary")
    x = np.linspace(0, 1, 100001)
    model = lambda t: -t * (x - 0.5)
    # both objectives are quadratics a t^2 + b t + c; read a, b off three evaluations by quadrature
    def minimiser(objective):
        f0, f1, fm = objective(0.0), objective(1.0), objective(-1.0)
        a, b = (f1 + fm - 2 * f0) / 2, (f1 - fm) / 2
        return -b / (2 * a)
    esm = lambda t: 0.5 * np.trapezoid((model(t) - 0.0) ** 2, x)          # data score is 0 on (0, 1)
    ism = lambda t: np.trapezoid(np.gradient(model(t), x) + 0.5 * model(t) ** 2, x)
    assert esm_min.value() == pytest.approx(minimiser(esm), abs=1e-6)
    assert ism_min.value() == pytest.approx(minimiser(ism), rel=1e-6)


def test_stationary_variance_of_unadjusted_langevin():
    closed_form, at_half = answers("ex-score-matching-ula-bias")
    for eps in [0.5, 0.1, 1.7]:
        v = 1.0
        for _ in range(5000):
            v = (1 - eps / 2) ** 2 * v + eps
        assert closed_form.value(eps=eps) == pytest.approx(v, rel=1e-10)
    v = 1.0
    for _ in range(5000):
        v = 0.75**2 * v + 0.5
    assert at_half.value() == pytest.approx(v, rel=1e-10)
