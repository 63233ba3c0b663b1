"""Adam versus AMSGrad on the one-dimensional counterexample of Reddi, Kale and Kumar (2018).

f_t(x) = C x if t mod 3 == 1, else -x, on the interval [-1, 1]; the best fixed point is x = -1.
Both methods use beta1 = 0, beta2 = 1 / (1 + C^2) and the step size alpha / sqrt(t).
"""
import matplotlib.pyplot as plt
import numpy as np

C = 3.0
BETA2 = 1.0 / (1.0 + C**2)
ALPHA = 0.1
T = 20000


def run(amsgrad):
    x, v, v_hat = 0.0, 0.0, 0.0
    xs = np.empty(T)
    regret = np.empty(T)
    total = 0.0
    for t in range(1, T + 1):
        g = C if t % 3 == 1 else -1.0
        total += g * x - g * (-1.0)  # f_t(x_t) - f_t(-1) for a linear loss
        v = BETA2 * v + (1.0 - BETA2) * g * g
        v_hat = max(v_hat, v) if amsgrad else v
        x = float(np.clip(x - ALPHA / np.sqrt(t) * g / np.sqrt(v_hat), -1.0, 1.0))
        xs[t - 1] = x
        regret[t - 1] = total / t
    return xs, regret


steps = np.arange(1, T + 1)
fig, (ax1, ax2) = plt.subplots(1, 2)
for amsgrad, name, color in ((False, "Adam", "tab:red"), (True, "AMSGrad", "tab:blue")):
    xs, regret = run(amsgrad)
    ax1.plot(steps, xs, color=color, lw=0.8, label=name)
    ax2.plot(steps, regret, color=color, lw=1.2, label=name)
ax1.axhline(-1.0, color="k", ls=":", lw=0.8)
ax1.set_xscale("log")
ax1.set_xlabel("step t")
ax1.set_ylabel("iterate x_t")
ax1.set_ylim(-1.1, 1.1)
ax1.legend(loc="center left")
ax2.axhline((2 * C - 4) / 3, color="tab:red", ls=":", lw=0.8)
ax2.set_xscale("log")
ax2.set_xlabel("step t")
ax2.set_ylabel("average regret R(t)/t")
fig.tight_layout()
