import Foundation
import Hookflow

extension SQLiteWorkflowStore {
    public func runCounts(now: Date) async throws -> RunCounts? {
        try await writer.read { db in
            let row = try db.query(HookflowSQL.runCounts(.sqlite), [SQLiteValue(now)]).first
            return RunCounts(runnable: row?[0].integer ?? 0, sleeping: row?[1].integer ?? 0)
        }
    }
}
