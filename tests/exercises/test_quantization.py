"""Checks of the stated answers of the exercises of the quantization page."""

import itertools
import math

import numpy as np
import pytest

from exercises.answers import answers


def test_disk_second_moment():
    G, gain = answers("ex-quantization-disk-nsm")
    n = 1201                                       # midpoint rule on the square [-1, 1]^2
    t = (np.arange(n) + 0.5) / n * 2 - 1
    X, Y = np.meshgrid(t, t)
    inside = X ** 2 + Y ** 2 <= 1
    cell = (2 / n) ** 2
    second = np.sum((X ** 2 + Y ** 2)[inside]) * cell
    area = np.sum(inside) * cell
    computed = second / (2 * area ** 2)
    assert G.value() == pytest.approx(computed, rel=3e-3)
    assert gain.value() == pytest.approx(10 * math.log10((1 / 12) / computed), abs=0.01)


def test_nearest_rounding_is_not_optimal():
    nearest, best = answers("ex-quantization-nearest-rounding")
    w = np.array([0.4, 0.4])
    H = np.array([[1.0, 0.9], [0.9, 1.0]])
    loss = lambda q: (np.array(q) - w) @ H @ (np.array(q) - w)
    assert nearest.value() == pytest.approx(loss(np.round(w)))
    assert best.value() == pytest.approx(min(loss(q) for q in itertools.product(range(-4, 5), repeat=2)))


def fwht_additions(x):
    """Fast Walsh-Hadamard transform; returns the result and the additions/subtractions used."""
    x = np.array(x, dtype=float)
    n, h, ops = x.size, 1, 0
    while h < n:
        for i in range(0, n, 2 * h):
            a, b = x[i:i + h].copy(), x[i + h:i + 2 * h].copy()
            x[i:i + h], x[i + h:i + 2 * h] = a + b, a - b
            ops += 2 * h
        h *= 2
    return x, ops


def test_hadamard_costs():
    additions, mu = answers("ex-quantization-hadamard-costs")
    y, ops = fwht_additions(np.eye(4096)[0])
    assert np.allclose(y, 1.0)
    assert additions.value() == ops
    n, delta = 4096, 0.01                          # solve n * 2 exp(-n t^2 / 2) = delta for t, times sqrt(n)
    t = math.sqrt(2 * math.log(2 * n / delta) / n)
    assert n * 2 * math.exp(-n * t * t / 2) == pytest.approx(delta)
    assert mu.value() == pytest.approx(t * math.sqrt(n), rel=1e-9)


def test_lloyd_max_by_integration():
    stated, gap = answers("ex-quantization-lloyd")
    phi = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)
    Phi = lambda x: 0.5 * math.erfc(-x / math.sqrt(2))
    c = [-2.0, -0.5, 0.5, 2.0]
    for _ in range(500):
        edges = [-math.inf] + [(a + b) / 2 for a, b in zip(c, c[1:])] + [math.inf]
        c = [(phi(lo) - phi(hi)) / (Phi(hi) - Phi(lo)) for lo, hi in zip(edges, edges[1:])]
    edges = [-math.inf] + [(a + b) / 2 for a, b in zip(c, c[1:])] + [math.inf]
    # E[(X - c)^2; lo < X < hi] = (1 + c^2) P - 2 c (phi(lo) - phi(hi)) + (lo phi(lo) - hi phi(hi))
    g = lambda x: 0.0 if math.isinf(x) else x * phi(x)
    mse = sum((1 + cj ** 2) * (Phi(hi) - Phi(lo)) - 2 * cj * (phi(lo) - phi(hi)) + g(lo) - g(hi)
              for cj, lo, hi in zip(c, edges, edges[1:]))
    assert stated.value() == pytest.approx(mse, abs=1e-4)
    assert gap.value() == pytest.approx(10 * math.log10(mse * 16), abs=2e-3)
