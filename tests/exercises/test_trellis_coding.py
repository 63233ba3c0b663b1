"""Checks of the stated answers of the exercises of the trellis-coding page."""

import numpy as np
import pytest

from exercises.answers import answers


def adjacency(L, kV):
    A = np.zeros((2 ** L, 2 ** L), dtype=np.int64)
    for i in range(2 ** L):
        for c in range(2 ** kV):
            A[i, (i << kV) % 2 ** L + c] = 1
    return A


def test_tail_biting_count():
    count, fraction = answers("ex-trellis-coding-tail-biting-count")
    for L, k, V, N in [(4, 1, 1, 3), (4, 1, 1, 6), (6, 2, 1, 5), (6, 1, 2, 2), (5, 2, 1, 4)]:
        A = adjacency(L, k * V)
        closed = np.trace(np.linalg.matrix_power(A, N))
        walks = np.linalg.matrix_power(A, N - 1).sum()
        assert count.value(k=k, V=V, N=N) == closed
        assert fraction.value(L=L, k=k, V=V) == pytest.approx(closed / walks)


def test_viterbi_work():
    every_edge, grouped, runs = answers("ex-trellis-coding-viterbi-work")
    L, kV, T = 16, 2, 256
    states = np.arange(2 ** L)
    succ = ((states[:, None] << kV) % 2 ** L) + np.arange(2 ** kV)[None, :]
    assert every_edge.value() == succ.size * (T - 1)
    groups = {tuple(sorted(states[(succ == j).any(axis=1)])) for j in range(0, 2 ** L, 4093)}
    sizes = {len(g) for g in groups}
    n_groups = len(np.unique(succ[:, 0]))                 # states reached by edge label 0: one per group
    assert sizes == {2 ** kV}
    assert grouped.value() == n_groups * 2 ** kV * (T - 1)
    assert runs.value() == 2 ** (L - kV)


def test_brute_force_walk_count():
    stated, difference = answers("ex-trellis-coding-brute-force")
    A = adjacency(4, 1)
    assert stated.value() == np.linalg.matrix_power(A, 8 - 1).sum()
    # walks built edge by edge from the adjacency matrix, then brute force against the plain recursion
    walks = [[x] for x in range(16)]
    for _ in range(8 - 1):
        walks = [w + [y] for w in walks for y in np.flatnonzero(A[w[-1]])]
    walks = np.array(walks)
    rng = np.random.default_rng(1)
    worst = 0.0
    for _ in range(5):
        labels, s = rng.standard_normal(16), rng.standard_normal(8)
        brute = ((labels[walks] - s) ** 2).sum(axis=1).min()
        value = (labels - s[0]) ** 2
        for t in range(1, 8):
            value = np.array([min(value[x] for x in np.flatnonzero(A[:, y])) for y in range(16)]) + (labels - s[t]) ** 2
        worst = max(worst, abs(brute - value.min()))
    assert difference.value() == pytest.approx(worst, abs=1e-9)
