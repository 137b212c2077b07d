import Foundation
import Hookflow

/// A value bound to a statement, before a store turns it into its own kind of parameter.
enum SQLArgument {
    case text(String)
    case date(Date)
    case integer(Int)
}

/// The run listing's statement, the same in both databases: filters, the cursor and the
/// order (newest first, then by id, along the indexes of ``AddHookflowRunListIndexes``).
struct RunListing {
    let sql: String
    let arguments: [SQLArgument]

    /// Selects one row more than `limit`, to tell whether there is a next page.
    init(_ filter: RunFilter, after cursor: RunCursor?, limit: Int, dialect: SQLDialect) {
        var conditions: [String] = []
        var arguments: [SQLArgument] = []
        func bind(_ argument: SQLArgument) -> String {
            arguments.append(argument)
            return dialect.parameter(arguments.count)
        }
        if let workflowID = filter.workflowID { conditions.append("workflow_id = \(bind(.text(workflowID)))") }
        if !filter.statuses.isEmpty {
            let statuses = filter.statuses.map(\.rawValue).sorted().map { bind(.text($0)) }
            conditions.append("status IN (\(statuses.joined(separator: ", ")))")
        }
        if let since = filter.createdSince { conditions.append("created_at >= \(bind(.date(since)))") }
        if let until = filter.createdUntil { conditions.append("created_at < \(bind(.date(until)))") }
        if let since = filter.updatedSince { conditions.append("updated_at >= \(bind(.date(since)))") }
        if let until = filter.updatedUntil { conditions.append("updated_at < \(bind(.date(until)))") }
        if let prefix = filter.runIDPrefix {
            let parameter = bind(.text(prefix))
            conditions.append("substr(id, 1, length(\(parameter))) = \(parameter)")
        }
        if let cursor {
            // The stored time of the cursor's run when it is still there, so the next page starts exactly after it.
            let runID = bind(.text(cursor.runID.rawValue))
            let createdAt = bind(.date(cursor.createdAt))
            conditions.append(
                "(created_at, id) < (COALESCE((SELECT created_at FROM hookflow_runs WHERE id = \(runID)), \(createdAt)), \(runID))")
        }
        let limit = bind(.integer(limit + 1))
        sql = """
            SELECT \(HookflowSQL.runColumns) FROM hookflow_runs
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY created_at DESC, id DESC LIMIT \(limit)
            """
        self.arguments = arguments
    }

    /// The page of `rows` (up to `limit` + 1, as selected).
    static func page(_ rows: [RunRecord], limit: Int) -> RunPage {
        let runs = Array(rows.prefix(limit))
        return RunPage(runs: runs, next: rows.count > limit ? runs.last.map(RunCursor.init(after:)) : nil)
    }
}

extension HookflowSQL {
    /// Runs by workflow and status.
    static let countRunsByStatus = "SELECT workflow_id, status, COUNT(*) FROM hookflow_runs GROUP BY workflow_id, status"
}
