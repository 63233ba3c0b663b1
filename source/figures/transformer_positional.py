"""Sinusoidal positional encoding and its offset-only inner products (chapter: transformer)."""

import matplotlib.pyplot as plt
import numpy as np

d_model, n_pos = 128, 100
pos = np.arange(n_pos)[:, None]
omega = 10000.0 ** (-np.arange(0, d_model, 2) / d_model)
pe = np.zeros((n_pos, d_model))
pe[:, 0::2] = np.sin(pos * omega)
pe[:, 1::2] = np.cos(pos * omega)


def encode(p):
    out = np.zeros(d_model)
    out[0::2] = np.sin(p * omega)
    out[1::2] = np.cos(p * omega)
    return out


offsets = np.arange(0, 60)
fig, (ax1, ax2) = plt.subplots(1, 2)
im = ax1.imshow(pe[:, 0::2], aspect="auto", cmap="RdBu_r", vmin=-1, vmax=1)
ax1.set_xlabel("pair index i (sine coordinate 2i)")
ax1.set_ylabel("position")
fig.colorbar(im, ax=ax1)
for start, style in ((0, "-"), (17, "--"), (40, ":")):
    dots = [encode(start) @ encode(start + k) for k in offsets]
    ax2.plot(offsets, dots, style, lw=2, label=f"p = {start}")
ax2.set_xlabel("offset k")
ax2.set_ylabel("PE(p) . PE(p + k)")
ax2.legend(frameon=False)
fig.tight_layout()
