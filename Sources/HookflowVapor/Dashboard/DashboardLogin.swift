import Foundation
import Hookflow
import HookflowDashboard
import Vapor

/// Signing in with `HOOKFLOW_API_TOKEN`, when it is set: a form, and a session cookie
/// (``DashboardSession``) that holds a signature made with the token, never the token.
enum DashboardLogin {
    /// How long a wrong token makes its request wait: guessing the token costs time.
    static let wrongTokenDelay: Duration = .seconds(1)

    static func form(_ request: Request) async throws -> Response {
        let context = try request.dashboard
        return page(context, next: request.query[String.self, at: "next"], message: nil)
    }

    /// `POST login` with `token` (and `next`, the page asked for): that page, signed in.
    static func signIn(_ request: Request) async throws -> Response {
        let context = try request.dashboard
        let next = try? request.content.get(String.self, at: "next")
        guard let token = request.application.hookflow.configuration?.apiToken?.value else {
            return request.redirect(to: context.url(), redirectType: .normal)
        }
        let given = (try? request.content.get(String.self, at: "token")) ?? ""
        guard BearerTokenGuard.same(given, token) else {
            request.logger.warning("hookflow dashboard: a sign-in with a wrong token")
            try await Task.sleep(for: wrongTokenDelay)
            return page(context, next: next, message: "That is not the HOOKFLOW_API_TOKEN of this app.", status: .unauthorized)
        }
        let target = next.flatMap { context.isOwnPage($0) ? $0 : nil } ?? context.url()
        let response = request.redirect(to: target, redirectType: .normal)
        response.cookies[DashboardSession.cookie] = DashboardGuard.cookie(
            DashboardSession(token: token).make(), base: context.base, request, maxAge: Int(DashboardSession.lifetime))
        return response
    }

    static func signOut(_ request: Request) async throws -> Response {
        let context = try request.dashboard
        let response = request.redirect(to: context.url("/login"), redirectType: .normal)
        response.cookies[DashboardSession.cookie] = DashboardGuard.cookie("", base: context.base, request, maxAge: 0)
        return response
    }

    private static func page(
        _ context: DashboardContext, next: String?, message: String?, status: HTTPResponseStatus = .ok
    ) -> Response {
        let flash: HTML = message.map { "<div class=\"flash flash-error\">\($0)</div>" } ?? ""
        let nextField: HTML = next.flatMap { context.isOwnPage($0) ? $0 : nil }
            .map { "<input type=\"hidden\" name=\"next\" value=\"\($0)\">" } ?? ""
        return DashboardPage(
            title: "Sign in", section: nil,
            content: """
                <div class="page-head"><h1>Sign in</h1><p class="subtitle">This dashboard is guarded by the app's HOOKFLOW_API_TOKEN.</p></div>
                \(flash)
                <form class="login panel" method="post" action="\(context.url("/login"))">\(context.csrfInput)\(nextField)
                <label>API token <input type="password" name="token" autocomplete="current-password" required autofocus></label>
                <button class="btn btn-primary" type="submit">Sign in</button>
                </form>
                """,
            status: Int(status.code)
        ).response(context)
    }
}
