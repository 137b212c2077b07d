import Foundation
import Hookflow
import HookflowFluent
import XCTest

struct Approval: Codable, Sendable, Equatable {
    var approver: String
}

/// Waits for the approval of order `key`, then records who approved it.
struct AwaitApproval: Workflow {
    static let id = "await-approval"
    let counter: Counter
    var timeout: Duration = .seconds(60)

    func run(_ ctx: WorkflowContext<String>) async throws -> String {
        try await ctx.step.run("before") { counter.hit("before") }
        let approval = try await ctx.step.waitForEvent(
            "approval", key: "approved:\(ctx.data)", as: Approval.self, timeout: timeout)
        return try await ctx.step.run("after") {
            counter.hit("after")
            return approval?.approver ?? "timed out"
        }
    }
}

final class EventTests: XCTestCase {
    func testWaitResumesWithTheNotifiedPayload() async throws {
        let counter = Counter()
        let harness = try await Harness.start { $0.register(AwaitApproval(counter: counter)) }
        let runID = try await harness.engine.trigger(AwaitApproval.self, input: "order-1")
        let sleeping = try await harness.wait(for: runID, toBe: .sleeping)
        let waiting = try await harness.steps(runID)["approval"]
        XCTAssertEqual(waiting?.status, .waiting)
        XCTAssertEqual(waiting?.eventKey, "approved:order-1")
        XCTAssertEqual(sleeping.wakeAt, waiting?.wakeAt, "the run sleeps until the wait times out")

        let other = try await harness.engine.notify(key: "approved:order-2", payload: Approval(approver: "bob"))
        XCTAssertEqual(other, [], "an event under another key woke the run")
        let woken = try await harness.engine.notify(key: "approved:order-1", payload: Approval(approver: "ada"))
        XCTAssertEqual(woken, [runID])
        let run = try await harness.wait(for: runID, toBe: .completed)

        XCTAssertEqual(run.result, #""ada""#)
        XCTAssertEqual(counter["before"], 1, "the step before the wait ran again on replay")
        let received = try await harness.steps(runID)["approval"]
        XCTAssertEqual(received?.status, .completed)
        XCTAssertEqual(received?.result, #"{"approver":"ada"}"#)
        try await harness.stop()
    }

    func testEventNotifiedBeforeTheWaitIsReceived() async throws {
        let harness = try await Harness.start { $0.register(AwaitApproval(counter: Counter())) }
        let woken = try await harness.engine.notify(key: "approved:early", payload: Approval(approver: "grace"))
        XCTAssertEqual(woken, [])

        let runID = try await harness.engine.trigger(AwaitApproval.self, input: "early")
        let run = try await harness.wait(for: runID, toBe: .completed)
        XCTAssertEqual(run.result, #""grace""#)
        try await harness.stop()
    }

    func testWaitTimesOutWithNil() async throws {
        let counter = Counter()
        let harness = try await Harness.start {
            $0.register(AwaitApproval(counter: counter, timeout: .milliseconds(300)))
        }
        let runID = try await harness.engine.trigger(AwaitApproval.self, input: "never")
        let run = try await harness.wait(for: runID, toBe: .completed)
        XCTAssertEqual(run.result, #""timed out""#)
        let step = try await harness.steps(runID)["approval"]
        XCTAssertEqual(step?.status, .completed)
        XCTAssertNil(step?.result, "a timed-out wait is checkpointed without a payload")

        let late = try await harness.engine.notify(key: "approved:never", payload: Approval(approver: "late"))
        XCTAssertEqual(late, [], "an event after the timeout woke a finished run")
        XCTAssertEqual(counter["after"], 1)
        try await harness.stop()
    }

    func testWaitSurvivesRestartAndIsWokenFromAnotherEngine() async throws {
        let counter = Counter()
        let first = try await Harness.start { $0.register(AwaitApproval(counter: counter)) }
        let runID = try await first.engine.trigger(AwaitApproval.self, input: "restart")
        try await first.wait(for: runID, toBe: .sleeping)
        try await first.stop()

        let second = try await Harness.start(path: first.path) { $0.register(AwaitApproval(counter: counter)) }
        try await second.engine.notify(key: "approved:restart", payload: Approval(approver: "linus"))
        let run = try await second.wait(for: runID, toBe: .completed)
        XCTAssertEqual(run.result, #""linus""#)
        XCTAssertEqual(counter["before"], 1)
        try await second.stop()
    }

    func testSuspendingWhileTheEventArrivesMakesTheRunDue() async throws {
        let store = try await openTestStore(temporaryDatabasePath())
        let now = Date()
        let runID = WorkflowRunID("race")
        _ = try await store.createRun(runID: runID, workflowID: "w", input: "null", now: now)
        let claimed = try await store.claimRun(runID, owner: "worker", leaseUntil: now + 30, now: now)
        XCTAssertNotNil(claimed)
        // The event lands while the worker still holds the run, before its wait is written.
        let woken = try await store.deliverEvent(key: "k", payload: "1", now: now)
        XCTAssertEqual(woken.map(\.runID), [])
        let wait = StepRecord(
            stepID: "wait", kind: .wait, status: .waiting, attempts: 1, sequence: 0, wakeAt: now + 3600, eventKey: "k",
            executedAt: now)
        try await store.commit(runID: runID, owner: "worker", step: wait, transition: .suspend(wakeAt: now + 3600), now: now)

        let run = try await store.run(runID)
        XCTAssertEqual(run?.status, .sleeping)
        let wakeAt = try XCTUnwrap(run?.wakeAt)
        XCTAssertEqual(
            wakeAt.timeIntervalSince1970, now.timeIntervalSince1970, accuracy: 0.001,
            "the run sleeps until its timeout although its event has arrived")
        try await store.close()
    }
}
