"""Numerical checks of the topic page source/topics/positional-encodings.md.

The rotation property of the sinusoidal encoding, and the position-position part of an attention
score: absolute for a generic bilinear form B = W^Q W^K^T, relative exactly when B commutes with the
rotations (block-diagonal scaled rotations), and always relative for rotary embeddings.
"""

import numpy as np
import pytest

D = 16
OMEGA = 10000.0 ** (-2 * np.arange(D // 2) / D)


def pe(pos):
    out = np.empty(D)
    out[0::2] = np.sin(OMEGA * pos)
    out[1::2] = np.cos(OMEGA * pos)
    return out


def rot(theta):
    return np.array([[np.cos(theta), np.sin(theta)], [-np.sin(theta), np.cos(theta)]])


def M(k):
    out = np.zeros((D, D))
    for j, w in enumerate(OMEGA):
        out[2 * j : 2 * j + 2, 2 * j : 2 * j + 2] = rot(w * k)
    return out


@pytest.mark.equations("positional-encodings-rotation", "positional-encodings-dot")
def test_shift_is_a_fixed_rotation():
    for pos in (0, 3, 17):
        for k in (1, 5, -4):
            assert np.allclose(pe(pos + k), M(k) @ pe(pos))
            assert np.isclose(pe(pos) @ pe(pos + k), np.cos(OMEGA * k).sum())


@pytest.mark.equations("positional-encodings-position-term")
def test_position_term_is_absolute_unless_B_commutes_with_rotations():
    rng = np.random.default_rng(0)
    WQ, WK = rng.standard_normal((D, 4)), rng.standard_normal((D, 4))
    B = WQ @ WK.T
    k = 3
    terms = [pe(i) @ B @ pe(i + k) for i in range(20)]
    assert np.ptp(terms) > 0.1  # depends on the absolute position i
    # the identity of the display holds
    for i in range(5):
        assert np.isclose(pe(i) @ B @ pe(i + k), pe(0) @ (M(i).T @ B @ M(i)) @ M(k) @ pe(0))
    # B built from scaled rotations commutes with M_1 and makes the term relative
    Bc = np.zeros((D, D))
    for j in range(D // 2):
        a, b = rng.standard_normal(2)
        Bc[2 * j : 2 * j + 2, 2 * j : 2 * j + 2] = [[a, b], [-b, a]]
    assert np.allclose(Bc @ M(1), M(1) @ Bc)
    terms_c = [pe(i) @ Bc @ pe(i + k) for i in range(20)]
    assert np.allclose(terms_c, pe(0) @ Bc @ M(k) @ pe(0))
    # the commutant of M_1 has dimension D: solve B M_1 = M_1 B as a linear system in vec(B)
    M1 = M(1)
    L = np.kron(np.eye(D), M1) - np.kron(M1.T, np.eye(D))
    assert D * D - np.linalg.matrix_rank(L, tol=1e-9) == D


@pytest.mark.equations("positional-encodings-rope")
def test_rotary_scores_depend_on_offset_only_for_any_projection():
    rng = np.random.default_rng(1)
    q, kv = rng.standard_normal(D), rng.standard_normal(D)
    # R_{Theta,m} rotates by m theta_i in each plane; M(-m) is that rotation in this sign convention
    scores = [(M(-m) @ q) @ (M(-(m + 5)) @ kv) for m in range(10)]
    assert np.allclose(scores, scores[0])
