import Foundation
import Hookflow
import HookflowFluent
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization
import XCTest

/// What only a shared PostgreSQL database does: several instances, woken by each other,
/// surviving lost connections. Skipped, with the reason, when no server is configured.
final class PostgresTests: XCTestCase {
    private var database: String!

    override func setUp() async throws {
        database = try await createPostgresDatabase(on: try TestBackend.postgresServer())
    }

    func testTwoInstancesClaimEachRunOnceWithoutWaitingOnEachOther() async throws {
        let first = try await openRunningPostgresStore(url: database)
        let second = try await openRunningPostgresStore(url: database)
        let now = Date()
        for index in 0..<40 {
            _ = try await first.createRun(runID: WorkflowRunID("run-\(index)"), workflowID: "w", input: "{}", now: now)
        }
        // Both instances claim as fast as they can, at the same time.
        let claimed = try await withThrowingTaskGroup(of: [WorkflowRunID].self) { group in
            for (name, store) in [("a", first), ("b", second)] {
                for worker in 0..<4 {
                    group.addTask {
                        var mine: [WorkflowRunID] = []
                        while let run = try await store.claimNextRun(
                            owner: "\(name)-\(worker)", leaseUntil: now + 60, now: now)
                        {
                            mine.append(run.runID)
                        }
                        return mine
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        XCTAssertEqual(claimed.count, 40, "a run was claimed twice or not at all")
        XCTAssertEqual(Set(claimed).count, 40)
        try await first.close()
        try await second.close()
    }

    func testATriggerOnOneInstanceWakesAnIdleWorkerOnAnother() async throws {
        let counter = Counter()
        // The worker instance looks at the store by itself only once an hour.
        let worker = try await Harness.start(path: database) { $0.register(Greet(counter: counter)) }
        try await Task.sleep(for: .milliseconds(300))  // idle, listening
        let other = try await openRunningPostgresStore(url: database)
        var registry = WorkflowRegistry()
        registry.register(Greet(counter: counter))
        let triggering = WorkflowEngine(store: other, registry: registry, transport: LocalTransport())

        let started = ContinuousClock.now
        let runID = try await triggering.trigger(Greet.self, input: .init(name: "ada", times: 1))
        try await worker.wait(for: runID, toBe: .completed, timeout: .seconds(5))
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2), "the idle instance was not woken by NOTIFY")
        XCTAssertEqual(counter["greet"], 1)
        try await other.close()
        try await worker.stop()
    }

    func testABurstOfTriggersReachesAnotherInstanceAsAFewNotificationsAndTheLastIsNotLost() async throws {
        let listening = try await openRunningPostgresStore(url: database)
        let triggering = try await openRunningPostgresStore(url: database)
        let received = Mutex(0)
        let counting = Task {
            for await _ in listening.wakeAnnouncements() { received.withLock { $0 += 1 } }
        }
        try await Task.sleep(for: .milliseconds(300))  // listening
        let before = received.withLock { $0 }
        let started = ContinuousClock.now
        let triggers = 1000
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for index in stride(from: worker, to: triggers, by: 8) {
                        _ = try await triggering.createRun(runID: WorkflowRunID("burst-\(index)"), workflowID: "w", input: "{}", now: Date())
                    }
                }
            }
            try await group.waitForAll()
        }
        let burst = ContinuousClock.now - started
        // The last trigger's wake-up is sent after the burst, within an interval.
        try await Task.sleep(for: .milliseconds(300))
        let notifications = received.withLock { $0 } - before
        let bound = Int(burst / .milliseconds(20)) + 3
        XCTAssertGreaterThan(notifications, 0, "the other instance was never told")
        XCTAssertLessThanOrEqual(
            notifications, bound, "\(triggers) triggers in \(burst) reached the other instance as \(notifications) notifications")
        let lastAnnounced = try await triggering.createRun(runID: "after-the-burst", workflowID: "w", input: "{}", now: Date())
        XCTAssertTrue(lastAnnounced.created)
        let waited = ContinuousClock.now
        while received.withLock({ $0 }) - before == notifications {
            guard ContinuousClock.now - waited < .seconds(2) else { return XCTFail("a trigger after a burst was not announced") }
            try await Task.sleep(for: .milliseconds(5))
        }
        counting.cancel()
        try await triggering.close()
        try await listening.close()
    }

    func testAStoreClosedRightAfterATriggerStillAnnouncesIt() async throws {
        try await expectTheLastTriggersAnnounced(endingTheStoreBy: "closing it") { store, _ in try await store.close() }
    }

    func testAStoreWhoseRunIsCancelledRightAfterATriggerStillAnnouncesIt() async throws {
        // As HookflowService ends: its last invocations have written, and it cancels the store's run.
        try await expectTheLastTriggersAnnounced(endingTheStoreBy: "cancelling its run") { _, running in
            running.cancel()
            _ = await running.result
        }
    }

    /// A command (a replayed dead letter, a trigger from the command line) writes and ends its store at
    /// once: the second trigger's wake-up waits for the interval after the first's, which the store
    /// ends within. Another instance must hear of both.
    private func expectTheLastTriggersAnnounced(
        endingTheStoreBy how: String,
        _ end: (PostgresWorkflowStore, Task<Void, any Error>) async throws -> Void
    ) async throws {
        let listening = try await openRunningPostgresStore(url: database)
        let received = Mutex(0)
        let counting = Task {
            for await _ in listening.wakeAnnouncements() { received.withLock { $0 += 1 } }
        }
        try await Task.sleep(for: .milliseconds(300))  // listening
        for attempt in 0..<5 {
            let before = received.withLock { $0 }
            let command = try await PostgresWorkflowStore.open(url: database, operationTimeout: .seconds(5))
            let running = Task { try await command.run() }
            for index in 0..<2 {
                _ = try await command.createRun(
                    runID: WorkflowRunID("from-a-command-\(attempt)-\(index)"), workflowID: "w", input: "{}", now: Date())
                try await Task.sleep(for: .milliseconds(2))
            }
            try await end(command, running)
            let waited = ContinuousClock.now
            while received.withLock({ $0 }) < before + 2 {
                guard ContinuousClock.now - waited < .seconds(2) else {
                    counting.cancel()
                    return XCTFail("attempt \(attempt): the last trigger was not announced by a store ended by \(how) right after it")
                }
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        counting.cancel()
        try await listening.close()
    }

    func testWorkersSurviveLosingTheirConnectionsAndNothingIsLostOrRunTwice() async throws {
        let log = ExecutionLog()
        // A statement cut mid-flight can hang until the store's 5 s operation timeout; the 2 s lease then passes the run on.
        let harness = try await Harness.start(path: database, workers: 2, leaseDuration: .seconds(2)) {
            $0.register(RecordedSteps(log: log))
        }
        var runs: [WorkflowRunID] = []
        for _ in 0..<10 { runs.append(try await harness.engine.trigger(RecordedSteps.self, input: 3)) }
        // Every connection of every client to this database is cut while runs sleep and run.
        try await terminateConnections(to: database)
        for _ in 0..<10 { runs.append(try await harness.engine.trigger(RecordedSteps.self, input: 3)) }
        try await Task.sleep(for: .milliseconds(100))
        try await terminateConnections(to: database)
        for runID in runs { try await harness.wait(for: runID, toBe: .completed, timeout: .seconds(40)) }
        // A body may run again only when its checkpoint was cut off: then the checkpoint holds the last execution.
        for runID in runs {
            for step in try await harness.store.steps(of: runID) where step.kind == .run {
                let executions = log.executions(of: runID, step.stepID)
                XCTAssertFalse(executions.isEmpty)
                XCTAssertEqual(step.result, executions.last.map { #""\#($0)""# }, "step \(step.stepID) ran after its checkpoint")
            }
        }
        try await harness.stop()
    }

    func testAStoreOnAClientTheAppOwnsRunsInTheAppsServiceGroup() async throws {
        let url = try XCTUnwrap(URLComponents(string: database))
        let client = PostgresClient(
            configuration: .init(
                host: url.host ?? "127.0.0.1", port: url.port ?? 5432, username: url.user ?? "postgres",
                password: url.password, database: String(url.path.dropFirst()), tls: .disable),
            backgroundLogger: Logger(label: "hookflow.test.client"))
        let store = try await PostgresWorkflowStore.open(url: database, client: client)
        var registry = WorkflowRegistry()
        let counter = Counter()
        registry.register(Greet(counter: counter))
        var logger = Logger(label: "hookflow.test")
        logger.logLevel = .critical
        let engine = WorkflowEngine(
            store: store, registry: registry, transport: LocalTransport(workers: 2), configuration: .init(logger: logger))
        // The app's client first: a group shuts down in reverse order, so it outlives Hookflow's last write.
        let group = ServiceGroup(
            services: [client, HookflowService(engine: engine)], gracefulShutdownSignals: [], cancellationSignals: [],
            logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let runID = try await engine.trigger(Greet.self, input: .init(name: "app", times: 1))
            let completed = try await eventually { try await store.run(runID)?.status == .completed }
            XCTAssertTrue(completed)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        XCTAssertEqual(counter["greet"], 1)
    }

    /// Ends every session on the database, as a failover or a network cut would.
    private func terminateConnections(to url: String) async throws {
        let name = String(try XCTUnwrap(URLComponents(string: url)).path.dropFirst())
        try await runOnPostgresServer(
            try TestBackend.postgresServer(),
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = \(name) AND pid <> pg_backend_pid()")
    }
}

/// Records every execution of a step body, with the value it returned.
final class ExecutionLog: Sendable {
    private let entries = Mutex<[String: [String]]>([:])

    func record(_ runID: WorkflowRunID, _ step: String) -> String {
        let value = UUID().uuidString
        entries.withLock { $0["\(runID)/\(step)", default: []].append(value) }
        return value
    }

    func executions(of runID: WorkflowRunID, _ step: String) -> [String] {
        entries.withLock { $0["\(runID)/\(step)"] ?? [] }
    }
}

/// `ctx.data` steps, each returning a fresh id it records, with short sleeps between them.
struct RecordedSteps: Workflow {
    static let id = "recorded-steps"
    let log: ExecutionLog

    func run(_ ctx: WorkflowContext<Int>) async throws -> Int {
        for index in 0..<ctx.data {
            try await ctx.step.run("step-\(index)") { log.record(ctx.runID, "step-\(index)") }
            try await ctx.step.sleep("pause-\(index)", for: .milliseconds(30))
        }
        return ctx.data
    }
}
