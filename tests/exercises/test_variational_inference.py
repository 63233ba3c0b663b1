"""Checks of the stated answers of the exercises in topics/variational-inference.md."""
import math

import numpy as np
import pytest

from exercises.answers import answers
from exercises.roots import golden_argmin

Z = np.linspace(-12.0, 12.0, 4801)


def _log_normal(x, mean, var):
    return -0.5 * np.log(2 * np.pi * var) - (x - mean) ** 2 / (2 * var)


def _elbo_by_quadrature(x, s2, m, v):
    # E_q[log p(x, z) - log q(z)] for z ~ N(0, 1), x | z ~ N(z, s2), q = N(m, v)
    log_joint = _log_normal(Z, 0.0, 1.0) + _log_normal(x, Z, s2)
    log_q = _log_normal(Z, m, v)
    return np.trapezoid(np.exp(log_q) * (log_joint - log_q), Z)


def _log_evidence_by_quadrature(x, s2):
    return math.log(np.trapezoid(np.exp(_log_normal(Z, 0.0, 1.0) + _log_normal(x, Z, s2)), Z))


def test_prior_gap():
    elbo, evidence, gap = answers("ex-variational-inference-prior-gap")
    e = _elbo_by_quadrature(2.0, 1.0, 0.0, 1.0)
    ev = _log_evidence_by_quadrature(2.0, 1.0)
    assert elbo.value() == pytest.approx(e, rel=1e-8)
    assert evidence.value() == pytest.approx(ev, rel=1e-8)
    assert gap.value() == pytest.approx(ev - e, rel=1e-7)


def test_meanfield_correlated():
    variance, gap = answers("ex-variational-inference-meanfield-correlated")
    z = np.linspace(-6.0, 6.0, 301)
    dz = z[1] - z[0]
    for rho in [0.3, -0.8, 0.95]:
        # log N(z; 0, [[1, rho], [rho, 1]]) on a grid, rows z1, columns z2
        z1, z2 = np.meshgrid(z, z, indexing="ij")
        logp = -np.log(2 * np.pi * math.sqrt(1 - rho**2)) - (z1**2 - 2 * rho * z1 * z2 + z2**2) / (2 * (1 - rho**2))
        # coordinate ascent with the factors as arbitrary densities on the grid, started far off
        q1 = np.exp(-((z - 2.0) ** 2) / 6.0)
        q2 = np.exp(-((z + 1.5) ** 2) / 0.2)
        q1, q2 = q1 / (q1.sum() * dz), q2 / (q2.sum() * dz)
        for _ in range(150):
            e1 = logp @ q2 * dz
            q1 = np.exp(e1 - e1.max())
            q1 /= q1.sum() * dz
            e2 = q1 @ logp * dz
            q2 = np.exp(e2 - e2.max())
            q2 /= q2.sum() * dz
        for q in (q1, q2):
            mean = np.sum(z * q) * dz
            var = np.sum(z**2 * q) * dz - mean**2
            assert abs(mean) < 1e-4
            assert variance.value(rho=rho) == pytest.approx(var, rel=1e-4)
        with np.errstate(divide="ignore"):
            logq = np.log(q1)[:, None] + np.log(q2)[None, :]
        joint = q1[:, None] * q2[None, :]
        keep = joint > 0
        kl = np.sum(joint[keep] * (logq[keep] - logp[keep])) * dz * dz
        assert gap.value(rho=rho) == pytest.approx(kl, rel=1e-4)


def _argmax(f, lo, hi):
    """Maximiser of a unimodal f on [lo, hi], to better than 1e-7 (golden-section search)."""
    return golden_argmin(lambda t: -f(t), lo, hi, 40)


def test_em_needs_posterior():
    theta1, change, theta_em = answers("ex-variational-inference-em-needs-posterior")
    # (a) q = N(0, 1) fixed: maximise the ELBO, computed by quadrature, over theta
    t1 = _argmax(lambda t: _elbo_by_quadrature(0.0, t, 0.0, 1.0), 0.01, 5.0)
    assert theta1.value() == pytest.approx(t1, abs=1e-5)
    delta = _log_evidence_by_quadrature(0.0, t1) - _log_evidence_by_quadrature(0.0, 0.25)
    assert change.value() == pytest.approx(delta, abs=1e-6)
    assert delta < 0 < _elbo_by_quadrature(0.0, t1, 0.0, 1.0) - _elbo_by_quadrature(0.0, 0.25, 0.0, 1.0)
    # (b) q = the exact posterior at theta0 = 1/4, found from the joint on the grid
    w = np.exp(_log_normal(Z, 0.0, 1.0) + _log_normal(0.0, Z, 0.25))
    w /= np.trapezoid(w, Z)
    pm = np.trapezoid(Z * w, Z)
    pv = np.trapezoid((Z - pm) ** 2 * w, Z)
    t_em = _argmax(lambda t: _elbo_by_quadrature(0.0, t, pm, pv), 0.01, 5.0)
    assert theta_em.value() == pytest.approx(t_em, abs=1e-5)
    assert _log_evidence_by_quadrature(0.0, t_em) > _log_evidence_by_quadrature(0.0, 0.25)


def test_importance_weighted():
    first, limit = answers("ex-variational-inference-importance-weighted")
    x = 3.0
    # L_1 is the ELBO of the prior; the limit is the log evidence (both by quadrature)
    assert first.value() == pytest.approx(_elbo_by_quadrature(x, 1.0, 0.0, 1.0), rel=1e-8)
    assert limit.value() == pytest.approx(_log_evidence_by_quadrature(x, 1.0), rel=1e-8)
    # and the Monte Carlo bounds rise towards the limit from below
    rng = np.random.default_rng(1)
    est = []
    for K in [1, 30, 3000]:
        logw = _log_normal(x, rng.standard_normal((1000, K)), 1.0)
        top = logw.max(axis=1, keepdims=True)
        est.append(float(np.mean(top[:, 0] + np.log(np.mean(np.exp(logw - top), axis=1)))))
    assert est[0] == pytest.approx(first.value(), abs=0.25)
    assert est[0] < est[1] < est[2] < limit.value() + 0.01
    assert est[2] == pytest.approx(limit.value(), abs=0.02)
