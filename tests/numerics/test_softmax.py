"""Numerical checks of the Machinery page on the softmax (source/topics/softmax.md)."""

import numpy as np
import pytest


def softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def lse_stable(z):
    m = z.max()
    return m + np.log(np.exp(z - m).sum())


def block_stats(z, V):
    m = z.max()
    w = np.exp(z - m)
    return m, w.sum(), w @ V


def merge(a, b):
    (ma, la, oa), (mb, lb, ob) = a, b
    m = max(ma, mb)
    ca, cb = np.exp(ma - m), np.exp(mb - m)
    return m, ca * la + cb * lb, ca * oa + cb * ob


@pytest.mark.equations("softmax-online", "softmax-block-stats", "attention-sdpa")
def test_tiled_online_softmax_equals_softmax():
    rng = np.random.default_rng(0)
    n, d = 97, 5
    z = 30 * rng.standard_normal(n)  # large spread: naive exponentials would be badly scaled
    V = rng.standard_normal((n, d))
    ref = softmax(z) @ V
    for block in (1, 4, 13, 97):
        stats = [block_stats(z[i : i + block], V[i : i + block]) for i in range(0, n, block)]
        acc = stats[0]
        for s in stats[1:]:
            acc = merge(acc, s)
        m, l, o = acc
        assert np.allclose(o / l, ref)
        assert np.isclose(m + np.log(l), lse_stable(z))
        # merging in another order (a balanced tree, reversed) gives the same statistics
        level = stats[::-1]
        while len(level) > 1:
            level = [merge(*level[i : i + 2]) if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)]
        assert np.isclose(level[0][0], m) and np.isclose(level[0][1], l) and np.allclose(level[0][2], o)


@pytest.mark.equations("softmax-shift-invariance", "softmax-def")
def test_shift_invariance():
    rng = np.random.default_rng(1)
    z = rng.standard_normal(8)
    naive = np.exp(z) / np.exp(z).sum()
    for c in (-5.0, 0.3, 12.0):
        shifted = np.exp(z + c) / np.exp(z + c).sum()
        assert np.allclose(shifted, naive)
    # a non-constant perturbation does change it
    assert not np.allclose(softmax(z + np.arange(8)), naive)


@pytest.mark.equations("softmax-lse-stable", "softmax-logsumexp")
def test_logsumexp_stability_and_bounds():
    z = np.array([1000.0, 999.0, 998.0])
    with np.errstate(over="ignore"):
        naive = np.log(np.exp(z).sum())
    assert np.isinf(naive)  # direct evaluation overflows
    exact = 1000.0 + np.log(1 + np.exp(-1.0) + np.exp(-2.0))
    assert np.isclose(lse_stable(z), exact)
    rng = np.random.default_rng(2)
    for _ in range(20):
        w = 50 * rng.standard_normal(6)
        assert w.max() <= lse_stable(w) <= w.max() + np.log(6) + 1e-12
        assert np.allclose(np.exp(w - lse_stable(w)), softmax(w))
    # gradient of LSE is the softmax (central differences)
    w = rng.standard_normal(6)
    eps = 1e-6
    grad = np.array([(lse_stable(w + eps * e) - lse_stable(w - eps * e)) / (2 * eps) for e in np.eye(6)])
    assert np.allclose(grad, softmax(w), atol=1e-8)


@pytest.mark.equations("softmax-jacobian", "softmax-temperature")
def test_jacobian_psd_and_temperature_limits():
    rng = np.random.default_rng(3)
    z = rng.standard_normal(7)
    p = softmax(z)
    J = np.diag(p) - np.outer(p, p)
    eig = np.linalg.eigvalsh(J)
    assert eig.min() > -1e-12 and np.allclose(J @ np.ones(7), 0)
    z = np.array([0.5, 2.0, -1.0, 2.0])
    assert np.allclose(softmax(z / 1e-3), [0, 0.5, 0, 0.5])
    assert np.allclose(softmax(z / 1e6), 0.25, atol=1e-5)
