import Foundation
import Hookflow
import PostgresNIO

extension PostgresWorkflowStore {
    @discardableResult
    public func commit(
        runID: WorkflowRunID, owner: String, step: StepRecord?, transition: RunTransition, spawning: RunSpawn?, now: Date
    ) async throws -> Bool {
        if case .keepRunning(let leaseUntil) = transition {
            return try await checkpoint(runID: runID, owner: owner, step: step, leaseUntil: leaseUntil, now: now)
        }
        return try await operation { [self] connection in
            try await transaction(on: connection) { connection in
                // The fence, which also locks the run's row until the commit.
                var fenced: (String, String, Date?, String?, String?, Int?)?
                for try await row in try await connection.query("""
                    UPDATE hookflow_runs SET updated_at = \(now), unfinished_invocations = 0
                    WHERE id = \(runID.rawValue) AND lease_owner = \(owner) AND status = 'running'
                    RETURNING workflow_id, data, cancel_requested_at, parent_run_id, concurrency_key, workflow_limit
                    """, logger: logger).decode((String, String, Date?, String?, String?, Int?).self)
                {
                    fenced = row
                }
                guard let (workflowID, input, cancelRequestedAt, parentRunID, concurrencyKey, workflowLimit) = fenced else {
                    throw LeaseLostError(runID: runID)
                }
                if let step {
                    try await connection.query(Self.upsertStep(step, of: runID), logger: logger)
                }
                switch transition {
                case .keepRunning:
                    break  // handled by `checkpoint`, above
                case .suspend(let wakeAt):
                    // Serialises with the delivery of the events of all the run's waits (see deliverEvent),
                    // this one's and those written beside it: each event is seen here, or sees the run asleep.
                    try await connection.query("""
                        SELECT pg_advisory_xact_lock(hashtext(key)) FROM (
                            SELECT DISTINCT event_key AS key FROM hookflow_steps
                            WHERE run_id = \(runID.rawValue) AND status = 'waiting' AND event_key IS NOT NULL
                            ORDER BY 1) AS waits
                        """, logger: logger)
                    // An event delivered while the run was executing makes it due at once.
                    var due: Date?
                    for try await (wake) in try await connection.query("""
                        UPDATE hookflow_runs SET status = 'sleeping', lease_owner = NULL, lease_until = NULL,
                            wake_at = CASE WHEN EXISTS (
                                SELECT 1 FROM hookflow_steps s JOIN hookflow_events e ON e.key = s.event_key
                                WHERE s.run_id = \(runID.rawValue) AND s.status = 'waiting'
                                    AND e.created_at >= \(EventRetention.oldestKept(at: now))) THEN \(now) ELSE \(wakeAt) END
                        WHERE id = \(runID.rawValue) RETURNING wake_at
                        """, logger: logger).decode(Date.self)
                    {
                        due = wake
                    }
                    // A future wake is this instance's own timer's to keep (the others look once per lease);
                    // only a run made due at once by its event is announced.
                    if let due, due < wakeAt { announce(nil, on: connection) }
                case .release:
                    try await connection.query("""
                        UPDATE hookflow_runs SET status = 'pending', wake_at = NULL, lease_owner = NULL, lease_until = NULL
                        WHERE id = \(runID.rawValue)
                        """, logger: logger)
                    announce(nil, on: connection)
                case .complete(let result):
                    try await connection.query("""
                        UPDATE hookflow_runs SET status = 'completed', result = \(result), completed_at = \(now),
                            wake_at = NULL, lease_owner = NULL, lease_until = NULL
                        WHERE id = \(runID.rawValue)
                        """, logger: logger)
                case .fail(let stepID, let error):
                    try await connection.query("""
                        UPDATE hookflow_runs SET status = 'failed', error_message = \(error), completed_at = \(now),
                            wake_at = NULL, lease_owner = NULL, lease_until = NULL
                        WHERE id = \(runID.rawValue)
                        """, logger: logger)
                    try await connection.query("""
                        INSERT INTO hookflow_dead_letters (id, run_id, workflow_id, step_id, data, error_message, created_at)
                        VALUES (\(UUID()), \(runID.rawValue), \(workflowID), \(stepID), \(input), \(error), \(now))
                        """, logger: logger)
                case .cancel(let reason):
                    try await connection.query("""
                        UPDATE hookflow_runs SET status = 'cancelled', error_message = \(reason), completed_at = \(now),
                            wake_at = NULL, lease_owner = NULL, lease_until = NULL
                        WHERE id = \(runID.rawValue)
                        """, logger: logger)
                }
                if parentRunID != nil, let ended = transition.endStatus {
                    try await announceEnd(of: runID, as: ended, now: now, on: connection)
                }
                if let spawn = spawning {
                    try await connection.query(Self.insertRun(
                        spawn.runID, workflowID: spawn.workflowID, input: spawn.input, traceContext: spawn.traceContext,
                        parent: spawn.parent, continuedFrom: spawn.continuedFrom, workflowVersion: spawn.workflowVersion,
                        flow: spawn.flow, admitted: true, now: now), logger: logger)
                    announce(nil, on: connection)
                } else if transition.endStatus != nil {
                    try await admit(
                        HookflowSQL.AdmissionScope.of(concurrencyKey: concurrencyKey, workflowID: workflowID, workflowLimit: workflowLimit),
                        now: now, on: connection)
                }
                return cancelRequestedAt != nil
            }
        }
    }

    /// Admits the queued runs next in line of each scope while they have free slots, announcing any
    /// it admits. Every admission holds one lock, so no two transactions count the same slots free.
    func admit(_ scopes: [HookflowSQL.AdmissionScope], now: Date, on connection: PostgresConnection) async throws {
        guard !scopes.isEmpty else { return }
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext('hookflow:admission'))", logger: logger)
        var admitted = false
        for scope in scopes {
            switch scope {
            case .key(let key):
                var queued: [QueuedRun] = []
                for try await (id, keyLimit, workflowID, workflowLimit) in try await connection.query(
                    Self.query(HookflowSQL.queuedOfKey(key, limit: QueuedRun.batch, dialect: .postgres)), logger: logger
                ).decode((String, Int?, String, Int?).self) {
                    queued.append(QueuedRun(id: id, keyLimit: keyLimit ?? 1, workflowID: workflowID, workflowLimit: workflowLimit))
                }
                guard !queued.isEmpty else { continue }
                let holders = try await count(HookflowSQL.keyHolders(key, dialect: .postgres), on: connection)
                var workflowHolders: [String: Int] = [:]
                for run in queued where run.workflowLimit != nil && workflowHolders[run.workflowID] == nil {
                    workflowHolders[run.workflowID] = try await count(
                        HookflowSQL.workflowHolders(run.workflowID, dialect: .postgres), on: connection)
                }
                for runID in QueuedRun.admissible(queued, keyHolders: holders, workflowHolders: { workflowHolders[$0] ?? 0 }) {
                    try await connection.query(Self.query(HookflowSQL.admit(runID, now: now, dialect: .postgres)), logger: logger)
                    admitted = true
                }
            case .workflow(let workflowID):
                let query = Self.query(HookflowSQL.admitNext(workflow: workflowID, now: now, dialect: .postgres))
                while !(try await connection.query(query, logger: logger).collect().isEmpty) { admitted = true }
            }
        }
        if admitted { announce(nil, on: connection) }
    }

    /// A shared statement as PostgreSQL runs it.
    static func query(_ statement: SQLStatement) -> PostgresQuery {
        PostgresQuery(unsafeSQL: statement.sql, binds: PostgresBindings(statement.arguments))
    }

    /// The count a counting statement answers.
    private func count(_ statement: SQLStatement, on connection: PostgresConnection) async throws -> Int {
        for try await (count,) in try await connection.query(Self.query(statement), logger: logger).decode((Int,).self) {
            return count
        }
        return 0
    }

    /// A child run ended: records the event that wakes its parent (``ChildRuns``), serialised with
    /// the parent's suspension by the event key's lock, as ``deliverEvent(key:payload:now:)`` is.
    func announceEnd(of runID: WorkflowRunID, as status: RunStatus, now: Date, on connection: PostgresConnection) async throws {
        let key = ChildRuns.eventKey(of: runID)
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(key)))", logger: logger)
        try await connection.query(Self.shared(HookflowSQL.insertEvent) {
            $0.append(UUID())
            $0.append(key)
            $0.append(ChildRuns.eventPayload(status))
            $0.append(now)
        }, logger: logger)
        let woken = try await Self.decodeRuns(try await connection.query(Self.shared(HookflowSQL.wakeWaiters) {
            $0.append(key)
            $0.append(now)
        }, logger: logger))
        if !woken.isEmpty { announce(nil, on: connection) }
    }

    /// The hot path, a step completed while the run goes on: committed with the checkpoints of
    /// other runs ready at the same time, in one prepared statement (``flushCheckpoints(_:)``).
    /// A heartbeat (no step) extends the lease alone.
    func checkpoint(
        runID: WorkflowRunID, owner: String, step: StepRecord?, leaseUntil: Date?, now: Date
    ) async throws -> Bool {
        guard let step else {
            guard let leaseUntil else {
                return try await fence("""
                    SELECT cancel_requested_at IS NOT NULL FROM hookflow_runs
                    WHERE id = \(runID.rawValue) AND lease_owner = \(owner) AND status = 'running'
                    """, of: runID)
            }
            return try await fence("""
                UPDATE hookflow_runs SET lease_until = GREATEST(lease_until, \(leaseUntil)), updated_at = \(now)
                WHERE id = \(runID.rawValue) AND lease_owner = \(owner) AND status = 'running'
                RETURNING cancel_requested_at IS NOT NULL
                """, of: runID)
        }
        let checkpoint = PostgresCheckpoint(runID: runID.rawValue, owner: owner, leaseUntil: leaseUntil, now: now, step: step)
        return try await checkpoints.submit(checkpoint, flush: flushCheckpoints)
    }

    /// Runs a fenced statement that answers one row (whether a cancellation was asked for) only
    /// when the fence matched.
    private func fence(_ query: PostgresQuery, of runID: WorkflowRunID) async throws -> Bool {
        try await operation { [self] connection in
            var cancelRequested: Bool?
            for try await requested in try await connection.query(query, logger: logger).decode(Bool.self) {
                cancelRequested = requested
            }
            guard let cancelRequested else { throw LeaseLostError(runID: runID) }
            return cancelRequested
        }
    }

    public func recordInvocationFailure(runID: WorkflowRunID, owner: String, error: String, retryAt: Date) async throws {
        _ = try await operation { [self] connection in
            try await connection.query(Self.shared(HookflowSQL.recordInvocationFailure) {
                $0.append(runID.rawValue)
                $0.append(owner)
                $0.append(error)
                $0.append(retryAt)
            }, logger: logger)
        }
    }

}
