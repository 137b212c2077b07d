/// A message QStash holds: pending, or (with the response fields) in the dead letter queue.
public struct QStashMessage: Sendable, Hashable, Codable {
    public var messageId: String
    public var url: String?
    public var method: String?
    public var header: [String: [String]]?
    public var body: String?
    public var bodyBase64: String?
    public var maxRetries: Int?
    /// Unix milliseconds.
    public var notBefore: Int64?
    /// Unix milliseconds.
    public var createdAt: Int64?
    /// Set on dead letter entries.
    public var dlqId: String?
    public var responseStatus: Int?
    public var responseBody: String?
}

/// One page of QStash's dead letter queue.
public struct QStashDeadLetterPage: Sendable, Hashable, Codable {
    public var messages: [QStashMessage]
    /// Pass to the next call for the following page; absent on the last one.
    public var cursor: String?
}
