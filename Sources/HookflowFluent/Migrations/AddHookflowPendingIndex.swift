import FluentKit
import SQLKit

/// Lets a claim take the oldest pending run without sorting them all.
public struct AddHookflowPendingIndex: AsyncMigration {
    public init() {}

    public var name: String { "Hookflow.AddHookflowPendingIndex" }

    public func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "hookflow_runs_status_created_at").on(WorkflowRun.schema)
            .column("status").column("created_at").run()
    }

    public func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "hookflow_runs_status_created_at").run()
    }
}
