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
        let qstashPort = try freePort(), demoPort = try freePort()
        let qstash = "http://127.0.0.1:\(qstashPort)"
        let dev = try launch("hookflow-qstash-dev", ["--port", "\(qstashPort)", "--time-scale", "0.01"], in: folder, log: "qstash.log")
        defer { dev.terminate() }
        _ = try await poll(timeout: .seconds(20)) { try? await self.get(qstash + "/v2/keys") }

        let environment = [
            "HOOKFLOW_TRANSPORT": "qstash", "QSTASH_URL": qstash, "QSTASH_TOKEN": QStashDevConfiguration.developmentToken,
            "QSTASH_CURRENT_SIGNING_KEY": "sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r",
            "QSTASH_NEXT_SIGNING_KEY": "sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs",
            "HOOKFLOW_DOMAIN": "http://127.0.0.1:\(demoPort)", "HOOKFLOW_DEMO_PAYMENT_WAIT_SECONDS": "2",
        ]
        let demo = "http://127.0.0.1:\(demoPort)"
        var app = try await startDemo(port: demoPort, environment: environment, folder: folder, log: "demo-1.log")

        // One order, undisturbed: one delivery to start, one to wake from its sleep.
        let first = try await post(demo + "/orders", #"{"order_id":"Q-1"}"#)["run_id"].stringValue!
        let started = Date()
        let done = try await waitForRun(first, at: demo, toBe: "completed")
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 2, "the payment wait was not honoured")
        XCTAssertEqual(done["result"]["charge_id"], "ch_Q-1")
        let deliveredAfterFirst = try await deliveries(qstash, state: "DELIVERED")
        XCTAssertEqual(deliveredAfterFirst, 2, "process-order has one durable wait: 1 + 1 deliveries")

        // A second order: the app dies while it sleeps, is down when QStash delivers the wake-up,
        // and QStash's retry finds it back.
        let second = try await post(demo + "/orders", #"{"order_id":"Q-2"}"#)["run_id"].stringValue!
        _ = try await waitForRun(second, at: demo, toBe: "sleeping")
        kill(app.processIdentifier, SIGKILL)
        app.waitUntilExit()
        _ = try await poll(timeout: .seconds(20)) { try await self.deliveries(qstash, state: "RETRY") > 0 ? true : nil }
        app = try await startDemo(port: demoPort, environment: environment, folder: folder, log: "demo-2.log")
        defer { app.terminate() }
        let recovered = try await waitForRun(second, at: demo, toBe: "completed", timeout: .seconds(40))
        XCTAssertEqual(recovered["result"]["charge_id"], "ch_Q-2")
        let steps = try XCTUnwrap(recovered["steps"].arrayValue)
        XCTAssertTrue(steps.allSatisfy { $0["attempts"] == 1 }, "a step ran again: \(steps)")
        let deliveredAfterSecond = try await deliveries(qstash, state: "DELIVERED")
        XCTAssertEqual(deliveredAfterSecond, 4)

        // Upstash's own Python client publishes an order to the demo through the local server.
        let publish = """
            import sys
            from qstash import QStash
            QStash(sys.argv[2], base_url=sys.argv[1]).message.publish(
                url=sys.argv[3], body='{"order_id": "SDK-1", "run_id": "sdk-order-1"}', content_type="application/json")
            """
        _ = try UpstashSDK.script(publish, [qstash, QStashDevConfiguration.developmentToken, demo + "/orders"])
        let published = try await waitForRun("sdk-order-1", at: demo, toBe: "completed")
        XCTAssertEqual(published["result"]["charge_id"], "ch_SDK-1")
    }

    // MARK: Processes

    private func startDemo(port: Int, environment: [String: String], folder: URL, log: String) async throws -> Process {
        let process = try launch(
            "hookflow-demo", ["serve", "--hostname", "127.0.0.1", "--port", "\(port)"], in: folder, log: log,
            environment: environment)
        _ = try await poll(timeout: .seconds(20)) { try? await self.get("http://127.0.0.1:\(port)/") }
        return process
    }

    private func launch(
        _ name: String, _ arguments: [String], in folder: URL, log: String, environment: [String: String] = [:]
    ) throws -> Process {
        let bundle = Bundle(for: Self.self).bundleURL
        let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent(name) }
        let executable = try XCTUnwrap(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) })
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let logURL = folder.appendingPathComponent(log)
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: logURL)
        process.standardError = process.standardOutput
        try process.run()
        return process
    }

    private func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                guard bind(descriptor, generic, length) == 0, getsockname(descriptor, generic, &length) == 0 else {
                    throw POSIXError(.EADDRINUSE)
                }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    // MARK: HTTP

    private func get(_ url: String) async throws -> JSON {
        try await request(.GET, url, body: nil)
    }

    private func post(_ url: String, _ body: String) async throws -> JSON {
        try await request(.POST, url, body: body)
    }

    private func request(_ method: HTTPMethod, _ url: String, body: String?) async throws -> JSON {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(QStashDevConfiguration.developmentToken)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (try? JSONDecoder().decode(JSON.self, from: Data(buffer: bytes))) ?? .string(String(buffer: bytes))
    }

    private func deliveries(_ qstash: String, state: String) async throws -> Int {
        try await get(qstash + "/v2/events")["events"].arrayValue?.filter { $0["state"].stringValue == state }.count ?? 0
    }

    private func waitForRun(_ runID: String, at demo: String, toBe status: String, timeout: Duration = .seconds(20)) async throws -> JSON {
        try await poll(timeout: timeout) {
            let run = try? await self.get(demo + "/hookflow/api/runs/\(runID)")
            return run?["status"].stringValue == status ? run : nil
        }
    }

    private func poll<T>(timeout: Duration, _ probe: () async throws -> T?) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let value = try await probe() { return value }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw POSIXError(.ETIMEDOUT)
    }
}
