"""Checks of the stated answers of the exercises in papers/vit."""

import numpy as np
import pytest

from exercises.answers import answers


def layer_macs(n_tokens, width):
    return 12 * n_tokens * width ** 2 + 2 * n_tokens ** 2 * width


def crossover_side(patch, width):
    """Bisection on the side R at which the attention term 2 N^2 D reaches the linear term 12 N D^2."""
    lo, hi = 1.0, 1e5
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        n = (mid / patch) ** 2
        lo, hi = (mid, hi) if 2 * n * n * width < 12 * n * width ** 2 else (lo, mid)
    return lo


def test_crossover_resolution():
    closed, base = answers("ex-vit-crossover")
    for patch, width in [(16, 768), (14, 1280), (32, 1024)]:
        assert closed.value(P=patch, D=width) == pytest.approx(crossover_side(patch, width), rel=1e-9)
    assert base.value() == pytest.approx(crossover_side(16, 768), rel=1e-6)


def test_interpolating_a_quadratic_code():
    stated = answers("ex-vit-interp-quadratic")[0]
    g, g_new = 14, 24
    code = np.arange(g, dtype=float) ** 2
    u = np.arange(g_new) * (g - 1) / (g_new - 1)
    interpolated = np.interp(u, np.arange(g), code)          # linear in i; the code is constant in j
    assert stated.value() == pytest.approx(np.max(np.abs(interpolated - u ** 2)), rel=1e-9)


def test_table6_compute():
    huge, large = answers("ex-vit-table6")

    def exaflops(layers, width, patch, epochs, res=224, images=303e6):
        n = (res // patch) ** 2
        forward = layers * layer_macs(n + 1, width) + n * patch * patch * 3 * width
        return 6 * forward * images * epochs / 1e18

    assert huge.value() == pytest.approx(exaflops(32, 1280, 14, 14), rel=5e-4)
    assert large.value() == pytest.approx(exaflops(24, 1024, 16, 7), rel=5e-4)


def test_uniform_attention_distance():
    stated = answers("ex-vit-uniform-distance")[0]
    idx = np.arange(14)
    i, j = [a.ravel() for a in np.meshgrid(idx, idx, indexing="ij")]
    dist = 16 * np.hypot(i[:, None] - i[None, :], j[:, None] - j[None, :])
    assert stated.value() == pytest.approx(dist.mean(), abs=0.01)
