import Foundation
import Hookflow
import PostgresNIO

extension PostgresWorkflowStore {
    public func deliverEvent(key: String, payload: String, now: Date) async throws -> [RunRecord] {
        try await operation { [self] connection in
            try await transaction(on: connection) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(key)))", logger: logger)
                try await connection.query("""
                    INSERT INTO hookflow_events (id, key, payload, created_at) VALUES (\(UUID()), \(key), \(payload), \(now))
                    """, logger: logger)
                try await connection.query(
                    "DELETE FROM hookflow_events WHERE created_at < \(SQLiteWorkflowStore.eventsKeptSince(now))",
                    logger: logger)
                let woken = try await Self.decodeRuns(try await connection.query("""
                    UPDATE hookflow_runs SET wake_at = \(now), updated_at = \(now)
                    WHERE status = 'sleeping' AND id IN (
                        SELECT run_id FROM hookflow_steps WHERE event_key = \(key) AND status = 'waiting')
                    RETURNING \(unescaped: Self.runColumns)
                    """, logger: logger))
                if !woken.isEmpty { try await announce(nil, on: connection) }
                return woken
            }
        }
    }

    public func event(key: String, now: Date) async throws -> String? {
        try await operation { [self] connection in
            for try await payload in try await connection.query("""
                SELECT payload FROM hookflow_events WHERE key = \(key) AND created_at >= \(SQLiteWorkflowStore.eventsKeptSince(now))
                ORDER BY created_at DESC LIMIT 1
                """, logger: logger
            ).decode(String.self) {
                return payload
            }
            return nil
        }
    }
}
