"""A trained classifier with small test error that misclassifies every point of the flipped set S'.

Left: two concentric spheres in d = 400 dimensions, radii 1 (label -1) and 1.1 (label +1), each
label with probability 1/2. A linear model in the feature space of the Gaussian kernel
(bandwidth s^2 = 0.3), with a bias, is trained from zero by 300 steps of gradient descent on the
logistic loss; by the representer form the iterates are f(x) = sum_i a_i k(x_i, x) + b. S' moves
every training point radially onto the other sphere and flips its label, so S' has the same
distribution as a fresh training set. Errors are 0-1 errors; the test error is measured on 500
fresh points.

Right: the linear construction of the chapter, x = (x1, x2) with x1 = 2 y u and
x2 ~ N(0, (32/D) I_D), learner w1 = 2u, w2 = sum_i y_i x2_i, m = 50, averaged over three training
sets for each D. The test error is the exact conditional error Phi(-4 / (sqrt(32/D) |w2|)); S'
negates x2 and keeps x1 and y.
"""

import math

import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(0)

# --- left: hyperspheres, kernel gradient descent -------------------------------------------------
d, s2, r_in, r_out = 400, 0.3, 1.0, 1.1


def spheres(n):
    z = rng.normal(size=(n, d))
    z /= np.linalg.norm(z, axis=1, keepdims=True)
    y = rng.choice([-1.0, 1.0], size=n)
    return z * np.where(y > 0, r_out, r_in)[:, None], y


def gram(a, b):
    sq = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * a @ b.T
    return np.exp(-sq / (2.0 * s2))


x_test, y_test = spheres(500)
sizes = [20, 40, 80, 160, 320, 640]
err_test, err_flip, err_train = [], [], []
for m in sizes:
    x, y = spheres(m)
    x_flip = x * np.where(y > 0, r_in / r_out, r_out / r_in)[:, None]
    y_flip = -y
    k = gram(x, x)
    lr = m / k.sum(1).max()  # 1 / (Gershgorin bound on the largest eigenvalue of K / m)
    a, b = np.zeros(m), 0.0
    for _ in range(300):
        g = y / (1.0 + np.exp(np.clip(y * (k @ a + b), -50, 50)))
        a += lr * g / m
        b += lr * g.mean()
    err_train.append(np.mean(y * (k @ a + b) <= 0))
    err_test.append(np.mean(y_test * (gram(x_test, x) @ a + b) <= 0))
    err_flip.append(np.mean(y_flip * (gram(x_flip, x) @ a + b) <= 0))

# --- right: the linear construction, one-step learner --------------------------------------------
m_lin = 50
dims = [10, 30, 100, 300, 1000, 3000, 10000, 30000]
lin_test, lin_flip, lin_train = [], [], []
for dim in dims:
    t_err, f_err, tr_err = [], [], []
    for _ in range(3):
        y = rng.choice([-1.0, 1.0], size=m_lin)
        x2 = rng.normal(scale=math.sqrt(32.0 / dim), size=(m_lin, dim))
        w2 = y @ x2
        noise = y * (x2 @ w2)  # y_j <w2, x2_j> = |x2_j|^2 + cross terms
        tr_err.append(np.mean(4.0 + noise <= 0))
        f_err.append(np.mean(4.0 - noise <= 0))
        sd = math.sqrt(32.0 / dim) * np.linalg.norm(w2)
        t_err.append(0.5 * math.erfc(4.0 / sd / math.sqrt(2.0)))
    lin_test.append(np.mean(t_err))
    lin_flip.append(np.mean(f_err))
    lin_train.append(np.mean(tr_err))

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.6, 2.9))
ax1.semilogx(sizes, err_test, "o-", color="tab:blue", label="test error")
ax1.semilogx(sizes, err_flip, "s-", color="tab:red", label="error on flipped set S'")
ax1.semilogx(sizes, err_train, "^:", color="0.4", label="training error")
ax1.set_xlabel("training-set size m")
ax1.set_ylabel("0-1 error")
ax1.set_ylim(-0.04, 1.06)
ax1.set_title("spheres, d = 400, kernel GD", fontsize=9)
ax1.set_xticks(sizes)
ax1.set_xticklabels([str(v) for v in sizes])
ax1.minorticks_off()
ax1.legend(fontsize=7, frameon=False, loc="center right")

ax2.semilogx(dims, lin_test, "o-", color="tab:blue", label="test error (exact)")
ax2.semilogx(dims, lin_flip, "s-", color="tab:red", label="error on flipped set S'")
ax2.semilogx(dims, lin_train, "^:", color="0.4", label="training error")
ax2.axvline(m_lin, color="0.8", lw=0.8)
ax2.set_xlabel("noise dimension D (m = 50)")
ax2.set_ylim(-0.04, 1.06)
ax2.set_title("linear construction", fontsize=9)
ax2.legend(fontsize=7, frameon=False, loc="center right")
fig.tight_layout()
