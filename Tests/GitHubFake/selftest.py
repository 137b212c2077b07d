#!/usr/bin/env python3
"""Self-test for github_fake.py: starts it on port 0 and drives it with urllib.

Run: python selftest.py   (needs openapi-core and pyjwt[crypto]; prints "selftest ok")
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

HERE = Path(__file__).resolve().parent
SECRET = "It's a Secret to Everybody"
PAT = "ghp_selftest"
OWNER, REPO = "acme", "app"
HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
           "User-Agent": "hookflow-selftest"}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Response:
    def __init__(self, status: int, headers, data: bytes):
        self.status, self.headers, self.data = status, headers, data

    def json(self):
        return json.loads(self.data) if self.data else None

    def __repr__(self) -> str:
        return f"<{self.status} {self.data[:300]!r}>"


def http(method: str, url: str, body=None, headers=None, raw: bytes | None = None) -> Response:
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None and "Content-Type" not in (headers or {}):
        request.add_header("Content-Type", "application/json")
    try:
        with OPENER.open(request, timeout=15) as reply:
            return Response(reply.status, reply.headers, reply.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read())


class Receiver:
    """A webhook receiver that verifies every signature."""

    def __init__(self):
        self.received: list[dict] = []
        self.bad_signatures = 0
        self.cond = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if not hmac.compare_digest(self.headers.get("X-Hub-Signature-256", ""), sign(SECRET, body)):
                    receiver.bad_signatures += 1
                with receiver.cond:
                    receiver.received.append({"headers": self.headers, "body": body,
                                              "payload": json.loads(body)})
                    receiver.cond.notify_all()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"

    def wait_for(self, predicate, timeout: float = 10) -> dict:
        deadline = time.time() + timeout
        with self.cond:
            while True:
                for item in self.received:
                    if predicate(item):
                        return item
                remaining = deadline - time.time()
                check(remaining > 0, "webhook not received in time")
                self.cond.wait(remaining)


def main() -> None:
    check(sign(SECRET, b"Hello, World!") ==
          "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "signature test vector")
    sys.dont_write_bytecode = True  # keep the test folder clean
    sys.path.insert(0, str(HERE))
    import github_fake  # the fake's own signing function must match the vector as well
    check(github_fake.signature(SECRET, b"Hello, World!") == sign(SECRET, b"Hello, World!"), "fake signature")
    check_self_checks(github_fake)

    started = time.time()
    process = subprocess.Popen([sys.executable, str(HERE / "github_fake.py"), "--port", "0"],
                               stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline().strip()
        check(re.fullmatch(r"listening on \d+", line) is not None, f"first line {line!r}")
        startup = time.time() - started
        check(startup < 3, f"startup took {startup:.2f}s")
        run_checks(f"http://127.0.0.1:{line.split()[-1]}")
    finally:
        process.terminate()
        process.wait(5)
    print(f"selftest ok (startup {startup:.2f}s)")


def check_self_checks(github_fake) -> None:
    """The fake's own response and webhook checks must catch a drifting shape."""
    contract = github_fake.Contract(HERE / "github-actions-openapi-subset.json")
    call = github_fake.Call("POST", "/x", "/repos/o/r/actions/workflows/1/dispatches", {}, Message(), b"", "", "",
                            template="/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches")
    bad = github_fake.Reply(200, {"workflow_run_id": 1, "run_url": "u"})
    check(any("html_url" in p for p in contract.response_problems(call, bad)), "response self-check")
    check(contract.response_problems(call, github_fake.Reply(204)) == [], "204 accepted")
    check(contract.response_problems(call, github_fake.Reply(500, {"error": "x"})) != [], "undeclared error")
    problems = contract.payload_problems("webhook-workflow-run-completed", {"action": "completed"})
    check(any("workflow_run" in p for p in problems), "webhook self-check")


def run_checks(root: str) -> None:
    receiver = Receiver()

    def control(method: str, path: str, body=None) -> object:
        reply = http(method, f"{root}/_fake/{path}", body)
        check(reply.status == 200, f"control {path}: {reply}")
        return reply.json()

    def api(method: str, path: str, body=None, token: str | None = PAT, version: str | None = "2022-11-28",
            prefix: str = "", extra: dict | None = None, scheme: str = "token") -> Response:
        headers = dict(HEADERS)
        if version is None:
            del headers["X-GitHub-Api-Version"]
        else:
            headers["X-GitHub-Api-Version"] = version
        if token:
            headers["Authorization"] = f"{scheme} {token}"
        headers.update(extra or {})
        return http(method, f"{root}{prefix}{path}", body, headers)

    repo_path = f"/repos/{OWNER}/{REPO}"
    dispatch_path = repo_path + "/actions/workflows/deploy.yml/dispatches"

    control("POST", "reset")
    control("POST", "repos", {
        "owner": OWNER, "repo": REPO, "default_branch": "main", "refs": ["main", "release"],
        "workflows": [
            {"id": 1001, "file": "deploy.yml", "name": "Deploy", "inputs": ["environment", "distinct_id"],
             "run_name": "Deploy [${{ inputs.distinct_id }}]"},
            {"id": 1002, "file": "ci.yml", "name": "CI", "dispatch": False},
            {"id": 1003, "file": "topic.yml", "name": "Topic", "on_default_branch": False},
        ]})
    control("POST", "auth", {"tokens": [PAT]})
    control("POST", "webhooks", {"url": receiver.url, "secret": SECRET})

    # ---- dispatch by API version
    reply = api("POST", dispatch_path, {"ref": "main", "inputs": {"environment": "prod"}})
    check(reply.status == 204 and reply.data == b"", f"2022 dispatch: {reply}")
    for name in ("limit", "remaining", "used", "reset", "resource"):
        check(f"x-ratelimit-{name}" in reply.headers, f"missing x-ratelimit-{name}")
    first = receiver.wait_for(lambda d: d["payload"].get("action") == "requested")
    check(first["headers"]["X-GitHub-Event"] == "workflow_run", "event header")
    check(first["headers"]["User-Agent"] == "GitHub-Hookshot/fake", "hookshot user agent")

    reply = api("POST", dispatch_path, {"ref": "main", "inputs": {"distinct_id": "abc123"},
                                        "return_run_details": True})
    check(reply.status == 200, f"return_run_details: {reply}")
    details = reply.json()
    run_id = details["workflow_run_id"]
    check(details["run_url"] == f"{root}{repo_path}/actions/runs/{run_id}", f"run_url {details}")
    check(details["html_url"].endswith(f"/{OWNER}/{REPO}/actions/runs/{run_id}"), "html_url")

    reply = api("POST", dispatch_path, {"ref": "release"}, version="2026-03-10")
    check(reply.status == 200 and "workflow_run_id" in reply.json(), f"2026 dispatch: {reply}")
    reply = api("POST", dispatch_path.replace("deploy.yml", "1001"), {"ref": "main", "return_run_details": True},
                prefix="/api/v3")
    check(reply.status == 200 and reply.json()["run_url"].startswith(f"{root}/api/v3/repos/"), f"GHES: {reply}")

    control("POST", "config", {"supports_run_details": False})
    reply = api("POST", dispatch_path, {"ref": "main", "return_run_details": True})
    check(reply.status == 204, f"old GHES 2022: {reply}")
    reply = api("POST", dispatch_path, {"ref": "main"}, version="2026-03-10")
    check(reply.status == 400 and reply.json()["message"] == "Unsupported API version", f"old GHES 2026: {reply}")
    control("POST", "config", {"supports_run_details": True})

    # ---- dispatch errors
    def expect_error(reply: Response, status: int, message: str) -> None:
        check(reply.status == status and reply.json()["message"] == message, f"want {status} {message!r}: {reply}")

    expect_error(api("POST", dispatch_path.replace("deploy.yml", "nope.yml"), {"ref": "main"}), 404, "Not Found")
    expect_error(api("POST", repo_path.replace(REPO, "other") + "/actions/workflows/deploy.yml/dispatches",
                     {"ref": "main"}), 404, "Not Found")
    expect_error(api("POST", dispatch_path.replace("deploy.yml", "topic.yml"), {"ref": "main"}), 404, "Not Found")
    expect_error(api("POST", dispatch_path.replace("deploy.yml", "ci.yml"), {"ref": "main"}), 422,
                 "Workflow does not have 'workflow_dispatch' trigger")
    expect_error(api("POST", dispatch_path, {"ref": "main", "inputs": {"zzz": "1", "foo": "2", "environment": "x"}}),
                 422, 'Unexpected inputs provided: ["foo", "zzz"]')
    expect_error(api("POST", dispatch_path, {"ref": "nope"}), 422, "No ref found for: nope")
    reply = api("POST", dispatch_path, {"ref": "main", "inputs": {"environment": "x" * 70000}})
    check(reply.status == 422 and "65535" in reply.json()["message"], f"large inputs: {reply}")
    reply = api("POST", dispatch_path, {"inputs": {}})
    check(reply.status == 422 and "'ref' is a required property" in reply.json()["message"], f"no ref: {reply}")
    check(reply.json()["documentation_url"] and isinstance(reply.json()["errors"], list), "validation body")
    reply = api("POST", dispatch_path, {"ref": "main", "inputs": {f"k{i}": "v" for i in range(26)}})
    check(reply.status == 422 and "too many properties" in reply.json()["message"], f"26 inputs: {reply}")
    expect_error(api("GET", repo_path + "/actions/secrets"), 404, "Not Found")
    reply = api("POST", repo_path + "/dispatches", {"event_type": "x" * 101})
    check(reply.status == 422 and reply.json()["errors"][0]["code"] == "invalid", f"event_type: {reply}")
    check(api("POST", repo_path + "/dispatches", {"event_type": "go", "client_payload": {"a": 1}}).status == 204,
          "repository dispatch")

    # ---- authentication
    expect_error(api("GET", repo_path + "/actions/runs", token=None), 401, "Requires authentication")
    expect_error(api("GET", repo_path + "/actions/runs", token="ghp_wrong"), 401, "Bad credentials")
    check(api("GET", repo_path + "/actions/runs", scheme="Bearer").status == 200, "Bearer PAT")

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    control("POST", "auth", {"app": {"app_id": "123", "public_key_pem": public_pem, "installation_id": 42,
                                     "token_ttl_seconds": 3600}})
    now = int(time.time())
    app_jwt = jwt.encode({"iat": now - 60, "exp": now + 540, "iss": "123"}, key, algorithm="RS256")
    reply = api("GET", repo_path + "/installation", token=app_jwt, scheme="Bearer")
    check(reply.status == 200 and reply.json()["id"] == 42, f"installation: {reply}")
    int_iss = jwt.api_jws.encode(json.dumps({"iat": now - 60, "exp": now + 300, "iss": 123}).encode(), key,
                                 algorithm="RS256")
    reply = api("POST", "/app/installations/42/access_tokens", token=int_iss, scheme="Bearer")
    check(reply.status == 201, f"access token: {reply}")
    installation_token = reply.json()["token"]
    check(installation_token.startswith("ghs_"), "ghs_ token")
    expires = datetime.fromisoformat(reply.json()["expires_at"].replace("Z", "+00:00"))
    check(abs((expires - datetime.now(timezone.utc)).total_seconds() - 3600) < 10, "expires_at ~ 1h")
    reply = api("GET", repo_path + "/actions/runs", token=installation_token)
    check(reply.status == 200, f"installation token use: {reply}")
    check(api("POST", "/app/installations/7/access_tokens", token=app_jwt, scheme="Bearer").status == 404,
          "unknown installation")
    long_jwt = jwt.encode({"iat": now - 60, "exp": now + 1200, "iss": "123"}, key, algorithm="RS256")
    check(api("GET", repo_path + "/installation", token=long_jwt, scheme="Bearer").status == 401, "long JWT")
    wrong_iss = jwt.encode({"iat": now - 60, "exp": now + 300, "iss": "999"}, key, algorithm="RS256")
    check(api("GET", repo_path + "/installation", token=wrong_iss, scheme="Bearer").status == 401, "wrong iss")
    check(api("GET", repo_path + "/installation", token=app_jwt, scheme="token").status == 401, "JWT via token")
    check(api("GET", repo_path + "/installation").status == 401, "PAT on app route")
    claims = control("GET", "jwt-claims")
    check(len(claims) == 6 and {"iat", "exp", "iss"} <= set(claims[0]), f"jwt claims {claims}")

    # ---- runs: display_title correlation, created filter, pagination
    runs = api("GET", repo_path + "/actions/workflows/deploy.yml/runs").json()
    check(runs["total_count"] == 5, f"run count {runs['total_count']}")
    ids = [r["id"] for r in runs["workflow_runs"]]
    check(ids == sorted(ids, reverse=True) and min(ids) == 30000001, f"run ids {ids}")
    titled = [r for r in runs["workflow_runs"] if r["display_title"] == "Deploy [abc123]"]
    check(len(titled) == 1 and titled[0]["id"] == run_id, "display_title from run_name")
    check(control("GET", f"runs/{run_id}")["inputs"] == {"distinct_id": "abc123"}, "run inputs")
    since = (datetime.now(timezone.utc) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    query = urllib.parse.urlencode({"created": f">={since}", "per_page": 2, "event": "workflow_dispatch"})
    reply = api("GET", f"{repo_path}/actions/runs?{query}")
    check(reply.status == 200 and reply.json()["total_count"] == 5 and len(reply.json()["workflow_runs"]) == 2,
          f"created filter: {reply}")
    link = reply.headers["Link"]
    check('rel="next"' in link and re.search(r'[?&]page=3>; rel="last"', link), f"Link {link}")
    next_url = re.search(r'<([^>]+)>; rel="next"', link)[1]
    page2 = http("GET", next_url, headers={**HEADERS, "Authorization": f"token {PAT}"}).json()
    check(len(page2["workflow_runs"]) == 2, "second page")
    old = urllib.parse.urlencode({"created": "<2020-01-01"})
    check(api("GET", f"{repo_path}/actions/runs?{old}").json()["total_count"] == 0, "created <")
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    span = urllib.parse.urlencode({"created": f"2020-01-01..{today}", "branch": "release"})
    check(api("GET", f"{repo_path}/actions/runs?{span}").json()["total_count"] == 1, "created range + branch")
    reply = api("GET", f"{repo_path}/actions/runs?status=bogus")
    check(reply.status == 422, f"bad status enum: {reply}")

    # ---- ETag and auto advance
    run_path = f"{repo_path}/actions/runs/{run_id}"
    reply = api("GET", run_path)
    etag = reply.headers["ETag"]
    check(reply.status == 200 and etag.startswith('"'), "ETag")
    reply = api("GET", run_path, extra={"If-None-Match": etag})
    check(reply.status == 304 and reply.data == b"" and "x-ratelimit-limit" in reply.headers, f"304: {reply}")

    control("POST", "config", {"auto_advance": True, "auto_conclusion": "failure"})
    auto_id = api("POST", dispatch_path, {"ref": "main"}, version="2026-03-10").json()["workflow_run_id"]
    seen = [api("GET", f"{repo_path}/actions/runs/{auto_id}").json() for _ in range(3)]
    check([(r["status"], r["conclusion"]) for r in seen] ==
          [("queued", None), ("in_progress", None), ("completed", "failure")], f"auto advance {seen}")
    control("POST", "config", {"auto_advance": False})
    actions = [d["action"] for d in control("GET", "deliveries") if d["run_id"] == auto_id]
    check(actions == ["requested", "in_progress", "completed"], f"auto advance webhooks {actions}")

    # ---- advance through control with synchronous webhooks, ping, redelivery
    result = control("POST", f"runs/{run_id}/advance", {"status": "in_progress"})
    check(result["run"]["status"] == "in_progress" and result["deliveries"][0]["status"] == 200,
          f"advance: {result}")
    result = control("POST", f"runs/{run_id}/advance", {"status": "completed", "conclusion": "success"})
    delivery_id = result["deliveries"][0]["delivery_id"]
    completed = receiver.wait_for(lambda d: d["headers"]["X-GitHub-Delivery"] == delivery_id)
    check(completed["payload"]["action"] == "completed" and
          completed["payload"]["workflow_run"]["conclusion"] == "success", "completed webhook")
    check(completed["payload"]["workflow_run"]["display_title"] == "Deploy [abc123]", "webhook display_title")
    redelivered = control("POST", "webhooks/redeliver", {"delivery_id": delivery_id})
    check(redelivered == {"delivery_id": delivery_id, "status": 200, "error": None}, f"redeliver {redelivered}")
    copies = [d for d in receiver.received if d["headers"]["X-GitHub-Delivery"] == delivery_id]
    check(len(copies) == 2 and copies[0]["body"] == copies[1]["body"], "redelivery bytes")
    ping = control("POST", "webhooks/ping")
    check(ping["status"] == 200, f"ping {ping}")
    check(receiver.wait_for(lambda d: d["headers"]["X-GitHub-Event"] == "ping")["payload"]["hook_id"] > 0, "ping")

    # ---- cancel, rerun, attempts, jobs
    cancel_id = api("POST", dispatch_path, {"ref": "main", "return_run_details": True}).json()["workflow_run_id"]
    cancel_path = f"{repo_path}/actions/runs/{cancel_id}"
    reply = api("POST", cancel_path + "/cancel")
    check(reply.status == 202 and reply.json() == {}, f"cancel: {reply}")
    reply = api("POST", cancel_path + "/force-cancel")
    expect_error(reply, 409, "Cannot cancel a workflow run that is completed.")
    cancelled = api("GET", cancel_path).json()
    check((cancelled["status"], cancelled["conclusion"]) == ("completed", "cancelled"), "cancelled run")
    reply = api("POST", cancel_path + "/rerun")
    check(reply.status == 201 and reply.json() == {}, f"rerun: {reply}")
    rerun = api("GET", cancel_path).json()
    check(rerun["run_attempt"] == 2 and rerun["status"] == "queued" and rerun["conclusion"] is None,
          f"rerun state {rerun}")
    check(rerun["previous_attempt_url"].endswith("/attempts/1"), "previous_attempt_url")
    check(api("GET", cancel_path + "/attempts/1").json()["conclusion"] == "cancelled", "attempt 1")
    check(api("GET", cancel_path + "/attempts/3").status == 404, "attempt 3")
    jobs = api("GET", cancel_path + "/jobs?filter=all").json()
    check(jobs["total_count"] == 2 and len(jobs["jobs"]) == 2, f"jobs {jobs}")
    latest = api("GET", cancel_path + "/jobs").json()["jobs"]
    check(len(latest) == 1 and latest[0]["run_attempt"] == 2, "latest job")
    job_path = f"{repo_path}/actions/jobs/{latest[0]['id']}"
    check(api("GET", job_path).json()["status"] == "queued", "get job")
    check(api("POST", job_path + "/rerun").status == 201, "job rerun")
    check(api("GET", cancel_path).json()["run_attempt"] == 3, "job rerun attempt")
    check(api("POST", cancel_path + "/rerun-failed-jobs", {"enable_debug_logging": True}).status == 201, "rerun failed")
    check(api("GET", f"{repo_path}/actions/runs/99").status == 404, "unknown run")

    # ---- logs
    reply = api("GET", cancel_path + "/logs")
    check(reply.status == 302, f"logs: {reply}")
    location = reply.headers["Location"]
    check(location.startswith(f"{root}/_fake/logs/{cancel_id}?sig="), f"Location {location}")
    zipped = http("GET", location)
    check(zipped.status == 200 and zipped.data == b"PK\x05\x06" + bytes(18) and
          zipped.headers["Content-Type"] == "application/zip", "log zip")
    reply = api("GET", job_path + "/logs")
    check(reply.status == 302, f"job logs: {reply}")
    text = http("GET", reply.headers["Location"], headers={"Authorization": f"token {PAT}"})
    check(text.status == 200 and text.headers["Content-Type"] == "text/plain", "job log text")
    check(http("GET", f"{root}/_fake/logs/{cancel_id}?sig=forged").status == 403, "forged log signature")
    fetches = control("GET", "log-fetches")
    check([f["authorization_sent"] for f in fetches] == [False, True, False], f"log fetches {fetches}")

    # ---- rate limiting and /rate_limit
    control("POST", "rate-limit", {"mode": "retry_after", "status": 429, "retry_after": 1, "count": 1})
    reply = api("GET", repo_path + "/actions/runs")
    check(reply.status == 429 and reply.headers["retry-after"] == "1" and
          "secondary rate limit" in reply.json()["message"], f"429: {reply}")
    check(api("GET", repo_path + "/actions/runs").status == 200, "after 429")
    control("POST", "rate-limit", {"mode": "reset", "status": 403, "reset_in": 2, "count": 1})
    reply = api("GET", repo_path + "/actions/runs")
    check(reply.status == 403 and reply.headers["x-ratelimit-remaining"] == "0" and
          0 < int(reply.headers["x-ratelimit-reset"]) - time.time() <= 3 and
          reply.json()["message"] == "API rate limit exceeded for user ID 1.", f"403: {reply}")
    reply = api("GET", "/rate_limit")
    core = reply.json()["resources"]["core"]
    check(reply.status == 200 and core["limit"] == 5000 and core["used"] > 0, f"rate_limit {reply}")

    # ---- client contract violations (deliberate)
    api("GET", repo_path + "/actions/workflows", extra={"Accept": "application/json"})
    api("GET", repo_path + "/actions/workflows", version=None, extra={"User-Agent": ""})
    reply = http("POST", f"{root}{repo_path}/dispatches", raw=b'{"event_type": "go"}',
                 headers={**HEADERS, "Authorization": f"token {PAT}", "Content-Type": "text/plain"})
    check(reply.status == 204, f"text/plain body still served: {reply}")

    requests = control("GET", "requests")
    check(all(r["headers"].get("authorization") in (None, "token", "Bearer") for r in requests),
          "authorization reduced to its scheme")
    check(requests[0]["body"] == {"ref": "main", "inputs": {"environment": "prod"}}, "recorded body")

    # ---- violations: exactly the provoked ones, nothing from the fake itself
    check(receiver.bad_signatures == 0, "bad webhook signatures")
    violations = control("GET", "violations")
    expected = [
        r"POST /repos/acme/app/actions/workflows/deploy\.yml/dispatches: Invalid request\..*'ref' is a required",
        r"POST /repos/acme/app/actions/workflows/deploy\.yml/dispatches: Invalid request\..*too many properties",
        r"GET /repos/acme/app/actions/secrets: Not Found",
        r"POST /repos/acme/app/dispatches: Invalid request\..*is too long",
        r"GET /repos/acme/app/actions/runs: Invalid request\..*status",
        r"GET /_fake/logs/jobs/\d+: Authorization header sent",
        r"GET /repos/acme/app/actions/workflows: Accept header must include",
        r"GET /repos/acme/app/actions/workflows: missing X-GitHub-Api-Version",
        r"GET /repos/acme/app/actions/workflows: missing User-Agent",
        r"POST /repos/acme/app/dispatches: request body sent with Content-Type 'text/plain'",
    ]
    unexpected = [v for v in violations if not any(re.match(p, v, re.S) for p in expected)]
    missing = [p for p in expected if not any(re.match(p, v, re.S) for v in violations)]
    check(not unexpected and not missing, f"violations: unexpected={unexpected} missing={missing}")
    check(not any(v.startswith(("response:", "webhook")) for v in violations), "fake-side violations")

    control("POST", "reset")
    check(control("GET", "violations") == [] and control("GET", "requests") == [], "reset")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as failure:
        print(f"selftest FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
