import Foundation
import Hookflow
import HookflowVapor
import NIOConcurrencyHelpers
import Vapor
import XCTVapor

/// Takes its input and returns it, after an hour's sleep when asked.
private struct Echo: Workflow {
    func run(_ ctx: WorkflowContext<JSON>) async throws -> JSON {
        if ctx.data["sleep"] == true { try await ctx.step.sleep("nap", for: .seconds(3600)) }
        return try await ctx.step.run("echo") { ctx.data }
    }
}

/// Invokes `echo` as its child, and starts one it does not wait for.
private struct Family: Workflow {
    func run(_ ctx: WorkflowContext<JSON>) async throws -> JSON {
        try await ctx.step.start("side", Echo.self, input: ["name": "side"])
        return try await ctx.step.invoke("greet", Echo.self, input: ["name": "child"])
    }
}

/// The dashboard's pages and forms through a real app: what they show, and what they refuse.
final class DashboardTests: XCTestCase {
    private func start(
        token: String? = nil, failing: NIOLockedValueBox<Bool> = .init(true), group: PathComponent? = nil
    ) async throws -> Application {
        let app = try await makeApp { app in
            app.hookflow.register(Echo())
            app.hookflow.register(Family())
            app.hookflow.register(Payment(failing: failing))
            if let token { try app.hookflow.use(apiToken: token) }
            try app.hookflow.mountDashboard(on: group.map { app.grouped($0) } ?? app)
        }
        addTeardownBlock { try await app.asyncShutdown() }
        return app
    }

    func testEveryPageRendersWithTheRunsItShows() async throws {
        let app = try await start()
        let runID = try await app.hookflow.trigger(Echo.self, input: ["name": "first"])
        try await waitFor(runID, toBe: .completed, in: app)
        for path in ["/hookflow/dashboard/", "/hookflow/dashboard/runs", "/hookflow/dashboard/workflows", "/hookflow/dashboard/schedules",
                     "/hookflow/dashboard/dead-letters"] {
            let (response, html) = try await page(app, path)
            XCTAssertEqual(response.status, .ok, path)
            XCTAssertEqual(response.headers.contentType, .html, path)
            XCTAssertTrue(html.contains("<nav class=\"nav\""), path)
            XCTAssertTrue(response.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") ?? false, path)
        }
        let (_, runs) = try await page(app, "/hookflow/dashboard/runs?workflow=echo&status=completed")
        XCTAssertTrue(runs.contains(String(runID.rawValue.prefix(8))), "the runs page does not show the run's id")
        let (_, run) = try await page(app, "/hookflow/dashboard/runs/\(runID)")
        XCTAssertTrue(run.contains("class=\"step-id\">echo</strong>"), "the run page does not show its step")
        XCTAssertTrue(run.contains("title=\"how long its latest attempt took\""), "the timeline does not show the step's start and duration")
        XCTAssertTrue(run.contains("&quot;name&quot; : &quot;first&quot;"), "the run page does not show its input pretty-printed")
        let (css, _) = try await page(app, "/hookflow/dashboard/assets/dashboard.css")
        XCTAssertEqual(css.status, .ok)
        XCTAssertEqual(css.headers.contentType?.subType, "css")
        let (js, _) = try await page(app, "/hookflow/dashboard/assets/dashboard.js")
        XCTAssertEqual(js.status, .ok)
        XCTAssertLessThan(css.body.readableBytes + js.body.readableBytes, 100 * 1024, "the dashboard's own CSS and JS outgrew 100 KB")
        let again = try await app.testable().sendRequest(
            .GET, "/hookflow/dashboard/assets/dashboard.js", headers: ["If-None-Match": js.headers.first(name: .eTag) ?? ""])
        XCTAssertEqual(again.status, .notModified)
    }

    func testARunsValuesAreEscapedText() async throws {
        let app = try await start()
        let hostile = "<script>alert(1)</script>"
        let runID = try await app.hookflow.trigger(Echo.self, input: ["name": .string(hostile)], runID: WorkflowRunID("x<b>\"'"))
        try await waitFor(runID, toBe: .completed, in: app)
        let (response, html) = try await page(app, "/hookflow/dashboard/runs/\(runID.rawValue.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
        XCTAssertEqual(response.status, .ok)
        XCTAssertFalse(html.contains(hostile), "a run's input reached the page as markup")
        XCTAssertFalse(html.contains("x<b>"), "a run id reached the page as markup")
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let (_, list) = try await page(app, "/hookflow/dashboard/runs")
        XCTAssertFalse(list.contains("x<b>"), "a run id reached the list as markup")
    }

    func testAPostWithoutTheFormsTokenOrFromAnotherOriginChangesNothing() async throws {
        let app = try await start()
        let runID = try await app.hookflow.trigger(Echo.self, input: ["sleep": true])
        try await waitFor(runID, toBe: .sleeping, in: app)
        let (first, _) = try await page(app, "/hookflow/dashboard/runs/\(runID)")
        let (cookie, token) = try csrf(first)
        XCTAssertTrue(first.body.string.contains("name=\"csrf_token\" value=\"\(cookie)\""), "the forms do not carry the cookie's token")
        let path = "/hookflow/dashboard/runs/\(runID)/cancel"

        let noToken = try await post(app, path, form: [:], cookie: cookie)
        XCTAssertEqual(noToken.status, .forbidden)
        let wrongToken = try await post(app, path, form: ["csrf_token": "forged"], cookie: cookie)
        XCTAssertEqual(wrongToken.status, .forbidden)
        let noCookie = try await post(app, path, form: ["csrf_token": token], cookie: nil)
        XCTAssertEqual(noCookie.status, .forbidden)
        let otherOrigin = try await post(
            app, path, form: ["csrf_token": token], cookie: cookie, headers: ["Origin": "https://evil.example", "Host": "localhost:8080"])
        XCTAssertEqual(otherOrigin.status, .forbidden)
        let otherSite = try await post(app, path, form: ["csrf_token": token], cookie: cookie, headers: ["Sec-Fetch-Site": "cross-site"])
        XCTAssertEqual(otherSite.status, .forbidden)
        let afterRefusals = try await app.hookflow.engine.store.run(runID)?.status
        XCTAssertEqual(afterRefusals, .sleeping, "a refused POST cancelled the run")

        let allowed = try await post(
            app, path, form: ["csrf_token": token], cookie: cookie, headers: ["Origin": "http://localhost:8080", "Host": "localhost:8080"])
        XCTAssertEqual(allowed.status, .seeOther)
        XCTAssertEqual(allowed.headers.first(name: .location), "/hookflow/dashboard/runs/\(runID)")
        let afterCancel = try await app.hookflow.engine.store.run(runID)?.status
        XCTAssertEqual(afterCancel, .cancelled)
        let again = try await post(app, path, form: ["csrf_token": token], cookie: cookie)
        XCTAssertEqual(again.status, .conflict, "cancelling a finished run did not say so")
        XCTAssertTrue(again.body.string.contains("flash-error"))
    }

    func testAParentLinksItsChildrenAndEachChildItsParent() async throws {
        let app = try await start()
        let parentID = try await app.hookflow.trigger(Family.self, input: nil, runID: "family-1")
        try await waitFor(parentID, toBe: .completed, in: app)
        let (_, parent) = try await page(app, "/hookflow/dashboard/runs/family-1")
        XCTAssertTrue(parent.contains("<h2>Children</h2>"), "the parent's page has no children panel")
        XCTAssertTrue(parent.contains("href=\"/hookflow/dashboard/runs/family-1:greet\""), "the parent does not link its child")
        XCTAssertTrue(parent.contains("href=\"/hookflow/dashboard/runs/family-1:side\""), "the parent does not link its started child")
        XCTAssertTrue(parent.contains(">family-1:greet</a>"), "a child's link does not show its step")
        let (_, child) = try await page(app, "/hookflow/dashboard/runs/family-1:greet")
        XCTAssertTrue(child.contains("<dt>Parent run</dt><dd><a class=\"run-id mono\" href=\"/hookflow/dashboard/runs/family-1\""), child)
        let (_, listed) = try await page(app, "/hookflow/dashboard/runs?parent=family-1")
        XCTAssertTrue(listed.contains("family-1:greet") && listed.contains("family-1:side"), "the runs page does not filter by parent")
        XCTAssertFalse(listed.contains("href=\"/hookflow/dashboard/runs/family-1\""), "the parent is listed among its children")
    }

    func testRetryReRunForkAndTriggerLeadToTheRunTheyLeave() async throws {
        let failing = NIOLockedValueBox(true)
        let app = try await start(failing: failing)
        let failed = try await app.hookflow.trigger(Payment.self, input: [:])
        try await waitFor(failed, toBe: .failed, in: app)
        let (first, _) = try await page(app, "/hookflow/dashboard/runs/\(failed)")
        let (cookie, token) = try csrf(first)
        failing.withLockedValue { $0 = false }
        let retry = try await post(app, "/hookflow/dashboard/runs/\(failed)/retry", form: ["csrf_token": token], cookie: cookie)
        XCTAssertEqual(retry.status, .seeOther)
        XCTAssertEqual(retry.headers.first(name: .location), "/hookflow/dashboard/runs/\(failed)")
        try await waitFor(failed, toBe: .completed, in: app)

        let fork = try await post(
            app, "/hookflow/dashboard/runs/\(failed)/fork", form: ["csrf_token": token, "from_step": "charge"], cookie: cookie)
        XCTAssertEqual(fork.status, .seeOther)
        let forked = try XCTUnwrap(fork.headers.first(name: .location)?.split(separator: "/").last)
        XCTAssertNotEqual(String(forked), failed.rawValue)
        let forkedRun = try await app.hookflow.engine.store.run(WorkflowRunID(String(forked)))
        XCTAssertNotNil(forkedRun)

        let trigger = try await post(
            app, "/hookflow/dashboard/workflows/echo/runs", form: ["csrf_token": token, "input": #"{"name": "typed"}"#, "run_id": "chosen"],
            cookie: cookie)
        XCTAssertEqual(trigger.status, .seeOther)
        XCTAssertEqual(trigger.headers.first(name: .location), "/hookflow/dashboard/runs/chosen")
        let badInput = try await post(app, "/hookflow/dashboard/workflows/echo/runs", form: ["csrf_token": token, "input": "{nope"], cookie: cookie)
        XCTAssertEqual(badInput.status, .badRequest)
        XCTAssertTrue(badInput.body.string.contains("{nope"), "the error does not name the bad input")
    }

    func testWithAnAPITokenThePagesAskToSignInFirstAndReturnToThePageAskedFor() async throws {
        let app = try await start(token: "s3cret-token")
        let (redirect, _) = try await page(app, "/hookflow/dashboard/runs?status=failed")
        XCTAssertEqual(redirect.status, .seeOther)
        XCTAssertEqual(redirect.headers.first(name: .location), "/hookflow/dashboard/login?next=/hookflow/dashboard/runs?status%3Dfailed")
        let (login, html) = try await page(app, "/hookflow/dashboard/login?next=/hookflow/dashboard/runs?status%3Dfailed")
        XCTAssertEqual(login.status, .ok)
        XCTAssertFalse(html.contains("s3cret-token"))
        let (cookie, token) = try csrf(login)
        let wrong = try await post(app, "/hookflow/dashboard/login", form: ["csrf_token": token, "token": "guess"], cookie: cookie)
        XCTAssertEqual(wrong.status, .unauthorized)
        let unsigned = try await post(app, "/hookflow/dashboard/runs/any/cancel", form: ["csrf_token": token], cookie: cookie)
        XCTAssertEqual(unsigned.status, .unauthorized, "a POST before signing in was not refused")
        let right = try await post(
            app, "/hookflow/dashboard/login",
            form: ["csrf_token": token, "token": "s3cret-token", "next": "/hookflow/dashboard/runs?status=failed"], cookie: cookie)
        XCTAssertEqual(right.status, .seeOther)
        XCTAssertEqual(right.headers.first(name: .location), "/hookflow/dashboard/runs?status=failed")
        let session = try XCTUnwrap(right.headers.setCookie?["hookflow_session"])
        XCTAssertFalse(session.string.contains("s3cret-token"), "the session cookie holds the token")
        XCTAssertTrue(session.isHTTPOnly)
        XCTAssertEqual(session.sameSite, .lax)
        XCTAssertEqual(session.path, "/hookflow/dashboard")
        let signedIn = try await app.testable().sendRequest(
            .GET, "/hookflow/dashboard/runs", headers: ["Cookie": "hookflow_session=\(session.string)"])
        XCTAssertEqual(signedIn.status, .ok)
        XCTAssertTrue(signedIn.body.string.contains("Sign out"))
        let forged = try await app.testable().sendRequest(
            .GET, "/hookflow/dashboard/runs", headers: ["Cookie": "hookflow_session=v1.1.00"])
        XCTAssertEqual(forged.status, .seeOther, "a forged session was let in")
        let bearer = try await app.testable().sendRequest(.GET, "/hookflow/dashboard/runs", headers: ["Authorization": "Bearer s3cret-token"])
        XCTAssertEqual(bearer.status, .ok)
        let away = try await post(
            app, "/hookflow/dashboard/login", form: ["csrf_token": token, "token": "s3cret-token", "next": "//evil.example/"], cookie: cookie)
        XCTAssertEqual(away.headers.first(name: .location), "/hookflow/dashboard/", "sign-in followed next to another host")
    }

    func testARunIDOfAnyCharactersTravelsThroughLinksPagesAndActions() async throws {
        let app = try await start()
        let runID = WorkflowRunID("a/b?c#d e+f%-é")
        try await app.hookflow.trigger(Echo.self, input: ["sleep": true], runID: runID)
        try await waitFor(runID, toBe: .sleeping, in: app)
        let encoded = "a%2Fb%3Fc%23d%20e+f%25-%C3%A9"
        let (list, html) = try await page(app, "/hookflow/dashboard/runs?prefix=a/b?c%23d+e")
        XCTAssertEqual(list.status, .ok)
        XCTAssertTrue(html.contains("href=\"/hookflow/dashboard/runs/\(encoded)\""), "the list's link is not the encoded id")
        let (run, _) = try await page(app, "/hookflow/dashboard/runs/\(encoded)")
        XCTAssertEqual(run.status, .ok)
        let (cookie, token) = try csrf(run)
        let cancel = try await post(app, "/hookflow/dashboard/runs/\(encoded)/cancel", form: ["csrf_token": token], cookie: cookie)
        XCTAssertEqual(cancel.status, .seeOther)
        XCTAssertEqual(cancel.headers.first(name: .location), "/hookflow/dashboard/runs/\(encoded)")
        let status = try await app.hookflow.engine.store.run(runID)?.status
        XCTAssertEqual(status, .cancelled)
    }

    func testMountedInAGroupItsLinksCookiesAndFormsCarryTheGroupsPath() async throws {
        let app = try await start(group: "admin")
        let runID = try await app.hookflow.trigger(Echo.self, input: ["sleep": true])
        try await waitFor(runID, toBe: .sleeping, in: app)
        let (response, html) = try await page(app, "/admin/hookflow/dashboard/runs")
        XCTAssertEqual(response.status, .ok)
        XCTAssertTrue(html.contains("href=\"/admin/hookflow/dashboard/runs/\(runID)\""))
        XCTAssertTrue(html.contains("href=\"/admin/hookflow/dashboard/assets/dashboard.css\""))
        XCTAssertEqual(response.headers.setCookie?[DashboardCSRFName.cookie]?.path, "/admin/hookflow/dashboard")
        let (cookie, token) = try csrf(response)
        let cancel = try await post(app, "/admin/hookflow/dashboard/runs/\(runID)/cancel", form: ["csrf_token": token], cookie: cookie)
        XCTAssertEqual(cancel.headers.first(name: .location), "/admin/hookflow/dashboard/runs/\(runID)")
    }

    func testBehindAProxyASameOriginPostIsTakenWhateverTheHostHeaderSays() async throws {
        let app = try await start()
        let runID = try await app.hookflow.trigger(Echo.self, input: ["sleep": true])
        try await waitFor(runID, toBe: .sleeping, in: app)
        let (first, _) = try await page(app, "/hookflow/dashboard/runs/\(runID)")
        let (cookie, token) = try csrf(first)
        let path = "/hookflow/dashboard/runs/\(runID)/cancel"
        let forwarded = try await post(
            app, path, form: ["csrf_token": token], cookie: cookie,
            headers: ["Origin": "https://ops.example.com", "Host": "127.0.0.1:8080", "X-Forwarded-Host": "ops.example.com"])
        XCTAssertEqual(forwarded.status, .seeOther)
        let status = try await app.hookflow.engine.store.run(runID)?.status
        XCTAssertEqual(status, .cancelled)
        let fetched = try await post(
            app, path, form: ["csrf_token": token], cookie: cookie,
            headers: ["Origin": "https://ops.example.com", "Host": "127.0.0.1:8080", "Sec-Fetch-Site": "same-origin"])
        XCTAssertEqual(fetched.status, .conflict, "a same-origin POST behind a proxy was refused rather than answered")
        let emptyToken = try await app.testable().sendRequest(
            .POST, path, headers: ["content-type": "application/x-www-form-urlencoded", "Cookie": "\(DashboardCSRFName.cookie)="],
            body: ByteBuffer(string: "csrf_token="))
        XCTAssertEqual(emptyToken.status, .forbidden, "an empty cookie and an empty field passed")
    }

    func testAFilterItCannotUseIsAPageThatNamesIt() async throws {
        let app = try await start()
        for (query, parameter) in [("status=stuck", "status"), ("since=yesterday", "since"), ("tz=9999", "tz"), ("cursor=zz", "cursor")] {
            let (response, html) = try await page(app, "/hookflow/dashboard/runs?\(query)")
            XCTAssertEqual(response.status, .badRequest, query)
            XCTAssertTrue(html.contains("flash-error\">\(parameter)"), "\(query): the page does not name \(parameter)")
        }
        let (missing, _) = try await page(app, "/hookflow/dashboard/runs/nobody")
        XCTAssertEqual(missing.status, .notFound)
    }
}
