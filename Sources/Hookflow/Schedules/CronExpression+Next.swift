import Foundation

extension CronExpression {
    /// The first time after `date` (strictly) that the expression fires, in `timeZone`; `nil`
    /// when it never fires in the next five years (`0 0 30 2 *`).
    ///
    /// Across daylight-saving changes each local time fires once: a time the clocks skip
    /// (02:30 on the spring-forward day) fires when the clocks have moved on (03:30), and a time
    /// they repeat (01:30 on the fall-back day) fires at its first occurrence only.
    public func next(after date: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let start = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        var (year, month, day, hour, minute) = (start.year!, start.month!, start.day!, start.hour!, start.minute! + 1)
        let lastYear = year + 5
        while year <= lastYear {
            if minute > 59 { (minute, hour) = (0, hour + 1) }
            if hour > 23 { (hour, day) = (0, day + 1) }
            if day > Self.days(inMonth: month, of: year) { (day, month) = (1, month + 1) }
            if month > 12 { (month, year) = (1, year + 1) }
            guard months.contains(month) else {
                (minute, hour, day, month) = (0, 0, 1, month + 1)
                continue
            }
            guard matches(day: day, weekday: Self.weekday(year: year, month: month, day: day)) else {
                (minute, hour, day) = (0, 0, day + 1)
                continue
            }
            guard hours.contains(hour) else {
                (minute, hour) = (0, hour + 1)
                continue
            }
            guard minutes.contains(minute) else {
                minute += 1
                continue
            }
            let local = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
            // A skipped local time resolves to the moment the clocks moved on to; a repeated one to
            // its first occurrence, which may precede `date` when `date` falls in the repeat.
            if let fire = calendar.date(from: local), fire > date { return fire }
            minute += 1
        }
        return nil
    }

    /// The next `count` fire times after `date`.
    public func next(_ count: Int, after date: Date, in timeZone: TimeZone) -> [Date] {
        var times: [Date] = []
        var cursor = date
        while times.count < count, let fire = next(after: cursor, in: timeZone) {
            times.append(fire)
            cursor = fire
        }
        return times
    }

    static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// 0 for Sunday to 6 for Saturday (Sakamoto's method, proleptic Gregorian).
    static func weekday(year: Int, month: Int, day: Int) -> Int {
        let offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
        let y = month < 3 ? year - 1 : year
        return (y + y / 4 - y / 100 + y / 400 + offsets[month - 1] + day) % 7
    }
}
