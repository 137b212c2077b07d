import FluentKit
import SQLKit

/// Links a child run to the run that started it (`parent_run_id`), notes whether it is cancelled
/// with that run (`cancel_with_parent`), links a run to the one it continues (`continued_from`), and indexes the link so that a run's children are
/// listed, newest first, without reading other runs.
public struct AddHookflowChildRuns: AsyncMigration {
    public init() {}

    public var name: String { "Hookflow.AddHookflowChildRuns" }

    public func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("ALTER TABLE hookflow_runs ADD COLUMN parent_run_id TEXT").run()
        try await sql.raw("ALTER TABLE hookflow_runs ADD COLUMN cancel_with_parent BOOLEAN NOT NULL DEFAULT FALSE").run()
        try await sql.raw("ALTER TABLE hookflow_runs ADD COLUMN continued_from TEXT").run()
        try await sql.raw("""
            CREATE INDEX hookflow_runs_parent ON hookflow_runs (parent_run_id, created_at, id)
            WHERE parent_run_id IS NOT NULL
            """).run()
    }

    public func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "hookflow_runs_parent").run()
        try await database.schema(WorkflowRun.schema).deleteField("continued_from").deleteField("cancel_with_parent")
            .deleteField("parent_run_id").update()
    }
}
