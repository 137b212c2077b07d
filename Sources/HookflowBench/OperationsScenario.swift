import Foundation
import Hookflow
import HookflowFluent
import Logging
import PostgresNIO
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization

/// What an operator's screen costs on a big store: listing runs (first page, filtered, a
/// thousand pages in) and counting them by status, with `sizes.operationRuns` runs stored.
enum OperationsScenario {
    /// Runs of ten workflows, 2.5 s apart: 90 % completed, 5 % failed, 2 % asleep, 3 % pending.
    private static let statusCase = """
        CASE WHEN i % 100 < 90 THEN 'completed' WHEN i % 100 < 95 THEN 'failed' \
        WHEN i % 100 < 97 THEN 'sleeping' ELSE 'pending' END
        """

    static func measure(sizes: Sizes) async throws -> BenchResult {
        var logger = Logger(label: "hookflow.bench")
        logger.logLevel = .warning
        let count = sizes.operationRuns
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let store: any WorkflowStore
        let cleanUp: @Sendable () async throws -> Void
        let populating = ContinuousClock.now
        if let server = sizes.postgres {
            let url = try await createDatabase(on: server)
            let opened = try await PostgresWorkflowStore.open(url: url, logger: logger)
            let running = Task { try await opened.run() }
            try await populatePostgres(url: url, count: count, start: start)
            (store, cleanUp) = (opened, {
                try await opened.close()
                _ = await running.result
                try await dropDatabase(url, on: server)
            })
        } else {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hookflow-ops-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let path = folder.appendingPathComponent("ops.sqlite").path
            let opened = try await SQLiteWorkflowStore.open(path: path, logger: logger)
            try await populateSQLite(path: path, count: count, start: start, logger: logger)
            (store, cleanUp) = (opened, { try await opened.close(); try? FileManager.default.removeItem(at: folder) })
        }
        let populated = (ContinuousClock.now - populating).inSeconds

        let repetitions = sizes.operationRepetitions
        func page(_ filter: RunFilter, after cursor: ListCursor? = nil) async throws -> [Double] {
            var times: [Double] = []
            for _ in 0..<repetitions {
                times.append(try await Measure.seconds { _ = try await store.listRuns(filter, after: cursor, limit: 50) } * 1000)
            }
            return times
        }
        let first = try await page(RunFilter())
        let filtered = try await page(RunFilter(workflowID: "workflow-3", statuses: [.failed]))
        let statuses = try await page(RunFilter(statuses: [.failed, .sleeping]))
        let prefix = try await page(RunFilter(runIDPrefix: "run-000012"))  // 100 runs
        // Page 1,000 (or the last page of a small store), reached by walking its cursors.
        var cursor: ListCursor?
        let walk = try await Measure.seconds {
            for _ in 1..<min(1000, count / 50) { cursor = try await store.listRuns(RunFilter(), after: cursor, limit: 50).next }
        }
        let thousandth = try await page(RunFilter(), after: cursor)
        var counts: [Double] = []
        for _ in 0..<max(3, repetitions / 10) {
            counts.append(try await Measure.seconds { _ = try await store.countRunsByStatus() } * 1000)
        }
        let dashboard = try await DashboardPages.measure(store: store, thousandth: cursor, repetitions: repetitions)
        let cleanup = try await measureCleanup(store: store, start: start, count: count, logger: logger)
        try await cleanUp()
        return BenchResult(scenario: "operations", fields: [
            ("runs", .integer(count)),
            ("populate_s", .number(populated)),
            ("first_page_p50_ms", .number(Measure.percentile(first, 0.5))),
            ("first_page_p99_ms", .number(Measure.percentile(first, 0.99))),
            ("filtered_p99_ms", .number(Measure.percentile(filtered, 0.99))),
            ("statuses_p99_ms", .number(Measure.percentile(statuses, 0.99))),
            ("prefix_p99_ms", .number(Measure.percentile(prefix, 0.99))),
            ("page_1000_p99_ms", .number(Measure.percentile(thousandth, 0.99))),
            ("walk_to_1000_ms_per_page", .number(walk * 1000 / Double(max(1, min(1000, count / 50) - 1)))),
            ("counts_p50_ms", .number(Measure.percentile(counts, 0.5))),
            ("counts_p99_ms", .number(Measure.percentile(counts, 0.99))),
            ("cleanup_runs", .integer(cleanup.report.runs)),
            ("cleanup_s", .number(cleanup.seconds)),
            ("checkpoint_p99_ms", .number(Measure.percentile(cleanup.before, 0.99))),
            ("checkpoint_max_ms", .number(cleanup.before.max() ?? .nan)),
            ("checkpoint_during_cleanup_p99_ms", .number(Measure.percentile(cleanup.during, 0.99))),
            ("checkpoint_during_cleanup_max_ms", .number(cleanup.during.max() ?? .nan)),
        ] + dashboard)
    }

    /// Deletes every finished run (950,000 of a million, with their steps) while one run
    /// checkpoints in a loop; returns the checkpoints' latencies before and during the clean-up.
    private static func measureCleanup(
        store: any WorkflowStore, start: Date, count: Int, logger: Logger
    ) async throws -> (report: CleanupReport, seconds: Double, before: [Double], during: [Double]) {
        let middle = start.addingTimeInterval(Double(count) * 2.5 + 60)
        let engine = WorkflowEngine(
            store: store, registry: WorkflowRegistry(), transport: LocalTransport(workers: 1),
            configuration: .init(logger: logger, now: { middle }))
        let probe: WorkflowRunID = "cleanup-probe"
        _ = try await store.createRun(runID: probe, workflowID: "probe", input: "{}", now: middle)
        _ = try await store.claimRun(probe, owner: "probe", leaseUntil: .distantFuture, now: middle)
        let sequence = CheckpointSequence()
        @Sendable func checkpoint() async throws -> Double {
            let index = sequence.next()
            let step = StepRecord(stepID: "s\(index)", kind: .run, status: .completed, result: "1", attempts: 1, sequence: index, executedAt: middle)
            return try await Measure.seconds {
                try await store.commit(runID: probe, owner: "probe", step: step, transition: .keepRunning(leaseUntil: .distantFuture), now: middle)
            } * 1000
        }
        var before: [Double] = []
        for _ in 0..<200 { before.append(try await checkpoint()) }
        let done = CleanupDone()
        let started = ContinuousClock.now
        async let report = { defer { done.set() }; return try await engine.cleanUp(olderThan: .zero) }()
        var during: [Double] = []
        while !done.isSet { during.append(try await checkpoint()) }
        return (try await report, (ContinuousClock.now - started).inSeconds, before, during)
    }

    private static func populateSQLite(path: String, count: Int, start: Date, logger: Logger) async throws {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        let sql = connection.sql()
        try await sql.raw("""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < \(bind: count - 1))
            INSERT INTO hookflow_runs (id, workflow_id, status, data, created_at, updated_at, wake_at, completed_at,
                unfinished_invocations)
            SELECT printf('run-%08d', i), 'workflow-' || (i % 10), \(unsafeRaw: statusCase), '{}',
                \(bind: start.timeIntervalSince1970) + i * 2.5, \(bind: start.timeIntervalSince1970) + i * 2.5 + 1,
                \(bind: start.timeIntervalSince1970) + i * 2.5 + 3600,
                CASE WHEN i % 100 < 95 THEN \(bind: start.timeIntervalSince1970) + i * 2.5 + 1 END, 0
            FROM n
            """).run()
        // One checkpoint per run, as a clean-up deletes them. Its id starts with its time, as the
        // store's (``TimeOrderedID``) do, and ends with its run's, so it is unique.
        try await sql.raw("""
            INSERT INTO hookflow_steps (id, run_id, step_id, kind, status, result, attempts, sequence, executed_at)
            SELECT printf('%012X', CAST(created_at * 1000 AS INTEGER)) || '-' || id, id, 'step', 'run', 'completed', '1', 1, 0, created_at FROM hookflow_runs
            """).run()
        try await connection.close()
    }

    private static func populatePostgres(url: String, count: Int, start: Date) async throws {
        try await withBenchConnection(to: url) { connection in
            let logger = Logger(label: "hookflow.bench")
            // A bulk load counts its finished runs once, after it, as the tallies' migration does.
            try await connection.query("ALTER TABLE hookflow_runs DISABLE TRIGGER hookflow_runs_tally", logger: logger)
            try await connection.query("""
                INSERT INTO hookflow_runs (id, workflow_id, status, data, created_at, updated_at, wake_at, completed_at,
                    unfinished_invocations)
                SELECT 'run-' || lpad(i::text, 8, '0'), 'workflow-' || (i % 10), \(unescaped: statusCase), '{}',
                    \(start) + i * interval '2.5 seconds', \(start) + i * interval '2.5 seconds' + interval '1 second',
                    \(start) + i * interval '2.5 seconds' + interval '1 hour',
                    CASE WHEN i % 100 < 95 THEN \(start) + i * interval '2.5 seconds' + interval '1 second' END, 0
                FROM generate_series(0, \(count - 1)) AS i
                """, logger: logger)
            try await connection.query("""
                INSERT INTO hookflow_steps (id, run_id, step_id, kind, status, result, attempts, sequence, executed_at)
                SELECT (lpad(to_hex((extract(epoch FROM created_at) * 1000)::bigint), 12, '0') || substr(md5(id), 1, 20))::uuid, id, 'step', 'run', 'completed', '1', 1, 0, created_at FROM hookflow_runs
                """, logger: logger)
            try await connection.query("ALTER TABLE hookflow_runs ENABLE TRIGGER hookflow_runs_tally", logger: logger)
            try await connection.query("""
                INSERT INTO hookflow_run_tallies (workflow_id, status, shard, runs)
                SELECT workflow_id, status, 0, COUNT(*) FROM hookflow_runs
                WHERE status IN ('completed', 'failed', 'cancelled') GROUP BY workflow_id, status
                """, logger: logger)
            // What autovacuum does soon after a bulk load.
            try await connection.query("VACUUM ANALYZE hookflow_runs", logger: logger)
        }
    }
}

/// The probe's step numbers, shared by the clean-up's two tasks.
private final class CheckpointSequence: Sendable {
    private let value = Mutex(0)
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
}

/// Set when the clean-up has finished.
private final class CleanupDone: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
