import FluentKit
import SQLKit

/// On PostgreSQL, drops the foreign key from a step to its run: its check, a trigger per
/// inserted step that looks the run up again and locks its row, was half of what the server
/// spent on a batch of checkpoints, whose fence has just locked that same row. Every write of a
/// step is fenced by its run's row, and runs are deleted with their steps in one transaction,
/// so no step outlives its run. SQLite keeps the key: its check is a lookup in pages the fence
/// has just read.
public struct DropHookflowStepRunForeignKey: AsyncMigration {
    public init() {}

    public var name: String { "Hookflow.DropHookflowStepRunForeignKey" }

    public func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("ALTER TABLE hookflow_steps DROP CONSTRAINT IF EXISTS hookflow_steps_run_id_fkey").run()
    }

    public func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("""
            ALTER TABLE hookflow_steps ADD CONSTRAINT hookflow_steps_run_id_fkey
            FOREIGN KEY (run_id) REFERENCES hookflow_runs (id) ON DELETE CASCADE
            """).run()
    }
}
