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

    /// Announces work runnable at `date` (`nil`: now) to every instance once the operation's
    /// transaction on `connection` has committed, coalesced with the others (``WakeUps``).
    func announce(_ date: Date?, on connection: PostgresConnection) {
        wakeUps.note(date, on: connection)
    }

    /// Sends the pending wake-ups until the task is cancelled: one `NOTIFY` per kind (now, the
    /// earliest later wake) per ``WakeUps/interval`` at most. A failed send is tried again.
    func sendWakeUps() async {
        for await _ in wakeUps.pendingSignals {
            await sendPendingWakeUps()
            try? await Task.sleep(for: wakeUps.interval)
        }
    }

    /// Sends what is pending now, in one statement; puts it back when that fails.
    func sendPendingWakeUps() async {
        let pending = wakeUps.take()
        guard !pending.isEmpty else { return }
        var payloads: [String] = pending.now ? [""] : []
        if let earliest = pending.earliest { payloads.append(String(HookflowTime.milliseconds(since1970: earliest))) }
        do {
            _ = try await operation { [self, payloads] connection in
                try await connection.query(
                    "SELECT pg_notify(\(Self.channel), payload) FROM unnest(\(payloads)::text[]) AS payload", logger: logger
                ).collect()
            }
            wakeUps.sent(payloads.count)
        } catch {
            logger.warning("could not announce wake-ups to the other instances; trying again: \(error)")
            wakeUps.putBack(pending)
        }
    }
}
