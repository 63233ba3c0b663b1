"""Checks of the stated answers of the exercises of the QTIP chapter."""

import math

import numpy as np
import pytest

from exercises.answers import answers


def test_3inst_variance_by_enumerating_fp16_patterns():
    second_moment, variance = answers("ex-qtip-3inst-variance")
    bits = np.arange(2 ** 16, dtype=np.uint32)
    keep = bits[(bits & 0x7000) == 0]            # the 13 free bits: sign, two low exponent bits, mantissa
    half = ((keep ^ 0x3B60) & 0xFFFF).astype(np.uint16).view(np.float16).astype(np.float64)
    assert half.size == 2 ** 13
    assert np.mean(half) == pytest.approx(0.0, abs=1e-12)
    mant = 1 + np.arange(1024) / 1024
    assert second_moment.value() == pytest.approx(np.mean(mant ** 2), rel=1e-12)
    assert variance.value() == pytest.approx(2 * np.mean(half ** 2), rel=1e-9)


def sylvester(n):
    H = np.ones((1, 1))
    while H.shape[0] < n:
        H = np.block([[H, H], [H, -H]])
    return H / math.sqrt(n)


def incoherence(W):
    m, n = W.shape
    return np.abs(W).max() * math.sqrt(m * n) / np.linalg.norm(W)


def test_no_signs_spike():
    flat, closed, bound = answers("ex-qtip-no-signs")
    for m, n in [(8, 32), (64, 16)]:
        W = np.ones((m, n))
        assert flat.value() == pytest.approx(incoherence(W))
        assert closed.value(m=m, n=n) == pytest.approx(incoherence(sylvester(m) @ W @ sylvester(n).T), rel=1e-9)
    m = n = 4096
    assert bound.value() == pytest.approx(2 * (math.log(4) + math.log(m) + math.log(n) - math.log(0.01)), rel=1e-12)


def test_trellis_storage():
    total, per_weight = answers("ex-qtip-trellis-storage")
    L, k, V = 16, 2, 1
    states = np.arange(2 ** L)
    edges = ((states[:, None] << (k * V)) % 2 ** L) + np.arange(2 ** (k * V))[None, :]
    assert total.value() == edges.size * L + states.size * 16
    for L_small, printed in [(8, 12.29e3), (10, 57.34e3), (12, 262.14e3)]:   # Table 10, total size
        assert 2 ** L_small * (4 * L_small + 16) == pytest.approx(printed, rel=1e-3)
    T, kV, L = 256, 4, 16                          # HYB: V = 2
    assert per_weight.value() == pytest.approx((L + kV * (T // 2 - 1)) / T)


def test_tcq_experiment_by_inverted_edges():
    stated = answers("ex-qtip-tcq-experiment")[0]
    L, k, V, T, n_seq = 8, 2, 1, 256, 200
    rng = np.random.default_rng(0)
    codebook = rng.standard_normal(2 ** L)
    s = rng.standard_normal((n_seq, T))
    succ = ((np.arange(2 ** L)[:, None] << (k * V)) % 2 ** L) + np.arange(2 ** (k * V))[None, :]
    pred = [[] for _ in range(2 ** L)]            # invert the successor rule, edge by edge
    for i, row in enumerate(succ):
        for j in row:
            pred[j].append(i)
    pred = np.array(pred)
    value = (codebook[None, :] - s[:, :1]) ** 2
    for t in range(1, T):
        value = value[:, pred].min(axis=2) + (codebook[None, :] - s[:, t:t + 1]) ** 2
    mse = value.min(axis=1).sum() / (n_seq * T)
    assert stated.value() == pytest.approx(mse, abs=6e-5)
