import Foundation
import Hookflow
import HookflowFluent
import Logging
import Synchronization

/// A real engine on a fresh SQLite file, with the local transport's workers running
/// and a way to await runs' completion without polling the store.
final class BenchEngine: Sendable {
    let store: SQLiteWorkflowStore
    let engine: WorkflowEngine
    let transport: LocalTransport
    let finished: FinishedRuns
    private let task: Task<Void, Never>
    let folder: URL

    private init(
        store: SQLiteWorkflowStore, engine: WorkflowEngine, transport: LocalTransport, finished: FinishedRuns,
        task: Task<Void, Never>, folder: URL
    ) {
        self.store = store
        self.engine = engine
        self.transport = transport
        self.finished = finished
        self.task = task
        self.folder = folder
    }

    static func start(workers: Int, _ register: (inout WorkflowRegistry) -> Void) async throws -> BenchEngine {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var logger = Logger(label: "hookflow.bench")
        logger.logLevel = .warning
        let store = try await SQLiteWorkflowStore.open(path: folder.appendingPathComponent("bench.sqlite").path, logger: logger)
        var registry = WorkflowRegistry()
        register(&registry)
        let finished = FinishedRuns()
        let transport = LocalTransport(workers: workers)
        let engine = WorkflowEngine(
            store: store, registry: registry, transport: transport,
            configuration: .init(logger: logger, onInvocationEnd: { runID, outcome in finished.ended(runID, outcome) }))
        let task = Task { await transport.run(engine: engine) }
        return BenchEngine(store: store, engine: engine, transport: transport, finished: finished, task: task, folder: folder)
    }

    func stop() async throws {
        transport.shutDown()
        await task.value
        try await store.close()
        try? FileManager.default.removeItem(at: folder)
    }
}

/// Counts invocation outcomes, and wakes who waits for a run or for a count.
final class FinishedRuns: Sendable {
    private struct State {
        var expected: [WorkflowRunID: CheckedContinuation<Void, Never>?] = [:]
        var finished = 0
        var suspended = 0
        var countWaiter: (target: Int, suspensions: Bool, continuation: CheckedContinuation<Void, Never>)?
    }

    private let state = Mutex(State())

    func ended(_ runID: WorkflowRunID, _ outcome: InvocationOutcome) {
        let resume: [CheckedContinuation<Void, Never>] = state.withLock { state in
            var ready: [CheckedContinuation<Void, Never>] = []
            switch outcome {
            case .completed, .failed:
                state.finished += 1
                if let entry = state.expected.removeValue(forKey: runID), let waiter = entry { ready.append(waiter) }
            case .suspended:
                state.suspended += 1
            default:
                break
            }
            if let waiter = state.countWaiter,
               (waiter.suspensions ? state.suspended : state.finished) >= waiter.target {
                ready.append(waiter.continuation)
                state.countWaiter = nil
            }
            return ready
        }
        for continuation in resume { continuation.resume() }
    }

    /// Call before triggering `runID`, then ``wait(for:)``.
    func expect(_ runID: WorkflowRunID) {
        state.withLock { $0.expected[runID] = .some(nil) }
    }

    /// Waits until the expected `runID` completed or failed.
    func wait(for runID: WorkflowRunID) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                guard state.expected[runID] != nil else { return true }
                state.expected[runID] = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Waits until `count` runs finished (or, with `suspensions`, suspended) since the last reset.
    func wait(forCount count: Int, suspensions: Bool = false) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                if (suspensions ? state.suspended : state.finished) >= count { return true }
                state.countWaiter = (count, suspensions, continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    func reset() {
        state.withLock { state in
            state.finished = 0
            state.suspended = 0
        }
    }
}
