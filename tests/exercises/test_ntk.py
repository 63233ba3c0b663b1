"""Checks of the stated answers of the exercises of papers/ntk: recursions evaluated by quadrature."""

import math

import numpy as np
import pytest
from exercises.answers import answer, answers

NODES, WEIGHTS = np.polynomial.legendre.leggauss(40)


def gauss2(fun_u, fun_v, s11, s12, s22, degree):
    """E[fun_u(u) fun_v(v)] for a centred Gaussian (u, v) with the given covariance.

    The functions are positively homogeneous of total degree ``degree`` and smooth away from 0;
    writing the standard Gaussian behind (u, v) in polar coordinates, the radius contributes
    E[R^degree] = 2^(degree/2) Gamma(1 + degree/2), and the angle is integrated by Gauss-Legendre
    quadrature on each arc between the zeros of u and of v, where the integrand is smooth.
    """
    r = s12 / math.sqrt(s11 * s22)
    q = math.sqrt(max(1 - r * r, 0.0))
    # u = sqrt(s11) cos(t) vanishes at t = pi/2, 3pi/2; v ~ r cos(t) + q sin(t) at atan2(-r, q) (+ pi)
    zero_v = math.atan2(-r, q) % math.pi
    cuts = np.unique(np.array([0.0, math.pi / 2, 3 * math.pi / 2, zero_v, zero_v + math.pi, 2 * math.pi]))
    total = 0.0
    for a, b in zip(cuts[:-1], cuts[1:]):
        t = (a + b) / 2 + (b - a) / 2 * NODES
        u = math.sqrt(s11) * np.cos(t)
        v = math.sqrt(s22) * (r * np.cos(t) + q * np.sin(t))
        total += (b - a) / 2 * float(np.sum(WEIGHTS * fun_u(u) * fun_v(v)))
    radial = 2 ** (degree / 2) * math.gamma(1 + degree / 2)
    return radial * total / (2 * math.pi)


def limit_ntk(x, xp, depth, beta, sigma, dsigma, degree=1):
    """Theta_infinity^(depth)(x, x') from the recursions ntk-nngp-recursion and ntk-limit-recursion."""
    n0 = len(x)
    s11, s12, s22 = x @ x / n0 + beta**2, x @ xp / n0 + beta**2, xp @ xp / n0 + beta**2
    theta = s12
    for _ in range(depth - 1):
        e12 = gauss2(sigma, sigma, s11, s12, s22, 2 * degree)
        e11 = gauss2(sigma, sigma, s11, s11, s11, 2 * degree)
        e22 = gauss2(sigma, sigma, s22, s22, s22, 2 * degree)
        d12 = gauss2(dsigma, dsigma, s11, s12, s22, 2 * degree - 2)
        theta = theta * d12 + e12 + beta**2
        s11, s12, s22 = e11 + beta**2, e12 + beta**2, e22 + beta**2
    return theta


def relu(u):
    return np.maximum(u, 0.0)


def step(u):
    return (u > 0).astype(float)


def test_relu_diagonal():
    stated = answer("ex-ntk-relu-diagonal")
    for x, beta in [(np.array([1.0, 0.0]), 0.1), (np.array([0.3, -2.0, 1.1]), 0.7)]:
        computed = limit_ntk(x, x, 2, beta, relu, step)
        assert stated.value(r=math.sqrt(x @ x), n0=len(x), beta=beta) == pytest.approx(computed, rel=1e-6)


def test_identity_nonlinearity_kernel():
    stated = answer("ex-ntk-polynomial-degenerate")
    ident, one = (lambda u: u), (lambda u: np.ones_like(u))
    for x, xp, beta, depth in [([1.0, 0.0], [0.6, 0.8], 0.1, 1), ([1.0, 0.0], [0.6, 0.8], 0.1, 4),
                               ([0.2, -1.0, 0.5], [1.5, 0.3, -0.4], 0.9, 3)]:
        x, xp = np.array(x), np.array(xp)
        computed = limit_ntk(x, xp, depth, beta, ident, one)
        assert stated.value(L=depth, rho=x @ xp, n0=len(x), beta=beta) == pytest.approx(computed, rel=1e-8)
    # the four points of the solution give a singular Gram matrix
    pts = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
    gram = np.array([[stated.value(L=3, rho=a @ b, n0=2, beta=0.1) for b in pts] for a in pts])
    assert abs(np.linalg.det(gram)) < 1e-12


def test_parameter_count():
    stated = answers("ex-ntk-parameter-count")
    counts = []
    for n in (500, 10000):
        widths = [2, n, n, n, 1]
        counts.append(sum((widths[i] + 1) * widths[i + 1] for i in range(4)))
    assert [a.value() for a in stated] == counts


def test_eigen_times():
    stated = answers("ex-ntk-eigen-times")
    lam1, lam2, lam3 = 0.0457, 0.00108, 0.00078
    # time for 0.5 exp(-lam2 t) to reach 0.05, by bisection
    lo, hi = 0.0, 1e5
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if 0.5 * math.exp(-lam2 * mid) > 0.05 else (lo, mid)
    assert stated[0].value() == pytest.approx(lo, rel=1e-9)
    time1 = math.log(10) / lam1
    time3 = math.log(10) / lam3
    assert stated[1].value() == pytest.approx(time3 / time1, rel=1e-9)


def test_empirical_kernel_limit():
    stated = answer("ex-ntk-empirical-kernel")
    computed = limit_ntk(np.array([1.0, 0.0]), np.array([0.0, 1.0]), 2, 0.1, relu, step)
    assert stated.value() == pytest.approx(computed, rel=1e-6)
