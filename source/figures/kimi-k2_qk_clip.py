"""Newton-Schulz singular-value maps and a toy run of QK-Clip (Kimi K2 chapter).

Left: what five steps of an odd-polynomial Newton-Schulz iteration do to one singular value s of
M / ||M||_F. The cubic map (3s - s^3)/2 converges to 1 but slowly from small s; the quintic map of Muon,
3.4445 s - 4.7750 s^3 + 2.0315 s^5, lifts small values much faster but leaves them in a band around 1
instead of at 1.

Right: two attention heads of one layer with d_model = 32, d_head = 8 and 16 fixed tokens. Head A is
trained by Muon-style steps (orthogonalised gradient, RMS-matching scale 0.2 sqrt(max(A, B)), decoupled
weight decay) on a loss that rewards one query-key logit, so its W_q and W_k grow along one singular
direction and its maximum logit grows quadratically in the step count. Head B receives orthogonalised
random steps. With QK-Clip (tau = 30) head A's weights are rescaled after each step by sqrt(gamma) with
gamma = tau / S_max measured in that step's forward pass; head B never exceeds tau and its curve is the
same with and without clipping.
"""

import matplotlib.pyplot as plt
import numpy as np


def phi_cubic(s):
    return 1.5 * s - 0.5 * s**3


def phi_quintic(s):
    return 3.4445 * s - 4.7750 * s**3 + 2.0315 * s**5


def iterate(phi, s, steps):
    for _ in range(steps):
        s = phi(s)
    return s


def msign(g):
    u, _, vt = np.linalg.svd(g, full_matrices=False)
    return u @ vt


def max_logit(x, wq, wk):
    q, k = x @ wq, x @ wk
    return (q @ k.T).max() / np.sqrt(wq.shape[1])


def run(clip, tau=30.0, steps=300, lr=1e-2, wd=0.1, seed=0):
    rng = np.random.default_rng(seed)
    d_model, d_head, n_tok = 32, 8, 16
    x = rng.normal(size=(n_tok, d_model))
    x *= np.sqrt(d_model) / np.linalg.norm(x, axis=1, keepdims=True)  # RMS-normalised rows
    heads = {name: [rng.normal(0, d_model**-0.5, (d_model, d_head)) for _ in range(2)] for name in "AB"}
    noise = np.random.default_rng(seed + 1)
    scale = 0.2 * np.sqrt(max(d_model, d_head))
    history = {name: [] for name in "AB"}
    i0, j0 = 3, 7
    for _ in range(steps):
        stats = {}
        grads = {}
        for name, (wq, wk) in heads.items():
            stats[name] = max_logit(x, wq, wk)
            history[name].append(stats[name])
            if name == "A":
                # loss = -q_i0 . k_j0 / sqrt(d_head): its gradients are rank one
                gq = -np.outer(x[i0], x[j0] @ wk) / np.sqrt(d_head)
                gk = -np.outer(x[j0], x[i0] @ wq) / np.sqrt(d_head)
            else:
                gq = noise.normal(size=wq.shape)
                gk = noise.normal(size=wk.shape)
            grads[name] = (gq, gk)
        for name, (wq, wk) in heads.items():
            gq, gk = grads[name]
            wq = wq - lr * (scale * msign(gq) + wd * wq)
            wk = wk - lr * (scale * msign(gk) + wd * wk)
            if clip and stats[name] > tau:
                gamma = tau / stats[name]
                wq, wk = np.sqrt(gamma) * wq, np.sqrt(gamma) * wk
            heads[name] = [wq, wk]
    return {name: np.array(v) for name, v in history.items()}


fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.4, 3.0))

s = np.logspace(-3, 0, 400)
ax1.plot(s, iterate(phi_cubic, s, 5), color="C0", lw=1.8, label="cubic, 5 steps")
ax1.plot(s, iterate(phi_cubic, s, 20), color="C0", lw=1.0, ls="--", label="cubic, 20 steps")
ax1.plot(s, iterate(phi_quintic, s, 5), color="C3", lw=1.8, label="quintic, 5 steps")
ax1.axhline(1.0, color="0.5", lw=0.8)
ax1.axhspan(0.681, 1.203, color="C3", alpha=0.08, lw=0)
ax1.set_xscale("log")
ax1.set_xlabel("singular value of M / ||M||_F")
ax1.set_ylabel("singular value after iteration")
ax1.set_title("Newton-Schulz maps", fontsize=9)
ax1.legend(fontsize=7, loc="lower right")

plain, clipped = run(clip=False), run(clip=True)
steps = np.arange(len(plain["A"]))
ax2.plot(steps, plain["A"], color="C3", lw=1.8, label="head A, Muon")
ax2.plot(steps, clipped["A"], color="C3", lw=1.8, ls="--", label="head A, MuonClip")
ax2.plot(steps, plain["B"], color="C0", lw=1.8, label="head B, Muon")
ax2.plot(steps, clipped["B"], color="k", lw=0.8, ls=":", label="head B, MuonClip")
ax2.axhline(30.0, color="0.5", lw=0.8)
ax2.text(5, 33, "tau = 30", fontsize=7, color="0.3")
ax2.set_xlabel("training step")
ax2.set_ylabel("max logit S_max of the head")
ax2.set_title("toy run, per-head QK-Clip", fontsize=9)
ax2.legend(fontsize=7, loc="upper left")

fig.tight_layout()
