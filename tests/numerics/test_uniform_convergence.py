"""Numerical checks of the uniform-convergence chapter and of the generalization-bounds topic page."""

import itertools
import math

import numpy as np
import pytest


def _sigmoid(t):
    return 0.5 * (1.0 + np.tanh(0.5 * t))


# ------------------------------------------------------------------------------------------------
# The chapter: the three bounds on a finite problem, computed exactly by enumeration.
# ------------------------------------------------------------------------------------------------

# Domain: four points (c, v), c in {0, 1}, v in {-1, +1}, uniform; every label is +1. The mirror of
# (c, v) is (c, -v); mirroring every point of a training set preserves the law of training sets.
POINTS = [(c, v) for c in (0, 1) for v in (-1, 1)]
MIRROR = {p: (p[0], -p[1]) for p in POINTS}
M = 2


def _memorising(train):
    """Predict -1 exactly on the mirror images of the training points, +1 elsewhere."""
    bad = {MIRROR[p] for p in train}
    return tuple(-1 if p in bad else 1 for p in POINTS)


def _constant(train):
    return (1, 1, 1, 1)


def _risk(h):
    return float(np.mean([h[i] != 1 for i in range(len(POINTS))]))


def _emp(h, train):
    return float(np.mean([h[POINTS.index(p)] != 1 for p in train]))


def _quantile_bound(values, probs, delta):
    """Smallest t with P[value <= t] >= 1 - delta, for a discrete distribution."""
    order = np.argsort(values)
    cum = np.cumsum(np.asarray(probs)[order])
    return float(np.asarray(values)[order][np.searchsorted(cum, 1 - delta - 1e-12)])


def _three_bounds(algorithm, delta):
    datasets = list(itertools.product(POINTS, repeat=M))
    prob = np.full(len(datasets), 1.0 / len(datasets))
    hyps = [algorithm(s) for s in datasets]
    gap = [_risk(h) - _emp(h, s) for h, s in zip(hyps, datasets)]
    eps_gen = _quantile_bound(gap, prob, delta)
    all_h = list(itertools.product((-1, 1), repeat=len(POINTS)))
    sup_all = [max(abs(_risk(h) - _emp(h, s)) for h in all_h) for s in datasets]
    eps_unif = _quantile_bound(sup_all, prob, delta)
    # Tightest algorithm-dependent bound: minimise over admissible sets of datasets (brute force).
    value = np.array([[abs(_risk(hyps[a]) - _emp(hyps[a], datasets[b])) for b in range(len(datasets))]
                      for a in range(len(datasets))])
    # The data sets are equally likely, so the admissible sets are those with at least
    # ceil((1 - delta) n) members.
    best = np.inf
    n = len(datasets)
    for size in range(math.ceil((1 - delta) * n - 1e-9), n + 1):
        for members in itertools.combinations(range(n), size):
            members = list(members)
            assert prob[members].sum() >= 1 - delta - 1e-12
            best = min(best, value[np.ix_(members, members)].max())
    flipped_all_wrong = all(_emp(h, tuple(MIRROR[p] for p in s)) == 1.0 for h, s in zip(hyps, datasets))
    return eps_gen, float(best), eps_unif, max(_risk(h) for h in hyps), flipped_all_wrong


@pytest.mark.equations(
    "uniform-convergence-gen-error", "uniform-convergence-unif", "uniform-convergence-unif-alg",
    "uniform-convergence-ordering", "uniform-convergence-lower-bound",
)
def test_bounds_are_ordered_and_the_flip_lemma_holds_exactly():
    delta = 0.1  # < 1/3; an admissible set must hold at least 15 of the 16 equally likely data sets
    eps_gen, eps_alg, eps_unif, worst_risk, flipped_wrong = _three_bounds(_memorising, delta)
    assert eps_gen <= eps_alg + 1e-12 <= eps_unif + 2e-12
    # The memorising rule misclassifies every flipped training set, and its risk is at most 1/2,
    # so the flip lemma gives eps_unif_alg >= 1 - 1/2.
    assert flipped_wrong
    assert worst_risk == 0.5
    assert eps_alg >= 1 - worst_risk - 1e-12
    assert eps_alg > eps_gen  # the tightest uniform bound is strictly worse than the true gap
    # A rule that ignores the data has a zero algorithm-dependent bound, far below eps_unif.
    g0, a0, u0, _, _ = _three_bounds(_constant, delta)
    assert g0 == 0.0 and a0 == 0.0 and u0 > 0.0


# ------------------------------------------------------------------------------------------------
# The chapter: the linear construction under the sufficient dimension condition.
# ------------------------------------------------------------------------------------------------

def _normal_cdf(t):
    return 0.5 * math.erfc(-t / math.sqrt(2.0))


@pytest.mark.equations(
    "uniform-convergence-data", "uniform-convergence-learner", "uniform-convergence-margins",
    "uniform-convergence-flip", "uniform-convergence-tails", "uniform-convergence-dimension-condition",
)
def test_linear_construction_generalises_and_misclassifies_the_flipped_set():
    rng = np.random.default_rng(0)
    m, eps, delta = 10, 0.05, 0.2
    dim = int(math.ceil(max(456 * m * math.log(1 / eps), 34 * m * math.log(4 * m / delta))))
    k = 3
    u = np.zeros(k)
    u[0] = 1.0
    draws, good = 25, 0
    for _ in range(draws):
        y = rng.choice([-1.0, 1.0], size=m)
        x1 = 2.0 * y[:, None] * u
        x2 = rng.normal(scale=math.sqrt(32.0 / dim), size=(m, dim))
        w1 = (y[:, None] * x1).mean(axis=0)
        w2 = y @ x2
        np.testing.assert_allclose(w1, 2.0 * u)
        train = y * (x1 @ w1 + x2 @ w2)
        flipped = y * (x1 @ w1 - x2 @ w2)
        # Margin decomposition: 4 + |g_j|^2 + c_j on S and 4 - |g_j|^2 - c_j on S'.
        sq = (x2 ** 2).sum(axis=1)
        cross = y * (x2 @ w2) - sq
        np.testing.assert_allclose(train, 4.0 + sq + cross, rtol=1e-10)
        np.testing.assert_allclose(flipped, 4.0 - sq - cross, rtol=1e-10)
        # Exact conditional test error of the 0-1 loss and of the margin loss with gamma = 1.
        sd = math.sqrt(32.0 / dim) * np.linalg.norm(w2)
        test01, test_margin1 = _normal_cdf(-4.0 / sd), _normal_cdf(-3.0 / sd)
        event = (np.linalg.norm(w2) ** 2 <= 64 * m and sq.min() >= 16 and sq.max() <= 64
                 and cross.min() >= -11)
        if event:
            good += 1
            assert train.min() >= 9.0 and flipped.max() <= -1.0
            assert test01 <= test_margin1 <= math.exp(-9 * dim / (4096 * m)) <= eps
    assert good / draws >= 1 - delta


@pytest.mark.equations("uniform-convergence-data", "uniform-convergence-flip")
def test_maximum_margin_separator_classifies_the_flipped_set():
    # The chapter's approximation for the hard-margin separator on the linear construction (noise
    # vectors treated as orthogonal with squared norm 32): signal weight a = m / (16 + 2m) and margin
    # 1 - 32 / (16 + 2m) on every flipped point, positive exactly when m > 8.
    rng = np.random.default_rng(7)
    for m, dim in ((6, 20000), (12, 20000), (30, 40000)):
        y = rng.choice([-1.0, 1.0], size=m)
        g = rng.normal(scale=math.sqrt(32.0 / dim), size=(m, dim))
        x = np.hstack([2.0 * y[:, None], g])  # the signal block reduced to its direction u
        z = y[:, None] * x
        alpha = np.linalg.solve(z @ z.T, np.ones(m))  # all margins equal to one
        assert np.all(alpha > 0)  # KKT: every constraint active, so this is the hard-margin separator
        w = z.T @ alpha
        flipped = y * (x[:, 0] * w[0] - g @ w[1:])
        np.testing.assert_allclose(w[0], m / (16 + 2 * m), rtol=0.03)
        np.testing.assert_allclose(flipped, 1 - 32 / (16 + 2 * m), atol=0.03)
        assert (flipped.min() > 0) == (m > 8)


@pytest.mark.equations("uniform-convergence-hypersphere")
def test_hypersphere_flip_preserves_the_distribution_and_a_kernel_model_memorises():
    rng = np.random.default_rng(1)
    d, r_in, r_out = 200, 1.0, 1.1

    def spheres(n):
        z = rng.normal(size=(n, d))
        z /= np.linalg.norm(z, axis=1, keepdims=True)
        y = rng.choice([-1.0, 1.0], size=n)
        return z * np.where(y > 0, r_out, r_in)[:, None], y

    x, y = spheres(4000)
    x_flip = x * np.where(y > 0, r_in / r_out, r_out / r_in)[:, None]
    y_flip = -y
    # Same law: radius determined by the label, labels balanced, directions uniform (first moments).
    np.testing.assert_allclose(np.linalg.norm(x_flip, axis=1), np.where(y_flip > 0, r_out, r_in))
    assert abs(y_flip.mean()) < 0.05
    assert np.abs(x_flip.mean(axis=0)).max() < 0.01
    # Gaussian-kernel model trained by gradient descent (as in the chapter's figure, smaller).
    s2 = 0.3
    xt, yt = spheres(300)
    xs, ys = x[:320], y[:320]
    xsf, ysf = x_flip[:320], y_flip[:320]

    def gram(a, b):
        return np.exp(-((a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T) / (2 * s2))

    k = gram(xs, xs)
    lr = len(ys) / k.sum(1).max()
    a, b = np.zeros(len(ys)), 0.0
    for _ in range(300):
        g = ys * _sigmoid(-ys * (k @ a + b))
        a += lr * g / len(ys)
        b += lr * g.mean()
    assert np.mean(ys * (k @ a + b) <= 0) == 0.0
    assert np.mean(ysf * (gram(xsf, xs) @ a + b) <= 0) >= 0.95
    assert np.mean(yt * (gram(xt, xs) @ a + b) <= 0) <= 0.1


# ------------------------------------------------------------------------------------------------
# The topic page.
# ------------------------------------------------------------------------------------------------

@pytest.mark.equations("generalization-bounds-rademacher-def", "generalization-bounds-linear-rademacher")
def test_rademacher_complexity_of_a_linear_class_is_at_most_br_over_sqrt_m():
    rng = np.random.default_rng(2)
    m, n, bnorm = 10, 6, 1.5
    x = rng.normal(size=(m, n)) * rng.uniform(0.5, 2.0, size=(m, 1))
    signs = np.array(list(itertools.product((-1.0, 1.0), repeat=m)))  # all 2^m sign vectors
    v = signs @ x
    exact = bnorm * np.linalg.norm(v, axis=1).mean() / m
    # The supremum over the ball is attained at w = B v / |v|: random feasible w never beat it.
    w = rng.normal(size=(5000, n))
    w *= bnorm / np.linalg.norm(w, axis=1, keepdims=True)
    assert (v @ w.T).max(axis=1).mean() / m <= exact + 1e-12
    jensen = bnorm * math.sqrt((x ** 2).sum()) / m
    radius = np.linalg.norm(x, axis=1).max()
    assert exact <= jensen <= bnorm * radius / math.sqrt(m)
    assert exact > 0.5 * jensen  # the Jensen step is not loose by more than a constant here


@pytest.mark.equations(
    "generalization-bounds-risk", "generalization-bounds-hoeffding", "generalization-bounds-finite-class",
    "generalization-bounds-symmetrization", "generalization-bounds-gap",
)
def test_finite_class_union_bound_and_symmetrisation_on_thresholds():
    rng = np.random.default_rng(3)
    thresholds = np.linspace(0.0, 1.0, 21)
    m, delta, runs, noise = 60, 0.1, 2000, 0.1

    def true_risk(t):  # x ~ U[0,1], y = 1[x > 0.3] flipped w.p. noise; h_t(x) = 1[x > t]
        disagree = abs(t - 0.3)
        return noise + (1 - 2 * noise) * disagree

    risks = np.array([true_risk(t) for t in thresholds])
    bound = math.sqrt((math.log(2 * len(thresholds)) + math.log(1 / delta)) / (2 * m))
    fails, sup_gaps, rad = 0, [], []
    for _ in range(runs):
        x = rng.random(m)
        y = (x > 0.3) ^ (rng.random(m) < noise)
        losses = (x[None, :] > thresholds[:, None]) != y[None, :]
        emp = losses.mean(axis=1)
        fails += np.abs(risks - emp).max() > bound
        sup_gaps.append((risks - emp).max())
        sigma = rng.choice([-1.0, 1.0], size=m)
        rad.append((losses @ sigma).max() / m)
    assert fails / runs <= delta
    # Expected supremum of the one-sided gap is at most twice the Rademacher complexity.
    assert np.mean(sup_gaps) <= 2 * np.mean(rad)


@pytest.mark.equations("generalization-bounds-change-of-measure")
def test_donsker_varadhan_change_of_measure():
    rng = np.random.default_rng(4)
    for _ in range(200):
        k = 7
        p = rng.dirichlet(np.ones(k))
        q = rng.dirichlet(np.ones(k) * 0.5)
        phi = rng.normal(scale=2.0, size=k)
        kl = float(np.sum(q * np.log(q / p)))
        rhs = kl + math.log(float(p @ np.exp(phi)))
        assert q @ phi <= rhs + 1e-12
        gibbs = p * np.exp(phi) / (p @ np.exp(phi))
        kl_g = float(np.sum(gibbs * np.log(gibbs / p)))
        np.testing.assert_allclose(gibbs @ phi, kl_g + math.log(float(p @ np.exp(phi))), rtol=1e-10, atol=1e-12)


def _kl_bern(q, p):
    out = np.zeros_like(q, dtype=float)
    for a, b in ((q, p), (1 - q, 1 - p)):
        mask = a > 0
        out[mask] += a[mask] * np.log(a[mask] / b[mask] if np.ndim(b) else a[mask] / b)
    return out


@pytest.mark.equations("generalization-bounds-kl-moment")
def test_exponential_moment_of_binomial_kl_is_at_most_m_plus_one():
    for m in (1, 2, 5, 8, 20, 100, 500):
        k = np.arange(m + 1)
        q = k / m
        log_binom = np.array([math.lgamma(m + 1) - math.lgamma(j + 1) - math.lgamma(m - j + 1) for j in k])
        for p in np.linspace(0.001, 0.999, 61):
            log_pmf = log_binom + k * math.log(p) + (m - k) * math.log(1 - p)
            moment = float(np.exp(log_pmf + m * _kl_bern(q, p)).sum())
            assert moment <= m + 1 + 1e-9
            assert np.all(log_pmf + m * _kl_bern(q, p) <= 1e-9)  # each term at most 1
            if m >= 8:
                assert moment <= 2 * math.sqrt(m) + 1e-9  # Maurer's refinement


@pytest.mark.equations("generalization-bounds-pac-bayes-kl", "generalization-bounds-pac-bayes-sqrt")
def test_pac_bayes_bound_holds_with_the_stated_probability():
    rng = np.random.default_rng(5)
    thresholds = np.linspace(0.0, 1.0, 41)
    prior = np.full(len(thresholds), 1.0 / len(thresholds))
    m, delta, runs, noise = 50, 0.1, 500, 0.15
    risks = noise + (1 - 2 * noise) * np.abs(thresholds - 0.4)
    fails_kl = fails_sqrt = markov = 0
    for _ in range(runs):
        x = rng.random(m)
        y = (x > 0.4) ^ (rng.random(m) < noise)
        emp = ((x[None, :] > thresholds[:, None]) != y[None, :]).mean(axis=1)
        phi = m * _kl_bern(emp, risks)
        log_moment = math.log(float(prior @ np.exp(phi)))
        markov += log_moment > math.log((m + 1) / delta)
        for beta in (0.0, 5.0, 50.0):
            logits = -beta * m * emp / 10.0
            post = prior * np.exp(logits - logits.max())
            post /= post.sum()
            kl_qp = float(np.sum(post[post > 0] * np.log(post[post > 0] / prior[post > 0])))
            rhs = (kl_qp + math.log((m + 1) / delta)) / m
            lq, lt = float(post @ emp), float(post @ risks)
            # The two deterministic steps of the proof: change of measure, then joint convexity.
            assert post @ phi <= kl_qp + log_moment + 1e-9
            assert m * _kl_bern(np.array([lq]), lt)[0] <= post @ phi + 1e-9
            fails_kl += _kl_bern(np.array([lq]), lt)[0] > rhs
            fails_sqrt += abs(lt - lq) > math.sqrt(rhs / 2)
    assert markov / runs <= delta
    assert fails_kl / (3 * runs) <= delta
    assert fails_sqrt <= fails_kl  # Pinsker: the square-root form is implied by the kl form


@pytest.mark.equations("generalization-bounds-ramp", "generalization-bounds-contraction")
def test_ramp_loss_sandwich_and_contraction():
    rng = np.random.default_rng(6)
    gamma = 0.7
    t = np.linspace(-3, 3, 2001)
    ramp = np.clip(1 - t / gamma, 0.0, 1.0)
    assert np.all((t <= 0) <= ramp) and np.all(ramp <= (t < gamma))
    assert np.max(np.abs(np.diff(ramp)) / np.diff(t)) <= 1 / gamma + 1e-9
    # Contraction on a finite class of vectors in R^m, all 2^m sign vectors enumerated.
    m = 8
    vecs = rng.normal(size=(25, m))
    signs = np.array(list(itertools.product((-1.0, 1.0), repeat=m)))
    rad = (signs @ vecs.T).max(axis=1).mean() / m
    composed = np.clip(1 - vecs / gamma, 0.0, 1.0)
    rad_c = (signs @ composed.T).max(axis=1).mean() / m
    assert rad_c <= rad / gamma + 1e-12
    # Where every value lies on the linear part of the ramp the contraction is an equality.
    inner = rng.uniform(0.05 * gamma, 0.95 * gamma, size=(25, m))
    rad_in = (signs @ inner.T).max(axis=1).mean() / m
    rad_in_c = (signs @ (1 - inner / gamma).T).max(axis=1).mean() / m
    np.testing.assert_allclose(rad_in_c, rad_in / gamma, rtol=1e-10)
