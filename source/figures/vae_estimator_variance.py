"""Gradient-estimator variance (left) and the ELBO of a conjugate Gaussian model (right)."""
import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(0)
sigma = 1.0
mus = np.linspace(-3.0, 3.0, 61)
var_sf = mus**4 / sigma**2 + 14 * mus**2 + 15 * sigma**2
var_pw = 4 * sigma**2 * np.ones_like(mus)

mu_mc = np.linspace(-3.0, 3.0, 13)
eps = rng.standard_normal(20000)
mc_sf, mc_pw = [], []
for m in mu_mc:
    z = m + sigma * eps
    mc_sf.append(np.var(z**2 * (z - m) / sigma**2))
    mc_pw.append(np.var(2 * z))

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.6))
ax1.semilogy(mus, var_sf, color="C3", label="score function (closed form)")
ax1.semilogy(mu_mc, mc_sf, "o", color="C3", ms=4, label="score function (simulated)")
ax1.semilogy(mus, var_pw, color="C0", label="reparameterised (closed form)")
ax1.semilogy(mu_mc, mc_pw, "s", color="C0", ms=4, label="reparameterised (simulated)")
ax1.set_xlabel("mean mu of q")
ax1.set_ylabel("variance of one-sample gradient")
ax1.legend(fontsize=7)

# conjugate model: z ~ N(0,1), x | z ~ N(z, s2)
s2, x = 0.5, 1.5
post_m, post_v = x / (1 + s2), s2 / (1 + s2)
log_px = -0.5 * np.log(2 * np.pi * (1 + s2)) - x**2 / (2 * (1 + s2))
ms = np.linspace(-0.5, 2.5, 200)
for v, c in [(post_v, "C0"), (0.3 * post_v, "C1"), (3 * post_v, "C2")]:
    elbo = (-0.5 * np.log(2 * np.pi * s2) - ((x - ms) ** 2 + v) / (2 * s2)
            - 0.5 * (ms**2 + v - 1 - np.log(v)))
    ax2.plot(ms, elbo, color=c, label=f"var of q = {v:.2f}")
ax2.axhline(log_px, color="k", ls="--", label="log p(x)")
ax2.axvline(post_m, color="gray", ls=":", lw=1)
ax2.set_xlabel("mean of q")
ax2.set_ylabel("bound")
ax2.set_ylim(log_px - 3, log_px + 0.5)
ax2.legend(fontsize=7)
fig.tight_layout()
