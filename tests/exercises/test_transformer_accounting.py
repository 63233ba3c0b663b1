"""Checks of the stated answers of the exercises of the transformer-accounting page."""

import numpy as np
import pytest

from exercises.answers import answers


def test_sliding_window_attention():
    stated = answers("ex-transformer-accounting-sliding-window")[0]
    for n, w, d in [(1024, 1024, 64), (1024, 128, 1600), (17, 5, 3), (8, 1, 2)]:
        brute = sum(4 * min(t, w) * d for t in range(1, n + 1)) / n
        assert stated.value(n=n, w=w, d=d) == pytest.approx(brute, rel=1e-12)


def test_gpt2_shape():
    P, ratio = answers("ex-transformer-accounting-gpt2-shape")
    n_layer, d, vocab, ctx = 48, 1600, 50257, 1024
    per_layer = [d * d] * 4 + [d * 4 * d, 4 * d * d]            # W^Q, W^K, W^V, W^O, W_1, W_2
    biases = 3 * d + d + 4 * d + d + 4 * d                       # projections, output, feed-forward, two norms
    total = n_layer * (sum(per_layer) + biases) + (vocab + ctx) * d
    assert P.value() == total
    N = n_layer * sum(per_layer)
    body = 4 * (2 * N + 4 * n_layer * ctx * d)                   # forward, backward and recomputed forward
    head = 6 * d * vocab
    assert ratio.value() == pytest.approx((body + head) / (6 * N), abs=1e-4)


def test_backward_count():
    stated = answers("ex-transformer-accounting-backward-count")[0]
    for m, d, f in [(64, 32, 128), (3, 5, 7)]:
        count = {"forward": 0, "backward": 0}

        def mm(P, Q, phase):
            count[phase] += sum(1 for _ in range(P.shape[0] * Q.shape[1])) * (2 * P.shape[1] - 1)
            return P @ Q

        rng = np.random.default_rng(0)
        X, W1, W2 = rng.standard_normal((m, d)), rng.standard_normal((d, f)), rng.standard_normal((f, d))
        H = mm(X, W1, "forward")
        G = mm(H, W2, "forward") / m
        gH = mm(G, W2.T, "backward")
        mm(H.T, G, "backward")
        mm(X.T, gH, "backward")
        mm(gH, W1.T, "backward")
        assert stated.value(m=m, d=d, f=f) == pytest.approx(count["backward"] / count["forward"], rel=1e-12)
