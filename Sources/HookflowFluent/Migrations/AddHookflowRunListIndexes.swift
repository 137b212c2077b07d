import FluentKit
import SQLKit

/// Lets a run or dead letter listing walk its page in order, newest first, whatever it filters
/// on (a listing merges one walk per status), and the counts of runs not yet finished read an
/// index instead of the table. Every index here is paid for by each run's insert and status
/// changes, so there is none for one kind of listing alone. The (status, created_at) index of ``AddHookflowPendingIndex`` becomes
/// (status, created_at, id), which the claims of pending runs use as they did the old one.
public struct AddHookflowRunListIndexes: AsyncMigration {
    public init() {}

    public var name: String { "Hookflow.AddHookflowRunListIndexes" }

    private static let indexes: [(name: String, table: String, columns: [String])] = [
        ("hookflow_runs_status_created_at_id", WorkflowRun.schema, ["status", "created_at", "id"]),
        ("hookflow_runs_workflow_status_created_at", WorkflowRun.schema, ["workflow_id", "status", "created_at", "id"]),
        // Counts the runs not yet finished (see AddHookflowRunTallies) from the index alone.
        ("hookflow_runs_status_workflow", WorkflowRun.schema, ["status", "workflow_id"]),
        ("hookflow_dead_letters_created_at_id", DeadLetterEntry.schema, ["created_at", "id"]),
        ("hookflow_dead_letters_workflow_created_at", DeadLetterEntry.schema, ["workflow_id", "created_at", "id"]),
    ]

    public func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes {
            var create = sql.create(index: index.name).on(index.table)
            for column in index.columns { create = create.column(column) }
            try await create.run()
        }
        try await sql.drop(index: "hookflow_runs_status_created_at").run()
        if sql.dialect.name == "postgresql" {
            // Ids byte by byte, whatever the database's collation: a prefix is then a range of this index.
            try await sql.raw("CREATE INDEX hookflow_runs_id_bytes ON hookflow_runs (id COLLATE \"C\")").run()
        }
    }

    public func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "postgresql" { try await sql.drop(index: "hookflow_runs_id_bytes").run() }
        try await sql.create(index: "hookflow_runs_status_created_at").on(WorkflowRun.schema)
            .column("status").column("created_at").run()
        for index in Self.indexes { try await sql.drop(index: index.name).run() }
    }
}
