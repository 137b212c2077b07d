import Foundation
import Hookflow
import XCTest

/// Dead letters and their replay, on every store.
final class StoreConformanceDeadLetterTests: XCTestCase {
    func testAReplayedDeadLetterReopensTheRunAtItsFailedStepOnce() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("r", owner: "a", now: t0)
        try await store.commit(
            runID: "r", owner: "a", step: stepRecord("validate"), transition: .keepRunning(leaseUntil: t0 + 30), now: t0)
        try await store.recordInvocationFailure(runID: "r", owner: "a", error: "slow disk", retryAt: t0 + 30)
        try await store.commit(
            runID: "r", owner: "a", step: stepRecord("charge", status: .failed, result: nil, attempts: 3, sequence: 1),
            transition: .fail(stepID: "charge", error: "card declined"), now: t0 + 1)
        let letters = try await store.deadLetters(limit: 1)
        let letter = try XCTUnwrap(letters.first)

        let reopened = try await store.reopenDeadLetter(id: letter.id, now: t0 + 100)
        XCTAssertEqual(reopened.runID, "r")
        XCTAssertEqual(reopened.status, .pending)
        XCTAssertNil(reopened.errorMessage)
        XCTAssertNil(reopened.completedAt)
        XCTAssertNil(reopened.lastInvocationError)
        XCTAssertEqual(reopened.unfinishedInvocations, 0)
        let steps = try await store.steps(of: "r")
        XCTAssertEqual(steps.map(\.status), [.completed, .retrying], "the completed step was not kept, or the failed one not reset")
        XCTAssertEqual(steps.last?.attempts, 0)
        let replayed = try await store.deadLetters(limit: 1).first
        XCTAssertEqual(replayed?.replayedAt, t0 + 100)
        let claimed = try await store.claimNextRun(owner: "b", leaseUntil: t0 + 130, now: t0 + 100)
        XCTAssertEqual(claimed?.runID, "r")

        await assertNotFound(store, letter.id)
    }

    func testAReplayOfAnUnknownEntryIsNotFound() async throws {
        let store = try await makeConformanceStore()
        await assertNotFound(store, UUID().uuidString)
        await assertNotFound(store, "not-a-uuid")
    }

    func testAnIDIsFoundWhateverTheCaseOfItsHexDigits() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("r", owner: "a", now: t0)
        try await store.commit(runID: "r", owner: "a", step: nil, transition: .fail(stepID: nil, error: "boom"), now: t0)
        let letters = try await store.deadLetters(limit: 1)
        let letter = try XCTUnwrap(letters.first)
        let reopened = try await store.reopenDeadLetter(id: letter.id.lowercased(), now: t0 + 1)
        XCTAssertEqual(reopened.status, .pending)
    }

    func testDeadLettersAreListedNewestFirstUpToTheLimit() async throws {
        let store = try await makeConformanceStore()
        for index in 0..<3 {
            let runID = WorkflowRunID("r\(index)")
            try await store.createRunning(runID, owner: "a", now: t0)
            try await store.commit(
                runID: runID, owner: "a", step: nil, transition: .fail(stepID: nil, error: "e\(index)"),
                now: t0 + Double(index))
        }
        let letters = try await store.deadLetters(limit: 2)
        XCTAssertEqual(letters.map(\.runID), ["r2", "r1"])
        XCTAssertEqual(letters.map(\.stepID), [nil, nil])
    }

    private func assertNotFound(_ store: any WorkflowStore, _ id: String, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            _ = try await store.reopenDeadLetter(id: id, now: t0 + 200)
            XCTFail("dead letter \(id) was replayed", file: file, line: line)
        } catch {
            XCTAssertTrue(error is DeadLetterNotFoundError, "\(error)", file: file, line: line)
        }
    }
}
