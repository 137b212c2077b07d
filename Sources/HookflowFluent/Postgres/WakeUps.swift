import Foundation
import PostgresNIO
import Synchronization

/// The wake-ups that committed transactions announce, sent to every instance as few `NOTIFY`s.
///
/// An operation notes what it makes runnable (``note(_:on:)``, keyed by its connection); once its
/// transaction has committed (``committed(on:)``) the wake-up is pending, and the store's sender
/// (``PostgresWorkflowStore/sendWakeUps()``) sends what is pending at most once per ``interval``:
/// one `NOTIFY` for work runnable now and one for the earliest later wake, however many triggers
/// there were. A burst of triggers costs each instance a notification per interval, not one per trigger.
final class WakeUps: Sendable {
    /// What is to be announced: work runnable now, and the earliest later wake time.
    struct Pending: Sendable, Equatable {
        var now = false
        var earliest: Date?

        var isEmpty: Bool { !now && earliest == nil }

        mutating func add(_ date: Date?) {
            guard let date else { return now = true }
            earliest = min(earliest ?? date, date)
        }

        mutating func merge(_ other: Pending) {
            now = now || other.now
            if let date = other.earliest { add(date) }
        }
    }

    private struct State {
        var byConnection: [ObjectIdentifier: Pending] = [:]
        var ready = Pending()
        var sent = 0
    }

    /// The shortest time between two notifications of the same kind.
    let interval: Duration
    private let state = Mutex(State())
    private let signal: AsyncStream<Void>.Continuation
    /// Yields once whenever something became pending (several at once as one).
    let pendingSignals: AsyncStream<Void>

    init(interval: Duration = .milliseconds(20)) {
        self.interval = interval
        (pendingSignals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// The transaction on `connection` makes work runnable at `date` (`nil`: now) once it commits.
    func note(_ date: Date?, on connection: PostgresConnection) {
        state.withLock { $0.byConnection[ObjectIdentifier(connection), default: Pending()].add(date) }
    }

    /// The operation on `connection` succeeded: what it noted is to be announced.
    func committed(on connection: PostgresConnection) {
        let noted = state.withLock { state -> Bool in
            guard let pending = state.byConnection.removeValue(forKey: ObjectIdentifier(connection)) else { return false }
            state.ready.merge(pending)
            return true
        }
        if noted { signal.yield() }
    }

    /// The operation on `connection` failed: nothing it noted happened.
    func discard(on connection: PostgresConnection) {
        state.withLock { _ = $0.byConnection.removeValue(forKey: ObjectIdentifier(connection)) }
    }

    /// Takes what is pending.
    func take() -> Pending {
        state.withLock { state in
            defer { state.ready = Pending() }
            return state.ready
        }
    }

    /// `count` notifications were sent.
    func sent(_ count: Int) {
        state.withLock { $0.sent += count }
    }

    /// How many notifications were sent so far.
    var sentCount: Int { state.withLock { $0.sent } }

    /// What could not be sent is pending again.
    func putBack(_ pending: Pending) {
        state.withLock { $0.ready.merge(pending) }
        signal.yield()
    }
}
