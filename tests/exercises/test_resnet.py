"""Checks of the answers to the exercises of the residual-network chapter."""

import numpy as np
import pytest

from exercises.answers import answer, answers


def test_scaled_coefficients():
    closed, c09, c11 = answers("ex-resnet-scaled-coefficients")
    rng = np.random.default_rng(5)
    for lam in (0.7, 0.9, 1.3):
        l, L = 2, 9
        F = rng.normal(size=L)                     # the residuals F(x_i, W_i), held fixed

        def run(F, x_l=1.0):
            x = x_l
            for i in range(l, L):
                x = lam * x + F[i]
            return x

        for i in range(l, L):
            bumped = F.copy()
            bumped[i] += 1.0
            coefficient = run(bumped) - run(F)    # the map is affine in each F_i
            assert closed.value(lam=lam, L=L, i=i) == pytest.approx(coefficient, rel=1e-9)

    def shallow_coefficient(lam, blocks):
        x = 1.0
        for _ in range(blocks):
            x = lam * x                            # residuals switched off
        return x

    assert c09.value() == pytest.approx(shallow_coefficient(0.9, 50), rel=1e-9)
    assert c11.value() == pytest.approx(shallow_coefficient(1.1, 50), rel=1e-9)


def test_relu_after_addition():
    stated = answer("ex-resnet-relu-after-addition")
    # the deep network's outputs on u = 1 and u = -1 are v * (non-negative numbers), so they are
    # any pair (a, b) with a * b >= 0; minimise the loss over a fine grid of such pairs
    grid = np.linspace(-3, 3, 1201)
    a, b = np.meshgrid(grid, grid)
    loss = (a - 1) ** 2 + (b + 1) ** 2
    best = loss[a * b >= 0].min()
    # and a random search over actual parameters with F(h) = W2 relu(W1 h)
    rng = np.random.default_rng(0)
    w, v, w1, w2 = rng.normal(scale=2.0, size=(4, 200_000))

    def net(u):
        h = w * u
        return v * np.maximum(w2 * np.maximum(w1 * h, 0) + h, 0)

    searched = ((net(1.0) - 1) ** 2 + (net(-1.0) + 1) ** 2).min()
    assert searched >= best - 1e-9
    assert stated.value() == pytest.approx(best, abs=1e-9)
    assert searched == pytest.approx(best, abs=0.05)


def test_option_c():
    count, weights, madds = answers("ex-resnet-option-c")
    stages = [(3, 64, 56), (4, 128, 28), (6, 256, 14), (3, 512, 7)]   # blocks, width, map side
    added = []
    for s, (blocks, d, side) in enumerate(stages):
        for j in range(blocks):
            has_b_projection = s > 0 and j == 0                          # width doubles
            if not has_b_projection:
                added.append((d, d, side))
    assert count.value() == len(added)
    assert weights.value() == sum(cin * cout for cin, cout, _ in added)
    assert madds.value() == sum(cin * cout * side * side for cin, cout, side in added)


def test_signal_growth():
    stated = answer("ex-resnet-signal-growth")
    rng = np.random.default_rng(17)
    n, L, c2, runs = 32, 20, 0.1, 400
    W = rng.normal(0.0, np.sqrt(c2 / n), size=(runs, L, n, n))
    x = rng.standard_normal((runs, n))
    x0 = (x * x).sum(axis=1)
    for i in range(L):
        x = x + np.einsum("rab,rb->ra", W[:, i], x)
    estimate = ((x * x).sum(axis=1) / x0).mean()
    assert stated.value(c2=c2, L=L) == pytest.approx(estimate, rel=0.08)
    assert stated.value(c2=0.0, L=L) == pytest.approx(1.0)
