import Hookflow
import HookflowDashboard
import Vapor

/// Answers an error of the dashboard's pages as a page that says what went wrong (and the
/// status the JSON API would answer); a 5xx is logged.
struct DashboardErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let answer = APIError.answer(to: error, of: request, in: "dashboard")
            let context = (try? request.dashboard) ?? DashboardContext(base: "", csrfToken: "")
            return DashboardPage.error(answer.message, status: answer.status, context: context).response(context)
        }
    }
}
