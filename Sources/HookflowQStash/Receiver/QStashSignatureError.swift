/// Why a delivery's `Upstash-Signature` was refused. Meant for the log, not the response.
public struct QStashSignatureError: Error, CustomStringConvertible, Hashable {
    public enum Reason: String, Sendable, Hashable {
        case missing = "no Upstash-Signature header"
        case invalid = "not a valid JWT signed with the current or next signing key"
        case wrongIssuer = "issuer is not Upstash"
        case expired = "token expired"
        case notYetValid = "token not valid yet"
        case wrongURL = "token was issued for another URL"
        case bodyMismatch = "body does not match the token's body hash"
    }

    public let reason: Reason
    /// Detail for the log (the URLs compared, the decoding failure); never a key.
    public let detail: String?

    public init(_ reason: Reason, detail: String? = nil) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String {
        "invalid QStash signature: \(reason.rawValue)" + (detail.map { " (\($0))" } ?? "")
    }
}
