"""Variance of q.k and softmax saturation, scaled versus unscaled (chapter: transformer)."""

import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(0)
dims = np.array([4, 8, 16, 32, 64, 128, 256, 512])
n_pairs, n_keys, n_queries = 4000, 32, 200

var_raw, var_scaled, tr_raw, tr_scaled = [], [], [], []
for d in dims:
    q = rng.standard_normal((n_pairs, d))
    k = rng.standard_normal((n_pairs, d))
    dots = np.einsum("ij,ij->i", q, k)
    var_raw.append(dots.var())
    var_scaled.append((dots / np.sqrt(d)).var())

    Q = rng.standard_normal((n_queries, d))
    K = rng.standard_normal((n_keys, d))
    for scale, out in ((1.0, tr_raw), (1.0 / np.sqrt(d), tr_scaled)):
        s = scale * Q @ K.T
        s = s - s.max(axis=1, keepdims=True)
        p = np.exp(s)
        p /= p.sum(axis=1, keepdims=True)
        out.append(np.mean(1.0 - (p**2).sum(axis=1)))  # trace of the softmax Jacobian

fig, (ax1, ax2) = plt.subplots(1, 2)
ax1.loglog(dims, var_raw, "o-", label="q.k")
ax1.loglog(dims, var_scaled, "s-", label="q.k / sqrt(d_k)")
ax1.loglog(dims, dims, "k:", lw=1, label="d_k")
ax1.set_xlabel("d_k")
ax1.set_ylabel("empirical variance")
ax1.legend(frameon=False)
ax2.semilogx(dims, tr_raw, "o-", label="unscaled scores")
ax2.semilogx(dims, tr_scaled, "s-", label="scaled scores")
ax2.set_xlabel("d_k")
ax2.set_ylabel("mean trace of softmax Jacobian")
ax2.set_ylim(0, 1)
ax2.legend(frameon=False)
fig.tight_layout()
