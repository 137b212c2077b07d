import AsyncHTTPClient
import Foundation
import Hookflow
import HookflowQStash
import NIOCore
import NIOHTTP1
import QStashDevServer
import XCTest

/// Ten thousand malformed and hostile requests to every route the demo mounts, in each mode
/// (issue 10): no response of 500 or more, no crash, nothing stored changes, and the demo
/// completes an order afterwards. Loopback only, bounded in count and time.
final class DemoFuzzTests: XCTestCase {
    func testHostileRequestsInLocalModeCrashNothingAndChangeNothing() async throws {
        try await fuzz(qstash: false, seed: 0x10CA1)
    }

    func testHostileRequestsInQStashModeCrashNothingAndChangeNothing() async throws {
        try await fuzz(qstash: true, seed: 0x9574)
    }

    private func fuzz(qstash: Bool, seed: UInt64, count: Int = 10_000) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let demoPort = try Loopback.freePort()
        let demo = "http://127.0.0.1:\(demoPort)"
        let githubSecret = "fuzz-webhook-secret"
        var environment = ["HOOKFLOW_DEMO_PAYMENT_WAIT_SECONDS": "1", "GITHUB_WEBHOOK_SECRET": githubSecret, "LOG_LEVEL": "error"]
        if qstash {
            let qstashPort = try Loopback.freePort()
            let dev = try Loopback.launch("hookflow-qstash-dev", ["--port", "\(qstashPort)"], in: folder, log: "qstash.log")
            addTeardownBlock { dev.terminate() }
            _ = try await Loopback.poll(timeout: .seconds(20)) { try? await Loopback.get("http://127.0.0.1:\(qstashPort)/v2/keys") }
            environment.merge([
                "HOOKFLOW_TRANSPORT": "qstash", "QSTASH_URL": "http://127.0.0.1:\(qstashPort)",
                "QSTASH_TOKEN": QStashDevConfiguration.developmentToken,
                "QSTASH_CURRENT_SIGNING_KEY": QStashSigningKeys.development.current,
                "QSTASH_NEXT_SIGNING_KEY": QStashSigningKeys.development.next, "HOOKFLOW_DOMAIN": demo,
            ]) { $1 }
        }
        let app = try await Loopback.startDemo(port: demoPort, environment: environment, folder: folder, log: "demo.log")
        addTeardownBlock { app.terminate() }

        // Something stored before the storm.
        _ = try await Loopback.post(demo + "/orders", #"{"order_id":"FUZZ-BEFORE","run_id":"fuzz-before"}"#)
        let before = try await Loopback.waitForRun("fuzz-before", at: demo, toBe: "completed")

        var generator = SeededGenerator(seed: seed)
        let requests = (0..<count).map { _ in HostileRequest.random(using: &generator, githubSecret: githubSecret) }
        let signer = QStashSigner(key: QStashSigningKeys.development.current)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let started = ContinuousClock.now
        let outcomes = try await withThrowingTaskGroup(of: [Int].self) { group in
            let lanes = 8
            for lane in 0..<lanes {
                group.addTask {
                    var statuses: [Int] = []
                    for index in stride(from: lane, to: requests.count, by: lanes) {
                        statuses.append(try await Self.send(requests[index], to: demo, client: client, signer: signer))
                    }
                    return statuses
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let elapsed = ContinuousClock.now - started
        try await client.shutdown()

        var byStatus: [Int: Int] = [:]
        for status in outcomes { byStatus[status, default: 0] += 1 }
        let summary = byStatus.sorted { $0.key < $1.key }.map { "\($0.key == 0 ? "no answer" : $0.key == -1 ? "closed on an oversized body" : "\($0.key)"): \($0.value)" }
        print("fuzz (\(qstash ? "qstash" : "local")): \(outcomes.count) requests in \(elapsed), by status: \(summary.joined(separator: ", ")); crashes: \(app.isRunning ? 0 : 1)")
        XCTAssertEqual(outcomes.count, count)
        XCTAssertTrue(app.isRunning, "the demo died under the fuzz: see \(folder.path)/demo.log")
        XCTAssertEqual(byStatus.filter { $0.key >= 500 }.values.reduce(0, +), 0, "responses of 500 or more: \(summary)")
        XCTAssertEqual(byStatus[0, default: 0], 0, "requests without an answer (a dropped connection): \(summary)")

        // Nothing stored changed, and the demo still completes an order.
        let after = try await Loopback.get(demo + "/hookflow/api/runs/fuzz-before")
        XCTAssertEqual(after, before, "the fuzz changed a stored run")
        _ = try await Loopback.post(demo + "/orders", #"{"order_id":"FUZZ-AFTER","run_id":"fuzz-after"}"#)
        let done = try await Loopback.waitForRun("fuzz-after", at: demo, toBe: "completed", timeout: .seconds(60))
        XCTAssertEqual(done["result"]["charge_id"], "ch_FUZZ-AFTER")
    }

    /// Sends one request; answers its status, -1 when the connection was closed on an oversized
    /// body, or 0 when no answer came.
    private static func send(
        _ hostile: HostileRequest, to base: String, client: HTTPClient, signer: QStashSigner
    ) async throws -> Int {
        var request = HTTPClientRequest(url: base + hostile.path)
        request.method = hostile.method
        for (name, value) in hostile.headers { request.headers.add(name: name, value: value) }
        if let body = hostile.body { request.body = .bytes(ByteBuffer(bytes: body)) }
        if hostile.qstashSigned {
            let token = try await signer.sign(body: hostile.body ?? [], url: base + hostile.path)
            request.headers.add(name: "Upstash-Signature", value: token)
        }
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            _ = try await response.body.collect(upTo: 4 << 20)
            return Int(response.status.code)
        } catch let error as HTTPClientError where error == .remoteConnectionClosed {
            // A server may close the connection instead of reading an oversized body to its end.
            return hostile.body.map { $0.count > 1_000_000 } == true ? -1 : 0
        } catch {
            return 0
        }
    }
}
