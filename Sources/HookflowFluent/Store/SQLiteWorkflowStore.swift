import FluentKit
import FluentSQLiteDriver
import Foundation
import Hookflow
import Logging
import NIOCore
import NIOPosix

/// The embedded store: one SQLite file in WAL mode, written through a single connection.
///
/// Each checkpoint is one `BEGIN IMMEDIATE … COMMIT` transaction of prepared statements.
/// The file and its tables are created on first open (Fluent migrations), so the same
/// file can also be queried through the ``WorkflowRun``, ``StepExecution`` and
/// ``DeadLetterEntry`` models.
public final class SQLiteWorkflowStore: WorkflowStore {
    /// The database file.
    public let path: String
    let writer: SQLiteWriter

    private init(path: String, writer: SQLiteWriter) {
        self.path = path
        self.writer = writer
    }

    /// Opens (creating if needed) the SQLite file at `path` and migrates its tables.
    public static func open(path: String, logger: Logger = Logger(label: "hookflow.sqlite")) async throws -> SQLiteWorkflowStore {
        try await HookflowMigrations.run(on: .sqlite(.file(path)), logger: logger)
        return SQLiteWorkflowStore(path: path, writer: try await SQLiteWriter(path: path))
    }

    /// What its transactions carried: how many callers' writes each committed.
    package var groupCommitStatistics: GroupCommitStatistics { writer.writes.statistics }

    /// Closes the connection. The store must not be used afterwards.
    public func close() async throws {
        await writer.close()
    }

    // MARK: WorkflowStore

    public func claimNextRun(
        owner: String, leaseUntil: Date, now: Date, workflows: ClaimableWorkflows?
    ) async throws -> RunRecord? {
        let only = Self.claimable(workflows)
        return try await writer.transaction { db in
            try db.query("""
                UPDATE hookflow_runs SET status = 'running', lease_owner = ?1, lease_until = ?2, updated_at = ?3,
                    unfinished_invocations = unfinished_invocations + 1, history_version = history_version + 1
                WHERE id = (
                    SELECT id FROM hookflow_runs WHERE status = 'sleeping' AND wake_at <= ?3 AND \(Self.among)
                    UNION ALL SELECT id FROM hookflow_runs WHERE status = 'running' AND lease_until < ?3 AND \(Self.among)
                    UNION ALL SELECT id FROM (
                        SELECT id FROM hookflow_runs WHERE status = 'pending' AND \(Self.among) ORDER BY queue_at, id LIMIT 1)
                    LIMIT 1)
                RETURNING \(HookflowSQL.runColumns)
                """, [.text(owner), SQLiteValue(leaseUntil), SQLiteValue(now), only]).first.map(Self.runRecord)
        }
    }

    /// The claim's workflow filter: ?4 is a JSON array of `[id, lowest version, highest version]`,
    /// or NULL for any workflow.
    private static let among = """
        (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each(?4) AS w WHERE json_extract(w.value, '$[0]') = workflow_id
            AND workflow_version BETWEEN json_extract(w.value, '$[1]') AND json_extract(w.value, '$[2]')))
        """

    /// `text` as a JSON string.
    private static func jsonString(_ text: String) -> String {
        String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }

    /// `workflows` as the filter's JSON array, or NULL.
    private static func claimable(_ workflows: ClaimableWorkflows?) -> SQLiteValue {
        guard let workflows else { return .null }
        let rows = workflows.rows.map { row in "[\(SQLiteWorkflowStore.jsonString(row.id)),\(row.lowest),\(row.highest)]" }
        return .text("[" + rows.joined(separator: ",") + "]")
    }

    public func claimRun(
        _ runID: WorkflowRunID, owner: String, leaseUntil: Date, now: Date, wakingBy: Date
    ) async throws -> RunRecord? {
        try await writer.transaction { db in
            try db.query(HookflowSQL.claimRun(.sqlite), [.text(runID.rawValue), .text(owner), SQLiteValue(leaseUntil), SQLiteValue(now), SQLiteValue(wakingBy)])
                .first.map(Self.runRecord)
        }
    }

    public func steps(of runID: WorkflowRunID) async throws -> [StepRecord] {
        try await writer.read { db in
            try db.query(HookflowSQL.steps(.sqlite), [.text(runID.rawValue)]).map(Self.stepRecord)
        }
    }

    public func steps(of runID: WorkflowRunID, afterSequence: Int?, limit: Int) async throws -> [StepRecord] {
        let (sql, arguments) = HookflowSQL.stepPage(of: runID, afterSequence: afterSequence, limit: limit, dialect: .sqlite)
        return try await writer.read { db in try db.query(sql, arguments.map(SQLiteValue.init)).map(Self.stepRecord) }
    }

    @discardableResult
    public func commit(
        runID: WorkflowRunID, owner: String, step: StepRecord?, transition: RunTransition, spawning: RunSpawn?, now: Date
    ) async throws -> Bool {
        if transition == .keepRunning(leaseUntil: nil) { return try await checkpoint(runID: runID, owner: owner, step: step) }
        let fence =
            " WHERE id = ?1 AND lease_owner = ?2 AND status = 'running' "
            + "RETURNING workflow_id, data, cancel_requested_at, parent_run_id, concurrency_key, workflow_limit"
        let update: String
        var binds: [SQLiteValue] = [.text(runID.rawValue), .text(owner), SQLiteValue(now)]
        let set = "UPDATE hookflow_runs SET "
        switch transition {
        case .keepRunning(let leaseUntil):
            // A checkpoint is progress: only this invocation is unfinished now. A heartbeat (no step) is not.
            // Never backwards: a slow heartbeat landing after a checkpoint keeps the later lease.
            update = set + "lease_until = MAX(lease_until, ?4), updated_at = ?3"
                + (step == nil ? "" : ", unfinished_invocations = 1")
            binds.append(SQLiteValue(leaseUntil))
        case .suspend(let wakeAt):
            // An event delivered while the run was executing makes it due at once.
            update = """
                \(set)status = 'sleeping', lease_owner = NULL, lease_until = NULL, updated_at = ?3,
                unfinished_invocations = 0, wake_at = CASE WHEN EXISTS (
                    SELECT 1 FROM hookflow_steps s JOIN hookflow_events e ON e.key = s.event_key
                    WHERE s.run_id = ?1 AND s.status = 'waiting' AND e.created_at >= ?5) THEN ?3 ELSE ?4 END
                """
            binds.append(SQLiteValue(wakeAt))
            binds.append(SQLiteValue(EventRetention.oldestKept(at: now)))
        case .release:
            update = """
                \(set)status = 'pending', wake_at = NULL, lease_owner = NULL, lease_until = NULL,
                updated_at = ?3, unfinished_invocations = 0
                """
        case .complete(let result):
            update = """
                \(set)status = 'completed', result = ?4, completed_at = ?3, wake_at = NULL,
                lease_owner = NULL, lease_until = NULL, updated_at = ?3, unfinished_invocations = 0
                """
            binds.append(.text(result))
        case .fail(_, let error):
            update = """
                \(set)status = 'failed', error_message = ?4, completed_at = ?3, wake_at = NULL,
                lease_owner = NULL, lease_until = NULL, updated_at = ?3, unfinished_invocations = 0
                """
            binds.append(.text(error))
        case .cancel(let reason):
            update = """
                \(set)status = 'cancelled', error_message = ?4, completed_at = ?3, wake_at = NULL,
                lease_owner = NULL, lease_until = NULL, updated_at = ?3, unfinished_invocations = 0
                """
            binds.append(.text(reason))
        }
        return try await writer.transaction { [binds, update] db in
            // The step first: the run's update reads it. A lost lease rolls both back.
            if let step {
                try db.execute(Self.upsertStep, Self.stepBinds(step, of: runID))
            }
            guard let run = try db.query(update + fence, binds).first else { throw LeaseLostError(runID: runID) }
            if case .fail(let stepID, let error) = transition {
                try db.execute("""
                    INSERT INTO hookflow_dead_letters (id, run_id, workflow_id, step_id, data, error_message, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, [
                        .text(UUID().uuidString), .text(runID.rawValue), run[0], SQLiteValue(stepID), run[1],
                        .text(error), SQLiteValue(now),
                    ])
            }
            if run[3].text != nil, let ended = transition.endStatus {
                try Self.announceEnd(of: runID, as: ended, now: now, on: db)
            }
            if let spawn = spawning {
                try db.execute(HookflowSQL.insertRun(.sqlite), Self.runBinds(
                    spawn.runID, workflowID: spawn.workflowID, input: spawn.input, traceContext: spawn.traceContext,
                    parent: spawn.parent, continuedFrom: spawn.continuedFrom, workflowVersion: spawn.workflowVersion,
                    flow: spawn.flow, admitted: true, now: now))
            } else if transition.endStatus != nil, let workflowID = run[0].text {
                try Self.admit(HookflowSQL.AdmissionScope.of(
                    concurrencyKey: run[4].text, workflowID: workflowID, workflowLimit: run[5].integer), now: now, on: db)
            }
            return run[2].date != nil
        }
    }

    /// A checkpoint that leaves the lease as it is: the run's row is only read, as the fence (the
    /// writer's lock keeps it as read until the commit), and written only to reset its count of
    /// unfinished invocations. A lost lease throws before anything is written, and the step is the
    /// last statement: it needs no savepoint of its own.
    private func checkpoint(runID: WorkflowRunID, owner: String, step: StepRecord?) async throws -> Bool {
        try await writer.transaction(failsBeforeWriting: true) { db in
            guard let run = try db.query(
                "SELECT cancel_requested_at, unfinished_invocations FROM hookflow_runs WHERE id = ?1 AND lease_owner = ?2 AND status = 'running'",
                [.text(runID.rawValue), .text(owner)]
            ).first else { throw LeaseLostError(runID: runID) }
            if let step {
                // A checkpoint is progress: only this invocation is unfinished now. (Should the step's
                // write then fail, its caller takes the checkpoint as maybe written, and so the count.)
                if run[1].integer != 1 {
                    try db.execute("UPDATE hookflow_runs SET unfinished_invocations = 1 WHERE id = ?1", [.text(runID.rawValue)])
                }
                try db.execute(Self.upsertStep, Self.stepBinds(step, of: runID))
            }
            return run[0].date != nil
        }
    }

    /// A child run ended: records the event that wakes its parent (``ChildRuns``).
    static func announceEnd(of runID: WorkflowRunID, as status: RunStatus, now: Date, on db: SQLiteHandle) throws {
        let key = ChildRuns.eventKey(of: runID)
        try db.execute(
            HookflowSQL.insertEvent(.sqlite),
            [.text(UUID().uuidString), .text(key), .text(ChildRuns.eventPayload(status)), SQLiteValue(now)])
        _ = try db.query(HookflowSQL.wakeWaiters(.sqlite), [.text(key), SQLiteValue(now)])
    }

    public func recordInvocationFailure(runID: WorkflowRunID, owner: String, error: String, retryAt: Date) async throws {
        try await writer.transaction { db in
            try db.execute(HookflowSQL.recordInvocationFailure(.sqlite), [.text(runID.rawValue), .text(owner), .text(error), SQLiteValue(retryAt)])
        }
    }

    public func deliverEvent(key: String, payload: String, now: Date) async throws -> [RunRecord] {
        try await writer.transaction { db in
            try db.execute(
                HookflowSQL.insertEvent(.sqlite), [.text(UUID().uuidString), .text(key), .text(payload), SQLiteValue(now)])
            try db.execute(HookflowSQL.deleteExpiredEvents(.sqlite), [SQLiteValue(EventRetention.oldestKept(at: now))])
            return try db.query(HookflowSQL.wakeWaiters(.sqlite), [.text(key), SQLiteValue(now)]).map(Self.runRecord)
        }
    }

    public func event(key: String, now: Date) async throws -> String? {
        try await writer.read { db in
            try db.query(HookflowSQL.latestEvent(.sqlite), [.text(key), SQLiteValue(EventRetention.oldestKept(at: now))])
                .first?[0].text
        }
    }

    public func nextWakeTime(after date: Date) async throws -> Date? {
        try await writer.read { db in
            try db.query("""
                SELECT MIN(t) FROM (
                    SELECT MIN(wake_at) AS t FROM hookflow_runs WHERE status = 'sleeping' AND wake_at > ?1
                    UNION ALL
                    SELECT MIN(lease_until) AS t FROM hookflow_runs WHERE status = 'running' AND lease_until > ?1)
                """, [SQLiteValue(date)]).first?[0].date
        }
    }

    public func overdueRuns(before: Date, limit: Int, workflows: ClaimableWorkflows?) async throws -> [RunRecord] {
        let only = Self.claimable(workflows)
        return try await writer.read { db in
            try db.query("""
                SELECT \(HookflowSQL.runColumns) FROM (
                    SELECT * FROM hookflow_runs WHERE status = 'sleeping' AND wake_at < ?1 AND \(Self.among)
                    UNION ALL SELECT * FROM hookflow_runs WHERE status = 'running' AND lease_until < ?1 AND \(Self.among)
                    UNION ALL SELECT * FROM hookflow_runs WHERE status = 'pending' AND updated_at < ?1 AND \(Self.among))
                ORDER BY updated_at LIMIT ?2
                """, [SQLiteValue(before), SQLiteValue(limit), .null, only]).map(Self.runRecord)
        }
    }

    public func run(_ runID: WorkflowRunID) async throws -> RunRecord? {
        try await writer.read { db in
            try db.query("SELECT \(HookflowSQL.runColumns) FROM hookflow_runs WHERE id = ?", [.text(runID.rawValue)])
                .first.map(Self.runRecord)
        }
    }

    public func reopenDeadLetter(id: String, now: Date) async throws -> RunRecord {
        let key = UUID(uuidString: id)?.uuidString ?? id
        return try await writer.transaction { db in
            guard let entry = try db.query(
                "SELECT run_id, step_id FROM hookflow_dead_letters WHERE id = ? AND replayed_at IS NULL", [.text(key)]
            ).first, let runID = entry[0].text
            else { throw DeadLetterNotFoundError(id: id) }
            guard let run = try db.query(HookflowSQL.reopenRun(.sqlite), [.text(runID), SQLiteValue(now)])
                .first.map(Self.runRecord)
            else { throw DeadLetterNotFoundError(id: id) }
            if let stepID = entry[1].text {
                try db.execute(HookflowSQL.reopenStep(.sqlite), [.text(runID), .text(stepID)])
            }
            try db.execute(HookflowSQL.markReplayed(.sqlite), [SQLiteValue(now), .text(key)])
            return run
        }
    }
}
