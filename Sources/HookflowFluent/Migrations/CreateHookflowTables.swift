import FluentKit
import SQLKit

/// Creates the runs, steps and dead letter tables and the indexes the engine's queries use.
public struct CreateHookflowTables: AsyncMigration {
    public init() {}

    public var name: String { "Hookflow.CreateHookflowTables" }

    public func prepare(on database: any Database) async throws {
        try await database.schema(WorkflowRun.schema)
            .field("id", .string, .identifier(auto: false))
            .field("workflow_id", .string, .required)
            .field("status", .string, .required)
            .field("data", .string, .required)
            .field("result", .string)
            .field("error_message", .string)
            .field("wake_at", .datetime)
            .field("lease_owner", .string)
            .field("lease_until", .datetime)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("completed_at", .datetime)
            .create()
        try await database.schema(StepExecution.schema)
            .id()
            .field("run_id", .string, .required, .references(WorkflowRun.schema, "id", onDelete: .cascade))
            .field("step_id", .string, .required)
            .field("kind", .string, .required)
            .field("status", .string, .required)
            .field("result", .string)
            .field("error_message", .string)
            .field("attempts", .int, .required)
            .field("sequence", .int, .required)
            .field("wake_at", .datetime)
            .field("executed_at", .datetime, .required)
            .unique(on: "run_id", "step_id")
            .create()
        try await database.schema(DeadLetterEntry.schema)
            .id()
            .field("run_id", .string, .required)
            .field("workflow_id", .string, .required)
            .field("step_id", .string)
            .field("data", .string, .required)
            .field("error_message", .string, .required)
            .field("created_at", .datetime, .required)
            .field("replayed_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "hookflow_runs_status_wake_at").on(WorkflowRun.schema)
            .column("status").column("wake_at").run()
        try await sql.create(index: "hookflow_runs_status_lease_until").on(WorkflowRun.schema)
            .column("status").column("lease_until").run()
        try await sql.create(index: "hookflow_dead_letters_run_id").on(DeadLetterEntry.schema)
            .column("run_id").run()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(DeadLetterEntry.schema).delete()
        try await database.schema(StepExecution.schema).delete()
        try await database.schema(WorkflowRun.schema).delete()
    }
}
