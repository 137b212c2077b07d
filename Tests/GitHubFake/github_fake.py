#!/usr/bin/env python3
"""Contract-checked fake of GitHub's REST API (Actions subset) for Hookflow's tests.

Run:  python github_fake.py --port 0 [--spec PATH]

The fake binds 127.0.0.1 and prints ``listening on <port>`` as its first stdout
line. It needs only ``openapi-core`` and ``pyjwt[crypto]``.

API side
--------
Serves the 20 operations of ``github-actions-openapi-subset.json`` (next to this
file), with or without a ``/api/v3`` prefix (GitHub Enterprise base URL). Every
request is validated with openapi-core against the subset (422 on a mismatch) and
checked against the client contract (``Accept: application/vnd.github+json``,
``X-GitHub-Api-Version`` 2022-11-28 or 2026-03-10, a ``User-Agent``, JSON bodies
with ``Content-Type: application/json``). Every response the fake emits is
validated as well. Each problem is recorded as a violation; response problems
start with ``response:``. Unknown routes answer 404 and are violations too.

Behaviour follows research note ``github-actions.md`` sections 1.2 and 5.2:
workflow dispatch (204 or 200 by API version), runs, attempts, jobs, cancel,
re-run, log redirects, repository dispatch, installation tokens from app JWTs,
rate-limit headers, switchable 403/429 rate limiting and ETag/304 on GETs.
Runs move queued -> in_progress -> completed through the control API, or with
``auto_advance`` on each GET of the run that is not a 304 (the GET answers the
current state, then the run moves on, so ETag polling never stalls).

``workflow_run`` webhooks go to the registered receiver, signed with HMAC-SHA256
and checked against the subset's ``x-webhooks`` schemas: ``requested`` after a
dispatch or re-run and ``completed`` after a cancel (sent in the background once
the API call is answered), ``in_progress``/``completed`` from an advance (sent
before the advancing request is answered). Deliveries of one run keep their order.

Simulated GHES < 3.21 (``supports_run_details: false``): any request with
``X-GitHub-Api-Version: 2026-03-10`` answers 400, and ``return_run_details`` is
ignored (204). Sending ``Authorization`` to a signed log URL is a violation.

Control API (JSON in and out; never validated against the contract or recorded)
--------------------------------------------------------------------------------
POST /_fake/reset                  clear all state and configuration
POST /_fake/repos                  {"owner", "repo", "default_branch": "main", "refs": [...],
                                    "workflows": [{"id", "file", "name", "dispatch": true,
                                    "on_default_branch": true, "inputs": [...], "run_name"}]}
                                    adds or replaces a repository
POST /_fake/auth                   {"tokens": [...], "app": {"app_id", "public_key_pem",
                                    "installation_id", "token_ttl_seconds": 3600}}
POST /_fake/config                 {"supports_run_details", "auto_advance", "auto_conclusion"}
POST /_fake/rate-limit             {"mode": "retry_after", "status": 429, "retry_after": 1, "count": 1}
                                   {"mode": "reset", "status": 403, "reset_in": 1, "count": 1}
                                   {"mode": "off"}
POST /_fake/webhooks               {"url", "secret"} registers the receiver (replaces any previous)
POST /_fake/webhooks/ping          sends a ping -> {"delivery_id", "status"}
POST /_fake/webhooks/redeliver     {"delivery_id"} re-sends the same bytes -> {"delivery_id", "status"}
GET  /_fake/deliveries             [{"delivery_id", "event", "action", "run_id", "status", "error",
                                     "redelivery", "payload"}]
GET  /_fake/runs                   every run, with its "inputs"
GET  /_fake/runs/<id>              the run (workflow-run shape) plus "inputs"
POST /_fake/runs/<id>/advance      {"status": "in_progress"} or {"status": "completed",
                                    "conclusion": "success"} -> {"run", "deliveries"}
GET  /_fake/requests               [{"method", "path", "query", "headers", "body", "status"}]
GET  /_fake/violations             ["..."] (empty when all is well)
GET  /_fake/jwt-claims             decoded claims of every JWT received
GET  /_fake/log-fetches            [{"path", "authorization_sent", "status"}]
GET  /_fake/logs/<run_id>?sig=..   signed log download targets (the 302 Location of the
GET  /_fake/logs/jobs/<id>?sig=..  log endpoints); must be fetched without Authorization
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import re
import secrets
import string
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

import jwt
from openapi_core import OpenAPI
from openapi_core.templating.responses.exceptions import ResponseNotFound
from openapi_core.testing import MockRequest, MockResponse
from openapi_core.validation.request.exceptions import InvalidRequestBody
from openapi_schema_validator import OAS30Validator, oas30_format_checker

DOCS_URL = "https://docs.github.com/rest"
SPEC_HOST = "https://api.github.com"  # the subset's server; requests are validated as if sent there
API_PREFIX = "/api/v3"
ACCEPT = "application/vnd.github+json"
API_VERSIONS = ("2022-11-28", "2026-03-10")
DEFAULT_VERSION, RUN_DETAILS_VERSION = API_VERSIONS
JSON_TYPE = "application/json; charset=utf-8"

RATE_LIMIT = 5000
FIRST_RUN_ID = 30000001
JOBS_PER_RUN = 100  # job id = run id * 100 + attempt number (one job per attempt)
MAX_INPUTS_CHARS = 65535
JWT_MAX_LIFETIME = 600
CLOCK_SKEW = 60
LOG_LINK_TTL = 60
DELIVERY_TIMEOUT = 10
EMPTY_ZIP = b"PK\x05\x06" + bytes(18)

RUN_STATUSES = {"queued", "in_progress", "completed", "waiting", "requested", "pending"}
RUN_CONCLUSIONS = {"success", "failure", "neutral", "cancelled", "timed_out", "action_required",
                   "stale", "skipped", "startup_failure"}
JOB_CONCLUSIONS = RUN_CONCLUSIONS - {"stale", "startup_failure"}
JWT_ROUTES = {"/app/installations/{installation_id}/access_tokens", "/repos/{owner}/{repo}/installation"}
SECONDARY_LIMIT_MESSAGE = ("You have exceeded a secondary rate limit. "
                           "Please wait a few minutes before you try again.")
PRIMARY_LIMIT_MESSAGE = "API rate limit exceeded for user ID 1."
RUN_NAME_EXPR = re.compile(r"\$\{\{\s*(?:github\.event\.)?inputs\.([\w-]+)\s*(?:\|\|\s*'([^']*)'\s*)?\}\}")

USER = ("octocat", "User")  # actor for personal access tokens
BOT = ("hookflow-fake[bot]", "Bot")  # actor for installation tokens
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


# ----------------------------------------------------------------------------- helpers

def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def iso(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def signature(secret: str, body: bytes) -> str:
    """The X-Hub-Signature-256 value for a webhook body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def etag_of(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:40] + '"'


def parse_instant(text: str) -> tuple[datetime, datetime]:
    """The [start, end) span a search-syntax date (a whole day) or date-time (one second) covers."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        start = datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
        return start, start + timedelta(days=1)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment, moment + timedelta(seconds=1)


def created_matcher(expr: str) -> Callable[[datetime], bool]:
    """A predicate for the `created` qualifier: >=T, >T, <=T, <T, A..B (either side may be *), or T."""
    expr = expr.strip().replace(" ", "+")  # an unencoded '+' of a UTC offset arrives as a space
    if ".." in expr:
        low, high = expr.split("..", 1)
        start = None if low in ("", "*") else parse_instant(low)[0]
        end = None if high in ("", "*") else parse_instant(high)[1]
        return lambda t: (start is None or t >= start) and (end is None or t < end)
    for op, test in ((">=", lambda t, s, e: t >= s), ("<=", lambda t, s, e: t < e),
                     (">", lambda t, s, e: t >= e), ("<", lambda t, s, e: t < s)):
        if expr.startswith(op):
            start, end = parse_instant(expr[len(op):])
            return lambda t: test(t, start, end)
    start, end = parse_instant(expr)
    return lambda t: start <= t < end


def schema_error_text(error: Any) -> str:
    """A jsonschema error as "path: message", with a long offending value shortened."""
    value = repr(error.instance)
    message = error.message.replace(value, value[:60] + "...") if len(value) > 80 else error.message
    return f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {message}"


def describe(error: Exception) -> str:
    """One line for an openapi-core validation error, with the JSON-schema details."""
    head = "Request body validation error" if isinstance(error, InvalidRequestBody) else str(error)
    cause = error.__cause__
    details = [schema_error_text(e) for e in getattr(cause, "schema_errors", None) or ()]
    if details:
        return f"{head}: {'; '.join(details)}"
    return f"{head}: {cause}" if cause else head


def error_body(status: int, message: str, **extra: Any) -> dict:
    return {"message": message, "documentation_url": DOCS_URL, "status": str(status), **extra}


# ----------------------------------------------------------------------------- data model

@dataclass
class Workflow:
    id: int
    file: str
    name: str
    dispatch: bool
    on_default_branch: bool
    inputs: list[str]
    run_name: str | None
    created_at: datetime

    @property
    def path(self) -> str:
        return f".github/workflows/{self.file}"


@dataclass
class Repo:
    id: int
    owner: str
    name: str
    default_branch: str
    refs: set[str]
    workflows: list[Workflow]


@dataclass
class Attempt:
    number: int
    status: str
    conclusion: str | None
    started_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None


@dataclass
class Run:
    id: int
    repo: Repo
    workflow: Workflow
    run_number: int
    head_branch: str
    head_sha: str
    display_title: str
    inputs: dict
    actor: tuple[str, str]
    created_at: datetime
    base: str  # API base URL of the dispatch request, used in webhook payloads
    root: str
    attempts: list[Attempt]
    # Set when the last webhook queued for this run has been sent; keeps deliveries in order.
    delivered: threading.Event = field(default_factory=threading.Event)

    @property
    def latest(self) -> Attempt:
        return self.attempts[-1]

    @property
    def check_suite_id(self) -> int:
        return 40_000_000_000 + self.id


@dataclass
class Delivery:
    delivery_id: str
    event: str
    action: str | None
    url: str
    body: bytes
    headers: dict
    run_id: int | None = None
    redelivery: bool = False
    status: int | None = None
    error: str | None = None
    after: threading.Event | None = None  # previous delivery for the same run
    done: threading.Event | None = None

    def summary(self) -> dict:
        return {"delivery_id": self.delivery_id, "event": self.event, "action": self.action,
                "run_id": self.run_id, "status": self.status, "error": self.error,
                "redelivery": self.redelivery, "payload": json.loads(self.body)}


@dataclass
class Call:
    """One API request as the handlers see it."""
    method: str
    raw_path: str  # as received, including any /api/v3 prefix
    path: str  # without the prefix
    query: dict[str, str]
    headers: Message
    raw_body: bytes
    base: str  # scheme://host[/api/v3], for API URLs in responses
    root: str  # scheme://host, for html_url and log links
    body: Any = None
    template: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    actor: tuple[str, str] = USER

    @property
    def version(self) -> str:
        return self.headers.get("X-GitHub-Api-Version") or DEFAULT_VERSION


@dataclass
class Reply:
    status: int
    body: Any = None  # a JSON value, raw bytes, or None for no body
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = JSON_TYPE
    notify_now: list[Delivery] = field(default_factory=list)  # sent before answering
    notify_later: list[Delivery] = field(default_factory=list)  # sent in the background afterwards

    def payload(self) -> bytes:
        if self.body is None:
            return b""
        return self.body if isinstance(self.body, bytes) else json.dumps(self.body).encode()


class ApiError(Exception):
    def __init__(self, status: int, message: str, violation: bool = False, **extra: Any):
        super().__init__(message)
        self.message, self.violation = message, violation
        self.reply = Reply(status, error_body(status, message, **extra))


# ----------------------------------------------------------------------------- contract

class Contract:
    """The OpenAPI subset: route table, request/response validation, webhook schemas."""

    def __init__(self, spec_path: Path):
        self.spec = json.loads(Path(spec_path).read_text())
        self.openapi = OpenAPI.from_dict(self.spec)
        self.routes = []
        for template, item in self.spec["paths"].items():
            pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
            self.routes.append((re.compile(pattern + "$"), template, item))
        self.validators: dict[str, OAS30Validator] = {}

    def operations(self) -> set[tuple[str, str]]:
        return {(method.upper(), template) for _, template, item in self.routes for method in item}

    def match(self, method: str, path: str) -> tuple[str, dict[str, str]] | None:
        for pattern, template, item in self.routes:
            found = pattern.match(path)
            if found and method.lower() in item:
                return template, {k: urllib.parse.unquote(v) for k, v in found.groupdict().items()}
        return None

    def operation(self, call: Call) -> dict:
        return self.spec["paths"][call.template][call.method.lower()]

    def request_problems(self, call: Call) -> list[str]:
        request = MockRequest(SPEC_HOST, call.method, call.path, args=call.query,
                              headers=dict(call.headers.items()), data=call.raw_body)
        return [describe(e) for e in self.openapi.iter_request_errors(request)]

    def response_problems(self, call: Call, reply: Reply) -> list[str]:
        """2xx/3xx strictly against the declared response; undeclared errors need a string message."""
        data = reply.payload()
        if call.template is not None:
            request = MockRequest(SPEC_HOST, call.method, call.path)
            response = MockResponse(data, reply.status, reply.headers, reply.content_type)
            errors = list(self.openapi.iter_response_errors(request, response))
            if not any(isinstance(e, ResponseNotFound) for e in errors):
                return [describe(e) for e in errors]
        if reply.status == 304:
            return ["304 with a body"] if data else []
        if reply.status < 400:
            return [f"status {reply.status} is not declared for this operation"]
        try:
            body = json.loads(data)
        except ValueError:
            return ["error body is not JSON"]
        return [] if isinstance(body, dict) and isinstance(body.get("message"), str) else [
            "error body has no string message"]

    def uses_simple_validation_errors(self, call: Call) -> bool:
        declared = self.operation(call)["responses"].get("422", {})
        return declared.get("$ref", "").endswith("/validation_failed_simple")

    def payload_problems(self, schema_name: str, payload: dict) -> list[str]:
        if schema_name not in self.validators:
            root = {"components": self.spec["components"], "$ref": f"#/components/schemas/{schema_name}"}
            self.validators[schema_name] = OAS30Validator(root, format_checker=oas30_format_checker)
        return [schema_error_text(e) for e in self.validators[schema_name].iter_errors(payload)]


def client_problems(call: Call) -> list[str]:
    """Rules every client request must follow (recorded, but the request is still served)."""
    problems = []
    accept = call.headers.get("Accept", "")
    if ACCEPT not in [part.split(";")[0].strip().lower() for part in accept.split(",")]:
        problems.append(f"Accept header must include {ACCEPT} (got {accept!r})")
    version = call.headers.get("X-GitHub-Api-Version")
    if version is None:
        problems.append("missing X-GitHub-Api-Version header")
    elif version not in API_VERSIONS:
        problems.append(f"unsupported X-GitHub-Api-Version {version!r}")
    if not call.headers.get("User-Agent", "").strip():
        problems.append("missing User-Agent header")
    content_type = call.headers.get("Content-Type", "")
    if call.method == "POST" and call.raw_body and content_type.split(";")[0].strip().lower() != "application/json":
        problems.append(f"request body sent with Content-Type {content_type!r}, expected application/json")
    return problems


# ----------------------------------------------------------------------------- the fake

class Fake:
    def __init__(self, contract: Contract):
        self.contract = contract
        self.lock = threading.RLock()
        repo = "/repos/{owner}/{repo}"
        runs = repo + "/actions/runs/{run_id}"
        jobs = repo + "/actions/jobs/{job_id}"
        workflow = repo + "/actions/workflows/{workflow_id}"
        self.handlers: dict[tuple[str, str], Callable[[Call], Reply]] = {
            ("GET", repo + "/actions/workflows"): self.list_workflows,
            ("GET", workflow): self.get_workflow,
            ("POST", workflow + "/dispatches"): self.dispatch_workflow,
            ("GET", workflow + "/runs"): self.list_workflow_runs,
            ("GET", repo + "/actions/runs"): self.list_repo_runs,
            ("GET", runs): self.get_run,
            ("GET", runs + "/attempts/{attempt_number}"): self.get_run_attempt,
            ("POST", runs + "/cancel"): self.cancel_run,
            ("POST", runs + "/force-cancel"): self.cancel_run,
            ("POST", runs + "/rerun"): self.rerun,
            ("POST", runs + "/rerun-failed-jobs"): self.rerun,
            ("GET", runs + "/jobs"): self.list_jobs,
            ("GET", runs + "/logs"): self.run_logs,
            ("GET", jobs): self.get_job,
            ("GET", jobs + "/logs"): self.job_logs,
            ("POST", jobs + "/rerun"): self.rerun_job,
            ("POST", repo + "/dispatches"): self.repository_dispatch,
            ("POST", "/app/installations/{installation_id}/access_tokens"): self.create_installation_token,
            ("GET", repo + "/installation"): self.get_repo_installation,
            ("GET", "/rate_limit"): self.rate_limit,
        }
        missing = contract.operations() - set(self.handlers)
        if missing:
            raise SystemExit(f"no handler for {sorted(missing)}")
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.repos: dict[tuple[str, str], Repo] = {}
            self.runs: dict[int, Run] = {}
            self.run_numbers: dict[tuple[int, int], int] = {}
            self.next_run_id = FIRST_RUN_ID
            self.next_repo_id = 1000001
            self.tokens: set[str] = set()
            self.app: dict | None = None
            self.installation_tokens: dict[str, float] = {}
            self.config = {"supports_run_details": True, "auto_advance": False, "auto_conclusion": "success"}
            self.rate_used, self.rate_reset = 0, int(time.time()) + 3600
            self.limit: dict | None = None
            self.hook: dict | None = None
            self.next_hook_id = 500001
            self.deliveries: list[Delivery] = []
            self.log_links: dict[str, float] = {}
            self.requests: list[dict] = []
            self.violations: list[str] = []
            self.jwt_claims: list[dict] = []
            self.log_fetches: list[dict] = []

    # ------------------------------------------------------------------ request pipeline

    def handle_api(self, call: Call) -> Reply:
        with self.lock:
            for problem in client_problems(call):
                self.violation(call, problem)
            try:
                reply = self.serve(call)
            except ApiError as error:
                reply = error.reply
                if error.violation:
                    self.violation(call, error.message)
            self.finish(call, reply)
            self.requests.append({
                "method": call.method, "path": call.raw_path, "query": call.query,
                "headers": {k.lower(): v.split(" ")[0] if k.lower() == "authorization" else v
                            for k, v in call.headers.items()},
                "body": call.body, "status": reply.status})
            return reply

    def violation(self, call: Call, problem: str) -> None:
        self.violations.append(f"{call.method} {call.raw_path}: {problem}")

    def serve(self, call: Call) -> Reply:
        route = self.contract.match(call.method, call.path)
        if route is None:
            raise ApiError(404, "Not Found", violation=True)
        call.template, call.params = route
        if self.limit:
            return self.limited()
        if call.version == RUN_DETAILS_VERSION and not self.config["supports_run_details"]:
            raise ApiError(400, "Unsupported API version")
        self.authenticate(call)
        try:
            call.body = json.loads(call.raw_body) if call.raw_body else None
        except ValueError:
            raise ApiError(400, "Problems parsing JSON", violation=True) from None
        problems = self.contract.request_problems(call)
        if problems:
            if self.contract.uses_simple_validation_errors(call):
                errors = problems
            else:
                errors = [{"resource": "Request", "code": "invalid", "message": p} for p in problems]
            raise ApiError(422, "Invalid request.\n\n" + "\n".join(problems), violation=True, errors=errors)
        return self.handlers[(call.method, call.template)](call)

    def finish(self, call: Call, reply: Reply) -> None:
        """ETag/304 for JSON GETs, rate-limit headers, and the response self-check."""
        if call.method == "GET" and reply.status == 200 and isinstance(reply.body, (dict, list)):
            reply.headers["ETag"] = etag_of(reply.payload())
            if self.not_modified(call, reply):
                reply.status, reply.body = 304, None
        if reply.status != 304 and call.template != "/rate_limit":
            self.rate_used += 1
        for name, value in self.core_limit().items():
            reply.headers.setdefault(f"x-ratelimit-{name}", str(value))
        reply.headers.setdefault("x-ratelimit-resource", "core")
        reply.headers["X-GitHub-Api-Version-Selected"] = call.version
        reply.headers["X-GitHub-Request-Id"] = uuid.uuid4().hex[:16].upper()
        for problem in self.contract.response_problems(call, reply):
            self.violations.append(f"response: {call.method} {call.raw_path} {reply.status}: {problem}")

    @staticmethod
    def not_modified(call: Call, reply: Reply) -> bool:
        wanted = call.headers.get("If-None-Match")
        if not wanted:
            return False
        tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
        return "*" in tags or etag_of(reply.payload()) in tags

    def core_limit(self) -> dict[str, int]:
        now = int(time.time())
        if now >= self.rate_reset:
            self.rate_used, self.rate_reset = 0, now + 3600
        return {"limit": RATE_LIMIT, "remaining": max(0, RATE_LIMIT - self.rate_used),
                "used": self.rate_used, "reset": self.rate_reset}

    def limited(self) -> Reply:
        limit = self.limit
        limit["count"] -= 1
        if limit["count"] <= 0:
            self.limit = None
        if limit["mode"] == "retry_after":
            return Reply(limit["status"], error_body(limit["status"], SECONDARY_LIMIT_MESSAGE),
                         {"retry-after": str(limit["retry_after"])})
        return Reply(limit["status"], error_body(limit["status"], PRIMARY_LIMIT_MESSAGE), {
            "x-ratelimit-remaining": "0", "x-ratelimit-used": str(RATE_LIMIT),
            "x-ratelimit-reset": str(int(time.time()) + limit["reset_in"])})

    def authenticate(self, call: Call) -> None:
        found = re.fullmatch(r"(bearer|token) +(\S+)", call.headers.get("Authorization", "").strip(), re.I)
        if not found:
            raise ApiError(401, "Requires authentication")
        scheme, credential = found[1].lower(), found[2]
        claims = self.record_jwt(credential)
        if call.template in JWT_ROUTES:
            if scheme != "bearer" or claims is None:
                raise ApiError(401, "A JSON web token could not be decoded")
            self.verify_jwt(credential, claims)
        elif credential in self.tokens:
            call.actor = USER
        elif self.installation_tokens.get(credential, 0) > time.time():
            call.actor = BOT
        else:
            raise ApiError(401, "Bad credentials")

    def record_jwt(self, credential: str) -> dict | None:
        """Decoded (unverified) claims if the credential is a JWT; every JWT seen is recorded."""
        try:
            claims = jwt.decode(credential, options={"verify_signature": False})
        except jwt.InvalidTokenError:
            return None
        self.jwt_claims.append(claims)
        return claims

    def verify_jwt(self, token: str, claims: dict) -> None:
        """RS256 with the app key, iss = app id, exp in the future and at most 10 minutes after iat."""
        if self.app is None:
            raise ApiError(401, "A JSON web token could not be decoded")
        try:
            jwt.decode(token, self.app["public_key_pem"], algorithms=["RS256"],
                       options={"require": ["exp", "iat", "iss"]}, leeway=CLOCK_SKEW)
        except jwt.ExpiredSignatureError:
            raise ApiError(401, "'Expiration time' claim ('exp') must be a numeric value representing "
                                "the future time at which the assertion expires") from None
        except jwt.InvalidTokenError as error:
            raise ApiError(401, f"A JSON web token could not be decoded ({error})") from None
        if str(claims["iss"]) != self.app["app_id"]:
            raise ApiError(401, "'Issuer' claim ('iss') does not match the app id")
        now = time.time()
        if claims["exp"] - claims["iat"] > JWT_MAX_LIFETIME + CLOCK_SKEW or \
                claims["exp"] > now + JWT_MAX_LIFETIME + CLOCK_SKEW:
            raise ApiError(401, "'Expiration time' claim ('exp') is too far in the future")

    # ------------------------------------------------------------------ lookups

    def find_repo(self, call: Call) -> Repo:
        repo = self.repos.get((call.params["owner"].lower(), call.params["repo"].lower()))
        if repo is None:
            raise ApiError(404, "Not Found")
        return repo

    def find_workflow(self, call: Call, repo: Repo) -> Workflow:
        wanted = call.params["workflow_id"]
        for workflow in repo.workflows:
            if wanted in (str(workflow.id), workflow.file):
                return workflow
        raise ApiError(404, "Not Found")

    def find_run(self, call: Call) -> Run:
        repo = self.find_repo(call)
        run = self.runs.get(int(call.params["run_id"]))
        if run is None or run.repo.id != repo.id:
            raise ApiError(404, "Not Found")
        return run

    def find_job(self, call: Call) -> tuple[Run, int]:
        repo = self.find_repo(call)
        run_id, attempt = divmod(int(call.params["job_id"]), JOBS_PER_RUN)
        run = self.runs.get(run_id)
        if run is None or run.repo.id != repo.id or not 1 <= attempt <= len(run.attempts):
            raise ApiError(404, "Not Found")
        return run, attempt

    # ------------------------------------------------------------------ JSON shapes

    @staticmethod
    def user_json(login: str, kind: str, base: str, root: str) -> dict:
        api = f"{base}/users/{login}"
        uid = zlib.crc32(login.encode()) & 0x7FFFFFFF
        return {"login": login, "id": uid, "node_id": f"U_{uid}", "avatar_url": f"{root}/avatars/{login}",
                "gravatar_id": "", "url": api, "html_url": f"{root}/{login}",
                "followers_url": f"{api}/followers", "following_url": f"{api}/following{{/other_user}}",
                "gists_url": f"{api}/gists{{/gist_id}}", "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
                "subscriptions_url": f"{api}/subscriptions", "organizations_url": f"{api}/orgs",
                "repos_url": f"{api}/repos", "events_url": f"{api}/events{{/privacy}}",
                "received_events_url": f"{api}/received_events", "type": kind, "site_admin": False}

    def repo_json(self, repo: Repo, base: str, root: str) -> dict:
        full_name = f"{repo.owner}/{repo.name}"
        return {"id": repo.id, "node_id": f"R_{repo.id}", "name": repo.name, "full_name": full_name,
                "owner": self.user_json(repo.owner, "Organization", base, root), "private": False,
                "html_url": f"{root}/{full_name}", "url": f"{base}/repos/{full_name}",
                "default_branch": repo.default_branch}

    @staticmethod
    def workflow_json(repo: Repo, workflow: Workflow, base: str, root: str) -> dict:
        full_name = f"{repo.owner}/{repo.name}"
        return {"id": workflow.id, "node_id": f"W_{workflow.id}", "name": workflow.name,
                "path": workflow.path, "state": "active", "created_at": iso(workflow.created_at),
                "updated_at": iso(workflow.created_at),
                "url": f"{base}/repos/{full_name}/actions/workflows/{workflow.id}",
                "html_url": f"{root}/{full_name}/blob/{repo.default_branch}/{workflow.path}",
                "badge_url": f"{root}/{full_name}/workflows/{workflow.file}/badge.svg"}

    def run_json(self, run: Run, base: str, root: str, attempt: int | None = None) -> dict:
        state = run.attempts[(attempt or len(run.attempts)) - 1]
        full_name = f"{run.repo.owner}/{run.repo.name}"
        repo_api = f"{base}/repos/{full_name}"
        url = f"{repo_api}/actions/runs/{run.id}"
        actor = self.user_json(*run.actor, base, root)
        repository = self.repo_json(run.repo, base, root)
        person = {"name": "Mona Octocat", "email": "mona@example.com"}
        return {
            "id": run.id, "name": run.workflow.name, "node_id": f"WFR_{run.id}",
            "check_suite_id": run.check_suite_id, "check_suite_node_id": f"CS_{run.check_suite_id}",
            "head_branch": run.head_branch, "head_sha": run.head_sha, "path": run.workflow.path,
            "display_title": run.display_title, "run_number": run.run_number, "run_attempt": state.number,
            "referenced_workflows": [], "event": "workflow_dispatch", "status": state.status,
            "conclusion": state.conclusion, "workflow_id": run.workflow.id, "url": url,
            "html_url": f"{root}/{full_name}/actions/runs/{run.id}", "pull_requests": [],
            "created_at": iso(run.created_at), "updated_at": iso(state.updated_at),
            "actor": actor, "triggering_actor": actor, "run_started_at": iso(state.started_at),
            "jobs_url": f"{url}/jobs", "logs_url": f"{url}/logs",
            "check_suite_url": f"{repo_api}/check-suites/{run.check_suite_id}",
            "artifacts_url": f"{url}/artifacts", "cancel_url": f"{url}/cancel", "rerun_url": f"{url}/rerun",
            "previous_attempt_url": f"{url}/attempts/{state.number - 1}" if state.number > 1 else None,
            "workflow_url": f"{repo_api}/actions/workflows/{run.workflow.id}",
            "head_commit": {"id": run.head_sha, "tree_id": hashlib.sha1(run.head_sha.encode()).hexdigest(),
                            "message": "Fake commit", "timestamp": iso(run.created_at),
                            "author": person, "committer": person},
            "repository": repository, "head_repository": repository,
        }

    @staticmethod
    def job_json(run: Run, attempt: int, base: str, root: str) -> dict:
        state = run.attempts[attempt - 1]
        job_id = run.id * JOBS_PER_RUN + attempt
        full_name = f"{run.repo.owner}/{run.repo.name}"
        repo_api = f"{base}/repos/{full_name}"
        assigned = state.status in ("in_progress", "completed")
        conclusion = state.conclusion
        if conclusion is not None and conclusion not in JOB_CONCLUSIONS:
            conclusion = "failure"
        return {
            "id": job_id, "run_id": run.id, "run_url": f"{repo_api}/actions/runs/{run.id}",
            "run_attempt": attempt, "node_id": f"CR_{job_id}", "head_sha": run.head_sha,
            "url": f"{repo_api}/actions/jobs/{job_id}",
            "html_url": f"{root}/{full_name}/actions/runs/{run.id}/job/{job_id}",
            "status": state.status, "conclusion": conclusion, "created_at": iso(state.started_at),
            "started_at": iso(state.started_at), "completed_at": iso(state.completed_at), "name": "build",
            "check_run_url": f"{repo_api}/check-runs/{job_id}", "labels": ["ubuntu-latest"],
            "runner_id": 1 if assigned else None, "runner_name": "GitHub Actions 1" if assigned else None,
            "runner_group_id": 1 if assigned else None,
            "runner_group_name": "GitHub Actions" if assigned else None,
            "workflow_name": run.workflow.name, "head_branch": run.head_branch,
        }

    def installation_json(self, repo: Repo, base: str, root: str) -> dict:
        installation_id = self.app["installation_id"]
        app_id = str(self.app["app_id"])
        account = self.user_json(repo.owner, "Organization", base, root)
        created = iso(utcnow())
        return {"id": installation_id, "account": account, "repository_selection": "all",
                "access_tokens_url": f"{base}/app/installations/{installation_id}/access_tokens",
                "repositories_url": f"{base}/installation/repositories",
                "html_url": f"{root}/organizations/{repo.owner}/settings/installations/{installation_id}",
                "app_id": int(app_id) if app_id.isdigit() else 0, "target_id": account["id"],
                "target_type": "Organization", "events": ["workflow_run", "workflow_job"],
                "permissions": {"actions": "write", "contents": "read", "metadata": "read"},
                "created_at": created, "updated_at": created, "app_slug": "hookflow-fake", "suspended_at": None}

    # ------------------------------------------------------------------ workflows and dispatch

    def list_workflows(self, call: Call) -> Reply:
        repo = self.find_repo(call)
        page, headers = paginate(call, repo.workflows)
        return Reply(200, {"total_count": len(repo.workflows),
                           "workflows": [self.workflow_json(repo, w, call.base, call.root) for w in page]}, headers)

    def get_workflow(self, call: Call) -> Reply:
        repo = self.find_repo(call)
        return Reply(200, self.workflow_json(repo, self.find_workflow(call, repo), call.base, call.root))

    def dispatch_workflow(self, call: Call) -> Reply:
        repo = self.find_repo(call)
        workflow = self.find_workflow(call, repo)
        if not workflow.on_default_branch:
            raise ApiError(404, "Not Found")
        if not workflow.dispatch:
            raise ApiError(422, "Workflow does not have 'workflow_dispatch' trigger")
        inputs = call.body.get("inputs") or {}
        unexpected = sorted(set(inputs) - set(workflow.inputs))
        if unexpected:
            raise ApiError(422, f"Unexpected inputs provided: {json.dumps(unexpected)}")
        ref = call.body["ref"]
        branch = ref.removeprefix("refs/heads/").removeprefix("refs/tags/")
        if branch not in repo.refs:
            raise ApiError(422, f"No ref found for: {ref}")
        if len(json.dumps(inputs, separators=(",", ":"))) > MAX_INPUTS_CHARS:
            raise ApiError(422, f"Inputs are too large: at most {MAX_INPUTS_CHARS} characters are allowed.")
        run = self.create_run(call, repo, workflow, branch, inputs)
        notify = self.notify(run, "requested")
        details = call.version == RUN_DETAILS_VERSION or (
            call.body.get("return_run_details") is True and self.config["supports_run_details"])
        if not details:
            return Reply(204, notify_later=notify)
        full_name = f"{repo.owner}/{repo.name}"
        return Reply(200, {"workflow_run_id": run.id,
                           "run_url": f"{call.base}/repos/{full_name}/actions/runs/{run.id}",
                           "html_url": f"{call.root}/{full_name}/actions/runs/{run.id}"}, notify_later=notify)

    def create_run(self, call: Call, repo: Repo, workflow: Workflow, branch: str, inputs: dict) -> Run:
        now = utcnow()
        key = (repo.id, workflow.id)
        self.run_numbers[key] = self.run_numbers.get(key, 0) + 1
        title = workflow.name
        if workflow.run_name:
            title = RUN_NAME_EXPR.sub(lambda m: str(inputs.get(m[1]) or m[2] or ""), workflow.run_name)
        run = Run(id=self.next_run_id, repo=repo, workflow=workflow, run_number=self.run_numbers[key],
                  head_branch=branch, head_sha=hashlib.sha1(f"{repo.id}@{branch}".encode()).hexdigest(),
                  display_title=title, inputs=dict(inputs), actor=call.actor, created_at=now,
                  base=call.base, root=call.root, attempts=[Attempt(1, "queued", None, now, now)])
        run.delivered.set()
        self.runs[run.id] = run
        self.next_run_id += 1
        return run

    def repository_dispatch(self, call: Call) -> Reply:
        self.find_repo(call)
        return Reply(204)

    # ------------------------------------------------------------------ runs

    def list_repo_runs(self, call: Call) -> Reply:
        return self.list_runs(call, self.find_repo(call), None)

    def list_workflow_runs(self, call: Call) -> Reply:
        repo = self.find_repo(call)
        return self.list_runs(call, repo, self.find_workflow(call, repo))

    def list_runs(self, call: Call, repo: Repo, workflow: Workflow | None) -> Reply:
        query = call.query
        try:
            created = created_matcher(query["created"]) if "created" in query else None
        except ValueError:
            raise ApiError(422, f"Invalid created qualifier: {query['created']!r}", violation=True) from None

        def wanted(run: Run) -> bool:
            state = run.latest
            return (run.repo.id == repo.id and (workflow is None or run.workflow.id == workflow.id)
                    and query.get("status") in (None, state.status, state.conclusion)
                    and query.get("branch") in (None, run.head_branch)
                    and query.get("event") in (None, "workflow_dispatch")
                    and query.get("actor") in (None, run.actor[0])
                    and query.get("head_sha") in (None, run.head_sha)
                    and query.get("check_suite_id") in (None, str(run.check_suite_id))
                    and (created is None or created(run.created_at)))

        runs = sorted(filter(wanted, self.runs.values()), key=lambda r: r.id, reverse=True)
        page, headers = paginate(call, runs)
        return Reply(200, {"total_count": len(runs),
                           "workflow_runs": [self.run_json(r, call.base, call.root) for r in page]}, headers)

    def get_run(self, call: Call) -> Reply:
        run = self.find_run(call)
        reply = Reply(200, self.run_json(run, call.base, call.root))
        # auto_advance: serve the current state, then move on, unless the client already had it (304).
        if self.config["auto_advance"] and not self.not_modified(call, reply):
            status = run.latest.status
            if status == "in_progress":
                reply.notify_now = self.set_state(run, "completed", self.config["auto_conclusion"])
            elif status != "completed":
                reply.notify_now = self.set_state(run, "in_progress", None)
        return reply

    def get_run_attempt(self, call: Call) -> Reply:
        run = self.find_run(call)
        attempt = int(call.params["attempt_number"])
        if not 1 <= attempt <= len(run.attempts):
            raise ApiError(404, "Not Found")
        return Reply(200, self.run_json(run, call.base, call.root, attempt))

    def cancel_run(self, call: Call) -> Reply:
        run = self.find_run(call)
        if run.latest.status == "completed":
            raise ApiError(409, "Cannot cancel a workflow run that is completed.")
        return Reply(202, {}, notify_later=self.set_state(run, "completed", "cancelled"))

    def rerun(self, call: Call) -> Reply:
        return Reply(201, {}, notify_later=self.start_attempt(self.find_run(call)))

    def rerun_job(self, call: Call) -> Reply:
        run, _ = self.find_job(call)
        return Reply(201, {}, notify_later=self.start_attempt(run))

    def start_attempt(self, run: Run) -> list[Delivery]:
        now = utcnow()
        run.attempts.append(Attempt(len(run.attempts) + 1, "queued", None, now, now))
        return self.notify(run, "requested")

    def set_state(self, run: Run, status: str, conclusion: str | None) -> list[Delivery]:
        """Change the latest attempt; returns the webhook to send (in_progress or completed)."""
        state, now = run.latest, utcnow()
        state.status, state.updated_at = status, now
        state.conclusion = conclusion if status == "completed" else None
        state.completed_at = now if status == "completed" else None
        return self.notify(run, status) if status in ("in_progress", "completed") else []

    # ------------------------------------------------------------------ jobs and logs

    def list_jobs(self, call: Call) -> Reply:
        run = self.find_run(call)
        attempts = range(1, len(run.attempts) + 1) if call.query.get("filter") == "all" else [len(run.attempts)]
        page, headers = paginate(call, list(attempts))
        return Reply(200, {"total_count": len(attempts),
                           "jobs": [self.job_json(run, a, call.base, call.root) for a in page]}, headers)

    def get_job(self, call: Call) -> Reply:
        run, attempt = self.find_job(call)
        return Reply(200, self.job_json(run, attempt, call.base, call.root))

    def run_logs(self, call: Call) -> Reply:
        return self.log_redirect(call, str(self.find_run(call).id))

    def job_logs(self, call: Call) -> Reply:
        self.find_job(call)
        return self.log_redirect(call, f"jobs/{call.params['job_id']}")

    def log_redirect(self, call: Call, name: str) -> Reply:
        sig = secrets.token_urlsafe(16)
        self.log_links[sig] = time.time() + LOG_LINK_TTL
        return Reply(302, headers={"Location": f"{call.root}/_fake/logs/{name}?sig={sig}"})

    # ------------------------------------------------------------------ apps and rate limit

    def create_installation_token(self, call: Call) -> Reply:
        if int(call.params["installation_id"]) != self.app["installation_id"]:
            raise ApiError(404, "Not Found")
        token = "ghs_" + "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(36))
        expires = time.time() + self.app["token_ttl_seconds"]
        self.installation_tokens[token] = expires
        return Reply(201, {"token": token, "expires_at": iso(datetime.fromtimestamp(int(expires), timezone.utc)),
                           "permissions": {"actions": "write", "contents": "read", "metadata": "read"},
                           "repository_selection": "all"})

    def get_repo_installation(self, call: Call) -> Reply:
        return Reply(200, self.installation_json(self.find_repo(call), call.base, call.root))

    def rate_limit(self, call: Call) -> Reply:
        core = self.core_limit()
        search = {"limit": 30, "remaining": 30, "used": 0, "reset": int(time.time()) + 60}
        body = {"resources": {"core": core, "search": search, "graphql": dict(core, used=0, remaining=RATE_LIMIT)}}
        if call.version != RUN_DETAILS_VERSION:
            body["rate"] = core  # removed in 2026-03-10
        return Reply(200, body)

    # ------------------------------------------------------------------ webhooks

    def notify(self, run: Run, action: str) -> list[Delivery]:
        """Prepare a workflow_run delivery; it waits for the run's previous delivery when sent."""
        if self.hook is None:
            return []
        payload = {"action": action,
                   "workflow": self.workflow_json(run.repo, run.workflow, run.base, run.root),
                   "workflow_run": self.run_json(run, run.base, run.root),
                   "repository": self.repo_json(run.repo, run.base, run.root),
                   "sender": self.user_json(*run.actor, run.base, run.root)}
        if self.app:
            installation_id = self.app["installation_id"]
            payload["installation"] = {"id": installation_id, "node_id": f"I_{installation_id}"}
        delivery = self.prepare("workflow_run", action, payload, f"webhook-workflow-run-{action.replace('_', '-')}",
                                run.repo)
        delivery.run_id = run.id
        delivery.after, delivery.done = run.delivered, threading.Event()
        run.delivered = delivery.done
        return [delivery]

    def prepare(self, event: str, action: str | None, payload: dict, schema: str, repo: Repo | None) -> Delivery:
        for problem in self.contract.payload_problems(schema, payload):
            self.violations.append(f"webhook {event}{'.' + action if action else ''}: {problem}")
        body = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json", "User-Agent": "GitHub-Hookshot/fake",
                   "X-GitHub-Event": event, "X-GitHub-Delivery": str(uuid.uuid4()),
                   "X-GitHub-Hook-ID": str(self.hook["id"])}
        if repo is not None:
            headers["X-GitHub-Hook-Installation-Target-Type"] = "repository"
            headers["X-GitHub-Hook-Installation-Target-ID"] = str(repo.id)
        if self.hook["secret"]:
            headers["X-Hub-Signature-256"] = signature(self.hook["secret"], body)
            headers["X-Hub-Signature"] = "sha1=" + hmac.new(self.hook["secret"].encode(), body, "sha1").hexdigest()
        delivery = Delivery(headers["X-GitHub-Delivery"], event, action, self.hook["url"], body, headers)
        self.deliveries.append(delivery)
        return delivery

    def send(self, deliveries: list[Delivery]) -> None:
        """POST deliveries in order (outside the state lock: receivers may call back)."""
        for delivery in deliveries:
            if delivery.after is not None:
                delivery.after.wait(DELIVERY_TIMEOUT + 5)
            status, error = None, None
            request = urllib.request.Request(delivery.url, delivery.body, delivery.headers, method="POST")
            try:
                with NO_PROXY.open(request, timeout=DELIVERY_TIMEOUT) as response:
                    status = response.status
            except urllib.error.HTTPError as failure:
                status = failure.code
            except OSError as failure:
                error = str(failure)
            finally:
                with self.lock:
                    delivery.status, delivery.error = status, error
                if delivery.done is not None:
                    delivery.done.set()

    # ------------------------------------------------------------------ control API

    def handle_control(self, method: str, path: str, query: dict, raw_body: bytes, headers: Message,
                       base: str, root: str) -> Reply:
        routes: list[tuple[str, str, Callable[..., Any]]] = [
            ("POST", "reset", lambda data: self.reset()),
            ("POST", "repos", self.control_repos),
            ("POST", "auth", self.control_auth),
            ("POST", "config", self.control_config),
            ("POST", "rate-limit", self.control_rate_limit),
            ("POST", "webhooks", self.control_webhooks),
            ("POST", "webhooks/ping", lambda data: self.control_ping(base, root)),
            ("POST", "webhooks/redeliver", self.control_redeliver),
            ("GET", "deliveries", lambda data: [d.summary() for d in self.deliveries]),
            ("GET", "runs", lambda data: [self.control_run(r.id, base, root) for r in self.runs.values()]),
            ("GET", r"runs/(\d+)", lambda data, run_id: self.control_run(int(run_id), base, root)),
            ("POST", r"runs/(\d+)/advance", lambda data, run_id: self.control_advance(data, int(run_id), base, root)),
            ("GET", "requests", lambda data: list(self.requests)),
            ("GET", "violations", lambda data: list(self.violations)),
            ("GET", "jwt-claims", lambda data: list(self.jwt_claims)),
            ("GET", "log-fetches", lambda data: list(self.log_fetches)),
            ("GET", r"logs/(\d+|jobs/\d+)", lambda data, name: self.fetch_log(name, query, headers)),
        ]
        for verb, pattern, action in routes:
            found = re.fullmatch("/_fake/" + pattern, path)
            if found and verb == method:
                try:
                    data = json.loads(raw_body) if raw_body else {}
                    with self.lock:
                        result = action(data, *found.groups())
                except (KeyError, TypeError, ValueError) as error:
                    return Reply(400, {"message": f"bad control request: {error!r}"})
                except ApiError as error:
                    return error.reply
                return result if isinstance(result, Reply) else Reply(200, {} if result is None else result)
        return Reply(404, {"message": f"no control endpoint {method} {path}"})

    def control_repos(self, data: dict) -> dict:
        key = (data["owner"].lower(), data["repo"].lower())
        previous = self.repos.get(key)
        if previous is None:
            repo_id, self.next_repo_id = self.next_repo_id, self.next_repo_id + 1
        else:
            repo_id = previous.id
        default_branch = data.get("default_branch", "main")
        workflows = [Workflow(id=int(w["id"]), file=w["file"], name=w.get("name", w["file"]),
                              dispatch=w.get("dispatch", True), on_default_branch=w.get("on_default_branch", True),
                              inputs=list(w.get("inputs", [])), run_name=w.get("run_name"), created_at=utcnow())
                     for w in data.get("workflows", [])]
        self.repos[key] = Repo(repo_id, data["owner"], data["repo"], default_branch,
                               set(data.get("refs", [])) | {default_branch}, workflows)
        return {"id": repo_id}

    def control_auth(self, data: dict) -> None:
        if "tokens" in data:
            self.tokens = set(data["tokens"])
        if "app" in data:
            app = data["app"]
            self.app = {"app_id": str(app["app_id"]), "public_key_pem": app["public_key_pem"],
                        "installation_id": int(app.get("installation_id", 1)),
                        "token_ttl_seconds": int(app.get("token_ttl_seconds", 3600))}

    def control_config(self, data: dict) -> dict:
        unknown = set(data) - set(self.config)
        if unknown or data.get("auto_conclusion", "success") not in RUN_CONCLUSIONS:
            raise ValueError(f"unknown config keys {sorted(unknown)} or bad auto_conclusion")
        self.config.update(data)
        return self.config

    def control_rate_limit(self, data: dict) -> None:
        mode = data["mode"]
        if mode == "off":
            self.limit = None
        elif mode in ("retry_after", "reset"):
            self.limit = {"mode": mode, "status": int(data.get("status", 429 if mode == "retry_after" else 403)),
                          "retry_after": int(data.get("retry_after", 1)), "reset_in": int(data.get("reset_in", 1)),
                          "count": int(data.get("count", 1))}
        else:
            raise ValueError(f"unknown mode {mode!r}")

    def control_webhooks(self, data: dict) -> dict:
        self.hook = {"id": self.next_hook_id, "url": data["url"], "secret": data.get("secret") or "",
                     "created_at": utcnow()}
        self.next_hook_id += 1
        return {"hook_id": self.hook["id"]}

    def control_ping(self, base: str, root: str) -> Reply:
        if self.hook is None:
            raise ValueError("no webhook registered")
        hook_id, created = self.hook["id"], iso(self.hook["created_at"])
        hook_api = f"{base}/hooks/{hook_id}"
        payload = {"zen": "Keep it logically awesome.", "hook_id": hook_id,
                   "hook": {"type": "Repository", "id": hook_id, "name": "web", "active": True,
                            "events": ["workflow_run"], "created_at": created, "updated_at": created,
                            "config": {"content_type": "json", "insecure_ssl": "0", "url": self.hook["url"]},
                            "url": hook_api, "test_url": f"{hook_api}/test", "ping_url": f"{hook_api}/pings",
                            "deliveries_url": f"{hook_api}/deliveries"},
                   "sender": self.user_json(*USER, base, root)}
        delivery = self.prepare("ping", None, payload, "webhook-ping", None)
        return self.send_now(delivery)

    def control_redeliver(self, data: dict) -> Reply:
        original = next((d for d in self.deliveries if d.delivery_id == data["delivery_id"]), None)
        if original is None:
            raise ApiError(404, "Not Found")
        again = Delivery(original.delivery_id, original.event, original.action, original.url,
                         original.body, original.headers, original.run_id, redelivery=True)
        self.deliveries.append(again)
        return self.send_now(again)

    def send_now(self, delivery: Delivery) -> Reply:
        """Send while the caller holds the lock re-entrantly: release it around the POST."""
        self.lock.release()
        try:
            self.send([delivery])
        finally:
            self.lock.acquire()
        return Reply(200, {"delivery_id": delivery.delivery_id, "status": delivery.status, "error": delivery.error})

    def control_run(self, run_id: int, base: str, root: str) -> dict:
        run = self.runs.get(run_id)
        if run is None:
            raise ApiError(404, "Not Found")
        return {**self.run_json(run, base, root), "inputs": run.inputs}

    def control_advance(self, data: dict, run_id: int, base: str, root: str) -> dict:
        run = self.runs.get(run_id)
        if run is None:
            raise ApiError(404, "Not Found")
        status = data["status"]
        conclusion = data.get("conclusion", "success") if status == "completed" else None
        if status not in RUN_STATUSES or (conclusion is not None and conclusion not in RUN_CONCLUSIONS):
            raise ValueError(f"bad status/conclusion {status!r}/{conclusion!r}")
        deliveries = self.set_state(run, status, conclusion)
        for delivery in deliveries:
            self.send_now(delivery)
        return {"run": self.control_run(run_id, base, root),
                "deliveries": [{"delivery_id": d.delivery_id, "status": d.status} for d in deliveries]}

    def fetch_log(self, name: str, query: dict, headers: Message) -> Reply:
        authorization_sent = "Authorization" in headers
        if name.startswith("jobs/"):
            run_id, attempt = divmod(int(name.removeprefix("jobs/")), JOBS_PER_RUN)
            exists = run_id in self.runs and 1 <= attempt <= len(self.runs[run_id].attempts)
            reply = Reply(200, f"{iso(utcnow())} Fake log for job {name[5:]}\n".encode(), content_type="text/plain")
        else:
            exists = int(name) in self.runs
            reply = Reply(200, EMPTY_ZIP, content_type="application/zip")
        if self.log_links.get(query.get("sig", ""), 0) < time.time():
            reply = Reply(403, b"<Error><Code>AuthenticationFailed</Code></Error>", content_type="application/xml")
        elif not exists:
            reply = Reply(404, b"<Error><Code>BlobNotFound</Code></Error>", content_type="application/xml")
        if authorization_sent:
            self.violations.append(f"GET /_fake/logs/{name}: Authorization header sent to the signed log URL")
        self.log_fetches.append({"path": f"/_fake/logs/{name}", "authorization_sent": authorization_sent,
                                 "status": reply.status})
        return reply


def paginate(call: Call, items: list) -> tuple[list, dict[str, str]]:
    """Slice for per_page/page and build GitHub's Link header."""
    per_page = min(max(int(call.query.get("per_page", 30)), 1), 100)
    page = max(int(call.query.get("page", 1)), 1)
    last = max(1, -(-len(items) // per_page))

    def link(number: int, rel: str) -> str:
        query = urllib.parse.urlencode({**call.query, "page": number})
        return f'<{call.base}{call.path}?{query}>; rel="{rel}"'

    links = []
    if page < last:
        links += [link(page + 1, "next"), link(last, "last")]
    if page > 1:
        links += [link(page - 1, "prev"), link(1, "first")]
    return items[(page - 1) * per_page:page * per_page], {"Link": ", ".join(links)} if links else {}


# ----------------------------------------------------------------------------- HTTP layer

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "GitHubFake/1.0"
    server: FakeServer

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        raw_body = self.read_body()
        has_prefix = url.path == API_PREFIX or url.path.startswith(API_PREFIX + "/")
        path = url.path[len(API_PREFIX):] if has_prefix else url.path
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        root = f"http://{self.headers.get('Host') or '127.0.0.1:%d' % self.server.server_port}"
        base = root + (API_PREFIX if has_prefix else "")
        fake = self.server.fake
        if path.startswith("/_fake/"):
            self.write(fake.handle_control(self.command, path, query, raw_body, self.headers, base, root))
            return
        reply = fake.handle_api(Call(self.command, url.path, path or "/", query, self.headers, raw_body, base, root))
        fake.send(reply.notify_now)
        self.write(reply)
        if reply.notify_later:
            threading.Thread(target=fake.send, args=(reply.notify_later,), daemon=True).start()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def write(self, reply: Reply) -> None:
        data = reply.payload()
        self.send_response(reply.status)
        if data:
            self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, fake: Fake):
        super().__init__(("127.0.0.1", port), Handler)
        self.fake = fake


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--spec", type=Path, default=Path(__file__).with_name("github-actions-openapi-subset.json"))
    args = parser.parse_args()
    server = FakeServer(args.port, Fake(Contract(args.spec)))
    print(f"listening on {server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
