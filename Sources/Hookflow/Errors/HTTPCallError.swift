/// A `ctx.step.call` that did not get a usable response.
public struct HTTPCallError: Error, CustomStringConvertible {
    public let url: String
    /// The status received, or `nil` when the request itself failed.
    public let status: Int?
    public let message: String

    public var description: String {
        if let status { return "HTTP \(status) from \(url): \(message)" }
        return "request to \(url) failed: \(message)"
    }
}
