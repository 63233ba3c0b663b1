"""Parameter breakdown of BERT-BASE and BERT-LARGE from the count formula (BERT chapter, Eq. bert-params)."""
import numpy as np
import matplotlib.pyplot as plt

V, P = 30522, 512


def breakdown(L, H):
    return {
        "token embeddings": V * H,
        "position + segment emb.": (P + 2) * H,
        "attention (Q, K, V, O)": L * 4 * H * H,
        "feed-forward": L * 8 * H * H,
        "biases + layer norms": 2 * H + L * (4 * H + 5 * H + 4 * H),
        "pooler": H * H + H,
    }


models = {"BERT-BASE\n(L=12, H=768)": breakdown(12, 768), "BERT-LARGE\n(L=24, H=1024)": breakdown(24, 1024)}
colors = ["#4c72b0", "#8172b2", "#dd8452", "#c44e52", "#937860", "#55a868"]

fig, ax = plt.subplots(figsize=(6.4, 3.2))
names = list(models)
left = np.zeros(len(names))
for k, key in enumerate(models[names[0]]):
    vals = np.array([models[n][key] for n in names]) / 1e6
    ax.barh(names, vals, left=left, color=colors[k], label=key)
    left += vals
for i, total in enumerate(left):
    ax.text(total + 4, i, f"{total:.1f}M", va="center", fontsize=9)
ax.set_xlabel("parameters (millions)")
ax.set_xlim(0, 390)
ax.invert_yaxis()
ax.legend(frameon=False, fontsize=7, ncol=2, loc="lower right")
fig.tight_layout()
