"""Checks of the stated answers of the exercises on state-space models."""

import math

import numpy as np
import pytest

from exercises.answers import answer, answers


def test_bilinear_error():
    stated = answer("ex-state-space-models-bilinear-error")
    kappa = lambda z: ((1 + z / 2) / (1 - z / 2) - np.exp(z)) / z**3
    for z in [1e-3, 2e-3]:
        # the average over +z and -z cancels the term of order z in kappa(z) - 1/12
        assert (kappa(z) + kappa(-z)) / 2 == pytest.approx(stated.value(), rel=1e-4)


def doubling_scan_ops(L):
    ops, shift = 0, 1
    while shift < L:
        ops += sum(1 for t in range(1, L + 1) if t > shift)
        shift *= 2
    return ops


def test_doubling_work():
    stated = answers("ex-state-space-models-doubling-work")
    for m in range(1, 11):
        assert stated[0].value(L=2**m) == pytest.approx(doubling_scan_ops(2**m))
    L = 2**20
    assert stated[1].value() == sum(L - 2**k for k in range(20))


def test_noncommuting_limit():
    stated = answers("ex-state-space-models-noncommuting")
    a1 = np.array([[0.5, 0.5], [0.0, 0.5]])
    a2 = np.array([[0.5, 0.0], [0.5, 0.5]])
    h = np.zeros(2)
    for t in range(400):
        h = (a1 if t % 2 == 0 else a2) @ h + np.array([1.0, 0.0])
    assert [stated[0].value(), stated[1].value()] == pytest.approx(list(h), rel=1e-12)
