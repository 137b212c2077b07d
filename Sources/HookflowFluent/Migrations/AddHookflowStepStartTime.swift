import FluentKit

/// Keeps when a step's latest attempt began, so that a run's timeline shows each step's start
/// and duration, not only when it was checkpointed.
public struct AddHookflowStepStartTime: AsyncMigration {
    public init() {}

    public var name: String { "Hookflow.AddHookflowStepStartTime" }

    public func prepare(on database: any Database) async throws {
        try await database.schema(StepExecution.schema).field("started_at", .datetime).update()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(StepExecution.schema).deleteField("started_at").update()
    }
}
