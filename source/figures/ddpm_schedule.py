"""Linear DDPM schedule: signal/noise coefficients and the weights of the variational bound."""
import matplotlib.pyplot as plt
import numpy as np

T = 1000
beta = np.linspace(1e-4, 0.02, T)
alpha = 1.0 - beta
abar = np.cumprod(alpha)
abar_prev = np.concatenate([[1.0], abar[:-1]])
beta_tilde = (1.0 - abar_prev) / (1.0 - abar) * beta  # beta_tilde_1 = 0
t = np.arange(1, T + 1)

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.6))
ax1.plot(t, np.sqrt(abar), label="sqrt(alpha_bar_t), signal")
ax1.plot(t, np.sqrt(1.0 - abar), label="sqrt(1 - alpha_bar_t), noise")
ax1.set_xlabel("t")
ax1.set_ylabel("coefficient")
ax1b = ax1.twinx()
ax1b.plot(t, np.log10(abar / (1.0 - abar)), color="C2", ls="--", label="log10 SNR")
ax1b.set_ylabel("log10 signal-to-noise ratio")
h1, l1 = ax1.get_legend_handles_labels()
h2, l2 = ax1b.get_legend_handles_labels()
ax1.legend(h1 + h2, l1 + l2, fontsize=7, loc="center right")

s = t >= 2
for sig2, name, c in [(beta, "sigma_t^2 = beta_t", "C0"), (beta_tilde, "sigma_t^2 = beta_tilde_t", "C1")]:
    lam = beta[s] ** 2 / (2.0 * sig2[s] * alpha[s] * (1.0 - abar[s]))
    ax2.semilogy(t[s], lam, color=c, label="bound weight, " + name)
ax2.semilogy(t[s], np.ones(s.sum()), color="k", ls="--", label="L_simple (weight 1)")
ax2.set_xlabel("t")
ax2.set_ylabel("weight of the noise-prediction error")
ax2.legend(fontsize=7)
fig.tight_layout()
