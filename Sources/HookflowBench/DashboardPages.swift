import Foundation
import Hookflow
import HookflowDashboard

/// What the dashboard's pages cost the server on a big store: the runs page (first page,
/// filtered, a thousand pages in) and the overview, rendered to HTML as a request renders them.
enum DashboardPages {
    static func measure(
        store: any WorkflowStore, thousandth: ListCursor?, repetitions: Int
    ) async throws -> [(String, BenchResult.Value)] {
        let engine = WorkflowEngine(store: store, registry: WorkflowRegistry(), transport: LocalTransport(workers: 1))
        let context = DashboardContext(base: "/hookflow/dashboard", csrfToken: "bench")
        func runsPage(_ query: String) async throws -> [Double] {
            var times: [Double] = []
            for _ in 0..<repetitions {
                times.append(try await Measure.seconds {
                    let page = try await RunsScreen.render(engine: engine, query: DashboardQuery(query), context: context)
                    _ = page.render(context).description.utf8.count
                } * 1000)
            }
            return times
        }
        let first = try await runsPage("")
        let filtered = try await runsPage("workflow=workflow-3&status=failed")
        let deep = try await runsPage(thousandth.map { "cursor=\($0.encoded)" } ?? "")
        var overview: [Double] = []
        for _ in 0..<max(3, repetitions / 10) {
            overview.append(try await Measure.seconds {
                _ = try await OverviewScreen.render(engine: engine, context: context).render(context).description.utf8.count
            } * 1000)
        }
        let assets = try DashboardAssets.load()
        return [
            ("dashboard_runs_p99_ms", .number(Measure.percentile(first, 0.99))),
            ("dashboard_runs_filtered_p99_ms", .number(Measure.percentile(filtered, 0.99))),
            ("dashboard_runs_page_1000_p99_ms", .number(Measure.percentile(deep, 0.99))),
            ("dashboard_overview_p99_ms", .number(Measure.percentile(overview, 0.99))),
            ("dashboard_assets_bytes", .integer(assets.stylesheet.body.utf8.count + assets.script.body.utf8.count)),
        ]
    }
}
