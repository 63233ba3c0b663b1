import math

import numpy as np
import pytest

from exercises.answers import answer, answers


def test_product_region():
    area_stated, inf_stated = answers("ex-sam3-product-region")
    n = 1500
    grid = (np.arange(n) + 0.5) / n
    u, v = np.meshgrid(grid, grid)
    for c in (0.2, 0.5, 0.8):
        area = np.mean(u * v > c)
        assert area_stated.value(c=c) == pytest.approx(area, abs=1e-3)
        # smallest presence score on a fine grid for which v = 1 (the best case) passes the gate
        fine = np.linspace(0, 1, 1_000_001)
        assert inf_stated.value(c=c) == pytest.approx(fine[fine * 1.0 > c].min(), abs=2e-6)


def test_negative_mcc():
    stated = answers("ex-sam3-negative-mcc")
    truth = np.array([1] * 50 + [0] * 50)
    pred = np.array([1] * 20 + [0] * 30 + [1] * 40 + [0] * 10)
    mcc = np.corrcoef(truth, pred)[0, 1]        # the MCC is the Pearson correlation
    assert stated[0].value() == pytest.approx(mcc, rel=1e-9)
    assert stated[1].value() == pytest.approx(100 * 0.5 * mcc, rel=1e-9)
    assert stated[1].value() > 100 * min(0.5, mcc)


def test_attention_cost():
    stated = [a.value() for a in answers("ex-sam3-attention-cost")]
    image, patch, window, layers, global_layers = 1008, 14, 336, 32, 4
    tokens = (image // patch) ** 2
    per_window = (window // patch) ** 2
    windows = (image // window) ** 2
    global_cost = tokens ** 2
    windowed_cost = windows * per_window ** 2
    total = global_layers * global_cost + (layers - global_layers) * windowed_cost
    assert stated == pytest.approx([global_cost, windowed_cost, total / (layers * global_cost)])


def test_confirmation_vote():
    stated = answers("ex-sam3-confirmation-vote")
    T = 15
    for a, q in zip(stated, (0.4, 0.7)):
        dist = np.zeros(T + 2)                  # distribution of the number of matched frames
        dist[0] = 1.0
        for _ in range(T + 1):
            dist = np.concatenate([dist[:1] * (1 - q), dist[1:] * (1 - q) + dist[:-1] * q])
        k = np.arange(T + 2)
        confirmed = dist[2 * k - (T + 1) >= 0].sum()
        assert a.value() == pytest.approx(confirmed, rel=2e-4)
