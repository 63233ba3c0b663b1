"""Numerical checks of the SAM 3 chapter and of the set-prediction page."""

import itertools
import math

import numpy as np
import pytest


# ---------------------------------------------------------------- assignment problem


def _hungarian(cost):
    """Minimum-cost assignment of the rows of an (n, m) matrix, n <= m, with dual potentials.

    Shortest-augmenting-path form of the Hungarian method: returns (col_of_row, u, v) with
    u[i] + v[j] <= cost[i, j] for all i, j and equality on the assignment.
    """
    n, m = cost.shape
    assert n <= m
    inf = float("inf")
    u = np.zeros(n + 1)
    v = np.zeros(m + 1)
    p = np.zeros(m + 1, dtype=int)  # p[j]: row (1-based) matched to column j, 0 if none
    way = np.zeros(m + 1, dtype=int)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = np.full(m + 1, inf)
        used = np.zeros(m + 1, dtype=bool)
        while True:
            used[j0] = True
            i0 = p[j0]
            delta, j1 = inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1, j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    col_of_row = np.zeros(n, dtype=int)
    for j in range(1, m + 1):
        if p[j]:
            col_of_row[p[j] - 1] = j - 1
    return col_of_row, u[1:], v[1:]


def _brute_force(cost):
    n, m = cost.shape
    best = min(itertools.permutations(range(m), n), key=lambda s: sum(cost[i, s[i]] for i in range(n)))
    return sum(cost[i, best[i]] for i in range(n))


@pytest.mark.equations("set-prediction-assignment", "set-prediction-count", "set-prediction-dual",
                       "set-prediction-lp")
def test_hungarian_method_is_optimal_and_certified_by_the_dual():
    rng = np.random.default_rng(0)
    for trial in range(60):
        n = int(rng.integers(1, 6))
        m = int(rng.integers(n, 7))
        cost = rng.normal(size=(n, m))
        if trial % 3 == 0:
            cost = np.round(cost * 2)  # ties
        cols, u, v = _hungarian(cost)
        assert len(set(cols)) == n  # an injection
        value = cost[np.arange(n), cols].sum()
        assert value == pytest.approx(_brute_force(cost), abs=1e-9)
        # dual feasibility and tightness: the LP lower bound equals the integral optimum
        assert np.all(u[:, None] + v[None, :] <= cost + 1e-9)
        assert u.sum() + v[cols].sum() == pytest.approx(value, abs=1e-9)
    # number of injections of M objects into N slots
    n_slots, m_obj = 6, 3
    count = sum(1 for _ in itertools.permutations(range(n_slots), m_obj))
    assert count == math.factorial(n_slots) // math.factorial(n_slots - m_obj)


@pytest.mark.equations("set-prediction-lp")
def test_doubly_stochastic_matrix_is_a_mixture_of_permutations():
    """Birkhoff-von Neumann: a random doubly stochastic matrix never beats the best permutation."""
    rng = np.random.default_rng(1)
    n = 4
    perms = [np.eye(n)[list(s)] for s in itertools.permutations(range(n))]
    for _ in range(50):
        w = rng.dirichlet(np.ones(len(perms)))
        x = sum(wk * pk for wk, pk in zip(w, perms))
        assert np.allclose(x.sum(0), 1) and np.allclose(x.sum(1), 1)
        cost = rng.normal(size=(n, n))
        best = min(float((cost * pk).sum()) for pk in perms)
        assert float((cost * x).sum()) >= best - 1e-12


# ---------------------------------------------------------------- GIoU, focal, dice


def _area(b):
    return max(b[2] - b[0], 0.0) * max(b[3] - b[1], 0.0)


def _giou(a, b):
    inter = _area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))
    union = _area(a) + _area(b) - inter
    c = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
    return inter / union - (_area(c) - union) / _area(c), inter / union


def _random_box(rng):
    x0, y0 = rng.uniform(-2, 2, size=2)
    w, h = rng.uniform(0.05, 2, size=2)
    return (x0, y0, x0 + w, y0 + h)


@pytest.mark.equations("set-prediction-giou", "set-prediction-giou-loss", "set-prediction-giou-disjoint")
def test_giou_bounds_symmetry_and_gradient_for_disjoint_boxes():
    rng = np.random.default_rng(2)
    for _ in range(500):
        a, b = _random_box(rng), _random_box(rng)
        g, iou = _giou(a, b)
        assert -1 < g <= iou + 1e-12 <= 1 + 1e-12
        assert g == pytest.approx(_giou(b, a)[0])
        s, t = rng.uniform(0.2, 5), rng.uniform(-3, 3, size=2)
        scaled = [tuple(s * np.array(x) + np.tile(t, 2)) for x in (a, b)]
        assert _giou(*scaled)[0] == pytest.approx(g, abs=1e-9)
        assert 0 <= 1 - g < 2
    # nested boxes: GIoU equals IoU
    g, iou = _giou((0, 0, 4, 4), (1, 1, 2, 3))
    assert g == pytest.approx(iou)
    # disjoint boxes at gap d: GIoU = -d / (2w + d), derivative -2w / (2w + d)^2, IoU flat
    w, h = 1.5, 0.7
    for d in (0.1, 1.0, 3.0):
        f = lambda d_: _giou((0, 0, w, h), (w + d_, 0, 2 * w + d_, h))
        g, iou = f(d)
        assert iou == 0 and g == pytest.approx(-d / (2 * w + d))
        eps = 1e-6
        fd = (f(d + eps)[0] - f(d - eps)[0]) / (2 * eps)
        assert fd == pytest.approx(-2 * w / (2 * w + d) ** 2, rel=1e-5)
        assert (f(d + eps)[1] - f(d - eps)[1]) == 0.0


@pytest.mark.equations("set-prediction-focal", "set-prediction-focal-grad")
def test_focal_loss_reduces_to_cross_entropy_and_has_the_stated_gradient():
    z = np.linspace(-6, 6, 41)
    sig = lambda x: 1 / (1 + np.exp(-x))
    fl = lambda x, g: -(1 - sig(x)) ** g * np.log(sig(x))
    np.testing.assert_allclose(fl(z, 0.0), np.log1p(np.exp(-z)), rtol=1e-12)
    for gamma in (0.0, 0.5, 2.0):
        p = sig(z)
        grad = (1 - p) ** gamma * (gamma * p * np.log(p) - (1 - p))
        eps = 1e-6
        fd = (fl(z + eps, gamma) - fl(z - eps, gamma)) / (2 * eps)
        np.testing.assert_allclose(fd, grad, rtol=1e-5, atol=1e-9)
    assert (1 - 0.9) ** 2 == pytest.approx(0.01)


@pytest.mark.equations("set-prediction-dice", "set-prediction-dice-iou")
def test_dice_equals_f1_and_is_a_monotone_function_of_iou():
    rng = np.random.default_rng(3)
    for _ in range(200):
        p = rng.random(64) < rng.uniform(0.1, 0.9)
        g = rng.random(64) < rng.uniform(0.1, 0.9)
        if not (p.any() or g.any()):
            continue
        p, g = p.astype(float), g.astype(float)
        dice = 2 * (p * g).sum() / ((p ** 2).sum() + (g ** 2).sum())
        tp, fp, fn = (p * g).sum(), (p * (1 - g)).sum(), ((1 - p) * g).sum()
        j = tp / (tp + fp + fn)
        assert dice == pytest.approx(2 * tp / (2 * tp + fp + fn))
        assert dice == pytest.approx(2 * j / (1 + j))
        assert j == pytest.approx(dice / (2 - dice))


# ---------------------------------------------------------------- SAM 3 metrics


def _mcc(tp, fp, tn, fn):
    return (tp * tn - fp * fn) / math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))


@pytest.mark.equations("sam3-il-mcc", "sam3-cgf1")
def test_image_level_mcc_is_the_pearson_correlation_and_cgf1_is_gated():
    rng = np.random.default_rng(4)
    for _ in range(100):
        n = 200
        x = rng.random(n) < rng.uniform(0.1, 0.5)  # pair is positive
        y = np.where(rng.random(n) < 0.8, x, ~x)  # a mask was predicted
        tp, fp = int((x & y).sum()), int((~x & y).sum())
        tn, fn = int((~x & ~y).sum()), int((x & ~y).sum())
        if min(tp + fp, tp + fn, tn + fp, tn + fn) == 0:
            continue
        m = _mcc(tp, fp, tn, fn)
        assert m == pytest.approx(np.corrcoef(x.astype(float), y.astype(float))[0, 1])
        assert m == pytest.approx(_mcc(tn, fn, tp, fp))  # classes exchanged
        pm = rng.uniform(0, 1)
        cg = 100 * pm * m
        assert (cg <= 0) if m <= 0 else (0 <= cg <= 100 * min(pm, m) + 1e-12)
    # perfect and inverted predictions
    assert _mcc(10, 0, 30, 0) == pytest.approx(1.0)
    assert _mcc(0, 30, 0, 10) == pytest.approx(-1.0)
    # always predicting a mask: F1 stays positive although the rule carries no information
    nu = 0.844
    f1 = 2 * (1 - nu) / (2 * (1 - nu) + nu)
    assert f1 == pytest.approx(0.27, abs=0.005)


def _mask_iou(a, b):
    inter = np.logical_and(a, b).sum()
    union = np.logical_or(a, b).sum()
    return inter / union if union else 0.0


def _counts(pred, gt, tau):
    """TP, FP, FN of one positive pair: maximum-IoU matching by brute force, as in sam3-local-f1."""
    n, m = len(pred), len(gt)
    iou = np.array([[_mask_iou(p, g) for g in gt] for p in pred]).reshape(n, m)
    if n <= m:
        best = max(itertools.permutations(range(m), n),
                   key=lambda s: sum(iou[i, s[i]] for i in range(n)))
        matched = [iou[i, best[i]] for i in range(n)]
    else:
        best = max(itertools.permutations(range(n), m),
                   key=lambda s: sum(iou[s[j], j] for j in range(m)))
        matched = [iou[best[j], j] for j in range(m)]
    tp = sum(v >= tau for v in matched)
    return tp, n - tp, m - tp


@pytest.mark.equations("sam3-local-f1", "sam3-pmf1")
def test_positive_micro_f1_on_a_hand_made_example():
    grid = np.zeros((10, 10), dtype=bool)

    def rect(r0, r1, c0, c1):
        m = grid.copy()
        m[r0:r1, c0:c1] = True
        return m

    # pair 1: two objects, one predicted exactly, one predicted with IoU 0.64, plus a spurious mask
    gt1 = [rect(0, 4, 0, 4), rect(5, 10, 5, 10)]
    pred1 = [rect(0, 4, 0, 4), rect(5, 9, 5, 9), rect(0, 2, 7, 9)]
    assert _mask_iou(pred1[1], gt1[1]) == pytest.approx(0.64)
    # pair 2: one object, missed
    gt2 = [rect(2, 6, 2, 6)]
    pred2 = []
    taus = np.linspace(0.5, 0.95, 10)
    values = []
    for tau in taus:
        tp1, fp1, fn1 = _counts(pred1, gt1, tau)
        tp2, fp2, fn2 = 0, 0, len(gt2)
        tp, fp, fn = tp1 + tp2, fp1 + fp2, fn1 + fn2
        values.append(2 * tp / (2 * tp + fp + fn))
        # a ground truth matched below the threshold is a false negative as well
        if tau > 0.64:
            assert (tp1, fp1, fn1) == (1, 2, 1)
        else:
            assert (tp1, fp1, fn1) == (2, 1, 0)
    # thresholds 0.50, 0.55, 0.60: TP 2, FP 1, FN 1, F1 = 4/6; the seven others: TP 1, FP 2, FN 2
    expected = (3 * (4 / 6) + 7 * (2 / 6)) / 10
    assert np.mean(values) == pytest.approx(expected)


@pytest.mark.equations("sam3-presence", "sam3-score", "sam3-product-region", "sam3-il-fp-bound")
def test_presence_factorisation_and_the_product_threshold():
    rng = np.random.default_rng(5)
    # a joint distribution with A_i contained in B: P(A) = P(A | B) P(B)
    n = 100000
    present = rng.random(n) < 0.3
    match = present & (rng.random(n) < 0.4)
    assert match.mean() == pytest.approx(match[present].mean() * present.mean(), rel=1e-12)
    # area of {(u, v) in [0,1]^2 : u v > 1/2}
    k = 4000
    u = (np.arange(k) + 0.5) / k
    area = (u[:, None] * u[None, :] > 0.5).mean()
    assert area == pytest.approx(0.5 - 0.5 * np.log(2), abs=1e-3)
    # any output query has presence > 1/2, whatever the conditional scores
    pres = rng.random((2000, 1))
    cond = rng.random((2000, 200))
    fired = (pres * cond > 0.5).any(axis=1)
    assert np.all(pres[fired, 0] > 0.5)
    assert fired.mean() <= (pres[:, 0] > 0.5).mean()


@pytest.mark.equations("sam3-mds", "sam3-confirm")
def test_confirmation_rule_is_a_majority_vote():
    for t_delay in (14, 15):
        frames = t_delay + 1
        for bits in itertools.product((0, 1), repeat=frames):
            s = sum(1 if b else -1 for b in bits)
            k = sum(bits)
            assert (s >= 0) == (k >= (t_delay + 1) / 2)
    assert math.ceil(16 / 2) == 8


@pytest.mark.equations("sam3-masks-per-pair", "sam3-tokens")
def test_dataset_statistics_and_token_counts_are_consistent():
    # (masks, negative share, image-NP pairs, listed masks per pair), paper Tables 23 and 24
    rows = {
        "SA-Co/HQ": (52.3e6, 0.885, 146.1e6, 3.10),
        "SA-Co/EXT": (70.5e6, 0.718, 136.6e6, 1.83),
        "SA-Co/SYN": (1.4e9, 0.740, 1.7e9, 3.17),
        "SA-Co/VIDEO": (467.1e3, 0.267, 134.3e3, 4.75),
    }
    for name, (masks, neg, pairs, listed) in rows.items():
        assert masks / ((1 - neg) * pairs) == pytest.approx(listed, abs=0.02), name
    assert 1.2 + 2.4 + 1.6 == pytest.approx(5.2)
    assert 4.3 + 122.2 + 19.5 == pytest.approx(146.1, abs=0.15)
    assert (1008 // 14) ** 2 == 5184 and 336 // 14 == 24 and 5184 // 4 == 1296 == 36 ** 2
    assert 1152 // 16 == 1008 // 14


@pytest.mark.equations("sam3-presence-gradient", "sam3-loss")
def test_presence_gate_sends_no_classification_gradient_on_negative_pairs():
    rng = np.random.default_rng(6)
    sig = lambda x: 1 / (1 + np.exp(-x))
    bce = lambda p, t: -t * np.log(p) - (1 - t) * np.log(1 - p)
    lam_p, lam_cls = 20.0, 100.0
    for y in (0.0, 1.0):
        z_p = rng.normal()
        z = rng.normal(size=8)
        targets = (rng.random(8) < 0.3).astype(float)

        def loss(zp, zq):
            return lam_p * bce(sig(zp), y) + y * lam_cls * bce(sig(zq), targets).mean()

        eps = 1e-6
        g_p = (loss(z_p + eps, z) - loss(z_p - eps, z)) / (2 * eps)
        assert g_p == pytest.approx(lam_p * (sig(z_p) - y), rel=1e-6)
        for i in range(8):
            dz = np.zeros(8)
            dz[i] = eps
            g_i = (loss(z_p, z + dz) - loss(z_p, z - dz)) / (2 * eps)
            expected = y * lam_cls * (sig(z[i]) - targets[i]) / 8
            assert g_i == pytest.approx(expected, abs=1e-7)
            if y == 0.0:
                assert g_i == 0.0


@pytest.mark.equations("sam3-align")
def test_iou_aware_target_drives_the_score_to_the_box_iou():
    alpha = 0.25
    for u in (0.3, 0.5, 0.9):
        p = 1.0  # start from a confident score
        for _ in range(200):
            t = max(p ** alpha * u ** (1 - alpha), 0.01)  # detached target
            p = t  # the cross-entropy against a fixed target is minimised at p = t
        assert p == pytest.approx(u, rel=1e-9)
    assert 0.5 ** 0.75 == pytest.approx(0.5946, abs=1e-4)
