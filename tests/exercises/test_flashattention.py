"""Checks of the stated answers of the FlashAttention exercises."""

import math

import numpy as np
import pytest

from exercises.answers import answer, answers


def tiled_count(N, d, Br, Bc, visit):
    """Simulated HBM traffic of Algorithm 1: initialisation, K/V loads, and each visited tile."""
    io = N * d + 2 * N
    for j in range(0, N, Bc):
        kb = min(Bc, N - j)
        io += 2 * kb * d
        for i in range(0, N, Br):
            if visit(i // Br, j // Bc):
                qb = min(Br, N - i)
                io += (qb * d + qb * d + 2 * qb) + (qb * d + 2 * qb)
    return io


def test_causal_count():
    stated = answers("ex-flashattention-causal-count")
    for N, d, B in [(64, 8, 8), (96, 16, 12), (256, 64, 32)]:
        T = N // B
        causal = tiled_count(N, d, B, B, lambda i, j: j <= i)
        assert stated[0].value(N=N, d=d, T=T) == pytest.approx(causal)
    N, d, B = 2**16, 4, 2
    T = N // B
    dense = 3 * N * d + 2 * N + T * (3 * N * d + 4 * N)
    causal = 3 * N * d + 2 * N + sum(T - j for j in range(T)) * B * (3 * d + 4)
    assert stated[1].value() == pytest.approx(causal / dense, abs=1e-3)


def test_large_sram():
    stated = answers("ex-flashattention-large-sram")
    N, d = 1024, 64
    M = N * N * d
    Bc = math.ceil(M / (4 * d))
    Br = min(Bc, d)
    count = tiled_count(N, d, Br, min(Bc, N), lambda i, j: True)
    assert stated[0].value() == pytest.approx(count)
    assert stated[1].value() == pytest.approx(count / (N**2 * d**2 / M))


def test_figure2_roofline():
    stated = answers("ex-flashattention-figure2-roofline")
    gflops = {"std": 66.6, "flash": 75.2}
    gbytes = {"std": 40.3, "flash": 4.4}
    beta = 2.0e12
    assert stated[0].value() == pytest.approx(gflops["std"] / gbytes["std"], rel=1e-3)
    assert stated[1].value() == pytest.approx(gflops["flash"] / gbytes["flash"], rel=1e-3)
    assert stated[2].value() == pytest.approx(1e3 * gbytes["std"] * 1e9 / beta, rel=1e-3)
    assert stated[3].value() == pytest.approx(1e3 * gbytes["flash"] * 1e9 / beta, rel=1e-3)


def test_tiled_forward_count():
    stated = answer("ex-flashattention-tiled-forward")
    N, d, M = 256, 16, 1024
    Bc = math.ceil(M / (4 * d))
    Br = min(Bc, d)
    assert stated.value() == tiled_count(N, d, Br, Bc, lambda i, j: True)
