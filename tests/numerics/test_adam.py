"""Numerical checks of the Adam chapter (Kingma and Ba, 2015)."""
import numpy as np
import pytest

B1, B2 = 0.9, 0.999


def adam_moments(grads, b1=B1, b2=B2):
    """Run the moment recursions of Algorithm 1 and return the corrected estimates at every step."""
    m = np.zeros_like(grads[0], dtype=float)
    v = np.zeros_like(grads[0], dtype=float)
    m_hat, v_hat = [], []
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat.append(m / (1 - b1**t))
        v_hat.append(v / (1 - b2**t))
    return np.array(m_hat), np.array(v_hat)


@pytest.mark.equations("adam-first-moment", "adam-second-moment", "adam-bias-correction", "online-learning-ema-bias")
def test_bias_corrected_ema_of_constant_gradient_is_exact():
    c = np.array([0.37, -2.5, 1e-3, 40.0])
    grads = [c] * 50
    m_hat, v_hat = adam_moments(grads)
    np.testing.assert_allclose(m_hat, np.tile(c, (50, 1)), rtol=1e-12)
    np.testing.assert_allclose(v_hat, np.tile(c * c, (50, 1)), rtol=1e-12)
    # without the correction the first estimate is too small by the factor 1 - beta1 = 0.1
    m1_uncorrected = (1 - B1) * c
    assert np.allclose(m1_uncorrected / m_hat[0], 1 - B1)


@pytest.mark.equations("adam-unrolled", "adam-bias-derivation", "online-learning-ema")
def test_unrolled_second_moment_and_its_expectation():
    rng = np.random.default_rng(1)
    t_max, n_runs = 40, 20000
    g = 0.3 + 0.8 * rng.standard_normal((n_runs, t_max))  # stationary: E[g^2] = 0.09 + 0.64
    v = np.zeros(n_runs)
    for t in range(t_max):
        v = B2 * v + (1 - B2) * g[:, t] ** 2
    weights = (1 - B2) * B2 ** (t_max - 1 - np.arange(t_max))
    np.testing.assert_allclose(v, g**2 @ weights, rtol=1e-10)
    expected = (0.09 + 0.64) * (1 - B2**t_max)  # zeta = 0 for a stationary second moment
    assert abs(v.mean() - expected) < 4 * v.std() / np.sqrt(n_runs)


@pytest.mark.equations("adam-effective-step", "adam-step-bound", "adam-update")
def test_paper_step_bound_holds_along_simulated_runs():
    rng = np.random.default_rng(2)
    bound = max(1.0, (1 - B1) / np.sqrt(1 - B2))
    for mean in (0.0, 0.5, 3.0):
        grads = mean + rng.standard_normal((5000, 8))
        m_hat, v_hat = adam_moments(list(grads))
        steps = np.abs(m_hat / np.sqrt(v_hat))  # |Delta_t| / alpha with epsilon = 0
        assert steps.max() <= bound
    # the boundary case (1 - beta1) = sqrt(1 - beta2), where the paper asserts |Delta_t| < alpha:
    # pure noise already overshoots alpha slightly, but never the exact worst case
    b1, b2 = 0.9, 0.99
    m_hat, v_hat = adam_moments(list(rng.standard_normal((5000, 8))), b1=b1, b2=b2)
    steps = np.abs(m_hat / np.sqrt(v_hat))
    t = np.arange(1, 5001)[:, None]
    gamma = b1**2 / b2
    worst = (1 - b1) / np.sqrt(1 - b2) * np.sqrt(1 - b2**t) / (1 - b1**t) * np.sqrt((1 - gamma**t) / (1 - gamma))
    assert 1.0 < steps.max() < 1.1
    assert np.all(steps <= worst * (1 + 1e-12))
    # stationary gradients with mean 1 and standard deviation 1 overshoot alpha by far more:
    # about 2% of the steps exceed alpha and the largest exceed it by 20% or more
    m_hat, v_hat = adam_moments(list(1.0 + rng.standard_normal((5000, 200))), b1=b1, b2=b2)
    steps = np.abs(m_hat / np.sqrt(v_hat))
    assert steps.max() > 1.2
    assert 0.01 < np.mean(steps > 1.0) < 0.04
    assert np.all(steps <= worst * (1 + 1e-12))


@pytest.mark.equations("adam-sparse-case", "adam-step-worst-case")
def test_sparse_case_and_exact_worst_case_of_the_step():
    t = 400
    # most severe sparsity: zero gradients except the last one
    g = np.zeros(t)
    g[-1] = -1.7
    m_hat, v_hat = adam_moments(list(g[:, None]))
    ratio = abs(m_hat[-1, 0]) / np.sqrt(v_hat[-1, 0])
    predicted = (1 - B1) / np.sqrt(1 - B2) * np.sqrt(1 - B2**t) / (1 - B1**t)
    assert np.isclose(ratio, predicted, rtol=1e-10)
    # the Cauchy-Schwarz worst case is attained by g_i proportional to (beta1/beta2)^(t-i) ...
    gamma = B1**2 / B2
    worst = predicted * np.sqrt((1 - gamma**t) / (1 - gamma))
    g_star = (B1 / B2) ** (t - np.arange(1, t + 1))
    m_hat, v_hat = adam_moments(list(g_star[:, None]))
    assert np.isclose(m_hat[-1, 0] / np.sqrt(v_hat[-1, 0]), worst, rtol=1e-9)
    # ... it exceeds the paper's first bound, and no random history beats it
    assert worst > (1 - B1) / np.sqrt(1 - B2)
    rng = np.random.default_rng(3)
    hist = rng.standard_normal((t, 200)) * np.exp(rng.standard_normal((1, 200)) * np.arange(t)[:, None] / t)
    m_hat, v_hat = adam_moments(list(hist))
    assert np.abs(m_hat[-1] / np.sqrt(v_hat[-1])).max() <= worst * (1 + 1e-12)


@pytest.mark.equations("adam-scale-invariance", "adam-efficient-order")
def test_scale_invariance_and_efficient_order_of_computation():
    rng = np.random.default_rng(4)
    grads = rng.standard_normal((100, 5))
    scale = np.array([1e-3, 1.0, 7.0, 1e2, 1e4])
    m1, v1 = adam_moments(list(grads))
    m2, v2 = adam_moments(list(grads * scale))
    np.testing.assert_allclose(m1 / np.sqrt(v1), m2 / np.sqrt(v2), rtol=1e-9)
    # folding the corrections into alpha_t gives the same step when eps_hat = eps sqrt(1 - beta2^t)
    alpha, eps = 1e-3, 1e-8
    m = v = np.zeros(5)
    for t, g in enumerate(grads, start=1):
        m = B1 * m + (1 - B1) * g
        v = B2 * v + (1 - B2) * g * g
        step_alg1 = alpha * (m / (1 - B1**t)) / (np.sqrt(v / (1 - B2**t)) + eps)
        alpha_t = alpha * np.sqrt(1 - B2**t) / (1 - B1**t)
        step_fast = alpha_t * m / (np.sqrt(v) + eps * np.sqrt(1 - B2**t))
        np.testing.assert_allclose(step_alg1, step_fast, rtol=1e-12)


@pytest.mark.equations("adam-adamax-lp", "adam-adamax-limit")
def test_adamax_infinity_norm_limit_of_the_lp_recursion():
    rng = np.random.default_rng(5)
    g = rng.standard_normal(60) * np.exp(rng.standard_normal(60))
    t = len(g)
    u = 0.0
    for gt in g:
        u = max(B2 * u, abs(gt))
    closed_form = np.max(B2 ** (t - np.arange(1, t + 1)) * np.abs(g))
    assert np.isclose(u, closed_form, rtol=1e-13)
    for p, tol in ((50, 0.1), (400, 0.012), (4000, 0.0012)):
        # v_t^(1/p) from the L^p recursion, evaluated in log space to avoid overflow
        log_terms = p * ((t - np.arange(1, t + 1)) * np.log(B2) + np.log(np.abs(g)))
        top = log_terms.max()
        log_v = np.log1p(-(B2**p)) + top + np.log(np.exp(log_terms - top).sum())
        assert abs(np.exp(log_v / p) / u - 1) < tol


@pytest.mark.equations("adam-adagrad-limit")
def test_adagrad_limit_of_the_corrected_second_moment():
    rng = np.random.default_rng(6)
    g = rng.standard_normal(30)
    for b2, tol in ((0.99, 0.2), (0.9999, 2e-3), (0.9999999, 2e-6)):
        _, v_hat = adam_moments(list(g[:, None]), b2=b2)
        assert abs(v_hat[-1, 0] / np.mean(g**2) - 1) < tol


@pytest.mark.equations("adam-reddi-example", "adam-amsgrad")
def test_reddi_counterexample_adam_fails_and_amsgrad_converges():
    c, alpha, t_max = 3.0, 0.1, 6000
    b2 = 1.0 / (1.0 + c**2)

    def average_regret(amsgrad):
        x = v = v_hat = total = 0.0
        for t in range(1, t_max + 1):
            g = c if t % 3 == 1 else -1.0
            total += g * (x + 1.0)
            v = b2 * v + (1 - b2) * g * g
            v_hat = max(v_hat, v) if amsgrad else v
            x = min(1.0, max(-1.0, x - alpha / np.sqrt(t) * g / np.sqrt(v_hat)))
        return x, total / t_max

    x_adam, r_adam = average_regret(False)
    x_ams, r_ams = average_regret(True)
    assert x_adam > 0.99 and abs(r_adam - (2 * c - 4) / 3) < 0.05
    assert x_ams < -0.99 and r_ams < 0.05
