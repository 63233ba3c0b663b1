"""The three one-variable laws of Kaplan et al. (2020), drawn from their fitted constants.

L(C_min) = (C_c^min / C_min)^0.050 with C_c^min = 3.1e8 PF-days; L(D) = (D_c / D)^0.095 with
D_c = 5.4e13 tokens; L(N) = (N_c / N)^0.076 with N_c = 8.8e13 non-embedding parameters (Table 5).
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import NullLocator

LAWS = [
    ("compute $C_{\\min}$ (PF-days)", 0.050, 3.1e8, "3.1 \\times 10^{8}", (1e-8, 1e2), None),
    ("dataset size $D$ (tokens)", 0.095, 5.4e13, "5.4 \\times 10^{13}", (1e7, 1e11), 2.29e10),
    ("parameters $N$ (non-embedding)", 0.076, 8.8e13, "8.8 \\times 10^{13}", (1e3, 1e10), 12 * 48 * 1600**2),
]

fig, axes = plt.subplots(1, 3, figsize=(7.2, 2.7), sharey=True)
for ax, (label, alpha, scale, scale_tex, (lo, hi), mark) in zip(axes, LAWS):
    x = np.logspace(np.log10(lo), np.log10(hi), 200)
    ax.loglog(x, (scale / x) ** alpha, color="tab:blue")
    if mark is not None:
        ax.axvline(mark, color="0.5", ls="--", lw=0.8)
    ax.set_xlabel(label, fontsize=8)
    ax.set_title(f"$\\alpha = {alpha:.3f}$, scale ${scale_tex}$", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.xaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_minor_locator(NullLocator())
axes[0].set_ylabel("test loss (nats/token)", fontsize=8)
axes[0].set_yticks([2, 3, 4, 5, 6, 7])
axes[0].set_yticklabels(["2", "3", "4", "5", "6", "7"])
fig.tight_layout()
