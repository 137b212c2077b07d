import Foundation
import Hookflow

extension SQLiteWorkflowStore {
    public func runCounts(now: Date) async throws -> RunCounts? {
        try await writer.read { db in
            let row = try db.query("""
                SELECT COALESCE(SUM(CASE WHEN status = 'pending' OR (status = 'sleeping' AND wake_at <= ?1) THEN 1 END), 0),
                    COALESCE(SUM(CASE WHEN status = 'sleeping' AND wake_at > ?1 THEN 1 END), 0)
                FROM hookflow_runs WHERE status IN ('pending', 'sleeping')
                """, [SQLiteValue(now)]).first
            return RunCounts(runnable: row?[0].integer ?? 0, sleeping: row?[1].integer ?? 0)
        }
    }
}
