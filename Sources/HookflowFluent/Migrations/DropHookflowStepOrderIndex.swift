import FluentKit
import SQLKit

/// Drops the (run_id, sequence) index of ``AddHookflowStepOrderIndex``. Each step's first write
/// put an entry into it, in a leaf of its own run: on SQLite a page more in the WAL per step,
/// which concurrent runs cannot share (a third of the pages of a batch of checkpoints). The
/// (run_id, step_id) key finds a run's steps as well; a page of them is sorted by position from
/// those, holding no more rows than the page.
public struct DropHookflowStepOrderIndex: AsyncMigration {
    public init() {}

    public var name: String { "Hookflow.DropHookflowStepOrderIndex" }

    public func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "hookflow_steps_run_id_sequence").run()
    }

    public func revert(on database: any Database) async throws {
        try await AddHookflowStepOrderIndex().prepare(on: database)
    }
}
