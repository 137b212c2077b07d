import Foundation
import NIOHTTP1

/// A message to publish: where it goes, what it carries, when and how often it is delivered.
public struct QStashPublishRequest: Sendable {
    /// The full URL QStash delivers to.
    public var destination: String
    public var body: Data
    /// Forwarded to the destination as its `Content-Type`.
    public var contentType: String?
    /// The method QStash delivers with (`Upstash-Method`); POST by default.
    public var method: HTTPMethod?
    /// Delivery no sooner than this from now (`Upstash-Delay`, whole seconds).
    public var delay: Duration?
    /// Delivery no sooner than this time (`Upstash-Not-Before`); wins over `delay`.
    public var notBefore: Date?
    /// A second publish with the same id within QStash's window is accepted but not delivered again.
    public var deduplicationID: String?
    /// Delivery retries after the first attempt (`Upstash-Retries`).
    public var retries: Int?
    /// Headers delivered to the destination (sent as `Upstash-Forward-<Name>`).
    public var forwardHeaders: [String: String]
    /// Headers sent to QStash as they are (other `Upstash-*` controls).
    public var headers: [String: String]

    public init(
        destination: String, body: Data = Data(), contentType: String? = nil, method: HTTPMethod? = nil,
        delay: Duration? = nil, notBefore: Date? = nil, deduplicationID: String? = nil, retries: Int? = nil,
        forwardHeaders: [String: String] = [:], headers: [String: String] = [:]
    ) {
        self.destination = destination
        self.body = body
        self.contentType = contentType
        self.method = method
        self.delay = delay
        self.notBefore = notBefore
        self.deduplicationID = deduplicationID
        self.retries = retries
        self.forwardHeaders = forwardHeaders
        self.headers = headers
    }
}

/// What QStash answered to a publish.
public struct QStashPublishResponse: Sendable, Hashable, Codable {
    public var messageId: String
    /// `true` when the deduplication id had been seen: nothing new was enqueued.
    public var deduplicated: Bool?
}
