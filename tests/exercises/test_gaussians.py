"""Checks of the stated answers of the exercises in topics/gaussians.md."""
import math

import numpy as np
import pytest

from exercises.answers import answers
from exercises.roots import golden_argmin


def _kl_1d(m0, s0sq, m1, s1sq):
    # KL(N(m0, s0sq) || N(m1, s1sq)) by quadrature
    x = np.linspace(m0 - 14 * math.sqrt(s0sq), m0 + 14 * math.sqrt(s0sq), 200001)
    log0 = -0.5 * np.log(2 * np.pi * s0sq) - (x - m0) ** 2 / (2 * s0sq)
    log1 = -0.5 * np.log(2 * np.pi * s1sq) - (x - m1) ** 2 / (2 * s1sq)
    return np.trapezoid(np.exp(log0) * (log0 - log1), x)


def _kl_hermite(m0, s0sq, m1, s1sq):
    # KL(N(m0, s0sq) || N(m1, s1sq)) as E_0[log p0 - log p1] by Gauss-Hermite quadrature
    nodes, weights = np.polynomial.hermite_e.hermegauss(20)
    x = m0 + math.sqrt(s0sq) * nodes
    log0 = -0.5 * np.log(2 * np.pi * s0sq) - (x - m0) ** 2 / (2 * s0sq)
    log1 = -0.5 * np.log(2 * np.pi * s1sq) - (x - m1) ** 2 / (2 * s1sq)
    return float(np.sum(weights * (log0 - log1)) / math.sqrt(2 * math.pi))


def test_best_variance():
    argmin, minimum = answers("ex-gaussians-best-variance")
    for m0, s0, m1 in [(0.0, 1.0, 0.5), (2.0, 0.3, -1.0)]:
        # minimise the divergence, computed by quadrature, over the variance
        best = golden_argmin(lambda v: _kl_hermite(m0, s0**2, m1, v), 1e-3, 20.0, 60)
        assert argmin.value(m0=m0, s0=s0, m1=m1) == pytest.approx(best, rel=1e-4)
        v = argmin.value(m0=m0, s0=s0, m1=m1)
        assert minimum.value(m0=m0, s0=s0, m1=m1) == pytest.approx(_kl_1d(m0, s0**2, m1, v), rel=1e-6)
        assert _kl_1d(m0, s0**2, m1, 1.05 * v) > _kl_1d(m0, s0**2, m1, v)


def test_product_of_two_densities():
    C, c, factor = answers("ex-gaussians-product")
    x = np.linspace(-20, 20, 400001)
    prod = (np.exp(-(x - 1) ** 2 / 4) / math.sqrt(4 * math.pi)) * (np.exp(-(x - 3) ** 2 / 2) / math.sqrt(2 * math.pi))
    z = np.trapezoid(prod, x)
    mean = np.trapezoid(x * prod, x) / z
    var = np.trapezoid((x - mean) ** 2 * prod, x) / z
    assert factor.value() == pytest.approx(z, rel=1e-8)
    assert c.value() == pytest.approx(mean, rel=1e-8)
    assert C.value() == pytest.approx(var, rel=1e-7)


def test_gaussian_marginals_without_joint_gaussianity():
    atom, conditional_variance = answers("ex-gaussians-not-jointly")
    rng = np.random.default_rng(5)
    n = 400000
    x = rng.normal(size=n)
    s = rng.choice([-1.0, 1.0], size=n)
    y = s * x
    assert atom.value() == pytest.approx(np.mean(x + y == 0.0), abs=5e-3)
    for centre in [0.5, 1.5]:
        near = np.abs(y - centre) < 0.02
        assert conditional_variance.value(y=centre) == pytest.approx(np.mean(x[near] ** 2), rel=0.05)


def test_conditioning_by_regression():
    slope, variance = answers("ex-gaussians-conditioning-regression")
    precision = np.linalg.inv(np.array([[2.0, 1.2], [1.2, 1.0]]))
    # conditional of x_a given x_b from the precision matrix: variance 1/L_aa, slope -L_ab/L_aa
    assert variance.value() == pytest.approx(1 / precision[0, 0], rel=1e-12)
    assert slope.value() == pytest.approx(-precision[0, 1] / precision[0, 0], rel=1e-12)
