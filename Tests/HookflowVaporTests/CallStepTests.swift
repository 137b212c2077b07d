import Foundation
import Hookflow
import HookflowVapor
import Vapor
import XCTVapor

/// Calls the app's own HTTP server, which counts the requests it answers.
struct Calls: Workflow {
    struct Input: Codable, Sendable { var baseURL: String }
    struct Output: Codable, Sendable { var statuses: [Int]; var charge: String }

    func run(_ ctx: WorkflowContext<Input>) async throws -> Output {
        let charge = try await ctx.step.call(
            "charge", url: ctx.data.baseURL + "/charge", method: .POST, body: ["amount": 5])
        try await ctx.step.sleep("pause", for: .milliseconds(200))
        let flaky = try await ctx.step.call(
            "flaky", url: ctx.data.baseURL + "/flaky", retry: .exponential(maxAttempts: 3, initialDelay: .milliseconds(50)))
        let missing = try await ctx.step.call("missing", url: ctx.data.baseURL + "/missing")
        struct Receipt: Decodable { var id: String }
        return Output(statuses: [charge.status, flaky.status, missing.status], charge: try charge.decode(Receipt.self).id)
    }
}

struct StrictCall: Workflow {
    func run(_ ctx: WorkflowContext<String>) async throws -> Int {
        try await ctx.step.call("strict", url: ctx.data + "/missing", failOnClientError: true).status
    }
}

final class CallStepTests: XCTestCase {
    private func startServer(hits: Hits) async throws -> (Application, String) {
        let app = try await makeApp { app in
            app.hookflow.register(Calls())
            app.hookflow.register(StrictCall())
            app.post("charge") { request -> Response in
                _ = hits.hit("charge")
                let amount = try request.content.get(Int.self, at: "amount")
                return Response(status: .created, body: .init(string: #"{"id":"ch_\#(amount)"}"#))
            }
            app.get("flaky") { _ -> Response in
                Response(status: hits.hit("flaky") < 3 ? .serviceUnavailable : .ok)
            }
            app.get("missing") { _ -> Response in
                _ = hits.hit("missing")
                return Response(status: .notFound, body: .init(string: "no such thing"))
            }
        }
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        try await app.server.start()
        let port = try XCTUnwrap(app.http.server.shared.localAddress?.port)
        return (app, "http://127.0.0.1:\(port)")
    }

    func testCallIsMemoizedRetries5xxAndReturns4xx() async throws {
        let hits = Hits()
        let (app, baseURL) = try await startServer(hits: hits)
        let runID = try await app.hookflow.trigger(Calls.self, input: .init(baseURL: baseURL))
        let status = try await waitFor(runID, toBe: .completed, in: app)

        XCTAssertEqual(status.result, ["statuses": [201, 200, 404], "charge": "ch_5"])
        XCTAssertEqual(hits["charge"], 1, "the checkpointed call was made again on replay")
        XCTAssertEqual(hits["flaky"], 3, "5xx responses were not retried")
        XCTAssertEqual(hits["missing"], 1, "a 4xx response was retried")
        let flaky = try XCTUnwrap(status.steps.first { $0.stepID == "flaky" })
        XCTAssertEqual(flaky.attempts, 3)
        let charge = try XCTUnwrap(status.steps.first { $0.stepID == "charge" })
        XCTAssertEqual(charge.result?["body"], #"{"id":"ch_5"}"#)
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    func testCallThatFailsOnClientErrorFailsTheRunAtOnce() async throws {
        let hits = Hits()
        let (app, baseURL) = try await startServer(hits: hits)
        let runID = try await app.hookflow.trigger(StrictCall.self, input: baseURL)
        let status = try await waitFor(runID, toBe: .failed, in: app)

        XCTAssertEqual(hits["missing"], 1)
        let message = try XCTUnwrap(status.errorMessage)
        XCTAssertTrue(message.contains("step 'strict' failed after 1 attempt: HTTP 404"), message)
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    func testNetworkErrorIsRetriedThenFailsTheRun() async throws {
        struct Unreachable: Workflow {
            func run(_ ctx: WorkflowContext<JSON>) async throws -> Int {
                try await ctx.step.call(
                    "nowhere", url: "http://127.0.0.1:9/", timeout: .seconds(2),
                    retry: .exponential(maxAttempts: 2, initialDelay: .milliseconds(20))
                ).status
            }
        }
        let app = try await makeApp { $0.hookflow.register(Unreachable()) }
        let runID = try await app.hookflow.trigger(Unreachable.self, input: [:])
        let status = try await waitFor(runID, toBe: .failed, in: app)
        XCTAssertEqual(status.steps.first?.attempts, 2)
        XCTAssertTrue(status.errorMessage?.contains("request to http://127.0.0.1:9/ failed") ?? false, "\(String(describing: status.errorMessage))")
        try await app.asyncShutdown()
    }
}
