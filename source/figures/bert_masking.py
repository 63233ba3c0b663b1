"""Simulation of BERT's 15% selection and 80/10/10 corruption rule (BERT chapter, Eqs. bert-masking, bert-masking-marginals)."""
import numpy as np
import matplotlib.pyplot as plt

rng = np.random.default_rng(1810)
n, V, pi = 1_000_000, 30_000, 0.15
x = rng.integers(0, V, n)
selected = rng.random(n) < pi
branch = rng.random(n)
to_mask = selected & (branch < 0.8)
to_random = selected & (branch >= 0.8) & (branch < 0.9)
kept = selected & (branch >= 0.9)
replacement = rng.integers(0, V, n)
wrong = to_random & (replacement != x)

simulated = [np.mean(~selected), np.mean(to_mask), np.mean(to_random), np.mean(kept)]
predicted = [1 - pi, 0.8 * pi, 0.1 * pi, 0.1 * pi]
labels = ["not selected", "[MASK]", "random token", "selected, kept"]

fig, ax = plt.subplots(figsize=(6.4, 3.0))
pos = np.arange(4)
ax.bar(pos, simulated, color=["0.75", "#4c72b0", "#c44e52", "#55a868"], label="simulated")
ax.plot(pos, predicted, "ko", ms=5, label="predicted")
for p_, s_ in zip(pos, simulated):
    ax.text(p_, s_ * 1.25, f"{100 * s_:.2f}%", ha="center", fontsize=8)
ax.set_yscale("log")
ax.set_ylim(5e-3, 2.5)
ax.set_xticks(pos)
ax.set_xticklabels(labels)
ax.set_ylabel("fraction of positions")
ax.set_title(f"input differs from original at {100 * (np.mean(to_mask) + np.mean(wrong)):.2f}% of positions", fontsize=9)
ax.legend(frameon=False, fontsize=8, loc="upper right")
fig.tight_layout()
