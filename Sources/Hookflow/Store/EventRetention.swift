import Foundation

/// How long a delivered event is kept for waits that start after it, in every store.
public enum EventRetention {
    /// Seven days.
    public static let period: TimeInterval = 7 * 86_400

    /// The oldest delivery time of an event still served at `now`.
    public static func oldestKept(at now: Date) -> Date { now.addingTimeInterval(-period) }
}
