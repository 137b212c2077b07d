import FluentKit

/// Keeps the trace context of each run's trigger, so that its spans join that trace however
/// much later, and on whichever instance, the run executes.
public struct AddHookflowTraceContext: AsyncMigration {
    public init() {}

    public var name: String { "Hookflow.AddHookflowTraceContext" }

    public func prepare(on database: any Database) async throws {
        try await database.schema(WorkflowRun.schema).field("trace_context", .string).update()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(WorkflowRun.schema).deleteField("trace_context").update()
    }
}
