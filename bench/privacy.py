"""The privacy guard's cost per citizen-bound text: sample-data strings and whole replies (median, p95, in µs).

Baseline in the same run: the reply passing through a plain `str` copy, to show what the guard adds.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from actions import SampleCityData  # noqa: E402
from actions.privacy import guard, strings  # noqa: E402
from bench.stats import pct  # noqa: E402

REPLY = "강남구 미세먼지 나쁨(PM10 86㎍/㎥), 초미세먼지 나쁨(PM2.5 43㎍/㎥)입니다. 오존 0.018ppm. (샘플 데이터 · 11월 21일 14:00 기준) " * 4


def timed(fn, items: list[str], rounds: int = 1) -> list[float]:
    out = []
    for _ in range(rounds):
        for s in items:
            t = time.perf_counter()
            fn(s)
            out.append((time.perf_counter() - t) * 1e6)
    return out


def main() -> None:
    texts = [s for data in SampleCityData().files.values() for s in strings(data)]
    for name, items, rounds in (("sample-data strings", texts, 3), (f"replies of {len(REPLY)} chars", [REPLY] * 500, 1)):
        base, guarded = timed(str, items, rounds), timed(guard, items, rounds)
        print(
            f"guard, {name} (n={len(guarded)}): p50 {pct(guarded, 0.5):.1f} µs, p95 {pct(guarded, 0.95):.1f} µs "
            f"(str() baseline p50 {pct(base, 0.5):.2f} µs)"
        )


if __name__ == "__main__":
    main()
