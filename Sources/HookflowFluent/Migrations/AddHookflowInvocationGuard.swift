import FluentKit
import SQLKit

/// Counts a run's invocations that ended without progress (a crashed process, a failing
/// store), so that one which always ends that way is failed instead of claimed forever.
public struct AddHookflowInvocationGuard: AsyncMigration {
    public init() {}

    public var name: String { "Hookflow.AddHookflowInvocationGuard" }

    public func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await database.schema(WorkflowRun.schema)
            .field("unfinished_invocations", .int, .required, .sql(.default(0)))
            .update()
        try await database.schema(WorkflowRun.schema)
            .field("last_invocation_error", .string)
            .update()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(WorkflowRun.schema).deleteField("last_invocation_error").update()
        try await database.schema(WorkflowRun.schema).deleteField("unfinished_invocations").update()
    }
}
