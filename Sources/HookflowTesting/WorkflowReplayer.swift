import Foundation
import Hookflow
import Logging

/// Replays a run's recorded history (``WorkflowEngine/history(of:)``) against the current code,
/// to catch a change that would break runs already under way before it is deployed: a step
/// renamed, removed, moved or of another kind, or a ``StepManager/version(_:min:max:)`` range that
/// no longer covers the run. Nothing is executed anew: the replay stops where the history ends.
///
/// ```swift
/// func testOrdersInFlightReplayOnTheNewCode() async throws {
///     let replayer = WorkflowReplayer { $0.register(ProcessOrder()) }
///     try await replayer.replay(contentsOf: Bundle.module.url(forResource: "order-7", withExtension: "json")!)
/// }
/// ```
public struct WorkflowReplayer: Sendable {
    private let registry: WorkflowRegistry

    /// A replayer of the workflows `register` adds.
    public init(_ register: (inout WorkflowRegistry) -> Void) {
        var registry = WorkflowRegistry()
        register(&registry)
        self.registry = registry
    }

    /// Replays the history saved at `url` (``RunHistory/write(to:)``).
    public func replay(contentsOf url: URL) async throws {
        try await replay(try RunHistory(contentsOf: url))
    }

    /// Replays `history`; throws ``ReplayDivergenceError`` naming the step where the code leaves it.
    public func replay(_ history: RunHistory) async throws {
        let store = InMemoryWorkflowStore()
        var logger = Logger(label: "hookflow.replayer")
        logger.logLevel = .critical
        var configuration = WorkflowEngine.Configuration(logger: logger, now: { history.createdAt })
        let log = ReplayLog()
        configuration.replayLog = log
        let engine = WorkflowEngine(store: store, registry: registry, transport: HarnessTransport(), configuration: configuration)
        let now = history.createdAt
        _ = try await store.createRun(runID: history.runID, workflowID: history.workflowID, input: history.input, now: now)
        // The recorded steps, written as they were, then the run handed to the engine.
        _ = try await store.claimRun(history.runID, owner: "replayer", leaseUntil: .distantFuture, now: now)
        for step in history.steps {
            try await store.commit(
                runID: history.runID, owner: "replayer", step: step, transition: .keepRunning(leaseUntil: .distantFuture), now: now)
        }
        try await store.commit(runID: history.runID, owner: "replayer", step: nil, transition: .release, now: now)
        _ = try await engine.executeRun(history.runID)
        let report = log.current
        let run = try await store.run(history.runID)
        if let divergence = report.divergence {
            throw ReplayDivergenceError(runID: history.runID, reason: divergence)
        }
        if run?.status == .failed || run?.status == .cancelled {
            throw ReplayDivergenceError(runID: history.runID, reason: run?.errorMessage ?? "the run failed")
        }
        // A body that returned before reaching every recorded step skipped some (a replay that stopped
        // at the end of the history leaves the steps of branches beside it unreached, rightly).
        if run?.status == .completed, !report.unreached.isEmpty {
            throw ReplayDivergenceError(
                runID: history.runID,
                reason: "the code no longer reaches the recorded steps \(report.unreached.prefix(3).map { "'\($0)'" }.joined(separator: ", "))")
        }
    }
}

/// The current code does not replay a recorded history as it was recorded.
public struct ReplayDivergenceError: Error, CustomStringConvertible, Sendable {
    public let runID: WorkflowRunID
    /// Where and how the code leaves the history.
    public let reason: String

    public var description: String { "replaying run \(runID) diverges from its history: \(reason)" }
}
