import Foundation
import Synchronization

/// A clock that moves only when told to: the harness advances it past sleeps and back-offs.
public final class TestClock: Sendable {
    private let current: Mutex<Date>

    public init(start: Date = Date()) { current = Mutex(start) }

    /// The clock's time.
    public var now: Date { current.withLock { $0 } }

    /// Moves the clock forward to `date` (never backward).
    public func advance(to date: Date) {
        current.withLock { $0 = max($0, date) }
    }

    /// Moves the clock forward by `duration`.
    public func advance(by duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
