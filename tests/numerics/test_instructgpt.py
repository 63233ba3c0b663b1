"""Numerical checks of the InstructGPT chapter and of the policy-gradients topic page."""

import itertools
import math

import numpy as np
import pytest


def _sigmoid(t):
    return 0.5 * (1.0 + np.tanh(0.5 * t))


def _softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _rm_prompt_loss(r, pairs, k):
    """Per-prompt reward-model loss: average pairwise Bradley-Terry NLL with factor 1 / C(K, 2)."""
    return -sum(np.log(_sigmoid(r[w] - r[l])) for w, l in pairs) / math.comb(k, 2)


def _rm_prompt_grad(r, pairs, k):
    g = np.zeros_like(r)
    for w, l in pairs:
        g[w] -= _sigmoid(r[l] - r[w])
        g[l] += _sigmoid(r[l] - r[w])
    return g / math.comb(k, 2)


def _ranking_pairs(order):
    """Ordered pairs (winner, loser) implied by a ranking listed from best to worst."""
    return [(order[i], order[j]) for i in range(len(order)) for j in range(i + 1, len(order))]


@pytest.mark.equations("instructgpt-rm-loss", "instructgpt-rm-prompt", "instructgpt-rm-gradient")
def test_reward_model_loss_is_average_pairwise_bt_with_one_pass_gradient():
    rng = np.random.default_rng(0)
    for k in range(4, 10):
        d = 5
        feats = rng.normal(size=(k, d))  # one feature vector per response; r = feats @ theta
        theta = rng.normal(size=d)
        order = list(rng.permutation(k))
        pairs = _ranking_pairs(order)
        assert len(pairs) == math.comb(k, 2)
        r = feats @ theta
        # Eq. (1) read prompt by prompt: the mean of the C(K,2) pairwise logistic losses.
        pairwise = [-np.log(_sigmoid(r[w] - r[l])) for w, l in pairs]
        np.testing.assert_allclose(_rm_prompt_loss(r, pairs, k), np.mean(pairwise), rtol=1e-12)
        # Gradient through the K scores (one pass per response) equals the finite-difference gradient.
        grad_theta = feats.T @ _rm_prompt_grad(r, pairs, k)
        h = 1e-6
        fd = np.array([
            (_rm_prompt_loss(feats @ (theta + h * e), pairs, k)
             - _rm_prompt_loss(feats @ (theta - h * e), pairs, k)) / (2 * h)
            for e in np.eye(d)
        ])
        np.testing.assert_allclose(grad_theta, fd, rtol=1e-6, atol=1e-9)
        # Every prompt carries the same weight: at equal scores the loss is log 2 whatever K is.
        np.testing.assert_allclose(_rm_prompt_loss(np.zeros(k), pairs, k), np.log(2.0), rtol=1e-12)
        # Dropping ties only removes terms; the normalisation stays 1 / C(K, 2).
        kept = pairs[: len(pairs) - 2]
        assert _rm_prompt_loss(r, kept, k) < _rm_prompt_loss(r, pairs, k)


def _plackett_luce_prob(s, order):
    w = np.exp(s[list(order)])
    return float(np.prod([w[i] / w[i:].sum() for i in range(len(order))]))


@pytest.mark.equations(
    "instructgpt-pl-pairs", "instructgpt-expected-rm-loss", "instructgpt-prop-pl-pairs",
    "instructgpt-cor-consistent", "preference-models-plackett-luce",
)
def test_plackett_luce_pairs_are_bradley_terry_and_pairwise_loss_is_consistent():
    rng = np.random.default_rng(1)
    k = 5
    r_star = rng.normal(size=k) * 1.5
    orders = list(itertools.permutations(range(k)))
    probs = np.array([_plackett_luce_prob(r_star, o) for o in orders])
    np.testing.assert_allclose(probs.sum(), 1.0, rtol=1e-12)
    # Marginal pair probabilities are Bradley-Terry, despite the dependence between pairs.
    above = np.zeros((k, k))
    for p, o in zip(probs, orders):
        for w, l in _ranking_pairs(o):
            above[w, l] += p
    for i, j in itertools.permutations(range(k), 2):
        np.testing.assert_allclose(above[i, j], _sigmoid(r_star[i] - r_star[j]), rtol=1e-12)
    # Pairs are not independent: P(a > b and b > c) differs from the product of the marginals.
    joint = sum(p for p, o in zip(probs, orders) if o.index(0) < o.index(1) < o.index(2))
    assert abs(joint - above[0, 1] * above[1, 2]) > 1e-3

    def expected_loss(r):
        exact = sum(p * _rm_prompt_loss(r, _ranking_pairs(o), k) for p, o in zip(probs, orders))
        formula = sum(
            -_sigmoid(r_star[i] - r_star[j]) * np.log(_sigmoid(r[i] - r[j]))
            - _sigmoid(r_star[j] - r_star[i]) * np.log(_sigmoid(r[j] - r[i]))
            for i, j in itertools.combinations(range(k), 2)
        ) / math.comb(k, 2)
        np.testing.assert_allclose(exact, formula, rtol=1e-10)
        return exact

    best = expected_loss(r_star)
    np.testing.assert_allclose(expected_loss(r_star + 2.7), best, rtol=1e-10)  # shift invariance
    for _ in range(20):
        assert expected_loss(r_star + 0.3 * rng.normal(size=k)) > best


def _clip_term(rho, adv, eps):
    return np.minimum(rho * adv, np.clip(rho, 1 - eps, 1 + eps) * adv)


@pytest.mark.equations(
    "policy-gradients-clip", "policy-gradients-clip-cases", "policy-gradients-prop-clip",
    "instructgpt-ratio", "instructgpt-ppo-clip",
)
def test_clipped_surrogate_gradient_vanishes_only_on_the_improving_side():
    rng = np.random.default_rng(2)
    eps, n_actions = 0.2, 6
    logits_old = rng.normal(size=n_actions)
    pi_old = _softmax(logits_old)
    rho = np.linspace(0.3, 1.7, 141)
    for adv in (1.3, -0.7):
        ell = _clip_term(rho, adv, eps)
        case = adv * (np.minimum(rho, 1 + eps) if adv > 0 else np.maximum(rho, 1 - eps))
        np.testing.assert_allclose(ell, case, rtol=1e-12)
        assert np.all(ell <= rho * adv + 1e-12)  # pessimistic bound
    a = 2  # the sampled action
    for adv in (1.3, -0.7):
        for shift in (-0.6, -0.1, 0.0, 0.1, 0.6):  # move the logit of the sampled action
            logits = logits_old.copy()
            logits[a] += shift
            pi = _softmax(logits)
            r = pi[a] / pi_old[a]
            score = np.eye(n_actions)[a] - pi  # gradient of log pi(a) in the logits
            h = 1e-6
            fd = np.array([
                (_clip_term(_softmax(logits + h * e)[a] / pi_old[a], adv, eps)
                 - _clip_term(_softmax(logits - h * e)[a] / pi_old[a], adv, eps)) / (2 * h)
                for e in np.eye(n_actions)
            ])
            clipped = (adv > 0 and r > 1 + eps) or (adv < 0 and r < 1 - eps)
            expected = np.zeros(n_actions) if clipped else adv * r * score
            np.testing.assert_allclose(fd, expected, atol=1e-7)
            if shift == 0.0:  # at theta_old the surrogate gradient is the policy-gradient term
                np.testing.assert_allclose(fd, adv * score, atol=1e-7)
    # Both clipped sides occur in the sweep above, and the wrong side keeps its full gradient.
    logits = logits_old.copy()
    logits[a] -= 0.6
    r = _softmax(logits)[a] / pi_old[a]
    assert r < 1 - eps


def _sequences(vocab, length):
    return list(itertools.product(range(vocab), repeat=length))


def _random_lm(rng, vocab, length, temperature=1.0):
    """An autoregressive model: a next-token distribution for every prefix."""
    return {
        prefix: _softmax(rng.normal(size=vocab) / temperature)
        for t in range(length) for prefix in itertools.product(range(vocab), repeat=t)
    }


def _seq_prob(lm, y):
    return float(np.prod([lm[y[:t]][y[t]] for t in range(len(y))]))


@pytest.mark.equations(
    "policy-gradients-kl-chain", "policy-gradients-prop-kl-chain", "instructgpt-kl-term",
    "instructgpt-token-reward", "policy-gradients-soft-bellman", "policy-gradients-soft-sequence",
    "policy-gradients-soft-telescope", "policy-gradients-thm-soft", "instructgpt-tilted",
)
def test_per_token_kl_sums_to_sequence_kl_and_soft_optimum_is_tilted_reference():
    rng = np.random.default_rng(3)
    vocab, length, beta = 3, 3, 0.4
    pi, ref = _random_lm(rng, vocab, length), _random_lm(rng, vocab, length)
    seqs = _sequences(vocab, length)
    p_pi = np.array([_seq_prob(pi, y) for y in seqs])
    p_ref = np.array([_seq_prob(ref, y) for y in seqs])
    seq_kl = float(np.sum(p_pi * np.log(p_pi / p_ref)))
    token_kl = 0.0
    for t in range(length):
        for prefix in itertools.product(range(vocab), repeat=t):
            reach = _seq_prob(pi, prefix)
            token_kl += reach * float(np.sum(pi[prefix] * np.log(pi[prefix] / ref[prefix])))
    np.testing.assert_allclose(token_kl, seq_kl, rtol=1e-12)
    # Per-token rewards (KL penalty every token, reward-model score at the end) sum to the bracket of Eq. 2.
    reward = {y: rng.normal() for y in seqs}
    for y in seqs:
        tokens = [-beta * np.log(pi[y[:t]][y[t]] / ref[y[:t]][y[t]]) for t in range(length)]
        tokens[-1] += reward[y]
        np.testing.assert_allclose(
            sum(tokens), reward[y] - beta * np.log(_seq_prob(pi, y) / _seq_prob(ref, y)), atol=1e-12
        )
    # Soft Bellman backward induction with the reward at the last token.
    value = {y: 0.0 for y in seqs}  # V*_T = 0 after the last token
    star = {}
    for t in reversed(range(length)):
        for prefix in itertools.product(range(vocab), repeat=t):
            q = np.array([
                (reward[prefix + (a,)] if t == length - 1 else 0.0) + value[prefix + (a,)]
                for a in range(vocab)
            ])
            v = beta * np.log(np.sum(ref[prefix] * np.exp(q / beta)))
            star[prefix] = ref[prefix] * np.exp((q - v) / beta)
            value[prefix] = v
    p_star = np.array([_seq_prob(star, y) for y in seqs])
    r_vec = np.array([reward[y] for y in seqs])
    z = float(np.sum(p_ref * np.exp(r_vec / beta)))
    np.testing.assert_allclose(p_star, p_ref * np.exp(r_vec / beta) / z, rtol=1e-10)
    np.testing.assert_allclose(value[()], beta * np.log(z), rtol=1e-10)

    def objective(p):
        return float(p @ r_vec - beta * np.sum(p * np.log(p / p_ref)))

    np.testing.assert_allclose(objective(p_star), beta * np.log(z), rtol=1e-10)
    for _ in range(200):
        other = _random_lm(rng, vocab, length)
        assert objective(np.array([_seq_prob(other, y) for y in seqs])) < objective(p_star)


class _SmallMDP:
    """A random finite-horizon MDP with a tabular softmax policy pi(a | s) = softmax(theta[s])."""

    def __init__(self, seed, n_s=3, n_a=2, horizon=3, gamma=0.9):
        rng = np.random.default_rng(seed)
        self.n_s, self.n_a, self.T, self.gamma = n_s, n_a, horizon, gamma
        self.rho0 = _softmax(rng.normal(size=n_s))
        self.P = _softmax(rng.normal(size=(n_s, n_a, n_s)) * 1.5)
        self.r = rng.normal(size=(n_s, n_a))
        self.trajs = [
            (s0,) + rest
            for s0 in range(n_s)
            for rest in itertools.product(range(n_a), range(n_s), repeat=horizon)
        ]

    def steps(self, tau):
        return [(tau[2 * t], tau[2 * t + 1]) for t in range(self.T)]

    def prob(self, theta, tau):
        pi = _softmax(theta)
        p = self.rho0[tau[0]]
        for t, (s, a) in enumerate(self.steps(tau)):
            p *= pi[s, a] * self.P[s, a, tau[2 * t + 2]]
        return p

    def ret(self, tau, rewards=None):
        return sum(self.gamma ** t * self.r[s, a] for t, (s, a) in enumerate(self.steps(tau)))

    def J(self, theta):
        return sum(self.prob(theta, tau) * self.ret(tau) for tau in self.trajs)

    def score(self, theta, s, a):
        g = np.zeros((self.n_s, self.n_a))
        g[s] = np.eye(self.n_a)[a] - _softmax(theta)[s]
        return g

    def values(self, theta):
        pi = _softmax(theta)
        V = [None] * (self.T + 1)
        Q = [None] * self.T
        V[self.T] = np.zeros(self.n_s)
        for t in reversed(range(self.T)):
            Q[t] = self.r + self.gamma * self.P @ V[t + 1]
            V[t] = np.sum(pi * Q[t], axis=1)
        return Q, V

    def fd_grad(self, f, theta, h=1e-6):
        g = np.zeros_like(theta)
        for idx in np.ndindex(theta.shape):
            e = np.zeros_like(theta)
            e[idx] = h
            g[idx] = (f(theta + e) - f(theta - e)) / (2 * h)
        return g


@pytest.mark.equations(
    "policy-gradients-objective", "policy-gradients-values", "policy-gradients-reinforce",
    "policy-gradients-reward-to-go", "policy-gradients-theorem", "policy-gradients-td-residual",
    "policy-gradients-gae", "policy-gradients-performance-difference", "policy-gradients-surrogate",
)
def test_policy_gradient_theorem_gae_and_performance_difference():
    m = _SmallMDP(seed=4)
    rng = np.random.default_rng(5)
    theta = rng.normal(size=(m.n_s, m.n_a))
    Q, V = m.values(theta)
    np.testing.assert_allclose(m.rho0 @ V[0], m.J(theta), rtol=1e-12)
    grad = m.fd_grad(m.J, theta)
    baseline = rng.normal(size=(m.T, m.n_s))
    reinforce = np.zeros_like(theta)
    to_go = np.zeros_like(theta)
    for tau in m.trajs:
        p = m.prob(theta, tau)
        steps = m.steps(tau)
        scores = [m.score(theta, s, a) for s, a in steps]
        reinforce += p * m.ret(tau) * sum(scores)
        for t, (s, a) in enumerate(steps):
            g_t = sum(m.gamma ** u * m.r[su, au] for u, (su, au) in enumerate(steps) if u >= t)
            to_go += p * scores[t] * (g_t - baseline[t, s])
    np.testing.assert_allclose(reinforce, grad, atol=1e-8)
    np.testing.assert_allclose(to_go, grad, atol=1e-8)
    # Advantage form: occupancy-weighted advantages times scores.
    pi = _softmax(theta)
    occ = m.rho0[:, None] * pi
    theorem = np.zeros_like(theta)
    for t in range(m.T):
        A = Q[t] - V[t][:, None]
        for s, a in itertools.product(range(m.n_s), range(m.n_a)):
            theorem += m.gamma ** t * occ[s, a] * A[s, a] * m.score(theta, s, a)
        occ = np.einsum("sa,sab->b", occ, m.P)[:, None] * pi
    np.testing.assert_allclose(theorem, grad, atol=1e-8)
    # GAE with the true values: E[A_hat | s_t, a_t] = A_t for every lambda; lambda = 1 telescopes.
    V_any = [rng.normal(size=m.n_s) for _ in range(m.T)] + [np.zeros(m.n_s)]
    for lam in (0.0, 0.5, 1.0):
        num = np.zeros((m.T, m.n_s, m.n_a))
        den = np.zeros((m.T, m.n_s, m.n_a))
        for tau in m.trajs:
            p = m.prob(theta, tau)
            steps = m.steps(tau)
            states = [tau[2 * t] for t in range(m.T + 1)]
            delta = [m.r[s, a] + m.gamma * V[t + 1][states[t + 1]] - V[t][s] for t, (s, a) in enumerate(steps)]
            delta_any = [m.r[s, a] + m.gamma * V_any[t + 1][states[t + 1]] - V_any[t][s]
                         for t, (s, a) in enumerate(steps)]
            for t, (s, a) in enumerate(steps):
                a_hat = sum((m.gamma * lam) ** l * delta[t + l] for l in range(m.T - t))
                num[t, s, a] += p * a_hat
                den[t, s, a] += p
                if lam == 1.0:
                    mc = sum(m.gamma ** l * m.r[steps[t + l]] for l in range(m.T - t)) - V_any[t][s]
                    np.testing.assert_allclose(
                        sum(m.gamma ** l * delta_any[t + l] for l in range(m.T - t)), mc, atol=1e-12
                    )
        for t in range(m.T):
            A = Q[t] - V[t][:, None]
            mask = den[t] > 0
            np.testing.assert_allclose((num[t] / np.where(mask, den[t], 1))[mask], A[mask], atol=1e-10)
    # Performance difference lemma and first-order agreement of the surrogate.
    theta_new = theta + rng.normal(size=theta.shape)
    pdl = 0.0
    for tau in m.trajs:
        pdl += m.prob(theta_new, tau) * sum(
            m.gamma ** t * (Q[t][s, a] - V[t][s]) for t, (s, a) in enumerate(m.steps(tau))
        )
    np.testing.assert_allclose(m.J(theta_new) - m.J(theta), pdl, atol=1e-10)

    def surrogate(th):
        pi_new, total, occ_t = _softmax(th), m.J(theta), m.rho0[:, None] * pi
        for t in range(m.T):
            total += m.gamma ** t * np.sum(occ_t * (pi_new / pi) * (Q[t] - V[t][:, None]))
            occ_t = np.einsum("sa,sab->b", occ_t, m.P)[:, None] * pi
        return total

    np.testing.assert_allclose(surrogate(theta), m.J(theta), rtol=1e-12)
    np.testing.assert_allclose(m.fd_grad(surrogate, theta), grad, atol=1e-8)
    assert abs(surrogate(theta_new) - m.J(theta_new)) > 1e-4  # they part away from theta


@pytest.mark.equations(
    "policy-gradients-kl-objective", "policy-gradients-shaped-reward", "policy-gradients-shaped-gradient",
    "policy-gradients-prop-shaped", "instructgpt-ptx-gradient", "instructgpt-objective",
)
def test_kl_shaped_reward_can_be_treated_as_fixed_and_ptx_gradient_adds():
    m = _SmallMDP(seed=6, gamma=1.0)
    rng = np.random.default_rng(7)
    theta = rng.normal(size=(m.n_s, m.n_a))
    ref = _softmax(rng.normal(size=(m.n_s, m.n_a)))
    beta, gamma_ptx = 0.3, 2.0
    # "Pretraining documents": a few fixed state-action sequences with their own distribution.
    docs = [[(rng.integers(m.n_s), rng.integers(m.n_a)) for _ in range(4)] for _ in range(5)]
    d_pre = _softmax(rng.normal(size=len(docs)))

    def shaped(th, tau):
        pi = _softmax(th)
        return [m.r[s, a] - beta * np.log(pi[s, a] / ref[s, a]) for s, a in m.steps(tau)]

    def objective(th):
        pi = _softmax(th)
        rl = sum(m.prob(th, tau) * sum(shaped(th, tau)) for tau in m.trajs)
        ptx = sum(w * sum(np.log(pi[s, a]) for s, a in doc) for w, doc in zip(d_pre, docs))
        return rl + gamma_ptx * ptx

    # The shaped return has expectation E[R] - beta KL(p_theta || p_ref).
    p = np.array([m.prob(theta, tau) for tau in m.trajs])
    p_ref = np.array([m.prob(np.log(ref), tau) for tau in m.trajs])
    kl = float(np.sum(p * np.log(p / p_ref)))
    np.testing.assert_allclose(
        sum(pt * sum(shaped(theta, tau)) for pt, tau in zip(p, m.trajs)),
        m.J(theta) - beta * kl, rtol=1e-10,
    )
    baseline = rng.normal(size=(m.T, m.n_s))
    pg = np.zeros_like(theta)
    for pt, tau in zip(p, m.trajs):
        rew = shaped(theta, tau)
        for t, (s, a) in enumerate(m.steps(tau)):
            pg += pt * m.score(theta, s, a) * (sum(rew[t:]) - baseline[t, s])
    ptx_grad = sum(w * sum(m.score(theta, s, a) for s, a in doc) for w, doc in zip(d_pre, docs))
    np.testing.assert_allclose(pg + gamma_ptx * ptx_grad, m.fd_grad(objective, theta), atol=1e-7)


@pytest.mark.equations("preference-models-luce", "preference-models-gumbel")
def test_gumbel_utilities_satisfy_iia_and_normal_utilities_do_not():
    s = np.array([1.0, 0.0, -0.5])
    g = np.linspace(-12.0, 36.0, 96001)
    dg = g[1] - g[0]
    erf = np.vectorize(math.erf)

    def choice_probs(scores, pdf, cdf):
        out = []
        for i in range(len(scores)):
            integrand = pdf(g)
            for j in range(len(scores)):
                if j != i:
                    integrand = integrand * cdf(scores[i] + g - scores[j])
            out.append(np.sum(integrand) * dg)
        return np.array(out)

    gumbel_pdf = lambda x: np.exp(-x - np.exp(-x))  # noqa: E731
    gumbel_cdf = lambda x: np.exp(-np.exp(-x))  # noqa: E731
    normal_pdf = lambda x: np.exp(-0.5 * x**2) / np.sqrt(2 * np.pi)  # noqa: E731
    normal_cdf = lambda x: 0.5 * (1.0 + erf(x / np.sqrt(2.0)))  # noqa: E731
    gum3, gum2 = choice_probs(s, gumbel_pdf, gumbel_cdf), choice_probs(s[:2], gumbel_pdf, gumbel_cdf)
    np.testing.assert_allclose(gum3, _softmax(s), atol=1e-6)
    np.testing.assert_allclose(gum3[0] / gum3[1], gum2[0] / gum2[1], rtol=1e-5)
    nor3, nor2 = choice_probs(s, normal_pdf, normal_cdf), choice_probs(s[:2], normal_pdf, normal_cdf)
    np.testing.assert_allclose(nor3.sum(), 1.0, atol=1e-6)
    assert abs(nor3[0] / nor3[1] - nor2[0] / nor2[1]) > 0.05  # the odds depend on the third item
    # The numbers quoted on the page: pair odds Phi(1/sqrt 2) / (1 - Phi(1/sqrt 2)) ~ 3.17, about 3.33
    # with the third item offered, and e for Gumbel noise in both cases.
    phi = 0.5 * (1.0 + math.erf(0.5))
    np.testing.assert_allclose(nor2[0] / nor2[1], phi / (1.0 - phi), rtol=1e-5)
    assert round(nor2[0] / nor2[1], 2) == 3.17 and round(nor3[0] / nor3[1], 2) == 3.33
    np.testing.assert_allclose(gum3[0] / gum3[1], np.e, rtol=1e-5)


@pytest.mark.equations("policy-gradients-reward-to-go", "policy-gradients-reinforce")
def test_group_baselines_leave_one_out_unbiased_group_mean_rescaled_std_not():
    # One prompt, a three-response bandit, a softmax policy; G responses sampled independently.
    rng = np.random.default_rng(8)
    theta = rng.normal(size=3)
    reward = np.array([1.0, 0.2, -0.5])
    pi = _softmax(theta)
    true_grad = pi * (reward - pi @ reward)  # gradient of E_pi[r] in the logits
    for G in (2, 3, 4):
        loo = np.zeros(3)
        mean_in = np.zeros(3)
        std_in = np.zeros(3)
        for ys in itertools.product(range(3), repeat=G):  # exact expectation over the group
            p = float(np.prod(pi[list(ys)]))
            r = reward[list(ys)]
            sd = r.std()
            for i, y in enumerate(ys):
                score = np.eye(3)[y] - pi
                loo += p * score * (r[i] - (r.sum() - r[i]) / (G - 1)) / G
                mean_in += p * score * (r[i] - r.mean()) / G
                if sd > 0:
                    std_in += p * score * (r[i] - r.mean()) / sd / G
        np.testing.assert_allclose(loo, true_grad, atol=1e-12)  # leave-one-out: unbiased
        np.testing.assert_allclose(mean_in, (1 - 1 / G) * true_grad, atol=1e-12)  # rescaled by 1 - 1/G
        # Dividing by the group standard deviation gives a vector that is not a multiple of the gradient.
        c = std_in @ true_grad / (true_grad @ true_grad)
        assert np.linalg.norm(std_in - c * true_grad) > 1e-3
