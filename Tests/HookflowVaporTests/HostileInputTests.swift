import Foundation
import Hookflow
import HookflowVapor
import Vapor
import XCTVapor

/// Requests a hostile caller sends to routes that decode `JSON` or trigger runs (issue 10).
final class HostileInputTests: XCTestCase {
    func testAFormBodyOfPercentDecodedAsJSONIsABadRequestNotACrash() async throws {
        let app = try await makeApp { app in
            app.hookflow.register(Echo())
            app.post("echo") { request async throws -> String in
                let data = try request.content.decode(JSON.self)
                return try await request.hookflow.trigger(workflowID: Echo.id, data: data).rawValue
            }
        }
        addTeardownBlock { try await app.asyncShutdown() }
        for body in ["%", "%zz", "a=1&%"] {
            let response = try await app.testable().sendRequest(
                .POST, "/echo", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: body))
            XCTAssertEqual(response.status, .badRequest, "body \(body): \(response.body.string)")
        }
        XCTAssertThrowsError(try URLEncodedFormDecoder().decode(JSON.self, from: "%"))
    }

    func testTriggerMistakesAreAnsweredWith4xxThatNameTheValue() async throws {
        let app = try await makeApp { app in
            app.hookflow.register(Echo())
            app.post("echo", ":id") { request async throws -> String in
                let data = try request.content.decode(JSON.self)
                let id = request.parameters.get("id").map { WorkflowRunID($0.removingPercentEncoding ?? $0) }
                return try await request.hookflow.trigger(workflowID: Echo.id, data: data, runID: id).rawValue
            }
        }
        addTeardownBlock { try await app.asyncShutdown() }
        let first = try await app.testable().sendRequest(
            .POST, "/echo/pay-1", headers: ["Content-Type": "application/json"], body: ByteBuffer(string: #"{"a":1}"#))
        XCTAssertEqual(first.status, .ok)
        let conflict = try await app.testable().sendRequest(
            .POST, "/echo/pay-1", headers: ["Content-Type": "application/json"], body: ByteBuffer(string: #"{"a":2}"#))
        XCTAssertEqual(conflict.status, .conflict)
        XCTAssertTrue(conflict.body.string.contains("other input"), conflict.body.string)
        let nul = try await app.testable().sendRequest(
            .POST, "/echo/a%00b", headers: ["Content-Type": "application/json"], body: ByteBuffer(string: "{}"))
        XCTAssertEqual(nul.status, .badRequest)
        XCTAssertTrue(nul.body.string.contains("invalid run id"), nul.body.string)
    }

    func testAnInputErrorQuotesTheCallersTextEscapedAndBounded() async throws {
        let app = try await makeApp { app in
            app.hookflow.register(Typed())
            app.post("typed") { request async throws -> String in
                try await request.hookflow.trigger(workflowID: Typed.id, data: try request.content.decode(JSON.self)).rawValue
            }
        }
        addTeardownBlock { try await app.asyncShutdown() }
        let key = "x\n2026-12-01T00:00:00Z critical forged log line " + String(repeating: "k", count: 5000)
        let body = try JSONEncoder().encode(JSON.object([key: .integer(1)]))
        let response = try await app.testable().sendRequest(
            .POST, "/typed", headers: ["Content-Type": "application/json"], body: ByteBuffer(data: body))
        XCTAssertEqual(response.status, .unprocessableEntity)
        let reason = try JSONDecoder().decode(JSON.self, from: response.body)["reason"].stringValue ?? ""
        XCTAssertTrue(reason.contains("does not decode as the input of workflow 'typed'"), reason)
        XCTAssertFalse(reason.contains("\n"), "a newline from the request reached the error")
        XCTAssertLessThan(reason.count, 1000)
    }
}

private struct Typed: Workflow {
    static let id = "typed"
    struct Input: Codable, Sendable { var amount: Int }
    func run(_ ctx: WorkflowContext<Input>) async throws -> Int { ctx.data.amount }
}

private struct Echo: Workflow {
    static let id = "echo"
    func run(_ ctx: WorkflowContext<JSON>) async throws -> JSON { ctx.data }
}
