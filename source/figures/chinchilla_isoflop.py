"""IsoFLOP curves and the compute-optimal frontier of the fitted Chinchilla law (Chinchilla chapter).

Left: the fitted parametric loss L(N, D) = E + A / N^alpha + B / D^beta with the printed constants
E = 1.69, A = 406.4, B = 410.7, alpha = 0.34, beta = 0.28, evaluated along IsoFLOP slices
D = C / (6 N) for several budgets C; dots mark the closed-form minimiser N_opt(C) = G (C / 6)^a.
Right: N_opt(C) from the closed form, the Approach 1 projections of the paper's Table 3, and an
allocation growing as C^0.73 anchored at the 4.68 billion parameters the paper derives from Kaplan
et al. for 1e21 FLOPs; crosses mark Chinchilla (70B, 1.4T tokens) and Gopher (280B, 300B tokens)
at C = 6 N D.
"""

import matplotlib.pyplot as plt
import numpy as np

E, A, B, ALPHA, BETA = 1.69, 406.4, 410.7, 0.34, 0.28
a = BETA / (ALPHA + BETA)
G = (ALPHA * A / (BETA * B)) ** (1.0 / (ALPHA + BETA))


def loss(n, d):
    return E + A / n**ALPHA + B / d**BETA


def n_opt(c):
    return G * (c / 6.0) ** a


fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.4, 3.1))

budgets = [1e19, 1e20, 1e21, 1e22, 1e23, 5.76e23]
colors = plt.cm.viridis(np.linspace(0.0, 0.85, len(budgets)))
for c, col in zip(budgets, colors):
    n = np.logspace(7, 12, 400)
    ax1.plot(n, loss(n, c / (6.0 * n)), color=col, lw=1.2, label=f"C = {c:.2g}")
    m = n_opt(c)
    ax1.plot(m, loss(m, c / (6.0 * m)), "o", color=col, ms=4)
ax1.set_xscale("log")
ax1.set_ylim(1.85, 4.3)
ax1.set_xlabel("parameters N")
ax1.set_ylabel("fitted loss on the slice D = C/(6N)")
ax1.set_title("IsoFLOP slices of the fitted law", fontsize=9)
ax1.legend(fontsize=6, frameon=False, loc="upper center", ncol=2)

c = np.logspace(18, 28.5, 200)
ax2.plot(c, n_opt(c), "k-", lw=1.4, label="closed form, fitted law")
ax2.plot(c, 4.68e9 * (c / 1e21) ** 0.73, "--", color="tab:red", lw=1.2, label="C^0.73 through 4.68B at 1e21")
table3 = np.array([
    [400e6, 1.92e19], [1e9, 1.21e20], [10e9, 1.23e22], [67e9, 5.76e23], [175e9, 3.85e24],
    [280e9, 9.90e24], [520e9, 3.43e25], [1e12, 1.27e26], [10e12, 1.30e28],
])
ax2.plot(table3[:, 1], table3[:, 0], "s", color="tab:blue", ms=3.5, label="Approach 1 (Table 3)")
ax2.plot(6 * 70e9 * 1.4e12, 70e9, "x", color="tab:green", ms=7, mew=2, label="Chinchilla")
ax2.plot(6 * 280e9 * 300e9, 280e9, "x", color="tab:orange", ms=7, mew=2, label="Gopher")
ax2.set_xscale("log")
ax2.set_yscale("log")
ax2.set_xlim(1e18, 3e28)
ax2.set_ylim(1e7, 1e15)
ax2.set_xlabel("training FLOPs C")
ax2.set_ylabel("parameters N")
ax2.set_title("compute-optimal model size", fontsize=9)
ax2.legend(fontsize=6, frameon=False, loc="upper left")
fig.tight_layout()
