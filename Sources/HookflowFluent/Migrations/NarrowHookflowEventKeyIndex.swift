import FluentKit
import SQLKit

/// Keeps only the steps that wait for an event in the index of event keys: every other step
/// (nearly all of them) has none, and indexed each checkpoint once more for nothing (a page of
/// the WAL on SQLite). The lookups by key still use it: a key compared for equality is not null.
public struct NarrowHookflowEventKeyIndex: AsyncMigration {
    public init() {}

    public var name: String { "Hookflow.NarrowHookflowEventKeyIndex" }

    public func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "hookflow_steps_event_key").run()
        try await sql.raw(
            "CREATE INDEX hookflow_steps_event_key ON hookflow_steps (event_key) WHERE event_key IS NOT NULL"
        ).run()
    }

    public func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "hookflow_steps_event_key").run()
        try await sql.create(index: "hookflow_steps_event_key").on(StepExecution.schema).column("event_key").run()
    }
}
