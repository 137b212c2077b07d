import Foundation

/// When a schedule fires: on a cron expression read in a time zone, or at a fixed interval.
///
/// Interval ticks fall on whole multiples of the interval since 1970-01-01T00:00:00Z, so every
/// instance computes the same ticks (`every: .minutes(5)` fires at :00, :05, :10, …).
public enum ScheduleSpec: Sendable, Hashable, CustomStringConvertible {
    case cron(CronExpression, timeZone: TimeZone)
    /// A tick every so many whole seconds.
    case every(seconds: Int64)

    /// A cron schedule; throws when the expression or the time zone is not valid, naming it.
    public static func cron(_ expression: String, timeZone: String = "UTC") throws -> ScheduleSpec {
        let cron = try CronExpression(expression)
        guard let zone = TimeZone(identifier: timeZone) else {
            throw InvalidParameterError(
                parameter: "timeZone", value: timeZone, reason: "is not a time zone identifier (such as UTC or Europe/Paris)")
        }
        return .cron(cron, timeZone: zone)
    }

    /// An interval schedule; throws unless `interval` is a positive whole number of seconds.
    public static func every(_ interval: Duration) throws -> ScheduleSpec {
        let parts = interval.components
        guard parts.seconds > 0 || (parts.seconds == 0 && parts.attoseconds > 0) else {
            throw InvalidParameterError(parameter: "every", value: "\(interval)", reason: "must be positive")
        }
        guard parts.attoseconds == 0 else {
            throw InvalidParameterError(parameter: "every", value: "\(interval)", reason: "must be a whole number of seconds")
        }
        return .every(seconds: parts.seconds)
    }

    /// The first tick strictly after `date`; `nil` when none comes before ``HookflowTime/latest``.
    public func tick(after date: Date) -> Date? {
        switch self {
        case .cron(let cron, let timeZone):
            return cron.next(after: date, in: timeZone)
        case .every(let seconds):
            let interval = Double(seconds)
            let next = ((HookflowTime.clamp(date).timeIntervalSince1970 / interval).rounded(.down) + 1) * interval
            let tick = Date(timeIntervalSince1970: next)
            return tick <= HookflowTime.latest ? tick : nil
        }
    }

    /// The next `count` ticks after `date`.
    public func ticks(_ count: Int, after date: Date) -> [Date] {
        var ticks: [Date] = []
        var last = date
        while ticks.count < count, let tick = tick(after: last) {
            ticks.append(tick)
            last = tick
        }
        return ticks
    }

    /// `cron 0 3 * * * in Europe/Paris` or `every 300 s`.
    public var description: String {
        switch self {
        case .cron(let cron, let timeZone): "cron \(cron.text) in \(timeZone.identifier)"
        case .every(let seconds): "every \(seconds) s"
        }
    }

    /// The spec as a store keeps it: `cron|<zone>|<expression>` or `every|<seconds>`.
    public var storedText: String {
        switch self {
        case .cron(let cron, let timeZone): "cron|\(timeZone.identifier)|\(cron.text)"
        case .every(let seconds): "every|\(seconds)"
        }
    }

    /// Reads ``storedText``.
    public init(storedText text: String) throws {
        let parts = text.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        switch (parts.first, parts.count) {
        case ("cron", 3): self = try .cron(parts[2], timeZone: parts[1])
        case ("every", 2) where Int64(parts[1]) != nil: self = try .every(.seconds(Int64(parts[1])!))
        default: throw InvalidParameterError(parameter: "spec", value: text, reason: "is not a stored schedule spec")
        }
    }
}

extension Duration {
    /// `count` minutes.
    public static func minutes(_ count: Int64) -> Duration { .seconds(count * 60) }
    /// `count` hours.
    public static func hours(_ count: Int64) -> Duration { .seconds(count * 3600) }
}
