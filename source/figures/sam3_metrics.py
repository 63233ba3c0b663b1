"""SA-Co metrics and the presence gate.

Left: contours of cgF1 = 100 * pmF1 * IL_MCC, with the domain-averaged pmF1 and IL_MCC on SA-Co/Gold
(paper, Table 29). Right: the set of (presence, conditional) score pairs whose product exceeds 1/2.
"""

import matplotlib.pyplot as plt
import numpy as np

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.6, 3.1))

pm = np.linspace(0.0, 1.0, 201)
mcc = np.linspace(-0.2, 1.0, 241)
PM, MCC = np.meshgrid(pm, mcc)
cg = 100 * PM * MCC
levels = [-10, 0, 10, 20, 30, 40, 50, 60, 70, 80, 90]
cs = ax1.contour(100 * PM, MCC, cg, levels=levels, colors="0.55", linewidths=0.7)
ax1.clabel(cs, fmt="%d", fontsize=6)
points = {  # name: (pmF1 in %, IL_MCC), SA-Co/Gold averages over the seven domains
    "SAM 3": (66.1, 0.82),
    "Human": (77.0, 0.94),
    "OWLv2*": (42.0, 0.57),
    "DINO-X": (55.2, 0.38),
    "APE-D": (36.9, 0.40),
    "Gemini 2.5": (46.1, 0.29),
}
for name, (x, y) in points.items():
    color = "tab:red" if name == "SAM 3" else ("tab:green" if name == "Human" else "tab:blue")
    ax1.plot(x, y, "o", color=color, ms=4)
    ax1.annotate(name, (x, y), textcoords="offset points", xytext=(4, 3), fontsize=7)
ax1.set_xlabel("pmF1 (%)")
ax1.set_ylabel("IL_MCC")
ax1.set_xlim(0, 100)
ax1.set_ylim(-0.2, 1.0)
ax1.set_title("cgF1 = 100 pmF1 IL_MCC", fontsize=9)

u = np.linspace(1e-3, 1.0, 400)
ax2.fill_between(u, np.clip(0.5 / u, 0, 1), 1.0, where=u > 0.5, color="tab:orange", alpha=0.45,
                 label="product > 1/2 (area 0.153)")
ax2.plot(u[u >= 0.5], 0.5 / u[u >= 0.5], color="tab:orange")
ax2.plot([0.5, 0.5, 1.0], [1.0, 0.5, 0.5], "k--", lw=0.8, label="both > 1/2 (area 0.25)")
ax2.set_xlim(0, 1)
ax2.set_ylim(0, 1)
ax2.set_aspect("equal")
ax2.set_xlabel("presence score")
ax2.set_ylabel("conditional query score")
ax2.set_title("which queries are output", fontsize=9)
ax2.legend(fontsize=6.5, loc="lower left")
fig.tight_layout()
