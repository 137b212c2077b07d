import Foundation

/// What `ctx.step.call` keeps out of checkpoints, logs and other origins.
enum CallSafety {
    /// `url` as errors and logs show it: without user info, query and fragment, which may hold credentials.
    static func shownURL(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.host != nil else {
            // Not a URL we can take apart: keep only what precedes any credential-bearing part.
            let cut = url.split(whereSeparator: { "?#@".contains($0) }).first.map(String.init) ?? ""
            return url.contains("@") ? "(a URL with credentials)" : cut
        }
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        return components.string ?? "(unprintable URL)"
    }

    /// Whether a response header carries credentials and so is not checkpointed.
    static func isSecretHeader(_ lowercasedName: String) -> Bool {
        if ["set-cookie", "set-cookie2", "cookie", "authorization", "proxy-authorization"].contains(lowercasedName) {
            return true
        }
        return ["token", "secret", "password", "session", "api-key", "apikey", "auth"].contains {
            lowercasedName.contains($0)
        }
    }

    /// Request headers that may follow a redirect to another origin; the caller's others
    /// (Authorization, X-Api-Key, cookies, anything custom) stay with the origin they were meant for.
    static let headersSafeAcrossOrigins: Set<String> = [
        "accept", "accept-language", "accept-encoding", "content-type", "user-agent",
    ]

    /// Whether two URLs have the same scheme, host and port.
    static func sameOrigin(_ a: URL, _ b: URL) -> Bool {
        func port(_ url: URL) -> Int? { url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80) }
        return a.scheme?.lowercased() == b.scheme?.lowercased() && a.host?.lowercased() == b.host?.lowercased()
            && port(a) == port(b)
    }

    /// The wait a `Retry-After` value asks for, in seconds (a number of seconds or an HTTP date),
    /// at most a day; `nil` when absent or unreadable.
    static func retryAfter(_ value: String?, now: Date) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        let seconds: Double?
        if let number = Double(value), number.isFinite {
            seconds = number
        } else if let date = httpDate().date(from: value) {
            seconds = date.timeIntervalSince(now)
        } else {
            seconds = nil
        }
        return seconds.map { min(max(0, $0), 86_400) }
    }

    /// IMF-fixdate, the form of HTTP dates (`Sun, 06 Nov 1994 08:49:37 GMT`).
    private static func httpDate() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter
    }

    /// Statuses that say "try again later" rather than "this request is wrong".
    static let retryableClientStatuses: Set<Int> = [408, 425, 429]
}
