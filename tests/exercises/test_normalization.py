"""Checks of the answers to the exercises of the normalisation page."""

import numpy as np
import pytest

from exercises.answers import answer, answers


def standardise(x, eps=0.0):
    return (x - x.mean()) / np.sqrt(x.var() + eps)


def test_jacobian_eigenvalue():
    stated = answer("ex-normalization-jacobian-eigenvalue")
    rng = np.random.default_rng(2)
    for n, eps in [(3, 0.5), (6, 0.1), (10, 2.0)]:
        x = rng.normal(size=n)
        h = 1e-6
        J = np.column_stack([(standardise(x + h * e, eps) - standardise(x - h * e, eps)) / (2 * h)
                             for e in np.eye(n)])
        x_hat = standardise(x, eps)
        rayleigh = x_hat @ J @ x_hat / (x_hat @ x_hat)
        assert np.allclose(J @ x_hat, rayleigh * x_hat, atol=1e-7)
        s = np.sqrt(x.var() + eps)
        assert stated.value(eps=eps, s=s) == pytest.approx(rayleigh, rel=1e-6)


def test_row_scale():
    before, after = answers("ex-normalization-row-scale")
    a = np.array([1.0, 0.0, -1.0])
    assert before.value() == pytest.approx(standardise(a)[0], rel=1e-12)
    assert after.value() == pytest.approx(standardise(a * np.array([2.0, 1.0, 1.0]))[0], rel=1e-12)


def test_set_sizes():
    stated = [s.value() for s in answers("ex-normalization-set-sizes")]
    N, C, H, W, G = 32, 256, 56, 56, 32
    kN, kC = np.meshgrid(np.arange(N), np.arange(C), indexing="ij")   # every set holds all H W positions
    iN, iC = 0, 0                                                      # the activation whose set we count
    sets = {
        "BN": kC == iC,
        "LN": kN == iN,
        "IN": (kN == iN) & (kC == iC),
        "GN": (kN == iN) & (kC * G // C == iC * G // C),
    }
    counts = [int(mask.sum()) * H * W for mask in sets.values()]
    assert stated == counts
