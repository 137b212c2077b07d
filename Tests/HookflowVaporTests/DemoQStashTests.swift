import AsyncHTTPClient
import Foundation
import UpstashSDK
import Hookflow
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import QStashDevServer
import XCTest

/// The demo on the QStash transport behind `hookflow-qstash-dev`, both as real processes on loopback.
final class DemoQStashTests: XCTestCase {
    func testDemoOnQStashTakesOneDeliveryPerDurableWaitAndSurvivesKill9ThroughQStashRetries() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-demo-qstash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let demoPort = try Loopback.freePort()
        let (dev, qstash, environment) = try await Loopback.startQStash(in: folder, demoPort: demoPort, paymentWaitSeconds: 2)
        defer { dev.terminate() }

        let demo = "http://127.0.0.1:\(demoPort)"
        var app = try await Loopback.startDemo(port: demoPort, environment: environment, folder: folder, log: "demo-1.log")

        // One order, undisturbed: one delivery to start, one to wake from its sleep.
        let first = try await Loopback.post(demo + "/orders", #"{"order_id":"Q-1"}"#)["run_id"].stringValue!
        let started = Date()
        let done = try await Loopback.waitForRun(first, at: demo, toBe: "completed")
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 2, "the payment wait was not honoured")
        XCTAssertEqual(done["result"]["charge_id"], "ch_Q-1")
        let deliveredAfterFirst = try await Loopback.deliveries(qstash, state: "DELIVERED")
        XCTAssertEqual(deliveredAfterFirst, 2, "process-order has one durable wait: 1 + 1 deliveries")

        // A second order: the app dies while it sleeps, is down when QStash delivers the wake-up,
        // and QStash's retry finds it back.
        let second = try await Loopback.post(demo + "/orders", #"{"order_id":"Q-2"}"#)["run_id"].stringValue!
        _ = try await Loopback.waitForRun(second, at: demo, toBe: "sleeping")
        kill(app.processIdentifier, SIGKILL)
        app.waitUntilExit()
        _ = try await Loopback.poll(timeout: .seconds(20)) { try await Loopback.deliveries(qstash, state: "RETRY") > 0 ? true : nil }
        app = try await Loopback.startDemo(port: demoPort, environment: environment, folder: folder, log: "demo-2.log")
        defer { app.terminate() }
        let recovered = try await Loopback.waitForRun(second, at: demo, toBe: "completed", timeout: .seconds(40))
        XCTAssertEqual(recovered["result"]["charge_id"], "ch_Q-2")
        let steps = try XCTUnwrap(recovered["steps"].arrayValue)
        XCTAssertTrue(steps.allSatisfy { $0["attempts"] == 1 }, "a step ran again: \(steps)")
        let deliveredAfterSecond = try await Loopback.deliveries(qstash, state: "DELIVERED")
        XCTAssertEqual(deliveredAfterSecond, 4)

        // Upstash's own Python client publishes an order to the demo through the local server.
        let publish = """
            import sys
            from qstash import QStash
            QStash(sys.argv[2], base_url=sys.argv[1]).message.publish(
                url=sys.argv[3], body='{"order_id": "SDK-1", "run_id": "sdk-order-1"}', content_type="application/json")
            """
        _ = try UpstashSDK.script(publish, [qstash, QStashDevConfiguration.developmentToken, demo + "/orders"])
        let published = try await Loopback.waitForRun("sdk-order-1", at: demo, toBe: "completed")
        XCTAssertEqual(published["result"]["charge_id"], "ch_SDK-1")
    }
}
