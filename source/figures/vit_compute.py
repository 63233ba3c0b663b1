"""Sequence length and the share of the quadratic attention term in a ViT layer.

Uses N = HW / P^2 and the per-layer multiply-add count 12 N D^2 + 2 N^2 D (D_MLP = 4D).
"""

import matplotlib.pyplot as plt
import numpy as np

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.4, 3.0))

patch = np.array([8, 14, 16, 32])
n_224 = (224 // patch) ** 2
ax1.bar([str(p) for p in patch], n_224, color="tab:blue")
for i, n in enumerate(n_224):
    ax1.text(i, n * 1.1, str(n), ha="center", fontsize=8)
ax1.set_yscale("log")
ax1.set_ylim(20, 3000)
ax1.set_xlabel("patch size P")
ax1.set_ylabel("N at 224 x 224")
ax1.set_title("sequence length", fontsize=9)

models = [("ViT-B/16", 768, 16, (224, 384)), ("ViT-L/16", 1024, 16, (224, 384, 512)),
          ("ViT-H/14", 1280, 14, (224, 384, 518))]
for name, d, p, marks in models:
    res = np.arange(p * 8, 1025, p)
    n = (res // p) ** 2 + 1
    share = 2 * n**2 * d / (12 * n * d**2 + 2 * n**2 * d)
    line, = ax2.plot(res, share, label=name)
    for m in marks:
        nm = (m // p) ** 2 + 1
        ax2.plot(m, 2 * nm**2 * d / (12 * nm * d**2 + 2 * nm**2 * d), "o", color=line.get_color(), ms=4)
ax2.set_xlabel("input resolution (pixels)")
ax2.set_ylabel("attention share of MACs")
ax2.set_title("quadratic term per layer", fontsize=9)
ax2.legend(fontsize=8)
fig.tight_layout()
