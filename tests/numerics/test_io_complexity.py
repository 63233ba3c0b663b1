"""Numerical checks of the topic page source/topics/io-complexity.md.

The IO count of the tiled matrix product, measured by simulating the schedule on a small fast
memory; the intensity and ridge-point numbers quoted for the A100; the fusion count.
"""

import numpy as np
import pytest


def tiled_matmul_ios(A, B, b, M):
    """Run the tiled schedule of the page, counting element IOs and checking the fast-memory budget."""
    n = A.shape[0]
    C = np.zeros((n, n))
    ios, peak = 0, 0
    for I in range(0, n, b):
        for J in range(0, n, b):
            acc = np.zeros((b, b))  # C_IJ initialised to zero in fast memory: no read
            for K in range(0, n, b):
                a, bb = A[I : I + b, K : K + b].copy(), B[K : K + b, J : J + b].copy()
                ios += a.size + bb.size
                peak = max(peak, acc.size + a.size + bb.size)
                acc += a @ bb
            C[I : I + b, J : J + b] = acc
            ios += acc.size
    assert peak <= M
    return C, ios


@pytest.mark.equations("io-complexity-tiled-matmul")
def test_tiled_matmul_count_and_budget():
    rng = np.random.default_rng(0)
    for n, M in [(12, 48), (24, 27), (30, 300)]:
        b = int(np.floor(np.sqrt(M / 3)))
        assert n % b == 0
        A, B = rng.standard_normal((n, n)), rng.standard_normal((n, n))
        C, ios = tiled_matmul_ios(A, B, b, M)
        assert np.allclose(C, A @ B)
        # with C initialised in fast memory the count is n^2 + 2 n^3 / b, within the bound 2 n^2 + 2 n^3 / b
        assert ios == n**2 + 2 * n**3 // b
        assert ios <= 2 * n**2 + 2 * n**3 / b
        # and the second term is O(n^3 / sqrt(M)) with the constant of the proof (M >= 12: b >= sqrt(M/3)/2)
        assert 2 * n**3 / b <= 4 * np.sqrt(3) * n**3 / np.sqrt(M)


@pytest.mark.equations("io-complexity-ridge", "io-complexity-matmul-intensity", "io-complexity-intensity")
def test_a100_ridge_point_and_matmul_crossover():
    pi, betas = 312e12, (2.0e12, 1.5e12)
    ridges = [pi / beta for beta in betas]
    assert np.allclose(ridges, [156, 208])
    s = 2  # bytes per half-precision number

    def intensity(m, n, k):
        return 2 * m * n * k / (s * (m * k + k * n + m * n))

    assert np.isclose(intensity(500, 500, 500), 500 / 3)
    for ridge in ridges:
        n_star = 3 * ridge
        assert intensity(n_star - 1, n_star - 1, n_star - 1) < ridge < intensity(n_star + 1, n_star + 1, n_star + 1)
    # an elementwise map with c operations per element: c n / (2 * 2 n) = c / 4 FLOPs per byte
    n, c = 1000, 3
    assert np.isclose(c * n / (s * 2 * n), c / 4)


@pytest.mark.equations("io-complexity-roofline", "io-complexity-roofline-time")
def test_roofline_is_min_of_roof_and_slope():
    pi, beta = 312e12, 2.0e12
    for intensity_value in [1.0, 50.0, 156.0, 400.0]:
        Q = 1e9
        W = intensity_value * Q
        T = max(W / pi, Q / beta)
        assert np.isclose(W / T, min(pi, beta * intensity_value))


@pytest.mark.equations("io-complexity-fusion")
def test_fusion_count():
    n, k = 1000, 5
    unfused = sum(2 * n for _ in range(k))  # each kernel reads and writes the tensor
    assert unfused == 2 * k * n
    assert unfused // k == 2 * n
