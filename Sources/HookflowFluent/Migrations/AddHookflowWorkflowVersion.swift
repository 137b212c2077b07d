import FluentKit
import SQLKit

/// Stamps each run with the version of its workflow's code that created it (``Workflow/version``),
/// so that an instance claims only the runs its code replays.
public struct AddHookflowWorkflowVersion: AsyncMigration {
    public init() {}

    public var name: String { "Hookflow.AddHookflowWorkflowVersion" }

    public func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("ALTER TABLE hookflow_runs ADD COLUMN workflow_version INTEGER NOT NULL DEFAULT 1").run()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(WorkflowRun.schema).deleteField("workflow_version").update()
    }
}
