import Fluent
import Foundation
import Hookflow
import HookflowFluent
import HookflowVapor
import Vapor
import XCTVapor

struct Checkout: Workflow {
    struct Input: Codable, Sendable { var cart: String }
    func run(_ ctx: WorkflowContext<Input>) async throws -> JSON {
        let total = try await ctx.step.run("price") { ["cents": 1250] as JSON }
        try await ctx.step.sleep("settle", for: .milliseconds(50))
        try await ctx.step.run("receipt") { "sent" }
        return ["cart": .string(ctx.data.cart), "total": total["cents"]]
    }
}

final class StatusAPITests: XCTestCase {
    func testStatusAPIReturnsTheRunAndItsStepsInOrder() async throws {
        let app = try await makeApp { app in
            app.hookflow.register(Checkout())
            try app.hookflow.mountStatusAPI(on: app)
        }
        let runID = try await app.hookflow.trigger(Checkout.self, input: .init(cart: "c-1"))
        try await waitFor(runID, toBe: .completed, in: app)

        let response = try await app.testable().sendRequest(.GET, "/hookflow/api/runs/\(runID)")
        XCTAssertEqual(response.status, .ok)
        let body = try JSONDecoder().decode(JSON.self, from: response.body)
        XCTAssertEqual(body["run_id"].stringValue, runID.rawValue)
        XCTAssertEqual(body["workflow_id"].stringValue, "checkout")
        XCTAssertEqual(body["status"].stringValue, "completed")
        XCTAssertEqual(body["data"], ["cart": "c-1"])
        XCTAssertEqual(body["result"], ["cart": "c-1", "total": 1250])
        XCTAssertEqual(body.objectValue?["error_message"], .null)
        XCTAssertNotNil(body["created_at"].stringValue)
        XCTAssertNotNil(body["completed_at"].stringValue)
        let steps = try XCTUnwrap(body["steps"].arrayValue)
        XCTAssertEqual(steps.map { $0["step_id"].stringValue }, ["price", "settle", "receipt"])
        XCTAssertEqual(steps.map { $0["kind"].stringValue }, ["run", "sleep", "run"])
        XCTAssertEqual(steps[0]["result"], ["cents": 1250])
        XCTAssertEqual(steps[0]["attempts"].intValue, 1)
        XCTAssertTrue(steps.allSatisfy { $0["status"] == "completed" && $0["executed_at"].stringValue != nil })
        try await app.asyncShutdown()
    }

    func testStatusAPIPagesStepsAsTheJSONAPIDoes() async throws {
        let app = try await makeApp { app in
            app.hookflow.register(Checkout())
            try app.hookflow.mountStatusAPI(on: app)
        }
        let runID = try await app.hookflow.trigger(Checkout.self, input: .init(cart: "c-3"))
        try await waitFor(runID, toBe: .completed, in: app)

        var response = try await app.testable().sendRequest(.GET, "/hookflow/api/runs/\(runID)?steps_limit=2")
        var body = try JSONDecoder().decode(JSON.self, from: response.body)
        XCTAssertEqual(body["steps"].arrayValue?.map { $0["step_id"].stringValue ?? "" }, ["price", "settle"])
        let cursor = try XCTUnwrap(body["next_steps_cursor"].stringValue)
        response = try await app.testable().sendRequest(.GET, "/hookflow/api/runs/\(runID)?steps_limit=2&steps_cursor=\(cursor)")
        body = try JSONDecoder().decode(JSON.self, from: response.body)
        XCTAssertEqual(body["steps"].arrayValue?.map { $0["step_id"].stringValue ?? "" }, ["receipt"])
        XCTAssertEqual(body.objectValue?["next_steps_cursor"], .null)

        response = try await app.testable().sendRequest(.GET, "/hookflow/api/runs/\(runID)?steps_limit=0")
        XCTAssertEqual(response.status, .badRequest)
        body = try JSONDecoder().decode(JSON.self, from: response.body)
        XCTAssertEqual(body["error"].stringValue?.hasPrefix("steps_limit"), true, "\(body)")
        try await app.asyncShutdown()
    }

    func testStatusAPIAnswers404WithAJSONErrorForAnUnknownRun() async throws {
        let app = try await makeApp { app in try app.hookflow.mountStatusAPI(on: app) }
        let response = try await app.testable().sendRequest(.GET, "/hookflow/api/runs/no-such-run")
        XCTAssertEqual(response.status, .notFound)
        let body = try JSONDecoder().decode(JSON.self, from: response.body)
        XCTAssertEqual(body["error"].stringValue, "no run with id \"no-such-run\"")
        try await app.asyncShutdown()
    }

    func testRequestTriggerReturnsTheRunIDOnceCommitted() async throws {
        let app = try await makeApp { app in
            app.hookflow.register(Checkout())
            app.post("checkout") { request async throws -> String in
                let cart = try request.content.get(String.self, at: "cart")
                return try await request.hookflow.trigger(Checkout.self, input: .init(cart: cart)).rawValue
            }
        }
        let response = try await app.testable().sendRequest(.POST, "/checkout", beforeRequest: { request async throws in
            try request.content.encode(["cart": "c-9"], as: .json)
        })
        XCTAssertEqual(response.status, .ok)
        let runID = WorkflowRunID(response.body.string)
        let status = try await app.hookflow.status(of: runID)
        XCTAssertNotNil(status, "the trigger returned before the run was stored")
        try await waitFor(runID, toBe: .completed, in: app)
        try await app.asyncShutdown()
    }

    func testFluentModelsReadWhatTheEngineWrote() async throws {
        let app = try await makeApp { app in app.hookflow.register(Checkout()) }
        let runID = try await app.hookflow.trigger(Checkout.self, input: .init(cart: "c-2"))
        try await waitFor(runID, toBe: .completed, in: app)

        let database = app.db(.hookflow)
        let found = try await WorkflowRun.find(runID.rawValue, on: database)
        let run = try XCTUnwrap(found)
        XCTAssertEqual(run.workflowID, "checkout")
        XCTAssertEqual(run.status, .completed)
        XCTAssertEqual(run.data, #"{"cart":"c-2"}"#)
        XCTAssertNotNil(run.completedAt)
        let steps = try await run.$steps.query(on: database).sort(\.$sequence).all()
        XCTAssertEqual(steps.map(\.stepID), ["price", "settle", "receipt"])
        XCTAssertEqual(steps.map(\.kind), [.run, .sleep, .run])
        XCTAssertEqual(steps.first?.result, #"{"cents":1250}"#)
        let failed = try await WorkflowRun.query(on: database).filter(\.$status == .failed).count()
        XCTAssertEqual(failed, 0)
        try await app.asyncShutdown()
    }
}
