"""Checks of the stated answers of the exercises in topics/softmax."""

import math

import numpy as np
import pytest

from exercises.answers import answers


def test_largest_jacobian_trace():
    stated = answers("ex-softmax-max-trace")[0]
    rng = np.random.default_rng(41)
    for n in (2, 5, 32):
        p = rng.dirichlet(np.ones(n), size=100_000)
        traces = 1 - (p ** 2).sum(axis=1)
        assert traces.max() <= stated.value(n=n) + 1e-12
        uniform = np.full(n, 1 / n)
        jac = np.diag(uniform) - np.outer(uniform, uniform)
        assert stated.value(n=n) == pytest.approx(np.trace(jac), rel=1e-12)


def test_overflow_thresholds():
    stated = answers("ex-softmax-overflow")
    for answer, dtype in zip(stated, (np.float16, np.float32, np.float64)):
        threshold = answer.value()
        below = np.array(threshold * (1 - 1e-3), dtype=dtype)
        above = np.array(threshold * (1 + 1e-3), dtype=dtype)
        with np.errstate(over="ignore"):
            assert np.isfinite(np.exp(below)) and np.isinf(np.exp(above))
        assert threshold == pytest.approx(math.log(float(np.finfo(dtype).max)), rel=1e-12)


def test_naive_failure_probability():
    stated = answers("ex-softmax-naive-failure")[0]
    t = math.log(float(np.finfo(np.float32).max)) / 100
    x = np.linspace(-12, t, 400_001)
    cdf = np.trapezoid(np.exp(-x ** 2 / 2) / math.sqrt(2 * math.pi), x)
    assert stated.value() == pytest.approx(1 - cdf ** 10, abs=1e-6)
