#!/usr/bin/env python3
"""Leaves runs of every kind in a freshly started demo, for scripts/api-fuzz.

Usage: api-fuzz-seed.py BASE_URL TOKEN DEMO_PID

Waits for the demo to answer, then: a completed order, two declined orders (failed,
with dead letters; one of them replayed, so it has a replayed dead letter too), a
report whose render step retries, one triggered through the API, a fork and a
cancelled order. Exits non-zero, saying why, when the demo does not behave.
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request

base, token, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
api = "/hookflow/api"


def call(method, path, body=None):
    request = urllib.request.Request(
        base + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("Authorization", f"Bearer {token}")
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, text = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read()
    try:
        return status, json.loads(text) if text else None
    except ValueError:
        return status, text.decode(errors="replace")


def expect(status, method, path, body=None):
    got, answer = call(method, path, body)
    if got != status:
        sys.exit(f"api-fuzz: {method} {path} answered {got}, not {status}: {answer}")
    return answer


def alive():
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def wait_for(what, probe, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            sys.exit(f"api-fuzz: the demo exited while waiting for {what}")
        try:
            value = probe()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            value = None
        if value:
            return value
        time.sleep(0.2)
    sys.exit(f"api-fuzz: no {what} after {timeout} s")


def status_of(run_id):
    return call("GET", f"{api}/runs/{run_id}")[1]


def run_is(run_id, status):
    return lambda: (status_of(run_id) or {}).get("status") == status


wait_for("answer from the demo", lambda: call("GET", f"{api}/openapi.json")[0] == 200)

expect(200, "POST", "/orders", {"order_id": "A-1", "run_id": "fuzz-order"})
for n in (1, 2):
    expect(200, "POST", "/orders", {"order_id": f"declined-{n}", "run_id": f"fuzz-declined-{n}"})
expect(200, "POST", "/reports", {"email": "ops@example.com"})
expect(201, "POST", f"{api}/workflows/send-report/runs", {"input": {"email": "api@example.com"}, "run_id": "fuzz-report"})

# A run cancelled while it waits for payment (cancel is refused once a run has finished).
expect(200, "POST", "/orders", {"order_id": "B-1", "run_id": "fuzz-cancelled"})
got, answer = call("POST", f"{api}/runs/fuzz-cancelled/cancel")
if got != 200:
    print(f"api-fuzz: note: cancel answered {got}: {answer}", file=sys.stderr)

for n in (1, 2):
    wait_for(f"failed run fuzz-declined-{n}", run_is(f"fuzz-declined-{n}", "failed"))
letters = expect(200, "GET", f"{api}/dead-letters?run_id=fuzz-declined-2")["dead_letters"]
if len(letters) != 1:
    sys.exit(f"api-fuzz: fuzz-declined-2 has {len(letters)} dead letters, not 1: {letters}")
expect(200, "POST", f"{api}/dead-letters/{letters[0]['id']}/replay")
wait_for(
    "second dead letter of fuzz-declined-2",
    lambda: len(call("GET", f"{api}/dead-letters?run_id=fuzz-declined-2")[1]["dead_letters"]) == 2)

wait_for("completed run fuzz-order", run_is("fuzz-order", "completed"))
expect(200, "POST", f"{api}/runs/fuzz-order/fork", {"from_step": "charge"})

workflows = expect(200, "GET", f"{api}/workflows")["workflows"]
print("api-fuzz: the demo holds " + ", ".join(f"{w['workflow_id']} {w['counts']}" for w in workflows))
