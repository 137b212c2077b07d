import Foundation
import Hookflow
import HookflowFluent
import Synchronization
import XCTest

/// A transport that refuses to schedule while `failing` is on, and records what it scheduled.
final class RecordingTransport: WorkflowTransport {
    struct Scheduled: Equatable { var runID: WorkflowRunID; var at: Date?; var key: String }
    struct Refused: Error {}

    let failing = Flag(false)
    private let log = Mutex<[Scheduled]>([])
    var scheduled: [Scheduled] { log.withLock { $0 } }

    func schedule(_ runID: WorkflowRunID, workflowID: String, at date: Date?, key: String) async throws {
        if failing.isOn { throw Refused() }
        log.withLock { $0.append(Scheduled(runID: runID, at: date, key: key)) }
    }
}

struct NapForAMinute: Workflow {
    func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool {
        try await ctx.step.run("before") {}
        try await ctx.step.sleep("nap", for: .seconds(60))
        return true
    }
}

/// How a webhook-driven engine recovers a wake-up that could not be published.
final class SchedulingTests: XCTestCase {
    /// An engine driven by deliveries only: no worker claims runs.
    private func makeEngine() async throws -> (any WorkflowStore, RecordingTransport, WorkflowEngine) {
        let store = try await openTestStore(temporaryDatabasePath())
        var registry = WorkflowRegistry()
        registry.register(NapForAMinute())
        let transport = RecordingTransport()
        return (store, transport, WorkflowEngine(store: store, registry: registry, transport: transport))
    }

    func testAWakeUpThatFailedToScheduleIsRestoredOnceAndAnEarlyOneRepublishedOnce() async throws {
        let (store, transport, engine) = try await makeEngine()
        addTeardownBlock { try await store.close() }
        let runID = try await engine.trigger(NapForAMinute.self, input: [:])
        XCTAssertEqual(transport.scheduled.map(\.key), [runID.rawValue])

        transport.failing.set(true)
        do {
            _ = try await engine.executeRun(runID)
            XCTFail("a failed schedule was swallowed: the delivery would not be retried")
        } catch is RecordingTransport.Refused {}
        let sleeping = try await store.run(runID)
        XCTAssertEqual(sleeping?.status, .sleeping)
        let wake = try XCTUnwrap(sleeping?.wakeAt)
        let wakeKey = "\(runID):wake:\(HookflowTime.milliseconds(since1970: wake))"

        // The retried delivery finds the run asleep and schedules its wake-up under the wake-up's own
        // key; so does any other stale message: deduplicated, nothing multiplies.
        transport.failing.set(false)
        let outcome = try await engine.executeRun(runID)
        XCTAssertNil(outcome)
        _ = try await engine.executeRun(runID, scheduledFor: wake.addingTimeInterval(-30))
        XCTAssertEqual(transport.scheduled.dropFirst().map(\.key), [wakeKey, wakeKey])
        XCTAssertEqual(transport.scheduled.last?.at, wake)
        // The wake-up itself arriving early (beyond the tolerance) is published once more, under one key.
        _ = try await engine.executeRun(runID, scheduledFor: wake)
        _ = try await engine.executeRun(runID, scheduledFor: wake)
        let day = HookflowTime.milliseconds(since1970: Date()) / 86_400_000
        let early = "\(runID):early:\(HookflowTime.milliseconds(since1970: wake)):\(day)"
        XCTAssertEqual(transport.scheduled.suffix(2).map(\.key), [early, early])
        let steps = try await store.steps(of: runID)
        XCTAssertEqual(steps.map(\.stepID), ["before", "nap"])
    }

    func testAWakeUpEarlyWithinTheClockToleranceExecutes() async throws {
        let (store, _, engine) = try await makeEngine()
        addTeardownBlock { try await store.close() }
        let runID = try await engine.trigger(NapForAMinute.self, input: [:])
        _ = try await engine.executeRun(runID)
        let run = try await store.run(runID)
        let wake = try XCTUnwrap(run?.wakeAt)
        // QStash's clock (or another instance's) is ahead of this one by about a minute.
        let outcome = try await engine.executeRun(runID, scheduledFor: wake, earlyTolerance: .seconds(90))
        XCTAssertEqual(outcome, .completed)
    }

    func testADeliveryForARunHeldByAWorkerIsDroppedAndTheSweeperRepublishesItOnceTheLeaseLapses() async throws {
        let (store, transport, engine) = try await makeEngine()
        addTeardownBlock { try await store.close() }
        let runID = try await engine.trigger(NapForAMinute.self, input: [:])
        // A worker that then dies holds the run.
        let held = try await store.claimRun(runID, owner: "dying-worker", leaseUntil: Date().addingTimeInterval(0.3), now: Date())
        XCTAssertNotNil(held)
        let scheduledBefore = transport.scheduled.count

        let outcome = try await engine.executeRun(runID)
        XCTAssertNil(outcome)
        XCTAssertEqual(transport.scheduled.count, scheduledBefore, "a redelivery during a live lease scheduled another message")
        let early = try await engine.sweepOverdueRuns(olderThan: .milliseconds(100))
        XCTAssertEqual(early, [], "a run under a live lease was swept")

        try await Task.sleep(for: .milliseconds(500))
        let swept = try await engine.sweepOverdueRuns(olderThan: .milliseconds(100))
        XCTAssertEqual(swept, [runID])
        XCTAssertTrue(transport.scheduled.last?.key.hasPrefix("\(runID):sweep:") == true)
        XCTAssertNil(transport.scheduled.last?.at)
        let steps = try await store.steps(of: runID)
        XCTAssertTrue(steps.isEmpty, "a step ran while another worker held the run")
        // Published again, the run executes.
        let resumed = try await engine.executeRun(runID)
        let asleep = try await store.run(runID)
        guard case .suspended(let until)? = resumed else { return XCTFail("\(String(describing: resumed))") }
        XCTAssertEqual(until.timeIntervalSince1970, try XCTUnwrap(asleep?.wakeAt).timeIntervalSince1970, accuracy: 0.01)
    }

    func testADeadLetterReplayWhosePublishFailedIsPublishedByTheSweeper() async throws {
        let (store, transport, engine) = try await makeEngine()
        addTeardownBlock { try await store.close() }
        let runID = try await engine.trigger(NapForAMinute.self, input: [:])
        _ = try await store.claimRun(runID, owner: "worker", leaseUntil: Date().addingTimeInterval(30), now: Date())
        try await store.commit(
            runID: runID, owner: "worker", step: nil, transition: .fail(stepID: nil, error: "boom"), now: Date())
        let letters = try await store.deadLetters(limit: 1)
        let letter = try XCTUnwrap(letters.first)

        transport.failing.set(true)
        do {
            try await engine.replayDeadLetter(id: letter.id)
            XCTFail("a failed publish was swallowed")
        } catch is RecordingTransport.Refused {}
        // The replay committed: the run is pending and its letter spent, but no message carries it.
        let pending = try await store.run(runID)
        XCTAssertEqual(pending?.status, .pending)
        transport.failing.set(false)
        try await Task.sleep(for: .milliseconds(300))
        let swept = try await engine.sweepOverdueRuns(olderThan: .milliseconds(200))
        XCTAssertEqual(swept, [runID])
        let outcome = try await engine.executeRun(runID)
        guard case .suspended? = outcome else { return XCTFail("the replayed run did not run: \(String(describing: outcome))") }
    }
}
