import FluentKit
import SQLKit

/// Keeps schedules (`hookflow_schedules`: each one's definition, next fire time, last run and the
/// lease of the instance firing it) and stamps each run a tick started with its schedule and tick,
/// indexed so that a schedule's runs are listed, newest first, without reading other runs.
public struct AddHookflowSchedules: AsyncMigration {
    public init() {}

    public var name: String { "Hookflow.AddHookflowSchedules" }

    public func prepare(on database: any Database) async throws {
        try await database.schema("hookflow_schedules")
            .field("name", .string, .identifier(auto: false))
            .field("spec", .string, .required)
            .field("workflow_id", .string, .required)
            .field("data", .string, .required)
            .field("missed_ticks", .string, .required)
            .field("overlap", .string, .required)
            .field("grace_seconds", .double, .required)
            .field("paused", .int, .required)
            .field("next_fire_at", .datetime, .required)
            .field("last_run_id", .string)
            .field("lease_owner", .string)
            .field("lease_until", .datetime)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema(WorkflowRun.schema).field("schedule_name", .string).update()
        try await database.schema(WorkflowRun.schema).field("scheduled_for", .datetime).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("""
            CREATE INDEX hookflow_runs_schedule ON hookflow_runs (schedule_name, created_at, id)
            WHERE schedule_name IS NOT NULL
            """).run()
    }

    public func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "hookflow_runs_schedule").run()
        try await database.schema(WorkflowRun.schema).deleteField("scheduled_for").deleteField("schedule_name").update()
        try await database.schema("hookflow_schedules").delete()
    }
}
