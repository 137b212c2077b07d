import AsyncHTTPClient
import Foundation
import Hookflow
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import XCTest

/// The README's promise, end to end: an order in the demo survives `kill -9` during its payment wait.
final class DemoCrashTests: XCTestCase {
    func testDemoOrderCompletesAfterKill9DuringItsPaymentWait() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)

        let first = try await Demo.start(in: folder)
        let created = try await first.request(.POST, "/orders", body: #"{"order_id":"K-1"}"#)
        let runID = try XCTUnwrap(created["run_id"].stringValue)
        let sleeping = try await first.waitForRun(runID, toBe: "sleeping")
        XCTAssertEqual(sleeping["steps"][0]["step_id"], "validate")
        first.kill9()

        let second = try await Demo.start(in: folder)
        let done = try await second.waitForRun(runID, toBe: "completed", timeout: .seconds(30))
        let metrics = try await second.text("/metrics")
        second.stop()
        XCTAssertTrue(metrics.contains(#"hookflow_runs_completed_total{workflow="process-order"} 1"#), metrics)
        XCTAssertTrue(metrics.contains(#"hookflow_step_duration_seconds_count{workflow="process-order",kind="run"}"#), metrics)

        XCTAssertEqual(done["result"]["charge_id"], "ch_K-1")
        let steps = try XCTUnwrap(done["steps"].arrayValue)
        XCTAssertEqual(steps.map { $0["step_id"].stringValue }, ["validate", "wait-for-payment", "charge", "fulfill"])
        XCTAssertTrue(steps.allSatisfy { $0["status"] == "completed" && $0["attempts"] == 1 }, "\(steps)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("hookflow-demo.sqlite").path))
    }
}

/// One `hookflow-demo serve` process on an ephemeral port, in its own working folder.
private struct Demo {
    let process: Process
    let baseURL: String

    static func start(in folder: URL) async throws -> Demo {
        let log = folder.appendingPathComponent("demo-\(UUID().uuidString.prefix(6)).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = try executable()
        process.arguments = ["serve", "--hostname", "127.0.0.1", "--port", "0"]
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging([
            "HOOKFLOW_DEMO_PAYMENT_WAIT_SECONDS": "2", "HOOKFLOW_LEASE_SECONDS": "1", "LOG_LEVEL": "info",
        ]) { _, new in new }
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        try process.run()
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"Server started on http://127\.0\.0\.1:\d+"#, options: .regularExpression) {
                let address = text[range].dropFirst("Server started on ".count)
                return Demo(process: process, baseURL: String(address))
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw DemoError(message: "the demo did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    private static func executable() throws -> URL {
        let bundle = Bundle(for: DemoCrashTests.self).bundleURL
        let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("hookflow-demo") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw DemoError(message: "hookflow-demo is not built beside the tests: \(candidates.map(\.path))")
        }
        return found
    }

    func request(_ method: HTTPMethod, _ path: String, body: String? = nil) async throws -> JSON {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return try JSONDecoder().decode(JSON.self, from: Data(buffer: bytes))
    }

    func text(_ path: String) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: baseURL + path), timeout: .seconds(10))
        return String(buffer: try await response.body.collect(upTo: 1 << 20))
    }

    func waitForRun(_ runID: String, toBe status: String, timeout: Duration = .seconds(15)) async throws -> JSON {
        let deadline = ContinuousClock.now + timeout
        var last = JSON.null
        while ContinuousClock.now < deadline {
            last = try await request(.GET, "/hookflow/api/runs/\(runID)")
            if last["status"].stringValue == status { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw DemoError(message: "run \(runID) did not become \(status): \(last)")
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

private struct DemoError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
