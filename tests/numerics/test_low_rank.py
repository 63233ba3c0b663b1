"""Numerical checks of the topic page source/topics/low-rank.md.

The quarter-circle law for the singular values of a square Gaussian matrix and the share of the
squared Frobenius norm kept by its best low-rank approximations; the rank-r chart whose free blocks
give the dimension r(d + k - r) of the fixed-rank manifold.
"""

import numpy as np
import pytest


def quarter_circle_share(frac, num=400_001):
    """Share of E[s^2] carried by the largest fraction `frac` of s under rho(s) = sqrt(4 - s^2)/pi."""
    s = np.linspace(0.0, 2.0, num)
    rho = np.sqrt(4 - s**2) / np.pi
    ds = s[1] - s[0]
    cdf = np.cumsum(rho) * ds
    i = np.searchsorted(cdf, 1 - frac)
    return (s[i:] ** 2 * rho[i:]).sum() * ds


@pytest.mark.equations("low-rank-quarter-circle", "low-rank-eckart-young", "low-rank-norms")
def test_gaussian_spectrum_is_quarter_circle_and_low_rank_share_is_small():
    s = np.linspace(0.0, 2.0, 400_001)
    rho = np.sqrt(4 - s**2) / np.pi
    ds = s[1] - s[0]
    assert np.isclose(rho.sum() * ds, 1.0, atol=1e-4)  # a density
    assert np.isclose((s**2 * rho).sum() * ds, 1.0, atol=1e-4)  # E s^2 = 1: ||M||_F^2 = d^2 on average
    assert np.isclose(quarter_circle_share(0.1), 0.31, atol=0.01)
    assert np.isclose(quarter_circle_share(0.5), 0.89, atol=0.01)
    rng = np.random.default_rng(0)
    d = 600
    sv = np.linalg.svd(rng.standard_normal((d, d)), compute_uv=False)
    # the scaled singular values fill [0, 2] with the quarter-circle histogram
    hist, edges = np.histogram(sv / np.sqrt(d), bins=10, range=(0, 2), density=True)
    mid = 0.5 * (edges[:-1] + edges[1:])
    assert np.max(np.abs(hist - np.sqrt(4 - mid**2) / np.pi)) < 0.06
    # Eckart-Young: the rank-d/10 truncation keeps about 31% of the squared Frobenius norm
    share = (sv[: d // 10] ** 2).sum() / (sv**2).sum()
    assert abs(share - 0.31) < 0.015
    assert np.isclose(np.sqrt(1 - share), 0.83, atol=0.01)
    # and the rank-d/2 truncation about 89%
    assert abs((sv[: d // 2] ** 2).sum() / (sv**2).sum() - 0.89) < 0.01
    # a flat spectrum would give 10%; the Gaussian matrix is not flat
    assert share > 0.25


@pytest.mark.equations("low-rank-params")
def test_fixed_rank_chart_has_r_times_d_plus_k_minus_r_free_entries():
    rng = np.random.default_rng(1)
    d, k, r = 9, 7, 3
    M11, M12, M21 = rng.standard_normal((r, r)), rng.standard_normal((r, k - r)), rng.standard_normal((d - r, r))
    M22 = M21 @ np.linalg.solve(M11, M12)
    M = np.block([[M11, M12], [M21, M22]])
    assert np.linalg.matrix_rank(M) == r
    # perturbing the constrained block raises the rank
    assert np.linalg.matrix_rank(np.block([[M11, M12], [M21, M22 + 1e-3 * rng.standard_normal(M22.shape)]])) > r
    # the tangent space of the chart has dimension r(d + k - r): the differential of
    # (M11, M12, M21) -> M is injective
    def embed(p):
        a = p[: r * r].reshape(r, r)
        b = p[r * r : r * r + r * (k - r)].reshape(r, k - r)
        c = p[r * r + r * (k - r) :].reshape(d - r, r)
        return np.block([[a, b], [c, c @ np.linalg.solve(a, b)]]).ravel()

    p0 = np.concatenate([M11.ravel(), M12.ravel(), M21.ravel()])
    h = 1e-6
    J = np.stack([(embed(p0 + h * e) - embed(p0 - h * e)) / (2 * h) for e in np.eye(p0.size)], axis=1)
    assert p0.size == r * (d + k - r)
    assert np.linalg.matrix_rank(J, tol=1e-6) == r * (d + k - r)


@pytest.mark.equations("low-rank-uniqueness-bound", "low-rank-eckart-young")
def test_projection_bound_and_unique_frobenius_minimiser():
    rng = np.random.default_rng(2)
    d, k, r = 8, 6, 2
    M = rng.standard_normal((d, k))
    U, s, Vt = np.linalg.svd(M, full_matrices=False)
    Mr = (U[:, :r] * s[:r]) @ Vt[:r]
    for t in range(200):
        # random rank-r projections, half of them close to the optimal one
        scale = 1.0 if t % 2 else 1e-3
        Q, _ = np.linalg.qr(U[:, :r] + scale * rng.standard_normal((d, r)))
        P = Q @ Q.T
        w = np.sum((P @ U) ** 2, axis=0)
        lhs = np.sum(s**2 * w)
        assert np.isclose(lhs, np.trace(P @ M @ M.T))
        rhs = np.sum(s[:r] ** 2) - np.sum((s[:r] ** 2 - s[r] ** 2) * (1 - w[:r]))
        assert lhs <= rhs + 1e-10
        # the projected matrix PM is never better than M_r, and strictly worse unless P projects onto u_1..u_r
        assert np.linalg.norm(M - P @ M) > np.linalg.norm(M - Mr) + 1e-9
    P = U[:, :r] @ U[:, :r].T
    assert np.allclose(P @ M, Mr)
    w = np.sum((P @ U) ** 2, axis=0)
    rhs = np.sum(s[:r] ** 2) - np.sum((s[:r] ** 2 - s[r] ** 2) * (1 - w[:r]))
    assert np.isclose(np.sum(s**2 * w), rhs)  # the bound is attained by M_r
