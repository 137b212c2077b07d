import Crypto
import Foundation

/// The session of a viewer who signed in with `HOOKFLOW_API_TOKEN`: when it was made, signed
/// with the token (an HMAC), so the cookie is never the token, changes with each sign-in and
/// lapses after ``lifetime``; a new token ends every session.
struct DashboardSession {
    static let cookie = "hookflow_session"
    /// How long a sign-in lasts.
    static let lifetime: TimeInterval = 12 * 3600

    let token: String

    /// A session made at `date`: `v1.<seconds>.<signature>`.
    func make(at date: Date = Date()) -> String {
        let seconds = Int(date.timeIntervalSince1970)
        return "v1.\(seconds).\(signature(seconds))"
    }

    /// Whether `value` is a session this token made less than ``lifetime`` ago.
    func isValid(_ value: String, now: Date = Date()) -> Bool {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let seconds = Int(parts[1]) else { return false }
        let age = now.timeIntervalSince1970 - Double(seconds)
        guard age >= -60, age < Self.lifetime else { return false }
        return BearerTokenGuard.same(String(parts[2]), signature(seconds))
    }

    private func signature(_ seconds: Int) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("hookflow-dashboard-session|\(seconds)".utf8), using: SymmetricKey(data: Data(token.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }
}
