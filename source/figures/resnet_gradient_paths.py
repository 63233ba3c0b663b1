"""Input-output Jacobian of random deep networks: plain ReLU chains vs residual stacks."""

import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(0)
n, depth = 64, 60
x0 = rng.standard_normal(n)


def rms_singular(J):
    """Root-mean-square singular value, ||J||_F / sqrt(n)."""
    return np.linalg.norm(J) / np.sqrt(J.shape[0])


def plain(gain):
    x, J, out = x0.copy(), np.eye(n), []
    for _ in range(depth):
        W = rng.standard_normal((n, n)) * np.sqrt(gain * 2.0 / n)
        pre = W @ x
        D = (pre > 0).astype(float)
        x = np.maximum(pre, 0.0)
        J = (D[:, None] * W) @ J
        out.append(rms_singular(J))
    return out


def residual(alpha):
    x, J, out = x0.copy(), np.eye(n), []
    for _ in range(depth):
        W1 = rng.standard_normal((n, n)) * np.sqrt(2.0 / n)
        W2 = rng.standard_normal((n, n)) * np.sqrt(1.0 / n) * alpha
        pre = W1 @ x
        D = (pre > 0).astype(float)
        x = x + W2 @ np.maximum(pre, 0.0)
        J = (np.eye(n) + W2 @ (D[:, None] * W1)) @ J
        out.append(rms_singular(J))
    return out


layers = np.arange(1, depth + 1)
fig, ax = plt.subplots()
for gain, style in [(0.8, "C0--"), (1.0, "C0-"), (1.25, "C0:")]:
    ax.semilogy(layers, plain(gain), style, label=f"plain, weight gain {gain}")
for alpha, style in [(0.15, "C3-"), (0.5, "C3--")]:
    ax.semilogy(layers, residual(alpha), style, label=f"residual, branch scale {alpha}")
ax.axhline(1.0, color="grey", lw=0.8)
ax.set_xlabel("number of layers (plain) or blocks (residual)")
ax.set_ylabel("RMS singular value of d x_L / d x_0")
ax.legend(fontsize=8)
fig.tight_layout()
