import Foundation
import Hookflow

/// Listings and counts, for operators and the gauges.
extension SQLiteWorkflowStore {
    public func runCounts(now: Date) async throws -> RunCounts? {
        try await writer.read { db in
            let row = try db.query(HookflowSQL.runCounts(.sqlite), [SQLiteValue(now)]).first
            return RunCounts(runnable: row?[0].integer ?? 0, sleeping: row?[1].integer ?? 0)
        }
    }

    public func listRuns(_ filter: RunFilter, after cursor: ListCursor?, limit: Int) async throws -> RunPage {
        let listing = RunListing(filter, after: cursor, limit: limit, dialect: .sqlite)
        let rows = try await writer.read { db in
            try db.query(listing.sql, listing.arguments.map(SQLiteValue.init)).map(Self.runRecord)
        }
        return RunListing.page(rows, limit: limit)
    }

    public func countRunsByStatus() async throws -> [String: [RunStatus: Int]] {
        try await writer.read { db in
            var counts: [String: [RunStatus: Int]] = [:]
            for row in try db.query(HookflowSQL.countRunsByStatus, []) {
                let workflowID = try Self.required(row[0].text, "workflow_id")
                let status = try Self.required(row[1].text.flatMap(RunStatus.init(rawValue:)), "status", row[1])
                counts[workflowID, default: [:]][status] = row[2].integer ?? 0
            }
            return counts
        }
    }
}
