import FluentKit
import SQLKit

/// Counts the writes of each run's steps (``RunRecord/historyVersion``), so that an engine that
/// kept a run's history in memory knows whether it is still the whole history.
public struct AddHookflowHistoryVersion: AsyncMigration {
    public init() {}

    public var name: String { "Hookflow.AddHookflowHistoryVersion" }

    public func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("ALTER TABLE hookflow_runs ADD COLUMN history_version BIGINT NOT NULL DEFAULT 0").run()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(WorkflowRun.schema).deleteField("history_version").update()
    }
}
