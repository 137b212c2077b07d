import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

extension StepManager {
    /// Makes an HTTP request once and checkpoints the response; a replay returns the stored response.
    ///
    /// Network errors, time-outs, 5xx responses and "try later" answers (408, 425, 429, whose
    /// `Retry-After` is honoured, up to a day) are retried by the step's retry policy. Any other
    /// 4xx response is returned to the workflow, or fails the run at once when
    /// `failOnClientError` is set. `body` is sent as JSON, except `String` and `Data`,
    /// which are sent as they are.
    ///
    /// Redirects are followed (at most 5); `headers` go only to the origin of `url`, never to
    /// another origin a redirect points at. Response headers that carry credentials
    /// (`Set-Cookie`, `Authorization`, names with token, secret, session, auth, api-key) are not
    /// checkpointed, and errors show the URL without its user info and query.
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
        var bodyBytes: ByteBuffer?
        var contentType: String?
        if let body {
            let (bytes, type) = try Self.encodeBody(body)
            bodyBytes = ByteBuffer(data: bytes)
            contentType = type
        }
        guard let origin = URL(string: url) else {
            throw NonRetryableError("ctx.step.call: \(CallSafety.shownURL(url)) is not a URL")
        }
        var target = origin
        var method = method
        var redirects = 0
        while true {
            let shownURL = CallSafety.shownURL(target.absoluteString)
            var request = HTTPClientRequest(url: target.absoluteString)
            request.method = method
            let sameOrigin = CallSafety.sameOrigin(origin, target)
            for (name, value) in headers where sameOrigin || CallSafety.headersSafeAcrossOrigins.contains(name.lowercased()) {
                request.headers.add(name: name, value: value)
            }
            engine.injectTraceContext(into: &request.headers)
            if let bodyBytes {
                request.body = .bytes(bodyBytes)
                if let contentType, !request.headers.contains(name: "Content-Type") {
                    request.headers.add(name: "Content-Type", value: contentType)
                }
            }
            let response: HTTPClientResponse
            let buffer: ByteBuffer
            do {
                response = try await engine.configuration.httpClient.execute(
                    request, timeout: .nanoseconds(HookflowTime.nanoseconds(of: timeout)))
                buffer = try await response.body.collect(upTo: engine.configuration.maxCallResponseBytes)
            } catch {
                throw HTTPCallError(url: shownURL, status: nil, message: StoredText.errorMessage("\(error)"))
            }
            let status = Int(response.status.code)
            if [301, 302, 303, 307, 308].contains(status), let location = response.headers.first(name: "Location") {
                guard redirects < 5, let next = URL(string: location, relativeTo: target)?.absoluteURL,
                    ["http", "https"].contains(next.scheme?.lowercased() ?? "")
                else {
                    throw HTTPCallError(url: shownURL, status: status, message: "too many or unusable redirects")
                }
                redirects += 1
                target = next
                // 303, and 301/302 after a POST, continue as a GET without the body (as browsers do).
                if status == 303 || ((status == 301 || status == 302) && method == .POST) {
                    method = .GET
                    bodyBytes = nil
                }
                continue
            }
            var headerMap: [String: String] = [:]
            for (name, value) in response.headers where !CallSafety.isSecretHeader(name.lowercased()) {
                let key = name.lowercased()
                headerMap[key] = headerMap[key].map { "\($0), \(value)" } ?? value
            }
            let result = CallResponse(status: status, headers: headerMap, body: Data(buffer: buffer))
            if status >= 500 || CallSafety.retryableClientStatuses.contains(status) || (failOnClientError && status >= 400) {
                throw HTTPCallError(
                    url: shownURL, status: status, message: StoredText.errorMessage(String((result.text ?? "").prefix(500))),
                    retryAfter: CallSafety.retryAfter(response.headers.first(name: "Retry-After"), now: engine.now()))
            }
            return result
        }
    }

    private static func encodeBody(_ body: any Encodable & Sendable) throws -> (Data, String) {
        switch body {
        case let data as Data: return (data, "application/octet-stream")
        case let text as String: return (Data(text.utf8), "text/plain; charset=utf-8")
        default: return (try JSONEncoder().encode(body), "application/json")
        }
    }
}
