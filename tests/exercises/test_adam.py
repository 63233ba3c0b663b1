"""Checks of the answers to the exercises of the Adam chapter."""

import math

import numpy as np
import pytest

from exercises.answers import answer, answers


def adam_step(m, v, t, alpha, beta1, beta2, eps):
    return alpha * (m / (1 - beta1**t)) / (math.sqrt(v / (1 - beta2**t)) + eps)


def test_epsilon_hat():
    stated = answers("ex-adam-epsilon-hat")
    rng = np.random.default_rng(1)
    for _ in range(5):
        beta1, beta2 = rng.uniform(0, 0.99, size=2)
        eps, t = 10 ** rng.uniform(-8, -2), int(rng.integers(1, 50))
        m, v, alpha = rng.normal(), rng.uniform(0.01, 2), 0.01
        step = adam_step(m, v, t, alpha, beta1, beta2, eps)
        alpha_t = alpha * math.sqrt(1 - beta2**t) / (1 - beta1**t)
        # solve alpha_t m / (sqrt(v) + eps_hat) = step for eps_hat
        eps_hat = alpha_t * m / step - math.sqrt(v)
        assert stated[0].value(eps=eps, beta2=beta2, t=t) == pytest.approx(eps_hat, rel=1e-6)
    # factor at t = 1, beta2 = 0.999: run the cheaper order with a constant eps_hat, then find the
    # epsilon that Algorithm 1 (corrected moments) needs to take exactly the same step
    beta1, beta2, t, alpha, eps_hat = 0.9, 0.999, 1, 0.001, 1e-6
    g = 0.37
    m, v = (1 - beta1) * g, (1 - beta2) * g * g
    alpha_t = alpha * math.sqrt(1 - beta2**t) / (1 - beta1**t)
    step = alpha_t * m / (math.sqrt(v) + eps_hat)
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    eps_equiv = alpha * m_hat / step - math.sqrt(v_hat)
    assert adam_step(m, v, t, alpha, beta1, beta2, eps_equiv) == pytest.approx(step, rel=1e-9)
    assert stated[1].value() == pytest.approx(eps_equiv / eps_hat, rel=1e-6)


def test_growing_steps():
    stated = answer("ex-adam-growing-steps")
    beta2, alpha = 0.97, 1.0
    g = np.zeros(200)
    g[0] = 1.0
    v, ratios = 0.0, []
    for t in range(1, 200):
        v = beta2 * v + (1 - beta2) * g[t - 1] ** 2
        ratios.append(math.sqrt(v) * math.sqrt(t) / alpha)   # sqrt(v_t) / alpha_t
    gamma = np.diff(ratios)                                    # gamma[k] = Gamma_{t+1} for t = k + 1
    first = int(np.argmax(gamma < 0)) + 1
    assert np.all(gamma[first - 1:] < 0)
    assert stated.value() == first


def test_sparse_step():
    stated = answers("ex-adam-sparse-step")
    alpha, beta1, beta2 = 0.001, 0.9, 0.999

    def ratio(t):
        # simulate: zero gradients before t, gradient 1 at t; epsilon = 0
        m = v = 0.0
        for s in range(1, t + 1):
            g = 1.0 if s == t else 0.0
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g * g
        return adam_step(m, v, t, alpha, beta1, beta2, 0.0) / alpha

    assert stated[0].value() == pytest.approx(ratio(1000), rel=1e-9)
    long_silence = ratio(200000)
    assert stated[1].value() == pytest.approx(long_silence, rel=1e-6)
    ts = np.arange(1, 5000)
    closed = (1 - beta1) / math.sqrt(1 - beta2) * np.sqrt(1 - beta2**ts) / (1 - beta1**ts)
    first = int(ts[np.argmax(closed > 3)])
    assert ratio(first) > 3 > ratio(first - 1)
    assert stated[2].value() == first
    # the limiting step in parameter units: alpha times the ratio after a very long silence
    assert stated[3].value() == pytest.approx(alpha * long_silence, rel=1e-6)
    # the remark of the solution: the isolated step is alpha at t = 1 and below alpha / 2
    # exactly for 8 <= t <= 18
    assert ratio(1) == pytest.approx(1.0)
    assert [t for t in range(1, 100) if ratio(t) < 0.5] == list(range(8, 19))


def test_bias_experiment():
    stated = answers("ex-adam-bias-experiment")
    beta2, t = 0.999, 10
    # exact expectation of the recursion, E[v_t] = beta2 E[v_{t-1}] + (1 - beta2) E[g^2]
    second_moment = 1.0**2 + 1.0**2
    ev = 0.0
    for _ in range(t):
        ev = beta2 * ev + (1 - beta2) * second_moment
    assert stated[0].value() == pytest.approx(ev, rel=1e-9)
    assert stated[1].value() == pytest.approx(ev / (1 - beta2**t), rel=1e-9)
    # and a simulation with another seed
    g = np.random.default_rng(7).normal(1.0, 1.0, size=(100_000, t))
    v = np.zeros(len(g))
    for i in range(t):
        v = beta2 * v + (1 - beta2) * g[:, i] ** 2
    assert stated[1].value() == pytest.approx(v.mean() / (1 - beta2**t), rel=0.01)
