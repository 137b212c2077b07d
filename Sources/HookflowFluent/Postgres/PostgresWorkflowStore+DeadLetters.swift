import Foundation
import Hookflow
import PostgresNIO

extension PostgresWorkflowStore {
    public func deadLetters(limit: Int) async throws -> [DeadLetterRecord] {
        try await operation { [self] connection in
            var letters: [DeadLetterRecord] = []
            let rows = try await connection.query("""
                SELECT id, run_id, workflow_id, step_id, data, error_message, created_at, replayed_at
                FROM hookflow_dead_letters ORDER BY created_at DESC LIMIT \(limit)
                """, logger: logger)
            for try await row in rows.decode((UUID, String, String, String?, String, String, Date, Date?).self) {
                letters.append(DeadLetterRecord(
                    id: row.0.uuidString, runID: WorkflowRunID(row.1), workflowID: row.2, stepID: row.3, input: row.4,
                    errorMessage: row.5, createdAt: row.6, replayedAt: row.7))
            }
            return letters
        }
    }

    public func reopenDeadLetter(id: String, now: Date) async throws -> RunRecord {
        try await operation { [self] connection in
            guard let letterID = UUID(uuidString: id) else { throw DeadLetterNotFoundError(id: id) }
            return try await transaction(on: connection) { connection in
                var entry: (String, String?)?
                for try await row in try await connection.query("""
                    SELECT run_id, step_id FROM hookflow_dead_letters WHERE id = \(letterID) AND replayed_at IS NULL
                    FOR UPDATE
                    """, logger: logger).decode((String, String?).self)
                {
                    entry = row
                }
                guard let (runID, stepID) = entry else { throw DeadLetterNotFoundError(id: id) }
                guard let run = try await Self.decodeRuns(try await connection.query("""
                    UPDATE hookflow_runs SET status = 'pending', error_message = NULL, completed_at = NULL, wake_at = NULL,
                        lease_owner = NULL, lease_until = NULL, updated_at = \(now), unfinished_invocations = 0,
                        last_invocation_error = NULL
                    WHERE id = \(runID) AND status = 'failed'
                    RETURNING \(unescaped: Self.runColumns)
                    """, logger: logger)).first
                else { throw DeadLetterNotFoundError(id: id) }
                if let stepID {
                    try await connection.query("""
                        UPDATE hookflow_steps SET status = 'retrying', attempts = 0
                        WHERE run_id = \(runID) AND step_id = \(stepID) AND status = 'failed'
                        """, logger: logger)
                }
                try await connection.query(
                    "UPDATE hookflow_dead_letters SET replayed_at = \(now) WHERE id = \(letterID)", logger: logger)
                try await announce(nil, on: connection)
                return run
            }
        }
    }

}
