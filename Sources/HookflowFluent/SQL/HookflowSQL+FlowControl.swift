import Foundation
import Hookflow

/// Concurrency admission, the same in both databases.
extension HookflowSQL {
    /// A scope that runs share a concurrency limit in.
    enum AdmissionScope {
        case key(String)
        case workflow(String)

        /// The name PostgreSQL locks the scope's admissions by.
        var lockName: String {
            switch self {
            case .key(let key): "hookflow:key:\(key)"
            case .workflow(let workflow): "hookflow:workflow:\(workflow)"
            }
        }

        /// The scopes a run counts against.
        static func of(concurrencyKey: String?, workflowID: String, workflowLimit: Int?) -> [AdmissionScope] {
            (concurrencyKey.map { [.key($0)] } ?? []) + (workflowLimit == nil ? [] : [.workflow(workflowID)])
        }
    }

    /// The runs that hold a slot: admitted and unfinished.
    static let holding = "status IN ('pending', 'running', 'sleeping')"

    /// Whether a new run with `flow` of `workflowID` finds a free slot in each of its scopes:
    /// one row, 1 when it does.
    static func slotFree(_ flow: RunFlow, workflowID: String, dialect: SQLDialect) -> SQLStatement {
        var statement = SQLStatement(dialect)
        var conditions: [String] = []
        if let key = flow.concurrencyKey, let limit = flow.keyLimit {
            let key = statement.bind(.text(key))
            conditions.append(
                "(SELECT COUNT(*) FROM hookflow_runs WHERE concurrency_key = \(key) AND \(holding)) < \(statement.bind(.integer(limit)))")
        }
        if let limit = flow.workflowLimit {
            let workflow = statement.bind(.text(workflowID))
            conditions.append(
                "(SELECT COUNT(*) FROM hookflow_runs WHERE workflow_id = \(workflow) AND \(holding)) < \(statement.bind(.integer(limit)))")
        }
        statement.sql = "SELECT CASE WHEN \(conditions.isEmpty ? "1 = 1" : conditions.joined(separator: " AND ")) THEN 1 ELSE 0 END"
        return statement
    }

    /// Admits the first queued run of `workflowID` in line whose key and workflow both have a free
    /// slot, passing runs whose key is full: pending, or asleep until its start when that is still to
    /// come. Returns its id when it admitted one. (A key admits in a few statements: ``queuedOfKey(_:limit:dialect:)``.)
    static func admitNext(workflow workflowID: String, now: Date, dialect: SQLDialect) -> SQLStatement {
        var statement = SQLStatement(dialect)
        let now = statement.bind(.date(now))
        let workflow = statement.bind(.text(workflowID))
        // CASE, not OR: a count is made only for a limit the run has.
        statement.sql = """
            UPDATE hookflow_runs SET status = CASE WHEN wake_at IS NOT NULL AND wake_at > \(now) THEN 'sleeping' ELSE 'pending' END,
                updated_at = \(now)
            WHERE status = 'queued' AND id = (
                SELECT q.id FROM hookflow_runs q
                WHERE q.status = 'queued' AND q.workflow_id = \(workflow) AND q.workflow_limit IS NOT NULL
                    AND CASE WHEN q.concurrency_key IS NULL THEN 1 WHEN (SELECT COUNT(*) FROM hookflow_runs h
                        WHERE h.concurrency_key = q.concurrency_key AND h.\(holding)) < q.concurrency_limit THEN 1 ELSE 0 END = 1
                    AND (SELECT COUNT(*) FROM hookflow_runs h WHERE h.workflow_id = q.workflow_id AND h.\(holding)) < q.workflow_limit
                ORDER BY q.queue_at, q.id LIMIT 1)
            RETURNING id
            """
        return statement
    }
}

extension HookflowSQL {
    /// Takes the next start of a rate scope: the later of now and the scope's next free start, which
    /// moves one spacing on. Returns the start taken.
    static func takeRateSlot(_ scope: RateScope, now: Date, dialect: SQLDialect) -> SQLStatement {
        var statement = SQLStatement(dialect)
        let name = statement.bind(.text(scope.name))
        let now = statement.bind(.date(now))
        let spacing = statement.bind(.double(scope.limit.spacing))
        switch dialect {
        case .sqlite:
            statement.sql = """
                INSERT INTO hookflow_rate_limits (scope, next_start) VALUES (\(name), \(now) + \(spacing))
                ON CONFLICT (scope) DO UPDATE SET next_start = MAX(hookflow_rate_limits.next_start, \(now)) + \(spacing)
                RETURNING next_start - \(spacing)
                """
        case .postgres:
            let step = "make_interval(secs => \(spacing))"
            statement.sql = """
                INSERT INTO hookflow_rate_limits (scope, next_start) VALUES (\(name), \(now) + \(step))
                ON CONFLICT (scope) DO UPDATE SET next_start = GREATEST(hookflow_rate_limits.next_start, \(now)) + \(step)
                RETURNING next_start - \(step)
                """
        }
        return statement
    }
}

extension HookflowSQL {
    /// Gives the run `key` waits to start (asleep or queued, with no step) the latest input and
    /// its new start: when the key is quiet for the window, or its deadline when sooner. Returns
    /// its id and start.
    static func debounce(key: String, input: String, quietAt: Date, now: Date, dialect: SQLDialect) -> SQLStatement {
        var statement = SQLStatement(dialect)
        let key = statement.bind(.text(key))
        let input = statement.bind(.text(input))
        let quiet = statement.bind(.date(quietAt))
        let now = statement.bind(.date(now))
        statement.sql = """
            UPDATE hookflow_runs SET data = \(input), updated_at = \(now),
                wake_at = CASE WHEN debounce_deadline IS NOT NULL AND debounce_deadline < \(quiet) THEN debounce_deadline
                    ELSE \(quiet) END
            WHERE id = (
                SELECT r.id FROM hookflow_runs r WHERE r.debounce_key = \(key) AND r.status IN ('sleeping', 'queued')
                    AND NOT EXISTS (SELECT 1 FROM hookflow_steps s WHERE s.run_id = r.id)
                LIMIT 1)
            RETURNING id, wake_at
            """
        return statement
    }

    /// Marks a run just created as the one `key` waits to start, until `deadline` at the latest.
    static func markDebounced(_ runID: WorkflowRunID, key: String, deadline: Date?, dialect: SQLDialect) -> SQLStatement {
        var statement = SQLStatement(dialect)
        let id = statement.bind(.text(runID.rawValue))
        let key = statement.bind(.text(key))
        let deadline = statement.bind(deadline.map { .date($0) } ?? .null)
        statement.sql = "UPDATE hookflow_runs SET debounce_key = \(key), debounce_deadline = \(deadline) WHERE id = \(id)"
        return statement
    }
}

/// A key's admission in a few cheap statements: count its holders, read its first queued runs in
/// line, admit them one by one while the key (and each run's workflow) has a free slot.
extension HookflowSQL {
    /// The key's runs that hold a slot. One row: the count.
    static func keyHolders(_ key: String, dialect: SQLDialect) -> SQLStatement {
        var statement = SQLStatement(dialect)
        statement.sql = "SELECT COUNT(*) FROM hookflow_runs WHERE concurrency_key = \(statement.bind(.text(key))) AND \(holding)"
        return statement
    }

    /// The workflow's runs that hold a slot. One row: the count.
    static func workflowHolders(_ workflowID: String, dialect: SQLDialect) -> SQLStatement {
        var statement = SQLStatement(dialect)
        statement.sql = "SELECT COUNT(*) FROM hookflow_runs WHERE workflow_id = \(statement.bind(.text(workflowID))) AND \(holding)"
        return statement
    }

    /// The key's first queued runs in line: id, key limit, workflow id, workflow limit.
    static func queuedOfKey(_ key: String, limit: Int, dialect: SQLDialect) -> SQLStatement {
        var statement = SQLStatement(dialect)
        let key = statement.bind(.text(key))
        statement.sql = """
            SELECT id, concurrency_limit, workflow_id, workflow_limit FROM hookflow_runs
            WHERE status = 'queued' AND concurrency_key = \(key) ORDER BY queue_at, id LIMIT \(statement.bind(.integer(limit)))
            """
        return statement
    }

    /// Admits one queued run: pending, or asleep until its start when that is still to come.
    static func admit(_ runID: String, now: Date, dialect: SQLDialect) -> SQLStatement {
        var statement = SQLStatement(dialect)
        let now = statement.bind(.date(now))
        statement.sql = """
            UPDATE hookflow_runs SET status = CASE WHEN wake_at IS NOT NULL AND wake_at > \(now) THEN 'sleeping' ELSE 'pending' END,
                updated_at = \(now)
            WHERE id = \(statement.bind(.text(runID))) AND status = 'queued'
            """
        return statement
    }
}

/// A queued run of a key, as its admission reads it.
struct QueuedRun {
    let id: String
    let keyLimit: Int
    let workflowID: String
    let workflowLimit: Int?

    /// How many of a key's first runs in line an admission reads at most.
    static let batch = 8

    /// The runs of `queued` (in line) to admit, given the key's holders and each workflow's
    /// (`workflowHolders`, asked once per workflow with a limit): while the key has room, and
    /// stopping at the first whose workflow is full (the key's line is kept).
    static func admissible(
        _ queued: [QueuedRun], keyHolders: Int, workflowHolders: (String) throws -> Int
    ) rethrows -> [String] {
        var holders = keyHolders
        var workflows: [String: Int] = [:]
        var admitted: [String] = []
        for run in queued {
            guard holders < run.keyLimit else { break }
            if let limit = run.workflowLimit {
                let count = try workflows[run.workflowID] ?? workflowHolders(run.workflowID)
                guard count < limit else { break }
                workflows[run.workflowID] = count + 1
            }
            holders += 1
            admitted.append(run.id)
        }
        return admitted
    }
}
