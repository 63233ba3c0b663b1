"""Numerical checks of the Kimi K2 chapter and of its Machinery pages on orthogonalised optimisers and
mixture-of-experts layers."""

import itertools

import numpy as np
import pytest

QUINTIC = (3.4445, -4.7750, 2.0315)


def _polar(m):
    u, _, vt = np.linalg.svd(m, full_matrices=False)
    return u @ vt


def _newton_schulz(m, coeffs, steps):
    """Odd-polynomial Newton-Schulz iteration started from M / ||M||_F."""
    a, b, c = coeffs
    x = m / np.linalg.norm(m)
    for _ in range(steps):
        gram = x @ x.T
        x = a * x + (b * gram + c * gram @ gram) @ x
    return x


def _rms(m):
    return np.sqrt(np.mean(m**2))


@pytest.mark.equations(
    "orthogonalised-optimisers-newton-schulz-cubic",
    "orthogonalised-optimisers-cubic-error",
    "orthogonalised-optimisers-polar",
)
def test_cubic_newton_schulz_converges_to_polar_factor():
    rng = np.random.default_rng(0)
    for n, m in [(6, 9), (9, 6), (8, 8), (3, 20)]:
        a = rng.normal(size=(n, m))
        target = _polar(a)
        # the SVD-free forms of the polar factor
        if n <= m:
            w, q = np.linalg.eigh(a @ a.T)
            closed = q @ np.diag(w**-0.5) @ q.T @ a
        else:
            w, q = np.linalg.eigh(a.T @ a)
            closed = a @ q @ np.diag(w**-0.5) @ q.T
        assert np.allclose(closed, target, atol=1e-10)
        x = _newton_schulz(a, (1.5, -0.5, 0.0), 40)
        assert np.max(np.abs(x - target)) < 1e-10
    # quadratic convergence of the scalar error: e_{k+1} = e_k^2 (3 - e_k) / 2
    s = np.linspace(0.01, 1.0, 50)
    phi = 0.5 * s * (3 - s**2)
    e = 1 - s
    assert np.allclose(1 - phi, e**2 * (3 - e) / 2)
    assert np.all(phi >= s) and np.all(phi <= 1)


@pytest.mark.equations(
    "orthogonalised-optimisers-quintic",
    "orthogonalised-optimisers-odd-poly",
    "kimi-k2-muon-update",
)
def test_quintic_newton_schulz_keeps_singular_vectors_and_lands_in_band():
    rng = np.random.default_rng(1)
    # singular values spread over three decades
    n, m = 12, 20
    u, _ = np.linalg.qr(rng.normal(size=(n, n)))
    v, _ = np.linalg.qr(rng.normal(size=(m, n)))
    sig = np.logspace(0, -2.5, n)
    a = u @ np.diag(sig) @ v.T
    x = _newton_schulz(a, QUINTIC, 5)
    # the iteration acts on singular values only: X = U phi^5(Sigma / ||A||_F) V^T
    s = sig / np.linalg.norm(a)
    for _ in range(5):
        s = QUINTIC[0] * s + QUINTIC[1] * s**3 + QUINTIC[2] * s**5
    assert np.allclose(x, u @ np.diag(s) @ v.T, atol=1e-10)
    assert np.all((s > 0.68) & (s < 1.21))
    # the scalar map: phi(1) = 0.701, the interval [0.681, 1.203] is invariant, and five steps send
    # [0.002, 1] into it
    phi = lambda t: QUINTIC[0] * t + QUINTIC[1] * t**3 + QUINTIC[2] * t**5  # noqa: E731
    assert abs(phi(1.0) - 0.701) < 1e-12
    grid = np.linspace(0.681, 1.203, 20001)
    assert phi(grid).min() >= 0.681 and phi(grid).max() <= 1.203
    t = np.linspace(0.002, 1.0, 20001)
    for _ in range(5):
        t = phi(t)
    assert t.min() >= 0.681 and t.max() <= 1.203


@pytest.mark.equations(
    "kimi-k2-rms-match",
    "orthogonalised-optimisers-rms",
    "orthogonalised-optimisers-muon-scaled",
)
def test_rms_matching_scale_gives_update_rms_point_two():
    rng = np.random.default_rng(2)
    for n, m in [(64, 64), (32, 256), (256, 32), (7, 300)]:
        o = _polar(rng.normal(size=(n, m)))
        assert np.isclose(_rms(o), 1 / np.sqrt(max(n, m)))
        assert np.isclose(_rms(0.2 * np.sqrt(max(n, m)) * o), 0.2)
    # the unscaled update of a wide matrix is much smaller than that of a narrow one
    assert _rms(_polar(rng.normal(size=(128, 4096)))) < 0.2 * _rms(_polar(rng.normal(size=(128, 128))))


@pytest.mark.equations(
    "orthogonalised-optimisers-steepest",
    "orthogonalised-optimisers-duality",
    "orthogonalised-optimisers-nearest",
)
def test_polar_factor_is_spectral_steepest_descent_and_nearest_orthogonal():
    rng = np.random.default_rng(3)
    g = rng.normal(size=(5, 8))
    nuclear = np.linalg.svd(g, compute_uv=False).sum()
    best = -_polar(g)
    assert np.isclose(np.sum(g * best), -nuclear)
    for _ in range(2000):
        d = rng.normal(size=g.shape)
        d /= np.linalg.norm(d, 2)  # spectral norm one
        assert np.sum(g * d) >= -nuclear - 1e-12
    # nearest matrix with orthonormal columns (tall case)
    m = rng.normal(size=(8, 5))
    q0 = _polar(m)
    for _ in range(500):
        q, _ = np.linalg.qr(rng.normal(size=(8, 5)))
        assert np.linalg.norm(m - q) >= np.linalg.norm(m - q0) - 1e-12


def _mla_logits(h, w):
    """Per-head MLA logits with head-specific content and rotary queries and a shared rotary key."""
    cq = h @ w["dq"]
    ckv = h @ w["dkv"]
    kr = h @ w["kr"]  # shared by all heads (RoPE omitted: it is a rotation, hence linear)
    out = []
    for qc, kc, qr in zip(w["qc"], w["kc"], w["qr"]):
        content = (cq @ qc) @ (ckv @ kc).T
        rotary = (cq @ qr) @ kr.T
        out.append((content + rotary) / np.sqrt(qc.shape[1] + qr.shape[1]))
    return np.array(out)


def _qk_clip(w, s_max, tau):
    w = {key: [x.copy() for x in val] if isinstance(val, list) else val.copy() for key, val in w.items()}
    for h, s in enumerate(s_max):
        if s > tau:
            gamma = tau / s
            w["qc"][h] *= np.sqrt(gamma)
            w["kc"][h] *= np.sqrt(gamma)
            w["qr"][h] *= gamma
    return w


@pytest.mark.equations(
    "kimi-k2-max-logit",
    "kimi-k2-mla-logit",
    "kimi-k2-qk-clip-mla",
    "kimi-k2-clip-invariance",
)
def test_per_head_qk_clip_sets_max_logit_to_tau_and_leaves_other_heads():
    rng = np.random.default_rng(4)
    d, dcq, dckv, dh, dr, heads, tokens = 24, 12, 10, 6, 4, 5, 9
    w = {
        "dq": rng.normal(size=(d, dcq)),
        "dkv": rng.normal(size=(d, dckv)),
        "kr": rng.normal(size=(d, dr)),
        "qc": [rng.normal(size=(dcq, dh)) * s for s in (0.1, 1.0, 0.2, 2.0, 0.15)],
        "kc": [rng.normal(size=(dckv, dh)) for _ in range(heads)],
        "qr": [rng.normal(size=(dcq, dr)) * s for s in (0.1, 1.0, 0.2, 2.0, 0.15)],
    }
    batch = [rng.normal(size=(tokens, d)) for _ in range(3)]
    before = [_mla_logits(x, w) for x in batch]
    s_max = np.max([b.reshape(heads, -1).max(axis=1) for b in before], axis=0)
    tau = np.sort(s_max)[2]  # between the smallest and the largest head
    clipped = _qk_clip(w, s_max, tau)
    after = [_mla_logits(x, clipped) for x in batch]
    new_max = np.max([a.reshape(heads, -1).max(axis=1) for a in after], axis=0)
    gamma = np.minimum(1.0, tau / s_max)
    for b, a in zip(before, after):
        assert np.allclose(a, gamma[:, None, None] * b)
    assert np.allclose(new_max, np.minimum(s_max, tau))
    hot = s_max > tau
    assert hot.any() and (~hot).any()
    for h in np.flatnonzero(~hot):
        assert all(np.array_equal(a[h], b[h]) for a, b in zip(after, before))
    assert np.array_equal(clipped["kr"], w["kr"])
    assert np.array_equal(clipped["dq"], w["dq"]) and np.array_equal(clipped["dkv"], w["dkv"])


@pytest.mark.equations("kimi-k2-rl-loss", "kimi-k2-rl-gradient", "kimi-k2-rl-gradient-mean")
def test_rl_gradient_at_old_policy_is_scaled_policy_gradient():
    """Exact expectation over all K-tuples of responses for a softmax policy on four responses."""
    rng = np.random.default_rng(5)
    n_resp, k, tau = 4, 3, 0.7
    theta = rng.normal(size=n_resp)
    reward = rng.normal(size=n_resp)
    pi = np.exp(theta - theta.max())
    pi /= pi.sum()

    def loss(th, ys):
        p = np.exp(th - th.max())
        p /= p.sum()
        r = reward[list(ys)]
        resid = r - r.mean() - tau * (np.log(p[list(ys)]) - np.log(pi[list(ys)]))
        return np.mean(resid**2)

    expected = np.zeros(n_resp)
    for ys in itertools.product(range(n_resp), repeat=k):
        prob = np.prod(pi[list(ys)])
        grad = np.zeros(n_resp)
        for j in range(n_resp):
            e = np.zeros(n_resp)
            e[j] = 1e-6
            grad[j] = (loss(theta + e, ys) - loss(theta - e, ys)) / 2e-6
        # closed form of kimi-k2-rl-gradient for this tuple (score of a softmax: e_y - pi)
        scores = np.eye(n_resp)[list(ys)] - pi
        r = reward[list(ys)]
        closed = -2 * tau / k * ((r - r.mean())[:, None] * scores).sum(axis=0)
        assert np.allclose(grad, closed, atol=1e-7)
        expected += prob * closed
    # gradient of the expected reward under a softmax policy: pi_j (r_j - pi . r)
    pg = pi * (reward - pi @ reward)
    assert np.allclose(expected, -2 * tau * (1 - 1 / k) * pg)


@pytest.mark.equations(
    "mixture-of-experts-switch-loss",
    "mixture-of-experts-switch-gradient",
    "mixture-of-experts-accounting",
    "kimi-k2-param-count",
    "kimi-k2-sparsity",
)
def test_switch_loss_facts_and_moe_accounting():
    def switch(p):
        t, n = p.shape
        f = np.bincount(p.argmax(axis=1), minlength=n) / t
        return n * np.sum(f * p.mean(axis=0)), f

    rng = np.random.default_rng(6)
    # one-hot routers: N sum f_i P_i = N sum f_i^2 >= 1, equal to 1 at uniform load
    for _ in range(200):
        n = rng.integers(2, 9)
        p = np.eye(n)[rng.integers(0, n, size=40)]
        value, f = switch(p)
        assert value >= 1 - 1e-12
        assert np.isclose(value, n * np.sum(f**2))
    assert np.isclose(switch(np.eye(4)[np.arange(40) % 4])[0], 1.0)
    # soft routers can go below one: the counterexample of the topic page
    eps = 0.01
    p = np.array([[0.5 + eps, 0.5 - eps]] * 3 + [[0.0, 1.0]])
    value, f = switch(p)
    assert np.allclose(f, [0.75, 0.25]) and np.isclose(value, 7 / 8 + 3 * eps / 4) and value < 1
    # gradient of sum_i f_i p_i(z) with respect to one token's logits
    f = rng.dirichlet(np.ones(5))
    z = rng.normal(size=5)
    soft = lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum()  # noqa: E731
    num = np.array([(f @ soft(z + h) - f @ soft(z - h)) / 2e-6 for h in 1e-6 * np.eye(5)])
    p = soft(z)
    assert np.allclose(num, p * (f - f @ p), atol=1e-8)
    # Kimi K2 expert accounting: 60 MoE layers, 384 routed + 1 shared, 8 active, d = 7168, d_e = 2048
    per_expert = 3 * 7168 * 2048
    assert per_expert == 44_040_192
    assert 384 / 8 == 48 and 256 / 8 == 32
    total, active = 60 * (1 + 384) * per_expert, 60 * (1 + 8) * per_expert
    assert abs(total / 1.017e12 - 1) < 1e-3 and abs(active / 2.38e10 - 1) < 1e-3


@pytest.mark.equations("kimi-k2-decay-bound", "kimi-k2-singular-growth")
def test_decay_bound_with_clipping_and_aligned_singular_growth():
    rng = np.random.default_rng(7)
    n, m, eta, lam, s = 12, 8, 0.05, 0.4, 1.5
    rho = 1 - eta * lam
    # random updates of spectral norm at most s, and column-block rescalings by factors <= 1 (QK-Clip)
    w = 3.0 * rng.normal(size=(n, m))
    w0 = np.linalg.norm(w, 2)
    for t in range(1, 400):
        o = _polar(rng.normal(size=(n, m))) * s * rng.uniform(0.2, 1.0)
        w = (rho * w - eta * o) * rng.uniform(0.5, 1.0, size=m)
        assert np.linalg.norm(w, 2) <= rho**t * w0 + s / lam + 1e-12
    # the worst case: every update pushes along the weights' own polar factor; the first line of the
    # bound then holds with equality and the norm approaches s / lambda
    w = 0.01 * _polar(rng.normal(size=(n, m)))
    w0 = np.linalg.norm(w, 2)
    for t in range(1, 2001):
        w = rho * w + eta * s * _polar(w)
        geometric = rho**t * w0 + eta * s * sum(rho**k for k in range(t))
        assert np.isclose(np.linalg.norm(w, 2), geometric)
        assert np.linalg.norm(w, 2) <= rho**t * w0 + s / lam + 1e-12
    assert abs(np.linalg.norm(w, 2) - s / lam) < 1e-6 * s / lam + rho**2000 * (s / lam)
    # an orthogonalised update containing the top singular pair raises sigma_1 by exactly sigma_bar
    u, sig, vt = np.linalg.svd(rng.normal(size=(n, m)), full_matrices=False)
    w = u @ np.diag(sig) @ vt
    q_u, _ = np.linalg.qr(np.column_stack([u[:, 0], rng.normal(size=(n, 3))]))
    q_v, _ = np.linalg.qr(np.column_stack([vt[0], rng.normal(size=(m, 3))]))
    q_u[:, 0] *= np.sign(q_u[:, 0] @ u[:, 0])
    q_v[:, 0] *= np.sign(q_v[:, 0] @ vt[0])
    sbar = 0.3
    dw = sbar * q_u @ q_v.T
    lower = u[:, 0] @ (w + dw) @ vt[0]
    assert np.isclose(lower, sig[0] + sbar)
    assert np.isclose(np.linalg.norm(w + dw, 2), sig[0] + sbar)


@pytest.mark.equations("kimi-k2-rl-fixed-point", "mixture-of-experts-prop-switch")
def test_log_partition_expansion_and_switch_counterexample_range():
    # tau log E[exp(r / tau)] = E r + Var r / (2 tau) + O(tau^-2) for a bounded reward
    rng = np.random.default_rng(8)
    p = rng.dirichlet(np.ones(6))
    r = rng.uniform(-1, 1, size=6)
    mean, var = p @ r, p @ (r - p @ r) ** 2
    errs = []
    for tau in (10.0, 20.0, 40.0, 80.0):
        exact = tau * np.log(p @ np.exp(r / tau))
        errs.append(abs(exact - mean - var / (2 * tau)))
    ratios = np.array(errs[:-1]) / np.array(errs[1:])
    assert np.all(ratios > 3.5) and np.all(ratios < 4.5)  # the remainder scales like tau^-2
    # the soft-router counterexample goes below one exactly for 0 < eps < 1/6
    for eps, below in [(0.01, True), (0.16, True), (0.17, False), (0.3, False)]:
        probs = np.array([[0.5 + eps, 0.5 - eps]] * 3 + [[0.0, 1.0]])
        f = np.bincount(probs.argmax(axis=1), minlength=2) / 4
        assert (2 * np.sum(f * probs.mean(axis=0)) < 1) == below
