import FluentKit
import SQLKit

/// Concurrency limits, rate limits, priorities and debounce: each rate scope's next free start
/// (`hookflow_rate_limits`), each run's concurrency key and limits, its priority, and
/// `queue_at`, its place in line (its creation, moved earlier by its priority), the debounce key a
/// run waits to start under and its deadline, indexed so that a
/// claim takes the next pending run, and an admission the next queued run of a key or a workflow,
/// without sorting.
public struct AddHookflowFlowControl: AsyncMigration {
    public init() {}

    public var name: String { "Hookflow.AddHookflowFlowControl" }

    public func prepare(on database: any Database) async throws {
        try await database.schema("hookflow_rate_limits")
            .field("scope", .string, .identifier(auto: false))
            .field("next_start", .datetime, .required)
            .create()
        try await database.schema(WorkflowRun.schema).field("concurrency_key", .string).update()
        try await database.schema(WorkflowRun.schema).field("concurrency_limit", .int).update()
        try await database.schema(WorkflowRun.schema).field("workflow_limit", .int).update()
        try await database.schema(WorkflowRun.schema).field("queue_at", .datetime).update()
        try await database.schema(WorkflowRun.schema).field("debounce_key", .string).update()
        try await database.schema(WorkflowRun.schema).field("debounce_deadline", .datetime).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("ALTER TABLE hookflow_runs ADD COLUMN priority INTEGER NOT NULL DEFAULT 0").run()
        try await sql.raw("UPDATE hookflow_runs SET queue_at = created_at").run()
        for statement in [
            // The status leads, so that a claim's `status = 'pending' ORDER BY queue_at, id` walks this index.
            "CREATE INDEX hookflow_runs_pending_queue ON hookflow_runs (status, queue_at, id) WHERE status = 'pending'",
            "CREATE INDEX hookflow_runs_concurrency_key ON hookflow_runs (concurrency_key, status) WHERE concurrency_key IS NOT NULL",
            "CREATE INDEX hookflow_runs_queued_key ON hookflow_runs (concurrency_key, queue_at, id) WHERE status = 'queued'",
            "CREATE INDEX hookflow_runs_queued_workflow ON hookflow_runs (workflow_id, queue_at, id) WHERE status = 'queued'",
            "CREATE INDEX hookflow_runs_debounce ON hookflow_runs (debounce_key) WHERE debounce_key IS NOT NULL AND status IN ('sleeping', 'queued')",
        ] {
            try await sql.raw(SQLQueryString(statement)).run()
        }
    }

    public func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in [
            "hookflow_runs_pending_queue", "hookflow_runs_concurrency_key", "hookflow_runs_queued_key", "hookflow_runs_queued_workflow",
            "hookflow_runs_debounce",
        ] {
            try await sql.drop(index: index).run()
        }
        try await database.schema(WorkflowRun.schema).deleteField("debounce_deadline").deleteField("debounce_key")
            .deleteField("queue_at").deleteField("priority").deleteField("workflow_limit")
            .deleteField("concurrency_limit").deleteField("concurrency_key").update()
        try await database.schema("hookflow_rate_limits").delete()
    }
}
