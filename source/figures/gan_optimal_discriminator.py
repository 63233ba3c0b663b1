"""Optimal discriminator D*(x) = p_data / (p_data + p_g) for a 1-D example (GAN chapter, Eq. gan-optimal-d)."""
import numpy as np
import matplotlib.pyplot as plt


def normal_pdf(x, mu, sigma):
    return np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * np.sqrt(2.0 * np.pi))


x = np.linspace(-6.0, 6.0, 1201)
p_data = 0.5 * normal_pdf(x, -2.0, 0.6) + 0.5 * normal_pdf(x, 1.5, 0.9)
p_g = normal_pdf(x, 0.0, 1.6)
d_star = p_data / (p_data + p_g)

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.4, 3.0), sharex=True)
ax1.plot(x, p_data, "k:", lw=2, label="p_data")
ax1.plot(x, p_g, "g-", lw=1.5, label="p_g")
ax1.set_xlabel("x")
ax1.set_ylabel("density")
ax1.legend(frameon=False, fontsize=8)
ax1.set_title("data and generator", fontsize=9)

ax2.plot(x, d_star, "b--", lw=1.5, label="D*(x)")
ax2.axhline(0.5, color="0.6", lw=0.8)
ax2.fill_between(x, 0.5, d_star, where=p_data > p_g, color="b", alpha=0.12, lw=0)
ax2.set_ylim(0.0, 1.0)
ax2.set_xlabel("x")
ax2.set_title("optimal discriminator", fontsize=9)
ax2.legend(frameon=False, fontsize=8, loc="upper right")
fig.tight_layout()
