import Foundation
import Hookflow
import HookflowQStash
import Synchronization
import Vapor

/// A QStash-compatible server for local development and tests: the parts of QStash's API
/// that Hookflow and ordinary apps use, with deliveries signed like QStash's.
///
/// ```swift
/// try QStashDevServer.configure(app, configuration: .init(timeScale: 0.01))
/// ```
public enum QStashDevServer {
    struct Key: StorageKey { typealias Value = DevQueue }

    /// Registers the `/v2/...` routes on `app`, delivers messages from boot on, and stops when it shuts down.
    public static func configure(_ app: Application, configuration: QStashDevConfiguration = .init()) throws {
        let queue = DevQueue(configuration: configuration, httpClient: app.http.client.shared, logger: app.logger)
        app.storage[Key.self] = queue
        app.lifecycle.use(Deliveries(queue: queue))
        let api = app.grouped(DevErrorMiddleware(), BearerTokenMiddleware(token: configuration.token)).grouped("v2")

        api.on(.POST, "publish", "**", body: .collect(maxSize: "10mb")) { request async throws -> Response in
            try await publish(request, queue: queue)
        }
        api.get("messages", ":id") { request async throws -> Response in
            guard let message = await queue.message(try request.parameters.require("id")) else {
                throw DevError(.notFound, "message not found")
            }
            return try json(.object(message.json))
        }
        api.delete("messages", ":id") { request async throws -> Response in
            guard await queue.cancel(try request.parameters.require("id")) else {
                throw DevError(.notFound, "message not found")
            }
            return Response(status: .accepted)
        }
        api.get("dlq") { _ async throws -> Response in
            try json(.object(["messages": .array(await queue.deadLetterList().map(\.json))]))
        }
        api.get("dlq", ":id") { request async throws -> Response in
            guard let letter = await queue.deadLetter(try request.parameters.require("id")) else {
                throw DevError(.notFound, "dlq message not found")
            }
            return try json(letter.json)
        }
        api.delete("dlq", ":id") { request async throws -> Response in
            guard await queue.deleteDeadLetter(try request.parameters.require("id")) else {
                throw DevError(.notFound, "dlq message not found")
            }
            return Response(status: .ok)
        }
        api.post("dlq", "retry", ":id") { request async throws -> Response in
            guard let id = await queue.retryDeadLetter(try request.parameters.require("id")) else {
                throw DevError(.notFound, "dlq message not found")
            }
            return try json(.object(["messageId": .string(id)]))
        }
        api.get("keys") { _ async throws -> Response in
            try json(.object(["current": .string(configuration.keys.current), "next": .string(configuration.keys.next)]))
        }
        api.get("events") { _ async throws -> Response in
            try json(.object(["events": .array(await queue.events.reversed().map(\.json))]))
        }
    }

    private static func publish(_ request: Request, queue: DevQueue) async throws -> Response {
        let path = request.url.string
        guard let range = path.range(of: "/v2/publish/") else { throw DevError(.badRequest, "invalid destination") }
        // The destination keeps its own query, but never the token a client may have sent in it.
        var destination = String(path[range.upperBound...])
        if var components = URLComponents(string: destination), components.queryItems != nil {
            components.queryItems = components.queryItems?.filter { $0.name != "qstash_token" }
            if components.queryItems?.isEmpty == true { components.queryItems = nil }
            destination = components.string ?? destination
        }
        guard destination.hasPrefix("http://") || destination.hasPrefix("https://"), URL(string: destination) != nil else {
            throw DevError(.badRequest, "invalid destination url: \(destination)")
        }
        let headers = request.headers
        let now = Date()
        var notBefore = now
        if let value = headers.first(name: "Upstash-Not-Before") {
            guard let seconds = Double(value), seconds.isFinite else {
                throw DevError(.badRequest, "invalid Upstash-Not-Before: \(value)")
            }
            notBefore = HookflowTime.clamp(Date(timeIntervalSince1970: seconds))
        } else if let value = headers.first(name: "Upstash-Delay") {
            guard let seconds = DelayHeader.seconds(value) else { throw DevError(.badRequest, "invalid Upstash-Delay: \(value)") }
            notBefore = HookflowTime.date(now, plusSeconds: seconds)
        }
        var retries = 3
        if let value = headers.first(name: "Upstash-Retries") {
            guard let count = Int(value), count >= 0 else { throw DevError(.badRequest, "invalid Upstash-Retries: \(value)") }
            retries = count
        }
        var forwarded: [(String, String)] = []
        var kept: [String: [String]] = [:]
        for (name, value) in headers {
            if name.lowercased().hasPrefix("upstash-forward-") {
                let delivered = String(name.dropFirst("upstash-forward-".count))
                forwarded.append((delivered, value))
                kept[delivered, default: []].append(value)
            } else if name.lowercased() == "content-type" {
                kept["Content-Type", default: []].append(value)
            }
        }
        let message = DevMessage(
            id: DevQueue.newMessageID(), url: destination, method: headers.first(name: "Upstash-Method") ?? "POST",
            headers: kept, forwardedHeaders: forwarded, body: request.body.data.map { Data(buffer: $0) } ?? Data(),
            maxRetries: retries, notBefore: notBefore, createdAt: now,
            deduplicationID: headers.first(name: "Upstash-Deduplication-Id"))
        let result = await queue.publish(message)
        var fields: [String: DevJSON] = ["messageId": .string(result.messageID)]
        if result.deduplicated { fields["deduplicated"] = .bool(true) }
        let response = try json(.object(fields))
        response.status = result.deduplicated ? .accepted : .created
        return response
    }

    private static func json(_ value: DevJSON) throws -> Response {
        let response = Response(status: .ok)
        try response.content.encode(value, as: .json)
        return response
    }

    /// Runs the queue's deliveries while the app runs.
    final class Deliveries: LifecycleHandler, Sendable {
        let queue: DevQueue
        /// Vapor 4's lifecycle handlers are callbacks with no task to run the queue in: this one runs it.
        private let running = Mutex<Task<Void, Never>?>(nil)

        init(queue: DevQueue) { self.queue = queue }

        func didBootAsync(_ application: Application) async throws {
            let queue = self.queue
            running.withLock { $0 = Task { await queue.run() } }
        }

        func shutdownAsync(_ application: Application) async {
            guard let task = running.withLock({ $0 }) else { return }
            task.cancel()
            await task.value
        }
    }
}

/// `{"error": "..."}` with a status, as QStash answers errors.
struct DevError: AbortError {
    let status: HTTPResponseStatus
    let reason: String
    init(_ status: HTTPResponseStatus, _ reason: String) {
        self.status = status
        self.reason = reason
    }
}

/// Answers errors as QStash does: `{"error": "..."}` with the status.
struct DevErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let error as any AbortError {
            let response = Response(status: error.status)
            try response.content.encode(["error": error.reason], as: .json)
            return response
        }
    }
}

/// Requires `Authorization: Bearer <token>` (or `?qstash_token=`), as QStash does.
struct BearerTokenMiddleware: AsyncMiddleware {
    let token: String

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let sent = request.headers.bearerAuthorization?.token ?? (try? request.query.get(String.self, at: "qstash_token"))
        guard sent == token else { throw DevError(.unauthorized, "unauthorized") }
        return try await next.respond(to: request)
    }
}
