import Foundation
import Hookflow
import HookflowVapor
import NIOConcurrencyHelpers
import Vapor
import XCTVapor

/// Fails at "charge" while its switch is on.
struct Payment: Workflow {
    let failing: NIOLockedValueBox<Bool>

    func run(_ ctx: WorkflowContext<JSON>) async throws -> String {
        try await ctx.step.run("reserve") { "reserved" }
        return try await ctx.step.run("charge", retry: .never) { () -> String in
            if failing.withLockedValue({ $0 }) { throw NonRetryableError("card declined") }
            return "charged"
        }
    }
}

/// Five steps in a row, to read a page at a time.
private struct FiveSteps: Workflow {
    func run(_ ctx: WorkflowContext<JSON>) async throws -> Int {
        for (index, name) in ["one", "two", "three", "four", "five"].enumerated() {
            try await ctx.step.run(name) { index }
        }
        return 5
    }
}

/// Sleeps for an hour.
private struct LongNap: Workflow {
    func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool {
        try await ctx.step.sleep("nap", for: .seconds(3600))
        return true
    }
}

/// Hookflow's JSON API through a real app and its routes.
final class OperatorAPITests: XCTestCase {
    private func start(token: String? = nil, failing: NIOLockedValueBox<Bool> = .init(false)) async throws -> Application {
        let app = try await makeApp { app in
            app.hookflow.register(Checkout())
            app.hookflow.register(Payment(failing: failing))
            app.hookflow.register(FiveSteps())
            app.hookflow.register(LongNap())
            if let token { try app.hookflow.use(apiToken: token) }
            try app.hookflow.mountAPI(on: app)
        }
        addTeardownBlock { try await app.asyncShutdown() }
        return app
    }

    private func get(_ app: Application, _ path: String, headers: HTTPHeaders = [:]) async throws -> (HTTPStatus, JSON) {
        let response = try await app.testable().sendRequest(.GET, path, headers: headers)
        return (response.status, try JSONDecoder().decode(JSON.self, from: response.body))
    }

    private func post(_ app: Application, _ path: String, _ body: String = "{}") async throws -> (HTTPStatus, JSON) {
        let response = try await app.testable().sendRequest(
            .POST, path, headers: ["content-type": "application/json"], body: ByteBuffer(string: body))
        return (response.status, response.body.readableBytes == 0 ? .null : try JSONDecoder().decode(JSON.self, from: response.body))
    }

    func testRunsAreListedNewestFirstWithoutStepsAndPagedByCursor() async throws {
        let app = try await start()
        var ids: [WorkflowRunID] = []
        for cart in ["a", "b", "c"] {
            let runID = try await app.hookflow.trigger(Checkout.self, input: .init(cart: cart))
            try await waitFor(runID, toBe: .completed, in: app)
            ids.append(runID)
        }
        let (status, first) = try await get(app, "/hookflow/api/runs?limit=2&workflow=checkout&status=completed")
        XCTAssertEqual(status, .ok)
        XCTAssertEqual(first["runs"].arrayValue?.map { $0["run_id"].stringValue ?? "" }, [ids[2].rawValue, ids[1].rawValue])
        XCTAssertNil(first["runs"][0].objectValue?["steps"], "a listing answered steps")
        XCTAssertNil(first["runs"][0].objectValue?["next_steps_cursor"], "a listing answered a steps cursor")
        let cursor = try XCTUnwrap(first["next_cursor"].stringValue)
        let (_, second) = try await get(app, "/hookflow/api/runs?limit=2&workflow=checkout&status=completed&cursor=\(cursor)")
        XCTAssertEqual(second["runs"].arrayValue?.map { $0["run_id"].stringValue ?? "" }, [ids[0].rawValue])
        XCTAssertTrue(second["next_cursor"].isNull)
        let (_, none) = try await get(app, "/hookflow/api/runs?status=failed,sleeping")
        XCTAssertEqual(none["runs"].arrayValue?.count, 0)
        let (_, one) = try await get(app, "/hookflow/api/runs/\(ids[0])")
        XCTAssertEqual(one["steps"].arrayValue?.count, 3)
    }

    func testParametersItCannotUseAre400sThatNameThem() async throws {
        let app = try await start()
        for (query, parameter) in [
            ("limit=0", "limit"), ("limit=ten", "limit"), ("limit=1001", "limit"), ("status=stuck", "status"),
            ("since=yesterday", "since"), ("until=2026-13-01", "until"), ("cursor=not-a-cursor", "cursor"),
            ("prefix=a%00b", "prefix"),
        ] {
            let (status, body) = try await get(app, "/hookflow/api/runs?\(query)")
            XCTAssertEqual(status, .badRequest, query)
            XCTAssertEqual(body["error"]["code"], "invalid_parameter", query)
            XCTAssertTrue(body["error"]["message"].stringValue?.hasPrefix(parameter) ?? false, "\(query): \(body)")
        }
        let (status, body) = try await get(app, "/hookflow/api/runs/nobody")
        XCTAssertEqual(status, .notFound)
        XCTAssertEqual(body["error"]["code"], "run_not_found")
    }

    func testARunsStepsArePagedWithACursor() async throws {
        let app = try await start()
        let runID = try await app.hookflow.trigger(FiveSteps.self, input: [:])
        try await waitFor(runID, toBe: .completed, in: app)
        var seen: [String] = []
        var cursor: String?
        var last: JSON = .null
        var pages = 0
        repeat {
            let (status, run) = try await get(
                app, "/hookflow/api/runs/\(runID)?steps_limit=2" + (cursor.map { "&steps_cursor=\($0)" } ?? ""))
            XCTAssertEqual(status, .ok)
            let steps = try XCTUnwrap(run["steps"].arrayValue)
            XCTAssertLessThanOrEqual(steps.count, 2)
            seen += steps.map { $0["step_id"].stringValue ?? "" }
            cursor = run["next_steps_cursor"].stringValue
            last = run
            pages += 1
        } while cursor != nil && pages < 10
        XCTAssertEqual(seen, ["one", "two", "three", "four", "five"])
        XCTAssertEqual(pages, 3)
        XCTAssertEqual(last.objectValue?["next_steps_cursor"], .null, "the last page did not answer next_steps_cursor: null")
        let (_, whole) = try await get(app, "/hookflow/api/runs/\(runID)")
        XCTAssertEqual(whole["steps"].arrayValue?.count, 5)
        XCTAssertEqual(whole.objectValue?["next_steps_cursor"], .null)
    }

    func testStepsParametersItCannotUseAre400sThatNameThem() async throws {
        let app = try await start()
        let runID = try await app.hookflow.trigger(FiveSteps.self, input: [:])
        try await waitFor(runID, toBe: .completed, in: app)
        for (query, parameter) in [
            ("steps_limit=0", "steps_limit"), ("steps_limit=1001", "steps_limit"), ("steps_limit=x", "steps_limit"),
            ("steps_cursor=not-a-cursor", "steps_cursor"), ("steps_cursor=LTE", "steps_cursor"),
        ] {
            let (status, body) = try await get(app, "/hookflow/api/runs/\(runID)?\(query)")
            XCTAssertEqual(status, .badRequest, query)
            XCTAssertEqual(body["error"]["code"], "invalid_parameter", query)
            XCTAssertTrue(body["error"]["message"].stringValue?.hasPrefix(parameter) ?? false, "\(query): \(body)")
        }
    }

    func testAFailedRunIsRetriedReRunAndForkedThroughTheAPI() async throws {
        let failing = NIOLockedValueBox(true)
        let app = try await start(failing: failing)
        let runID = try await app.hookflow.trigger(workflowID: "payment", data: ["order": "A-1"])
        try await waitFor(runID, toBe: .failed, in: app)
        let (lettersStatus, letters) = try await get(app, "/hookflow/api/dead-letters?run_id=\(runID)&replayed=false")
        XCTAssertEqual(lettersStatus, .ok)
        XCTAssertEqual(letters["dead_letters"][0]["step_id"], "charge")
        failing.withLockedValue { $0 = false }

        let (retried, run) = try await post(app, "/hookflow/api/runs/\(runID)/retry")
        XCTAssertEqual(retried, .ok)
        XCTAssertEqual(run["run_id"].stringValue, runID.rawValue)
        try await waitFor(runID, toBe: .completed, in: app)
        let (again, refused) = try await post(app, "/hookflow/api/runs/\(runID)/retry")
        XCTAssertEqual(again, .conflict)
        XCTAssertEqual(refused["error"]["code"], "invalid_state")

        let (rerun, copy) = try await post(app, "/hookflow/api/runs/\(runID)/rerun")
        XCTAssertEqual(rerun, .ok)
        XCTAssertNotEqual(copy["run_id"].stringValue, runID.rawValue)
        XCTAssertEqual(copy["data"], ["order": "A-1"])
        let (forked, fork) = try await post(app, "/hookflow/api/runs/\(runID)/fork", #"{"from_step": "charge"}"#)
        XCTAssertEqual(forked, .ok)
        // The fork is scheduled at once: a worker may already have run "charge" again by the answer.
        XCTAssertEqual(fork["steps"][0]["step_id"], "reserve")
        XCTAssertNotEqual(fork["run_id"].stringValue, runID.rawValue)
        let forkID = WorkflowRunID(try XCTUnwrap(fork["run_id"].stringValue))
        let finished = try await waitFor(forkID, toBe: .completed, in: app)
        XCTAssertEqual(finished.steps.map(\.stepID), ["reserve", "charge"])
        let (noStep, missing) = try await post(app, "/hookflow/api/runs/\(runID)/fork", #"{"from_step": "refund"}"#)
        XCTAssertEqual(noStep, .notFound)
        XCTAssertEqual(missing["error"]["code"], "step_not_found")
        let (badBody, invalid) = try await post(app, "/hookflow/api/runs/\(runID)/fork", #"{"step": 1}"#)
        XCTAssertEqual(badBody, .badRequest)
        XCTAssertEqual(invalid["error"]["code"], "invalid_body")
        let (unknown, _) = try await post(app, "/hookflow/api/runs/\(runID)/explode")
        XCTAssertEqual(unknown, .notFound)
    }

    func testASleepingRunIsCancelledThroughTheAPIAndCancellingItAgainIsAConflict() async throws {
        let app = try await start()
        let runID = try await app.hookflow.trigger(workflowID: "long-nap", data: nil)
        try await waitFor(runID, toBe: .sleeping, in: app)
        let (cancelled, run) = try await post(app, "/hookflow/api/runs/\(runID)/cancel")
        XCTAssertEqual(cancelled, .ok)
        XCTAssertEqual(run["status"], "cancelled")
        XCTAssertEqual(run["error_message"], "cancelled by an operator")
        XCTAssertEqual(run["steps"][0]["step_id"], "nap")
        let (again, refused) = try await post(app, "/hookflow/api/runs/\(runID)/cancel")
        XCTAssertEqual(again, .conflict)
        XCTAssertEqual(refused["error"]["code"], "invalid_state")
        XCTAssertTrue(refused["error"]["message"].stringValue?.contains("it is cancelled") == true, "\(refused)")
        let (missing, unknown) = try await post(app, "/hookflow/api/runs/nobody/cancel")
        XCTAssertEqual(missing, .notFound)
        XCTAssertEqual(unknown["error"]["code"], "run_not_found")
        let (_, listed) = try await get(app, "/hookflow/api/runs?status=cancelled")
        XCTAssertEqual(listed["runs"][0]["run_id"].stringValue, runID.rawValue)
    }

    func testWorkflowsAreCountedAndTriggeredWithJSONInput() async throws {
        let app = try await start()
        let (created, run) = try await post(app, "/hookflow/api/workflows/checkout/runs", #"{"input": {"cart": "c-9"}, "run_id": "cart-c-9"}"#)
        XCTAssertEqual(created, .created)
        XCTAssertEqual(run["run_id"], "cart-c-9")
        try await waitFor("cart-c-9", toBe: .completed, in: app)
        let (_, workflows) = try await get(app, "/hookflow/api/workflows")
        let checkout = workflows["workflows"].arrayValue?.first { $0["workflow_id"] == "checkout" }
        XCTAssertEqual(checkout?["registered"], true)
        XCTAssertEqual(checkout?["counts"], ["completed": 1])

        let (conflict, conflicting) = try await post(app, "/hookflow/api/workflows/checkout/runs", #"{"input": {"cart": "other"}, "run_id": "cart-c-9"}"#)
        XCTAssertEqual(conflict, .conflict)
        XCTAssertEqual(conflicting["error"]["code"], "run_id_conflict")
        let (invalid, wrong) = try await post(app, "/hookflow/api/workflows/checkout/runs", #"{"input": {"basket": 1}}"#)
        XCTAssertEqual(invalid, .unprocessableEntity)
        XCTAssertEqual(wrong["error"]["code"], "invalid_input")
        let (unknown, nothing) = try await post(app, "/hookflow/api/workflows/nope/runs", #"{"input": {}}"#)
        XCTAssertEqual(unknown, .notFound)
        XCTAssertEqual(nothing["error"]["code"], "unknown_workflow")
    }

    func testADeadLetterIsReadReplayedAndDeleted() async throws {
        let failing = NIOLockedValueBox(true)
        let app = try await start(failing: failing)
        let runID = try await app.hookflow.trigger(workflowID: "payment", data: [:])
        try await waitFor(runID, toBe: .failed, in: app)
        let (_, page) = try await get(app, "/hookflow/api/dead-letters")
        let id = try XCTUnwrap(page["dead_letters"][0]["id"].stringValue)
        let (found, letter) = try await get(app, "/hookflow/api/dead-letters/\(id)")
        XCTAssertEqual(found, .ok)
        XCTAssertEqual(letter["error_message"].stringValue?.contains("card declined"), true)
        failing.withLockedValue { $0 = false }
        let (replayed, _) = try await post(app, "/hookflow/api/dead-letters/\(id)/replay")
        XCTAssertEqual(replayed, .ok)
        try await waitFor(runID, toBe: .completed, in: app)
        let deleted = try await app.testable().sendRequest(.DELETE, "/hookflow/api/dead-letters/\(id)")
        XCTAssertEqual(deleted.status, .noContent)
        let (gone, body) = try await get(app, "/hookflow/api/dead-letters/\(id)")
        XCTAssertEqual(gone, .notFound)
        XCTAssertEqual(body["error"]["code"], "dead_letter_not_found")
    }

    func testWithATokenEveryRequestNeedsItsBearer() async throws {
        let app = try await start(token: "s3cret-token-0123456789")
        let (none, refused) = try await get(app, "/hookflow/api/runs")
        XCTAssertEqual(none, .unauthorized)
        XCTAssertEqual(refused["error"]["code"], "unauthorized")
        let (wrong, _) = try await get(app, "/hookflow/api/runs", headers: ["Authorization": "Bearer s3cret-token-0123456788"])
        XCTAssertEqual(wrong, .unauthorized)
        let (right, _) = try await get(app, "/hookflow/api/runs", headers: ["Authorization": "Bearer s3cret-token-0123456789"])
        XCTAssertEqual(right, .ok)
    }
}
