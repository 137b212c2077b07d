import Foundation
import Hookflow

/// `…/dashboard/dead-letters?workflow=&replayed=&cursor=`: runs that failed for good, newest
/// first, each with Replay (resume the run from its failed step) and Delete.
package enum DeadLettersScreen {
    static let pageSize = 50

    /// The page, from the engine's store; an error names what was not found or the parameter at fault.
    package static func render(engine: WorkflowEngine, query: DashboardQuery, context: DashboardContext) async throws -> DashboardPage {
        let page = try await engine.listDeadLetters(try query.deadLetterFilter(), after: try query.cursor(), limit: pageSize)
        let rows = page.deadLetters.map { letter -> HTML in
            let path = "/dead-letters/" + DashboardFormat.pathSegment(letter.id)
            var actions: [HTML] = []
            if letter.replayedAt == nil {
                actions.append(context.actionForm(path + "/replay", label: "Replay", style: "btn btn-primary btn-sm"))
            }
            actions.append(context.actionForm(
                path + "/delete", label: "Delete", style: "btn btn-danger btn-sm", confirm: "Delete this dead letter?",
                returning: true))
            let replayed: HTML = letter.replayedAt.map { DashboardFormat.time($0) } ?? "<span class=\"muted\">no</span>"
            return """
                <tr><td>\(DashboardFormat.runLink(letter.runID, context))</td><td>\(letter.workflowID)</td>\
                <td class="mono">\(letter.stepID ?? "—")</td><td class="message">\(DashboardFormat.truncated(letter.errorMessage, limit: 160))</td>\
                <td>\(DashboardFormat.time(letter.createdAt))</td><td>\(replayed)</td><td class="actions">\(HTML.join(actions))</td></tr>
                """
        }
        let table: HTML =
            rows.isEmpty
            ? "<div class=\"empty\">No dead letters. Runs that fail for good land here.</div>"
            : """
            <div class="table-wrap"><table class="data"><thead><tr><th>Run</th><th>Workflow</th><th>Step</th><th>Error</th>\
            <th>Failed</th><th>Replayed</th><th><span class="visually-hidden">Actions</span></th></tr></thead>\
            <tbody>\(rows)</tbody></table></div>
            """
        let replayed = query.text("replayed")
        let next: HTML = page.next.map { cursor in
            let link = context.link("/dead-letters", keeping: ["workflow", "replayed"], of: query, extra: [("cursor", cursor.encoded)])
            return "<nav class=\"pager\"><a class=\"btn\" rel=\"next\" href=\"\(link)\">Next page →</a></nav>"
        } ?? ""
        let content: HTML = """
            <div class="page-head"><h1>Dead letters</h1><p class="subtitle">Runs that failed after their last retry.</p></div>
            <form class="filters" method="get" action="\(context.url("/dead-letters"))">
            <label>Replayed <select name="replayed" data-autosubmit><option value="">any</option>\
            <option value="false"\(replayed == "false" ? HTML.raw(" selected") : "")>not yet</option>\
            <option value="true"\(replayed == "true" ? HTML.raw(" selected") : "")>replayed</option></select></label>
            <label>Workflow <input type="search" name="workflow" value="\(query.text("workflow") ?? "")"></label>
            <div class="filter-actions"><button class="btn btn-primary" type="submit">Filter</button></div>
            </form>
            \(table)
            \(next)
            """
        return DashboardPage(title: "Dead letters", section: .deadLetters, content: content)
    }
}
