import Foundation
import Hookflow
import HookflowFluent
import XCTest

final class StoreTests: XCTestCase {
    func testOpenCreatesTheFileInWALModeAndReopensIt() async throws {
        try TestBackend.requireSQLite()
        let path = try await temporaryDatabasePath()
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        let store = try await SQLiteWorkflowStore.open(path: path)
        _ = try await store.createRun(runID: "r", workflowID: "w", input: "{}", now: Date())
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-wal"), "the database is not in WAL mode")
        try await store.close()

        let reopened = try await SQLiteWorkflowStore.open(path: path)
        let run = try await reopened.run("r")
        XCTAssertEqual(run?.status, .pending)
        try await reopened.close()
    }

    func testNextWakeTimeIsTheEarliestSleeperAfterTheGivenTime() async throws {
        let store = try await openTestStore(temporaryDatabasePath())
        let now = Date()
        // Created and claimed one at a time, so each claim takes the run just created.
        for (id, delay) in [("late", 60.0), ("soon", 5.0), ("due", -1.0)] {
            _ = try await store.createRun(runID: WorkflowRunID(id), workflowID: "w", input: "{}", now: now)
            let claimed = try await store.claimNextRun(owner: id, leaseUntil: now + 30, now: now)
            XCTAssertEqual(claimed?.runID.rawValue, id)
            try await store.commit(
                runID: WorkflowRunID(id), owner: id, step: nil, transition: .suspend(wakeAt: now + delay), now: now)
        }
        let next = try await store.nextWakeTime(after: now)
        XCTAssertEqual(next!.timeIntervalSince(now), 5, accuracy: 0.001)
        let due = try await store.claimNextRun(owner: "worker", leaseUntil: now + 30, now: now)
        XCTAssertNotNil(due, "a run past its wake time was not claimable")
        try await store.close()
    }

    func testAnInstanceClaimsOnlyRunsOfTheWorkflowsItKnows() async throws {
        let store = try await openTestStore(temporaryDatabasePath())
        let now = Date()
        _ = try await store.createRun(runID: "newer", workflowID: "added-in-v2", input: "{}", now: now)
        _ = try await store.createRun(runID: "older", workflowID: "checkout", input: "{}", now: now + 1)
        // An instance of the previous release, during a rolling deploy.
        let old = try await store.claimNextRun(owner: "v1", leaseUntil: now + 30, now: now + 2, workflowIDs: ["checkout"])
        XCTAssertEqual(old?.runID, "older")
        let nothing = try await store.claimNextRun(owner: "v1", leaseUntil: now + 30, now: now + 2, workflowIDs: ["checkout"])
        XCTAssertNil(nothing, "an instance claimed a run of a workflow it does not know")
        let new = try await store.claimNextRun(
            owner: "v2", leaseUntil: now + 30, now: now + 2, workflowIDs: ["checkout", "added-in-v2"])
        XCTAssertEqual(new?.runID, "newer")
        try await store.close()
    }

    func testAnEarlyClaimTakesASleeperBeforeItsTimeButNeverALiveLease() async throws {
        let store = try await openTestStore(temporaryDatabasePath())
        addTeardownBlock { try await store.close() }
        let now = Date()
        _ = try await store.createRun(runID: "held", workflowID: "w", input: "{}", now: now)
        _ = try await store.claimRun("held", owner: "worker", leaseUntil: now + 30, now: now)
        let stolen = try await store.claimRun("held", owner: "early", leaseUntil: now + 30, now: now, wakingBy: now + 60)
        XCTAssertNil(stolen, "a delivery allowed to be early took a live lease")

        _ = try await store.createRun(runID: "napping", workflowID: "w", input: "{}", now: now)
        _ = try await store.claimRun("napping", owner: "worker", leaseUntil: now + 30, now: now)
        try await store.commit(runID: "napping", owner: "worker", step: nil, transition: .suspend(wakeAt: now + 20), now: now)
        let onTime = try await store.claimRun("napping", owner: "early", leaseUntil: now + 30, now: now)
        XCTAssertNil(onTime)
        let early = try await store.claimRun("napping", owner: "early", leaseUntil: now + 30, now: now, wakingBy: now + 20)
        XCTAssertEqual(early?.status, .running)
    }
}
