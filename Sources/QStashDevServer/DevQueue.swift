import AsyncHTTPClient
import Foundation
import Hookflow
import HookflowQStash
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The dev server's state: pending messages, the dead letter queue, deduplication ids and
/// the event log. ``run()`` delivers each pending message at its time and retries it.
actor DevQueue {
    let configuration: QStashDevConfiguration
    private let signer: QStashSigner
    private let httpClient: HTTPClient
    private let logger: Logger
    private var pending: [String: DevMessage] = [:]
    /// Deliveries due, for ``run()`` to make.
    private let due: AsyncStream<(id: String, at: Date)>
    private let scheduler: AsyncStream<(id: String, at: Date)>.Continuation
    private var deadLetters: [(id: String, letter: DevDeadLetter)] = []
    private var deduplication: [String: (messageID: String, until: Date)] = [:]
    private(set) var events: [DevEvent] = []
    private var sequence = 0

    init(configuration: QStashDevConfiguration, httpClient: HTTPClient, logger: Logger) {
        self.configuration = configuration
        self.signer = QStashSigner(key: configuration.keys.current)
        self.httpClient = httpClient
        self.logger = logger
        (due, scheduler) = AsyncStream.makeStream(of: (id: String, at: Date).self)
    }

    /// Delivers messages at their times until the task is cancelled. A cancelled message is
    /// skipped when its time comes.
    func run() async {
        await withDiscardingTaskGroup { group in
            for await (id, date) in due {
                group.addTask {
                    let wait = date.timeIntervalSinceNow
                    if wait > 0 {
                        do { try await Task.sleep(for: HookflowTime.duration(seconds: wait)) } catch { return }
                    }
                    await self.deliver(id)
                }
            }
            group.cancelAll()
        }
    }

    /// Accepts a message; returns its id and whether it was a duplicate.
    func publish(_ message: DevMessage) -> (messageID: String, deduplicated: Bool) {
        let now = Date()
        if let id = message.deduplicationID {
            if let seen = deduplication[id], seen.until > now { return (seen.messageID, true) }
            deduplication[id] = (message.id, now.addingTimeInterval(Double(configuration.deduplicationWindow.components.seconds)))
        }
        pending[message.id] = message
        record(message, "CREATED")
        schedule(message.id, at: message.notBefore)
        return (message.id, false)
    }

    func message(_ id: String) -> DevMessage? { pending[id] }

    func cancel(_ id: String) -> Bool {
        guard let message = pending.removeValue(forKey: id) else { return false }
        record(message, "CANCELED")
        return true
    }

    func deadLetterList() -> [DevDeadLetter] { deadLetters.map(\.letter) }

    func deadLetter(_ id: String) -> DevDeadLetter? { deadLetters.first { $0.id == id }?.letter }

    func deleteDeadLetter(_ id: String) -> Bool {
        guard let index = deadLetters.firstIndex(where: { $0.id == id }) else { return false }
        deadLetters.remove(at: index)
        return true
    }

    /// Publishes a dead letter's message again as a new message; returns its id.
    func retryDeadLetter(_ id: String) -> String? {
        guard let index = deadLetters.firstIndex(where: { $0.id == id }) else { return nil }
        var message = deadLetters.remove(at: index).letter.message
        message.id = Self.newMessageID()
        message.retried = 0
        message.notBefore = Date()
        message.createdAt = Date()
        message.deduplicationID = nil
        return publish(message).messageID
    }

    static func newMessageID() -> String {
        "msg_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    // MARK: Delivery

    private func schedule(_ id: String, at date: Date) {
        scheduler.yield((id, date))
    }

    private func deliver(_ id: String) async {
        guard var message = pending[id] else { return }
        record(message, "ACTIVE")
        let (status, headers, body) = await attempt(message)
        guard pending[id] != nil else { return }
        if let status, (200..<300).contains(status) {
            pending[id] = nil
            record(message, "DELIVERED", status: status)
            return
        }
        let nonRetryable = status == 489 && headers?.first(name: "Upstash-NonRetryable-Error")?.lowercased() == "true"
        if nonRetryable || message.retried >= message.maxRetries {
            pending[id] = nil
            let dlqID = "\(Int(Date().timeIntervalSince1970 * 1000))-\(nextSequence())"
            deadLetters.append((dlqID, DevDeadLetter(dlqID: dlqID, message: message, responseStatus: status, responseBody: body)))
            record(message, "FAILED", status: status, error: nonRetryable ? "non-retryable error" : "retries exhausted")
            return
        }
        message.retried += 1
        pending[id] = message
        let next = Date().addingTimeInterval(retryDelay(after: message.retried, headers: headers))
        record(message, "RETRY", status: status, next: next)
        schedule(id, at: next)
    }

    /// QStash's back-off, `min(86400, e^(2.5 n))` seconds, unless the response named its own.
    private func retryDelay(after retried: Int, headers: HTTPHeaders?) -> Double {
        if let value = headers?.first(name: "Retry-After"), let seconds = Double(value), seconds <= 86_400 {
            return seconds * configuration.timeScale
        }
        return min(86_400, exp(2.5 * Double(retried))) * configuration.timeScale
    }

    private func attempt(_ message: DevMessage) async -> (Int?, HTTPHeaders?, String) {
        var request = HTTPClientRequest(url: message.url)
        request.method = HTTPMethod(rawValue: message.method)
        request.headers.add(name: "User-Agent", value: "Upstash-QStash")
        if let contentType = message.headers["Content-Type"]?.first {
            request.headers.add(name: "Content-Type", value: contentType)
        }
        for (name, value) in message.forwardedHeaders { request.headers.add(name: name, value: value) }
        request.headers.add(name: "Upstash-Message-Id", value: message.id)
        request.headers.add(name: "Upstash-Retried", value: "\(message.retried)")
        do {
            let signature = try await signer.sign(body: message.body, url: message.url)
            request.headers.add(name: "Upstash-Signature", value: signature)
            request.body = .bytes(ByteBuffer(data: message.body))
            let response = try await httpClient.execute(
                request, timeout: .seconds(Int64(configuration.deliveryTimeout.components.seconds)))
            let body = try await response.body.collect(upTo: 1024 * 1024)
            logger.info("delivered \(message.id) to \(message.url): \(response.status.code) (retried \(message.retried))")
            return (Int(response.status.code), response.headers, String(buffer: body))
        } catch {
            logger.info("delivery of \(message.id) to \(message.url) failed: \(error)")
            return (nil, nil, "\(error)")
        }
    }

    private func record(_ message: DevMessage, _ state: String, status: Int? = nil, next: Date? = nil, error: String? = nil) {
        events.append(DevEvent(
            time: Date(), messageID: message.id, state: state, url: message.url, responseStatus: status,
            nextDeliveryTime: next, error: error))
    }

    private func nextSequence() -> Int {
        sequence += 1
        return sequence
    }
}
