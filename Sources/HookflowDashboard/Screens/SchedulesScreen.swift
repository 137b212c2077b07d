import Foundation
import Hookflow

/// `…/dashboard/schedules`: every schedule, by name: when it fires, what it runs, whether it is
/// paused, its next fire times and last run, each with Pause or Resume, Run now and Delete.
package enum SchedulesScreen {
    /// How many of a schedule's next fire times the page shows.
    static let upcomingShown = 3

    /// The page, from the engine's store.
    package static func render(engine: WorkflowEngine, context: DashboardContext) async throws -> DashboardPage {
        let rows = try await engine.schedules().map { row($0, context: context) }
        let table: HTML =
            rows.isEmpty
            ? "<div class=\"empty\">No schedules. Declare one with <code>app.hookflow.schedule</code>, or save one through the API.</div>"
            : """
            <div class="table-wrap"><table class="data schedules"><thead><tr><th>Schedule</th><th>When</th><th>Workflow</th>\
            <th>State</th><th>Next fire times</th><th>Last run</th><th><span class="visually-hidden">Actions</span></th></tr></thead>\
            <tbody>\(rows)</tbody></table></div>
            """
        let content: HTML = """
            <div class="page-head"><h1>Schedules</h1><p class="subtitle">Workflows started on a cron expression or at an interval.</p>\
            <span class="refresh-note muted"></span></div>
            \(table)
            """
        return DashboardPage(title: "Schedules", section: .schedules, content: content, refresh: 10)
    }

    private static func row(_ record: ScheduleRecord, context: DashboardContext) -> HTML {
        let schedule = record.schedule
        let path = "/schedules/" + DashboardFormat.pathSegment(schedule.name)
        let toggle =
            record.paused
            ? context.actionForm(path + "/resume", label: "Resume", style: "btn btn-primary btn-sm", done: "Resumed", returning: true)
            : context.actionForm(path + "/pause", label: "Pause", style: "btn btn-sm", done: "Paused", returning: true)
        let actions = [
            toggle,
            context.actionForm(path + "/trigger", label: "Run now", style: "btn btn-sm"),
            context.actionForm(
                path + "/delete", label: "Delete", style: "btn btn-danger btn-sm",
                confirm: "Delete the schedule \(schedule.name)? The runs it started are kept.", done: "Schedule deleted",
                returning: true),
        ]
        let lastRun: HTML = record.lastRunID.map { DashboardFormat.runLink($0, context) } ?? "<span class=\"muted\">none yet</span>"
        return """
            <tr id="schedule-\(DashboardFormat.pathSegment(schedule.name))">\
            <td><a class="mono" href="\(context.scheduleRunsURL(schedule.name))" title="The runs it started">\(schedule.name)</a></td>\
            <td class="nowrap">\(schedule.spec.description)<div class="subline">missed ticks: \(schedule.missedTicks.description), \
            overlap: \(schedule.overlap.description)</div></td><td class="nowrap">\(schedule.workflowID)</td>\
            <td>\(DashboardFormat.badge(record.paused ? "paused" : "active"))</td><td>\(upcoming(record))</td>\
            <td>\(lastRun)</td><td class="actions">\(HTML.join(actions))</td></tr>
            """
    }

    /// The next fire times; a paused schedule has none until it is resumed.
    private static func upcoming(_ record: ScheduleRecord) -> HTML {
        guard !record.paused else { return "<span class=\"muted\">none while paused</span>" }
        let times = record.upcomingTicks(upcomingShown).filter { $0 < HookflowTime.latest }
        guard !times.isEmpty else { return "<span class=\"muted\">never</span>" }
        return HTML.join(times.map { DashboardFormat.time($0) }, separator: "<br>")
    }
}
