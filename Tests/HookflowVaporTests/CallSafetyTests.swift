import Foundation
import Hookflow
import HookflowVapor
import NIOConcurrencyHelpers
import Vapor
import XCTVapor

/// Calls a server that rate-limits, sets cookies and redirects elsewhere.
private struct Guarded: Workflow {
    struct Input: Codable, Sendable { var baseURL: String; var otherURL: String }
    struct Output: Codable, Sendable { var limited: Int; var busy: Int; var cookieHeaders: [String] }

    func run(_ ctx: WorkflowContext<Input>) async throws -> Output {
        let fast = RetryPolicy.exponential(maxAttempts: 3, initialDelay: .milliseconds(10))
        let limited = try await ctx.step.call("limited", url: ctx.data.baseURL + "/limited", retry: fast)
        let busy = try await ctx.step.call("busy", url: ctx.data.baseURL + "/busy", retry: fast)
        let cookies = try await ctx.step.call("cookies", url: ctx.data.baseURL + "/cookies")
        let secrets = ["Authorization": "Bearer s3cret", "X-Api-Key": "k3y", "Accept": "application/json"]
        try await ctx.step.call("away", url: ctx.data.baseURL + "/away?to=" + ctx.data.otherURL, headers: secrets)
        try await ctx.step.call("home", url: ctx.data.baseURL + "/home", headers: secrets)
        return Output(limited: limited.status, busy: busy.status, cookieHeaders: cookies.headers.keys.sorted())
    }
}

private struct LeaksURL: Workflow {
    func run(_ ctx: WorkflowContext<String>) async throws -> Int {
        try await ctx.step.call("boom", url: ctx.data, retry: .never).status
    }
}

/// Request headers seen per path, and when each request arrived.
private final class Seen: Sendable {
    private let state = NIOLockedValueBox<[String: [(Date, HTTPHeaders)]]>([:])
    func record(_ request: Request) -> Int {
        state.withLockedValue { state in
            state[request.url.path, default: []].append((Date(), request.headers))
            return state[request.url.path]!.count
        }
    }
    subscript(path: String) -> [(Date, HTTPHeaders)] { state.withLockedValue { $0[path] ?? [] } }
}

/// `ctx.step.call` keeps secrets to their origin and retries "try later" answers (issue 10).
final class CallSafetyTests: XCTestCase {
    private func serve(_ seen: Seen, routes: (Application) -> Void) async throws -> (Application, String) {
        let app = try await makeApp { app in
            app.hookflow.register(Guarded())
            app.hookflow.register(LeaksURL())
            routes(app)
        }
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        try await app.server.start()
        addTeardownBlock {
            await app.server.shutdown()
            try await app.asyncShutdown()
        }
        return (app, "http://127.0.0.1:\(try XCTUnwrap(app.http.server.shared.localAddress?.port))")
    }

    func testTryLaterAnswersAreRetriedAfterRetryAfterAndSecretsStayHome() async throws {
        let seen = Seen()
        let (_, otherURL) = try await serve(seen) { app in
            app.get("landing") { request -> String in _ = seen.record(request); return "landed" }
        }
        let (app, baseURL) = try await serve(seen) { app in
            app.get("limited") { request -> Response in
                guard seen.record(request) > 1 else {
                    return Response(status: .tooManyRequests, headers: ["Retry-After": "1"])
                }
                return Response(status: .ok)
            }
            app.get("busy") { request -> Response in
                guard seen.record(request) > 1 else {
                    let soon = Date().addingTimeInterval(2)
                    let formatter = DateFormatter()
                    formatter.locale = Locale(identifier: "en_US_POSIX")
                    formatter.timeZone = TimeZone(identifier: "GMT")
                    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
                    return Response(status: .requestTimeout, headers: ["Retry-After": formatter.string(from: soon)])
                }
                return Response(status: .ok)
            }
            app.get("cookies") { _ -> Response in
                Response(status: .ok, headers: [
                    "Set-Cookie": "session=abc", "X-Session-Token": "t", "X-Request-Id": "r-1", "Content-Type": "text/plain",
                ])
            }
            app.get("away") { request -> Response in
                let to = try request.query.get(String.self, at: "to")
                return Response(status: .found, headers: ["Location": to + "/landing"])
            }
            app.get("home") { _ -> Response in Response(status: .temporaryRedirect, headers: ["Location": "/homed"]) }
            app.get("homed") { request -> String in _ = seen.record(request); return "home" }
        }
        let runID = try await app.hookflow.trigger(Guarded.self, input: .init(baseURL: baseURL, otherURL: otherURL))
        let status = try await waitFor(runID, toBe: .completed, in: app, timeout: .seconds(20))
        XCTAssertEqual(status.result?["limited"], 200)
        XCTAssertEqual(status.result?["busy"], 200)
        for (path, wait) in [("/limited", 0.9), ("/busy", 0.9)] {
            let times = seen[path].map(\.0)
            XCTAssertEqual(times.count, 2, "\(path) was not retried once")
            if times.count == 2 {
                XCTAssertGreaterThan(times[1].timeIntervalSince(times[0]), wait, "\(path): Retry-After was not honoured")
            }
        }
        let kept = status.result?["cookieHeaders"].arrayValue?.compactMap(\.stringValue) ?? []
        XCTAssertTrue(kept.contains("x-request-id"), "\(kept)")
        XCTAssertFalse(kept.contains("set-cookie") || kept.contains("x-session-token"), "a credential was checkpointed: \(kept)")
        let landing = try XCTUnwrap(seen["/landing"].first?.1)
        XCTAssertNil(landing.first(name: "Authorization"), "a credential followed a redirect to another origin")
        XCTAssertNil(landing.first(name: "X-Api-Key"), "a custom auth header followed a redirect to another origin")
        XCTAssertEqual(landing.first(name: "Accept"), "application/json")
        let homed = try XCTUnwrap(seen["/homed"].first?.1)
        XCTAssertEqual(homed.first(name: "X-Api-Key"), "k3y", "a same-origin redirect lost the caller's headers")
    }

    func testURLCredentialsNeverReachErrorsOrDeadLetters() async throws {
        let seen = Seen()
        let (app, baseURL) = try await serve(seen) { app in
            app.get("boom") { _ -> Response in Response(status: .internalServerError, body: "down") }
        }
        let leaky = baseURL.replacingOccurrences(of: "http://", with: "http://user:hunter2@") + "/boom?token=t0k"
        let runID = try await app.hookflow.trigger(LeaksURL.self, input: leaky)
        let status = try await waitFor(runID, toBe: .failed, in: app)
        let message = try XCTUnwrap(status.errorMessage)
        XCTAssertTrue(message.contains("HTTP 500 from http://127.0.0.1"), message)
        for secret in ["hunter2", "user:", "t0k"] {
            XCTAssertFalse(message.contains(secret), "\(secret) leaked: \(message)")
            XCTAssertFalse(status.steps.contains { $0.errorMessage?.contains(secret) == true })
        }
        let letters = try await app.hookflow.deadLetters()
        XCTAssertFalse(letters.contains { $0.errorMessage.contains("hunter2") })
    }
}
