import Foundation
import Hookflow
import HookflowVapor
import Vapor
import XCTVapor

/// Returns the report it was asked for.
private struct NightlyReport: Workflow {
    func run(_ ctx: WorkflowContext<JSON>) async throws -> JSON {
        try await ctx.step.run("report") { ctx.data }
    }
}

/// The dashboard's schedules page and its buttons, and the runs a schedule started, through a real app.
final class DashboardScheduleTests: XCTestCase {
    private let schedules = "/hookflow/dashboard/schedules"

    private func start() async throws -> Application {
        let app = try await makeApp { app in
            app.hookflow.register(NightlyReport())
            try app.hookflow.mountDashboard(on: app)
        }
        addTeardownBlock { try await app.asyncShutdown() }
        return app
    }

    func testTheSchedulesScreenListsSchedulesAndItsButtonsPauseResumeRunAndDelete() async throws {
        let app = try await start()
        let (empty, emptyHTML) = try await page(app, schedules)
        XCTAssertEqual(empty.status, .ok)
        XCTAssertTrue(emptyHTML.contains("No schedules."), "no empty state without schedules")
        XCTAssertTrue(emptyHTML.contains("<a href=\"\(schedules)\" aria-current=\"page\">Schedules</a>"), "the nav does not mark Schedules")
        let (cookie, token) = try csrf(empty)

        try await app.hookflow.engine.saveSchedule(try Schedule(
            "nightly", cron: "0 3 * * *", timeZone: "Europe/Paris", workflow: NightlyReport.self, input: ["report": "daily"]))
        let upcoming = try await app.hookflow.engine.schedule(named: "nightly").upcomingTicks(3)
        let (listed, html) = try await page(app, schedules)
        XCTAssertEqual(listed.status, .ok)
        XCTAssertTrue(html.contains("href=\"/hookflow/dashboard/runs?schedule=nightly\""), "the schedule does not link its runs")
        XCTAssertTrue(html.contains("cron 0 3 * * * in Europe/Paris"), "the page does not show the spec")
        XCTAssertTrue(html.contains("<td class=\"nowrap\">nightly-report</td>"), "the page does not show the workflow")
        XCTAssertTrue(html.contains("status-active"), "the schedule is not shown active")
        XCTAssertEqual(upcoming.count, 3)
        for tick in upcoming {
            XCTAssertTrue(html.contains("<time datetime=\"\(tick.formatted(.iso8601))\">"), "the page does not show the fire time \(tick)")
        }
        XCTAssertTrue(html.contains("data-confirm=\"Delete the schedule nightly?"), "Delete does not ask first")
        XCTAssertFalse(html.contains("/schedules/nightly/resume"), "an active schedule offers Resume")

        let paused = try await post(
            app, schedules + "/nightly/pause", form: ["csrf_token": token, "return_to": schedules + "?from=test"], cookie: cookie)
        XCTAssertEqual(paused.status, .seeOther)
        XCTAssertEqual(paused.headers.first(name: .location), schedules + "?from=test")
        let afterPause = try await app.hookflow.engine.schedule(named: "nightly").paused
        XCTAssertTrue(afterPause, "Pause did not pause the schedule")
        let (_, pausedHTML) = try await page(app, schedules)
        XCTAssertTrue(pausedHTML.contains("status-paused"), "the schedule is not shown paused")
        XCTAssertTrue(pausedHTML.contains("/schedules/nightly/resume"), "a paused schedule offers no Resume")
        XCTAssertFalse(pausedHTML.contains("/schedules/nightly/pause"), "a paused schedule offers Pause")

        let resumed = try await post(app, schedules + "/nightly/resume", form: ["csrf_token": token], cookie: cookie)
        XCTAssertEqual(resumed.headers.first(name: .location), schedules)
        let afterResume = try await app.hookflow.engine.schedule(named: "nightly").paused
        XCTAssertFalse(afterResume, "Resume did not resume the schedule")

        let triggered = try await post(app, schedules + "/nightly/trigger", form: ["csrf_token": token], cookie: cookie)
        XCTAssertEqual(triggered.status, .seeOther)
        let location = try XCTUnwrap(triggered.headers.first(name: .location))
        XCTAssertTrue(location.hasPrefix("/hookflow/dashboard/runs/"), "Run now leads to \(location), not the run")
        let runID = WorkflowRunID(try XCTUnwrap(String(location.dropFirst("/hookflow/dashboard/runs/".count)).removingPercentEncoding))
        try await waitFor(runID, toBe: .completed, in: app)
        let run = try await app.hookflow.engine.store.run(runID)
        XCTAssertEqual(run?.scheduledBy?.name, "nightly")
        let (_, runHTML) = try await page(app, location)
        XCTAssertTrue(
            runHTML.contains("<dt>Schedule</dt><dd><a href=\"/hookflow/dashboard/runs?schedule=nightly\">nightly</a>"),
            "the run's page does not show its schedule")

        let other = try await app.hookflow.trigger(NightlyReport.self, input: ["report": "ad hoc"], runID: "unscheduled")
        try await waitFor(other, toBe: .completed, in: app)
        let (filtered, runsHTML) = try await page(app, "/hookflow/dashboard/runs?schedule=nightly")
        XCTAssertEqual(filtered.status, .ok)
        XCTAssertTrue(runsHTML.contains("title=\"\(runID)\""), "the runs filtered by the schedule do not show its run")
        XCTAssertFalse(runsHTML.contains("title=\"unscheduled\""), "the runs filtered by the schedule show another run")
        XCTAssertTrue(
            runsHTML.contains("schedule <a href=\"/hookflow/dashboard/runs?schedule=nightly\">nightly</a>"), "the run's row does not name its schedule")
        XCTAssertTrue(
            runsHTML.contains("<input type=\"hidden\" name=\"schedule\" value=\"nightly\">"), "the filter form drops the schedule")

        let unknown = try await post(app, schedules + "/nightly/explode", form: ["csrf_token": token], cookie: cookie)
        XCTAssertEqual(unknown.status, .notFound)
        XCTAssertTrue(unknown.body.string.contains("explode"), "the error does not name the action")

        let deleted = try await post(app, schedules + "/nightly/delete", form: ["csrf_token": token], cookie: cookie)
        XCTAssertEqual(deleted.headers.first(name: .location), schedules)
        let remaining = try await app.hookflow.engine.schedules()
        XCTAssertTrue(remaining.isEmpty, "Delete left \(remaining.map(\.schedule.name))")
        let kept = try await app.hookflow.engine.store.run(runID)
        XCTAssertNotNil(kept, "deleting the schedule deleted its run")
        let (_, afterDelete) = try await page(app, schedules)
        XCTAssertTrue(afterDelete.contains("No schedules."))

        let gone = try await post(app, schedules + "/nightly/pause", form: ["csrf_token": token], cookie: cookie)
        XCTAssertEqual(gone.status, .notFound, "an action on a schedule that is not there is not a 404")
        XCTAssertTrue(gone.body.string.contains("no schedule is called"), "the page does not say which schedule is missing")
    }
}
