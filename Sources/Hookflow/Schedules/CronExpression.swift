/// A cron expression of five fields (minute, hour, day of month, month, day of week), as
/// Vixie cron reads it: numbers, `*`, ranges (`1-5`), steps (`*/15`, `0-30/10`, `5/20`), lists
/// (`1,15,30`), month and weekday names (`JAN`, `mon-fri`; Sunday is 0 or 7), and the macros
/// `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight` and `@hourly`. When both
/// day fields are restricted (neither selects every day), a day matches either one, as Python's
/// croniter reads them; a step such as `*/2` restricts its field (Vixie cron would not).
///
/// ```swift
/// let nightly = try CronExpression("0 3 * * mon-fri")
/// let next = nightly.next(after: .now, in: TimeZone(identifier: "Europe/Paris")!)
/// ```
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written.
    public let text: String
    let minutes: Set<Int>
    let hours: Set<Int>
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    /// 0 (Sunday) to 6.
    let daysOfWeek: Set<Int>
    /// Whether the day-of-month or the day-of-week field selects every day: then a day must match
    /// both fields, else either.
    let anyDayOfMonth: Bool
    let anyDayOfWeek: Bool

    public var description: String { text }

    /// Parses `text`; throws ``CronExpressionError`` naming the field and the value at fault.
    public init(_ text: String) throws {
        self.text = text
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let expanded = Self.macros[trimmed.lowercased()] ?? trimmed
        let fields = expanded.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else {
            throw CronExpressionError(
                expression: text, field: nil, value: text,
                reason: "has \(fields.count) field\(fields.count == 1 ? "" : "s"); a cron expression has 5 "
                    + "(minute hour day-of-month month day-of-week) or is one of \(Self.macros.keys.sorted().joined(separator: ", "))")
        }
        minutes = try Self.values(fields[0], field: .minute, expression: text)
        hours = try Self.values(fields[1], field: .hour, expression: text)
        daysOfMonth = try Self.values(fields[2], field: .dayOfMonth, expression: text)
        months = try Self.values(fields[3], field: .month, expression: text)
        daysOfWeek = Set(try Self.values(fields[4], field: .dayOfWeek, expression: text).map { $0 % 7 })
        anyDayOfMonth = daysOfMonth.count == 31
        anyDayOfWeek = daysOfWeek.count == 7
    }

    static let macros = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// Whether a day (its day of month and weekday, 0 for Sunday) matches the day fields.
    func matches(day: Int, weekday: Int) -> Bool {
        let byMonth = daysOfMonth.contains(day)
        let byWeek = daysOfWeek.contains(weekday)
        if anyDayOfMonth || anyDayOfWeek { return byMonth && byWeek }
        return byMonth || byWeek
    }
}

/// A cron expression that cannot be read: names the expression, the field and the value.
public struct CronExpressionError: Error, CustomStringConvertible, Sendable, Hashable {
    public let expression: String
    /// The field at fault (`minute`, `hour`, `day of month`, `month`, `day of week`), or `nil`
    /// when the expression as a whole is.
    public let field: String?
    public let value: String
    public let reason: String

    public var description: String {
        if let field { return "cron expression '\(expression)': \(field) '\(value)' \(reason)" }
        return "cron expression '\(expression)' \(reason)"
    }
}
