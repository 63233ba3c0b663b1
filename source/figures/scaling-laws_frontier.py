"""Overfitting and compute allocation from the fitted laws of Kaplan et al. (2020).

Left: L(N, D) = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D with the joint-fit constants of Table 2
(alpha_N = 0.076, alpha_D = 0.103, N_c = 6.4e13, D_c = 1.8e13); dots where delta L = 0.02.
Right: N_opt, B_crit, S_min, D_opt as powers of C_min (Table 6: exponents 0.73, 0.24, 0.03, 0.27),
each relative to its value at C_min = 1e-8 PF-days.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import NullLocator

A_N, A_D, N_C, D_C = 0.076, 0.103, 6.4e13, 1.8e13


def loss(n, d):
    return ((N_C / n) ** (A_N / A_D) + D_C / d) ** A_D


fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(7.0, 2.9))
n = np.logspace(4, 11, 200)
ax1.loglog(n, (N_C / n) ** A_N, color="k", lw=1.0, ls="--", label="$D = \\infty$")
for d, c in zip([2e7, 2e8, 2e9, 2e10], ["tab:red", "tab:orange", "tab:green", "tab:blue"]):
    ax1.loglog(n, loss(n, d), color=c, label=f"$D = 2 \\times 10^{{{int(np.log10(d / 2))}}}$")
    # delta L = 0.02: (1 + (N/N_c)^(aN/aD) D_c/D)^aD = 1.02
    n_star = N_C * (((1.02) ** (1 / A_D) - 1) * d / D_C) ** (A_D / A_N)
    ax1.plot(n_star, loss(n_star, d), "o", color=c, ms=4)
ax1.set_xlabel("parameters $N$ (non-embedding)", fontsize=8)
ax1.set_ylabel("test loss (nats/token)", fontsize=8)
ax1.set_yticks([2, 3, 4, 5, 6])
ax1.set_yticklabels(["2", "3", "4", "5", "6"])
ax1.legend(fontsize=7, frameon=False)
ax1.set_title("overfitting: $L(N, D)$", fontsize=9)

c = np.logspace(-8, 1, 50)
for p, name, col in [(0.73, "$N_{\\mathrm{opt}}$", "tab:blue"), (0.27, "$D_{\\mathrm{opt}} = B S$", "tab:green"),
                     (0.24, "$B_{\\mathrm{crit}}$", "tab:orange"), (0.03, "$S_{\\mathrm{min}}$", "tab:red")]:
    ax2.loglog(c, (c / c[0]) ** p, color=col, label=f"{name} $\\propto C_{{\\min}}^{{{p:.2f}}}$")
ax2.set_xlabel("compute $C_{\\min}$ (PF-days)", fontsize=8)
ax2.set_ylabel("growth factor", fontsize=8)
ax2.legend(fontsize=7, frameon=False)
ax2.set_title("compute-efficient allocation", fontsize=9)
for ax in (ax1, ax2):
    ax.tick_params(labelsize=7)
    ax.xaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_minor_locator(NullLocator())
fig.tight_layout()
