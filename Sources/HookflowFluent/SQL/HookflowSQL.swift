import Hookflow

/// The statements that SQLite and PostgreSQL share, written once. Each documents its
/// parameters in order; the stores bind them, each in its own way.
enum HookflowSQL {
    /// A run, in the order both stores decode it.
    static let runColumns =
        "id, workflow_id, status, data, result, error_message, wake_at, created_at, completed_at, lease_until, "
        + "unfinished_invocations, last_invocation_error, trace_context, updated_at, cancel_requested_at, parent_run_id, "
        + "cancel_with_parent, continued_from, workflow_version, schedule_name, scheduled_for, "
        + "concurrency_key, concurrency_limit, workflow_limit, priority, history_version"

    /// A step, in the order both stores decode it.
    static let stepColumns = "step_id, kind, status, result, error_message, attempts, sequence, wake_at, executed_at, event_key, started_at"

    /// A dead letter, in the order both stores decode it.
    static let deadLetterColumns = "id, run_id, workflow_id, step_id, data, error_message, created_at, replayed_at"

    /// A step written again keeps its kind and position; the rest is the latest attempt's.
    static let stepConflict = """
        ON CONFLICT (run_id, step_id) DO UPDATE SET status = excluded.status, result = excluded.result,
            error_message = excluded.error_message, attempts = excluded.attempts, wake_at = excluded.wake_at,
            executed_at = excluded.executed_at, event_key = excluded.event_key, started_at = excluded.started_at
        """

    /// Writes a step. Parameters: id, run id, step id, kind, status, result, error message,
    /// attempts, sequence, wake time, executed at, event key, started at.
    static func upsertStep(_ dialect: SQLDialect) -> String {
        """
        INSERT INTO hookflow_steps (id, run_id, step_id, kind, status, result, error_message, attempts,
            sequence, wake_at, executed_at, event_key, started_at)
        VALUES (\((1...13).map(dialect.parameter).joined(separator: ", ")))
        \(stepConflict)
        """
    }

    /// A run's steps in execution order. Parameter: run id.
    static func steps(_ dialect: SQLDialect) -> String {
        "SELECT \(stepColumns) FROM hookflow_steps WHERE run_id = \(dialect.parameter(1)) ORDER BY sequence"
    }

    /// A page of a run's steps in execution order: after a position when given, at most `limit`.
    /// The run's steps are found by their (run_id, step_id) key and sorted, keeping `limit` rows.
    static func stepPage(
        of runID: WorkflowRunID, afterSequence: Int?, limit: Int, dialect: SQLDialect
    ) -> (sql: String, arguments: [SQLArgument]) {
        var statement = SQLStatement(dialect)
        var conditions = ["run_id = \(statement.bind(.text(runID.rawValue)))"]
        if let afterSequence { conditions.append("sequence > \(statement.bind(.integer(afterSequence)))") }
        let limit = statement.bind(.integer(limit))
        let sql = "SELECT \(stepColumns) FROM hookflow_steps WHERE \(conditions.joined(separator: " AND ")) ORDER BY sequence LIMIT \(limit)"
        return (sql, statement.arguments)
    }

    /// Leases a runnable run. Parameters: run id, owner, lease until, now, waking by.
    static func claimRun(_ dialect: SQLDialect) -> String {
        let p = dialect.parameter
        return """
            UPDATE hookflow_runs SET status = 'running', lease_owner = \(p(2)), lease_until = \(p(3)), updated_at = \(p(4)),
                unfinished_invocations = unfinished_invocations + 1, history_version = history_version + 1
            WHERE id = \(p(1)) AND (status = 'pending' OR (status = 'sleeping' AND wake_at <= \(p(5)))
                OR (status = 'running' AND lease_until < \(p(4))))
            RETURNING \(runColumns)
            """
    }

    /// Notes why an invocation could not write and holds the run until its retry.
    /// Parameters: run id, owner, error, retry at.
    static func recordInvocationFailure(_ dialect: SQLDialect) -> String {
        let p = dialect.parameter
        return """
            UPDATE hookflow_runs SET last_invocation_error = \(p(3)), lease_until = \(p(4))
            WHERE id = \(p(1)) AND lease_owner = \(p(2)) AND status = 'running'
            """
    }

    /// Runnable and sleeping runs. Parameter: now.
    static func runCounts(_ dialect: SQLDialect) -> String {
        let now = dialect.parameter(1)
        return """
            SELECT COALESCE(SUM(CASE WHEN status = 'pending' OR (status = 'sleeping' AND wake_at <= \(now)) THEN 1 END), 0),
                COALESCE(SUM(CASE WHEN status = 'sleeping' AND wake_at > \(now) THEN 1 END), 0)
            FROM hookflow_runs WHERE status IN ('pending', 'sleeping')
            """
    }

    // MARK: Events

    /// Records an event. Parameters: id, key, payload, created at.
    static func insertEvent(_ dialect: SQLDialect) -> String {
        "INSERT INTO hookflow_events (id, key, payload, created_at) VALUES (\((1...4).map(dialect.parameter).joined(separator: ", ")))"
    }

    /// Forgets events past their retention. Parameter: the oldest delivery time kept.
    static func deleteExpiredEvents(_ dialect: SQLDialect) -> String {
        "DELETE FROM hookflow_events WHERE created_at < \(dialect.parameter(1))"
    }

    /// The latest event under a key. Parameters: key, the oldest delivery time kept.
    static func latestEvent(_ dialect: SQLDialect) -> String {
        """
        SELECT payload FROM hookflow_events WHERE key = \(dialect.parameter(1)) AND created_at >= \(dialect.parameter(2))
        ORDER BY created_at DESC LIMIT 1
        """
    }

    /// Creates a run pending (or asleep until its start, when it has one), unless its id exists.
    /// Parameters: id, workflow id, input, now, trace context, parent run id, cancelled with its
    /// parent, continued from, workflow version, start (its wake time), status (`pending`, or
    /// `sleeping` with a start, or `queued` with a limit), schedule name, scheduled for (the tick that
    /// started it), concurrency key, its limit, the workflow's limit, priority, queue time.
    static func insertRun(_ dialect: SQLDialect) -> String {
        let p = dialect.parameter
        return """
        INSERT INTO hookflow_runs (id, workflow_id, status, data, created_at, updated_at, trace_context, parent_run_id,
            cancel_with_parent, continued_from, workflow_version, wake_at, schedule_name, scheduled_for, concurrency_key,
            concurrency_limit, workflow_limit, priority, queue_at)
        VALUES (\(p(1)), \(p(2)), \(p(11)), \(p(3)), \(p(4)), \(p(4)), \(p(5)), \(p(6)), \(p(7)), \(p(8)), \(p(9)), \(p(10)),
            \(p(12)), \(p(13)), \(p(14)), \(p(15)), \(p(16)), \(p(17)), \(p(18)))
        ON CONFLICT (id) DO NOTHING
        """
    }

    /// Fences a checkpoint written in the app's transaction by the run's lease, and extends it
    /// (never backwards); returns the run's id when the lease holds. Parameters: run id, owner,
    /// lease until, now.
    static func fence(_ dialect: SQLDialect) -> String {
        let p = dialect.parameter
        return """
            UPDATE hookflow_runs SET lease_until = CASE WHEN lease_until > \(p(3)) THEN lease_until ELSE \(p(3)) END,
                updated_at = \(p(4)), unfinished_invocations = 1
            WHERE id = \(p(1)) AND lease_owner = \(p(2)) AND status = 'running'
            RETURNING id
            """
    }

    /// Makes due every sleeping run waiting for a key. Parameters: key, now.
    static func wakeWaiters(_ dialect: SQLDialect) -> String {
        """
        UPDATE hookflow_runs SET wake_at = \(dialect.parameter(2)), updated_at = \(dialect.parameter(2))
        WHERE status = 'sleeping' AND id IN (
            SELECT run_id FROM hookflow_steps WHERE event_key = \(dialect.parameter(1)) AND status = 'waiting')
        RETURNING \(runColumns)
        """
    }

    // MARK: Dead letters

    /// Reopens a failed run as pending, its lease and error cleared. Parameters: run id, now.
    static func reopenRun(_ dialect: SQLDialect) -> String {
        """
        UPDATE hookflow_runs SET status = 'pending', error_message = NULL, completed_at = NULL, wake_at = NULL,
            lease_owner = NULL, lease_until = NULL, updated_at = \(dialect.parameter(2)), unfinished_invocations = 0,
            last_invocation_error = NULL, cancel_requested_at = NULL, history_version = history_version + 1
        WHERE id = \(dialect.parameter(1)) AND status = 'failed'
        RETURNING \(runColumns)
        """
    }

    /// Gives a reopened run's failed step a fresh set of attempts. Parameters: run id, step id.
    static func reopenStep(_ dialect: SQLDialect) -> String {
        """
        UPDATE hookflow_steps SET status = 'retrying', attempts = 0
        WHERE run_id = \(dialect.parameter(1)) AND step_id = \(dialect.parameter(2)) AND status = 'failed'
        """
    }

    /// Marks a dead letter replayed. Parameters: now, id.
    static func markReplayed(_ dialect: SQLDialect) -> String {
        "UPDATE hookflow_dead_letters SET replayed_at = \(dialect.parameter(1)) WHERE id = \(dialect.parameter(2))"
    }
}
