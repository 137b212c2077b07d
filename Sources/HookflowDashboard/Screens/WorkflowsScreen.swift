import Foundation
import Hookflow

/// `…/dashboard/workflows`: the registered workflows (and any other with runs), their runs by
/// status, and a form that starts a run with JSON input.
package enum WorkflowsScreen {
    /// The page, from the engine's store; an error names what was not found or the parameter at fault.
    package static func render(engine: WorkflowEngine, context: DashboardContext) async throws -> DashboardPage {
        let counts = try await engine.countRunsByStatus()
        let registered = Set(engine.registry.ids)
        let ids = registered.union(counts.keys).sorted()
        let items = ids.map { id -> HTML in
            let byStatus = counts[id] ?? [:]
            let badges = RunStatus.allCases.compactMap { status -> HTML? in
                guard let count = byStatus[status], count > 0 else { return nil }
                let link = context.url("/runs") + "?workflow=" + DashboardFormat.queryValue(id) + "&status=" + status.rawValue
                return "<a class=\"count-link\" href=\"\(link)\">\(DashboardFormat.badge(status.rawValue)) \(DashboardFormat.count(count))</a>"
            }
            let countsHTML: HTML = badges.isEmpty ? "<span class=\"muted\">no runs yet</span>" : HTML.join(badges)
            let start: HTML =
                registered.contains(id)
                ? """
                <details class="start"><summary class="btn btn-sm">Start a run</summary>\
                <form class="trigger-form" method="post" action="\(context.url("/workflows/" + DashboardFormat.pathSegment(id) + "/runs"))" data-action>\
                \(context.csrfInput)<label>Input (JSON) <textarea name="input" class="mono" rows="4" spellcheck="false">{}</textarea></label>\
                <label>Run id (optional) <input name="run_id" class="mono" placeholder="generated when empty"></label>\
                <button class="btn btn-primary" type="submit">Start run</button></form></details>
                """
                : "<p class=\"muted\">Not registered in this instance: its runs wait for an instance that knows it.</p>"
            return """
                <section class="panel workflow" id="workflow-\(DashboardFormat.pathSegment(id))"><h2 class="mono">\(id)</h2>\
                <div class="counts">\(countsHTML)</div>\(start)</section>
                """
        }
        let content: HTML = """
            <div class="page-head"><h1>Workflows</h1><p class="subtitle">\(ids.count) workflows, \(registered.count) registered here.</p></div>
            \(items)
            """
        return DashboardPage(title: "Workflows", section: .workflows, content: content)
    }
}
