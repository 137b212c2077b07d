import Foundation
import Hookflow
import XCTest

/// Events and the runs that wait for them, on every store.
final class StoreConformanceEventTests: XCTestCase {
    func testAnEventWakesTheRunsWaitingForItAndNoOthers() async throws {
        let store = try await makeConformanceStore()
        for (runID, key) in [("approval", "order-1"), ("other", "order-2")] {
            try await store.createRunning(WorkflowRunID(runID), owner: "a", now: t0)
            try await store.commit(
                runID: WorkflowRunID(runID), owner: "a", step: waitingStep("wait", key: key, timeout: t0 + 3600),
                transition: .suspend(wakeAt: t0 + 3600), now: t0)
        }
        let woken = try await store.deliverEvent(key: "order-1", payload: #"{"approved":true}"#, now: t0 + 10)
        XCTAssertEqual(woken.map(\.runID), ["approval"])
        XCTAssertEqual(woken.first?.wakeAt, t0 + 10)
        let approval = try await store.run("approval")
        XCTAssertEqual(approval?.wakeAt, t0 + 10)
        let other = try await store.run("other")
        XCTAssertEqual(other?.wakeAt, t0 + 3600, "an event woke a run waiting for another key")
        let payload = try await store.event(key: "order-1", now: t0 + 11)
        XCTAssertEqual(payload, #"{"approved":true}"#)
        let none = try await store.event(key: "order-2", now: t0 + 11)
        XCTAssertNil(none)
    }

    func testTheLatestEventIsServedUntilItsRetentionEnds() async throws {
        let store = try await makeConformanceStore()
        _ = try await store.deliverEvent(key: "k", payload: "1", now: t0)
        _ = try await store.deliverEvent(key: "k", payload: "2", now: t0 + 1)
        let latest = try await store.event(key: "k", now: t0 + 2)
        XCTAssertEqual(latest, "2")
        let lastDay = try await store.event(key: "k", now: t0 + 1 + EventRetention.period)
        XCTAssertEqual(lastDay, "2")
        let afterRetention = try await store.event(key: "k", now: t0 + 2 + EventRetention.period)
        XCTAssertNil(afterRetention, "an event past its retention was served")
    }

    func testARunThatSuspendsAfterItsEventArrivedIsDueAtOnce() async throws {
        let store = try await makeConformanceStore()
        try await store.createRunning("r", owner: "a", now: t0)
        // The event comes while the run is still executing: nobody is asleep to wake.
        let woken = try await store.deliverEvent(key: "k", payload: "{}", now: t0 + 1)
        XCTAssertEqual(woken, [])
        try await store.commit(
            runID: "r", owner: "a", step: waitingStep("wait", key: "k", timeout: t0 + 3600),
            transition: .suspend(wakeAt: t0 + 3600), now: t0 + 2)
        let run = try await store.run("r")
        XCTAssertEqual(run?.status, .sleeping)
        XCTAssertEqual(run?.wakeAt, t0 + 2, "the run sleeps past an event that had arrived")
    }

    func testAnEventRacingASuspensionNeverLeavesTheRunAsleep() async throws {
        let store = try await makeConformanceStore()
        for index in 0..<20 {
            let runID = WorkflowRunID("race-\(index)")
            let key = "event-\(index)"
            try await store.createRunning(runID, owner: "a", now: t0)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await store.commit(
                        runID: runID, owner: "a", step: waitingStep("wait", key: key, timeout: t0 + 3600),
                        transition: .suspend(wakeAt: t0 + 3600), now: t0 + 1)
                }
                group.addTask { _ = try await store.deliverEvent(key: key, payload: "{}", now: t0 + 1) }
                try await group.waitForAll()
            }
            let run = try await store.run(runID)
            XCTAssertEqual(run?.status, .sleeping)
            XCTAssertEqual(run?.wakeAt, t0 + 1, "\(runID) slept past its event")
        }
    }
}
