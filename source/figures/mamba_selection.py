"""Selection as gating: the ZOH pair for A = -1 with a softplus step, and a toy selective-copy trace."""

import matplotlib.pyplot as plt
import numpy as np


def softplus(z):
    return np.logaddexp(0.0, z)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(10, 3.8))

# Left: A_bar = exp(Delta * A), B_bar = (Delta A)^{-1}(exp(Delta A) - 1) Delta B with A = -1, B = 1.
z = np.linspace(-6, 6, 301)
delta = softplus(z)
a_bar = np.exp(-delta)
b_bar = (np.exp(-delta) - 1.0) / (-delta) * delta
ax0.plot(z, a_bar, color="C0", lw=2, label="decay exp(-Delta)")
ax0.plot(z, b_bar, color="C1", lw=2, label="input weight (ZOH)")
ax0.plot(z[::20], sigmoid(z[::20]), "o", color="C1", ms=4, label="sigmoid(z)")
ax0.plot(z[::20], sigmoid(-z[::20]), "s", color="C0", ms=4, label="sigmoid(-z)")
ax0.set_xlabel("pre-activation z, Delta = softplus(z)")
ax0.set_ylabel("coefficient")
ax0.set_title("Theorem 1: ZOH with A = -1 is a sigmoid gate")
ax0.legend(fontsize=8, loc="center right")

# Right: signal tokens among noise; LTI versus selective step sizes, scalar state with A = -1.
rng = np.random.default_rng(0)
L = 60
x = 0.4 * rng.standard_normal(L)
signal_pos = [5, 22, 40]
signal_val = [1.0, -0.8, 0.6]
is_signal = np.zeros(L, dtype=bool)
for p, v in zip(signal_pos, signal_val):
    x[p] = v
    is_signal[p] = True


def run(deltas):
    h, out = 0.0, []
    for t in range(L):
        a = np.exp(-deltas[t])
        h = a * h + (1.0 - a) * x[t]
        out.append(h)
    return np.array(out)


h_lti = run(np.full(L, 0.3))
h_sel = run(np.where(is_signal, 6.0, 0.003))
target = np.zeros(L)
last = 0.0
for t in range(L):
    if is_signal[t]:
        last = x[t]
    target[t] = last

t = np.arange(L)
ax1.scatter(t[~is_signal], x[~is_signal], s=10, color="0.7", label="noise tokens")
ax1.scatter(t[is_signal], x[is_signal], s=40, color="C3", zorder=3, label="signal tokens")
ax1.step(t, target, where="post", color="k", lw=1, ls=":", label="last signal")
ax1.plot(t, h_lti, color="C0", lw=1.5, label="LTI state (Delta = 0.3)")
ax1.plot(t, h_sel, color="C2", lw=2, label="selective state")
ax1.set_xlabel("step t")
ax1.set_ylabel("value")
ax1.set_title("Selective step sizes skip the noise")
ax1.set_ylim(-1.9, 1.25)
ax1.legend(fontsize=7, loc="lower center", ncol=3)

fig.tight_layout()
