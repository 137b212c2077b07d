import Foundation
import Hookflow

/// The run page's panel of the runs a run started as its children, newest first.
enum ChildrenPanel {
    /// The panel for `children` (fetched one beyond `limit`, to tell whether there are more);
    /// nothing for a run without children.
    static func render(_ children: [RunRecord], limit: Int, of runID: WorkflowRunID, context: DashboardContext) -> HTML {
        guard !children.isEmpty else { return "" }
        let rows = children.prefix(limit).map { child -> HTML in
            """
            <tr><td>\(DashboardFormat.runLink(child.runID, context))</td><td class="nowrap">\(child.workflowID)</td>\
            <td>\(DashboardFormat.badge(child.status.rawValue))</td><td>\(DashboardFormat.time(child.createdAt))</td></tr>
            """
        }
        let all = context.url("/runs") + "?parent=" + DashboardFormat.queryValue(runID.rawValue)
        let more: HTML =
            children.count > limit
            ? "<nav class=\"pager\"><a class=\"btn\" href=\"\(all)\">All children →</a></nav>" : ""
        return """
            <section class="panel children"><h2>Children</h2>\
            <div class="table-wrap"><table class="data"><thead><tr><th>Run</th><th>Workflow</th><th>Status</th>\
            <th>Created</th></tr></thead><tbody>\(rows)</tbody></table></div>\(more)</section>
            """
    }

    /// The child run a `child` step started, from its checkpointed result.
    static func childRunID(ofStep step: StepRecord) -> WorkflowRunID? {
        guard let result = step.result, let json = try? JSONDecoder().decode(JSON.self, from: Data(result.utf8)),
            case .string(let id) = json["run_id"]
        else { return nil }
        return WorkflowRunID(id)
    }
}
