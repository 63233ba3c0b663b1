"""Distortion of scalar and trellis quantisers on Gaussian data, and the effect of a random
Hadamard transform on a heavy-tailed matrix.

Left: mean squared error per sample when an i.i.d. N(0, 1) source is quantised at k = 1, 2, 3 bits
per sample by the Lloyd-Max scalar quantiser (computed by Lloyd's iteration on the exact Gaussian
density), by a bitshift trellis (L = 10, V = 1) with a randomly permuted Gaussian codebook searched
exactly by the Viterbi algorithm on sequences of length 256, and the Gaussian distortion-rate
function D(R) = 2^(-2R).  Right: histograms of the entries of a heavy-tailed 256 x 256 matrix,
divided by their root mean square, before and after the two-sided random Hadamard transform,
against the standard normal density.
"""

import math

import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(0)


def std_normal_pdf(x):
    return np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def std_normal_cdf(x):
    return 0.5 * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0)))


def lloyd_max_mse(levels, iters=200):
    """Lloyd's iteration on the N(0, 1) density, with the cell integrals in closed form."""
    c = np.linspace(-2.0, 2.0, levels)
    for _ in range(iters):
        t = np.concatenate(([-np.inf], 0.5 * (c[1:] + c[:-1]), [np.inf]))
        p = np.diff(std_normal_cdf(t))
        c = -np.diff(std_normal_pdf(t)) / p      # centroid (phi(a) - phi(b)) / (Phi(b) - Phi(a))
    t = np.concatenate(([-np.inf], 0.5 * (c[1:] + c[:-1]), [np.inf]))
    tf = np.where(np.isfinite(t), t, 0.0)
    second = np.diff(std_normal_cdf(t) - tf * std_normal_pdf(t))   # int_a^b x^2 phi(x) dx
    first = -np.diff(std_normal_pdf(t))                             # int_a^b x phi(x) dx
    mass = np.diff(std_normal_cdf(t))
    return float(np.sum(second - 2.0 * c * first + c ** 2 * mass))


def viterbi_bitshift(seqs, code, L, k):
    """Exact minimum squared error walk on the (L, k, 1) bitshift trellis, batched over rows."""
    n_states = 1 << L
    shift = L - k
    # predecessors of the states with top L - k bits equal to g are g + c * 2^(L - k)
    pred = (np.arange(1 << shift)[:, None] + (np.arange(1 << k) << shift)[None, :])
    cost = (code[None, :] - seqs[:, :1]) ** 2
    for t in range(1, seqs.shape[1]):
        best = cost[:, pred].min(axis=2)          # one minimum per group of successors
        cost = np.repeat(best, 1 << k, axis=1) + (code[None, :] - seqs[:, t:t + 1]) ** 2
    return cost.min(axis=1)


def fwht(a):
    """Orthonormal fast Walsh-Hadamard transform along the last axis."""
    a = np.array(a, dtype=float)
    n = a.shape[-1]
    h = 1
    while h < n:
        a = a.reshape(*a.shape[:-1], n // (2 * h), 2, h)
        x, y = a[..., 0, :].copy(), a[..., 1, :].copy()
        a[..., 0, :], a[..., 1, :] = x + y, x - y
        a = a.reshape(*a.shape[:-3], n)
        h *= 2
    return a / math.sqrt(n)


rates = np.array([1, 2, 3])
sq = [lloyd_max_mse(2 ** r) for r in rates]

L, T, n_seq = 10, 256, 16
probs = (np.arange(1 << L) + 0.5) / (1 << L)
from statistics import NormalDist
quantiles = np.array([NormalDist().inv_cdf(p) for p in probs])
code = rng.permutation(quantiles)
data = rng.standard_normal((n_seq, T))
tcq = [float(viterbi_bitshift(data, code, L, int(k)).mean() / T) for k in rates]

r_fine = np.linspace(0.8, 3.2, 100)

# heavy-tailed matrix: Student-t entries with a few large outlier columns
m = n = 256
w = rng.standard_t(3, size=(m, n))
w[:, rng.choice(n, 4, replace=False)] *= 12.0
s_u = rng.choice([-1.0, 1.0], m)
s_v = rng.choice([-1.0, 1.0], n)
w_rht = fwht(fwht(w * s_v[None, :]).T * s_u[None, :]).T   # V_m S_m W S_n V_n^T
before = (w / np.sqrt(np.mean(w ** 2))).ravel()
after = (w_rht / np.sqrt(np.mean(w_rht ** 2))).ravel()

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.4, 3.0))
ax1.semilogy(r_fine, 2.0 ** (-2 * r_fine), "k-", lw=1.2, label="D(R) = 2^(-2R)")
ax1.semilogy(rates, sq, "o--", color="tab:red", label="Lloyd-Max scalar")
ax1.semilogy(rates, tcq, "s--", color="tab:blue", label="bitshift TCQ, L=10")
ax1.set_xlabel("bits per sample k")
ax1.set_ylabel("MSE per sample")
ax1.set_xticks(rates)
ax1.legend(fontsize=7, frameon=False)
ax1.set_title("Gaussian source", fontsize=9)

bins = np.linspace(-6, 6, 121)
ax2.hist(np.clip(before, -6, 6), bins=bins, density=True, histtype="step", color="tab:red",
         label="original W")
ax2.hist(after, bins=bins, density=True, histtype="step", color="tab:blue", label="after RHT")
xs = np.linspace(-6, 6, 400)
ax2.plot(xs, std_normal_pdf(xs), "k-", lw=0.8, label="N(0, 1)")
ax2.set_yscale("log")
ax2.set_ylim(1e-4, 2)
ax2.set_xlabel("entry / RMS")
ax2.legend(fontsize=7, frameon=False)
ax2.set_title("heavy-tailed weights", fontsize=9)
fig.tight_layout()
