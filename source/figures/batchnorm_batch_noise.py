"""Batch dependence of the BN transform (Algorithm 1) and the bias of the mini-batch variance."""

import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(0)
sizes = np.array([2, 4, 8, 16, 32, 64, 128, 256])
trials = 4000
x0 = 1.0  # the fixed activation whose normalised value we follow
eps = 1e-5

spread, mean_var = [], []
for m in sizes:
    others = rng.standard_normal((trials, m - 1))
    batch = np.concatenate([np.full((trials, 1), x0), others], axis=1)
    mu = batch.mean(axis=1)
    var = batch.var(axis=1)  # biased, 1/m, as in Algorithm 1
    xhat0 = (x0 - mu) / np.sqrt(var + eps)
    spread.append(xhat0.std())
    mean_var.append(rng.standard_normal((trials, m)).var(axis=1).mean())

fig, (ax1, ax2) = plt.subplots(1, 2)
ax1.loglog(sizes, spread, "o-", label="simulated")
ax1.loglog(sizes, np.sqrt((1 + x0**2 / 2) / sizes), "k--", label="sqrt((1 + x0^2/2)/m)")
ax1.set_xlabel("mini-batch size m")
ax1.set_ylabel("std of normalised value of x0 = 1")
ax1.legend(fontsize=8)
ax2.semilogx(sizes, mean_var, "o", label="mean batch variance")
ax2.semilogx(sizes, (sizes - 1) / sizes, "k--", label="(m - 1)/m")
ax2.axhline(1.0, color="grey", lw=0.8)
ax2.set_xlabel("mini-batch size m")
ax2.set_ylabel("E[batch variance], true variance 1")
ax2.legend(fontsize=8)
fig.tight_layout()
