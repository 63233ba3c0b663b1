"""Checks of the stated answers of the exercises in topics/positional-encodings."""

import numpy as np
import pytest

from exercises.answers import answers


def test_slow_pairs():
    stated = answers("ex-positional-encodings-slow-pairs")[0]
    d = 512
    positions = np.arange(4096)
    count = 0
    for i in range(d // 2):
        omega = 10000.0 ** (-2 * i / d)
        phase = omega * positions[:512]
        count += phase[-1] - phase[0] < 2 * np.pi * (511 / 512)   # less than a full period over 512 positions
    assert stated.value() == count


def test_rope_spread():
    stated = answers("ex-positional-encodings-rope-offset")[0]
    rng = np.random.default_rng(51)
    d = 64
    theta = 10000.0 ** (-2 * np.arange(d // 2) / d)

    def rotation(pos):
        mat = np.zeros((d, d))
        for i, t in enumerate(theta):
            c, s = np.cos(pos * t), np.sin(pos * t)
            mat[2 * i:2 * i + 2, 2 * i:2 * i + 2] = [[c, -s], [s, c]]
        return mat

    q, k = rng.standard_normal((2, d))
    scores = [(rotation(m) @ q) @ (rotation(m + 5) @ k) for m in range(0, 400, 7)]
    assert stated.value() == pytest.approx(np.ptp(scores), abs=1e-9)
