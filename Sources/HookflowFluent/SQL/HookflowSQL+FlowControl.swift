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

    /// Admits the first queued run of `scope` in line whose key and workflow both have a free slot:
    /// pending, or asleep until its start when that is still to come. Returns its id when it admitted one.
    static func admitNext(_ scope: AdmissionScope, now: Date, dialect: SQLDialect) -> SQLStatement {
        var statement = SQLStatement(dialect)
        let now = statement.bind(.date(now))
        let inScope: String
        switch scope {
        case .key(let key): inScope = "q.concurrency_key = \(statement.bind(.text(key)))"
        case .workflow(let workflow): inScope = "q.workflow_id = \(statement.bind(.text(workflow))) AND q.workflow_limit IS NOT NULL"
        }
        statement.sql = """
            UPDATE hookflow_runs SET status = CASE WHEN wake_at IS NOT NULL AND wake_at > \(now) THEN 'sleeping' ELSE 'pending' END,
                updated_at = \(now)
            WHERE status = 'queued' AND id = (
                SELECT q.id FROM hookflow_runs q
                WHERE q.status = 'queued' AND \(inScope)
                    AND (q.concurrency_key IS NULL OR (SELECT COUNT(*) FROM hookflow_runs h
                        WHERE h.concurrency_key = q.concurrency_key AND h.\(holding)) < q.concurrency_limit)
                    AND (q.workflow_limit IS NULL OR (SELECT COUNT(*) FROM hookflow_runs h
                        WHERE h.workflow_id = q.workflow_id AND h.\(holding)) < q.workflow_limit)
                ORDER BY q.queue_at, q.id LIMIT 1)
            RETURNING id
            """
        return statement
    }
}
