"""Numerical checks of the Chinchilla chapter."""

import numpy as np
import pytest

# The printed constants of the paper's Eq. (10).
E, A, B, ALPHA, BETA = 1.69, 406.4, 410.7, 0.34, 0.28
GOPHER_BUDGET = 5.76e23


def _loss(n, d, e=E, a_=A, b_=B, alpha=ALPHA, beta=BETA):
    return e + a_ / n**alpha + b_ / d**beta


def _closed_form(c, a_=A, b_=B, alpha=ALPHA, beta=BETA):
    g = (alpha * a_ / (beta * b_)) ** (1.0 / (alpha + beta))
    a, b = beta / (alpha + beta), alpha / (alpha + beta)
    return g * (c / 6.0) ** a, (c / 6.0) ** b / g


def _argmin_slice(c, a_=A, b_=B, alpha=ALPHA, beta=BETA):
    """Minimise L(N, C/(6N)) over log N by a dense grid followed by golden-section search."""
    x = np.linspace(np.log(1e3), np.log(1e16), 20001)
    f = a_ * np.exp(-alpha * x) + b_ * (6.0 / c) ** beta * np.exp(beta * x)
    i = int(np.argmin(f))
    lo, hi = x[max(i - 1, 0)], x[min(i + 1, len(x) - 1)]
    phi = (np.sqrt(5.0) - 1.0) / 2.0

    def h(t):
        return a_ * np.exp(-alpha * t) + b_ * (6.0 / c) ** beta * np.exp(beta * t)

    for _ in range(200):
        m1, m2 = hi - phi * (hi - lo), lo + phi * (hi - lo)
        if h(m1) < h(m2):
            hi = m2
        else:
            lo = m1
    return np.exp(0.5 * (lo + hi))


@pytest.mark.equations(
    "chinchilla-frontier", "chinchilla-substitution", "chinchilla-isoflop", "chinchilla-problem",
    "chinchilla-flops",
)
def test_closed_form_matches_numerical_minimisation():
    rng = np.random.default_rng(0)
    cases = [(A, B, ALPHA, BETA)] + [
        (rng.uniform(50, 2000), rng.uniform(50, 2000), rng.uniform(0.1, 0.6), rng.uniform(0.1, 0.6))
        for _ in range(5)
    ]
    for a_, b_, alpha, beta in cases:
        for c in (1e19, 1e21, GOPHER_BUDGET, 1e26):
            n_cf, d_cf = _closed_form(c, a_, b_, alpha, beta)
            n_num = _argmin_slice(c, a_, b_, alpha, beta)
            np.testing.assert_allclose(n_num, n_cf, rtol=1e-6)
            np.testing.assert_allclose(6.0 * n_cf * d_cf, c, rtol=1e-12)  # on the constraint
            # Nearby allocations on the same budget are worse.
            best = _loss(n_cf, d_cf, 0.0, a_, b_, alpha, beta)
            for factor in (0.9, 1.1):
                n = factor * n_cf
                assert _loss(n, c / (6.0 * n), 0.0, a_, b_, alpha, beta) > best


@pytest.mark.equations(
    "chinchilla-lagrangian", "chinchilla-balance", "chinchilla-optimal-loss", "chinchilla-frontier",
)
def test_lagrange_conditions_balance_and_envelope_theorem():
    for c in (1e20, GOPHER_BUDGET, 1e25):
        n, d = _closed_form(c)
        lam = ALPHA * A * n**-ALPHA / c
        # Stationarity of the Lagrangian in N and D with this multiplier.
        np.testing.assert_allclose(-ALPHA * A * n ** (-ALPHA - 1.0) + 6.0 * lam * d, 0.0, atol=1e-12 * lam * d)
        np.testing.assert_allclose(-BETA * B * d ** (-BETA - 1.0) + 6.0 * lam * n, 0.0, atol=1e-12 * lam * n)
        # The balance: exponent-weighted terms equal, each equal to lambda C.
        np.testing.assert_allclose(ALPHA * A / n**ALPHA, BETA * B / d**BETA, rtol=1e-10)
        np.testing.assert_allclose(ALPHA * A / n**ALPHA, lam * c, rtol=1e-12)
        # The optimal loss and its single compute exponent alpha beta / (alpha + beta).
        g = (ALPHA * A / (BETA * B)) ** (1.0 / (ALPHA + BETA))
        gamma = ALPHA * BETA / (ALPHA + BETA)
        l_star = E + (ALPHA + BETA) / BETA * A * g**-ALPHA * (c / 6.0) ** -gamma
        np.testing.assert_allclose(_loss(n, d), l_star, rtol=1e-12)
        # The parameter term carries the fraction a of the reducible loss.
        np.testing.assert_allclose((A / n**ALPHA) / (l_star - E), BETA / (ALPHA + BETA), rtol=1e-10)
        # Envelope theorem: dL*/dC = -lambda.
        h = 1e-6 * c

        def lopt(cc):
            return _loss(*_closed_form(cc))

        np.testing.assert_allclose((lopt(c + h) - lopt(c - h)) / (2 * h), -lam, rtol=1e-6)


@pytest.mark.equations("chinchilla-fitted", "chinchilla-frontier", "chinchilla-ratio", "chinchilla-power-fit")
def test_printed_constants_exponents_and_tokens_per_parameter():
    a, b = BETA / (ALPHA + BETA), ALPHA / (ALPHA + BETA)
    assert round(a, 3) == 0.452 and round(b, 3) == 0.548 and a + b == pytest.approx(1.0)
    # Table 2 prints a = 0.46 with range (0.454, 0.455): inside what two-digit rounding allows.
    corners = [bb / (aa + bb) for aa in (0.335, 0.345) for bb in (0.275, 0.285)]
    assert min(corners) < 0.454 < 0.455 < max(corners)
    assert round(min(corners), 3) == 0.444 and round(max(corners), 3) == 0.460
    # At Gopher's budget the printed constants give about 32B parameters, 3.0T tokens, 93 tokens/param.
    n, d = _closed_form(GOPHER_BUDGET)
    g = (ALPHA * A / (BETA * B)) ** (1.0 / (ALPHA + BETA))
    assert round(g, 3) == 1.345
    assert 31.5e9 < n < 32.5e9 and 2.95e12 < d < 3.05e12 and 92 < d / n < 94
    # Over the corners of the two-digit rounding box the Gopher optimum spans about 22B to 47B, which
    # contains the 40B of the paper's Figure 4, while G itself stays between 1.28 and 1.42.
    box = [(al, be) for al in (0.335, 0.345) for be in (0.275, 0.285)]
    n_box = [_closed_form(GOPHER_BUDGET, A, B, al, be)[0] for al, be in box]
    g_box = [(al * A / (be * B)) ** (1.0 / (al + be)) for al, be in box]
    assert 21e9 < min(n_box) < 23e9 and 46e9 < max(n_box) < 48e9 and min(n_box) < 40e9 < max(n_box)
    assert 1.27 < min(g_box) and max(g_box) < 1.42
    # The ratio formula, and its compute exponent (alpha - beta) / (alpha + beta) = 0.097.
    for c in (1e20, 1e24):
        nn, dd = _closed_form(c)
        np.testing.assert_allclose(dd / nn, g**-2 * (c / 6.0) ** (b - a), rtol=1e-12)
    n1, d1 = _closed_form(1e20)
    n2, d2 = _closed_form(1e24)
    slope = np.log((d2 / n2) / (d1 / n1)) / np.log(1e4)
    np.testing.assert_allclose(slope, (ALPHA - BETA) / (ALPHA + BETA), rtol=1e-10)
    assert round(slope, 3) == 0.097
    # Equal exponents give a constant ratio (corollary).
    r = [np.divide(*_closed_form(c, A, B, 0.3, 0.3)[::-1]) for c in (1e18, 1e22, 1e26)]
    np.testing.assert_allclose(r, r[0], rtol=1e-10)


@pytest.mark.equations("chinchilla-flops", "chinchilla-ratio", "chinchilla-power-fit")
def test_table3_projections_give_about_twenty_tokens_per_parameter():
    # Table 3 (Approach 1): parameters, FLOPs, tokens.
    rows = np.array([
        [400e6, 1.92e19, 8.0e9], [1e9, 1.21e20, 20.2e9], [10e9, 1.23e22, 205.1e9],
        [67e9, 5.76e23, 1.5e12], [175e9, 3.85e24, 3.7e12], [280e9, 9.90e24, 5.9e12],
        [520e9, 3.43e25, 11.0e12], [1e12, 1.27e26, 21.2e12], [10e12, 1.30e28, 216.2e12],
    ])
    n, c, d = rows.T
    ratio = c / (6.0 * n**2)
    assert np.all((ratio > 19.9) & (ratio < 21.8))
    np.testing.assert_allclose(np.round(ratio, 1), [20.0, 20.2, 20.5, 21.4, 21.0, 21.0, 21.1, 21.2, 21.7])
    # The printed tokens agree with C / (6N) to the rounding of the table, except the 67B row.
    rel = np.abs(d - c / (6.0 * n)) / d
    assert np.all(np.delete(rel, 3) < 0.03) and rel[3] < 0.05
    # A log-log fit of N on C over the table gives an exponent near 1/2, as Approach 1 reports.
    slope = np.polyfit(np.log(c), np.log(n), 1)[0]
    assert 0.49 < slope < 0.50
    # Table A3, Approach 2: the ratio C / (6 N^2) runs from about 19 to 29.
    n2 = np.array([400e6, 1e9, 10e9, 67e9, 175e9, 280e9, 520e9, 1e12, 10e12])
    c2 = np.array([1.84e19, 1.20e20, 1.32e22, 6.88e23, 4.54e24, 1.18e25, 4.19e25, 1.59e26, 1.75e28])
    r2 = c2 / (6.0 * n2**2)
    assert round(r2.min()) == 19 and round(r2.max()) == 29
    # Chinchilla itself: 1.4T tokens for 70B parameters.
    assert 1.4e12 / 70e9 == pytest.approx(20.0)
    # Table A3, Approach 3, 175B row: 6 N D with the printed 12.0T tokens is 1.26e25, not 1.26e24.
    np.testing.assert_allclose(6 * 175e9 * 12.0e12, 1.26e25, rtol=1e-3)


@pytest.mark.equations("chinchilla-fitted", "chinchilla-parametric", "chinchilla-balance", "chinchilla-kaplan-allocation")
def test_fitted_loss_at_chinchilla_gopher_and_the_1e21_comparison():
    chin, gopher = _loss(70e9, 1.4e12), _loss(280e9, 300e9)
    assert round(chin, 3) == 1.937 and round(gopher, 3) == 1.993 and chin < gopher
    np.testing.assert_allclose([6 * 70e9 * 1.4e12, 6 * 280e9 * 300e9], [5.88e23, 5.04e23])
    # Gopher's data term is about five times its parameter term; at the optimum the ratio is alpha / beta.
    p_term, d_term = A / 280e9**ALPHA, B / 300e9**BETA
    assert round(p_term, 3) == 0.052 and round(d_term, 3) == 0.251 and 4.5 < d_term / p_term < 5.0
    assert round(A / 70e9**ALPHA, 3) == 0.083 and round(B / 1.4e12**BETA, 3) == 0.163
    n, d = _closed_form(GOPHER_BUDGET)
    np.testing.assert_allclose((B / d**BETA) / (A / n**ALPHA), ALPHA / BETA, rtol=1e-10)
    # App. D.4 at 1e21 FLOPs: the fitted law also prefers the 2.80B model to the 4.74B one.
    c = 1e21
    assert _loss(2.80e9, c / (6 * 2.80e9)) < _loss(4.74e9, c / (6 * 4.74e9))
    # Kaplan's rule: tokens per parameter fall as C^-0.46.
    nk = 4.68e9 * (np.array([1e21, 1e23]) / 1e21) ** 0.73
    dk = np.array([1e21, 1e23]) / (6 * nk)
    np.testing.assert_allclose(np.log((dk[1] / nk[1]) / (dk[0] / nk[0])) / np.log(100.0), -0.46, rtol=1e-10)


@pytest.mark.equations("chinchilla-isoflop", "chinchilla-isoflop-curvature")
def test_isoflop_slice_is_a_parabola_in_log_n_near_its_minimum():
    for c in (1e19, 1e21, GOPHER_BUDGET):
        n_opt, _ = _closed_form(c)
        x0 = np.log(n_opt)

        def slice_(x):
            return _loss(np.exp(x), c / (6.0 * np.exp(x)))

        h = 1e-3
        second = (slice_(x0 + h) - 2 * slice_(x0) + slice_(x0 - h)) / h**2
        curvature = (ALPHA + BETA) * ALPHA * A * n_opt**-ALPHA
        np.testing.assert_allclose(second, curvature, rtol=1e-5)
        # Strictly convex in log N on a wide range.
        x = np.linspace(x0 - 5, x0 + 5, 2001)
        assert np.all(np.diff(slice_(x), 2) > 0)
        # A parabola fitted to points within a factor e of the optimum locates it to within 2%.
        xs = np.linspace(x0 - 1.0, x0 + 1.0, 41) + 0.3
        coef = np.polyfit(xs, slice_(xs), 2)
        np.testing.assert_allclose(np.exp(-coef[1] / (2 * coef[0])), n_opt, rtol=0.02)
        # The valley is asymmetric when alpha != beta: the third derivative at the minimum is
        # alpha m (beta^2 - alpha^2) < 0 for alpha > beta, so a model a factor e too big costs less
        # than one a factor e too small; with alpha < beta the order flips.
        third = (slice_(x0 + 2 * h) - 2 * slice_(x0 + h) + 2 * slice_(x0 - h) - slice_(x0 - 2 * h)) / (2 * h**3)
        np.testing.assert_allclose(third, ALPHA * A * n_opt**-ALPHA * (BETA**2 - ALPHA**2), rtol=1e-3)
        assert slice_(x0 + 1.0) < slice_(x0 - 1.0)
        n_sw, _ = _closed_form(c, A, B, BETA, ALPHA)
        swapped = lambda x: _loss(np.exp(x), c / (6.0 * np.exp(x)), E, A, B, BETA, ALPHA)  # noqa: E731
        assert swapped(np.log(n_sw) + 1.0) > swapped(np.log(n_sw) - 1.0)


@pytest.mark.equations("chinchilla-lse", "chinchilla-huber", "chinchilla-huber-objective", "chinchilla-parametric")
def test_log_sum_exp_form_and_huber_loss():
    rng = np.random.default_rng(1)
    n = np.exp(rng.uniform(np.log(7e7), np.log(1.6e10), 50))
    d = np.exp(rng.uniform(np.log(5e9), np.log(5e11), 50))
    a, b, e = np.log(A), np.log(B), np.log(E)
    z = np.stack([a - ALPHA * np.log(n), b - BETA * np.log(d), np.full_like(n, e)])
    lse = z.max(axis=0) + np.log(np.sum(np.exp(z - z.max(axis=0)), axis=0))
    np.testing.assert_allclose(lse, np.log(_loss(n, d)), rtol=1e-12)

    delta = 1e-3

    def huber(r):
        return np.where(np.abs(r) <= delta, 0.5 * r**2, delta * (np.abs(r) - 0.5 * delta))

    r = np.linspace(-5e-3, 5e-3, 2001)
    grad = np.gradient(huber(r), r)
    inner = np.abs(np.abs(r) - delta) > 2 * (r[1] - r[0])
    np.testing.assert_allclose(grad[inner][1:-1], np.clip(r, -delta, delta)[inner][1:-1], atol=1e-9)
    # Continuous at the threshold, and the influence of any residual is capped at delta.
    np.testing.assert_allclose(huber(np.array([delta])), 0.5 * delta**2)
    assert np.max(np.abs(grad)) <= delta + 1e-12
    # Robustness: for the best constant offset c in log L = c + noise, one gross outlier moves the
    # Huber estimate far less than the least-squares estimate.
    res = rng.normal(0.0, 2e-4, 200)
    res[0] = 0.05
    grid = np.linspace(-2e-3, 2e-3, 4001)
    c_huber = grid[np.argmin([huber(res - g).sum() for g in grid])]
    c_ls = res.mean()
    assert abs(c_huber) < 5e-5 < abs(c_ls)
    # The initialisation grid of App. D.2 has 4500 points.
    grid_sizes = [len(np.arange(0, 2.01, 0.5))] * 2 + [len(np.arange(-1, 1.01, 0.5))] + [len(range(0, 26, 5))] * 2
    assert int(np.prod(grid_sizes)) == 4500


@pytest.mark.equations("chinchilla-kaplan-allocation", "scaling-laws-compute-optimal", "scaling-laws-smin-cmin")
def test_kaplan_4_68_billion_is_the_table6_law_at_c_equal_two_c_min():
    pf_day = 1e15 * 24 * 3600
    n_e, p_n = 1.3e9, 0.73
    # Training at the critical batch spends C = 2 C_min: at 1e21 FLOPs, C_min = 5e20 FLOPs.
    n_crit = n_e * (1e21 / 2 / pf_day) ** p_n
    assert round(n_crit / 1e9, 2) == 4.68
    # Taking the whole 1e21 FLOPs as C_min instead gives about 7.8 billion.
    n_all = n_e * (1e21 / pf_day) ** p_n
    assert round(n_all / 1e9, 1) == 7.8
    np.testing.assert_allclose(n_all / n_crit, 2.0**p_n, rtol=1e-12)


@pytest.mark.equations("chinchilla-frontier", "chinchilla-flops")
def test_approach3_ranges_must_mirror_and_section_3_4_arithmetic():
    # Approach 3: a = beta / (alpha + beta) and b = alpha / (alpha + beta) add to one in every refit,
    # so the 10th/90th percentiles of b are one minus the 90th/10th percentiles of a.
    rng = np.random.default_rng(2)
    alphas, betas = rng.normal(0.34, 0.003, 100), rng.normal(0.28, 0.003, 100)
    a, b = betas / (alphas + betas), alphas / (alphas + betas)
    np.testing.assert_allclose(np.percentile(b, [10, 90]), 1.0 - np.percentile(a, [90, 10]), atol=1e-12)
    mirrored = (round(1 - 0.455, 3), round(1 - 0.454, 3))
    assert mirrored == (0.545, 0.546) and mirrored != (0.542, 0.543)
    # Section 3.4: 175B on 4.2T tokens is 6ND = 4.41e24; 1e26 FLOPs is about 174 Gopher budgets, not > 250.
    np.testing.assert_allclose(6 * 175e9 * 4.2e12, 4.41e24, rtol=1e-3)
    assert 170 < 1e26 / GOPHER_BUDGET < 180
    # Table 3 prints 221.3 Gopher units for 1.27e26 FLOPs: equal within the rounding of 1.27.
    np.testing.assert_allclose(1.27e26 / GOPHER_BUDGET, 221.3, rtol=0.005 / 1.27)
