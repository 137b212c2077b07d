import FluentKit
import SQLKit

/// Lets a page of a run's steps start at its position and read no step before it, however
/// long the run (the (run_id, step_id) key finds a run's steps, but not in order). Each step's
/// first write pays for one more index entry; its later writes do not change the columns.
/// ``DropHookflowStepOrderIndex`` drops it again: that entry cost more than the sort it saves.
public struct AddHookflowStepOrderIndex: AsyncMigration {
    public init() {}

    public var name: String { "Hookflow.AddHookflowStepOrderIndex" }

    public func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "hookflow_steps_run_id_sequence").on(StepExecution.schema)
            .column("run_id").column("sequence").run()
    }

    public func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "hookflow_steps_run_id_sequence").run()
    }
}
