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
    private func makeEngine() async throws -> (any TestStore, RecordingTransport, WorkflowEngine) {
        let store = try await openTestStore(temporaryDatabasePath())
        var registry = WorkflowRegistry()
        registry.register(NapForAMinute())
        let transport = RecordingTransport()
        return (store, transport, WorkflowEngine(store: store, registry: registry, transport: transport))
    }

    func testAWakeUpThatFailedToScheduleIsScheduledAgainByTheNextDelivery() async throws {
        let (store, transport, engine) = try await makeEngine()
        let runID = try await engine.trigger(NapForAMinute.self, input: [:])
        XCTAssertEqual(transport.scheduled.map(\.key), [runID.rawValue])

        transport.failing.set(true)
        do {
            _ = try await engine.executeRun(runID, delivery: "msg_1")
            XCTFail("a failed schedule was swallowed: the delivery would not be retried")
        } catch is RecordingTransport.Refused {}
        let sleeping = try await store.run(runID)
        XCTAssertEqual(sleeping?.status, .sleeping)

        // The retried delivery finds the run asleep and schedules its wake-up again.
        transport.failing.set(false)
        let outcome = try await engine.executeRun(runID, delivery: "msg_1")
        XCTAssertNil(outcome)
        let wake = try XCTUnwrap(sleeping?.wakeAt)
        XCTAssertEqual(transport.scheduled.last?.at, wake)
        // The same key as the wake-up the failed publish meant: a redelivered message schedules one wake-up.
        XCTAssertEqual(transport.scheduled.last?.key, "\(runID):wake:\(Int64(wake.timeIntervalSince1970 * 1000)):msg_1")
        // A wake-up that arrives early (another message) schedules a new one.
        _ = try await engine.executeRun(runID, delivery: "msg_2")
        XCTAssertEqual(transport.scheduled.last?.key, "\(runID):wake:\(Int64(wake.timeIntervalSince1970 * 1000)):msg_2")
        let steps = try await store.steps(of: runID)
        XCTAssertEqual(steps.map(\.stepID), ["before", "nap"])
        try await store.close()
    }

    func testADeliveryForARunHeldByAnotherWorkerSchedulesAWakeUpAtTheEndOfItsLease() async throws {
        let (store, transport, engine) = try await makeEngine()
        let runID = try await engine.trigger(NapForAMinute.self, input: [:])
        // A worker that then dies holds the run: a redelivery must not just be acknowledged.
        let leaseEnd = Date().addingTimeInterval(30)
        let held = try await store.claimRun(runID, owner: "dying-worker", leaseUntil: leaseEnd, now: Date())
        XCTAssertNotNil(held)

        let outcome = try await engine.executeRun(runID, delivery: "msg_retry")
        XCTAssertNil(outcome)
        let scheduled = try XCTUnwrap(transport.scheduled.last)
        XCTAssertEqual(scheduled.at?.timeIntervalSince1970 ?? 0, leaseEnd.timeIntervalSince1970, accuracy: 0.001)
        XCTAssertTrue(scheduled.key.hasSuffix(":msg_retry"))
        let steps = try await store.steps(of: runID)
        XCTAssertTrue(steps.isEmpty, "a step ran while another worker held the run")
        try await store.close()
    }
}
