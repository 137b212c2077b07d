import Foundation
import Hookflow
import Logging
import Synchronization

/// Runs workflows to completion in tests without waiting out their sleeps and retry back-offs:
/// the harness's clock jumps to each wake time. Runs are kept in an ``InMemoryWorkflowStore``
/// unless you pass another store (a real SQLite file, say).
///
/// ```swift
/// let harness = try await WorkflowTestHarness.make { $0.register(ProcessOrder()) }
/// let output = try await harness.run(ProcessOrder.self, input: .init(orderID: "A-1"))   // a week's sleep, instantly
/// XCTAssertEqual(try await harness.steps(of: harness.lastRunID!).map(\.stepID), ["validate", "wait", "charge"])
/// try await harness.close()
///
/// // On SQLite instead (HookflowFluent):
/// let onDisk = try await WorkflowTestHarness.make(store: try await SQLiteWorkflowStore.open(path: path)) { … }
/// ```
public final class WorkflowTestHarness: Sendable {
    public let engine: WorkflowEngine
    /// Where the harness keeps its runs.
    public let store: any WorkflowStore
    public let clock: TestClock
    private let last = LastRun()

    private init(engine: WorkflowEngine, store: any WorkflowStore, clock: TestClock) {
        self.engine = engine
        self.store = store
        self.clock = clock
    }

    /// A harness on `store` (a new in-memory store by default) with the workflows `register` adds,
    /// its clock starting at `start`. ``close()`` closes the store.
    public static func make(
        store: any WorkflowStore = InMemoryWorkflowStore(), start: Date = Date(),
        _ register: (inout WorkflowRegistry) -> Void
    ) async throws -> WorkflowTestHarness {
        var logger = Logger(label: "hookflow.testing")
        logger.logLevel = .warning
        var registry = WorkflowRegistry()
        register(&registry)
        let clock = TestClock(start: start)
        let engine = WorkflowEngine(
            store: store, registry: registry, transport: HarnessTransport(),
            configuration: .init(logger: logger, now: { clock.now }))
        return WorkflowTestHarness(engine: engine, store: store, clock: clock)
    }

    /// The run the last ``run(_:input:runID:)`` started.
    public var lastRunID: WorkflowRunID? { last.runID }

    /// Triggers `workflow` and executes it to its end, advancing the clock past every durable
    /// wait. Returns the output, or throws ``WorkflowRunFailed`` (also when the run was cancelled).
    public func run<W: Workflow>(_ workflow: W.Type, input: W.Input, runID: WorkflowRunID? = nil) async throws -> W.Output {
        let runID = try await engine.trigger(workflow, input: input, runID: runID)
        last.set(runID)
        let result = try await runToEnd(runID)
        return try JSONDecoder().decode(W.Output.self, from: Data(result.utf8))
    }

    /// Executes an already triggered run to its end; returns its result as JSON text.
    public func runToEnd(_ runID: WorkflowRunID, maxInvocations: Int = 10_000) async throws -> String {
        for _ in 0..<maxInvocations {
            _ = try await engine.executeRun(runID)
            guard let run = try await store.run(runID) else { throw WorkflowRunFailed(runID: runID, message: "no such run") }
            switch run.status {
            case .completed: return run.result ?? "null"
            case .failed: throw WorkflowRunFailed(runID: runID, message: run.errorMessage ?? "")
            case .cancelled: throw WorkflowRunFailed(runID: runID, message: run.errorMessage ?? "cancelled")
            case .sleeping: clock.advance(to: run.wakeAt ?? clock.now)
            case .running: clock.advance(to: run.leaseUntil ?? clock.now)
            case .pending: continue
            case .queued:
                throw WorkflowRunFailed(runID: runID, message: "queued behind its concurrency limit: no run ahead of it ends here")
            }
        }
        throw WorkflowRunFailed(runID: runID, message: "still running after \(maxInvocations) invocations")
    }

    /// The steps of a run, in execution order.
    public func steps(of runID: WorkflowRunID) async throws -> [StepRecord] {
        try await store.steps(of: runID)
    }

    /// Closes the store.
    public func close() async throws {
        try await store.close()
    }
}

/// The harness drives invocations itself: nothing to schedule.
/// A transport that delivers nothing: the harness and the replayer execute runs themselves.
struct HarnessTransport: WorkflowTransport {
    func schedule(_ runID: WorkflowRunID, workflowID: String, at date: Date?, key: String) async throws {}
}

private final class LastRun: Sendable {
    private let value = Mutex<WorkflowRunID?>(nil)
    var runID: WorkflowRunID? { value.withLock { $0 } }
    func set(_ runID: WorkflowRunID) { value.withLock { $0 = runID } }
}
