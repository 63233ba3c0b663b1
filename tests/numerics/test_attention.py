"""Numerical checks of the topic page source/topics/attention.md.

Multi-head attention as a sum over heads, its permutation equivariance and invariance, the token
kernel exp(x^T B y) failing to be positive definite, and the operator-norm bound on the variance of
scaled scores (with the all-ones counterexample to a per-coordinate condition).
"""

import numpy as np
import pytest


def softmax(S):
    S = S - S.max(axis=-1, keepdims=True)
    E = np.exp(S)
    return E / E.sum(axis=-1, keepdims=True)


def attention(Q, K, V):
    return softmax(Q @ K.T / np.sqrt(Q.shape[1])) @ V


def mha(Q, K, V, WQ, WK, WV, WO):
    heads = [attention(Q @ wq, K @ wk, V @ wv) for wq, wk, wv in zip(WQ, WK, WV)]
    return np.concatenate(heads, axis=1) @ WO


def random_heads(rng, d, h, dk, dv):
    WQ = [rng.standard_normal((d, dk)) / np.sqrt(d) for _ in range(h)]
    WK = [rng.standard_normal((d, dk)) / np.sqrt(d) for _ in range(h)]
    WV = [rng.standard_normal((d, dv)) / np.sqrt(d) for _ in range(h)]
    WO = rng.standard_normal((h * dv, d)) / np.sqrt(h * dv)
    return WQ, WK, WV, WO


@pytest.mark.equations("attention-multihead", "attention-multihead-sum")
def test_multihead_concatenation_equals_sum_over_heads():
    rng = np.random.default_rng(0)
    n, d, h, dk, dv = 7, 12, 3, 4, 4
    X = rng.standard_normal((n, d))
    WQ, WK, WV, WO = random_heads(rng, d, h, dk, dv)
    out = mha(X, X, X, WQ, WK, WV, WO)
    total = np.zeros((n, d))
    for r in range(h):
        A = softmax(X @ WQ[r] @ WK[r].T @ X.T / np.sqrt(dk))
        assert np.allclose(A.sum(axis=1), 1.0)
        total += A @ X @ WV[r] @ WO[r * dv : (r + 1) * dv]
    assert np.allclose(out, total, atol=1e-12)
    # a wrong block (rows of another head) gives a different answer, so the check has power
    wrong = sum(
        softmax(X @ WQ[r] @ WK[r].T @ X.T / np.sqrt(dk)) @ X @ WV[r] @ WO[:dv] for r in range(h)
    )
    assert not np.allclose(out, wrong)


@pytest.mark.equations("attention-equivariance", "attention-multihead", "attention-mask")
def test_permutation_equivariance_and_key_value_invariance():
    rng = np.random.default_rng(1)
    n, m, d, h, dk, dv = 6, 9, 8, 2, 4, 4
    Q, K, V = rng.standard_normal((n, d)), rng.standard_normal((m, d)), rng.standard_normal((m, d))
    perm = rng.permutation(n)
    P = np.eye(n)[perm]
    Pp = np.eye(m)[rng.permutation(m)]
    assert np.allclose(attention(P @ Q, Pp @ K, Pp @ V), P @ attention(Q, K, V))
    W = random_heads(rng, d, h, dk, dv)
    assert np.allclose(mha(P @ Q, Pp @ K, Pp @ V, *W), P @ mha(Q, K, V, *W))
    X = rng.standard_normal((n, d))
    assert np.allclose(mha(P @ X, P @ X, P @ X, *W), P @ mha(X, X, X, *W))
    # permuting keys without their values changes the output
    assert not np.allclose(attention(Q, Pp @ K, V), attention(Q, K, V))
    # causal mask: equivariance needs the permuted mask, and the causal mask is not permutation-invariant
    Mc = np.where(np.tril(np.ones((n, n))) > 0, 0.0, -np.inf)

    def masked(Qx, Kx, Vx, M):
        return softmax(Qx @ Kx.T / np.sqrt(Qx.shape[1]) + M) @ Vx

    PMPt = Mc[perm][:, perm]  # P M P^T, computed by indexing because M contains -inf
    assert np.allclose(masked(P @ X, P @ X, P @ X, PMPt), P @ masked(X, X, X, Mc))
    assert not np.allclose(masked(P @ X, P @ X, P @ X, Mc), P @ masked(X, X, X, Mc))


@pytest.mark.equations("attention-kernel")
def test_token_kernel_is_not_positive_definite_unless_B_is_psd():
    rng = np.random.default_rng(2)
    d, c = 5, 1 / np.sqrt(5)
    pts = rng.standard_normal((12, d))

    def gram(B, Z):
        return np.exp(c * Z @ B @ Z.T)

    # B = W^Q W^K^T with independent projections: not symmetric, so no symmetric Gram matrix
    WQ, WK = rng.standard_normal((d, 3)), rng.standard_normal((d, 3))
    G = gram(WQ @ WK.T, pts)
    assert not np.allclose(G, G.T)
    # symmetric B with a negative eigenvalue: the two-point Gram matrix of the proof is indefinite
    lam, U = np.linalg.eigh(WQ @ WQ.T - 2 * np.eye(d))
    v = U[:, 0]
    assert lam[0] < 0
    Z = np.stack([v, -v]) * 2.0
    assert np.linalg.eigvalsh(gram(U @ np.diag(lam) @ U.T, Z)).min() < 0
    # tied projections, B = W W^T: positive semi-definite Gram matrices
    B = WQ @ WQ.T
    assert np.linalg.eigvalsh(gram(B, pts)).min() > -1e-9 * np.abs(gram(B, pts)).max()


@pytest.mark.equations("attention-variance-bound", "attention-variance-general")
def test_scaled_score_variance_is_bounded_by_operator_norms_not_diagonals():
    rng = np.random.default_rng(3)
    dk, n = 32, 200_000
    # fully correlated coordinates: unit diagonal, yet Var(q.k/sqrt(dk)) = dk
    q = np.repeat(rng.standard_normal((n, 1)), dk, axis=1)
    k = np.repeat(rng.standard_normal((n, 1)), dk, axis=1)
    var = np.var((q * k).sum(axis=1) / np.sqrt(dk))
    assert abs(var / dk - 1) < 0.03
    ones = np.ones((dk, dk))
    assert np.isclose(np.trace(ones @ ones) / dk, dk)
    # the bound tr(Sq Sk)/dk <= ||Sq|| tr(Sk)/dk <= ||Sq|| ||Sk|| for random covariances
    for _ in range(20):
        A, Bm = rng.standard_normal((dk, dk)), rng.standard_normal((dk, 3))
        Sq, Sk = A @ A.T / dk, Bm @ Bm.T + 0.1 * np.eye(dk)
        lhs = np.trace(Sq @ Sk) / dk
        mid = np.linalg.norm(Sq, 2) * np.trace(Sk) / dk
        rhs = np.linalg.norm(Sq, 2) * np.linalg.norm(Sk, 2)
        assert lhs <= mid * (1 + 1e-12) and mid <= rhs * (1 + 1e-12)
    # Monte Carlo check of the variance formula with correlated Gaussian q, k
    Lq, Lk = rng.standard_normal((dk, dk)) / np.sqrt(dk), rng.standard_normal((dk, dk)) / np.sqrt(dk)
    qs = rng.standard_normal((n, dk)) @ Lq.T
    ks = rng.standard_normal((n, dk)) @ Lk.T
    emp = np.var((qs * ks).sum(axis=1) / np.sqrt(dk))
    theory = np.trace(Lq @ Lq.T @ Lk @ Lk.T) / dk
    assert abs(emp / theory - 1) < 0.03


@pytest.mark.equations("attention-variance-general")
def test_nonzero_means_add_to_the_dot_product_variance():
    rng = np.random.default_rng(4)
    dk, n = 16, 200_000
    # independent unit-variance coordinates with means a and b: variance dk (1 + a^2 + b^2), not dk
    a, b = 0.7, -1.2
    q = a + rng.standard_normal((n, dk))
    k = b + rng.standard_normal((n, dk))
    emp = np.var((q * k).sum(axis=1))
    assert abs(emp / (dk * (1 + a * a + b * b)) - 1) < 0.03
    assert abs(emp / dk - 1) > 0.5
    # general form tr(Sq Sk) + mq^T Sk mq + mk^T Sq mk with correlated Gaussian q, k
    Lq, Lk = rng.standard_normal((dk, dk)) / 4, rng.standard_normal((dk, dk)) / 4
    mq, mk = rng.standard_normal(dk), rng.standard_normal(dk)
    q = mq + rng.standard_normal((n, dk)) @ Lq.T
    k = mk + rng.standard_normal((n, dk)) @ Lk.T
    Sq, Sk = Lq @ Lq.T, Lk @ Lk.T
    theory = np.trace(Sq @ Sk) + mq @ Sk @ mq + mk @ Sq @ mk
    assert abs(np.var((q * k).sum(axis=1)) / theory - 1) < 0.03
