"""Checks of the stated answers of the exercises in papers/gan.md."""
import math

import numpy as np
import pytest

from exercises.answers import answer, answers

GRID = np.linspace(1e-7, 1 - 1e-7, 400001)


def test_weighted_discriminator():
    optimum, value_at_equality = answers("ex-gan-weighted-discriminator")
    for p, q, w in [(0.2, 0.5, 0.5), (1.3, 0.1, 0.3), (0.4, 0.4, 0.8)]:
        objective = w * p * np.log(GRID) + (1 - w) * q * np.log(1 - GRID)
        assert optimum.value(p=p, q=q, w=w) == pytest.approx(GRID[np.argmax(objective)], abs=1e-5)
    for w in [0.5, 0.1, 0.77]:
        # p_g = p_data: the pointwise problem has a = w p, b = (1 - w) p; integrate over a density
        best = np.max(w * np.log(GRID) + (1 - w) * np.log(1 - GRID))
        assert value_at_equality.value(w=w) == pytest.approx(best, abs=1e-9)


def _logistic_value(a, b, s, nodes, weights):
    # V(a, b) for p_data = N(0, 1), p_g = N(0, s^2), by Gauss-Hermite quadrature; a, b may be arrays
    a, b = np.asarray(a, dtype=float)[..., None], np.asarray(b, dtype=float)[..., None]
    u_real, u_fake = a * nodes + b, a * s * nodes + b
    real = np.sum(weights * -np.logaddexp(0.0, -u_real), axis=-1) / math.sqrt(2 * math.pi)
    fake = np.sum(weights * -np.logaddexp(0.0, u_fake), axis=-1) / math.sqrt(2 * math.pi)
    return real + fake


def test_logistic_discriminator_cannot_see_the_variance():
    stated = answer("ex-gan-logistic-discriminator")
    nodes, weights = np.polynomial.hermite_e.hermegauss(120)
    grid = np.linspace(-3, 3, 61)
    for s in [0.5, 2.0, 1.0]:
        a, b = np.meshgrid(grid, grid)
        best = float(np.max(_logistic_value(a, b, s, nodes, weights)))
        assert stated.value() == pytest.approx(best, abs=1e-9)
    # the unrestricted criterion is larger for s = 2 (2 JS > 0), so the restriction is what hides it
    x = np.linspace(-30, 30, 600001)
    p = np.exp(-x**2 / 2) / math.sqrt(2 * math.pi)
    q = np.exp(-x**2 / 8) / math.sqrt(8 * math.pi)
    full = np.trapezoid(p * np.log(p / (p + q)) + q * np.log(q / (p + q)), x)
    assert full > stated.value() + 0.05


def test_parzen_table():
    mnist, tfd = answers("ex-gan-parzen-table")
    assert mnist.value() == pytest.approx((225 - 214) / math.hypot(2, 1.1), abs=5e-3)
    assert tfd.value() == pytest.approx((2057 - 2110) / math.hypot(26, 50), abs=5e-3)


def test_js_of_two_unit_gaussians():
    stated = answer("ex-gan-js-estimate")
    x = np.linspace(-20, 21, 820001)
    p = np.exp(-x**2 / 2) / math.sqrt(2 * math.pi)
    q = np.exp(-(x - 1) ** 2 / 2) / math.sqrt(2 * math.pi)
    m = (p + q) / 2
    js = 0.5 * np.trapezoid(p * np.log(p / m), x) + 0.5 * np.trapezoid(q * np.log(q / m), x)
    assert stated.value() == pytest.approx(js, abs=1e-4)
