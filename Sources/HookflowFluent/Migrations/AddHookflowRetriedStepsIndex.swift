import FluentKit
import SQLKit

/// Lets the dashboard count the retries of the last hour without reading every step: an index
/// of the steps retried at least once, by their last write. Steps of one attempt, nearly all of
/// them, are not in it, so the checkpoints of the hot path do not write it.
public struct AddHookflowRetriedStepsIndex: AsyncMigration {
    public init() {}

    public var name: String { "Hookflow.AddHookflowRetriedStepsIndex" }

    public func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX hookflow_steps_retried ON hookflow_steps (executed_at) WHERE attempts > 1").run()
    }

    public func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "hookflow_steps_retried").run()
    }
}
