"""Numerical checks of the QTIP chapter and of the quantisation and trellis-coding topic pages."""

import itertools
import math

import numpy as np
import pytest

from conftest import figure_script


# ---------------------------------------------------------------- helpers

def sylvester(n):
    """Unnormalised Sylvester-Hadamard matrix of order n (a power of two)."""
    h = np.array([[1.0]])
    while h.shape[0] < n:
        h = np.block([[h, h], [h, -h]])
    return h


fwht = figure_script("qtip_distortion.py").fwht


def rht(w, s_m, s_n):
    """Two-sided random Hadamard transform V_m S_m W S_n V_n^T."""
    return fwht(fwht(w * s_n[None, :]).T * s_m[None, :]).T


def mu_weight(w):
    m, n = w.shape
    return np.abs(w).max() * math.sqrt(m * n) / math.sqrt(float(np.sum(w * w)))


def bitshift_predecessors(j, L, k):
    """States i with an edge i -> j in the (L, k, 1) bitshift trellis."""
    return [(j >> k) + (c << (L - k)) for c in range(1 << k)]


def viterbi_bitshift(s, code, L, k):
    """Minimum squared-error walk on the (L, k, 1) bitshift trellis, with traceback."""
    n_states = 1 << L
    T = len(s)
    cost = (code - s[0]) ** 2
    back = np.zeros((T, n_states), dtype=int)
    pred = np.array([bitshift_predecessors(j, L, k) for j in range(n_states)])
    for t in range(1, T):
        cand = cost[pred]                       # (n_states, 2^k)
        arg = cand.argmin(axis=1)
        back[t] = pred[np.arange(n_states), arg]
        cost = cand.min(axis=1) + (code - s[t]) ** 2
    path = [int(cost.argmin())]
    for t in range(T - 1, 0, -1):
        path.append(int(back[t][path[-1]]))
    return float(cost.min()), path[::-1]


def decode_1mad(state):
    x = (np.uint64(34038481) * state.astype(np.uint64) + np.uint64(76625530)) & np.uint64(0xFFFFFFFF)
    y = sum((x >> np.uint64(8 * i)) & np.uint64(255) for i in range(4)).astype(np.float64)
    return y, (y - 510.0) / 147.8


def decode_3inst(state):
    x = (np.uint64(89226354) * state.astype(np.uint64) + np.uint64(64248484)) & np.uint64(0xFFFFFFFF)
    m = int(np.float16(0.922).view(np.uint16))
    x = (x & np.uint64(0x8FFF8FFF)) ^ np.uint64((m << 16) + m)
    lo = (x & np.uint64(0xFFFF)).astype(np.uint16).view(np.float16).astype(np.float64)
    hi = (x >> np.uint64(16)).astype(np.uint16).view(np.float16).astype(np.float64)
    return lo, hi


def std_normal_pdf(x):
    return np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def std_normal_cdf(x):
    return 0.5 * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0)))


# ---------------------------------------------------------------- Hadamard and incoherence

@pytest.mark.equations("quantization-hadamard", "quantization-fwht")
def test_fast_walsh_hadamard_is_orthogonal_and_equals_the_sylvester_matrix():
    rng = np.random.default_rng(0)
    for n in (2, 8, 64, 256):
        h = sylvester(n)
        np.testing.assert_array_equal(h @ h.T, n * np.eye(n))          # H H^T = n I
        x = rng.standard_normal((5, n))
        np.testing.assert_allclose(fwht(x), x @ h.T / math.sqrt(n), atol=1e-12)
        np.testing.assert_allclose(fwht(fwht(x)), x, atol=1e-12)       # symmetric and orthogonal
        np.testing.assert_allclose(np.linalg.norm(fwht(x), axis=1), np.linalg.norm(x, axis=1))


@pytest.mark.equations("qtip-rht", "qtip-incoherence-bound", "quantization-rht-max",
                       "quantization-rademacher-tail")
def test_random_hadamard_transform_meets_the_incoherence_bound():
    rng = np.random.default_rng(1)
    m = n = 128
    delta = 0.05
    mu_bound = 2.0 * math.log(4 * m * n / delta)
    # three hostile matrices: a single spike, heavy tails with outlier columns, and a dense matrix
    # aligned with the Hadamard basis (incoherent itself, but a spike after a sign-free transform)
    spike = np.zeros((m, n))
    spike[3, 7] = 1.0
    heavy = rng.standard_t(2, size=(m, n))
    heavy[:, :3] *= 50.0
    aligned = np.outer(sylvester(m)[5], sylvester(n)[9])
    assert mu_weight(spike) == pytest.approx(math.sqrt(m * n))
    assert mu_weight(aligned) == pytest.approx(1.0)
    no_signs = rht(aligned, np.ones(m), np.ones(n))
    assert mu_weight(no_signs) == pytest.approx(math.sqrt(m * n))        # the signs are needed
    for w in (spike, heavy, aligned):
        mus = []
        for _ in range(25):
            s_m = rng.choice([-1.0, 1.0], m)
            s_n = rng.choice([-1.0, 1.0], n)
            wt = rht(w, s_m, s_n)
            assert np.sum(wt * wt) == pytest.approx(np.sum(w * w))
            mus.append(mu_weight(wt))
        assert max(mus) <= mu_bound
        assert np.median(mus) < 8.0                  # typical value is of order sqrt(log(mn))
    # one-sided vector bound: max_i |(V S x)_i| <= ||x|| sqrt(2 log(2n/delta) / n)
    x = np.zeros(n)
    x[0] = 1.0
    for _ in range(200):
        y = fwht(rng.choice([-1.0, 1.0], n) * (x + 0.3 * (np.arange(n) == 5)))
        assert np.abs(y).max() <= np.linalg.norm(y) * math.sqrt(2 * math.log(2 * n / delta) / n)


@pytest.mark.equations("qtip-rht-covariance")
def test_entry_covariance_of_the_rht_by_enumerating_all_signs():
    rng = np.random.default_rng(2)
    m = n = 4
    w = rng.standard_t(3, size=(m, n))
    vm, vn = sylvester(m) / 2.0, sylvester(n) / 2.0
    samples = []
    for signs in itertools.product([-1.0, 1.0], repeat=m + n):
        s_m, s_n = np.array(signs[:m]), np.array(signs[m:])
        wt = vm @ np.diag(s_m) @ w @ np.diag(s_n) @ vn.T
        np.testing.assert_allclose(wt, rht(w, s_m, s_n), atol=1e-12)
        samples.append(wt.ravel())
    samples = np.array(samples)
    np.testing.assert_allclose(samples.mean(axis=0), 0.0, atol=1e-12)
    cov = samples.T @ samples / len(samples)
    kron = np.kron(vm, vn)
    predicted = kron @ np.diag((w ** 2).ravel()) @ kron.T
    np.testing.assert_allclose(cov, predicted, atol=1e-12)
    np.testing.assert_allclose(np.diag(cov), np.sum(w ** 2) / (m * n), atol=1e-12)


@pytest.mark.equations("qtip-incoherence-bound", "qtip-rht")
def test_rht_makes_a_hadamard_aligned_hessian_incoherent():
    rng = np.random.default_rng(7)
    n, delta = 64, 0.05
    v = sylvester(n) / math.sqrt(n)                     # symmetric and orthogonal
    lam = np.linspace(1.0, 10.0, n)                     # distinct eigenvalues
    h = v @ np.diag(lam) @ v.T                          # eigenvectors: the Hadamard columns
    mu_h = lambda q: np.abs(q).max() * math.sqrt(n)
    assert mu_h(v) == pytest.approx(1.0)                # H itself is perfectly incoherent
    _, q0 = np.linalg.eigh(v @ h @ v.T)                 # without signs: diagonal, eigenvectors e_j
    assert mu_h(q0) == pytest.approx(math.sqrt(n))
    bound = math.sqrt(2 * math.log(2 * n * n / delta))
    for _ in range(20):
        s = np.diag(rng.choice([-1.0, 1.0], n))
        ht = v @ s @ h @ s @ v.T
        _, q = np.linalg.eigh(ht)
        np.testing.assert_allclose(np.abs(q), np.abs(v @ s @ v)[:, np.argsort(lam)], atol=1e-8)
        assert mu_h(q) <= bound


def block_ldl_upper(h, g):
    """g-block decomposition H = L^T D L with L unit block lower triangular, D block diagonal."""
    n = h.shape[0]
    p = np.zeros((n, n))
    for b in range(n // g):                             # reverse the order of the blocks
        p[b * g:(b + 1) * g, n - (b + 1) * g:n - b * g] = np.eye(g)
    c = np.linalg.cholesky(p @ h @ p.T)
    cd = np.zeros_like(c)
    for b in range(n // g):
        sl = slice(b * g, (b + 1) * g)
        cd[sl, sl] = c[sl, sl]
    l_rev = c @ np.linalg.inv(cd)                       # unit block lower, P H P = l_rev D' l_rev^T
    u = p.T @ l_rev @ p                                 # unit block upper
    d = p.T @ (cd @ cd.T) @ p
    return u.T, d


@pytest.mark.equations("qtip-blockldlq")
def test_block_ldlq_feedback_turns_the_proxy_loss_into_a_d_weighted_error():
    rng = np.random.default_rng(8)
    m, n, g = 6, 12, 4
    x = rng.standard_normal((500, n)) @ rng.standard_normal((n, n))
    h = x.T @ x / 500
    w = rng.standard_normal((m, n))
    L, D = block_ldl_upper(h, g)
    np.testing.assert_allclose(L.T @ D @ L, h, atol=1e-9)
    for b in range(n // g):                             # unit diagonal blocks, zero above them
        np.testing.assert_allclose(L[b * g:(b + 1) * g, b * g:(b + 1) * g], np.eye(g), atol=1e-12)
        assert np.allclose(L[b * g:(b + 1) * g, (b + 1) * g:], 0.0)
    a = L.T - np.eye(n)
    q = lambda z: np.round(z * 4) / 4                   # a coarse grid quantiser
    w_hat = np.zeros_like(w)
    inputs = np.zeros_like(w)
    for b in range(n // g):
        sl = slice(b * g, (b + 1) * g)
        inputs[:, sl] = w[:, sl] + (w - w_hat)[:, :b * g] @ a[:b * g, sl]
        w_hat[:, sl] = q(inputs[:, sl])
    np.testing.assert_allclose(w_hat, q(w + (w - w_hat) @ a), atol=1e-12)
    eta = inputs - w_hat
    np.testing.assert_allclose((w - w_hat) @ L.T, eta, atol=1e-10)
    loss = np.trace((w_hat - w) @ h @ (w_hat - w).T)
    assert loss == pytest.approx(np.trace(eta @ D @ eta.T), rel=1e-9)


@pytest.mark.equations("qtip-proxy-loss", "qtip-rotation-invariance", "quantization-proxy-loss")
def test_proxy_loss_is_a_trace_and_survives_incoherence_processing():
    rng = np.random.default_rng(3)
    m, n, N = 8, 16, 4000
    x = rng.standard_normal((N, n)) @ rng.standard_normal((n, n))
    w = rng.standard_normal((m, n))
    w_hat = np.round(w * 2) / 2
    h = x.T @ x / N
    delta = w_hat - w
    empirical = np.mean(np.sum((x @ delta.T) ** 2, axis=1))
    assert empirical == pytest.approx(np.trace(delta @ h @ delta.T), rel=1e-10)
    s_m = rng.choice([-1.0, 1.0], m)
    s_n = rng.choice([-1.0, 1.0], n)
    u = sylvester(m) / math.sqrt(m) @ np.diag(s_m)
    v = sylvester(n) / math.sqrt(n) @ np.diag(s_n)
    wt, ht = u @ w @ v.T, v @ h @ v.T
    wt_hat = np.round(wt * 2) / 2                     # round in the rotated basis
    back = u.T @ wt_hat @ v                            # the weight the quantised model applies
    lhs = np.trace((back - w) @ h @ (back - w).T)
    rhs = np.trace((wt_hat - wt) @ ht @ (wt_hat - wt).T)
    assert lhs == pytest.approx(rhs, rel=1e-10)
    z = rng.standard_normal(n)
    np.testing.assert_allclose(u.T @ (wt_hat @ (v @ z)), back @ z, atol=1e-10)


# ---------------------------------------------------------------- trellises and Viterbi

@pytest.mark.equations("qtip-tcq-objective", "qtip-viterbi", "qtip-bitshift-edge",
                       "qtip-bitshift-window", "qtip-bit-count", "trellis-coding-viterbi",
                       "trellis-coding-traceback", "trellis-coding-bitshift")
def test_viterbi_on_a_bitshift_trellis_finds_the_brute_force_optimum():
    rng = np.random.default_rng(4)
    for L, k, T in ((4, 1, 8), (6, 2, 5), (5, 1, 9)):
        code = rng.standard_normal(1 << L)
        s = rng.standard_normal(T)
        best, path = viterbi_bitshift(s, code, L, k)
        # the path is a walk: the top L-k bits of each state are the bottom L-k bits of the last
        for a, b in zip(path, path[1:]):
            assert b >> k == a & ((1 << (L - k)) - 1)
            assert b in [((a << k) % (1 << L)) + c for c in range(1 << k)]
        assert best == pytest.approx(sum((code[p] - x) ** 2 for p, x in zip(path, s)))
        # brute force over every bit string of length L + k (T - 1): each one is a walk
        nbits = L + k * (T - 1)
        bits = (np.arange(1 << nbits)[:, None] >> np.arange(nbits - 1, -1, -1)[None, :]) & 1
        weights = 1 << np.arange(L - 1, -1, -1)
        states = np.stack([bits[:, t * k:t * k + L] @ weights for t in range(T)], axis=1)
        costs = ((code[states] - s[None, :]) ** 2).sum(axis=1)
        assert best == pytest.approx(costs.min(), abs=1e-12)
        assert len(np.unique(states, axis=0)) == 1 << nbits    # kT + L - k bits, all distinct walks


@pytest.mark.equations("trellis-coding-complexity")
def test_grouped_minimum_over_shared_predecessors_equals_the_edge_by_edge_minimum():
    rng = np.random.default_rng(5)
    L, k = 8, 2
    cost = rng.standard_normal(1 << L)
    full = np.array([min(cost[i] for i in bitshift_predecessors(j, L, k)) for j in range(1 << L)])
    groups = cost.reshape(1 << k, 1 << (L - k)).min(axis=0)      # one min per top-bit group
    np.testing.assert_array_equal(np.repeat(groups, 1 << k), full)


@pytest.mark.equations("quantization-lloyd-max", "quantization-gaussian-dr", "qtip-gap")
def test_lloyd_max_and_trellis_distortion_against_the_gaussian_bound():
    c = np.linspace(-2.0, 2.0, 4)
    for _ in range(300):
        t = np.concatenate(([-np.inf], 0.5 * (c[1:] + c[:-1]), [np.inf]))
        c = -np.diff(std_normal_pdf(t)) / np.diff(std_normal_cdf(t))
    t = np.concatenate(([-np.inf], 0.5 * (c[1:] + c[:-1]), [np.inf]))
    tf = np.where(np.isfinite(t), t, 0.0)
    mse = np.sum(np.diff(std_normal_cdf(t) - tf * std_normal_pdf(t))
                 + 2.0 * c * np.diff(std_normal_pdf(t)) + c ** 2 * np.diff(std_normal_cdf(t)))
    assert mse == pytest.approx(0.1175, abs=5e-4)                   # 0.118 in Table 1
    d_r = 2.0 ** (-2 * 2)
    assert d_r == pytest.approx(0.0625)                             # 0.063 in Table 1
    assert 10 * math.log10(0.118 / d_r) == pytest.approx(2.76, abs=0.01)          # qtip-gap
    assert 0.5 * math.log2(0.069 / d_r) == pytest.approx(0.07, abs=0.005)
    # a small bitshift trellis with a permuted Gaussian codebook beats Lloyd-Max at 2 bits
    rng = np.random.default_rng(6)
    L, k, T = 8, 2, 128
    from statistics import NormalDist
    code = rng.permutation([NormalDist().inv_cdf((i + 0.5) / (1 << L)) for i in range(1 << L)])
    errs = [viterbi_bitshift(rng.standard_normal(T), np.array(code), L, k)[0] / T for _ in range(6)]
    assert d_r < np.mean(errs) < mse


# ---------------------------------------------------------------- the computed codes

@pytest.mark.equations("qtip-1mad", "qtip-1mad-moments")
def test_1mad_constants_are_the_mean_and_deviation_of_four_uniform_bytes():
    assert 4 * 255 / 2 == 510
    assert math.sqrt(4 * (256 ** 2 - 1) / 12) == pytest.approx(147.8, abs=0.01)
    y, v = decode_1mad(np.arange(1 << 16))
    assert y.min() >= 0 and y.max() <= 1020 and len(np.unique(y)) <= 1021 < 2 ** 10
    assert abs(v.mean()) < 0.01 and v.std() == pytest.approx(1.0, abs=0.01)
    kurt = np.mean(v ** 4) / np.mean(v ** 2) ** 2
    assert kurt == pytest.approx(3 - 6 / (5 * 4) * (256 ** 2 + 1) / (256 ** 2 - 1), abs=0.03)


@pytest.mark.equations("qtip-3inst", "qtip-3inst-moments")
def test_3inst_halves_are_signed_binade_values_with_the_derived_variance():
    assert hex(int(np.float16(0.922).view(np.uint16))) == "0x3b60"
    lo, hi = decode_3inst(np.arange(1 << 16))
    for h in (lo, hi):
        a = np.abs(h)
        assert a.min() >= 0.125 and a.max() < 2.0                   # exponents 2^-3 .. 2^0
        e = np.floor(np.log2(a))
        assert set(np.unique(e)) == {-3.0, -2.0, -1.0, 0.0}
    mant = np.arange(1024) / 1024
    half_var = (1 + 4 + 16 + 64) / 256 * np.mean((1 + mant) ** 2)
    assert half_var == pytest.approx(595 / 768, abs=1e-3)
    v = lo + hi
    assert abs(v.mean()) < 0.02
    assert v.var() == pytest.approx(2 * half_var, rel=0.01)
    assert v.var() == pytest.approx(1.547, abs=5e-4)                 # value quoted in the chapter
    assert abs(np.corrcoef(lo, hi)[0, 1]) < 1e-3


@pytest.mark.equations("qtip-hyb")
def test_hyb_index_and_sign_depend_only_on_the_low_sixteen_bits():
    L, Q = 16, 9
    state = np.arange(1 << L, dtype=np.uint64)
    x = (state * state + state) & np.uint64(0xFFFFFFFF)
    idx = (x >> np.uint64(15 - Q)) & np.uint64((1 << Q) - 1)
    sign = (x >> np.uint64(15)) & np.uint64(1)
    # adding 2^16 to the state does not change bits 0..15 of the hash
    x2 = ((state + np.uint64(1 << 16)) ** 2 + state + np.uint64(1 << 16)) & np.uint64(0xFFFFFFFF)
    np.testing.assert_array_equal(x & np.uint64(0xFFFF), x2 & np.uint64(0xFFFF))
    assert len(np.unique(idx * 2 + sign)) <= 2 ** (Q + 1)
    assert (1 << Q) * 2 * 2 == 2048                                # 2^Q x 2 fp16 values = 2 KiB
