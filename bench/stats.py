"""What every benchmark prints: percentiles of a list of milliseconds."""

from __future__ import annotations


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))]
