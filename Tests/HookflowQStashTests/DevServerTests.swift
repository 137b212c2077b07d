import Foundation
import HookflowQStash
import NIOConcurrencyHelpers
import QStashDevServer
import Vapor
import XCTVapor

/// What the test endpoints received.
final class Inbox: Sendable {
    struct Delivery: Sendable {
        var path: String
        var headers: HTTPHeaders
        var body: String
        var signatureValid: Bool
        var at: Date
    }

    private let deliveries = NIOLockedValueBox<[Delivery]>([])
    func add(_ delivery: Delivery) { deliveries.withLockedValue { $0.append(delivery) } }
    func of(_ path: String) -> [Delivery] { deliveries.withLockedValue { $0.filter { $0.path == path } } }
}

/// The dev server and, on the same port, endpoints that verify and record deliveries.
struct DevServerFixture {
    let app: Application
    let baseURL: String
    let client: QStashClient
    let inbox: Inbox

    static func start(timeScale: Double = 0.001) async throws -> DevServerFixture {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        try QStashDevServer.configure(app, configuration: .init(timeScale: timeScale))
        let inbox = Inbox()
        let receiver = QStashReceiver(keys: .development)
        app.on(.POST, "hook", ":name", body: .collect) { request async throws -> Response in
            let name = try request.parameters.require("name")
            let port = request.application.http.server.shared.localAddress?.port ?? 0
            let body = request.body.data.map { String(buffer: $0) } ?? ""
            var valid = true
            do {
                try await receiver.verify(
                    signature: request.headers.first(name: "Upstash-Signature"), body: Data(body.utf8),
                    url: "http://127.0.0.1:\(port)/hook/\(name)")
            } catch {
                valid = false
            }
            inbox.add(.init(path: name, headers: request.headers, body: body, signatureValid: valid, at: Date()))
            switch name {
            case "flaky": return Response(status: inbox.of(name).count < 3 ? .internalServerError : .ok)
            case "down": return Response(status: .serviceUnavailable, body: .init(string: "down for maintenance"))
            case "fatal":
                return Response(status: .init(statusCode: 489), headers: ["Upstash-NonRetryable-Error": "true"])
            default: return Response(status: .ok)
            }
        }
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        try await app.asyncBoot()
        try await app.server.start()
        let port = try XCTUnwrap(app.http.server.shared.localAddress?.port)
        let baseURL = "http://127.0.0.1:\(port)"
        return DevServerFixture(
            app: app, baseURL: baseURL, client: QStashClient(baseURL: baseURL, token: QStashDevConfiguration.developmentToken),
            inbox: inbox)
    }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    func waitFor(_ count: Int, at path: String, timeout: Duration = .seconds(10)) async throws -> [Inbox.Delivery] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if inbox.of(path).count >= count { return inbox.of(path) }
            try await Task.sleep(for: .milliseconds(10))
        }
        XCTFail("\(path) received \(inbox.of(path).count) deliveries, expected \(count)")
        return inbox.of(path)
    }
}

final class DevServerTests: XCTestCase {
    func testPublishDeliversASignedMessageWithQStashHeaders() async throws {
        let server = try await DevServerFixture.start()
        let sent = try await server.client.publish(.init(
            destination: server.baseURL + "/hook/ok", body: Data(#"{"hello":"world"}"#.utf8),
            contentType: "application/json", forwardHeaders: ["X-Order": "A-1"]))
        XCTAssertTrue(sent.messageId.hasPrefix("msg_"))

        let delivery = try await server.waitFor(1, at: "ok")[0]
        XCTAssertTrue(delivery.signatureValid, "the delivery's signature does not verify")
        XCTAssertEqual(delivery.body, #"{"hello":"world"}"#)
        XCTAssertEqual(delivery.headers.first(name: "Upstash-Message-Id"), sent.messageId)
        XCTAssertEqual(delivery.headers.first(name: "Upstash-Retried"), "0")
        XCTAssertEqual(delivery.headers.first(name: "User-Agent"), "Upstash-QStash")
        XCTAssertEqual(delivery.headers.first(name: "Content-Type"), "application/json")
        XCTAssertEqual(delivery.headers.first(name: "X-Order"), "A-1")
        try await server.stop()
    }

    func testFailedDeliveriesAreRetriedWithBackoffUntilTheySucceed() async throws {
        let server = try await DevServerFixture.start()
        _ = try await server.client.publish(.init(destination: server.baseURL + "/hook/flaky", retries: 3))
        let deliveries = try await server.waitFor(3, at: "flaky")
        XCTAssertEqual(deliveries.map { $0.headers.first(name: "Upstash-Retried") }, ["0", "1", "2"])
        // QStash's back-off e^(2.5 n) seconds, scaled by 0.001: 12 ms, then 148 ms.
        XCTAssertGreaterThanOrEqual(deliveries[2].at.timeIntervalSince(deliveries[1].at), 0.14)
        try await Task.sleep(for: .milliseconds(300))
        XCTAssertEqual(server.inbox.of("flaky").count, 3, "a delivered message was delivered again")
        try await server.stop()
    }

    func testExhaustedRetriesAndNonRetryableErrorsEndInTheDeadLetterQueue() async throws {
        let server = try await DevServerFixture.start()
        let down = try await server.client.publish(.init(destination: server.baseURL + "/hook/down", retries: 1))
        let fatal = try await server.client.publish(.init(destination: server.baseURL + "/hook/fatal", retries: 3))
        _ = try await server.waitFor(2, at: "down")
        _ = try await server.waitFor(1, at: "fatal")
        try await Task.sleep(for: .milliseconds(200))
        XCTAssertEqual(server.inbox.of("fatal").count, 1, "a 489 with Upstash-NonRetryable-Error was retried")

        let page = try await server.client.deadLetters()
        let downLetter = try XCTUnwrap(page.messages.first { $0.messageId == down.messageId })
        XCTAssertEqual(downLetter.responseStatus, 503)
        XCTAssertEqual(downLetter.responseBody, "down for maintenance")
        XCTAssertNotNil(page.messages.first { $0.messageId == fatal.messageId })

        let retried = try await server.client.retryDeadLetter(try XCTUnwrap(downLetter.dlqId))
        XCTAssertNotEqual(retried, down.messageId)
        _ = try await server.waitFor(3, at: "down")
        let fatalLetter = try XCTUnwrap(page.messages.first { $0.messageId == fatal.messageId }?.dlqId)
        try await server.client.deleteDeadLetter(fatalLetter)
        let after = try await server.client.deadLetters()
        XCTAssertNil(after.messages.first { $0.messageId == fatal.messageId })
        try await server.stop()
    }

    func testDeduplicatedPublishIsAcceptedButDeliveredOnce() async throws {
        let server = try await DevServerFixture.start()
        let request = QStashPublishRequest(destination: server.baseURL + "/hook/ok", deduplicationID: "run-1:start")
        let first = try await server.client.publish(request)
        let second = try await server.client.publish(request)
        XCTAssertEqual(first.messageId, second.messageId)
        XCTAssertNil(first.deduplicated)
        XCTAssertEqual(second.deduplicated, true)
        _ = try await server.waitFor(1, at: "ok")
        try await Task.sleep(for: .milliseconds(200))
        XCTAssertEqual(server.inbox.of("ok").count, 1)
        try await server.stop()
    }

    func testDelayedMessagesWaitAndCanBeReadAndCancelled() async throws {
        let server = try await DevServerFixture.start()
        let later = try await server.client.publish(.init(destination: server.baseURL + "/hook/later", delay: .seconds(60)))
        let pending = try await server.client.message(later.messageId)
        XCTAssertEqual(pending.url, server.baseURL + "/hook/later")
        try await server.client.cancel(later.messageId)
        do {
            _ = try await server.client.message(later.messageId)
            XCTFail("a cancelled message is still pending")
        } catch let error as QStashError {
            XCTAssertEqual(error.status, 404)
            XCTAssertEqual(error.message, "message not found")
        }

        let start = Date()
        _ = try await server.client.publish(.init(destination: server.baseURL + "/hook/soon", notBefore: start.addingTimeInterval(1)))
        let delivery = try await server.waitFor(1, at: "soon")[0]
        XCTAssertGreaterThanOrEqual(delivery.at.timeIntervalSince1970, (start.timeIntervalSince1970 + 1).rounded(.up) - 0.001)
        XCTAssertTrue(server.inbox.of("later").isEmpty)
        try await server.stop()
    }

    func testClientErrorsCarryQStashsMessageButNeverTheToken() async throws {
        let server = try await DevServerFixture.start()
        let secret = "eyJTZWNyZXQiOiJ0b2tlbiJ9"
        let intruder = QStashClient(baseURL: server.baseURL, token: secret)
        do {
            _ = try await intruder.publish(.init(destination: server.baseURL + "/hook/ok"))
            XCTFail("a wrong token was accepted")
        } catch let error as QStashError {
            XCTAssertEqual(error.status, 401)
            XCTAssertEqual(error.message, "unauthorized")
            XCTAssertFalse(error.description.contains(secret))
        }
        let keys = try await server.client.signingKeys()
        XCTAssertEqual(keys, .development)
        try await server.stop()

        let unreachable = QStashClient(baseURL: "http://127.0.0.1:9", token: secret, transportRetries: 1, timeout: .seconds(1))
        do {
            _ = try await unreachable.signingKeys()
            XCTFail("an unreachable QStash answered")
        } catch let error as QStashError {
            XCTAssertNil(error.status)
            XCTAssertFalse(error.description.contains(secret))
        }
    }

    func testEventsCountEveryDelivery() async throws {
        let server = try await DevServerFixture.start()
        _ = try await server.client.publish(.init(destination: server.baseURL + "/hook/flaky", retries: 3))
        _ = try await server.waitFor(3, at: "flaky")
        try await Task.sleep(for: .milliseconds(50))
        let response = try await server.app.client.get(
            URI(string: server.baseURL + "/v2/events"),
            headers: ["Authorization": "Bearer \(QStashDevConfiguration.developmentToken)"])
        struct Events: Decodable { struct Event: Decodable { var state: String }; var events: [Event] }
        let states = try response.content.decode(Events.self).events.map(\.state)
        XCTAssertEqual(states.filter { $0 == "ACTIVE" }.count, 3)
        XCTAssertEqual(states.filter { $0 == "RETRY" }.count, 2)
        XCTAssertEqual(states.filter { $0 == "DELIVERED" }.count, 1)
        try await server.stop()
    }
}
