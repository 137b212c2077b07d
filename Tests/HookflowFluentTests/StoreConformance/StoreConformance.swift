import Foundation
import Hookflow
import XCTest

/// The conformance suite's set-up: every test in this folder runs on the store of the pass
/// (`HOOKFLOW_TEST_BACKEND`: SQLite, PostgreSQL or in-memory) and asserts what every
/// ``WorkflowStore`` must do, through the protocol alone.
extension XCTestCase {
    /// An empty store of the pass, closed when the test ends however it ends.
    func makeConformanceStore() async throws -> any WorkflowStore {
        let store = try await openTestStore(try await temporaryDatabasePath())
        addTeardownBlock { try await store.close() }
        return store
    }
}

/// A fixed moment, whole seconds, so every store keeps times exactly.
let t0 = Date(timeIntervalSince1970: 1_900_000_000)

extension WorkflowStore {
    /// Creates `runID` and leases it to `owner` until `leaseUntil` (30 s after `now` by default).
    @discardableResult
    func createRunning(
        _ runID: WorkflowRunID, workflowID: String = "w", owner: String = "worker", now: Date = t0, leaseUntil: Date? = nil
    ) async throws -> RunRecord {
        _ = try await createRun(runID: runID, workflowID: workflowID, input: #"{"n":1}"#, now: now)
        let claimed = try await claimRun(runID, owner: owner, leaseUntil: leaseUntil ?? now + 30, now: now)
        return try XCTUnwrap(claimed, "a new run was not claimable")
    }

    /// Creates `runID`, leases it and suspends it until `wakeAt`.
    func createSleeping(_ runID: WorkflowRunID, workflowID: String = "w", now: Date = t0, wakeAt: Date) async throws {
        try await createRunning(runID, workflowID: workflowID, owner: "sleeper", now: now)
        try await commit(runID: runID, owner: "sleeper", step: nil, transition: .suspend(wakeAt: wakeAt), now: now)
    }
}

/// A step record for the conformance tests.
func stepRecord(
    _ stepID: String, kind: StepKind = .run, status: StepStatus = .completed, result: String? = "1", attempts: Int = 1,
    sequence: Int = 0, wakeAt: Date? = nil, eventKey: String? = nil, at now: Date = t0
) -> StepRecord {
    StepRecord(
        stepID: stepID, kind: kind, status: status, result: result, attempts: attempts, sequence: sequence,
        wakeAt: wakeAt, eventKey: eventKey, executedAt: now)
}

/// A waiting step for an event under `key`, timing out at `timeout`.
func waitingStep(_ stepID: String, key: String, timeout: Date, sequence: Int = 0) -> StepRecord {
    stepRecord(stepID, kind: .wait, status: .waiting, result: nil, attempts: 0, sequence: sequence, wakeAt: timeout, eventKey: key)
}
