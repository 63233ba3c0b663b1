import numpy as np
import pytest

from exercises.answers import answer, answers


def test_injections():
    stated = answers("ex-set-prediction-injections")
    for a, N in zip(stated, (100, 200)):
        count = 1
        for k in range(10):
            count *= N - k
        assert a.value() == pytest.approx(count, rel=1e-12)


def _giou(A, B):
    (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = A, B
    inter = max(0, min(ax1, bx1) - max(ax0, bx0)) * max(0, min(ay1, by1) - max(ay0, by0))
    union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter
    hull = (max(ax1, bx1) - min(ax0, bx0)) * (max(ay1, by1) - min(ay0, by0))
    return inter / union - (hull - union) / hull


def test_giou_diagonal():
    stated = answer("ex-set-prediction-giou-diagonal")
    for d in (0.0, 0.3, 2.0, 50.0):
        assert stated.value(d=d) == pytest.approx(_giou((0, 0, 1, 1), (1 + d, 1 + d, 2 + d, 2 + d)), rel=1e-12)


def test_injection_ratio():
    stated = answers("ex-set-prediction-injections")
    ratio = 1.0
    for k in range(10):                         # doubling the slots multiplies each factor
        ratio *= (200 - k) / (100 - k)
    assert stated[2].value() == pytest.approx(ratio, rel=1e-12)


def test_sinkhorn_cross_ratio():
    stated = answer("ex-set-prediction-birkhoff")
    n = 5
    i = np.arange(n)
    C = (i[:, None] - i[None, :]) ** 2.0
    for eps in (1.0, 0.5, 0.25, 0.7):
        X = np.exp(-C / eps)
        for _ in range(2000):                   # run Sinkhorn to convergence
            X /= X.sum(axis=1, keepdims=True)
            X /= X.sum(axis=0, keepdims=True)
        assert np.allclose(X.sum(axis=1), 1, atol=1e-9) and np.allclose(X.sum(axis=0), 1)
        rho = X[0, 0] * X[1, 1] / (X[0, 1] * X[1, 0])
        assert stated.value(eps=eps) == pytest.approx(rho, rel=1e-9)
