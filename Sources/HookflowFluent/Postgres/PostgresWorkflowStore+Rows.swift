import Foundation
import Hookflow
import PostgresNIO

extension PostgresWorkflowStore {
    /// One of the statements shared with SQLite (``HookflowSQL``), its parameters bound in order by `bind`.
    static func shared(
        _ statement: (SQLDialect) -> String, _ bind: (inout PostgresBindings) -> Void
    ) -> PostgresQuery {
        var bindings = PostgresBindings()
        bind(&bindings)
        return PostgresQuery(unsafeSQL: statement(.postgres), binds: bindings)
    }

    func runs(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [RunRecord] {
        try await Self.decodeRuns(try await connection.query(query, logger: logger))
    }

    static func decodeRuns(_ rows: PostgresRowSequence) async throws -> [RunRecord] {
        var runs: [RunRecord] = []
        for try await row in rows.decode(
            (String, String, String, String, String?, String?, Date?, Date, Date?, Date?, Int, String?, String?, Date).self)
        {
            runs.append(RunRecord(
                runID: WorkflowRunID(row.0), workflowID: row.1, status: try status(row.2), input: row.3, result: row.4,
                errorMessage: row.5, wakeAt: row.6, leaseUntil: row.9, createdAt: row.7, completedAt: row.8,
                unfinishedInvocations: row.10, lastInvocationError: row.11, traceContext: row.12, updatedAt: row.13))
        }
        return runs
    }

    static func status(_ text: String) throws -> RunStatus {
        guard let status = RunStatus(rawValue: text) else { throw StoreDataError(column: "status", value: text) }
        return status
    }
}
