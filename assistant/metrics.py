"""Prometheus metrics: turns, per-stage latency, rejected and failed requests."""

from prometheus_client import Counter, Histogram

TURNS = Counter("secretary_turns_total", "Dialogue turns", ["channel", "intent"])
STAGE_SECONDS = Histogram(
    "secretary_stage_seconds",
    "Time spent per pipeline stage",
    ["stage"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
ERRORS = Counter("secretary_errors_total", "Requests rejected (4xx) or failed (5xx)", ["code"])
