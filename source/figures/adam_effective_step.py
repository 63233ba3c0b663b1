"""Adam's effective step |Delta_t| / alpha for three gradient histories of one coordinate.

Defaults beta1 = 0.9, beta2 = 0.999, epsilon = 0. Dashed: the paper's bound (1 - beta1)/sqrt(1 - beta2);
dotted: the exact worst case over all histories (Cauchy-Schwarz).
"""
import matplotlib.pyplot as plt
import numpy as np

B1, B2 = 0.9, 0.999
T = 3000
rng = np.random.default_rng(0)


def ratios(g):
    m = v = 0.0
    out = np.empty(len(g))
    for t, gt in enumerate(g, start=1):
        m = B1 * m + (1 - B1) * gt
        v = B2 * v + (1 - B2) * gt * gt
        out[t - 1] = abs(m / (1 - B1**t)) / np.sqrt(v / (1 - B2**t)) if v > 0 else 0.0
    return out


t = np.arange(1, T + 1)
noisy = 0.5 + rng.standard_normal(T)          # stationary: mean 0.5, unit noise
sparse = np.zeros(T)
sparse[[999, 1999, 2999]] = 1.0               # silent except three isolated steps
growing = (B2 / B1) ** np.minimum(t, 500) * 1e-20  # grows by beta2/beta1 per step up to t = 500, then flat

gamma = B1**2 / B2
worst = ((1 - B1) / np.sqrt(1 - B2)) * np.sqrt(1 - B2**t) / (1 - B1**t) * np.sqrt((1 - gamma**t) / (1 - gamma))

fig, ax = plt.subplots()
ax.plot(t, ratios(noisy), lw=0.7, label="stationary noisy gradients")
ax.plot(t, ratios(sparse), lw=0.9, label="sparse: three isolated gradients")
ax.plot(t, ratios(growing), lw=0.9, label="growing geometrically, then constant")
ax.plot(t, worst, "k:", lw=1.0, label="exact worst case")
ax.axhline((1 - B1) / np.sqrt(1 - B2), color="k", ls="--", lw=0.8, label="paper's bound (1-b1)/sqrt(1-b2)")
ax.set_xscale("log")
ax.set_xlabel("step t")
ax.set_ylabel("|Delta_t| / alpha")
ax.legend(fontsize=7, loc="upper left")
fig.tight_layout()
