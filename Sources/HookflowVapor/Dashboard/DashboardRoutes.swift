import Hookflow
import HookflowDashboard
import Vapor

/// How a page is answered: rendered with the request's engine, query and context.
enum DashboardRoutes {
    static func show(
        _ request: Request,
        _ render: (WorkflowEngine, DashboardQuery, DashboardContext) async throws -> DashboardPage
    ) async throws -> Response {
        let context = try request.dashboard
        let page = try await render(try request.application.hookflow.engine, DashboardQuery(request.url.query), context)
        return page.response(context)
    }
}
