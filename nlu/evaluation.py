"""Intent accuracy and entity F1 on (entity, value) pairs, as the held-out evaluation counts them."""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from .training_data import Example


def evaluate(parse: Callable[[str], dict[str, Any]], examples: list[Example]) -> dict[str, Any]:
    """Parse every example in this process, timing each parse."""
    results, latencies = [], []
    for ex in examples:
        t0 = time.perf_counter()
        results.append(parse(ex.text))
        latencies.append((time.perf_counter() - t0) * 1000)
    return score(results, examples, latencies)


def score(results: list[dict[str, Any]], examples: list[Example], latencies_ms: list[float]) -> dict[str, Any]:
    correct, tp, fp, fn, errors = 0, 0, 0, 0, []
    for ex, result in zip(examples, results, strict=True):
        if result["intent"]["name"] == ex.intent:
            correct += 1
        else:
            errors.append((ex.text, ex.intent, result["intent"]["name"]))
        gold = Counter((e.entity, str(e.value)) for e in ex.entities)
        pred = Counter({(e["entity"], str(e["value"])) for e in result["entities"]})  # a span reported twice counts once
        tp += sum((gold & pred).values())
        fp += sum((pred - gold).values())
        fn += sum((gold - pred).values())
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    lat = sorted(latencies_ms)
    return {
        "n_test": len(examples),
        "intent_accuracy": round(correct / len(examples), 4) if examples else 0.0,
        "entity_precision": round(precision, 4),
        "entity_recall": round(recall, 4),
        "entity_f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "parse_p50_ms": round(statistics.median(lat), 3) if lat else 0.0,
        "parse_p95_ms": round(lat[int(0.95 * (len(lat) - 1))], 3) if lat else 0.0,
        "errors": errors,
    }
