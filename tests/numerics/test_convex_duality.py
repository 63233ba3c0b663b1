"""Numerical checks of the topic page source/topics/convex-duality.md.

Closed-form conjugates against a brute-force supremum, the Fenchel-Young inequality and its equality
case, biconjugation of a convex function on a grid, and the QP dual written through the conjugate of
the objective (and in expanded form) against a direct minimisation of the Lagrangian.
"""

import numpy as np
import pytest

U = np.linspace(1e-6, 60.0, 600_001)  # grid over the domain u > 0


def conj_numeric(f, t):
    return np.max(t * U - f(U))


@pytest.mark.equations("convex-duality-conjugate", "convex-duality-conjugate-examples")
def test_closed_form_conjugates_match_brute_force_supremum():
    ulogu = lambda u: u * np.log(u)  # noqa: E731
    neglog = lambda u: -np.log(u)  # noqa: E731
    for t in (-2.0, -0.5, 0.0, 0.7, 1.5, 3.0):
        assert np.isclose(conj_numeric(ulogu, t), np.exp(t - 1), rtol=1e-6, atol=1e-9)
    for t in (-3.0, -1.0, -0.2):
        assert np.isclose(conj_numeric(neglog, t), -1 - np.log(-t), rtol=1e-6, atol=1e-6)
    # for t >= 0 the supremum of t u + log u is unbounded: it grows with the end of the grid
    assert conj_numeric(neglog, 0.0) > 4.0
    # quadratic: maximise y.x - f(x) by solving P x = y - c
    rng = np.random.default_rng(0)
    A = rng.standard_normal((4, 4))
    P, c, y = A @ A.T + np.eye(4), rng.standard_normal(4), rng.standard_normal(4)
    f = lambda x: 0.5 * x @ P @ x + c @ x  # noqa: E731
    x_star = np.linalg.solve(P, y - c)
    closed = 0.5 * (y - c) @ np.linalg.solve(P, y - c)
    assert np.isclose(y @ x_star - f(x_star), closed)
    for _ in range(100):  # no other point does better
        x = x_star + rng.standard_normal(4)
        assert y @ x - f(x) <= closed + 1e-12


@pytest.mark.equations("convex-duality-fenchel-young", "convex-duality-biconjugate")
def test_fenchel_young_and_biconjugation():
    rng = np.random.default_rng(1)
    f = lambda u: u * np.log(u)  # noqa: E731
    fstar = lambda t: np.exp(t - 1)  # noqa: E731
    for _ in range(200):
        u, t = rng.uniform(0.01, 10.0), rng.uniform(-5.0, 5.0)
        assert f(u) + fstar(t) >= t * u - 1e-12
    # equality exactly at t = f'(u) = 1 + log u
    for u in (0.1, 1.0, 4.0):
        t = 1 + np.log(u)
        assert np.isclose(f(u) + fstar(t), t * u)
        assert f(u) + fstar(t + 0.3) > (t + 0.3) * u + 1e-6
    # f** = f: the supremum over slopes recovers f on a grid of points
    T = np.linspace(-20.0, 10.0, 300_001)
    for u in (0.05, 0.5, 1.0, 3.0, 7.0):
        assert np.isclose(np.max(T * u - fstar(T)), f(u), atol=1e-6)
    # for a non-convex function the biconjugate is strictly below it somewhere
    g = lambda u: (u - 1) ** 2 * (u - 3) ** 2  # noqa: E731
    Ug = np.linspace(-2.0, 6.0, 8001)
    gstar = np.array([np.max(t * Ug - g(Ug)) for t in np.linspace(-50, 50, 2001)])
    gss_at_2 = np.max(np.linspace(-50, 50, 2001) * 2.0 - gstar)
    assert gss_at_2 < g(2.0) - 0.5


@pytest.mark.equations("convex-duality-dual-conjugate", "convex-duality-qp", "convex-duality-qp-expanded", "convex-duality-qp-derivation")
def test_qp_dual_from_conjugate_matches_lagrangian_and_weak_duality():
    rng = np.random.default_rng(2)
    n, m = 5, 7
    A0 = rng.standard_normal((n, n))
    P, c = A0 @ A0.T + 0.5 * np.eye(n), rng.standard_normal(n)
    A, e = rng.standard_normal((m, n)), rng.uniform(0.5, 2.0, m)  # x = 0 is strictly feasible
    Pinv = np.linalg.inv(P)
    for _ in range(20):
        lam = rng.uniform(0, 2, m)
        x_lam = -Pinv @ (c + A.T @ lam)
        direct = 0.5 * x_lam @ P @ x_lam + c @ x_lam + lam @ (A @ x_lam - e)
        u = -A.T @ lam
        fstar = 0.5 * (u - c) @ Pinv @ (u - c)
        via_conjugate = -e @ lam - fstar
        compact = -0.5 * (c + A.T @ lam) @ Pinv @ (c + A.T @ lam) - e @ lam
        expanded = (-0.5 * lam @ A @ Pinv @ A.T @ lam - lam @ A @ Pinv @ c - e @ lam
                    - 0.5 * c @ Pinv @ c)
        assert np.allclose([direct, via_conjugate, compact], expanded)
        # weak duality: below the objective at feasible points
        for _ in range(10):
            x = rng.standard_normal(n) * 0.1
            if np.all(A @ x <= e):
                assert expanded <= 0.5 * x @ P @ x + c @ x + 1e-12
    # with c != 0 the term lam^T A P^-1 c is present: dropping it changes the value
    lam = np.ones(m)
    assert not np.isclose(-0.5 * lam @ A @ Pinv @ A.T @ lam - e @ lam - 0.5 * c @ Pinv @ c,
                          -0.5 * (c + A.T @ lam) @ Pinv @ (c + A.T @ lam) - e @ lam)


@pytest.mark.equations("convex-duality-qp", "convex-duality-kkt", "convex-duality-complementary-slackness")
def test_qp_strong_duality_and_kkt_at_the_dual_solution():
    # a feasible QP (x = 0 is strictly feasible) with some constraints active at the optimum
    rng = np.random.default_rng(3)
    n, m = 4, 6
    A0 = rng.standard_normal((n, n))
    P, c = A0 @ A0.T + np.eye(n), 3.0 * rng.standard_normal(n)
    A, e = rng.standard_normal((m, n)), rng.uniform(0.2, 1.0, m)
    Pinv = np.linalg.inv(P)
    H, r = A @ Pinv @ A.T, A @ Pinv @ c + e  # dual: max -1/2 lam^T H lam - r^T lam - const
    lam = np.zeros(m)
    step = 1.0 / np.linalg.eigvalsh(H).max()
    for _ in range(20000):  # projected gradient ascent on lam >= 0
        lam = np.maximum(0.0, lam - step * (H @ lam + r))
    x = -Pinv @ (c + A.T @ lam)
    primal = 0.5 * x @ P @ x + c @ x
    dual = -0.5 * (c + A.T @ lam) @ Pinv @ (c + A.T @ lam) - e @ lam
    slack = A @ x - e
    assert np.all(slack <= 1e-8)                                  # primal feasibility
    assert np.all(lam >= 0.0) and np.any(lam > 1e-3)              # dual feasibility, some active
    assert np.max(np.abs(lam * slack)) < 1e-8                     # complementary slackness
    assert np.allclose(P @ x + c + A.T @ lam, 0.0)                # stationarity
    assert abs(primal - dual) < 1e-8                              # zero duality gap
    # no feasible point does better than x
    for _ in range(2000):
        z = x + 0.3 * rng.standard_normal(n)
        if np.all(A @ z <= e):
            assert 0.5 * z @ P @ z + c @ z >= primal - 1e-10
