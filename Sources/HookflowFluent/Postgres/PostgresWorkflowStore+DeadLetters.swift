import Foundation
import Hookflow
import PostgresNIO

extension PostgresWorkflowStore {
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
                guard let run = try await Self.decodeRuns(try await connection.query(Self.shared(HookflowSQL.reopenRun) {
                    $0.append(runID)
                    $0.append(now)
                }, logger: logger)).first
                else { throw DeadLetterNotFoundError(id: id) }
                if let stepID {
                    try await connection.query(Self.shared(HookflowSQL.reopenStep) {
                        $0.append(runID)
                        $0.append(stepID)
                    }, logger: logger)
                }
                try await connection.query(Self.shared(HookflowSQL.markReplayed) {
                    $0.append(now)
                    $0.append(letterID)
                }, logger: logger)
                announce(nil, on: connection)
                return run
            }
        }
    }

}
