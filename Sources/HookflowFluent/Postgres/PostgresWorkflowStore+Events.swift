import Foundation
import Hookflow
import PostgresNIO

extension PostgresWorkflowStore {
    public func deliverEvent(key: String, payload: String, now: Date) async throws -> [RunRecord] {
        try await operation { [self] connection in
            try await transaction(on: connection) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(key)))", logger: logger)
                try await connection.query(Self.shared(HookflowSQL.insertEvent) {
                    $0.append(UUID())
                    $0.append(key)
                    $0.append(payload)
                    $0.append(now)
                }, logger: logger)
                try await connection.query(
                    Self.shared(HookflowSQL.deleteExpiredEvents) { $0.append(EventRetention.oldestKept(at: now)) },
                    logger: logger)
                let woken = try await Self.decodeRuns(try await connection.query(Self.shared(HookflowSQL.wakeWaiters) {
                    $0.append(key)
                    $0.append(now)
                }, logger: logger))
                if !woken.isEmpty { announce(nil, on: connection) }
                return woken
            }
        }
    }

    public func event(key: String, now: Date) async throws -> String? {
        try await operation { [self] connection in
            for try await payload in try await connection.query(Self.shared(HookflowSQL.latestEvent) {
                $0.append(key)
                $0.append(EventRetention.oldestKept(at: now))
            }, logger: logger).decode(String.self) {
                return payload
            }
            return nil
        }
    }
}
