import Foundation
import Hookflow
import HookflowVapor
import Vapor
import XCTVapor

/// Schedules through a real app: declared in code, and managed through the JSON API.
final class ScheduleAPITests: XCTestCase {
    private func start(_ configure: (Application) throws -> Void = { _ in }) async throws -> Application {
        let app = try await makeApp { app in
            app.hookflow.register(Checkout())
            try configure(app)
            try app.hookflow.mountAPI(on: app)
        }
        addTeardownBlock { try await app.asyncShutdown() }
        return app
    }

    private func send(
        _ app: Application, _ method: HTTPMethod, _ path: String, _ body: String? = nil
    ) async throws -> (HTTPStatus, JSON) {
        let response = try await app.testable().sendRequest(
            method, path, headers: body == nil ? [:] : ["content-type": "application/json"],
            body: body.map { ByteBuffer(string: $0) })
        return (response.status, response.body.readableBytes == 0 ? .null : try JSONDecoder().decode(JSON.self, from: response.body))
    }

    func testASchedulesIsSavedListedPausedResumedFiredAndDeletedThroughTheAPI() async throws {
        let app = try await start()
        let body = #"{"name":"nightly","workflow_id":"checkout","cron":"30 2 * * *","time_zone":"Europe/Paris","input":{"cart":"c-1"},"missed_ticks":"all:3","overlap":"cancel_previous","grace_seconds":120}"#
        let (created, schedule) = try await send(app, .POST, "/hookflow/api/schedules", body)
        XCTAssertEqual(created, .created, "\(schedule)")
        XCTAssertEqual(schedule["cron"].stringValue, "30 2 * * *")
        XCTAssertEqual(schedule["time_zone"].stringValue, "Europe/Paris")
        XCTAssertEqual(schedule["every_seconds"], .null)
        XCTAssertEqual(schedule["missed_ticks"].stringValue, "all:3")
        XCTAssertEqual(schedule["overlap"].stringValue, "cancel_previous")
        XCTAssertEqual(schedule["input"]["cart"].stringValue, "c-1")
        XCTAssertEqual(schedule["paused"], false)
        let upcoming = try XCTUnwrap(schedule["upcoming"].arrayValue?.compactMap(\.stringValue))
        XCTAssertEqual(upcoming.count, 5)
        XCTAssertEqual(upcoming.first, schedule["next_fire_at"].stringValue)
        // 02:30 in Paris is 01:30 UTC in winter and 00:30 UTC in summer.
        XCTAssertTrue(upcoming.allSatisfy { $0.contains("T01:30:00") || $0.contains("T00:30:00") }, "\(upcoming)")

        let (changed, again) = try await send(
            app, .POST, "/hookflow/api/schedules", #"{"name":"nightly","workflow_id":"checkout","every_seconds":3600,"input":{"cart":"c-2"}}"#)
        XCTAssertEqual(changed, .ok, "a schedule changed in place answered \(changed)")
        XCTAssertEqual(again["every_seconds"].intValue, 3600)
        XCTAssertEqual(again["cron"], .null)

        let (_, paused) = try await send(app, .POST, "/hookflow/api/schedules/nightly/pause")
        XCTAssertEqual(paused["paused"], true)
        let (_, listed) = try await send(app, .GET, "/hookflow/api/schedules")
        XCTAssertEqual(listed["schedules"].arrayValue?.map { $0["name"].stringValue ?? "" }, ["nightly"])
        let (_, resumed) = try await send(app, .POST, "/hookflow/api/schedules/nightly/resume")
        XCTAssertEqual(resumed["paused"], false)

        let (triggered, run) = try await send(app, .POST, "/hookflow/api/schedules/nightly/trigger")
        XCTAssertEqual(triggered, .created)
        XCTAssertEqual(run["schedule"].stringValue, "nightly")
        XCTAssertNotNil(run["scheduled_for"].stringValue)
        let runID = WorkflowRunID(try XCTUnwrap(run["run_id"].stringValue))
        try await waitFor(runID, toBe: .completed, in: app)
        let (_, bySchedule) = try await send(app, .GET, "/hookflow/api/runs?schedule=nightly")
        XCTAssertEqual(bySchedule["runs"].arrayValue?.map { $0["run_id"].stringValue ?? "" }, [runID.rawValue])
        XCTAssertEqual(bySchedule["runs"][0]["data"]["cart"].stringValue, "c-2")

        let (deleted, _) = try await send(app, .DELETE, "/hookflow/api/schedules/nightly")
        XCTAssertEqual(deleted, .noContent)
        let (missing, error) = try await send(app, .GET, "/hookflow/api/schedules/nightly")
        XCTAssertEqual(missing, .notFound)
        XCTAssertEqual(error["error"]["code"].stringValue, "schedule_not_found")
        let (_, kept) = try await send(app, .GET, "/hookflow/api/runs/\(runID)")
        XCTAssertEqual(kept["schedule"].stringValue, "nightly", "deleting the schedule lost its run")
    }

    func testABadScheduleIsRefusedNamingTheFieldAndTheValue() async throws {
        let app = try await start()
        let cases: [(String, HTTPStatus, String, String)] = [
            (#"{"name":"x","workflow_id":"checkout","cron":"61 * * * *","input":{"cart":"c"}}"#, .badRequest, "invalid_parameter", "61"),
            (#"{"name":"x","workflow_id":"checkout","cron":"0 3 * * *","time_zone":"Mars/Olympus","input":{"cart":"c"}}"#, .badRequest, "invalid_parameter", "Mars/Olympus"),
            (#"{"name":"x","workflow_id":"checkout","every_seconds":0,"input":{"cart":"c"}}"#, .badRequest, "invalid_parameter", "every_seconds"),
            (#"{"name":"x","workflow_id":"checkout","input":{"cart":"c"}}"#, .badRequest, "invalid_parameter", "every_seconds"),
            (#"{"name":"x","workflow_id":"checkout","every_seconds":5,"missed_ticks":"all:0","input":{"cart":"c"}}"#, .badRequest, "invalid_parameter", "missed_ticks"),
            (#"{"name":"x","workflow_id":"checkout","every_seconds":5,"overlap":"queue","input":{"cart":"c"}}"#, .badRequest, "invalid_parameter", "queue"),
            (#"{"name":"x","workflow_id":"checkout","every_seconds":5,"grace_seconds":-1,"input":{"cart":"c"}}"#, .badRequest, "invalid_parameter", "grace_seconds"),
            (#"{"name":"a b","workflow_id":"checkout","every_seconds":5,"input":{"cart":"c"}}"#, .badRequest, "invalid_parameter", "name"),
            (#"{"name":"x","workflow_id":"missing","every_seconds":5}"#, .notFound, "unknown_workflow", "missing"),
            (#"{"name":"x","workflow_id":"checkout","every_seconds":5,"input":{"basket":1}}"#, .unprocessableEntity, "invalid_input", "cart"),
        ]
        for (body, status, code, named) in cases {
            let (answered, error) = try await send(app, .POST, "/hookflow/api/schedules", body)
            XCTAssertEqual(answered, status, body)
            XCTAssertEqual(error["error"]["code"].stringValue, code, body)
            XCTAssertTrue(error["error"]["message"].stringValue?.contains(named) ?? false, "\(error) does not name \(named)")
        }
        let (_, listed) = try await send(app, .GET, "/hookflow/api/schedules")
        XCTAssertEqual(listed["schedules"].arrayValue?.count, 0, "a refused schedule was saved")
        for path in ["/hookflow/api/schedules/none/pause", "/hookflow/api/schedules/none/trigger"] {
            let (status, _) = try await send(app, .POST, path)
            XCTAssertEqual(status, .notFound, path)
        }
    }

    func testAScheduleDeclaredInCodeRunsEachTickAndItsRunsNameTheScheduleAndTheTick() async throws {
        let app = try await start { app in
            try app.hookflow.schedule("every-second", every: .seconds(1), workflow: Checkout.self, input: .init(cart: "beat"))
        }
        let declared = try await app.hookflow.engine.schedule(named: "every-second")
        XCTAssertEqual(declared.schedule.spec, .every(seconds: 1))
        let deadline = ContinuousClock.now + .seconds(10)
        var runs: [JSON] = []
        while ContinuousClock.now < deadline {
            runs = try await send(app, .GET, "/hookflow/api/runs?schedule=every-second&status=completed").1["runs"].arrayValue ?? []
            if runs.count >= 2 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        XCTAssertGreaterThanOrEqual(runs.count, 2, "a declared one-second schedule did not complete two runs")
        for run in runs {
            XCTAssertEqual(run["schedule"].stringValue, "every-second")
            let tick = try XCTUnwrap(run["scheduled_for"].stringValue.flatMap(HookflowTime.parseISO8601))
            XCTAssertEqual(tick.timeIntervalSince1970.rounded(), tick.timeIntervalSince1970, "a tick off the whole second")
            XCTAssertTrue(run["run_id"].stringValue?.hasPrefix("schedule:every-second:") ?? false)
        }
    }

    func testADeclarationWithABadSpecIsRefusedAndOneOfAnUnregisteredWorkflowStopsTheBoot() async throws {
        let app = try await Application.make(.testing)
        defer { Task { try? await app.asyncShutdown() } }
        XCTAssertThrowsError(try app.hookflow.schedule("x", cron: "* * *", workflow: Checkout.self, input: .init(cart: "c"))) { error in
            XCTAssertTrue("\(error)".contains("3 fields"), "\(error)")
        }
        XCTAssertThrowsError(try app.hookflow.schedule("x", cron: "@daily", timeZone: "Nowhere", workflow: Checkout.self, input: .init(cart: "c"))) {
            XCTAssertTrue("\($0)".contains("timeZone") && "\($0)".contains("Nowhere"), "\($0)")
        }
        XCTAssertThrowsError(try app.hookflow.schedule("x", every: .zero, workflow: Checkout.self, input: .init(cart: "c"))) {
            XCTAssertTrue("\($0)".contains("every"), "\($0)")
        }
        XCTAssertThrowsError(try app.hookflow.schedule("x", every: .milliseconds(1500), workflow: Checkout.self, input: .init(cart: "c"))) {
            XCTAssertTrue("\($0)".contains("whole number of seconds"), "\($0)")
        }

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-vapor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try app.hookflow.use(database: .sqlite(path: folder.appendingPathComponent("app.sqlite").path))
        try app.hookflow.schedule("orphan", every: .seconds(60), workflow: Checkout.self, input: .init(cart: "c"))
        do {
            try await app.asyncBoot()
            XCTFail("an app with a schedule of an unregistered workflow booted")
        } catch {
            XCTAssertTrue("\(error)".contains("orphan") && "\(error)".contains("checkout"), "\(error)")
        }
    }
}
