"""Double descent of minimum-norm least squares on random Fourier features.

A regression problem with n = 60 noisy training points in d = 6 dimensions is fitted by least
squares on N random Fourier features sqrt(2) cos(<v_k, x> + b_k) / sqrt(N), v_k ~ N(0, I / d),
b_k ~ U[0, 2 pi), whose inner products approximate the Gaussian kernel exp(-|x - x'|^2 / (2 d)).
Below N = n the least-squares solution is unique; from N = n on, the features can interpolate and
the minimum-norm solution (the pseudo-inverse solution) is used. Left: test error against N / n.
Right: the norm of the coefficient vector, which for N >= n is the RKHS norm of the minimum-norm
interpolant for the random-feature kernel; dashed lines mark the minimum-norm interpolant of the
Gaussian kernel itself (the limit N -> infinity). Curves are medians over independent feature draws;
within one draw the features are nested, so the fits for different N share their first features.
The chapter's numerical checks (tests/numerics/test_double_descent.py) import `simulate`.
"""
import matplotlib.pyplot as plt
import numpy as np

N_TRAIN, DIM, NOISE = 60, 6, 0.1


def target(X):
    return np.sin(X[:, 0]) + 0.5 * X[:, 1] * np.cos(X[:, 2])


def gaussian_gram(A, B, ell2):
    d2 = (A**2).sum(1)[:, None] + (B**2).sum(1)[None, :] - 2.0 * A @ B.T
    return np.exp(-np.maximum(d2, 0.0) / (2.0 * ell2))


def data(seed=1, n=N_TRAIN, d=DIM, n_test=300):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = target(X) + NOISE * rng.standard_normal(n)
    Xt = rng.standard_normal((n_test, d))
    return X, y, Xt, target(Xt)


def feature_counts(n, n_max):
    below = np.arange(3, n, 3)
    above = np.unique(np.geomspace(n + 3, n_max, 24).astype(int))
    return np.r_[below, n, above]


def simulate(repeats=12, max_ratio=20, seed=1):
    """Test error and coefficient norm of least squares on N nested random Fourier features.

    Returns N values, arrays (repeats x len(Ns)) of test mean squared errors and coefficient norms,
    and the test error and RKHS norm of the Gaussian-kernel minimum-norm interpolant.
    For N < n the fit is the unique least-squares solution; for N >= n it is the minimum-norm
    interpolant, computed from the N-feature Gram matrix G_N = Z Z^T / N, with squared norm
    y^T G_N^{-1} y.
    """
    X, y, Xt, yt = data(seed)
    n, d = X.shape
    ell2 = float(d)
    Ns = feature_counts(n, max_ratio * n)
    rng = np.random.default_rng(seed + 1000)
    err = np.zeros((repeats, len(Ns)))
    nrm = np.zeros((repeats, len(Ns)))
    for r in range(repeats):
        V = rng.standard_normal((d, Ns[-1])) / np.sqrt(ell2)
        b = rng.uniform(0.0, 2.0 * np.pi, Ns[-1])
        Z = np.sqrt(2.0) * np.cos(X @ V + b)       # unscaled features, n x N_max
        Zt = np.sqrt(2.0) * np.cos(Xt @ V + b)
        G = np.zeros((n, n))                         # sum of z_k z_k^T over the first N features
        C = np.zeros((len(Xt), n))
        done = 0
        for j, N in enumerate(Ns):
            G += Z[:, done:N] @ Z[:, done:N].T
            C += Zt[:, done:N] @ Z[:, done:N].T
            done = N
            if N < n:                                # unique least-squares solution
                A = Z[:, :N] / np.sqrt(N)
                w = np.linalg.solve(A.T @ A, A.T @ y)
                pred = Zt[:, :N] / np.sqrt(N) @ w
                nrm[r, j] = np.linalg.norm(w)
            else:                                    # minimum-norm interpolant, w = A^T (A A^T)^{-1} y
                c = np.linalg.solve(G / N, y)
                pred = (C / N) @ c
                nrm[r, j] = np.sqrt(y @ c)
            err[r, j] = np.mean((pred - yt) ** 2)
    K = gaussian_gram(X, X, ell2)
    alpha = np.linalg.solve(K, y)
    kernel_err = np.mean((gaussian_gram(Xt, X, ell2) @ alpha - yt) ** 2)
    kernel_norm = np.sqrt(y @ alpha)
    return Ns, err, nrm, kernel_err, kernel_norm


def draw():
    Ns, err, nrm, kernel_err, kernel_norm = simulate()
    ratio = Ns / N_TRAIN
    fig, (ax1, ax2) = plt.subplots(1, 2)
    for ax, values, limit, title, limit_label in (
        (ax1, err, kernel_err, "test mean squared error", "Gaussian-kernel interpolant"),
        (ax2, nrm, kernel_norm, "norm of the coefficients", "Gaussian RKHS norm"),
    ):
        ax.plot(ratio, np.median(values, axis=0), "k.-", lw=1.0, ms=3, label="random features")
        ax.axvline(1.0, color="0.6", lw=0.8, ls=":")
        ax.axhline(limit, color="tab:blue", lw=0.9, ls="--", label=limit_label)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("N / n (features per training point)")
        ax.set_title(title, fontsize=9)
    best = np.median(err, axis=0)[Ns < N_TRAIN].min()
    ax1.axhline(best, color="tab:red", lw=0.8, ls="-.", label="best for N < n")
    ax1.legend(loc="upper left", fontsize=6, frameon=False)
    ax2.legend(loc="lower right", fontsize=6, frameon=False)
    fig.tight_layout()


if __name__ == "__main__":
    draw()
