"""Checks of the stated answers of the exercises in papers/transformer."""

import math

import numpy as np
import pytest

from exercises.answers import answer, answers


def test_kurtosis_of_the_score():
    fourth, excess = answers("ex-transformer-kurtosis")
    rng = np.random.default_rng(11)
    for d_k in (1, 4, 64):
        # Given q, the score q.k is N(0, |q|^2), whose fourth moment is 3 |q|^4.
        norms2 = (rng.standard_normal((50_000 if d_k > 4 else 200_000, d_k)) ** 2).sum(axis=1)
        m4 = np.mean(3 * norms2 ** 2)
        assert fourth.value(d_k=d_k) == pytest.approx(m4, rel=0.02)
        assert excess.value(d_k=d_k) == pytest.approx(m4 / d_k ** 2 - 3, abs=0.03 * m4 / d_k ** 2)
    # A direct simulation of the dot product for a small width.
    d_k = 2
    q, k = rng.standard_normal((2, 400_000, d_k))
    s = (q * k).sum(axis=1) / math.sqrt(d_k)
    assert excess.value(d_k=d_k) == pytest.approx(np.mean(s ** 4) / np.mean(s ** 2) ** 2 - 3, abs=0.15)


def test_tied_queries_and_keys():
    mean, var = answers("ex-transformer-tied")
    rng = np.random.default_rng(12)
    for d_k in (16, 64):
        q = rng.standard_normal((50_000, d_k))
        s = (q * q).sum(axis=1) / math.sqrt(d_k)
        assert mean.value(d_k=d_k) == pytest.approx(s.mean(), rel=0.01)
        assert var.value(d_k=d_k) == pytest.approx(s.var(), rel=0.03)


def test_training_arithmetic():
    flops, share, utilisation = answers("ex-transformer-train-flops")
    d, d_ff, vocab, layers = 512, 2048, 37000, 6

    def macs(shape_list):
        return sum(a * b for a, b in shape_list)

    attention = [(d, d)] * 4
    ffn = [(d, d_ff), (d_ff, d)]
    per_source = layers * (macs(attention) + macs(ffn) + macs([(d, d)] * 2))   # + cross-attention K, V
    per_target = layers * (macs(attention) + macs([(d, d)] * 2) + macs(ffn)) + macs([(d, vocab)])
    forward = 25000 * per_source + 25000 * per_target
    per_step = 2 * 3 * forward
    total = per_step * 100_000
    assert flops.value() == pytest.approx(total, rel=1e-3)
    assert share.value() == pytest.approx(total / 3.3e18, rel=5e-3)
    assert utilisation.value() == pytest.approx(per_step / (0.4 * 8 * 9.5e12), rel=5e-3)


def test_saturation_experiment():
    unscaled, scaled = answers("ex-transformer-saturation")
    rng = np.random.default_rng(13)
    d_k, m, rows = 64, 32, 4000
    q = rng.standard_normal((rows, d_k))
    k = rng.standard_normal((rows, m, d_k))
    s = (k @ q[:, :, None])[:, :, 0]
    traces = {}
    for scale in (1.0, 8.0):
        z = s / scale
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        traces[scale] = np.mean(1 - (p ** 2).sum(axis=1))
    assert unscaled.value() == pytest.approx(traces[1.0], abs=0.015)
    assert scaled.value() == pytest.approx(traces[8.0], abs=0.01)
