"""HBM traffic of standard attention (Algorithm 0) and FlashAttention (Algorithm 1).

Exact element counts from the chapter's closed forms: 4N^2 + 4Nd for Algorithm 0 and
3Nd + 2N + T_c (3Nd + 4N), T_c = ceil(N / ceil(M / 4d)), for Algorithm 1.
"""

import math

import matplotlib.pyplot as plt
import numpy as np


def standard(N, d):
    return 4 * N**2 + 4 * N * d


def flash(N, d, M):
    Tc = math.ceil(N / math.ceil(M / (4 * d)))
    return 3 * N * d + 2 * N + Tc * (3 * N * d + 4 * N)


d = 64
Ns = 2 ** np.arange(7, 17)

fig, (ax1, ax2) = plt.subplots(1, 2)

ax1.loglog(Ns, [standard(N, d) for N in Ns], "k-o", ms=3, label="standard (Alg. 0)")
for M, c in [(2**14, "tab:orange"), (2**16, "tab:blue"), (2**18, "tab:green")]:
    ax1.loglog(Ns, [flash(N, d, M) for N in Ns], "-s", ms=3, color=c, label=f"FlashAttention, M = {M // 1024}K")
ax1.set_xlabel("sequence length N")
ax1.set_ylabel("HBM accesses (elements)")
ax1.set_title("d = 64", fontsize=9)
ax1.legend(fontsize=7)

N = 4096
Ms = 2 ** np.arange(6, 21)
Ms = Ms[(Ms >= d) & (Ms <= N * d)]
ratio = [standard(N, d) / flash(N, d, M) for M in Ms]
ax2.loglog(Ms, ratio, "-o", ms=3, color="tab:blue", label="counted ratio")
ax2.loglog(Ms, Ms / (3 * d**2), "--", color="gray", label="M / (3 d^2)")
ax2.axhline(1.0, color="k", lw=0.8)
ax2.axvline(d**2, color="tab:red", lw=0.8, ls=":", label="M = d^2")
ax2.set_xlabel("SRAM size M (elements)")
ax2.set_ylabel("standard / FlashAttention")
ax2.set_title("N = 4096, d = 64", fontsize=9)
ax2.legend(fontsize=7)

fig.tight_layout()
