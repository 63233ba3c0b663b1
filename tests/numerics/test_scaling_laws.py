"""Numerical checks of the scaling-laws chapter (source/papers/scaling-laws.md) and of the Machinery
pages it rests on (source/topics/transformer-accounting.md, source/topics/power-laws.md)."""

import math

import numpy as np
import pytest

# Table 5 of the paper (one-variable fits) and Table 6 (compute-efficient allocation, C_min in PF-days)
ALPHA_N, N_C = 0.076, 8.8e13
ALPHA_D, D_C = 0.095, 5.4e13
ALPHA_CMIN, C_CMIN = 0.050, 3.1e8
ALPHA_B, B_STAR = 0.21, 2.1e8
ALPHA_S, S_C = 0.76, 2.1e3
P_N, P_B, P_S, P_D = 0.73, 0.24, 0.03, 0.27
N_E, B_E, S_E, D_E = 1.3e9, 2.0e6, 5.4e3, 2e10
# Table 2 (joint fit of L(N, D))
J_ALPHA_N, J_ALPHA_D, J_N_C, J_D_C = 0.076, 0.103, 6.4e13, 1.8e13
PF_DAY = 1e15 * 24 * 3600


# ---------------------------------------------------------------- transformer accounting

class Counter:
    """Counts FLOPs of dense matrix products as 2 m k n (one multiply-add = 2 FLOPs)."""

    def __init__(self):
        self.flops = 0

    def mm(self, a, b):
        m, k = a.shape
        k2, n = b.shape
        assert k == k2
        self.flops += 2 * m * k * n
        return a @ b


def init_layer(rng, d_model, d_attn, d_ff):
    s = 1 / np.sqrt(d_model)
    return {
        "wq": rng.normal(0, s, (d_model, d_attn)), "wk": rng.normal(0, s, (d_model, d_attn)),
        "wv": rng.normal(0, s, (d_model, d_attn)), "wo": rng.normal(0, s, (d_attn, d_model)),
        "w1": rng.normal(0, s, (d_model, d_ff)), "w2": rng.normal(0, s, (d_ff, d_model)),
    }


def layernorm(x):
    return (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + 1e-5)


def layer_forward(x, w, n_heads, cnt, causal_only=True):
    """Pre-LN decoder layer on an (n_ctx, d_model) input; attention over allowed keys only if causal_only."""
    n, _ = x.shape
    h = layernorm(x)
    q, k, v = cnt.mm(h, w["wq"]), cnt.mm(h, w["wk"]), cnt.mm(h, w["wv"])
    d_attn = q.shape[1]
    dh = d_attn // n_heads
    out = np.zeros((n, d_attn))
    for head in range(n_heads):
        sl = slice(head * dh, (head + 1) * dh)
        for t in range(n):
            keys = t + 1 if causal_only else n
            s = cnt.mm(q[t:t + 1, sl], k[:keys, sl].T) / np.sqrt(dh)
            if not causal_only:
                s[0, t + 1:] = -np.inf
            p = np.exp(s - s.max())
            p /= p.sum()
            out[t:t + 1, sl] = cnt.mm(p, v[:keys, sl])
    x = x + cnt.mm(out, w["wo"])
    h = layernorm(x)
    return x + cnt.mm(np.maximum(cnt.mm(h, w["w1"]), 0), w["w2"])


@pytest.mark.equations("transformer-accounting-params", "transformer-accounting-flops-per-token",
                       "transformer-accounting-attention-causal", "scaling-laws-params",
                       "scaling-laws-flops-per-token")
def test_matmul_count_of_a_decoder_stack_matches_the_accounting():
    rng = np.random.default_rng(0)
    n_layer, n_ctx, n_heads = 2, 12, 2
    for d_model, d_attn, d_ff in [(16, 16, 64), (16, 8, 40)]:
        layers = [init_layer(rng, d_model, d_attn, d_ff) for _ in range(n_layer)]
        n_params = sum(a.size for w in layers for a in w.values())
        assert n_params == 2 * d_model * n_layer * (2 * d_attn + d_ff)
        if d_attn == d_model and d_ff == 4 * d_model:
            assert n_params == 12 * n_layer * d_model**2
        x = rng.normal(size=(n_ctx, d_model))
        for causal_only, attn_per_token in [(True, 2 * (n_ctx + 1) * d_attn), (False, 4 * n_ctx * d_attn)]:
            cnt = Counter()
            y = x
            for w in layers:
                y = layer_forward(y, w, n_heads, cnt, causal_only)
            assert cnt.flops == n_ctx * (2 * n_params + n_layer * attn_per_token)
            if causal_only:
                y_causal = y
        # both computations agree, and the output at position t does not depend on later tokens
        assert np.allclose(y, y_causal)
        x2 = x.copy()
        x2[-1] += 1.0
        y2 = x2
        for w in layers:
            y2 = layer_forward(y2, w, n_heads, Counter())
        assert np.allclose(y2[:-1], y_causal[:-1]) and not np.allclose(y2[-1], y_causal[-1])


@pytest.mark.equations("transformer-accounting-backward", "transformer-accounting-train",
                       "transformer-accounting-prop-train-bound", "scaling-laws-flops-per-token",
                       "scaling-laws-context-ratio")
def test_backward_of_a_matmul_costs_two_forward_products():
    rng = np.random.default_rng(1)
    m, k, n = 5, 4, 3
    x, w = rng.normal(size=(m, k)), rng.normal(size=(k, n))
    target = rng.normal(size=(m, n))

    def loss(x_, w_):
        return 0.5 * np.sum((x_ @ w_ - target) ** 2)

    cnt = Counter()
    y = cnt.mm(x, w)
    forward = cnt.flops
    g = y - target
    dw, dx = cnt.mm(x.T, g), cnt.mm(g, w.T)
    assert cnt.flops - forward == 2 * forward
    eps = 1e-6
    for (i, j) in [(0, 0), (2, 1), (3, 2)]:
        e = np.zeros_like(w)
        e[i, j] = eps
        assert np.isclose((loss(x, w + e) - loss(x, w - e)) / (2 * eps), dw[i, j], atol=1e-6)
    for (i, j) in [(0, 0), (4, 3)]:
        e = np.zeros_like(x)
        e[i, j] = eps
        assert np.isclose((loss(x + e, w) - loss(x - e, w)) / (2 * eps), dx[i, j], atol=1e-6)
    # training per token = 3 forward passes; the context term relative to 6N for the standard shape
    for n_layer, d_model, n_ctx in [(48, 1600, 1024), (2, 128, 1024)]:
        N = 12 * n_layer * d_model**2
        train = 3 * (2 * N + 2 * n_layer * (n_ctx + 1) * d_model)
        assert np.isclose(train, 6 * N * (1 + (n_ctx + 1) / (12 * d_model)))
    assert np.isclose(1024 / (12 * 1600), 0.0533, atol=1e-4) and np.isclose(1024 / (12 * 128), 0.667, atol=1e-3)


@pytest.mark.equations("transformer-accounting-params-full", "transformer-accounting-recompute")
def test_full_parameter_count_and_recomputation_formula():
    for n_layer, d, n_vocab, n_ctx in [(3, 8, 50, 10), (2, 16, 37, 7)]:
        # explicit count: weights, biases (3d + d + 4d + d), two layer norms (4d), embeddings
        per_layer = 12 * d * d + 9 * d + 4 * d
        total = n_layer * per_layer + (n_vocab + n_ctx) * d
        formula = 12 * n_layer * d**2 * (1 + 13 / (12 * d) + (n_vocab + n_ctx) / (12 * n_layer * d))
        assert np.isclose(total, formula)
        # four forward passes of the body with dense attention, plus 2 + 4 for the de-embedding
        body_forward = 24 * n_layer * d**2 + 4 * n_layer * n_ctx * d
        flops = 4 * body_forward + 6 * d * n_vocab
        assert np.isclose(flops, 96 * n_layer * d**2 * (1 + n_ctx / (6 * d) + n_vocab / (16 * n_layer * d)))
    # the de-embedding against 6N for the (2, 128) shape: about sixteen times
    assert 16 < 6 * 128 * 50257 / (6 * 12 * 2 * 128**2) < 17
    # at a fixed total P = 12 n_layer d^2 + (n_vocab + n_ctx) d, fewer layers means a wider model
    # and a larger embedding share (the reading of Figure 6 in the chapter)
    v, total = 50257 + 1024, 1e8
    widths = np.linspace(300, 2000, 50)
    layers = (total - v * widths) / (12 * widths**2)
    share = v * widths / total
    assert np.all(np.diff(layers) < 0) and np.all(np.diff(share) > 0)


# ---------------------------------------------------------------- the fitted laws

def joint_loss(n, d, a_n=J_ALPHA_N, a_d=J_ALPHA_D, n_c=J_N_C, d_c=J_D_C):
    return ((n_c / n) ** (a_n / a_d) + d_c / d) ** a_d


@pytest.mark.equations("scaling-laws-loss-params-data", "scaling-laws-loss-params", "scaling-laws-loss-data",
                       "scaling-laws-overfit", "scaling-laws-data-requirement", "scaling-laws-prop-limits")
def test_joint_law_limits_penalty_and_data_requirement():
    n, d = 3e8, 4e9
    assert np.isclose(joint_loss(n, 1e40), (J_N_C / n) ** J_ALPHA_N, rtol=1e-12)
    assert np.isclose(joint_loss(1e60, d), (J_D_C / d) ** J_ALPHA_D, rtol=1e-9)
    # exact penalty, and its dependence on N^(aN/aD)/D alone
    r = J_ALPHA_N / J_ALPHA_D
    dl = joint_loss(n, d) / (J_N_C / n) ** J_ALPHA_N - 1
    assert np.isclose(dl, (1 + (n / J_N_C) ** r * J_D_C / d) ** J_ALPHA_D - 1, rtol=1e-12)
    n2 = 8 * n
    d2 = d * 8**r
    assert np.isclose(joint_loss(n2, d2) / joint_loss(n2, np.inf) - 1, dl, rtol=1e-10)
    # rescaling the loss by lambda = rescaling the constants
    lam = 1.3
    assert np.isclose(lam * joint_loss(n, d),
                      joint_loss(n, d, n_c=lam ** (1 / J_ALPHA_N) * J_N_C, d_c=lam ** (1 / J_ALPHA_D) * J_D_C))
    # the data requirement: exponent alpha_N/alpha_D of the joint fit, prefactor of order 5e3
    assert abs(r - 0.74) < 0.005 and abs(ALPHA_N / ALPHA_D - 0.80) < 1e-9
    prefactor = J_ALPHA_D * J_D_C / (0.02 * J_N_C**r)
    assert 5e3 < prefactor < 7e3
    assert abs(8**0.74 - 4.66) < 0.01
    assert np.isclose(5e3 * 1e9**0.74, 2.3e10, rtol=0.01)
    # at the requirement the exact penalty is just below 0.02 (the first-order term overestimates it)
    d_req = prefactor * n**r
    assert 0.017 < joint_loss(n, d_req) / joint_loss(n, np.inf) - 1 < 0.02
    # the one-variable readings
    assert np.isclose(2 ** -ALPHA_N, 0.95, atol=0.002)
    assert np.isclose(C_CMIN * PF_DAY, 2.7e28, rtol=0.01)


def solve_loss(n, c, a_n=ALPHA_N, n_c=N_C):
    """The unique root L of L = (N_c/N)^a_N + (6 B_* S_c N / (L^(1/a_B) C))^a_S (Eq. B.3), by bisection."""
    lo, hi = 1e-3, 1e3
    for _ in range(200):
        mid = math.sqrt(lo * hi)
        rhs = (n_c / n) ** a_n + (6 * B_STAR * S_C * n / (mid ** (1 / ALPHA_B) * c)) ** ALPHA_S
        lo, hi = (mid, hi) if mid < rhs else (lo, mid)
    return math.sqrt(lo * hi)


def best_size(c):
    """Golden-section search over log N for the minimiser of L(N, C)."""
    a, b = math.log(1e2), math.log(1e16)
    g = (math.sqrt(5) - 1) / 2
    for _ in range(120):
        x1, x2 = b - g * (b - a), a + g * (b - a)
        if solve_loss(math.exp(x1), c) < solve_loss(math.exp(x2), c):
            b = x2
        else:
            a = x1
    n = math.exp((a + b) / 2)
    return n, solve_loss(n, c)


@pytest.mark.equations("scaling-laws-loss-params-compute", "scaling-laws-frontier-condition",
                       "scaling-laws-alpha-cmin", "scaling-laws-frontier-compute", "scaling-laws-prop-frontier")
def test_compute_efficient_frontier_from_the_learning_curve_law():
    r = ALPHA_N / ALPHA_S
    alpha_c = 1 / (1 / ALPHA_S + 1 / ALPHA_B + 1 / ALPHA_N)
    c_c = 6 * N_C * B_STAR * S_C * (1 + r) ** (1 / ALPHA_S + 1 / ALPHA_N) * (1 / r) ** (1 / ALPHA_S)
    cs = np.logspace(17, 23, 4)
    sizes, losses = [], []
    for c in cs:
        n, loss = best_size(c)
        sizes.append(n)
        losses.append(loss)
        # ten per cent above the converged loss of the same model
        assert np.isclose(loss, (1 + r) * (N_C / n) ** ALPHA_N, rtol=1e-4)
        assert np.isclose(loss, (c_c / c) ** alpha_c, rtol=1e-4)
        assert np.isclose(n, N_C * (1 + r) ** (1 / ALPHA_N) * (c / c_c) ** (alpha_c / ALPHA_N), rtol=1e-3)
        b = B_STAR * loss ** (-1 / ALPHA_B)
        s = c / (6 * n * b)
        s_pred = c_c / (6 * N_C * B_STAR) * (1 + r) ** (-1 / ALPHA_N) * (c / c_c) ** (alpha_c / ALPHA_S)
        assert np.isclose(s, s_pred, rtol=1e-3)
    slope = np.polyfit(np.log(cs), np.log(sizes), 1)[0]
    assert np.isclose(slope, alpha_c / ALPHA_N, atol=1e-4)
    # the formula gives 0.052 (Eq. B.7), not the 0.054 printed in Eq. (6.4)
    assert round(alpha_c, 3) == 0.052
    assert np.isclose(alpha_c / ALPHA_N + alpha_c / ALPHA_B + alpha_c / ALPHA_S, 1.0)


@pytest.mark.equations("scaling-laws-compute-optimal", "scaling-laws-compute", "scaling-laws-critical-batch",
                       "scaling-laws-loss-compute", "scaling-laws-data-growth")
def test_table6_allocation_is_self_consistent():
    # C_min = 6 N B S: the exponents of N, B, S add up to one; D = B S
    assert np.isclose(P_N + P_B + P_S, 1.0)
    assert np.isclose(P_D, P_B + P_S) and np.isclose(P_D, 1 - P_N)
    # B_crit ~ L^(-1/alpha_B) and L ~ C_min^(-alpha_C^min) give the batch exponent
    assert abs(ALPHA_CMIN / ALPHA_B - P_B) < 0.005
    assert abs(1 / ALPHA_B - 4.8) < 0.05
    # scales: one epoch at the critical batch processes 2 E_min = 2 B S tokens, i.e. 2 C_min / (6 N) tokens
    assert np.isclose(2 * B_E * S_E, D_E, rtol=0.1)
    assert np.isclose(2 * PF_DAY / (6 * N_E), D_E, rtol=0.15)
    # B_crit doubles for each ~13% fall of the loss, and is 1-3 million tokens at L = 2.5 to 3
    assert abs((1 - 2 ** -ALPHA_B) - 0.135) < 0.001
    for loss, lo, hi in [(3.0, 1e6, 1.2e6), (2.5, 2.5e6, 2.8e6), (2.4, 3.0e6, 3.5e6)]:
        assert lo < B_STAR / loss ** (1 / ALPHA_B) < hi
    # the default run: 2.5e5 steps of 2^19 tokens, about 130 billion tokens
    assert np.isclose(2.5e5 * 2**19, 1.31e11, rtol=0.01)
    # predicted exponents from the learning-curve law against the measured ones
    alpha_c = 1 / (1 / ALPHA_S + 1 / ALPHA_B + 1 / ALPHA_N)
    assert abs(alpha_c / ALPHA_N - P_N) < 0.06 and abs(alpha_c / ALPHA_B - P_B) < 0.01


@pytest.mark.equations("scaling-laws-contradiction", "scaling-laws-data-growth", "power-laws-composition")
def test_crossing_of_compute_and_data_limited_trends():
    # (D_c / (D_e C^p_D))^alpha_D = (C_c^min / C)^alpha_C^min, solved in log C
    x = (ALPHA_D * (math.log(D_C) - math.log(D_E)) - ALPHA_CMIN * math.log(C_CMIN)) / (ALPHA_D * P_D - ALPHA_CMIN)
    c_star = math.exp(x)
    l_star = (C_CMIN / c_star) ** ALPHA_CMIN
    assert 5e3 < c_star < 2e4
    assert abs(l_star - 1.7) < 0.05
    assert 5e11 < N_E * c_star**P_N < 2e12
    assert 1e11 < D_E * c_star**P_D < 1e12
    # exponent of the data-limited loss along the frontier: -0.095 * 0.27
    assert abs(ALPHA_D * P_D - 0.026) < 0.001
    assert np.isclose(0.74 * P_N, 0.54, atol=0.005)


@pytest.mark.equations("scaling-laws-convergence-factor", "scaling-laws-excess-compute", "scaling-laws-prop-inefficient")
def test_efficient_against_converged_and_suboptimal_sizes():
    f, f2 = ALPHA_N / ALPHA_S, 0.02
    n_ratio = ((1 + f) / (1 + f2)) ** (1 / ALPHA_N)
    s_ratio = ((1 + 1 / f) / (1 + 1 / f2)) ** (1 / ALPHA_S)
    assert abs(n_ratio - 2.7) < 0.01 and abs(s_ratio - 0.13) < 0.005 and abs(n_ratio * s_ratio - 0.36) < 0.005
    # Eq. (B.16) against a direct minimisation of C(N, L) of Eq. (B.15) at a fixed loss
    loss = 3.0

    def compute(n):
        u = (N_C / n) ** ALPHA_N
        return 6 * B_STAR * S_C * n * loss ** (-1 / ALPHA_B) * (loss - u) ** (-1 / ALPHA_S)

    grid = np.exp(np.linspace(np.log(N_C * (loss ** (-1 / ALPHA_N))) + 0.01, np.log(1e14), 200001))
    c = compute(grid)
    n_eff = grid[np.argmin(c)]
    assert np.isclose(loss, (1 + f) * (N_C / n_eff) ** ALPHA_N, rtol=1e-4)
    # the step between Eq. (B.15) and Eq. (B.16): L - (N_c/N)^a_N = (a_N/a_S) (N_c/N_eff)^a_N R
    for x in [0.6, 2.2]:
        rr = 1 + (ALPHA_S / ALPHA_N) * (1 - x ** (-ALPHA_N))
        lhs = loss - (N_C / (x * n_eff)) ** ALPHA_N
        assert np.isclose(lhs, f * (N_C / n_eff) ** ALPHA_N * rr, rtol=1e-3)
    for x, expected in [(0.6, 1.16), (2.2, 1.20)]:
        formula = x * (1 + (ALPHA_S / ALPHA_N) * (1 - x ** (-ALPHA_N))) ** (-1 / ALPHA_S)
        assert abs(formula - expected) < 0.01
        assert np.isclose(compute(x * n_eff) / compute(n_eff), formula, rtol=1e-3)
    steps = (1 + (ALPHA_S / ALPHA_N) * (1 - 2.2 ** (-ALPHA_N))) ** (-1 / ALPHA_S)
    assert abs(steps - 0.55) < 0.01


@pytest.mark.equations("scaling-laws-batch-tradeoff", "scaling-laws-smin-cmin", "scaling-laws-sgd-progress",
                       "scaling-laws-prop-batch")
def test_batch_hyperbola_and_the_quadratic_sgd_model():
    rng = np.random.default_rng(3)
    p = 6
    m = rng.normal(size=(p, p))
    h = m @ m.T + p * np.eye(p)
    g = rng.normal(size=p)
    a = rng.normal(size=(p, p))
    sigma = a @ a.T
    b_noise = np.trace(h @ sigma) / (g @ h @ g)
    dl_max = (g @ g) ** 2 / (2 * g @ h @ g)
    chol = np.linalg.cholesky(sigma)
    for batch in [1.0, b_noise, 10 * b_noise]:
        eps = (g @ g) / (g @ h @ g + np.trace(h @ sigma) / batch)
        # Monte Carlo over gradient noise with covariance Sigma / B, quadratic loss: exact decrease per draw
        noise = rng.normal(size=(200000, p)) @ chol.T / np.sqrt(batch)
        ghat = g + noise
        dec = eps * ghat @ g - 0.5 * eps**2 * np.einsum("ij,jk,ik->i", ghat, h, ghat)
        assert np.isclose(dec.mean(), dl_max / (1 + b_noise / batch), rtol=0.02)
    # steps and tokens at batch B lie on the hyperbola, with B_crit = E_min / S_min = B_noise
    s_min = 100.0
    e_min = s_min * b_noise
    for batch in [0.1 * b_noise, b_noise, 7 * b_noise]:
        s = s_min * (1 + b_noise / batch)
        e = batch * s
        assert np.isclose((s / s_min - 1) * (e / e_min - 1), 1.0)
        assert np.isclose(e, e_min * (1 + batch / b_noise))
        # C_min(C) = C / (1 + B / B_crit) with C = 6 N E
        assert np.isclose(6 * 1e6 * e / (1 + batch / b_noise), 6 * 1e6 * e_min)
    assert np.isclose(s_min * (1 + b_noise / b_noise), 2 * s_min)


# ---------------------------------------------------------------- power laws and fitting them

@pytest.mark.equations("power-laws-log-log-fit", "power-laws-local-exponent", "power-laws-prop-ols-average")
def test_loglog_slope_is_an_average_of_secant_slopes_and_an_offset_biases_it():
    rng = np.random.default_rng(4)
    u = np.sort(rng.uniform(0, 10, 15))
    v = rng.normal(size=15)
    slope = np.polyfit(u, v, 1)[0]
    c = np.array([np.sum(u[j + 1:] - u.mean()) for j in range(len(u) - 1)])
    assert np.all(c > 0)
    w = np.diff(u) * c
    assert np.isclose(slope, np.sum(w / w.sum() * np.diff(v) / np.diff(u)))
    # offset law E + A x^-alpha: the fitted exponent lies between the local exponents at the ends
    alpha, e_floor, amp = 0.3, 1.5, 20.0
    x = np.logspace(3, 9, 25)
    y = e_floor + amp * x**-alpha
    fitted = -np.polyfit(np.log(x), np.log(y), 1)[0]

    def local(xx):
        return alpha * (1 - e_floor / (e_floor + amp * xx**-alpha))

    assert local(x[-1]) < fitted < local(x[0]) < alpha
    h = 1e-6
    assert np.isclose(-(np.log(e_floor + amp * (1e5 * np.exp(h)) ** -alpha) - np.log(e_floor + amp * (1e5 * np.exp(-h)) ** -alpha)) / (2 * h),
                      local(1e5), rtol=1e-6)
    # a pure power law is recovered exactly
    assert np.isclose(-np.polyfit(np.log(x), np.log(amp * x**-alpha), 1)[0], alpha)


@pytest.mark.equations("power-laws-huber", "power-laws-huber-score", "power-laws-irls", "power-laws-huber-k")
def test_huber_loss_score_reweighting_and_threshold():
    delta = 0.5

    def rho(r):
        return np.where(np.abs(r) <= delta, 0.5 * r**2, delta * np.abs(r) - 0.5 * delta**2)

    r = np.linspace(-3, 3, 601)
    h = 1e-6
    assert np.allclose((rho(r + h) - rho(r - h)) / (2 * h), np.clip(r, -delta, delta), atol=1e-6)
    # location fit with gross outliers by iteratively reweighted least squares
    rng = np.random.default_rng(5)
    data = np.concatenate([rng.normal(2.0, 0.3, 200), np.full(10, 50.0)])
    mu = data.mean()
    for _ in range(100):
        res = data - mu
        wts = np.minimum(1.0, delta / np.maximum(np.abs(res), 1e-12))
        mu = np.sum(wts * data) / np.sum(wts)
    assert abs(np.sum(np.clip(data - mu, -delta, delta))) < 1e-8
    grid = np.linspace(1.5, 2.5, 20001)
    assert abs(grid[np.argmin([rho(data - m).sum() for m in grid])] - mu) < 1e-3
    assert abs(mu - 2.0) < 0.1 < abs(data.mean() - 2.0)
    # Huber's k for 5% contamination is about 1.40, and the least favourable density integrates to one
    eps = 0.05
    phi = lambda t: math.exp(-t * t / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    cdf = lambda t: 0.5 * (1 + math.erf(t / math.sqrt(2)))  # noqa: E731
    lo, hi = 0.1, 5.0
    for _ in range(100):
        k = (lo + hi) / 2
        lo, hi = (k, hi) if 2 * phi(k) / k - 2 * cdf(-k) > eps / (1 - eps) else (lo, k)
    assert abs(k - 1.40) < 0.01
    t = np.linspace(-60, 60, 1200001)
    f0 = (1 - eps) * np.where(np.abs(t) <= k, np.exp(-t**2 / 2) / np.sqrt(2 * np.pi), phi(k) * np.exp(-k * (np.abs(t) - k)))
    assert abs(np.sum(f0) * (t[1] - t[0]) - 1) < 1e-4


@pytest.mark.equations("power-laws-bfgs", "power-laws-secant", "power-laws-alg-two-loop", "power-laws-prop-bfgs")
def test_bfgs_update_and_two_loop_recursion():
    rng = np.random.default_rng(6)
    p, m = 5, 4
    a = rng.normal(size=(p, p))
    hess = a @ a.T + np.eye(p)
    pairs = []
    for _ in range(m):
        s = rng.normal(size=p)
        pairs.append((s, hess @ s))  # quadratic objective: y = H s, so y^T s > 0
    s_last, y_last = pairs[-1]
    gamma = s_last @ y_last / (y_last @ y_last)
    hk = gamma * np.eye(p)
    for s, y in pairs:
        rho = 1 / (y @ s)
        hk = (np.eye(p) - rho * np.outer(s, y)) @ hk @ (np.eye(p) - rho * np.outer(y, s)) + rho * np.outer(s, s)
        assert np.allclose(hk @ y, s)
        assert np.all(np.linalg.eigvalsh(0.5 * (hk + hk.T)) > 0)
    g = rng.normal(size=p)
    q = g.copy()
    alphas = []
    for s, y in reversed(pairs):
        al = (s @ q) / (y @ s)
        alphas.append(al)
        q = q - al * y
    r = gamma * q
    for (s, y), al in zip(pairs, reversed(alphas)):
        beta = (y @ r) / (y @ s)
        r = r + s * (al - beta)
    assert np.allclose(r, hk @ g)


@pytest.mark.equations("power-laws-allocation", "power-laws-prop-allocation", "power-laws-units",
                       "power-laws-scale-invariance")
def test_allocation_of_a_product_budget_and_units():
    a_coef, b_coef, a, b = 400.0, 1500.0, 0.34, 0.28
    for k in [1e18, 1e22]:
        x = np.exp(np.linspace(np.log(k) * 0.2, np.log(k) * 0.8, 400001))
        g = a_coef * x**-a + b_coef * (k / x) ** -b
        x_grid = x[np.argmin(g)]
        x_star = (a * a_coef / (b * b_coef)) ** (1 / (a + b)) * k ** (b / (a + b))
        assert np.isclose(x_grid, x_star, rtol=1e-3)
        y_star = k / x_star
        assert np.isclose(a_coef * x_star**-a / (b_coef * y_star**-b), b / a)
    # a change of units moves the scale constant, not the exponent
    alpha, x_c, kappa, mu = 0.05, 3.1e8, 8.64e19, 1 / math.log(2)
    xs = np.logspace(-6, 2, 9)
    y_new = mu * (x_c / xs) ** alpha
    slope = -np.polyfit(np.log(kappa * xs), np.log(y_new), 1)[0]
    assert np.isclose(slope, alpha)
    assert np.allclose(y_new, (kappa * mu ** (1 / alpha) * x_c / (kappa * xs)) ** alpha)
    assert np.allclose((x_c / (2 * xs)) ** alpha, 2**-alpha * (x_c / xs) ** alpha)
