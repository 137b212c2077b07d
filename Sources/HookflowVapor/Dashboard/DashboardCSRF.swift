import Foundation
import HookflowDashboard
import Vapor

/// The dashboard's guard against cross-site requests: every form carries a token that is also
/// in a cookie only this site's pages receive, and a request that says it comes from another
/// site is refused. A POST without both is answered 403 and changes nothing.
enum DashboardCSRF {
    static let cookie = "hookflow_csrf"

    /// A new token: 32 random bytes, base64url (43 characters).
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Whether `token` is one ``newToken()`` could have made (an empty or short cookie is not).
    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 43 && token.utf8.allSatisfy { $0 == 0x2D || $0 == 0x5F || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
    }

    /// Why `request`, a POST, cannot be taken as the dashboard's own, or `nil` when it can.
    /// `Sec-Fetch-Site` decides when the browser sends it; otherwise `Origin` must name this host
    /// (as the client saw it: `X-Forwarded-Host` behind a proxy).
    static func refusal(of request: Request, token: String?) async -> String? {
        if let site = request.headers.first(name: "Sec-Fetch-Site") {
            guard site == "same-origin" || site == "none" else { return "the request came from another site (Sec-Fetch-Site: \(site))" }
        } else if let origin = request.headers.first(name: .origin) {
            let host = request.headers.first(name: "X-Forwarded-Host") ?? request.headers.first(name: .host)
            guard let host, Self.host(ofOrigin: origin) == host.lowercased() else {
                return "the request came from another origin (\(origin))"
            }
        }
        guard let token, isWellFormed(token) else { return "the form's token is missing: reload the page and try again" }
        // The form is read here, before the route, within the app's limit for a body.
        _ = try? await request.body.collect(max: request.application.routes.defaultMaxBodySize.value).get()
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
