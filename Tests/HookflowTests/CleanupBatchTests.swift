import Foundation
@testable import Hookflow
import XCTest

/// How a clean-up sizes its batches so that none holds the store's write lock long.
final class CleanupBatchTests: XCTestCase {
    func testABatchSlowerThanTheTargetHalvesTheNextDownToOne() {
        XCTAssertEqual(WorkflowEngine.nextBatch(after: 50, took: .milliseconds(30), upTo: 50), 25)
        XCTAssertEqual(WorkflowEngine.nextBatch(after: 1, took: .milliseconds(30), upTo: 50), 1)
    }

    func testAFastBatchDoublesTheNextUpToTheMaximum() {
        XCTAssertEqual(WorkflowEngine.nextBatch(after: 12, took: .milliseconds(2), upTo: 50), 24)
        XCTAssertEqual(WorkflowEngine.nextBatch(after: 40, took: .milliseconds(2), upTo: 50), 50)
    }

    func testABatchNearTheTargetKeepsItsSize() {
        XCTAssertEqual(WorkflowEngine.nextBatch(after: 20, took: .milliseconds(7), upTo: 50), 20)
    }
}
