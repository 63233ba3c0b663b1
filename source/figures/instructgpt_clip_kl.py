"""The PPO clipped surrogate and the reward-KL trade-off of KL-regularised RL (InstructGPT chapter).

Left: one term min(rho A, clip(rho, 1 - eps, 1 + eps) A) of the clipped surrogate as a function of
the probability ratio rho, for A = +1 and A = -1 with eps = 0.2, next to the unclipped term rho A.
Right: a bandit with 300 responses, a random reference policy and a random reward. For each beta the
tilted policy pi_ref exp(r / beta) / Z is computed exactly and its expected reward is plotted against
its KL divergence to pi_ref; 2,000 other policies (random logit perturbations of pi_ref) are shown as
dots. The tilted family is the upper boundary of the achievable (KL, reward) pairs.
"""

import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(0)
eps = 0.2


def clipped_term(rho, adv):
    return np.minimum(rho * adv, np.clip(rho, 1 - eps, 1 + eps) * adv)


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def kl(p, q):
    return np.sum(p * (np.log(p) - np.log(q)), axis=-1)


fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.4, 3.0))

rho = np.linspace(0.4, 1.6, 481)
for adv, colour, name in ((1.0, "C0", "A > 0"), (-1.0, "C3", "A < 0")):
    ax1.plot(rho, rho * adv, color=colour, ls="--", lw=1.0, alpha=0.7)
    ax1.plot(rho, clipped_term(rho, adv), color=colour, lw=2.0, label=name)
ax1.axvspan(1 - eps, 1 + eps, color="0.9", zorder=0)
ax1.plot([1.0, 1.0], [1.0, -1.0], "ko", ms=4)
ax1.set_xlabel("probability ratio rho")
ax1.set_ylabel("surrogate term")
ax1.set_title("clipped surrogate, eps = 0.2", fontsize=9)
ax1.legend(fontsize=8, loc="upper left")

n = 300
log_ref = np.log(softmax(rng.normal(0.0, 1.5, n)))
pi_ref = np.exp(log_ref)
reward = rng.normal(0.0, 1.0, n)

# Other policies: random perturbations of the reference logits, at several scales.
scales = rng.uniform(0.05, 2.0, size=(2000, 1))
others = softmax(log_ref + scales * rng.normal(size=(2000, n)))
ax2.scatter(kl(others, pi_ref), others @ reward, s=2, color="0.6", alpha=0.5, lw=0)

betas = np.logspace(-1.3, 1.5, 200)
tilted = softmax(log_ref[None, :] + reward[None, :] / betas[:, None])
ax2.plot(kl(tilted, pi_ref), tilted @ reward, color="C2", lw=2.0)
for beta in (0.3, 0.5, 1.0, 3.0):
    p = softmax(log_ref + reward / beta)
    ax2.plot(kl(p, pi_ref), p @ reward, "o", color="C2", ms=4)
    ax2.annotate(f"beta = {beta:g}", (kl(p, pi_ref), p @ reward), textcoords="offset points",
                 xytext=(6, -10), fontsize=7)
ax2.set_xlabel("KL(pi || pi_ref)")
ax2.set_ylabel("expected reward")
ax2.set_xlim(0, 2.9)
ax2.set_title("tilted policies form the frontier", fontsize=9)

fig.tight_layout()
