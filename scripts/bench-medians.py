#!/usr/bin/env python3
"""Medians of several `hookflow-bench --json` outputs, and the issue's targets checked on them."""
import json
import statistics
import sys
from collections import defaultdict

rows = defaultdict(list)
for path in sys.argv[1:]:
    with open(path) as handle:
        for row in json.load(handle):
            key = (row["scenario"], row.get("k"), str(row.get("concurrency")))
            rows[key].append(row)


def median(scenario, field, k=None, concurrency=None):
    return statistics.median(r[field] for r in rows[(scenario, k, str(concurrency))])


print(f"medians of {len(sys.argv) - 1} runs")
for (scenario, k, concurrency), samples in rows.items():
    fields = [f for f, v in samples[0].items() if isinstance(v, (int, float)) and f not in ("k", "concurrency")]
    label = scenario + (f" k={k} concurrency={concurrency}" if k is not None else "")
    figures = "  ".join(f"{f}={statistics.median(s[f] for s in samples):.2f}" for f in fields)
    print(f"{label:<40} {figures}")

floor = median("checkpoint-floor", "floor_us")
checks = [
    ("step_overhead_us k=100 seq <= 2 x floor_us", median("steps", "step_overhead_us", 100, 1), "<=", 2 * floor),
    ("long-run ratio <= 12", median("long-run", "ratio"), "<=", 12),
    ("steps_per_sec k=100 default >= 14500", median("steps", "steps_per_sec", 100, "default"), ">=", 14500),
    ("latency p50_us <= 5 x 3 x floor_us + 1000", median("latency", "p50_us"), "<=", 15 * floor + 1000),
    ("latency p99_us <= 20000", median("latency", "p99_us"), "<=", 20000),
    ("sleepers rss_mb <= 150", median("sleepers", "rss_mb"), "<=", 150),
    ("sleepers idle_cpu_ms <= 200", median("sleepers", "idle_cpu_ms"), "<=", 200),
    ("wakeup late_p99_ms <= 50", median("wakeup", "late_p99_ms"), "<=", 50),
    ("composition fan_out_8_ratio <= 3", median("composition", "fan_out_8_ratio"), "<=", 3),
    ("composition child_overhead_ms <= 2", median("composition", "child_overhead_ms"), "<=", 2),
]
print()
for name, value, op, limit in checks:
    met = value <= limit if op == "<=" else value >= limit
    print(f"{'met   ' if met else 'MISSED'} {name}: {value:.1f} (limit {limit:.1f})")
