import Foundation

/// The ticks of a due schedule to fire now, by its missed-tick policy, and the next fire time after them.
struct TickPlan: Equatable {
    /// Oldest first.
    var ticks: [Date]
    /// Missed ticks left unrun.
    var skipped: Int
    var nextFireAt: Date

    /// The most on-time ticks one firing runs; the rest run at the next.
    static let maximumTicks = 1_000

    init(_ record: ScheduleRecord, now: Date) {
        let schedule = record.schedule
        let onTimeFrom = HookflowTime.date(now, plus: .zero - schedule.gracePeriod)
        let first = record.nextFireAt
        let onTime = Self.ticks(of: schedule.spec, from: max(first, onTimeFrom), through: now, limit: Self.maximumTicks)
        var missed: [Date] = []
        var missedCount = 0
        if first < onTimeFrom {
            let wanted: Int =
                switch schedule.missedTicks {
                case .skip: 0
                case .runLatest: onTime.isEmpty ? 1 : 0
                case .runAll(let limit): min(limit, Self.maximumTicks)
                }
            (missed, missedCount) = Self.latestTicks(of: schedule.spec, wanted, from: first, before: onTimeFrom)
        }
        ticks = missed + onTime
        skipped = max(0, missedCount - missed.count)
        let last = onTime.count == Self.maximumTicks ? onTime.last! : max(now, first)
        nextFireAt = schedule.spec.tick(after: last) ?? HookflowTime.latest
    }

    /// The ticks in `from...through`, at most `limit`, oldest first.
    static func ticks(of spec: ScheduleSpec, from: Date, through: Date, limit: Int) -> [Date] {
        var ticks: [Date] = []
        var cursor = from.addingTimeInterval(-0.001)
        while ticks.count < limit, let tick = spec.tick(after: cursor), tick <= through {
            if tick >= from { ticks.append(tick) }
            cursor = tick
        }
        return ticks
    }

    /// The latest `count` ticks in `from..<before`, oldest first, and how many ticks the span
    /// holds (a lower bound past what it had to read): it reads back from `before` through
    /// windows four times wider each time, so a long downtime costs no more than its last ticks.
    static func latestTicks(of spec: ScheduleSpec, _ count: Int, from: Date, before: Date) -> (ticks: [Date], total: Int) {
        var width = 60.0
        while true {
            let start = max(from, before.addingTimeInterval(-width))
            let window = ticks(of: spec, from: start, through: before, limit: .max).filter { $0 < before }
            if window.count >= count && start > from {
                // More ticks lie before the window: at least one.
                return (Array(window.suffix(count)), window.count + 1)
            }
            if start == from { return (Array(window.suffix(count)), window.count) }
            width *= 4
        }
    }
}
