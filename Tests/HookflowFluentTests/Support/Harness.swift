import Foundation
import Hookflow
import HookflowFluent
import Logging
import Synchronization
import XCTest

/// A real engine on a real SQLite file, with the local transport's workers running.
final class Harness: Sendable {
    let path: String
    let store: any WorkflowStore
    let engine: WorkflowEngine
    let transport: LocalTransport
    private let task: Task<Void, Never>

    init(path: String, store: any WorkflowStore, engine: WorkflowEngine, transport: LocalTransport, task: Task<Void, Never>) {
        self.path = path
        self.store = store
        self.engine = engine
        self.transport = transport
        self.task = task
    }

    /// Starts an engine on `path` (a new temporary file when nil) with `workflows` registered.
    static func start(
        path: String? = nil, workers: Int = 2, leaseDuration: Duration = .seconds(30),
        cancellationGracePeriod: Duration = .seconds(30), maxChildDepth: Int = 32,
        sharedDatabase: (@Sendable () -> any Sendable)? = nil, historyCacheSteps: Int = 100_000,
        wrap: (any WorkflowStore) -> any WorkflowStore = { $0 }, _ register: (inout WorkflowRegistry) -> Void
    ) async throws -> Harness {
        let path = if let path { path } else { try await temporaryDatabasePath() }
        var logger = Logger(label: "hookflow.test")
        logger.logLevel = .warning
        let store = wrap(try await openTestStore(path, logger: logger))
        var registry = WorkflowRegistry()
        register(&registry)
        // An hour between safety checks: every wake-up in a test must come from a trigger or a timer.
        let transport = LocalTransport(workers: workers, safetyInterval: .seconds(3600))
        var configuration = WorkflowEngine.Configuration(
            leaseDuration: leaseDuration, logger: logger, cancellationGracePeriod: cancellationGracePeriod,
            maxChildDepth: maxChildDepth, historyCacheSteps: historyCacheSteps)
        configuration.sharedDatabase = sharedDatabase
        let engine = WorkflowEngine(store: store, registry: registry, transport: transport, configuration: configuration)
        let task = Task { await HookflowService(engine: engine).run() }
        return Harness(path: path, store: store, engine: engine, transport: transport, task: task)
    }

    /// Stops the workers (in-flight steps finish, runs are released) and closes the store.
    func stop() async throws {
        engine.beginShutdown()
        await task.value
        try await store.close()
    }

    /// Polls until the run reaches `status`; fails with the run's state otherwise.
    @discardableResult
    func wait(
        for runID: WorkflowRunID, toBe status: RunStatus, timeout: Duration = .seconds(10),
        file: StaticString = #filePath, line: UInt = #line
    ) async throws -> RunRecord {
        let deadline = ContinuousClock.now + timeout
        var last: RunRecord?
        while ContinuousClock.now < deadline {
            last = try await store.run(runID)
            if last?.status == status { return last! }
            try await Task.sleep(for: .milliseconds(20))
        }
        XCTFail("run \(runID) is \(last.map { "\($0.status)" } ?? "missing"), not \(status): \(String(describing: last?.errorMessage))", file: file, line: line)
        throw HarnessTimeout()
    }

    func steps(_ runID: WorkflowRunID) async throws -> [String: StepRecord] {
        Dictionary(uniqueKeysWithValues: try await store.steps(of: runID).map { ($0.stepID, $0) })
    }
}

struct HarnessTimeout: Error {}


/// Counts how often each step body ran, across invocations and restarts.
final class Counter: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    @discardableResult
    func hit(_ key: String) -> Int {
        counts.withLock { counts in
            counts[key, default: 0] += 1
            return counts[key]!
        }
    }

    subscript(key: String) -> Int { counts.withLock { $0[key, default: 0] } }
}

/// A switch that tests flip while a workflow runs.
final class Flag: Sendable {
    private let value: Mutex<Bool>
    init(_ value: Bool = false) { self.value = Mutex(value) }
    var isOn: Bool { value.withLock { $0 } }
    func set(_ on: Bool) { value.withLock { $0 = on } }
}

/// A gate a step waits at until the test opens it.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, arrived: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, false, []))

    var hasArrived: Bool { state.withLock { $0.arrived } }

    func wait() async {
        await withCheckedContinuation { continuation in
            let open = state.withLock { state in
                state.arrived = true
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if open { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// Polls `condition` for up to `timeout`.
func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return false
}
