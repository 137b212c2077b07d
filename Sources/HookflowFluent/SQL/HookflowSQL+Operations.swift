import Foundation
import Hookflow

/// The statements of operators' work (dead letters, forks, clean-up), shared like ``HookflowSQL``'s.
extension HookflowSQL {
    /// Dead letters, newest first: filters and the cursor, one row more than `limit`.
    static func listDeadLetters(
        _ filter: DeadLetterFilter, after cursor: ListCursor?, limit: Int, dialect: SQLDialect
    ) -> (sql: String, arguments: [SQLArgument]) {
        var statement = SQLStatement(dialect)
        var conditions: [String] = []
        if let workflowID = filter.workflowID { conditions.append("workflow_id = \(statement.bind(.text(workflowID)))") }
        if let runID = filter.runID { conditions.append("run_id = \(statement.bind(.text(runID.rawValue)))") }
        if let replayed = filter.replayed { conditions.append("replayed_at IS \(replayed ? "NOT NULL" : "NULL")") }
        if let cursor {
            // An id that is no UUID names no entry: the cursor's time alone then decides.
            let key = UUID(uuidString: cursor.id) ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
            conditions.append(statement.after(cursor, table: "hookflow_dead_letters", key: .uuid(key)))
        }
        let limit = statement.bind(.integer(limit + 1))
        let sql = statement.newestFirst(deadLetterColumns, from: "hookflow_dead_letters", where: conditions, limit: limit)
        return (sql, statement.arguments)
    }

    /// One dead letter. Parameter: id.
    static func deadLetter(_ dialect: SQLDialect) -> String {
        "SELECT \(deadLetterColumns) FROM hookflow_dead_letters WHERE id = \(dialect.parameter(1))"
    }

    /// Deletes one dead letter. Parameter: id.
    static func deleteDeadLetter(_ dialect: SQLDialect) -> String {
        "DELETE FROM hookflow_dead_letters WHERE id = \(dialect.parameter(1)) RETURNING id"
    }

    /// Inserts a fork of a run. Parameters: new run id, now, source run id.
    static func insertFork(_ dialect: SQLDialect) -> String {
        let p = dialect.parameter
        return """
            INSERT INTO hookflow_runs (id, workflow_id, status, data, created_at, updated_at, queue_at)
            SELECT \(p(1)), workflow_id, 'pending', data, \(p(2)), \(p(2)), \(p(2)) FROM hookflow_runs WHERE id = \(p(3))
            ON CONFLICT (id) DO NOTHING
            RETURNING \(runColumns)
            """
    }

    /// The oldest runs that finished before a time: one walk per finished status along the
    /// (status, created_at) index (a run finished before then was created before then), merged.
    /// Parameters: before, limit.
    static func expiredRuns(_ dialect: SQLDialect) -> String {
        let before = dialect.parameter(1)
        let limit = dialect.parameter(2)
        let branches = ["completed", "failed", "cancelled"].map { status in
            """
            SELECT * FROM (SELECT id, created_at FROM hookflow_runs
                WHERE status = '\(status)' AND created_at < \(before) AND completed_at < \(before)
                ORDER BY created_at LIMIT \(limit)\(dialect.skippingLocked)) AS \(status)
            """
        }
        return "SELECT id FROM (\(branches.joined(separator: " UNION ALL "))) AS expired ORDER BY created_at LIMIT \(limit)"
    }

    /// Deletes what belongs to a list of runs from `table` (keyed by `run_id`), or the runs
    /// themselves from `hookflow_runs`; returns a row per deleted dead letter. Parameter: the run ids.
    static func deleteOfRuns(_ table: String, _ dialect: SQLDialect) -> String {
        "DELETE FROM \(table) WHERE \(dialect.contains(dialect.parameter(1), table == "hookflow_runs" ? "id" : "run_id"))"
            + (table == "hookflow_dead_letters" ? " RETURNING run_id" : "")
    }

    /// Deletes the oldest dead letters created before a time. Parameters: before, limit.
    static func deleteExpiredDeadLetters(_ dialect: SQLDialect) -> String {
        """
        DELETE FROM hookflow_dead_letters WHERE id IN (
            SELECT id FROM hookflow_dead_letters WHERE created_at < \(dialect.parameter(1))
            ORDER BY created_at LIMIT \(dialect.parameter(2)))
        RETURNING id
        """
    }

    /// The retries of the steps last written since a time (along ``AddHookflowRetriedStepsIndex``).
    /// Parameter: since.
    static func countStepRetries(_ dialect: SQLDialect) -> String {
        "SELECT CAST(COALESCE(SUM(attempts - 1), 0) AS BIGINT) FROM hookflow_steps WHERE attempts > 1 AND executed_at >= \(dialect.parameter(1))"
    }

    /// Runs finished and dead letters created before a time. Parameter: before.
    static func countExpired(_ dialect: SQLDialect) -> String {
        let before = dialect.parameter(1)
        return """
            SELECT (SELECT COUNT(*) FROM hookflow_runs
                    WHERE status IN ('completed', 'failed', 'cancelled') AND created_at < \(before) AND completed_at < \(before)),
                (SELECT COUNT(*) FROM hookflow_dead_letters WHERE created_at < \(before))
            """
    }

    /// Cancels a run not executing at once, or notes the request on one that is (running, its
    /// lease not expired, or pending after it was handed back to deliver its cancellation), in
    /// one statement; nothing for a finished run. With `hand over` a run not executing is not
    /// cancelled but made pending with the request noted, so that an invocation delivers it (a
    /// workflow with a failure handler). Returns the run (still `running` or `pending` when only
    /// the request was noted). Parameters: run id, now, reason, hand over.
    static func cancelRun(_ dialect: SQLDialect) -> String {
        let p = dialect.parameter
        let executing = "((status = 'running' AND lease_until >= \(p(2))) OR (status = 'pending' AND cancel_requested_at IS NOT NULL))"
        // A queued run has not started: cancelled at once, with nothing for a failure handler to undo.
        let noted = "(\(executing) OR (\(p(4)) AND status <> 'queued'))"
        func unlessNoted(_ column: String, _ value: String) -> String {
            "\(column) = CASE WHEN \(noted) THEN \(column) ELSE \(value) END"
        }
        func unlessExecuting(_ column: String, _ value: String) -> String {
            "\(column) = CASE WHEN \(executing) THEN \(column) ELSE \(value) END"
        }
        return """
            UPDATE hookflow_runs SET
                cancel_requested_at = CASE WHEN \(noted) THEN COALESCE(cancel_requested_at, \(p(2))) ELSE cancel_requested_at END,
                status = CASE WHEN \(executing) THEN status WHEN \(noted) THEN 'pending' ELSE 'cancelled' END,
                \(unlessNoted("error_message", p(3))), \(unlessNoted("completed_at", p(2))), \(unlessExecuting("wake_at", "NULL")),
                \(unlessExecuting("lease_owner", "NULL")), \(unlessExecuting("lease_until", "NULL")),
                \(unlessExecuting("unfinished_invocations", "0")), updated_at = \(p(2))
            WHERE id = \(p(1)) AND status IN ('pending', 'queued', 'running', 'sleeping')
            RETURNING \(runColumns)
            """
    }
}
