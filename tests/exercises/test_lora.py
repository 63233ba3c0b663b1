"""Checks of the stated answers of the LoRA exercises."""

import math

import numpy as np
import pytest

from exercises.answers import answer, answers


def test_second_step_gradient():
    stated = answer("ex-lora-second-step")
    rng = np.random.default_rng(1)
    d, k, r, s, eta = 5, 4, 2, 1.7, 0.3
    W0 = rng.standard_normal((d, k))
    A0 = rng.standard_normal((r, k))
    x, g = rng.standard_normal(k), rng.standard_normal(d)
    loss = lambda A, B: g @ (W0 @ x + s * B @ A @ x)
    B1 = -eta * s * np.outer(g, A0 @ x)
    # gradient with respect to A at (A0, B1), by central finite differences
    grad, h = np.zeros_like(A0), 1e-6
    for idx in np.ndindex(*A0.shape):
        E = np.zeros_like(A0)
        E[idx] = h
        grad[idx] = (loss(A0 + E, B1) - loss(A0 - E, B1)) / (2 * h)
    c = stated.value(eta=eta, s=s, G=g @ g)
    assert np.allclose(grad, c * np.outer(A0 @ x, x), atol=1e-6)


def adam_first_step(grad, lr, eps, beta1=0.9, beta2=0.999):
    m = (1 - beta1) * grad
    v = (1 - beta2) * grad**2
    mhat, vhat = m / (1 - beta1), v / (1 - beta2)
    return -lr * mhat / (math.sqrt(vhat) + eps)


def test_adam_epsilon():
    stated = answers("ex-lora-adam-epsilon")
    for c, s, g, a, x, eps, eta in [(2.0, 0.5, 0.3, 1.2, 0.7, 0.05, 1e-3), (3.0, 1.0, 1e-4, 2.0, 1.0, 1e-8, 0.1)]:
        G = s * g * a * x
        df1 = c * s * adam_first_step(c * s * g * a * x, eta, eps) * a * x
        df2 = s * adam_first_step(s * g * a * x, c * eta, eps) * a * x
        assert stated[0].value(c=c, G=G, eps=eps) == pytest.approx(df1 / df2, rel=1e-9)
    c, G = 2.0, 0.01
    df1 = c * adam_first_step(c * G, 1.0, G)
    df2 = adam_first_step(G, c, G)
    assert stated[1].value() == pytest.approx(df1 / df2, rel=1e-9)


def test_budget():
    stated = answers("ex-lora-budget")
    d_model, layers = 12288, 96
    counts = {2 * (types * layers) * d_model * r for types, r in [(1, 8), (2, 4), (4, 2)]}
    assert len(counts) == 1
    budget = counts.pop()
    assert stated[0].value() == budget
    assert stated[1].value() == 2 * budget
    r = 1
    while 2 * 192 * d_model * (r + 1) <= 0.01 * 175e9:
        r += 1
    assert stated[2].value() == r


def test_eckart_young_gd():
    stated = answer("ex-lora-eckart-young-gd")
    rng = np.random.default_rng(0)
    d, k, r = 20, 16, 2
    U, _ = np.linalg.qr(rng.standard_normal((d, 5)))
    V, _ = np.linalg.qr(rng.standard_normal((k, 5)))
    T = U @ np.diag([4.0, 2.0, 1.0, 0.5, 0.25]) @ V.T
    sv = np.linalg.svd(T, compute_uv=False)
    assert stated.value() == pytest.approx(np.sqrt((sv[r:] ** 2).sum()), rel=1e-9)
    A = rng.normal(0.0, 0.1, (r, k))
    B = np.zeros((d, r))
    for _ in range(5000):
        R = B @ A - T
        B, A = B - 0.02 * R @ A.T, A - 0.02 * B.T @ R
    assert np.linalg.norm(B @ A - T) == pytest.approx(stated.value(), rel=1e-6)
