#!/usr/bin/env python3
"""DBOS (Python) on hookflow-bench's `steps` workload at K=100: RUNS runs of a workflow
with 100 no-op steps, one run at a time and CONCURRENCY runs at once (threads). Prints a
JSON array with hookflow-bench's field names. `scripts/bench-peers` runs it beside
Hookflow; alone:

    python3 -m venv /tmp/dbos && /tmp/dbos/bin/pip install dbos==3.4.0
    /tmp/dbos/bin/python scripts/bench-dbos.py [--postgres URL] [--runs 20] [--concurrency 16]

The system database is, as Hookflow's store, a SQLite file in WAL mode with
synchronous=NORMAL, or with --postgres a fresh database on that server (created here and
dropped afterwards; the URL's user must be allowed to create databases).
"""
import argparse
import json
import os
import sqlite3
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import sqlalchemy as sa
from dbos import DBOS

K = 100


@DBOS.step()
def no_op(index: int) -> int:
    return index


@DBOS.workflow()
def no_op_steps(steps: int) -> int:
    total = 0
    for index in range(steps):
        total += no_op(index)
    return total


def measure(runs: int, concurrency: int) -> dict:
    no_op_steps(K)  # warm-up
    start = time.perf_counter()
    if concurrency == 1:
        for _ in range(runs):
            no_op_steps(K)
    else:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            list(pool.map(no_op_steps, [K] * runs))
    wall = time.perf_counter() - start
    return {
        "scenario": "steps", "engine": "dbos", "k": K, "concurrency": concurrency, "runs": runs,
        "steps_per_sec": runs * K / wall, "runs_per_sec": runs / wall, "step_overhead_us": wall / (runs * K) * 1e6,
    }


def bench(system_database_url: str, runs: int, concurrency: int) -> list:
    DBOS(config={
        "name": "dbos-bench", "system_database_url": system_database_url,
        "run_admin_server": False, "log_level": "WARNING",
    })
    DBOS.launch()
    try:
        return [measure(runs, 1), measure(runs, concurrency)]
    finally:
        DBOS.destroy()


def on_sqlite(runs: int, concurrency: int) -> list:
    with tempfile.TemporaryDirectory(prefix="dbos-bench-") as folder:
        database = os.path.join(folder, "dbos.sqlite")
        # journal_mode is stored in the file, so DBOS's connections inherit it; synchronous is per connection.
        sqlite3.connect(database).execute("PRAGMA journal_mode=WAL").close()
        sa.event.listen(sa.pool.Pool, "connect", lambda connection, _: connection.execute("PRAGMA synchronous=NORMAL"))
        return bench(f"sqlite:///{database}", runs, concurrency)


def on_postgres(url: str, runs: int, concurrency: int) -> list:
    name = f"dbos_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as server:
        server.execute(f"CREATE DATABASE {name}")
        try:
            return bench(sa.make_url(url).set(database=name).render_as_string(hide_password=False), runs, concurrency)
        finally:
            server.execute(f"DROP DATABASE {name} WITH (FORCE)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server instead of a SQLite file")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    arguments = parser.parse_args()
    rows = (on_postgres(arguments.postgres, arguments.runs, arguments.concurrency) if arguments.postgres
            else on_sqlite(arguments.runs, arguments.concurrency))
    print(json.dumps(rows, indent=2))
