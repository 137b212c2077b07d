import Foundation
import Hookflow

/// `…/dashboard/runs?workflow=&status=&since=&until=&prefix=&parent=&schedule=&cursor=`: the runs,
/// newest first, filtered, a page at a time; the page refreshes itself and keeps its filters.
package enum RunsScreen {
    static let pageSize = 50

    /// The page, from the engine's store; an error names what was not found or the parameter at fault.
    package static func render(engine: WorkflowEngine, query: DashboardQuery, context: DashboardContext) async throws -> DashboardPage {
        let page = try await engine.listRuns(try query.runFilter(), after: try query.cursor(), limit: pageSize)
        // The registered workflows, and the one filtered on: counting every run on each refresh would cost more.
        let workflows = Set(engine.registry.ids).union([query.text("workflow")].compactMap { $0 }).sorted()

        let rows = page.runs.map { run -> HTML in
            """
            <tr><td>\(DashboardFormat.runLink(run.runID, context))</td><td class="nowrap">\(run.workflowID)\(scheduled(run, context))</td>\
            <td>\(DashboardFormat.badge(run.status.rawValue))</td><td>\(DashboardFormat.time(run.createdAt))</td>\
            <td>\(DashboardFormat.time(run.updatedAt ?? run.createdAt))</td><td>\(note(run))</td></tr>
            """
        }
        let table: HTML =
            rows.isEmpty
            ? "<div class=\"empty\">No runs match these filters.</div>"
            : """
            <div class="table-wrap"><table class="data runs"><thead><tr><th>Run</th><th>Workflow</th><th>Status</th>\
            <th>Created</th><th>Updated</th><th>Next</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
        let subtitle: HTML = query.text("schedule").map { "Started by the schedule \($0), newest first." } ?? "Newest first."
        let content: HTML = """
            <div class="page-head"><h1>Runs</h1><p class="subtitle">\(subtitle)</p><span class="refresh-note muted"></span></div>
            \(form(query, workflows: workflows, context: context))
            \(table)
            \(pager(query, next: page.next, context: context))
            """
        return DashboardPage(title: "Runs", section: .runs, content: content, refresh: 5)
    }

    /// The schedule that started the run, and its tick, under the workflow; nothing for another run.
    private static func scheduled(_ run: RunRecord, _ context: DashboardContext) -> HTML {
        run.scheduledBy.map { "<div class=\"subline\">schedule \(DashboardFormat.scheduled($0, context))</div>" } ?? ""
    }

    /// What the run does next, or how it ended.
    private static func note(_ run: RunRecord) -> HTML {
        switch run.status {
        case .sleeping: return run.wakeAt.map { "wakes \(DashboardFormat.time($0))" } ?? "waits for an event"
        case .failed: return "<span class=\"muted\">\(DashboardFormat.truncated(run.errorMessage ?? "", limit: 100))</span>"
        case .completed, .cancelled: return run.completedAt.map { "ended \(DashboardFormat.time($0))" } ?? ""
        case .pending: return run.cancelRequestedAt == nil ? "waiting for a worker" : "cancelling"
        case .queued: return run.flow.concurrencyKey.map { "waiting for a slot of key \($0)" } ?? "waiting for a slot"
        case .running: return run.cancelRequestedAt == nil ? "running" : "cancelling"
        }
    }

    private static func form(_ query: DashboardQuery, workflows: [String], context: DashboardContext) -> HTML {
        let chosenWorkflow = query.text("workflow")
        let workflowOptions = workflows.map { id -> HTML in
            "<option value=\"\(id)\"\(selected(id == chosenWorkflow))>\(id)</option>"
        }
        let chosenStatus = query.text("status")
        let statusOptions = (RunStatus.allCases.map(\.rawValue) + ["pending,running,sleeping"]).map { value -> HTML in
            let label = value.contains(",") ? "unfinished" : value
            return "<option value=\"\(value)\"\(selected(value == chosenStatus))>\(label)</option>"
        }
        return """
            <form class="filters" method="get" action="\(context.url("/runs"))">
            <label>Workflow <select name="workflow" data-autosubmit><option value="">any</option>\(workflowOptions)</select></label>
            <label>Status <select name="status" data-autosubmit><option value="">any</option>\(statusOptions)</select></label>
            <label>Since <input type="datetime-local" name="since" value="\(query.text("since") ?? "")"></label>
            <label>Until <input type="datetime-local" name="until" value="\(query.text("until") ?? "")"></label>
            <label>Run id <input type="search" name="prefix" value="\(query.text("prefix") ?? "")" placeholder="Run id starts with…"></label>
            <input type="hidden" name="tz" value="\(query.text("tz") ?? "")">
            <input type="hidden" name="parent" value="\(query.text("parent") ?? "")">
            <input type="hidden" name="schedule" value="\(query.text("schedule") ?? "")">
            <div class="filter-actions"><button class="btn btn-primary" type="submit">Filter</button>\
            <a class="btn btn-ghost" href="\(context.url("/runs"))">Clear</a></div>
            </form>
            """
    }

    private static func selected(_ isSelected: Bool) -> HTML { isSelected ? " selected" : "" }

    /// First page and next page, keeping the filters.
    private static func pager(_ query: DashboardQuery, next: ListCursor?, context: DashboardContext) -> HTML {
        let filters = ["workflow", "status", "since", "until", "prefix", "tz", "parent", "schedule"]
        let firstLink: HTML =
            query.text("cursor") == nil
            ? "" : "<a class=\"btn btn-ghost\" href=\"\(context.link("/runs", keeping: filters, of: query))\">First page</a>"
        let nextLink: HTML = next.map { cursor in
            let link = context.link("/runs", keeping: filters, of: query, extra: [("cursor", cursor.encoded)])
            return "<a class=\"btn\" rel=\"next\" href=\"\(link)\">Next page →</a>"
        } ?? ""
        return "<nav class=\"pager\" aria-label=\"Pages\">\(firstLink)\(nextLink)</nav>"
    }
}
