#!/usr/bin/env python3
"""The table of scripts/bench-peers: medians of its outputs, named ENGINE-STORE-REPEAT.json
(hookflow-bench --json and scripts/bench-dbos.py), K=100, one row per store and mode."""
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

folder = Path(sys.argv[1])
steps_per_sec = defaultdict(list)  # (engine, store, mode) -> one figure per repeat
runs = defaultdict(set)  # engine -> runs per figure
for path in sorted(folder.glob("*.json")):
    engine, store, _ = path.stem.split("-")
    for row in json.loads(path.read_text()):
        if row["scenario"] == "steps" and row["k"] == 100:
            mode = "one at a time" if row["concurrency"] == 1 else "concurrent"
            steps_per_sec[engine, store, mode].append(row["steps_per_sec"])
            runs[engine].add(row["runs"])

repeats = len(next(iter(steps_per_sec.values())))
print(f"K=100; concurrent: 16 DBOS threads, 16 Hookflow workers; runs per figure: "
      f"DBOS {'/'.join(map(str, sorted(runs['dbos'])))}, Hookflow {'/'.join(map(str, sorted(runs['hookflow'])))}; "
      f"median of {repeats}.\n")
print("| store | mode | DBOS steps/s | Hookflow steps/s | ratio | DBOS µs/step | Hookflow µs/step |")
print("|---|---|---|---|---|---|---|")
for store in ("sqlite", "postgres"):
    for mode in ("one at a time", "concurrent"):
        if ("dbos", store, mode) not in steps_per_sec:
            continue
        dbos = statistics.median(steps_per_sec["dbos", store, mode])
        hookflow = statistics.median(steps_per_sec["hookflow", store, mode])
        print(f"| {'SQLite' if store == 'sqlite' else 'PostgreSQL'} | {mode} | {dbos:,.0f} | {hookflow:,.0f} "
              f"| {hookflow / dbos:.1f} × | {1e6 / dbos:,.0f} | {1e6 / hookflow:,.1f} |")
