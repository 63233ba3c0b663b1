"""Subspace similarity of simulated LoRA adapters, and the Eckart-Young bound.

Left: two simulated adapter matrices A (rank 8 and rank 64, input dimension k) share one strong
input direction and otherwise contain independent Gaussian noise; the heat map shows the normalised
similarity phi(i, j) = ||U8[:, :i]^T U64[:, :j]||_F^2 / min(i, j) between their top right-singular
directions. Right: Frobenius error of the truncated SVD of a matrix with decaying spectrum against
random rank-r subspaces with the best least-squares factor.
"""

import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(0)
k = 512
shared = rng.standard_normal(k)
shared /= np.linalg.norm(shared)


def adapter(r):
    noise = rng.standard_normal((r, k)) / np.sqrt(k)
    coef = rng.standard_normal(r)
    coef /= np.linalg.norm(coef)
    return 3.0 * np.outer(coef, shared) + noise


def right_singular(a):
    _, _, vt = np.linalg.svd(a, full_matrices=False)
    return vt.T  # columns are right-singular vectors, in R^k


u8 = right_singular(adapter(8))
u64 = right_singular(adapter(64))
phi = np.empty((8, 64))
for i in range(1, 9):
    for j in range(1, 65):
        phi[i - 1, j - 1] = np.sum((u8[:, :i].T @ u64[:, :j]) ** 2) / min(i, j)

# Eckart-Young: truncated SVD versus random rank-r subspaces with optimal B.
d = 64
q1, _ = np.linalg.qr(rng.standard_normal((d, d)))
q2, _ = np.linalg.qr(rng.standard_normal((d, d)))
sigma = np.exp(-np.arange(d) / 6.0)
m = q1 @ np.diag(sigma) @ q2.T
ranks = np.arange(1, 33)
svd_err = np.array([np.sqrt(np.sum(sigma[r:] ** 2)) for r in ranks])
rand_err = []
for r in ranks:
    errs = []
    for _ in range(20):
        a = rng.standard_normal((r, d))
        b = np.linalg.lstsq(a.T, m.T, rcond=None)[0].T  # best B for this A
        errs.append(np.linalg.norm(m - b @ a))
    rand_err.append(np.median(errs))

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.4, 3.0))
im = ax1.imshow(phi, aspect="auto", cmap="viridis", vmin=0, vmax=1, origin="lower",
                extent=(0.5, 64.5, 0.5, 8.5))
ax1.set_xlabel("j (rank-64 adapter)")
ax1.set_ylabel("i (rank-8 adapter)")
ax1.set_title("phi(i, j)", fontsize=9)
fig.colorbar(im, ax=ax1, fraction=0.05)
ax2.semilogy(ranks, svd_err, label="truncated SVD")
ax2.semilogy(ranks, rand_err, "--", label="random A, best B")
ax2.set_xlabel("rank r")
ax2.set_ylabel("Frobenius error")
ax2.set_title("best rank-r approximation", fontsize=9)
ax2.legend(fontsize=8)
fig.tight_layout()
