"""Checks of the answers to the exercises of the Kimi K2 chapter."""

import itertools
import math

import numpy as np
import pytest

from exercises.answers import answers


def test_steps_compute():
    decay, total, compute = answers("ex-kimi-k2-steps-compute")
    batch = 67e6
    tokens = {"constant": 10e12, "decay": 5.5e12}
    assert decay.value() == pytest.approx(tokens["decay"] / batch, rel=1e-9)
    assert total.value() == pytest.approx(sum(tokens.values()) / batch, rel=1e-9)
    # 2 FLOPs per activated weight forward, twice that backward, for every training token
    flops_per_token = (2 + 4) * 32.6e9
    assert compute.value() == pytest.approx(flops_per_token * sum(tokens.values()), rel=1e-9)


def test_log_partition():
    closed, limit = answers("ex-kimi-k2-log-partition")
    for p in (0.1, 0.5, 0.83):
        for tau in (0.3, 1.0, 7.0):
            z = (1 - p) * math.exp(0 / tau) + p * math.exp(1 / tau)   # E[exp(r / tau)] over r in {0, 1}
            assert closed.value(p=p, tau=tau) == pytest.approx(tau * math.log(z), rel=1e-12)
        tau = 1e5
        excess = tau * math.log1p(p * math.expm1(1 / tau)) - p
        assert limit.value(p=p) == pytest.approx(tau * excess, rel=1e-4)


def test_negative_logit():
    gamma_stated, new_max = answers("ex-kimi-k2-negative-logit")
    # one key, three queries, d = 1: the logits are the query values
    W_q, W_k = np.array([[1.0]]), np.array([[1.0]])
    X_q, X_k = np.array([[-10.0], [-6.0], [-2.0]]), np.array([[1.0]])
    logits = (X_q @ W_q) @ (X_k @ W_k).T
    tau = 100.0
    gamma = min(1.0, tau / logits.max())
    assert gamma_stated.value() == pytest.approx(gamma)
    clipped = (X_q @ (gamma * W_q)) @ (X_k @ W_k).T
    assert new_max.value() == pytest.approx(clipped.max())


def test_rl_factor():
    stated = answers("ex-kimi-k2-rl-factor")[0]
    theta = np.array([0.3, -0.2, 0.1])
    r = np.array([1.0, 0.0, 0.5])
    pi = np.exp(theta) / np.exp(theta).sum()
    tau = 1.0
    g_true = -2 * tau * pi * (r - pi @ r)
    for K in (2, 3, 4):
        expected = np.zeros(3)
        for group in itertools.product(range(3), repeat=K):   # exact expectation over all groups
            prob = np.prod(pi[list(group)])
            rewards = r[list(group)]
            grad = np.zeros(3)
            for y, ry in zip(group, rewards):
                grad += (ry - rewards.mean()) * (np.eye(3)[y] - pi)
            expected += prob * (-(2 * tau / K) * grad)
        ratio = expected @ g_true / (g_true @ g_true)
        assert np.allclose(expected, ratio * g_true)
        assert stated.value(K=K) == pytest.approx(ratio, rel=1e-9)
