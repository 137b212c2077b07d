import Foundation
import Hookflow
import HookflowFluent
import Logging
import XCTest

/// A store whose every write of one step fails, as a value the database refuses would.
private final class RefusingStore: WorkflowStore {
    let base: any TestStore
    let refusedStep: String
    init(_ base: any TestStore, refusing step: String) {
        self.base = base
        self.refusedStep = step
    }

    struct Refused: Error, CustomStringConvertible {
        var description: String { "value too long for type character varying(255)" }
    }

    func commit(runID: WorkflowRunID, owner: String, step: StepRecord?, transition: RunTransition, now: Date) async throws {
        if step?.stepID == refusedStep { throw Refused() }
        try await base.commit(runID: runID, owner: owner, step: step, transition: transition, now: now)
    }

    func createRun(runID: WorkflowRunID, workflowID: String, input: String, now: Date) async throws
        -> (workflowID: String, status: RunStatus, input: String, created: Bool)
    {
        try await base.createRun(runID: runID, workflowID: workflowID, input: input, now: now)
    }
    func claimNextRun(owner: String, leaseUntil: Date, now: Date, workflowIDs: [String]?) async throws -> RunRecord? {
        try await base.claimNextRun(owner: owner, leaseUntil: leaseUntil, now: now, workflowIDs: workflowIDs)
    }
    func claimRun(_ runID: WorkflowRunID, owner: String, leaseUntil: Date, now: Date) async throws -> RunRecord? {
        try await base.claimRun(runID, owner: owner, leaseUntil: leaseUntil, now: now)
    }
    func steps(of runID: WorkflowRunID) async throws -> [StepRecord] { try await base.steps(of: runID) }
    func recordInvocationFailure(runID: WorkflowRunID, owner: String, error: String, retryAt: Date) async throws {
        try await base.recordInvocationFailure(runID: runID, owner: owner, error: error, retryAt: retryAt)
    }
    func deliverEvent(key: String, payload: String, now: Date) async throws -> [RunRecord] {
        try await base.deliverEvent(key: key, payload: payload, now: now)
    }
    func event(key: String, now: Date) async throws -> String? { try await base.event(key: key, now: now) }
    func nextWakeTime(after date: Date) async throws -> Date? { try await base.nextWakeTime(after: date) }
    func run(_ runID: WorkflowRunID) async throws -> RunRecord? { try await base.run(runID) }
    func deadLetters(limit: Int) async throws -> [DeadLetterRecord] { try await base.deadLetters(limit: limit) }
    func reopenDeadLetter(id: String, now: Date) async throws -> RunRecord {
        try await base.reopenDeadLetter(id: id, now: now)
    }
}

private struct WritesARefusedStep: Workflow {
    static let id = "writes-a-refused-step"
    let counter: Counter
    func run(_ ctx: WorkflowContext<JSON>) async throws -> Bool {
        try await ctx.step.run("fine") { true }
        return try await ctx.step.run("refused") { () -> Bool in
            counter.hit("refused")
            return true
        }
    }
}

/// A store error that always recurs fails the run after a bounded number of tries (issue 10, defect 5).
final class StoreFailureTests: XCTestCase {
    func testAStoreErrorThatAlwaysRecursFailsTheRunWithADeadLetterNamingIt() async throws {
        let base = try await openTestStore(try await temporaryDatabasePath())
        let store = RefusingStore(base, refusing: "refused")
        var registry = WorkflowRegistry()
        let counter = Counter()
        registry.register(WritesARefusedStep(counter: counter))
        let transport = LocalTransport(workers: 1, safetyInterval: .seconds(3600))
        var logger = Logger(label: "hookflow.test")
        logger.logLevel = .info
        let engine = WorkflowEngine(
            store: store, registry: registry, transport: transport,
            configuration: .init(leaseDuration: .milliseconds(150), logger: logger))
        let task = Task { await transport.run(engine: engine) }
        addTeardownBlock {
            transport.shutDown()
            await task.value
            try await base.close()
        }
        let runID = try await engine.trigger(WritesARefusedStep.self, input: [:])
        let failed = try await eventually(timeout: .seconds(20)) { try await base.run(runID)?.status == .failed }
        XCTAssertTrue(failed, "the run kept being retried")
        let run = try await base.run(runID)
        let message = try XCTUnwrap(run?.errorMessage)
        XCTAssertTrue(message.contains("ended without progress"), message)
        XCTAssertTrue(message.contains("value too long for type character varying(255)"), message)
        XCTAssertEqual(counter["refused"], 3, "the step body ran \(counter["refused"]) times")
        let letters = try await base.deadLetters(limit: 5)
        XCTAssertEqual(letters.map(\.runID), [runID])
    }
}
