import Foundation
import Hookflow
import PostgresNIO

extension PostgresWorkflowStore {
    public func createRun(
        runID: WorkflowRunID, workflowID: String, input: String, traceContext: String?, parent: RunParent?,
        workflowVersion: Int, startAt: Date?, scheduledBy: ScheduleTick?, flow: RunFlow, now: Date
    ) async throws -> (workflowID: String, status: RunStatus, input: String, created: Bool) {
        try await operation { [self] connection in
            try await transaction(on: connection) { connection in
                var startAt = startAt
                if !flow.rates.isEmpty, try await connection.query(
                    "SELECT 1 FROM hookflow_runs WHERE id = \(runID.rawValue)", logger: logger
                ).collect().isEmpty {
                    for scope in flow.rates {
                        let statement = HookflowSQL.takeRateSlot(scope, now: now, dialect: .postgres)
                        for try await (slot,) in try await connection.query(
                            PostgresQuery(unsafeSQL: statement.sql, binds: PostgresBindings(statement.arguments)), logger: logger
                        ).decode((Date,).self) where slot > (startAt ?? now) {
                            startAt = slot
                        }
                    }
                }
                // A run with a free slot is admitted as it is created, under the admission lock; the others queue.
                // A run that exists is not created again: its trigger takes no lock, which an end of that run,
                // holding its row and waiting for the lock, would deadlock with.
                var admitted = true
                let exists = flow.isLimited
                    ? !(try await connection.query("SELECT 1 FROM hookflow_runs WHERE id = \(runID.rawValue)", logger: logger)
                        .collect().isEmpty)
                    : false
                if flow.isLimited, !exists {
                    try await connection.query("SELECT pg_advisory_xact_lock(hashtext('hookflow:admission'))", logger: logger)
                    let free = HookflowSQL.slotFree(flow, workflowID: workflowID, dialect: .postgres)
                    for try await (slot,) in try await connection.query(
                        PostgresQuery(unsafeSQL: free.sql, binds: PostgresBindings(free.arguments)), logger: logger
                    ).decode((Int,).self) {
                        admitted = slot == 1
                    }
                }
                let inserted = try await connection.query(
                    Self.insertRun(
                        runID, workflowID: workflowID, input: input, traceContext: traceContext, parent: parent,
                        workflowVersion: workflowVersion, startAt: startAt, scheduledBy: scheduledBy, flow: flow,
                        admitted: admitted, now: now),
                    logger: logger
                ).collect()
                if !inserted.isEmpty {
                    let start = RunStart(startAt, now: now, flow: admitted ? .unlimited : flow)
                    if start.status != .queued { announce(start.wakeAt, on: connection) }
                    return (workflowID, start.status, input, true)
                }
                for try await (existing, status, data) in try await connection.query(
                    "SELECT workflow_id, status, data FROM hookflow_runs WHERE id = \(runID.rawValue)", logger: logger
                ).decode((String, String, String).self) {
                    return (existing, try Self.status(status), data, !inserted.isEmpty)
                }
                throw StoreDataError(column: "id", value: runID.rawValue)
            }
        }
    }

    public func claimNextRun(
        owner: String, leaseUntil: Date, now: Date, workflows: ClaimableWorkflows?
    ) async throws -> RunRecord? {
        let (anyWorkflow, ids, lowest, highest) = Self.claimable(workflows)
        return try await operation { [self] connection in
            try await runs("""
                UPDATE hookflow_runs SET status = 'running', lease_owner = \(owner), lease_until = \(leaseUntil),
                    updated_at = \(now), unfinished_invocations = unfinished_invocations + 1,
                    history_version = history_version + 1
                -- Due sleepers and dead workers' runs first, oldest first; then new runs in order.
                -- COALESCE stops at the first branch that finds an unlocked run.
                WHERE id = COALESCE(
                    (SELECT id FROM hookflow_runs WHERE status = 'sleeping' AND wake_at <= \(now)
                        AND (\(anyWorkflow) OR EXISTS (SELECT 1 FROM unnest(\(ids)::text[], \(lowest)::bigint[], \(highest)::bigint[])
                            AS w(id, lowest, highest) WHERE w.id = workflow_id AND workflow_version BETWEEN w.lowest AND w.highest))
                        ORDER BY wake_at LIMIT 1 FOR UPDATE SKIP LOCKED),
                    (SELECT id FROM hookflow_runs WHERE status = 'running' AND lease_until < \(now)
                        AND (\(anyWorkflow) OR EXISTS (SELECT 1 FROM unnest(\(ids)::text[], \(lowest)::bigint[], \(highest)::bigint[])
                            AS w(id, lowest, highest) WHERE w.id = workflow_id AND workflow_version BETWEEN w.lowest AND w.highest))
                        ORDER BY lease_until LIMIT 1 FOR UPDATE SKIP LOCKED),
                    (SELECT id FROM hookflow_runs WHERE status = 'pending'
                        AND (\(anyWorkflow) OR EXISTS (SELECT 1 FROM unnest(\(ids)::text[], \(lowest)::bigint[], \(highest)::bigint[])
                            AS w(id, lowest, highest) WHERE w.id = workflow_id AND workflow_version BETWEEN w.lowest AND w.highest))
                        ORDER BY queue_at, id LIMIT 1 FOR UPDATE SKIP LOCKED))
                RETURNING \(unescaped: HookflowSQL.runColumns)
                """, on: connection).first
        }
    }

    public func claimRun(
        _ runID: WorkflowRunID, owner: String, leaseUntil: Date, now: Date, wakingBy: Date
    ) async throws -> RunRecord? {
        try await operation { [self] connection in
            try await runs(Self.shared(HookflowSQL.claimRun) {
                $0.append(runID.rawValue)
                $0.append(owner)
                $0.append(leaseUntil)
                $0.append(now)
                $0.append(wakingBy)
            }, on: connection).first
        }
    }

    public func steps(of runID: WorkflowRunID) async throws -> [StepRecord] {
        try await operation { [self] connection in
            try await Self.decodeSteps(
                try await connection.query(Self.shared(HookflowSQL.steps) { $0.append(runID.rawValue) }, logger: logger))
        }
    }

    public func steps(of runID: WorkflowRunID, afterSequence: Int?, limit: Int) async throws -> [StepRecord] {
        let (sql, arguments) = HookflowSQL.stepPage(of: runID, afterSequence: afterSequence, limit: limit, dialect: .postgres)
        let query = PostgresQuery(unsafeSQL: sql, binds: PostgresBindings(arguments))
        return try await operation { [self] connection in
            try await Self.decodeSteps(try await connection.query(query, logger: logger))
        }
    }

    public func overdueRuns(before: Date, limit: Int, workflows: ClaimableWorkflows?) async throws -> [RunRecord] {
        let (anyWorkflow, ids, lowest, highest) = Self.claimable(workflows)
        return try await operation { [self] connection in
            // Each branch walks its own (status, time) index.
            try await runs("""
                (SELECT \(unescaped: HookflowSQL.runColumns) FROM hookflow_runs WHERE status = 'sleeping' AND wake_at < \(before)
                    AND (\(anyWorkflow) OR EXISTS (SELECT 1 FROM unnest(\(ids)::text[], \(lowest)::bigint[], \(highest)::bigint[])
                            AS w(id, lowest, highest) WHERE w.id = workflow_id AND workflow_version BETWEEN w.lowest AND w.highest)) ORDER BY wake_at LIMIT \(limit))
                UNION ALL
                (SELECT \(unescaped: HookflowSQL.runColumns) FROM hookflow_runs WHERE status = 'running' AND lease_until < \(before)
                    AND (\(anyWorkflow) OR EXISTS (SELECT 1 FROM unnest(\(ids)::text[], \(lowest)::bigint[], \(highest)::bigint[])
                            AS w(id, lowest, highest) WHERE w.id = workflow_id AND workflow_version BETWEEN w.lowest AND w.highest)) ORDER BY lease_until LIMIT \(limit))
                UNION ALL
                (SELECT \(unescaped: HookflowSQL.runColumns) FROM hookflow_runs WHERE status = 'pending' AND updated_at < \(before)
                    AND (\(anyWorkflow) OR EXISTS (SELECT 1 FROM unnest(\(ids)::text[], \(lowest)::bigint[], \(highest)::bigint[])
                            AS w(id, lowest, highest) WHERE w.id = workflow_id AND workflow_version BETWEEN w.lowest AND w.highest)) ORDER BY created_at LIMIT \(limit))
                LIMIT \(limit)
                """, on: connection)
        }
    }

    public func nextWakeTime(after date: Date) async throws -> Date? {
        try await operation { [self] connection in
            for try await next in try await connection.query("""
                SELECT LEAST(
                    (SELECT MIN(wake_at) FROM hookflow_runs WHERE status = 'sleeping' AND wake_at > \(date)),
                    (SELECT MIN(lease_until) FROM hookflow_runs WHERE status = 'running' AND lease_until > \(date)))
                """, logger: logger).decode(Date?.self)
            {
                return next
            }
            return nil
        }
    }

    public func run(_ runID: WorkflowRunID) async throws -> RunRecord? {
        try await operation { [self] connection in
            try await runs("SELECT \(unescaped: HookflowSQL.runColumns) FROM hookflow_runs WHERE id = \(runID.rawValue)", on: connection).first
        }
    }


    /// `workflows` as the claim filter's parameters: any workflow, or the ids with their lowest and
    /// highest versions.
    static func claimable(_ workflows: ClaimableWorkflows?) -> (Bool, [String], [Int], [Int]) {
        let rows = workflows?.rows ?? []
        return (workflows == nil, rows.map(\.id), rows.map(\.lowest), rows.map(\.highest))
    }
}
