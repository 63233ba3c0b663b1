"""The warm-up / inverse-square-root learning-rate schedule (chapter: transformer)."""

import matplotlib.pyplot as plt
import numpy as np

warmup = 4000
step = np.arange(1, 100001)

fig, ax = plt.subplots()
for d_model in (512, 1024):
    lrate = d_model**-0.5 * np.minimum(step**-0.5, step * warmup**-1.5)
    ax.plot(step, lrate, label=f"d_model = {d_model}")
ax.axvline(warmup, color="k", ls=":", lw=1)
ax.text(warmup + 2500, 6.6e-4, "warmup_steps = 4000")
ax.set_xlabel("training step")
ax.set_ylabel("learning rate")
ax.legend(frameon=False)
fig.tight_layout()
