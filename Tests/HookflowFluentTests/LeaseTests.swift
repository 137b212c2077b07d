import Foundation
import Hookflow
import HookflowFluent
import Synchronization
import XCTest

struct GatedSteps: Workflow {
    static let id = "gated-steps"
    let gate: Gate
    let counter: Counter

    func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool {
        try await ctx.step.run("first") {
            counter.hit("first")
            await gate.wait()
        }
        try await ctx.step.run("second") { counter.hit("second") }
        return true
    }
}

final class LeaseTests: XCTestCase {
    func testExpiredLeaseIsTakenOverAfterTheLeaseTime() async throws {
        let path = try await temporaryDatabasePath()
        let store = try await openTestStore(path)
        _ = try await store.createRun(runID: "orphan", workflowID: "greet", input: #"{"name":"a","times":1}"#, now: Date())
        // A worker of a process that then died holds the run for one more second.
        let leaseEnd = Date().addingTimeInterval(1)
        let claimed = try await store.claimNextRun(owner: "dead-process", leaseUntil: leaseEnd, now: Date())
        XCTAssertEqual(claimed?.runID, "orphan")
        try await store.close()

        let counter = Counter()
        let harness = try await Harness.start(path: path) { $0.register(Greet(counter: counter)) }
        let run = try await harness.wait(for: "orphan", toBe: .completed)
        XCTAssertEqual(counter["greet"], 1)
        XCTAssertGreaterThanOrEqual(run.completedAt!, leaseEnd, "the run was taken from a live lease")
        try await harness.stop()
    }

    func testCheckpointOfAWorkerThatLostItsLeaseIsRejected() async throws {
        let store = try await openTestStore(temporaryDatabasePath())
        let now = Date()
        _ = try await store.createRun(runID: "contested", workflowID: "w", input: "{}", now: now)
        _ = try await store.claimNextRun(owner: "stalled", leaseUntil: now.addingTimeInterval(-1), now: now)
        let takeover = try await store.claimNextRun(owner: "healthy", leaseUntil: now.addingTimeInterval(30), now: now)
        XCTAssertEqual(takeover?.runID, "contested")

        let step = StepRecord(stepID: "s", kind: .run, status: .completed, result: "1", attempts: 1, sequence: 0, executedAt: now)
        do {
            try await store.commit(runID: "contested", owner: "stalled", step: step, transition: .keepRunning(leaseUntil: now + 30), now: now)
            XCTFail("a worker without the lease wrote a checkpoint")
        } catch is LeaseLostError {}
        let written = try await store.steps(of: "contested")
        XCTAssertTrue(written.isEmpty)
        try await store.commit(runID: "contested", owner: "healthy", step: step, transition: .keepRunning(leaseUntil: now + 30), now: now)
        let afterTakeover = try await store.steps(of: "contested")
        XCTAssertEqual(afterTakeover.map(\.stepID), ["s"])
        try await store.close()
    }

    func testACheckpointExtendsTheLeaseOnlyOnceAThirdOfItHasGoneBy() async throws {
        let gate = Gate()
        let counter = Counter()
        // Which checkpoints extended the lease, by step; heartbeats fail, so that only checkpoints can.
        let extended = Mutex<[String: Bool]>([:])
        let harness = try await Harness.start(leaseDuration: .seconds(3), wrap: { store in
            InterceptingStore(store) { _, step, transition in
                guard case .keepRunning(let until) = transition else { return }
                guard let step else { throw CancellationError() }
                extended.withLock { $0[step.stepID] = until != nil }
            }
        }) { $0.register(GatedSteps(gate: gate, counter: counter)) }
        addTeardownBlock { try? await harness.stop() }
        let runID = try await harness.engine.trigger(GatedSteps.self, input: [:])
        let arrived = try await eventually { gate.hasArrived }
        XCTAssertTrue(arrived)
        // Half the lease: more than a third, well before it would be given up (at 5/6 with no extension).
        try await Task.sleep(for: .milliseconds(1500))
        gate.open()
        _ = try await harness.wait(for: runID, toBe: .completed)
        XCTAssertEqual(extended.withLock { $0 }, ["first": true, "second": false],
                       "a checkpoint half a lease after the claim kept the old lease, or the next one right after it extended it again")
    }

    func testGracefulShutdownFinishesTheStepAndReleasesTheRun() async throws {
        let gate = Gate()
        let counter = Counter()
        let first = try await Harness.start { $0.register(GatedSteps(gate: gate, counter: counter)) }
        let runID = try await first.engine.trigger(GatedSteps.self, input: [:])
        let arrived = try await eventually { gate.hasArrived }
        XCTAssertTrue(arrived)

        first.engine.beginShutdown()
        gate.open()
        try await first.stop()
        let released = try await openTestStore(first.path)
        let run = try await released.run(runID)
        XCTAssertEqual(run?.status, .pending, "the run was not handed back")
        let releasedSteps = try await released.steps(of: runID)
        XCTAssertEqual(releasedSteps.map(\.stepID), ["first"], "the in-flight step was lost")
        XCTAssertEqual(counter["second"], 0, "a step started after shutdown")
        try await released.close()

        let second = try await Harness.start(path: first.path) { $0.register(GatedSteps(gate: gate, counter: counter)) }
        try await second.wait(for: runID, toBe: .completed)
        XCTAssertEqual(counter["first"], 1)
        XCTAssertEqual(counter["second"], 1)
        try await second.stop()
    }

    func testTriggerWakesAnIdleWorkerWithoutPolling() async throws {
        // The harness's safety poll is an hour: only the trigger's wake-up can start the run in time.
        let harness = try await Harness.start { $0.register(Greet(counter: Counter())) }
        try await Task.sleep(for: .milliseconds(100))
        let runID = try await harness.engine.trigger(Greet.self, input: .init(name: "a", times: 1))
        try await harness.wait(for: runID, toBe: .completed, timeout: .seconds(5))
        try await harness.stop()
    }
}
