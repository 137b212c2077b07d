import Foundation
import Hookflow
import XCTest

@testable import HookflowFluent

/// The text a PostgreSQL checkpoint sends for its row: written by hand rather than by `JSONEncoder`,
/// and read back by a standard parser.
final class CheckpointRowTests: XCTestCase {
    func testACheckpointRowIsJSONThatCarriesEveryValueAsItIs() throws {
        let hostile = "quote \" backslash \\ newline \n tab \t return \r bell \u{7} nul \u{0} unit \u{1F} é 🚀 \u{2028} end"
        let step = StepRecord(
            stepID: "step \"1\" \\ é", kind: .run, status: .completed, result: #"{"text":"\"hi\"\n"}"#,
            errorMessage: hostile, attempts: 3, sequence: 42, wakeAt: Date(timeIntervalSince1970: 1_796_557_396.946_951_6),
            eventKey: nil, startedAt: Date(timeIntervalSince1970: 0.000_001), executedAt: Date(timeIntervalSince1970: 1e-7))
        let text = PostgresCheckpoint.row(
            runID: "run/1", owner: "worker \u{0}", leaseUntil: nil, now: Date(timeIntervalSince1970: 1_796_557_400.5), step: step,
            rowID: "0193A3B2-0000-7000-8000-000000000001")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
        XCTAssertEqual(object["run_id"] as? String, "run/1")
        XCTAssertEqual(object["owner"] as? String, "worker \u{0}")
        XCTAssertTrue(object["lease_until"] is NSNull)
        XCTAssertEqual(object["now"] as? Double, 1_796_557_400.5)
        XCTAssertEqual(object["id"] as? String, "0193A3B2-0000-7000-8000-000000000001")
        XCTAssertEqual(object["step_id"] as? String, step.stepID)
        XCTAssertEqual(object["kind"] as? String, "run")
        XCTAssertEqual(object["status"] as? String, "completed")
        XCTAssertEqual(object["result"] as? String, step.result)
        XCTAssertEqual(object["error_message"] as? String, hostile)
        XCTAssertEqual(object["attempts"] as? Int, 3)
        XCTAssertEqual(object["sequence"] as? Int, 42)
        XCTAssertEqual(object["wake_at"] as? Double, step.wakeAt?.timeIntervalSince1970)
        XCTAssertEqual(object["executed_at"] as? Double, step.executedAt.timeIntervalSince1970)
        XCTAssertTrue(object["event_key"] is NSNull)
        XCTAssertEqual(object["started_at"] as? Double, step.startedAt?.timeIntervalSince1970)
        XCTAssertEqual(object.count, 16, "unexpected members: \(object.keys.sorted())")
    }
}
