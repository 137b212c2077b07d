import Foundation

/// Conversions between times, durations and integers that never trap.
///
/// Hookflow stores times between ``earliest`` and ``latest``; a later deadline (a sleep of
/// `Duration.seconds(Int64.max)`, a wait until `Date.distantFuture`) is kept as ``latest``,
/// which is as good as never. Every Date↔integer conversion in Hookflow goes through here,
/// so a far-future time cannot crash an instance.
public enum HookflowTime {
    /// 9999-12-31T23:59:59Z, the latest time Hookflow stores.
    public static let latest = Date(timeIntervalSince1970: 253_402_300_799)
    /// 0001-01-01T00:00:00Z, the earliest time Hookflow stores.
    public static let earliest = Date(timeIntervalSince1970: -62_135_596_800)

    /// `date` moved into `earliest...latest`.
    /// An ISO 8601 time with its zone (`2026-12-02T10:00:00Z`, fractional seconds allowed), or `nil`.
    public static func parseISO8601(_ text: String) -> Date? {
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions.insert(.withFractionalSeconds)
        return ISO8601DateFormatter().date(from: text) ?? fractional.date(from: text)
    }

    public static func clamp(_ date: Date) -> Date {
        let seconds = date.timeIntervalSince1970
        if seconds.isNaN { return earliest }
        return min(max(date, earliest), latest)
    }

    /// `date` plus `duration`, clamped.
    public static func date(_ date: Date, plus duration: Duration) -> Date {
        self.date(date, plusSeconds: seconds(of: duration))
    }

    /// `date` (clamped) plus `seconds`, clamped (a NaN adds nothing).
    public static func date(_ date: Date, plusSeconds seconds: Double) -> Date {
        clamp(clamp(date).addingTimeInterval(clampedSeconds(seconds)))
    }

    /// Whole milliseconds since 1970 of the clamped `date`.
    public static func milliseconds(since1970 date: Date) -> Int64 {
        Int64((clamp(date).timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// Whole seconds since 1970 of the clamped `date`, rounded up.
    public static func secondsRoundedUp(since1970 date: Date) -> Int64 {
        Int64(clamp(date).timeIntervalSince1970.rounded(.up))
    }

    /// A duration of `seconds`: negative and NaN become zero, huge values the span to ``latest``.
    public static func duration(seconds: Double) -> Duration {
        let bounded = clampedSeconds(seconds)
        guard bounded > 0 else { return .zero }
        let whole = bounded.rounded(.down)
        return .seconds(Int64(whole)) + .nanoseconds(Int64(((bounded - whole) * 1e9).rounded(.down)))
    }

    /// `duration` in seconds, as a floating-point number.
    public static func seconds(of duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// `duration` in whole nanoseconds, saturating at `Int64.max`.
    public static func nanoseconds(of duration: Duration) -> Int64 {
        let parts = duration.components
        let (scaled, overflow) = parts.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return parts.seconds < 0 ? .min : .max }
        let (sum, overflowSum) = scaled.addingReportingOverflow(parts.attoseconds / 1_000_000_000)
        if overflowSum { return parts.seconds < 0 ? .min : .max }
        return sum
    }

    /// The longest span Hookflow schedules: from the earliest to the latest stored time.
    private static let maximumSpan = latest.timeIntervalSince1970 - earliest.timeIntervalSince1970

    private static func clampedSeconds(_ seconds: Double) -> Double {
        if seconds.isNaN { return 0 }
        return min(max(seconds, -maximumSpan), maximumSpan)
    }
}
