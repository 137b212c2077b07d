import FluentKit
import SQLKit

/// Lets a run listing walk its page in order, newest first, whatever it filters on (all runs,
/// a workflow, a status, or both), and the counts by status read an index instead of the table.
public struct AddHookflowRunListIndexes: AsyncMigration {
    public init() {}

    public var name: String { "Hookflow.AddHookflowRunListIndexes" }

    private static let indexes: [(name: String, columns: [String])] = [
        ("hookflow_runs_created_at_id", ["created_at", "id"]),
        ("hookflow_runs_workflow_created_at", ["workflow_id", "created_at", "id"]),
        ("hookflow_runs_workflow_status_created_at", ["workflow_id", "status", "created_at", "id"]),
    ]

    public func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes {
            var create = sql.create(index: index.name).on(WorkflowRun.schema)
            for column in index.columns { create = create.column(column) }
            try await create.run()
        }
    }

    public func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes { try await sql.drop(index: index.name).run() }
    }
}
