import Foundation
import HookflowDashboard
import Vapor

/// Checks every request to the dashboard's pages: with `HOOKFLOW_API_TOKEN` set, a session made
/// by signing in with it (or the token as a bearer header), first; then the cross-site request
/// token of a POST (``DashboardCSRF``). It gives the handlers their ``DashboardContext``.
struct DashboardGuard: AsyncMiddleware {
    /// The dashboard's own path components (`HOOKFLOW_WEBHOOK_PATH` and its `path`), by which it
    /// finds where it is mounted, behind whatever group the app put it in.
    let root: [String]
    let apiToken: String?

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let base = Self.base(of: request, root: root)
        let existing = request.cookies[DashboardCSRF.cookie]?.string
        let token = existing.flatMap { DashboardCSRF.isWellFormed($0) ? $0 : nil } ?? DashboardCSRF.newToken()
        let session = apiToken.map(DashboardSession.init)
        let hasSession = session.map { session in
            request.cookies[DashboardSession.cookie].map { session.isValid($0.string) } ?? false
        } ?? false
        let current = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
        let context = DashboardContext(base: base, csrfToken: token, current: current, signedIn: hasSession)
        request.storage[DashboardContextKey.self] = context

        let response: Response
        if let apiToken, !hasSession, !hasBearer(request, apiToken), request.url.path != context.url("/login") {
            if request.method == .GET {
                let login = context.url("/login") + "?next=" + DashboardFormat.queryValue(current)
                response = request.redirect(to: login, redirectType: .normal)
            } else {
                response = DashboardPage.error("sign in with HOOKFLOW_API_TOKEN first", status: .unauthorized, context: context)
                    .response(context)
            }
        } else if request.method == .POST, let refusal = await DashboardCSRF.refusal(of: request, token: existing) {
            request.logger.warning("hookflow dashboard refused a POST to \(request.url.path): \(refusal)")
            response = DashboardPage.error(refusal, status: .forbidden, context: context).response(context)
        } else {
            response = try await next.respond(to: request)
        }
        if existing != token { response.cookies[DashboardCSRF.cookie] = Self.cookie(token, base: base, request) }
        return response
    }

    private func hasBearer(_ request: Request, _ apiToken: String) -> Bool {
        request.headers.bearerAuthorization.map { BearerTokenGuard.same($0.token, apiToken) } ?? false
    }

    /// The dashboard's path as this request reached it: its route's path up to the dashboard's
    /// own components, a group's prefix included; without a trailing slash, empty at the root.
    static func base(of request: Request, root: [String]) -> String {
        let path = request.route?.path.map(\.description) ?? []
        var components = root
        if !root.isEmpty, path.count >= root.count {
            for start in stride(from: path.count - root.count, through: 0, by: -1)
            where Array(path[start..<(start + root.count)]) == root {
                components = Array(path[..<(start + root.count)])
                break
            }
        }
        return components.isEmpty ? "" : "/" + components.joined(separator: "/")
    }

    /// A cookie for the dashboard's pages only, out of scripts' reach, sent on a link from
    /// another site (a GET) but never on its POSTs.
    static func cookie(_ value: String, base: String, _ request: Request, maxAge: Int? = nil) -> HTTPCookies.Value {
        let secure = request.headers.first(name: "X-Forwarded-Proto") == "https" || request.url.scheme == "https"
        return HTTPCookies.Value(
            string: value, maxAge: maxAge, path: base.isEmpty ? "/" : base, isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }
}

enum DashboardContextKey: StorageKey {
    typealias Value = DashboardContext
}

extension Request {
    /// The dashboard's context of this request (set by ``DashboardGuard``).
    var dashboard: DashboardContext {
        get throws {
            guard let context = storage[DashboardContextKey.self] else { throw Abort(.internalServerError) }
            return context
        }
    }
}
