"""Checks of the answers to the exercises of the mixture-of-experts page."""

import numpy as np
import pytest

from exercises.answers import answer, answers


def cv2(values):
    values = np.asarray(values, dtype=float)
    return values.var() / values.mean() ** 2     # population variance


def test_collapse():
    stated = answer("ex-mixture-of-experts-collapse")
    for N in (2, 8, 384):
        importance = np.zeros(N)
        importance[N // 2] = 17.0
        assert stated.value(N=N) == pytest.approx(cv2(importance), rel=1e-12)


def test_importance_load():
    importance_cv2, load_cv2 = answers("ex-mixture-of-experts-importance-load")
    gates = np.zeros((2, 3))
    gates[0, [0, 1]] = np.exp([0.0, np.log(2)]) / np.exp([0.0, np.log(2)]).sum()
    gates[1, [0, 2]] = gates[0, [0, 1]]
    assert importance_cv2.value() == pytest.approx(cv2(gates.sum(axis=0)), abs=1e-12)
    assert load_cv2.value() == pytest.approx(cv2((gates > 0).sum(axis=0)), rel=1e-12)


def test_k2_router():
    router, flops = answers("ex-mixture-of-experts-k2-router")
    layers, dense, d, d_e, N_r, K_r, N_s = 61, 1, 7168, 2048, 384, 8, 1
    moe_layers = layers - dense
    # the matrices one token is multiplied by in one MoE layer, as (rows, columns)
    expert_matrices = [(d_e, d), (d_e, d), (d, d_e)]          # W1, W3 and W2 of a SwiGLU expert
    router_matrix = [(N_r, d)]                                 # one centroid per routed expert
    applied = router_matrix + expert_matrices * (N_s + K_r)
    router_weights = sum(rows * cols for rows, cols in router_matrix * moe_layers)
    assert router.value() == router_weights
    # a (rows x cols) matrix applied to one vector: about two FLOPs (a multiply and an add) per weight
    flops_per_layer = sum(2 * rows * cols for rows, cols in applied)
    assert flops.value() == pytest.approx(moe_layers * flops_per_layer, rel=1e-12)
