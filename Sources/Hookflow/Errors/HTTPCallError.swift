/// A `ctx.step.call` that did not get a usable response.
public struct HTTPCallError: Error, CustomStringConvertible {
    /// The URL, without user info and query.
    public let url: String
    /// The status received, or `nil` when the request itself failed.
    public let status: Int?
    public let message: String
    /// How long the server asked to wait before a retry (`Retry-After`), in seconds.
    public let retryAfter: Double?

    public init(url: String, status: Int?, message: String, retryAfter: Double? = nil) {
        self.url = url
        self.status = status
        self.message = message
        self.retryAfter = retryAfter
    }

    /// Whether a retry can succeed: not for a 4xx other than 408, 425 and 429.
    public var isRetryable: Bool {
        guard let status, (400..<500).contains(status) else { return true }
        return CallSafety.retryableClientStatuses.contains(status)
    }

    public var description: String {
        if let status { return "HTTP \(status) from \(url): \(message)" }
        return "request to \(url) failed: \(message)"
    }
}
