"""A root finder the answer checks share: plain bisection, no library."""


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
