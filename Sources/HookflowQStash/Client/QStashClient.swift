import AsyncHTTPClient
import Foundation
import Hookflow
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// QStash's REST API: publish, inspect and cancel messages, and work the dead letter queue.
///
/// Requests that do not reach QStash are retried with back-off (five times, from 50 ms);
/// HTTP errors are not, and throw ``QStashError`` with QStash's message.
///
/// ```swift
/// let qstash = QStashClient(baseURL: "http://127.0.0.1:8080", token: token)
/// let sent = try await qstash.publish(.init(destination: "https://app.example.com/hook", body: Data("{}".utf8),
///                                           contentType: "application/json", delay: .seconds(60)))
/// ```
public struct QStashClient: Sendable {
    /// Upstash's EU endpoint, the default of `QSTASH_URL`.
    public static let defaultBaseURL = "https://qstash.upstash.io"

    public let baseURL: String
    private let token: String
    private let httpClient: HTTPClient
    private let transportRetries: Int
    private let timeout: Duration

    /// - Parameters:
    ///   - transportRetries: how often a request that did not reach QStash is tried again.
    ///   - timeout: how long one request may take.
    public init(
        baseURL: String = defaultBaseURL, token: String, httpClient: HTTPClient = .shared, transportRetries: Int = 5,
        timeout: Duration = .seconds(60)
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.httpClient = httpClient
        self.transportRetries = transportRetries
        self.timeout = timeout
    }

    // MARK: Messages

    /// Publishes a message to `request.destination`. A deduplicated publish is a success.
    public func publish(_ request: QStashPublishRequest) async throws -> QStashPublishResponse {
        var headers = HTTPHeaders()
        if let contentType = request.contentType { headers.add(name: "Content-Type", value: contentType) }
        if let method = request.method { headers.add(name: "Upstash-Method", value: method.rawValue) }
        if let delay = request.delay { headers.add(name: "Upstash-Delay", value: "\(max(0, delay.components.seconds))s") }
        if let notBefore = request.notBefore {
            headers.add(name: "Upstash-Not-Before", value: "\(HookflowTime.secondsRoundedUp(since1970: notBefore))")
        }
        if let id = request.deduplicationID { headers.add(name: "Upstash-Deduplication-Id", value: id) }
        if let retries = request.retries { headers.add(name: "Upstash-Retries", value: "\(retries)") }
        for (name, value) in request.forwardHeaders { headers.add(name: "Upstash-Forward-\(name)", value: value) }
        for (name, value) in request.headers { headers.add(name: name, value: value) }
        return try await send(
            .POST, "/v2/publish/" + request.destination, headers: headers, body: request.body,
            operation: "POST /v2/publish", as: QStashPublishResponse.self)
    }

    /// A message QStash still holds.
    public func message(_ id: String) async throws -> QStashMessage {
        try await send(.GET, "/v2/messages/\(id)", operation: "GET /v2/messages", as: QStashMessage.self)
    }

    /// Cancels a pending message (it may already be in flight).
    public func cancel(_ id: String) async throws {
        _ = try await send(.DELETE, "/v2/messages/\(id)", operation: "DELETE /v2/messages")
    }

    // MARK: Dead letters

    /// One page of the dead letter queue.
    public func deadLetters(cursor: String? = nil, count: Int? = nil) async throws -> QStashDeadLetterPage {
        var query: [String] = []
        if let cursor { query.append("cursor=\(cursor)") }
        if let count { query.append("count=\(count)") }
        let path = "/v2/dlq" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        return try await send(.GET, path, operation: "GET /v2/dlq", as: QStashDeadLetterPage.self)
    }

    /// Delivers a dead letter again; returns the new message id.
    public func retryDeadLetter(_ dlqID: String) async throws -> String {
        struct Retried: Decodable { var messageId: String }
        return try await send(.POST, "/v2/dlq/retry/\(dlqID)", operation: "POST /v2/dlq/retry", as: Retried.self).messageId
    }

    /// Removes a dead letter.
    public func deleteDeadLetter(_ dlqID: String) async throws {
        _ = try await send(.DELETE, "/v2/dlq/\(dlqID)", operation: "DELETE /v2/dlq")
    }

    /// The signing keys QStash signs deliveries with.
    public func signingKeys() async throws -> QStashSigningKeys {
        try await send(.GET, "/v2/keys", operation: "GET /v2/keys", as: QStashSigningKeys.self)
    }

    // MARK: Transport

    private func send<T: Decodable>(
        _ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: Data? = nil, operation: String,
        as type: T.Type
    ) async throws -> T {
        let data = try await send(method, path, headers: headers, body: body, operation: operation)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw QStashError(status: nil, message: "unexpected response: \(error)", operation: operation)
        }
    }

    /// How a request that got no answer waits before it is sent again.
    static let transportBackoff = Backoff(first: .milliseconds(100), limit: .seconds(2), jitter: 0.2)

    @discardableResult
    private func send(
        _ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: Data? = nil, operation: String
    ) async throws -> Data {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers = headers
        request.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(token)")
        if let body { request.body = .bytes(ByteBuffer(data: body)) }
        var attempt = 0
        while true {
            let response: HTTPClientResponse
            let bytes: ByteBuffer
            do {
                response = try await httpClient.execute(
                    request, timeout: .nanoseconds(HookflowTime.nanoseconds(of: timeout)))
                bytes = try await response.body.collect(upTo: 16 * 1024 * 1024)
            } catch {
                attempt += 1
                guard attempt <= transportRetries else {
                    throw QStashError(status: nil, message: "\(error)", operation: operation)
                }
                try await Task.sleep(for: Self.transportBackoff.delay(afterFailures: attempt))
                continue
            }
            let data = Data(buffer: bytes)
            guard (200..<300).contains(response.status.code) else {
                struct Failure: Decodable { var error: String }
                let message = (try? JSONDecoder().decode(Failure.self, from: data).error)
                    ?? String(decoding: data.prefix(500), as: UTF8.self)
                throw QStashError(status: Int(response.status.code), message: message, operation: operation)
            }
            return data
        }
    }
}
