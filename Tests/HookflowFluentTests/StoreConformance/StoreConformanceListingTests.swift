import Foundation
import Hookflow
import XCTest

/// Listing runs page by page, and counting them, on every store.
final class StoreConformanceListingTests: XCTestCase {
    /// r00 … r09: created a second apart, in workflows a (even) and b (odd); r00-r03 completed,
    /// r04-r05 failed, r06 asleep, the rest pending; r08 and r09 created in the same instant.
    private func makeRuns(_ store: any WorkflowStore) async throws {
        for index in 0..<10 {
            let runID = WorkflowRunID(String(format: "r%02d", index))
            let created = t0 + Double(min(index, 8))
            let workflowID = index.isMultiple(of: 2) ? "a" : "b"
            switch index {
            case 0..<6:
                try await store.createRunning(runID, workflowID: workflowID, now: created)
                let transition: RunTransition = index < 4 ? .complete(result: "1") : .fail(stepID: nil, error: "boom")
                try await store.commit(runID: runID, owner: "worker", step: nil, transition: transition, now: created + 100)
            case 6:
                try await store.createSleeping(runID, workflowID: workflowID, now: created, wakeAt: created + 3600)
            default:
                _ = try await store.createRun(runID: runID, workflowID: workflowID, input: "{}", now: created)
            }
        }
    }

    func testRunsAreListedNewestFirstAndPagedByCursorWithoutGapsOrRepeats() async throws {
        let store = try await makeConformanceStore()
        try await makeRuns(store)
        var listed: [String] = []
        var cursor: ListCursor?
        var pages = 0
        repeat {
            let page = try await store.listRuns(RunFilter(), after: cursor, limit: 3)
            listed += page.runs.map(\.runID.rawValue)
            cursor = page.next
            pages += 1
            if cursor != nil { XCTAssertEqual(page.runs.count, 3) }
            // Through its text, as an API hands it out.
            cursor = try cursor.map { try XCTUnwrap(ListCursor(encoded: $0.encoded)) }
        } while cursor != nil && pages < 10
        XCTAssertEqual(listed, ["r09", "r08", "r07", "r06", "r05", "r04", "r03", "r02", "r01", "r00"])
        XCTAssertEqual(pages, 4)
        let exact = try await store.listRuns(RunFilter(), after: nil, limit: 10)
        XCTAssertEqual(exact.runs.count, 10)
        XCTAssertNil(exact.next, "a page that holds the last run pointed to another")
    }

    func testFiltersNarrowTheListing() async throws {
        let store = try await makeConformanceStore()
        try await makeRuns(store)
        func ids(_ filter: RunFilter) async throws -> [String] {
            try await store.listRuns(filter, after: nil, limit: 100).runs.map(\.runID.rawValue)
        }
        var result = try await ids(RunFilter(workflowID: "a"))
        XCTAssertEqual(result, ["r08", "r06", "r04", "r02", "r00"])
        result = try await ids(RunFilter(statuses: [.failed, .sleeping]))
        XCTAssertEqual(result, ["r06", "r05", "r04"])
        result = try await ids(RunFilter(workflowID: "b", statuses: [.completed]))
        XCTAssertEqual(result, ["r03", "r01"])
        result = try await ids(RunFilter(createdSince: t0 + 2, createdUntil: t0 + 5))
        XCTAssertEqual(result, ["r04", "r03", "r02"])
        // Completed and failed runs were last written 100 s after their creation.
        result = try await ids(RunFilter(updatedSince: t0 + 104))
        XCTAssertEqual(result, ["r05", "r04"])
        result = try await ids(RunFilter(updatedUntil: t0 + 7))
        XCTAssertEqual(result, ["r06"])
        result = try await ids(RunFilter(runIDPrefix: "r0"))
        XCTAssertEqual(result.count, 10)
        result = try await ids(RunFilter(runIDPrefix: "r07"))
        XCTAssertEqual(result, ["r07"])
        result = try await ids(RunFilter(workflowID: "nobody"))
        XCTAssertEqual(result, [])
    }

    func testACursorPastARunThatWasDeletedStillStartsAfterIt() async throws {
        let store = try await makeConformanceStore()
        try await makeRuns(store)
        let page = try await store.listRuns(RunFilter(), after: ListCursor(createdAt: t0 + 5.5, id: "gone"), limit: 2)
        XCTAssertEqual(page.runs.map(\.runID), ["r05", "r04"])
    }

    func testRunsAreCountedByWorkflowAndStatus() async throws {
        let store = try await makeConformanceStore()
        try await makeRuns(store)
        let counts = try await store.countRunsByStatus()
        XCTAssertEqual(counts["a"], [.completed: 2, .failed: 1, .sleeping: 1, .pending: 1])
        XCTAssertEqual(counts["b"], [.completed: 2, .failed: 1, .pending: 2])
        XCTAssertEqual(counts.count, 2)
    }

    func testStepRetriesAreCountedByTheTimeOfTheStepsLastAttempt() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("r", now: t0)
        let keep: RunTransition = .keepRunning(leaseUntil: t0 + 3600)
        // "flaky" retried twice (its last attempt at t0 + 60), "late" once at t0 + 600, "once" never.
        try await store.commit(runID: "r", owner: "worker", step: stepRecord("once", at: t0 + 10), transition: keep, now: t0 + 10)
        try await store.commit(
            runID: "r", owner: "worker", step: stepRecord("flaky", status: .retrying, result: nil, attempts: 1, sequence: 1, at: t0 + 20),
            transition: keep, now: t0 + 20)
        try await store.commit(
            runID: "r", owner: "worker", step: stepRecord("flaky", attempts: 3, sequence: 1, at: t0 + 60), transition: keep, now: t0 + 60)
        try await store.commit(
            runID: "r", owner: "worker", step: stepRecord("late", status: .retrying, result: nil, attempts: 2, sequence: 2, at: t0 + 600),
            transition: keep, now: t0 + 600)
        var retries = try await store.countStepRetries(since: t0)
        XCTAssertEqual(retries, 3)
        retries = try await store.countStepRetries(since: t0 + 61)
        XCTAssertEqual(retries, 1)
        retries = try await store.countStepRetries(since: t0 + 601)
        XCTAssertEqual(retries, 0)
    }

    func testCountsFollowReplaysAndCleanUps() async throws {
        let store = try await makeConformanceStore()
        try await makeRuns(store)
        let letters = try await store.listDeadLetters(DeadLetterFilter(runID: "r05"), after: nil, limit: 1)
        let letter = try XCTUnwrap(letters.deadLetters.first)
        _ = try await store.reopenDeadLetter(id: letter.id, now: t0 + 200)
        let deleted = try await store.deleteFinishedRuns(before: t0 + 102, limit: 100, keepingDeadLetters: false)
        XCTAssertEqual(deleted.runs, 2, "r00 and r01 finished before t0 + 102")
        let counts = try await store.countRunsByStatus()
        XCTAssertEqual(counts["a"], [.completed: 1, .failed: 1, .sleeping: 1, .pending: 1])
        XCTAssertEqual(counts["b"], [.completed: 1, .pending: 3])
    }
}
