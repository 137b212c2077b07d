import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

extension StepManager {
    /// Makes an HTTP request once and checkpoints the response; a replay returns the stored response.
    ///
    /// Network errors, time-outs and 5xx responses are retried by the step's retry policy.
    /// A 4xx response is returned to the workflow, or fails the run at once when
    /// `failOnClientError` is set. `body` is sent as JSON, except `String` and `Data`,
    /// which are sent as they are.
    ///
    /// ```swift
    /// let payment = try await ctx.step.call("charge", url: "https://pay.example.com/charges",
    ///                                       method: .POST, body: order)
    /// let receipt = try payment.decode(Receipt.self)
    /// ```
    @discardableResult
    public func call(
        _ id: String,
        url: String,
        method: HTTPMethod = .GET,
        body: (any Encodable & Sendable)? = nil,
        headers: [String: String] = [:],
        timeout: Duration = .seconds(30),
        failOnClientError: Bool = false,
        retry: RetryPolicy? = nil
    ) async throws -> CallResponse {
        try await execute(id, kind: .call, retry: retry) {
            try await self.perform(
                url: url, method: method, body: body, headers: headers, timeout: timeout,
                failOnClientError: failOnClientError)
        }
    }

    private func perform(
        url: String, method: HTTPMethod, body: (any Encodable & Sendable)?, headers: [String: String],
        timeout: Duration, failOnClientError: Bool
    ) async throws -> CallResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            let (bytes, contentType) = try Self.encodeBody(body)
            request.body = .bytes(ByteBuffer(data: bytes))
            if !request.headers.contains(name: "Content-Type") {
                request.headers.add(name: "Content-Type", value: contentType)
            }
        }
        // Errors name the URL without its query, which may hold credentials.
        let shownURL = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        let response: HTTPClientResponse
        let buffer: ByteBuffer
        do {
            response = try await engine.configuration.httpClient.execute(
                request, timeout: .nanoseconds(HookflowTime.nanoseconds(of: timeout)))
            buffer = try await response.body.collect(upTo: engine.configuration.maxCallResponseBytes)
        } catch {
            throw HTTPCallError(url: shownURL, status: nil, message: String(describing: error))
        }
        var headerMap: [String: String] = [:]
        for (name, value) in response.headers {
            let key = name.lowercased()
            headerMap[key] = headerMap[key].map { "\($0), \(value)" } ?? value
        }
        let result = CallResponse(status: Int(response.status.code), headers: headerMap, body: Data(buffer: buffer))
        if result.status >= 500 || (failOnClientError && result.status >= 400) {
            throw HTTPCallError(
                url: shownURL, status: result.status, message: String((result.text ?? "").prefix(500)))
        }
        return result
    }

    private static func encodeBody(_ body: any Encodable & Sendable) throws -> (Data, String) {
        switch body {
        case let data as Data: return (data, "application/octet-stream")
        case let text as String: return (Data(text.utf8), "text/plain; charset=utf-8")
        default: return (try JSONEncoder().encode(body), "application/json")
        }
    }
}
