import Foundation
import Hookflow
import XCTest

/// The demo's `POST /batches`: a `fulfil-batch` run fans out one `process-order` child per order,
/// on the local transport and on QStash.
final class DemoBatchTests: XCTestCase {
    private func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-demo-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Posts a batch of six orders and checks the parent, its children and their links.
    private func assertBatchCompletes(at demo: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        let orders = (1...6).map { "B-\($0)" }
        let body = #"{"orders": [\#(orders.map { "\"\($0)\"" }.joined(separator: ","))]}"#
        let created = try await Loopback.post(demo + "/batches", body)
        let runID = try XCTUnwrap(created["run_id"].stringValue, "\(created)", file: file, line: line)
        let done = try await Loopback.waitForRun(runID, at: demo, toBe: "completed", timeout: .seconds(60))
        let shipped = try XCTUnwrap(done["result"]["shipped"].arrayValue, file: file, line: line)
        XCTAssertEqual(shipped.map { $0["charge_id"].stringValue }, orders.map { "ch_\($0)" }, file: file, line: line)
        XCTAssertEqual(done["parent_run_id"], .null, file: file, line: line)
        let children = try XCTUnwrap(done["children"].arrayValue?.compactMap(\.stringValue), file: file, line: line)
        XCTAssertEqual(Set(children), Set((0..<6).map { "\(runID):process-order[\($0)]" }), file: file, line: line)
        let steps = try XCTUnwrap(done["steps"].arrayValue, file: file, line: line)
        XCTAssertEqual(steps.count, 6, file: file, line: line)
        XCTAssertTrue(steps.allSatisfy { $0["kind"] == "child" && $0["status"] == "completed" }, "\(steps)", file: file, line: line)
        let child = try await Loopback.get(
            demo + "/hookflow/api/runs/" + children[0].addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
        XCTAssertEqual(child["parent_run_id"].stringValue, runID, file: file, line: line)
        XCTAssertEqual(child["status"], "completed", file: file, line: line)
        let listed = try await Loopback.get(demo + "/hookflow/api/runs?parent_run_id=\(runID)&limit=10")
        XCTAssertEqual(listed["runs"].arrayValue?.count, 6, file: file, line: line)
    }

    func testABatchFansOutOneChildPerOrderOnTheLocalTransport() async throws {
        let folder = try folder()
        let port = try Loopback.freePort()
        let app = try await Loopback.startDemo(
            port: port, environment: ["HOOKFLOW_DEMO_PAYMENT_WAIT_SECONDS": "1"], folder: folder, log: "demo.log")
        defer { app.terminate() }
        try await assertBatchCompletes(at: "http://127.0.0.1:\(port)")
        let refused = try await Loopback.request(.POST, "http://127.0.0.1:\(port)/batches", body: #"{"orders": []}"#)
        XCTAssertEqual(refused["error"], true, "\(refused)")
    }

    func testABatchFansOutOneChildPerOrderOnQStash() async throws {
        let folder = try folder()
        let demoPort = try Loopback.freePort()
        let (dev, _, environment) = try await Loopback.startQStash(in: folder, demoPort: demoPort, paymentWaitSeconds: 1)
        defer { dev.terminate() }
        let app = try await Loopback.startDemo(port: demoPort, environment: environment, folder: folder, log: "demo.log")
        defer { app.terminate() }
        try await assertBatchCompletes(at: "http://127.0.0.1:\(demoPort)")
    }
}
