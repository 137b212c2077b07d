import Foundation
import Hookflow
import XCTest

/// Reading a run's steps a page at a time, on every store.
final class StoreConformanceStepTests: XCTestCase {
    /// Run "r" with steps s0 … s4 at positions 0 … 4, written out of order, and run "other"
    /// with a step of its own at position 9.
    private func makeSteps(_ store: any WorkflowStore) async throws {
        try await store.createRunning("r")
        for sequence in [3, 0, 4, 1, 2] {
            try await store.commit(
                runID: "r", owner: "worker", step: stepRecord("s\(sequence)", sequence: sequence),
                transition: .keepRunning(leaseUntil: t0 + 30), now: t0)
        }
        try await store.createRunning("other")
        try await store.commit(
            runID: "other", owner: "worker", step: stepRecord("o9", sequence: 9), transition: .keepRunning(leaseUntil: t0 + 30),
            now: t0)
    }

    func testPagesFollowEachOtherInExecutionOrder() async throws {
        let store = try await makeConformanceStore()
        try await makeSteps(store)
        var pages: [[String]] = []
        var after: Int?
        repeat {
            let page = try await store.steps(of: "r", afterSequence: after, limit: 2)
            pages.append(page.map(\.stepID))
            after = page.last?.sequence
        } while after != nil && pages.count < 10
        XCTAssertEqual(pages, [["s0", "s1"], ["s2", "s3"], ["s4"], []])
        let paged = try await store.steps(of: "r", afterSequence: nil, limit: 100)
        let all = try await store.steps(of: "r")
        XCTAssertEqual(paged, all, "a page holds the steps as they are stored")
    }

    func testAStepKeepsWhenItsLatestAttemptBegan() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("r")
        var step = stepRecord("timed", at: t0 + 2)
        step.startedAt = t0 + 1.5
        try await store.commit(runID: "r", owner: "worker", step: step, transition: .keepRunning(leaseUntil: t0 + 30), now: t0 + 2)
        try await store.commit(
            runID: "r", owner: "worker", step: stepRecord("untimed", sequence: 1), transition: .keepRunning(leaseUntil: t0 + 30), now: t0)
        let steps = try await store.steps(of: "r")
        let started = try XCTUnwrap(steps.first?.startedAt, "the start was not kept")
        XCTAssertEqual(started.timeIntervalSince1970, (t0 + 1.5).timeIntervalSince1970, accuracy: 0.001)
        XCTAssertNil(steps.last?.startedAt)
    }

    func testAfterSequenceLeavesOutThatStepAndThoseBefore() async throws {
        let store = try await makeConformanceStore()
        try await makeSteps(store)
        var steps = try await store.steps(of: "r", afterSequence: 1, limit: 10)
        XCTAssertEqual(steps.map(\.stepID), ["s2", "s3", "s4"])
        steps = try await store.steps(of: "r", afterSequence: 4, limit: 10)
        XCTAssertEqual(steps, [])
        steps = try await store.steps(of: "r", afterSequence: nil, limit: 10)
        XCTAssertEqual(steps.map(\.stepID), ["s0", "s1", "s2", "s3", "s4"], "another run's step came along")
    }

    func testAPageHoldsAtMostTheLimit() async throws {
        let store = try await makeConformanceStore()
        try await makeSteps(store)
        var steps = try await store.steps(of: "r", afterSequence: nil, limit: 1)
        XCTAssertEqual(steps.map(\.stepID), ["s0"])
        steps = try await store.steps(of: "r", afterSequence: 0, limit: 3)
        XCTAssertEqual(steps.map(\.stepID), ["s1", "s2", "s3"])
    }

    func testAnUnknownRunHasNoSteps() async throws {
        let store = try await makeConformanceStore()
        try await makeSteps(store)
        let steps = try await store.steps(of: "nobody", afterSequence: nil, limit: 10)
        XCTAssertEqual(steps, [])
    }
}
