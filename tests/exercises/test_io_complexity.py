"""Checks of the stated answers of the exercises on IO complexity."""

import pytest

from exercises.answers import answers


def test_matvec_intensity():
    stated = answers("ex-io-complexity-matvec")
    for n in [1, 7, 40]:
        for s in [2, 4]:
            # run the matrix-vector product, counting operations and the distinct elements read and written
            read, written, ops = set(), set(), 0
            y = [0.0] * n
            for i in range(n):
                for j in range(n):
                    read.add(("M", i, j))
                    read.add(("x", j))
                    y[i] += 1.0 * 1.0
                    ops += 2
                written.add(("y", i))
            assert stated[0].value(n=n, s=s) == pytest.approx(ops / (s * (len(read) + len(written))))
    for s in [2, 4]:
        assert stated[1].value(s=s) == pytest.approx(stated[0].value(n=1e9, s=s), rel=1e-6)
        assert stated[1].value(s=s) == pytest.approx(2 / s)


def test_attention_floor():
    stated = answers("ex-io-complexity-attention-floor")
    N, d, pairs, s = 1024, 64, 16 * 64, 2
    work = 2 * (2 * N * N * d) * pairs                     # QK^T and PV
    traffic = s * ((2 * N * d + N * N) + 2 * N * N + (N * N + 2 * N * d)) * pairs
    assert stated[0].value() == pytest.approx(work / traffic, rel=1e-9)
    t = max(work / 312e12, traffic / 1.5e12) * 1e3
    assert stated[1].value() == pytest.approx(t, rel=1e-9)


def lru_misses(order, M, n):
    """Least-recently-used fast memory as a plain list, most recent last; the elements of A, B and C
    are numbered 0 .. 3n^2 - 1."""
    cache, count = [], 0
    for i, j, k in order:
        for key in (i * n + k, n * n + k * n + j, 2 * n * n + i * n + j):
            if key in cache:
                cache.remove(key)
            else:
                count += 1
                if len(cache) == M:
                    del cache[0]
            cache.append(key)
    return count


def test_lru_counts():
    stated = answers("ex-io-complexity-lru")
    n, b = 32, 4
    naive = [(i, j, k) for i in range(n) for j in range(n) for k in range(n)]
    tiled = [(i, j, k) for I in range(0, n, b) for J in range(0, n, b) for K in range(0, n, b)
             for i in range(I, I + b) for j in range(J, J + b) for k in range(K, K + b)]
    assert stated[0].value() == lru_misses(naive, 3 * b * b, n) == 2 * n**3 + n**2
    assert stated[1].value() == lru_misses(tiled, 3 * b * b, n)
