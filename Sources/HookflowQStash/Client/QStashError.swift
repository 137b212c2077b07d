/// A QStash API call that failed. Carries QStash's own message; never the token.
public struct QStashError: Error, CustomStringConvertible, Hashable {
    /// The HTTP status, or `nil` when QStash could not be reached.
    public let status: Int?
    /// QStash's `error` message, or the transport failure.
    public let message: String
    /// The API call, as method and path (`POST /v2/publish`).
    public let operation: String

    public init(status: Int?, message: String, operation: String) {
        self.status = status
        self.message = message
        self.operation = operation
    }

    public var description: String {
        if let status { return "QStash \(operation) failed with HTTP \(status): \(message)" }
        return "QStash \(operation) failed: \(message)"
    }
}
