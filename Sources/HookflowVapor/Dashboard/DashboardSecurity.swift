import Crypto
import Foundation
import HookflowDashboard
import Vapor

/// The dashboard's guard against cross-site requests: every form carries a token that is also
/// in a `SameSite=Strict` cookie only this site can read, and a request that says it comes from
/// another origin is refused. A POST without both is answered 403 and changes nothing.
enum DashboardCSRF {
    static let cookie = "hookflow_csrf"

    /// A new token: 32 random bytes, base64url.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Why `request`, a POST, cannot be taken as the dashboard's own, or `nil` when it can.
    static func refusal(of request: Request, token: String?) async -> String? {
        if let site = request.headers.first(name: "Sec-Fetch-Site"), site != "same-origin", site != "none" {
            return "the request came from another site (Sec-Fetch-Site: \(site))"
        }
        if let origin = request.headers.first(name: .origin) {
            guard let host = request.headers.first(name: .host), Self.host(ofOrigin: origin) == host.lowercased() else {
                return "the request came from another origin (\(origin))"
            }
        }
        guard let token else { return "the form's token is missing: reload the page and try again" }
        // The form is read here, before the route: its body is collected first (a form is small).
        _ = try? await request.body.collect(max: 1 << 20).get()
        let given = (try? request.content.get(String.self, at: DashboardContext.csrfField)) ?? request.headers.first(name: "X-CSRF-Token")
        guard let given, BearerTokenGuard.same(given, token) else {
            return "the form's token does not match: reload the page and try again"
        }
        return nil
    }

    /// `https://example.com:8080` → `example.com:8080`.
    private static func host(ofOrigin origin: String) -> String? {
        guard let components = URLComponents(string: origin), let host = components.host else { return nil }
        return (components.port.map { "\(host):\($0)" } ?? host).lowercased()
    }
}

/// Checks every request to the dashboard: the cross-site request token of a POST, and, with
/// `HOOKFLOW_API_TOKEN` set, a session made by signing in with it (or the token as a bearer
/// header). It gives the handlers their ``DashboardContext``.
struct DashboardGuard: AsyncMiddleware {
    let base: String
    let apiToken: String?

    /// The session cookie's value for `token`: a keyed hash, so the cookie is not the token.
    static func session(for token: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("hookflow-dashboard-session".utf8), using: SymmetricKey(data: Data(token.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    static let sessionCookie = "hookflow_session"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let existing = request.cookies[DashboardCSRF.cookie]?.string
        let token = existing ?? DashboardCSRF.newToken()
        let context = DashboardContext(base: base, csrfToken: token)
        request.storage[DashboardContextKey.self] = context
        let response: Response
        if request.method == .POST, let refusal = await DashboardCSRF.refusal(of: request, token: existing) {
            request.logger.warning("hookflow dashboard refused a POST to \(request.url.path): \(refusal)")
            response = DashboardPage.error(refusal, status: .forbidden, context: context).response(context)
        } else if let apiToken, !isSignedIn(request, apiToken), !isLogin(request) {
            if request.method == .GET {
                response = request.redirect(to: context.url("/login"), redirectType: .normal)
            } else {
                response = DashboardPage.error("sign in with HOOKFLOW_API_TOKEN first", status: .unauthorized, context: context)
                    .response(context)
            }
        } else {
            response = try await next.respond(to: request)
        }
        if existing == nil { response.cookies[DashboardCSRF.cookie] = cookie(token, request) }
        return response
    }

    private func isSignedIn(_ request: Request, _ apiToken: String) -> Bool {
        if let bearer = request.headers.bearerAuthorization?.token, BearerTokenGuard.same(bearer, apiToken) { return true }
        guard let session = request.cookies[Self.sessionCookie]?.string else { return false }
        return BearerTokenGuard.same(session, Self.session(for: apiToken))
    }

    private func isLogin(_ request: Request) -> Bool {
        request.url.path == base + "/login"
    }

    /// A cookie for the dashboard's path only, out of scripts' reach, never sent by another site.
    func cookie(_ value: String, _ request: Request) -> HTTPCookies.Value {
        let secure = request.headers.first(name: "X-Forwarded-Proto") == "https" || request.url.scheme == "https"
        return HTTPCookies.Value(string: value, path: base, isSecure: secure, isHTTPOnly: true, sameSite: .strict)
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
