import Foundation
import Hookflow
import XCTest

/// Dead letter management, forks and clean-up, on every store.
final class StoreConformanceOperationsTests: XCTestCase {
    /// Fails `runID` (workflow `workflowID`) at `now`, leaving a dead letter.
    private func fail(_ store: any WorkflowStore, _ runID: WorkflowRunID, workflowID: String = "w", at now: Date) async throws {
        try await store.createRunning(runID, workflowID: workflowID, now: now)
        try await store.commit(
            runID: runID, owner: "worker", step: stepRecord("s", status: .failed, result: nil),
            transition: .fail(stepID: "s", error: "boom"), now: now)
    }

    func testDeadLettersAreFilteredAndPagedByCursor() async throws {
        let store = try await makeConformanceStore()
        for index in 0..<5 { try await fail(store, WorkflowRunID("r\(index)"), workflowID: index < 3 ? "a" : "b", at: t0 + Double(index)) }
        let first = try await store.deadLetters(limit: 10)
        _ = try await store.reopenDeadLetter(id: try XCTUnwrap(first.last).id, now: t0 + 10)

        var listed: [WorkflowRunID] = []
        var cursor: ListCursor?
        repeat {
            let page = try await store.listDeadLetters(DeadLetterFilter(), after: cursor, limit: 2)
            listed += page.deadLetters.map(\.runID)
            cursor = try page.next.map { try XCTUnwrap(ListCursor(encoded: $0.encoded)) }
        } while cursor != nil && listed.count < 10
        XCTAssertEqual(listed, ["r4", "r3", "r2", "r1", "r0"])
        let ofA = try await store.listDeadLetters(DeadLetterFilter(workflowID: "a"), after: nil, limit: 10)
        XCTAssertEqual(ofA.deadLetters.map(\.runID), ["r2", "r1", "r0"])
        let ofRun = try await store.listDeadLetters(DeadLetterFilter(runID: "r3"), after: nil, limit: 10)
        XCTAssertEqual(ofRun.deadLetters.map(\.runID), ["r3"])
        let waiting = try await store.listDeadLetters(DeadLetterFilter(replayed: false), after: nil, limit: 10)
        XCTAssertEqual(waiting.deadLetters.map(\.runID), ["r4", "r3", "r2", "r1"])
        let replayed = try await store.listDeadLetters(DeadLetterFilter(replayed: true), after: nil, limit: 10)
        XCTAssertEqual(replayed.deadLetters.map(\.runID), ["r0"])
        XCTAssertNil(replayed.next)
    }

    func testADeadLetterIsReadAndDeletedByIDAndItsRunStays() async throws {
        let store = try await makeConformanceStore()
        try await fail(store, "r", at: t0)
        let letters = try await store.deadLetters(limit: 1)
        let letter = try XCTUnwrap(letters.first)
        let read = try await store.deadLetter(id: letter.id.lowercased())
        XCTAssertEqual(read, letter)
        let deleted = try await store.deleteDeadLetter(id: letter.id)
        XCTAssertTrue(deleted)
        let again = try await store.deleteDeadLetter(id: letter.id)
        XCTAssertFalse(again, "a dead letter was deleted twice")
        let gone = try await store.deadLetter(id: letter.id)
        XCTAssertNil(gone)
        let unknown = try await store.deadLetter(id: "not-a-uuid")
        XCTAssertNil(unknown)
        let run = try await store.run("r")
        XCTAssertEqual(run?.status, .failed)
    }

    func testAForkKeepsTheStepsBeforeItsStepAndStartsPending() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("source", workflowID: "checkout", now: t0)
        for (index, stepID) in ["validate", "charge", "ship"].enumerated() {
            try await store.commit(
                runID: "source", owner: "worker", step: stepRecord(stepID, result: "\(index)", sequence: index),
                transition: .keepRunning(leaseUntil: t0 + 30), now: t0)
        }
        try await store.commit(runID: "source", owner: "worker", step: nil, transition: .complete(result: "1"), now: t0 + 1)

        let fork = try await store.forkRun("source", as: "fork", fromStep: "charge", now: t0 + 5)
        XCTAssertEqual(fork.runID, "fork")
        XCTAssertEqual(fork.status, .pending)
        XCTAssertEqual(fork.workflowID, "checkout")
        XCTAssertEqual(fork.input, #"{"n":1}"#)
        XCTAssertEqual(fork.createdAt, t0 + 5)
        let steps = try await store.steps(of: "fork")
        XCTAssertEqual(steps.map(\.stepID), ["validate"])
        XCTAssertEqual(steps.first?.result, "0")
        let claimed = try await store.claimNextRun(owner: "w", leaseUntil: t0 + 60, now: t0 + 6)
        XCTAssertEqual(claimed?.runID, "fork")
        let source = try await store.steps(of: "source")
        XCTAssertEqual(source.count, 3, "the fork changed its source")

        await XCTAssertThrowsErrorAsync(try await store.forkRun("nobody", as: "x", fromStep: "charge", now: t0)) {
            XCTAssertTrue($0 is WorkflowRunNotFoundError, "\($0)")
        }
        await XCTAssertThrowsErrorAsync(try await store.forkRun("source", as: "y", fromStep: "refund", now: t0)) {
            XCTAssertTrue($0 is StepNotFoundError, "\($0)")
        }
        await XCTAssertThrowsErrorAsync(try await store.forkRun("source", as: "fork", fromStep: "charge", now: t0)) {
            XCTAssertTrue($0 is WorkflowRunConflictError, "\($0)")
        }
        let refused = try await store.run("y")
        XCTAssertNil(refused, "a refused fork left a run")
    }

    func testACleanUpDeletesFinishedRunsInBatchesAndLeavesLiveOnes() async throws {
        let store = try await makeConformanceStore()
        for index in 0..<5 {
            let runID = WorkflowRunID("done-\(index)")
            try await store.createRunning(runID, now: t0)
            try await store.commit(
                runID: runID, owner: "worker", step: stepRecord("s"), transition: .keepRunning(leaseUntil: t0 + 30), now: t0)
            try await store.commit(runID: runID, owner: "worker", step: nil, transition: .complete(result: "1"), now: t0 + Double(index))
        }
        try await fail(store, "failed-old", at: t0)
        try await fail(store, "failed-new", at: t0 + 100)
        try await store.createSleeping("asleep", now: t0, wakeAt: t0 + 3600)
        _ = try await store.createRun(runID: "pending", workflowID: "w", input: "{}", now: t0)

        let expired = try await store.countExpired(before: t0 + 50)
        XCTAssertEqual(expired.runs, 6)
        XCTAssertEqual(expired.deadLetters, 1)
        var deleted: [CleanupReport] = []
        for _ in 0..<3 { deleted.append(try await store.deleteFinishedRuns(before: t0 + 50, limit: 4, keepingDeadLetters: false)) }
        XCTAssertEqual(deleted.map(\.runs), [4, 2, 0])
        XCTAssertEqual(deleted.map(\.deadLetters).reduce(0, +), 1, "the old failed run's dead letter was not counted")

        let left = try await store.listRuns(RunFilter(), after: nil, limit: 100).runs.map(\.runID)
        XCTAssertEqual(Set(left), ["failed-new", "asleep", "pending"])
        let steps = try await store.steps(of: "done-0")
        XCTAssertEqual(steps, [], "a deleted run's steps are left")
        let letters = try await store.deadLetters(limit: 10)
        XCTAssertEqual(letters.map(\.runID), ["failed-new"], "a deleted run's dead letter is left")
    }

    func testACleanUpCanKeepDeadLettersOrDeleteOnlyThem() async throws {
        let store = try await makeConformanceStore()
        try await fail(store, "old", at: t0)
        try await fail(store, "new", at: t0 + 100)
        let deleted = try await store.deleteFinishedRuns(before: t0 + 50, limit: 10, keepingDeadLetters: true)
        XCTAssertEqual(deleted, CleanupReport(runs: 1, deadLetters: 0))
        var letters = try await store.deadLetters(limit: 10)
        XCTAssertEqual(letters.map(\.runID), ["new", "old"])
        let letterCount = try await store.deleteDeadLetters(before: t0 + 50, limit: 10)
        XCTAssertEqual(letterCount, 1)
        letters = try await store.deadLetters(limit: 10)
        XCTAssertEqual(letters.map(\.runID), ["new"])
        let run = try await store.run("new")
        XCTAssertEqual(run?.status, .failed)
    }
}

/// Asserts that `expression` throws, and hands the error to `check`.
func XCTAssertThrowsErrorAsync<T>(
    _ expression: @autoclosure () async throws -> T, file: StaticString = #filePath, line: UInt = #line,
    _ check: (any Error) -> Void
) async {
    do {
        _ = try await expression()
        XCTFail("no error was thrown", file: file, line: line)
    } catch {
        check(error)
    }
}
