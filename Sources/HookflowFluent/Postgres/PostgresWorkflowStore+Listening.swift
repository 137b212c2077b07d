import Foundation
import Hookflow
import PostgresNIO

extension PostgresWorkflowStore {
    public func wakeAnnouncements() -> AsyncStream<Date?> { announcements }

    /// Listens on the wake channel until the task is cancelled, reconnecting with back-off.
    func listen() async {
        var failures = 0
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.channel) { notifications in
                        failures = 0
                        // Work may have been announced while no one listened.
                        announcer.yield(nil)
                        for try await notification in notifications {
                            announcer.yield(Double(notification.payload).map { Date(timeIntervalSince1970: $0 / 1000) })
                        }
                    }
                }
            } catch {
                if Task.isCancelled { break }
                failures += 1
                let delay = Self.listenerBackoff.delay(afterFailures: failures)
                logger.warning("PostgreSQL wake-up channel lost; listening again in \(delay): \(error)")
                try? await Task.sleep(for: delay)
            }
        }
        announcer.finish()
    }

    /// Announces work to every instance when the transaction commits (`NOTIFY` is transactional).
    func announce(_ date: Date?, on connection: PostgresConnection) async throws {
        let payload = date.map { String(HookflowTime.milliseconds(since1970: $0)) } ?? ""
        try await connection.query("SELECT pg_notify(\(Self.channel), \(payload))", logger: logger)
    }
}
