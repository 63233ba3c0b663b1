"""Checks of the stated answers of the exercises in papers/bert."""

import itertools

import numpy as np
import pytest

from exercises.answers import answers


MASK = 0  # the mask symbol is one of the vocabulary's ids; originals are the other, real tokens


def corrupt(rng, n, a, b, vocab):
    """Simulate n positions: selection with prob 0.15, then [MASK] / random / keep with a, b, 1-a-b.

    The random branch draws from the whole vocabulary, the mask symbol included."""
    orig = rng.integers(1, vocab, size=n)
    selected = rng.random(n) < 0.15
    u = rng.random(n)
    shown = orig.copy()
    rand = selected & (u >= a) & (u < a + b)
    shown[rand] = rng.integers(0, vocab, size=rand.sum())
    shown[selected & (u < a)] = MASK
    return orig, selected, shown


def test_visible_tokens_under_other_mixes():
    target, wrong = answers("ex-bert-mix")
    rng = np.random.default_rng(21)
    for a, b, vocab in [(0.8, 0.1, 5), (0.0, 0.8, 3), (0.5, 0.3, 10)]:
        orig, selected, shown = corrupt(rng, 2_000_000, a, b, vocab)
        visible = shown != MASK
        assert target.value(a=a, b=b, sel=0.15, V=vocab) == pytest.approx(selected[visible].mean(), abs=1.5e-3)
        assert wrong.value(a=a, b=b, sel=0.15, V=vocab) == pytest.approx((shown != orig)[visible].mean(), abs=1.5e-3)


def test_span_decoding_without_order():
    best, invalid = answers("ex-bert-span-order")
    a = np.array([1.0, 6.0, 0.0, 2.0])
    b = np.array([5.0, 0.0, 1.0, 3.0])
    assert best.value() == max(a[i] + b[j] for i, j in itertools.product(range(4), repeat=2) if i <= j)
    ps, pe = np.exp(a) / np.exp(a).sum(), np.exp(b) / np.exp(b).sum()
    mass = np.outer(ps, pe)                       # mass[i, j] = P(start i) P(end j)
    assert invalid.value() == pytest.approx(np.tril(mass, k=-1).sum(), abs=5e-4)


def test_pretraining_arithmetic():
    total, fraction = answers("ex-bert-pretrain-flops")
    layers, width = 12, 768

    def step_flops(length):
        per_token = layers * (4 * width * width + 2 * width * 4 * width) + layers * 2 * length * width
        return 6 * 256 * length * per_token

    computed = 900_000 * step_flops(128) + 100_000 * step_flops(512)
    assert total.value() == pytest.approx(computed, rel=1e-3)
    assert fraction.value() == pytest.approx(computed / (1_000_000 * step_flops(512)), rel=2e-3)


def test_visible_token_posterior():
    stated = answers("ex-bert-visible-posterior")[0]
    p = [0.5, 0.3, 0.15, 0.05]
    vocab, w = 4, 2
    # Enumerate original token, branch and random draw; keep the outcomes that show w.
    shown_w = np.zeros(vocab)
    for v in range(vocab):
        shown_w[v] += p[v] * 0.1 * (v == w)                # kept
        for r in range(vocab):
            shown_w[v] += p[v] * 0.1 * (r == w) / vocab    # random draw r
    assert stated.value() == pytest.approx(shown_w[w] / shown_w.sum(), rel=1e-9)
