#!/usr/bin/env python3
"""The dashboard in a real browser (headless Chromium through selenium), for scripts/dashboard-browser-test.

Usage:
  dashboard-browser-test.py prepare BASE_URL TOKEN DEMO_PID   phase one (the demo with no wait for payment)
  dashboard-browser-test.py test    BASE_URL TOKEN DEMO_PID   phase two (orders sleep 600 s): the tests

`prepare` leaves a declined order failed (browser-declined) and starts a send-report run
(browser-flaky) whose render step fails on its first two attempts in a process; it stops the
demo (SIGTERM) while that step waits out its second back-off. In the next process the step's
attempts 3 and 4 are that process's first and second, so they fail too and the run fails for
good; a retry (fresh attempts, the third in that process) then completes it.

`test` seeds sleeping orders and hostile input through the JSON API, signs in through the
dashboard's login form and runs the tests in order (the last one needs the demo's `heartbeat`
schedule, which it declares with HOOKFLOW_DEMO_HEARTBEAT_SECONDS set), one line each (`PASS name` or
`FAIL name: reason`), then `dashboard-browser-test: N passed, M failed`; exits 1 on a failure.
Each test leaves a screenshot in .build/dashboard-screenshots/<name>.png.
"""
import http.server
import json
import os
import re
import signal
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import (
    NoAlertPresentException, NoSuchElementException, StaleElementReferenceException, TimeoutException,
    UnexpectedAlertPresentException, WebDriverException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / ".build" / "dashboard-screenshots"
PREFIX = "dashboard-browser-test"

mode, base, token, pid = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3], int(sys.argv[4])
API = "/hookflow/api"
DASH = "/hookflow/dashboard"
B = base + DASH
WAIT = 10  # seconds any one browser condition may take


class Failure(Exception):
    """A test's expectation that did not hold; its message is the reason printed."""


def check(condition, reason):
    if not condition:
        raise Failure(reason)


# --- The JSON API -------------------------------------------------------------------------

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
        raise Failure(f"{method} {path} answered {got}, not {status}: {answer}")
    return answer


def alive():
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def wait_for(what, probe, timeout=30, interval=0.2):
    deadline = time.monotonic() + timeout
    while True:
        if not alive():
            raise Failure(f"the demo exited while waiting for {what}")
        try:
            value = probe()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            value = None
        if value:
            return value
        if time.monotonic() >= deadline:
            raise Failure(f"no {what} after {timeout} s")
        time.sleep(interval)


def run_of(run_id):
    status, answer = call("GET", f"{API}/runs/{urllib.parse.quote(run_id, safe='')}")
    return answer if status == 200 and isinstance(answer, dict) else None


def status_of(run_id):
    return (run_of(run_id) or {}).get("status")


def wait_status(run_id, statuses, timeout=30):
    statuses = {statuses} if isinstance(statuses, str) else set(statuses)
    return wait_for(f"run {run_id} {' or '.join(sorted(statuses))} (it is {status_of(run_id)})",
                    lambda: status_of(run_id) if status_of(run_id) in statuses else None, timeout)


def order(run_id, order_id):
    expect(200, "POST", "/orders", {"order_id": order_id, "run_id": run_id})


def step_of(run, step_id):
    return next((step for step in (run or {}).get("steps", []) if step.get("step_id") == step_id), None)


# --- Phase one ----------------------------------------------------------------------------

def prepare():
    wait_for("answer from the demo", lambda: call("GET", f"{API}/openapi.json")[0] == 200, timeout=60)
    order("browser-declined", "declined-browser")
    wait_status("browser-declined", "failed")
    expect(201, "POST", f"{API}/workflows/send-report/runs",
           {"input": {"email": "flaky@example.com"}, "run_id": "browser-flaky"})
    # Attempt 1 fails, about 1 s back-off, attempt 2 fails, about 2 s back-off: stop the demo in that one.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        run = run_of("browser-flaky")
        render = step_of(run, "render")
        if render and render.get("status") == "retrying" and render.get("attempts") == 2 and run["status"] == "sleeping":
            os.kill(pid, signal.SIGTERM)
            print(f"{PREFIX}: stopped the demo while browser-flaky's render step waits to retry (2 attempts failed)")
            return 0
        if run and (run["status"] in ("completed", "failed") or (render and render.get("attempts", 0) > 2)):
            break
        time.sleep(0.05)
    run = run_of("browser-flaky")
    print(f"{PREFIX}: note: could not stop the demo between browser-flaky's render attempts "
          f"(run {run and run['status']}, render {step_of(run, 'render')}); "
          "the retry test falls back to the declined order", file=sys.stderr)
    return 0


# --- The browser --------------------------------------------------------------------------

driver = None


def start_browser():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("HOOKFLOW_CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900",
                     "--disable-dev-shm-usage", "--no-first-run", "--lang=en-US"):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs", {"credentials_enable_service": False, "profile.password_manager_enabled": False,
                  "profile.password_manager_leak_detection": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(os.environ.get("HOOKFLOW_CHROMEDRIVER", "/usr/bin/chromedriver"))
    browser = webdriver.Chrome(service=service, options=options)
    browser.set_page_load_timeout(30)
    browser.set_script_timeout(10)
    return browser


def js(script, *args):
    return driver.execute_script(script, *args)


def wait(condition, timeout=WAIT, message=""):
    """Polls `condition(driver)` until it is truthy, like WebDriverWait, but takes any WebDriver error
    (a node swapped out, a document unloading mid-script) as "not yet"; an alert is raised at once."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            value = condition(driver)
            if value:
                return value
        except UnexpectedAlertPresentException:
            raise
        except WebDriverException as error:
            last = error
        if time.monotonic() >= deadline:
            detail = f" (last error: {' '.join((last.msg or '').split())[:160]})" if last else ""
            raise TimeoutException((message or "a condition did not hold") + detail)
        time.sleep(0.1)


def gone(element):
    """A condition: `element` left the document (its page was replaced)."""
    def probe(_):
        try:
            element.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            # Chromedriver's way of saying "stale" while the next document loads.
            return "does not belong to the document" in (error.msg or "")
    return probe


def load(path):
    driver.get(B + path)
    wait(lambda d: js("return document.readyState") == "complete", message=f"{path} did not finish loading")


def css(selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def one(selector, what=None):
    found = css(selector)
    check(found, f"no {what or selector} on {driver.current_url}")
    return found[0]


def no_alert():
    """Raises Failure when an alert is open (a script the page should not have run)."""
    try:
        alert = driver.switch_to.alert
    except NoAlertPresentException:
        return
    text = alert.text
    alert.dismiss()
    raise Failure(f"an alert opened ({text!r}): stored text ran as script")


# The run's status as its page shows it: the page head's badge, or the Status fact.
PAGE_STATUS = """
const head = document.querySelector('#main .page-head .badge');
if (head) return head.textContent.trim().toLowerCase();
for (const row of document.querySelectorAll('#main dl.facts > div')) {
  const dt = row.querySelector('dt');
  if (dt && dt.textContent.trim().toLowerCase() === 'status') {
    const dd = row.querySelector('dd');
    const badge = dd && (dd.querySelector('.badge') || dd);
    return badge ? badge.textContent.trim().toLowerCase() : null;
  }
}
return null;
"""


def page_status():
    return js(PAGE_STATUS)


def flash_classes():
    return js("return [...document.querySelectorAll('#flash .flash')].map(f => f.className + ': ' + f.textContent.trim())")


def unswapped(action, attempts=3):
    """Runs `action`, again when the page's auto-refresh swapped #main under it (a stale element)."""
    for attempt in range(attempts):
        try:
            return action()
        except StaleElementReferenceException:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2)


def click_action(suffix):
    """Clicks the button of the action form whose action ends with `suffix`, accepting its confirm()."""
    def press():
        form = one(f'#main form[action$="{suffix}"]', f"form posting to …{suffix}")
        check(form.get_attribute("data-action") is not None, f"the {suffix} form has no data-action")
        button = form.find_element(By.CSS_SELECTOR, "button[type=submit], button:not([type]), input[type=submit]")
        asks = form.get_attribute("data-confirm") is not None
        button.click()
        return asks
    asks = unswapped(press)
    if asks:
        try:
            alert = WebDriverWait(driver, 5).until(EC.alert_is_present())
        except TimeoutException:
            raise Failure(f"the {suffix} form has data-confirm but no confirm() opened")
        alert.accept()


def cookie_header():
    return "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def raw(method, path, body=None, cookies=None):
    """A request to the dashboard with no browser around it: (status, headers, text); redirects not followed."""
    request = urllib.request.Request(
        B + path, method=method,
        data=None if body is None else urllib.parse.urlencode(body).encode())
    if body is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    if cookies:
        request.add_header("Cookie", cookies)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")


# --- The tests ----------------------------------------------------------------------------

def test_login():
    # Not signed in: no page of runs (the contract does not say whether a redirect or a refusal).
    status, headers, text = raw("GET", "/runs")
    check(status != 200 or ('class="login' in text and "<table" not in text),
          f"GET {DASH}/runs without signing in answered {status} with the page")
    if 300 <= status < 400:
        check("/login" in (headers.get("Location") or ""), f"without signing in, {DASH}/runs redirects to "
              f"{headers.get('Location')!r}, not the login page")
    load("/login")
    # A wrong token is refused: the login form again.
    field = one("form.login input[name=token]", "login form's token field")
    check(field.get_attribute("type") == "password", "the token field is not type=password")
    field.send_keys("not-the-token")
    submit = one("form.login button, form.login input[type=submit]", "login form's button")
    submit.click()
    wait(gone(submit), message="submitting the login form loaded no page")
    wait(lambda d: js("return document.readyState") == "complete")
    check(css("form.login"), "a wrong token was not answered with the login form")
    check(not css("#main table.data"), "a wrong token showed data")
    # The right one signs in.
    field = one("form.login input[name=token]")
    field.clear()
    field.send_keys(token)
    submit = one("form.login button, form.login input[type=submit]")
    submit.click()
    wait(gone(submit), message="submitting the login form loaded no page")
    wait(lambda d: not css("form.login") and not d.current_url.split("?")[0].endswith("/login"),
         message=f"still on the login page after signing in with the token ({driver.current_url})")
    load("/runs")
    check(not driver.current_url.split("?")[0].endswith("/login"), "the runs page still sends to the login page")
    one("#main table.data", "runs table after signing in")


def test_overview():
    load("/")
    links = js("return [...document.querySelectorAll('header.topbar nav.nav a')].map(a => a.getAttribute('href'))")
    check(links, "no nav (header.topbar nav.nav a)")
    for section in ("/runs", "/workflows", "/schedules", "/dead-letters"):
        check(any((href or "").rstrip("/").endswith(DASH + section) for href in links),
              f"the nav has no link to {DASH}{section}: {links}")
    cards = css("#main .card")
    check(cards, "no .card on the overview")
    check(one("meta[name=hookflow-base]").get_attribute("content") == DASH, "meta hookflow-base is not " + DASH)
    errors = [entry["message"] for entry in driver.get_log("browser")
              if entry.get("level") == "SEVERE" and ("dashboard.js" in entry["message"] or "Uncaught" in entry["message"])]
    check(not errors, f"script errors: {errors}")


def choose(name, value):
    """Selects `value` in the filter form's select `name`; a data-autosubmit select loads the page."""
    def pick():
        select = one(f"form.filters select[name={name}]", f"filter select {name}")
        autosubmit = select.get_attribute("data-autosubmit") is not None
        chooser = Select(select)
        try:
            chooser.select_by_value(value)
        except NoSuchElementException:
            chooser.select_by_visible_text(value)
        return select, autosubmit
    select, autosubmit = unswapped(pick)
    if autosubmit:
        wait(gone(select), message=f"the data-autosubmit select {name} submitted nothing")
        wait(lambda d: js("return document.readyState") == "complete")


def row_statuses():
    return js("""
        return [...document.querySelectorAll('#main table.data tbody tr')].map(row => {
          const badge = row.querySelector('.badge[class*="status-"]') || row.querySelector('.badge');
          return badge ? badge.textContent.trim() : null;
        });""")


def filter_state():
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(driver.current_url).query)
    selects = js("return [...document.querySelectorAll('form.filters select')].map(s => [s.name, s.value])")
    return {k: v for k, v in query.items()}, dict(selects)


def test_runs_filter():
    load("/runs")
    choose("workflow", "process-order")
    choose("status", "sleeping")
    def press():
        button = one("form.filters button[type=submit], form.filters input[type=submit]", "the filter form's button")
        button.click()
        return button
    button = unswapped(press)
    wait(gone(button), message="the Filter button loaded no page")
    wait(lambda d: js("return document.readyState") == "complete")
    query, selects = filter_state()
    check(query.get("workflow") == ["process-order"] and query.get("status") == ["sleeping"],
          f"the URL does not hold the filters: {driver.current_url}")
    check(selects.get("workflow") == "process-order" and selects.get("status") == "sleeping",
          f"the selects do not show the filters: {selects}")
    statuses = row_statuses()
    check(statuses, "no rows, though sleeping process-order runs exist")
    check(all(s == "sleeping" for s in statuses), f"rows that are not sleeping: {statuses}")

    refresh = one("#main", "#main").get_attribute("data-refresh")
    check(refresh and refresh.strip().isdigit() and int(refresh) > 0,
          f"the runs page's #main has no data-refresh (got {refresh!r})")
    seconds = int(refresh)
    url = driver.current_url
    # Marks: the window (gone on a page load) and #main's first child (gone when #main is swapped).
    js("window.__marker = 42; document.querySelector('#main').firstElementChild.__hookflowOld = true;")
    start = time.monotonic()
    try:
        wait(lambda d: js("const f = document.querySelector('#main').firstElementChild; return !f || !f.__hookflowOld"),
             timeout=seconds + 2, message="")
    except TimeoutException:
        raise Failure(f"#main was not refreshed within data-refresh + 2 = {seconds + 2} s")
    remaining = seconds + 2 - (time.monotonic() - start)
    if remaining > 0:
        time.sleep(remaining)
    check(js("return window.__marker") == 42, "the page was loaded again instead of refreshed in place")
    check(driver.current_url == url, f"the URL changed with the refresh: {url} → {driver.current_url}")
    query, selects = filter_state()
    check(query.get("workflow") == ["process-order"] and query.get("status") == ["sleeping"],
          f"the URL lost the filters after the refresh: {driver.current_url}")
    check(selects.get("workflow") == "process-order" and selects.get("status") == "sleeping",
          f"the selects lost the filters after the refresh: {selects}")
    statuses = row_statuses()
    check(statuses and all(s == "sleeping" for s in statuses), f"after the refresh the rows are {statuses}")
    notes = css(".refresh-note")
    if notes:
        check(notes[0].text.strip(), "the .refresh-note says nothing after a refresh")


def test_run_cancel():
    run_id = "browser-cancel"
    check(status_of(run_id) == "sleeping", f"{run_id} is {status_of(run_id)}, not sleeping")
    load(f"/runs/{run_id}")
    steps = css("#main .timeline .step")
    check(len(steps) >= 2, f"the timeline shows {len(steps)} steps, not validate and wait-for-payment")
    ids = js("return [...document.querySelectorAll('#main .timeline .step .step-id')].map(s => s.textContent.trim())")
    check("validate" in ids and "wait-for-payment" in ids, f"the timeline's step ids are {ids}")
    check(page_status() == "sleeping", f"the page says {page_status()!r}, not sleeping")
    js("window.__marker = 42")
    click_action("/cancel")
    try:
        wait(lambda d: page_status() == "cancelled")
    except TimeoutException:
        raise Failure(f"the page still says {page_status()!r} {WAIT} s after Cancel run (flash: {flash_classes()})")
    check(js("return window.__marker") == 42, "the page was loaded again: the action did not swap #main in place")
    flashes = flash_classes()
    check(any("flash-ok" in f for f in flashes), f"no success flash in #flash after cancelling: {flashes}")
    check(status_of(run_id) == "cancelled", f"the API says {run_id} is {status_of(run_id)}")


def test_run_retry():
    status = wait_status("browser-flaky", ("failed", "completed"), timeout=45)
    run_id, completes = ("browser-flaky", True) if status == "failed" else ("browser-declined", False)
    if not completes:
        print(f"{PREFIX}: note: browser-flaky {status}; retrying the declined order (it fails again)", file=sys.stderr)
    check(status_of(run_id) == "failed", f"{run_id} is {status_of(run_id)}, not failed")
    load(f"/runs/{run_id}")
    check(page_status() == "failed", f"the page says {page_status()!r}, not failed")
    js("window.__marker = 42")
    click_action("/retry")
    if completes:
        try:
            wait(lambda d: page_status() not in ("failed", None))
        except TimeoutException:
            raise Failure(f"the page still says {page_status()!r} {WAIT} s after Retry (flash: {flash_classes()})")
        check(js("return window.__marker") == 42, "the page was loaded again: the action did not swap #main in place")
        wait_status(run_id, "completed", timeout=20)
    else:
        # It fails again at once: the retry shows as its replayed dead letter and the success flash.
        wait(lambda d: any("flash-ok" in f for f in flash_classes()),
             message=f"no success flash after Retry (flash: {flash_classes()})")
        check(js("return window.__marker") == 42, "the page was loaded again: the action did not swap #main in place")
        letters = expect(200, "GET", f"{API}/dead-letters?run_id={run_id}")["dead_letters"]
        check(any(letter.get("replayed_at") for letter in letters), f"no replayed dead letter of {run_id}: {letters}")


SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def hostile_page(path, literals):
    """Opens `path`: no alert, no element the stored text would make, and one of `literals` shown as text."""
    try:
        load(path)
        time.sleep(1)  # the page's script rewrites times and may refresh
        no_alert()
        injected = js("return document.querySelectorAll('#main script, img[onerror], [onerror]').length")
        check(injected == 0, f"{path}: {injected} elements from the stored text (script, onerror)")
        text = one("body").text
        check(any(literal in text for literal in literals),
              f"{path}: the page does not show {literals[0]!r} as text")
    except UnexpectedAlertPresentException as error:
        raise Failure(f"{path}: an alert opened ({error.alert_text!r}): stored text ran as script")


def test_xss():
    # JSON text may escape the slash; both spellings are text, not markup.
    hostile_page("/runs/browser-xss-script", [SCRIPT, SCRIPT.replace("</", "<\\/")])
    hostile_page("/runs/browser-xss-img", [IMG])
    refresh = js("return document.querySelector('#main').dataset.refresh || null")
    if refresh and refresh.isdigit():
        # The sleeping run's page refreshes itself: the swapped-in content must not run it either.
        time.sleep(int(refresh) + 2)
        no_alert()
        check(js("return document.querySelectorAll('#main script, [onerror]').length") == 0,
              "after the refresh, elements from the stored text")
        check(IMG in one("body").text, "after the refresh the page no longer shows the order id as text")
    # Reflected: a filter value and a run id in the URL.
    try:
        load("/runs?prefix=" + urllib.parse.quote('"><img src=x onerror=alert(1)>'))
        time.sleep(0.5)
        no_alert()
        load("/runs/" + urllib.parse.quote(IMG, safe=""))
        time.sleep(0.5)
        no_alert()
        check(js("return document.querySelectorAll('[onerror]').length") == 0, "a run id in the URL became markup")
    except UnexpectedAlertPresentException as error:
        raise Failure(f"an alert opened ({error.alert_text!r}) on {driver.current_url}: the URL ran as script")


class Forger(http.server.BaseHTTPRequestHandler):
    """Serves the attacker's pages (another origin: another port) from `pages`."""
    pages = {}

    def do_GET(self):
        page = self.pages.get(self.path.split("?")[0])
        body = (page or "not found").encode()
        self.send_response(200 if page else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def forged_form(action, fields):
    inputs = "".join(f'<input type="hidden" name="{k}" value="{v}">' for k, v in fields.items())
    return (f'<!doctype html><title>win a prize</title><form id="f" method="post" action="{action}">{inputs}'
            '</form><script>document.getElementById("f").submit()</script>')


def test_csrf():
    target = "browser-csrf-page"
    action = f"{B}/runs/{target}/cancel"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Forger)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    other = f"http://127.0.0.1:{server.server_address[1]}"
    Forger.pages = {
        "/no-token.html": forged_form(action, {"reason": "x"}),
        "/forged-token.html": forged_form(action, {"csrf_token": "forged"}),
    }
    try:
        # Another port on the same host is the same site (SameSite=Strict cookies go along); localhost is
        # another site; a data: page has the origin null.
        attempts = [other + "/no-token.html", other + "/forged-token.html",
                    other.replace("127.0.0.1", "localhost") + "/no-token.html",
                    "data:text/html;charset=utf-8," + urllib.parse.quote(forged_form(action, {}))]
        for page in attempts:
            driver.get(page)
            try:
                wait(lambda d: d.current_url.startswith(B) and js("return document.readyState") == "complete",
                     message="")
            except TimeoutException:
                raise Failure(f"the form on {page[:60]} did not post to the dashboard (at {driver.current_url})")
            time.sleep(0.3)
            status = status_of(target)
            check(status == "sleeping", f"a form posted from {page[:60]} left {target} {status}")
    finally:
        server.shutdown()
        server.server_close()

    # Without a browser: the session's cookies but no csrf_token field is 403; with the field, the action runs.
    load("/runs/browser-csrf-raw")
    cookies = cookie_header()
    check(cookies, "the browser holds no cookie for the dashboard")
    csrf = js("""const f = document.querySelector('#main form[action$="/cancel"] input[name=csrf_token]');
                 return f ? f.value : null;""")
    check(csrf, "the cancel form has no csrf_token field, or it is empty")
    status, _, _ = raw("POST", "/runs/browser-csrf-raw/cancel", {"reason": "x"}, cookies)
    check(status == 403, f"a POST with the session cookie and no csrf_token answered {status}, not 403")
    check(status_of("browser-csrf-raw") == "sleeping", f"browser-csrf-raw is {status_of('browser-csrf-raw')}")
    status, _, _ = raw("POST", "/runs/browser-csrf-raw/cancel", {"csrf_token": csrf + "x"}, cookies)
    check(status == 403, f"a POST with a wrong csrf_token answered {status}, not 403")
    check(status_of("browser-csrf-raw") == "sleeping", f"browser-csrf-raw is {status_of('browser-csrf-raw')}")
    status, _, _ = raw("POST", "/runs/browser-csrf-control/cancel", {"csrf_token": csrf}, cookies)
    check(status in (200, 303), f"the same POST with the page's csrf_token answered {status}, not 303")
    wait_status("browser-csrf-control", "cancelled", timeout=10)


def test_phone_width():
    # main() sets the window back to 1280x900 after the screenshot.
    driver.set_window_size(390, 844)
    load("/runs")
    width, inner = js("return [document.documentElement.scrollWidth, window.innerWidth]")
    check(inner <= 400, f"the window is {inner} px wide, not a phone's 390")
    if width > inner + 1:
        wide = js("""
            const w = window.innerWidth + 1;
            return [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > w && !e.closest('.table-wrap'))
              .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().split(/\\s+/).join('.') : '')
                                  + ' (' + Math.round(e.getBoundingClientRect().right) + ' px)');""")
        raise Failure(f"the page is {width} px wide in a {inner} px window; too wide: {wide}")


def test_children():
    load("/runs/browser-batch")
    links = css("section.children a.run-id")
    check(len(links) == 2, f"the batch's page links {len(links)} children, not 2")
    hrefs = sorted(link.get_attribute("href") for link in links)
    check(all("/runs/browser-batch%3Aprocess-order" in href or "/runs/browser-batch:process-order" in href for href in hrefs),
          f"the children's links are {hrefs}")
    child = hrefs[0]
    driver.get(child)
    wait(lambda d: d.find_elements(By.XPATH, "//dt[text()='Parent run']"), message=f"{child} shows no parent run")
    parent = one("dl.facts a.run-id", "the parent run's link")
    check(parent.get_attribute("title") == "browser-batch", f"the child's parent link names {parent.get_attribute('title')!r}")
    parent.click()
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "section.children"), message="the parent link did not lead back to the batch")


def schedule_state(name):
    """The state badge of the schedule's row on the schedules page (`active`, `paused`), or None."""
    return js("""const row = document.getElementById('schedule-' + arguments[0]);
                 const badge = row && row.querySelector('.badge');
                 return badge ? badge.textContent.trim() : null;""", name)


def schedule_paused(name):
    return expect(200, "GET", f"{API}/schedules/{name}").get("paused")


def press_schedule(name, action, state):
    """Presses the schedule's `action` button and waits for its row to show `state`, swapped in place."""
    js("window.__marker = 42")
    click_action(f"/schedules/{name}/{action}")
    try:
        wait(lambda d: schedule_state(name) == state)
    except TimeoutException:
        raise Failure(f"the schedule is {schedule_state(name)!r}, not {state}, {WAIT} s after {action} (flash: {flash_classes()})")
    check(js("return window.__marker") == 42, f"the page was loaded again: {action} did not swap #main in place")
    check(any("flash-ok" in f for f in flash_classes()), f"no success flash after {action}: {flash_classes()}")


def test_schedules():
    name = "heartbeat"
    status, _ = call("GET", f"{API}/schedules/{name}")
    check(status == 200, f"the demo has no {name} schedule (GET {API}/schedules/{name} answered {status}): "
                         "it declares one when started with HOOKFLOW_DEMO_HEARTBEAT_SECONDS")
    load("/schedules")
    check(one(f'header.topbar nav.nav a[href="{DASH}/schedules"]', "nav link to Schedules").get_attribute("aria-current") == "page",
          "the nav does not mark Schedules as the current page")
    row = js("const r = document.getElementById('schedule-' + arguments[0]); return r ? r.textContent : null;", name)
    check(row is not None, f"no row of the {name} schedule on {driver.current_url}")
    check("every" in row, f"the {name} row does not show its interval: {row!r}")
    check(schedule_state(name) == "active", f"the {name} schedule is {schedule_state(name)!r}, not active")
    check(css(f"#main tr#schedule-{name} time[datetime]"), f"the {name} row shows no next fire time")

    press_schedule(name, "pause", "paused")
    check(schedule_paused(name) is True, f"the API says {name} is not paused after Pause")
    press_schedule(name, "resume", "active")
    check(schedule_paused(name) is False, f"the API says {name} is still paused after Resume")

    click_action(f"/schedules/{name}/trigger")
    try:
        wait(lambda d: "/runs/" in d.current_url and d.find_elements(By.XPATH, "//dl[@class='facts']//dt[text()='Schedule']"))
    except TimeoutException:
        raise Failure(f"Run now did not lead to a run page showing its schedule (at {driver.current_url}, flash: {flash_classes()})")
    run_id = urllib.parse.unquote(driver.current_url.split("/runs/", 1)[1].split("?")[0])
    check((run_of(run_id) or {}).get("schedule") == name, f"the run {run_id} Run now started does not name {name}")
    def follow():
        link = one("dl.facts dd a[href*='schedule=']", "the run's link to its schedule's runs")
        check(link.text.strip() == name, f"the run's schedule link says {link.text!r}, not {name}")
        link.click()
    unswapped(follow)
    try:
        wait(lambda d: f"schedule={name}" in d.current_url and js("return document.readyState") == "complete")
    except TimeoutException:
        raise Failure(f"the schedule link did not lead to the runs it started (at {driver.current_url})")
    rows = js("""return [...document.querySelectorAll('#main table.data tbody tr')].map(row => {
                   const run = row.querySelector('a.run-id'), by = row.querySelector('.subline a');
                   return [run ? run.title : null, by ? by.textContent.trim() : null];
                 });""")
    check(rows, f"the runs of {name} list no run")
    check(all(by == name for _, by in rows), f"rows that {name} did not start: {rows}")
    check(any(run == run_id for run, _ in rows), f"the runs of {name} do not list {run_id}: {rows}")


TESTS = [
    ("login", test_login),
    ("overview", test_overview),
    ("runs-filter", test_runs_filter),
    ("run-cancel", test_run_cancel),
    ("run-retry", test_run_retry),
    ("xss", test_xss),
    ("csrf", test_csrf),
    ("phone-width", test_phone_width),
    ("children", test_children),
    ("schedules", test_schedules),
]


def seed():
    wait_for("answer from the demo", lambda: call("GET", f"{API}/openapi.json")[0] == 200, timeout=60)
    sleepers = ["browser-filter-1", "browser-filter-2", "browser-cancel",
                "browser-csrf-page", "browser-csrf-raw", "browser-csrf-control"]
    for n, run_id in enumerate(sleepers):
        order(run_id, f"B-{n}")
    # Hostile text, stored as it came: the demo validates neither the email nor the order id.
    expect(201, "POST", f"{API}/workflows/send-report/runs", {"input": {"email": SCRIPT}, "run_id": "browser-xss-script"})
    expect(201, "POST", f"{API}/workflows/process-order/runs", {"input": {"order_id": IMG}, "run_id": "browser-xss-img"})
    # A batch: one process-order child run per order.
    expect(201, "POST", f"{API}/workflows/fulfil-batch/runs", {"input": {"orders": ["C-1", "C-2"]}, "run_id": "browser-batch"})
    for run_id in sleepers + ["browser-xss-img", "browser-batch"]:
        wait_status(run_id, "sleeping")


def screenshot(name):
    try:
        try:
            driver.switch_to.alert.dismiss()
        except NoAlertPresentException:
            pass
        driver.save_screenshot(str(SHOTS / f"{name}.png"))
    except WebDriverException as error:
        print(f"{PREFIX}: no screenshot for {name}: {error.msg}", file=sys.stderr)


def main():
    global driver
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    try:
        seed()
    except Failure as error:
        print(f"FAIL seed: {error}")
        print(f"{PREFIX}: 0 passed, {len(TESTS)} failed")
        return 1
    driver = start_browser()
    passed = failed = 0
    signed_in = True
    try:
        for name, test in TESTS:
            try:
                if not signed_in:
                    raise Failure("not signed in (the login test failed)")
                test()
            except Failure as error:
                reason = str(error)
            except TimeoutException as error:
                reason = f"timed out: {error.msg or 'a condition did not hold'}"
            except UnexpectedAlertPresentException as error:
                reason = f"an alert opened ({error.alert_text!r})"
            except Exception as error:  # noqa: BLE001 (a broken test is a failed test, with its trace)
                reason = f"{type(error).__name__}: {error}"
                traceback.print_exc()
            else:
                reason = None
            screenshot(name)
            try:
                driver.set_window_size(1280, 900)
            except WebDriverException:
                pass
            if reason is None:
                passed += 1
                print(f"PASS {name}", flush=True)
            else:
                failed += 1
                print(f"FAIL {name}: {' '.join(reason.split())}", flush=True)
                if name == "login":
                    signed_in = False
    finally:
        driver.quit()
    print(f"{PREFIX}: {passed} passed, {failed} failed")
    return 1 if failed else 0


def stop(signum, frame):
    # `timeout` sends SIGTERM: quit the browser on the way out.
    raise SystemExit(124)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, stop)
    if mode == "prepare":
        try:
            sys.exit(prepare())
        except Failure as error:
            sys.exit(f"{PREFIX}: {error}")
    elif mode == "test":
        sys.exit(main())
    else:
        sys.exit(__doc__)
