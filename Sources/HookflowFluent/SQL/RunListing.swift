import Foundation
import Hookflow

/// The run listing's statement, the same in both databases: filters, the cursor and the
/// order (newest first, then by id, along the indexes of ``AddHookflowRunListIndexes``).
struct RunListing {
    let sql: String
    let arguments: [SQLArgument]

    /// Selects one row more than `limit`, to tell whether there is a next page. Each status is a
    /// branch of its own (every status when the filter names none), each walking a (status, time)
    /// or (workflow, status, time) index in order, merged: no index is kept for the listing alone.
    /// An id prefix reads its range of the id index instead.
    init(_ filter: RunFilter, after cursor: ListCursor?, limit: Int, dialect: SQLDialect) {
        var statement = SQLStatement(dialect)
        var conditions: [String] = []
        if let workflowID = filter.workflowID { conditions.append("workflow_id = \(statement.bind(.text(workflowID)))") }
        if let parent = filter.parentRunID { conditions.append("parent_run_id = \(statement.bind(.text(parent.rawValue)))") }
        if let schedule = filter.schedule { conditions.append("schedule_name = \(statement.bind(.text(schedule)))") }
        if let since = filter.createdSince { conditions.append("created_at >= \(statement.bind(.date(since)))") }
        if let until = filter.createdUntil { conditions.append("created_at < \(statement.bind(.date(until)))") }
        if let since = filter.updatedSince { conditions.append("updated_at >= \(statement.bind(.date(since)))") }
        if let until = filter.updatedUntil { conditions.append("updated_at < \(statement.bind(.date(until)))") }
        if let prefix = filter.runIDPrefix {
            let id = dialect.bytewise("id")
            conditions.append("\(id) >= \(statement.bind(.text(prefix)))")
            if let end = Self.end(ofPrefix: prefix) { conditions.append("\(id) < \(statement.bind(.text(end)))") }
        }
        if let cursor { conditions.append(statement.after(cursor, table: "hookflow_runs", key: .text(cursor.id))) }
        let limit = statement.bind(.integer(limit + 1))
        let statuses = (filter.statuses.isEmpty ? Set(RunStatus.allCases) : filter.statuses).map(\.rawValue).sorted()
        if statuses.count == 1 || filter.runIDPrefix != nil || filter.parentRunID != nil || filter.schedule != nil {
            // An id prefix is one range of the id index, whatever the statuses: the rows it holds are
            // sorted; so are a run's children along their parent's index, and a schedule's runs along its own.
            let status = filter.statuses.isEmpty ? [] : ["status IN (\(statuses.map { statement.bind(.text($0)) }.joined(separator: ", ")))"]
            sql = statement.newestFirst(HookflowSQL.runColumns, from: "hookflow_runs", where: conditions + status, limit: limit)
        } else {
            var branches: [String] = []
            for (index, status) in statuses.enumerated() {
                let branch = conditions + ["status = \(statement.bind(.text(status)))"]
                branches.append("SELECT * FROM (\(statement.newestFirst(HookflowSQL.runColumns, from: "hookflow_runs", where: branch, limit: limit))) AS branch\(index)")
            }
            sql = "SELECT * FROM (\(branches.joined(separator: " UNION ALL "))) AS merged ORDER BY created_at DESC, id DESC LIMIT \(limit)"
        }
        arguments = statement.arguments
    }

    /// The first text after every text that starts with `prefix`, byte by byte: `prefix` with its
    /// last character moved on by one (`nil` when no such character exists).
    static func end(ofPrefix prefix: String) -> String? {
        var scalars = Array(prefix.unicodeScalars)
        while let last = scalars.popLast() {
            var next = last.value + 1
            if next == 0xD800 { next = 0xE000 }
            if let scalar = Unicode.Scalar(next) {
                scalars.append(scalar)
                return String(String.UnicodeScalarView(scalars))
            }
        }
        return nil
    }

    /// The page of `rows` (up to `limit` + 1, as selected).
    static func page(_ rows: [RunRecord], limit: Int) -> RunPage {
        let runs = Array(rows.prefix(limit))
        return RunPage(runs: runs, next: rows.count > limit ? runs.last.map(ListCursor.init(after:)) : nil)
    }
}

extension HookflowSQL {
    /// Runs by workflow and status: finished ones from their tallies (``AddHookflowRunTallies``),
    /// the others, which are few, from the runs.
    static let countRunsByStatus = """
        SELECT workflow_id, status, CAST(SUM(runs) AS BIGINT) FROM hookflow_run_tallies
        GROUP BY workflow_id, status HAVING SUM(runs) <> 0
        UNION ALL
        SELECT workflow_id, status, COUNT(*) FROM hookflow_runs WHERE status IN \(AddHookflowRunTallies.live)
        GROUP BY workflow_id, status
        """
}
