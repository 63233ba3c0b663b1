"""Saturating vs non-saturating generator losses and their logit gradients (GAN chapter, Eqs. gan-logit-gradients, gan-nonsaturating)."""
import numpy as np
import matplotlib.pyplot as plt

d = np.logspace(-4, np.log10(0.999), 400)  # discriminator output on generated samples

loss_minimax = np.log(1.0 - d)  # minimised by G in the minimax game
loss_ns = -np.log(d)  # non-saturating alternative
grad_minimax = d  # |d/da log(1 - sigmoid(a))| = D
grad_ns = 1.0 - d  # |d/da -log sigmoid(a)| = 1 - D

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.4, 3.0))
ax1.plot(d, loss_minimax, "r-", label="log(1 - D)  (minimax)")
ax1.plot(d, loss_ns, "b-", label="-log D  (non-saturating)")
ax1.set_xscale("log")
ax1.set_xlabel("D(G(z))")
ax1.set_ylabel("generator loss")
ax1.legend(frameon=False, fontsize=8)

ax2.plot(d, grad_minimax, "r-", label="minimax: D")
ax2.plot(d, grad_ns, "b-", label="non-saturating: 1 - D")
ax2.set_xscale("log")
ax2.set_yscale("log")
ax2.set_xlabel("D(G(z))")
ax2.set_ylabel("|d loss / d logit|")
ax2.legend(frameon=False, fontsize=8)
fig.tight_layout()
