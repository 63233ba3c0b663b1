"""The root finder and minimiser the answer checks share: plain bisection and golden-section
search, no library."""

import math


def bisect(f, lo, hi, n=200):
    """Root of an increasing-or-decreasing f on [lo, hi] with a sign change."""
    flo = f(lo)
    for _ in range(n):
        mid = 0.5 * (lo + hi)
        if (f(mid) > 0) == (flo > 0):
            lo, flo = mid, f(mid)
        else:
            hi = mid
    return 0.5 * (lo + hi)


def golden_argmin(f, lo, hi, iterations=100):
    """Minimiser of a unimodal f on [lo, hi] by golden-section search (one new evaluation a step)."""
    g = (math.sqrt(5) - 1) / 2
    a, b = lo, hi
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = f(c), f(d)
    for _ in range(iterations):
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - g * (b - a)
            fc = f(c)
        else:
            a, c, fc = c, d, fd
            d = a + g * (b - a)
            fd = f(d)
    return (a + b) / 2
