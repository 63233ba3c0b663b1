"""The neural tangent kernel of wide networks (NTK chapter).

Left: the empirical NTK Theta(x0, x) of one-hidden-layer ReLU networks in the paper's
parameterisation (weights N(0, 1) scaled by 1/sqrt(n_l), biases scaled by beta = 0.1, n0 = 2), for
x0 = (1, 0) and x = (cos g, sin g) on the unit circle, for five random initialisations at each of two
widths (100 and 5,000), against the limiting kernel given by the recursion of Theorem 1.
Right: how much the empirical NTK of a one-hidden-layer tanh network moves while it is trained by
gradient descent on a least-squares cost (200 steps, learning rate 1), as a function of the width n
(mean over six initialisations).

The functions below are the code the chapter's numerical checks (tests/numerics/test_ntk.py) import.
"""
import matplotlib.pyplot as plt
import numpy as np

ACTIVATIONS = {
    "relu": (lambda u: np.maximum(u, 0.0), lambda u: (u > 0).astype(float)),
    "tanh": (np.tanh, lambda u: 1.0 - np.tanh(u) ** 2),
    "identity": (lambda u: u, lambda u: np.ones_like(u)),
}


def relu_expectations(a, b, c):
    """E[s(u)s(v)] and E[s'(u)s'(v)] for s = ReLU and (u, v) centred Gaussian, Var u = a, Var v = b, Cov = c."""
    norm = np.sqrt(a * b)
    cos = np.clip(c / norm, -1.0, 1.0)
    angle = np.arccos(cos)
    value = norm * (np.sin(angle) + (np.pi - angle) * cos) / (2 * np.pi)
    slope = (np.pi - angle) / (2 * np.pi)
    return value, slope


def identity_expectations(a, b, c):
    """The same two expectations for the identity non-linearity (a polynomial)."""
    return c, np.ones_like(c)


EXPECTATIONS = {"relu": relu_expectations, "identity": identity_expectations}


def limit_kernels(X, Z, depth, beta, act="relu"):
    """Sigma^(depth)(x, z) and Theta_inf^(depth)(x, z) for the rows of X and Z (paper Prop. 1 and Thm. 1)."""
    n0 = X.shape[1]
    expect = EXPECTATIONS[act]
    sxz = X @ Z.T / n0 + beta**2
    sxx = np.sum(X * X, axis=1) / n0 + beta**2
    szz = np.sum(Z * Z, axis=1) / n0 + beta**2
    theta = sxz.copy()
    for _ in range(depth - 1):
        value, slope = expect(sxx[:, None], szz[None, :], sxz)
        vxx, _ = expect(sxx, sxx, sxx)
        vzz, _ = expect(szz, szz, szz)
        sxz, sxx, szz = value + beta**2, vxx + beta**2, vzz + beta**2
        theta = theta * slope + sxz
    return sxz, theta


def init_params(widths, rng):
    """Weights W^(l) of shape (n_{l+1}, n_l) and biases b^(l), all i.i.d. N(0, 1)."""
    return [(rng.standard_normal((m, n)), rng.standard_normal(m)) for n, m in zip(widths[:-1], widths[1:])]


def forward(params, X, beta, act="relu"):
    """Activations alpha^(l) (rows = inputs) and pre-activations of every layer; the output is the last."""
    s, _ = ACTIVATIONS[act]
    alphas, pre = [X], []
    for ell, (W, b) in enumerate(params):
        h = alphas[-1] @ W.T / np.sqrt(W.shape[1]) + beta * b
        pre.append(h)
        if ell < len(params) - 1:
            alphas.append(s(h))
    return alphas, pre


def backward(params, alphas, pre, act="relu"):
    """delta^(l+1) = d f / d alpha~^(l+1) for a scalar output, for every layer (rows = inputs)."""
    _, ds = ACTIVATIONS[act]
    deltas = [np.ones_like(pre[-1])]
    for ell in range(len(params) - 1, 0, -1):
        W = params[ell][0]
        deltas.insert(0, ds(pre[ell - 1]) * (deltas[0] @ W) / np.sqrt(W.shape[1]))
    return deltas


def empirical_ntk(params, X, Z, beta, act="relu"):
    """Theta(x, z) = sum_p d_p f(x) d_p f(z) for a network with one output."""
    ax, px = forward(params, X, beta, act)
    az, pz = forward(params, Z, beta, act)
    dx, dz = backward(params, ax, px, act), backward(params, az, pz, act)
    theta = np.zeros((len(X), len(Z)))
    for ell in range(len(params)):
        n = ax[ell].shape[1]
        theta += (ax[ell] @ az[ell].T / n + beta**2) * (dx[ell] @ dz[ell].T)
    return theta


def gradients(params, X, residual_fn, beta, act="relu"):
    """Gradient of C = sum_i r_i f(x_i) / N with respect to every W^(l), b^(l), with r = residual_fn(f(X)) held fixed."""
    alphas, pre = forward(params, X, beta, act)
    residual = residual_fn(pre[-1][:, 0])
    deltas = backward(params, alphas, pre, act)
    N = len(X)
    grads = []
    for ell, (W, b) in enumerate(params):
        g = deltas[ell] * residual[:, None] / N
        grads.append((g.T @ alphas[ell] / np.sqrt(W.shape[1]), beta * g.sum(axis=0)))
    return grads


def train(params, X, y, beta, act="tanh", lr=1.0, steps=200):
    """Gradient descent on the least-squares cost C(f) = (1/2N) sum_i (f(x_i) - y_i)^2."""
    params = [(W.copy(), b.copy()) for W, b in params]
    for _ in range(steps):
        grads = gradients(params, X, lambda out: out - y, beta, act)
        params = [(W - lr * gW, b - lr * gb) for (W, b), (gW, gb) in zip(params, grads)]
    return params


def circle(angles):
    return np.stack([np.cos(angles), np.sin(angles)], axis=1)


def ntk_movement(width, seed, beta=0.1, steps=200):
    """Relative Frobenius change of the NTK on the training points after gradient descent."""
    rng = np.random.default_rng(seed)
    X = circle(np.linspace(0.0, 2 * np.pi, 8, endpoint=False) + 0.3)
    y = X[:, 0] * X[:, 1]
    params = init_params([2, width, 1], rng)
    before = empirical_ntk(params, X, X, beta, "tanh")
    after = empirical_ntk(train(params, X, y, beta, "tanh", 1.0, steps), X, X, beta, "tanh")
    return np.linalg.norm(after - before) / np.linalg.norm(before)


def draw():
    beta = 0.1
    gamma = np.linspace(-np.pi, np.pi, 121)
    x0 = np.array([[1.0, 0.0]])
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.4, 2.9))
    for width, color in ((100, "tab:orange"), (5000, "tab:blue")):
        for seed in range(5):
            params = init_params([2, width, 1], np.random.default_rng(seed))
            theta = empirical_ntk(params, x0, circle(gamma), beta, "relu")[0]
            ax1.plot(gamma, theta, color=color, lw=0.7, alpha=0.8, label=f"n = {width}" if seed == 0 else None)
    _, limit = limit_kernels(x0, circle(gamma), 2, beta, "relu")
    ax1.plot(gamma, limit[0], "k--", lw=1.4, label="limit")
    ax1.set_xlabel("angle g of x = (cos g, sin g)")
    ax1.set_ylabel("Theta(x0, x)")
    ax1.set_title("NTK at initialisation, ReLU, L = 2", fontsize=9)
    ax1.legend(fontsize=7, frameon=False)

    widths = np.array([50, 100, 200, 400, 800, 1600])
    moves = np.array([np.mean([ntk_movement(n, s) for s in range(6)]) for n in widths])
    ax2.loglog(widths, moves, "o-", color="tab:blue", ms=4, label="measured")
    ax2.loglog(widths, moves[0] * np.sqrt(widths[0] / widths), "k:", lw=1.0, label="slope -1/2")
    ax2.loglog(widths, moves[0] * widths[0] / widths, "k--", lw=1.0, label="slope -1")
    ax2.set_xlabel("width n")
    ax2.set_ylabel("|Theta(T) - Theta(0)| / |Theta(0)|")
    ax2.set_title("NTK movement in training, tanh", fontsize=9)
    ax2.legend(fontsize=7, frameon=False)
    fig.tight_layout()


if __name__ == "__main__":
    draw()
