import Foundation
import Hookflow

/// `…/dashboard/`: runs by status per workflow, what failed in the last hour, what waits to run.
package enum OverviewScreen {
    /// How far back "recent failures" look, and how many of them are counted.
    static let recentWindow: TimeInterval = 3600
    static let recentLimit = 100

    /// The page, from the engine's store; an error names what was not found or the parameter at fault.
    package static func render(engine: WorkflowEngine, context: DashboardContext) async throws -> DashboardPage {
        let counts = try await engine.countRunsByStatus()
        let now = Date()
        let failed = try await engine.listRuns(
            RunFilter(statuses: [.failed], updatedSince: now.addingTimeInterval(-recentWindow)), limit: recentLimit)
        let letters = try await engine.listDeadLetters(DeadLetterFilter(replayed: false), limit: recentLimit)
        let retries = try await engine.countStepRetries(since: now.addingTimeInterval(-recentWindow))
        let waiting = try await engine.store.runCounts(now: now)
        let oldest = try await engine.store.overdueRuns(before: now, limit: 1, workflows: nil).first

        func total(_ status: RunStatus) -> Int { counts.values.reduce(0) { $0 + ($1[status] ?? 0) } }
        let all = counts.values.reduce(0) { $0 + $1.values.reduce(0, +) }
        func atLeast(_ count: Int, more: Bool) -> String { DashboardFormat.count(count) + (more ? "+" : "") }
        let runs = context.url("/runs")
        let backlog = waiting?.runnable ?? total(.pending)
        let oldestNote: HTML = oldest.map { run in
            "oldest: \(DashboardFormat.runLink(run.runID, context)), \(DashboardFormat.time(run.updatedAt ?? run.createdAt))"
        } ?? "nothing waits for a worker"
        let cards: [HTML] = [
            card("Runs", DashboardFormat.count(all), link: runs, note: "\(counts.count) workflows"),
            card("Running", DashboardFormat.count(total(.running)), link: runs + "?status=running", note: "executing a step now"),
            card("Backlog", DashboardFormat.count(backlog), link: runs + "?status=pending",
                 note: oldestNote, style: backlog > 0 ? "card-warn" : nil),
            card("Asleep", DashboardFormat.count(waiting?.sleeping ?? total(.sleeping)), link: runs + "?status=sleeping",
                 note: "until a time or an event"),
            card("Failed, last hour", atLeast(failed.runs.count, more: failed.next != nil),
                 link: runs + "?status=failed", note: "\(DashboardFormat.count(total(.failed))) failed in all",
                 style: failed.runs.isEmpty ? nil : "card-danger"),
            card("Retries, last hour", DashboardFormat.count(retries), link: runs + "?status=pending,running,sleeping",
                 note: "attempts beyond a step's first", style: retries > 0 ? "card-warn" : nil),
            card("Dead letters", atLeast(letters.deadLetters.count, more: letters.next != nil),
                 link: context.url("/dead-letters"), note: "not replayed yet", style: letters.deadLetters.isEmpty ? nil : "card-warn"),
        ]
        let content: HTML = """
            <div class="page-head"><h1>Overview</h1><p class="subtitle">Every workflow's runs, by status.</p>\
            <span class="refresh-note muted"></span></div>
            <section class="cards">\(cards)</section>
            <section class="panel"><h2>Runs by workflow</h2>\(table(counts, context))</section>
            """
        return DashboardPage(title: "Overview", section: .overview, content: content, refresh: 10)
    }

    private static func card(_ label: String, _ value: String, link: String, note: HTML, style: String? = nil) -> HTML {
        let modifier: HTML = style.map { " \($0)" } ?? ""
        return """
            <div class="card\(modifier)"><div class="card-label">\(label)</div>\
            <a class="card-value" href="\(link)">\(value)</a><div class="card-note">\(note)</div></div>
            """
    }

    private static func table(_ counts: [String: [RunStatus: Int]], _ context: DashboardContext) -> HTML {
        guard !counts.isEmpty else { return "<div class=\"empty\">No runs yet. Start one from Workflows.</div>" }
        let head = RunStatus.allCases.map { status -> HTML in "<th class=\"num\">\(DashboardFormat.badge(status.rawValue))</th>" }
        let rows = counts.keys.sorted().map { workflow -> HTML in
            let byStatus = counts[workflow] ?? [:]
            let query = "?workflow=" + DashboardFormat.queryValue(workflow)
            let cells = RunStatus.allCases.map { status -> HTML in
                let count = byStatus[status] ?? 0
                guard count > 0 else { return "<td class=\"num muted\">0</td>" }
                let link = context.url("/runs") + query + "&status=" + status.rawValue
                return "<td class=\"num\"><a href=\"\(link)\">\(DashboardFormat.count(count))</a></td>"
            }
            let sum = byStatus.values.reduce(0, +)
            return """
                <tr><th scope="row"><a href="\(context.url("/runs") + query)">\(workflow)</a></th>\(cells)\
                <td class="num">\(DashboardFormat.count(sum))</td></tr>
                """
        }
        return """
            <div class="table-wrap"><table class="data"><thead><tr><th>Workflow</th>\(head)<th class="num">Total</th></tr></thead>\
            <tbody>\(rows)</tbody></table></div>
            """
    }
}
