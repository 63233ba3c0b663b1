"""Numerical checks for the BERT chapter (source/papers/bert.md) and the cross-entropy topic page."""
import numpy as np
import pytest

RNG = np.random.default_rng(181004805)


def corrupt(x, V, rng, pi=0.15, mask_id=0):
    """BERT's corruption process, Eq. bert-masking: select w.p. pi, then 80% [MASK] / 10% random / 10% kept.

    The vocabulary is 0..V-1 with the mask symbol among its ids, and the random draw covers all of it."""
    n = x.shape[0]
    selected = rng.random(n) < pi
    u = rng.random(n)
    x_tilde = x.copy()
    x_tilde[selected & (u < 0.8)] = mask_id
    rand = selected & (u >= 0.8) & (u < 0.9)
    x_tilde[rand] = rng.integers(0, V, rand.sum())
    return x_tilde, selected


@pytest.mark.equations("bert-masking", "bert-masking-marginals", "bert-masking-visible")
def test_masking_proportions_match_derived_formulas():
    V, n, pi = 10, 2_000_000, 0.15  # a tiny vocabulary makes the 1/V term visible
    x = RNG.integers(1, V, n)  # originals are real tokens; id 0 is the mask symbol
    x_tilde, selected = corrupt(x, V, RNG, pi)
    se = lambda p: np.sqrt(p * (1 - p) / n)

    frac_selected = selected.mean()
    assert abs(frac_selected - pi) < 5 * se(pi)
    # among selected positions: 80 / 10 / 10 (the random branch may redraw the original)
    sel_mask = (x_tilde[selected] == 0).mean()
    assert abs(sel_mask - (0.8 + 0.1 / V)) < 5 * np.sqrt(0.16 / selected.sum())
    sel_same = (x_tilde[selected] == x[selected]).mean()
    expected_same = 0.1 + 0.1 / V
    assert abs(sel_same - expected_same) < 5 * np.sqrt(expected_same * (1 - expected_same) / selected.sum())

    # marginal over all positions, Eq. bert-masking-marginals
    unchanged = (x_tilde == x).mean()
    p_unchanged = 1 - pi + 0.1 * pi * (1 + 1 / V)
    assert abs(unchanged - p_unchanged) < 5 * se(p_unchanged)
    # the 1/V correction is resolved: the formula without it is rejected
    assert abs(unchanged - (1 - pi + 0.1 * pi)) > 3 * se(p_unchanged)
    wrong = ((x_tilde != x) & (x_tilde != 0)).mean()
    p_wrong = 0.1 * pi * (1 - 2 / V)
    assert abs(wrong - p_wrong) < 5 * se(p_wrong)
    p_mask = 0.8 * pi + 0.1 * pi / V
    assert abs((x_tilde == 0).mean() - p_mask) < 5 * se(p_mask)
    # the draw of the mask symbol is resolved: the formula without it is rejected
    assert abs((x_tilde == 0).mean() - 0.8 * pi) > 3 * se(p_mask)

    # conditional on a visible token, Eq. bert-masking-visible
    visible = x_tilde != 0
    p_target = (0.2 * pi - 0.1 * pi / V) / (1 - 0.8 * pi - 0.1 * pi / V)
    got = selected[visible].mean()
    assert abs(got - p_target) < 5 * np.sqrt(p_target * (1 - p_target) / visible.sum())
    assert abs(0.2 * 0.15 / (1 - 0.12) - 0.034) < 1e-3
    # with the paper's 30,000-token vocabulary the marginals quoted in the text
    Vp = 30000
    assert abs((1 - pi + 0.1 * pi * (1 + 1 / Vp)) - 0.865) < 1e-3
    assert abs(0.1 * pi * (1 - 2 / Vp) - 0.015) < 1e-4
    assert abs((0.8 * pi + 0.1 * pi / Vp) - 0.12) < 1e-4


def n_params(L, H, V, P=512):
    """Eq. bert-params: embeddings + L * (12 H^2 + 13 H) + pooler."""
    return (V + P + 2) * H + 2 * H + L * (12 * H * H + 13 * H) + H * H + H


def n_params_explicit(L, H, V, P=512, A=None):
    """Count every tensor of the encoder explicitly, head by head."""
    A = A or H // 64
    dh = H // A
    emb = V * H + P * H + 2 * H + 2 * H
    per_layer = 0
    per_layer += 3 * A * (H * dh + dh)  # per-head Q, K, V projections with biases
    per_layer += H * H + H  # output projection
    per_layer += 2 * H  # LayerNorm after attention
    per_layer += H * 4 * H + 4 * H + 4 * H * H + H  # FFN
    per_layer += 2 * H  # LayerNorm after FFN
    pooler = H * H + H
    return emb + L * per_layer + pooler


@pytest.mark.equations("bert-params", "bert-input", "bert-encoder")
def test_parameter_count_matches_110m_and_340m():
    for L, H, A, reported in [(12, 768, 12, 110e6), (24, 1024, 16, 340e6)]:
        for V in (30000, 30522):
            n = n_params(L, H, V)
            assert n == n_params_explicit(L, H, V, A=A)
            assert abs(n - reported) / reported < 0.02
    assert round(n_params(12, 768, 30522) / 1e6, 1) == 109.5
    assert round(n_params(24, 1024, 30522) / 1e6, 1) == 335.1
    assert round(n_params(12, 768, 30000) / 1e6, 1) == 109.1
    assert round(n_params(24, 1024, 30000) / 1e6, 1) == 334.6
    # token embeddings are about a fifth of BERT-BASE
    assert 0.19 < 30522 * 768 / n_params(12, 768, 30522) < 0.23


def best_span_bruteforce(a, b):
    n = len(a)
    best, arg = -np.inf, None
    for i in range(n):
        for j in range(i, n):
            if a[i] + b[j] > best:
                best, arg = a[i] + b[j], (i, j)
    return best, arg


def best_span_linear(a, b):
    """Prefix-maximum decoding of Eq. bert-span-score."""
    best, arg = -np.inf, None
    m, m_idx = -np.inf, -1
    for j in range(len(a)):
        if a[j] > m:
            m, m_idx = a[j], j
        if m + b[j] > best:
            best, arg = m + b[j], (m_idx, j)
    return best, arg


@pytest.mark.equations("bert-span-score", "bert-span-start", "bert-squad2")
def test_span_selection_respects_order_and_linear_decoder_is_exact():
    H, n = 16, 40
    for _ in range(50):
        T = RNG.normal(size=(n, H))
        S, E = RNG.normal(size=H), RNG.normal(size=H)
        a, b = T @ S, T @ E
        best, (i, j) = best_span_bruteforce(a, b)
        best2, (i2, j2) = best_span_linear(a, b)
        assert i <= j and i2 <= j2
        assert abs(best - best2) < 1e-12 and abs(a[i2] + b[j2] - best) < 1e-12
        # the unconstrained argmax can violate j >= i; the constrained one never exceeds it
        assert best <= a.max() + b.max() + 1e-12
        # span score = log P_start + log P_end + constant, so the argmax is the same
        logp_s = a - np.log(np.exp(a - a.max()).sum()) - a.max()
        logp_e = b - np.log(np.exp(b - b.max()).sum()) - b.max()
        _, (i3, j3) = best_span_bruteforce(logp_s, logp_e)
        assert (i3, j3) == (i, j)
    # a case where the start-argmax lies after the end-argmax
    a = np.array([0.0, 0.0, 5.0])
    b = np.array([0.0, 4.0, 0.0])
    best, (i, j) = best_span_linear(a, b)
    assert (i, j) == (2, 2) and best == 5.0
    # SQuAD 2.0 rule: answer iff s_hat > s_null + tau
    s_null = 4.0
    assert (best > s_null + 0.5) and not (best > s_null + 1.5)


@pytest.mark.equations("cross-entropy-softmax-grad", "cross-entropy-softmax-loss", "bert-mlm-loss", "bert-nsp-loss")
def test_softmax_cross_entropy_gradient_is_probabilities_minus_onehot():
    K = 7
    for _ in range(20):
        z = RNG.normal(size=K) * 3
        y = RNG.integers(K)
        loss = lambda z: -z[y] + np.log(np.exp(z - z.max()).sum()) + z.max()
        h = 1e-6
        num = np.array([(loss(z + h * e) - loss(z - h * e)) / (2 * h) for e in np.eye(K)])
        s = np.exp(z - z.max()); s /= s.sum()
        assert np.allclose(num, s - np.eye(K)[y], atol=1e-6)
        hess = np.diag(s) - np.outer(s, s)
        assert np.linalg.eigvalsh(hess).min() > -1e-12


@pytest.mark.equations("cross-entropy-decomposition", "cross-entropy-mle", "cross-entropy-label-smoothing", "cross-entropy-def")
def test_cross_entropy_identities():
    K = 6
    p = RNG.random(K) + 0.1; p /= p.sum()
    q = RNG.random(K) + 0.1; q /= q.sum()
    H_pq = -np.sum(p * np.log(q))
    H_p = -np.sum(p * np.log(p))
    KL = np.sum(p * np.log(p / q))
    assert abs(H_pq - (H_p + KL)) < 1e-12 and H_pq > H_p
    # average NLL of a sample = cross-entropy against its empirical distribution
    x = RNG.integers(0, K, 1000)
    p_hat = np.bincount(x, minlength=K) / x.size
    assert abs(-np.mean(np.log(q[x])) - (-np.sum(p_hat * np.log(q)))) < 1e-12
    # label smoothing: decomposition, and the optimum is s = t_eps with the stated logit gap
    eps, y = 0.1, 2
    t = (1 - eps) * np.eye(K)[y] + eps / K
    s = q
    lhs = -np.sum(t * np.log(s))
    rhs = (1 - eps) * -np.log(s[y]) + eps * -np.mean(np.log(s))
    assert abs(lhs - rhs) < 1e-12
    z = np.zeros(K)
    for _ in range(3000):  # gradient descent on the logits converges to s = t
        s = np.exp(z - z.max()); s /= s.sum()
        z -= 1.0 * (s - t)
    assert np.allclose(s, t, atol=1e-6)
    gap = z[y] - z[(y + 1) % K]
    assert abs(gap - np.log((1 - eps + eps / K) / (eps / K))) < 1e-4
