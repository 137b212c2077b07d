#!/usr/bin/env python3
"""DBOS (Python, SQLite system database) on the same workload as hookflow-bench's
`steps` scenario: N runs of a workflow with K no-op steps, one run at a time and
8 runs at once. Prints one JSON object per row, with the same field names.

    python3 -m venv /tmp/dbos && /tmp/dbos/bin/pip install dbos==3.4.0
    /tmp/dbos/bin/python scripts/bench-dbos.py
"""
import json
import os
import sqlite3
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from dbos import DBOS, DBOSConfig

folder = tempfile.mkdtemp(prefix="dbos-bench-")
database = os.path.join(folder, "dbos.sqlite")
# WAL mode, as Hookflow uses (journal_mode is stored in the file, so DBOS's connections inherit it).
sqlite3.connect(database).execute("PRAGMA journal_mode=WAL").close()
config: DBOSConfig = {
    "name": "dbos-bench",
    "system_database_url": f"sqlite:///{database}",
    "run_admin_server": False,
}
DBOS(config=config)


@DBOS.step()
def no_op(index: int) -> int:
    return index


@DBOS.workflow()
def no_op_steps(steps: int) -> int:
    total = 0
    for index in range(steps):
        total += no_op(index)
    return total


def measure(k: int, runs: int, concurrency: int) -> dict:
    no_op_steps(k)  # warm-up
    start = time.perf_counter()
    if concurrency == 1:
        for _ in range(runs):
            no_op_steps(k)
    else:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            list(pool.map(no_op_steps, [k] * runs))
    wall = time.perf_counter() - start
    return {
        "scenario": "steps", "engine": "dbos", "k": k, "concurrency": concurrency, "runs": runs,
        "steps_per_sec": round(runs * k / wall, 1), "runs_per_sec": round(runs / wall, 1),
        "step_overhead_us": round(wall / (runs * k) * 1e6, 1),
    }


if __name__ == "__main__":
    DBOS.launch()
    for k, runs in [(1, 500), (10, 100), (100, 20)]:
        for concurrency in (1, 8):
            print(json.dumps(measure(k, runs, concurrency)), flush=True)
    DBOS.destroy()
