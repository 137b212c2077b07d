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

    /// Admits a queued run of `scope` whose key and workflow both have a free slot: pending, or
    /// asleep until its start when that is still to come. Returns its id when it admitted one.
    ///
    /// A key admits its first run in line or none (its runs share the key's count); a workflow
    /// admits the first in line whose key has a free slot, passing runs whose key is full.
    static func admitNext(_ scope: AdmissionScope, now: Date, dialect: SQLDialect) -> SQLStatement {
        var statement = SQLStatement(dialect)
        let now = statement.bind(.date(now))
        let keyFree = """
            (q.concurrency_key IS NULL OR (SELECT COUNT(*) FROM hookflow_runs h
                WHERE h.concurrency_key = q.concurrency_key AND h.\(holding)) < q.concurrency_limit)
            """
        let workflowFree = """
            (q.workflow_limit IS NULL OR (SELECT COUNT(*) FROM hookflow_runs h
                WHERE h.workflow_id = q.workflow_id AND h.\(holding)) < q.workflow_limit)
            """
        let candidate: String
        switch scope {
        case .key(let key):
            candidate = """
                SELECT q.id FROM (SELECT * FROM hookflow_runs WHERE status = 'queued' AND concurrency_key = \(statement.bind(.text(key)))
                    ORDER BY queue_at, id LIMIT 1) AS q
                WHERE \(keyFree) AND \(workflowFree)
                """
        case .workflow(let workflow):
            candidate = """
                SELECT q.id FROM hookflow_runs q
                WHERE q.status = 'queued' AND q.workflow_id = \(statement.bind(.text(workflow))) AND q.workflow_limit IS NOT NULL
                    AND \(keyFree) AND \(workflowFree)
                ORDER BY q.queue_at, q.id LIMIT 1
                """
        }
        statement.sql = """
            UPDATE hookflow_runs SET status = CASE WHEN wake_at IS NOT NULL AND wake_at > \(now) THEN 'sleeping' ELSE 'pending' END,
                updated_at = \(now)
            WHERE status = 'queued' AND id = (\(candidate))
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
