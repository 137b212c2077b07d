import Foundation

extension CronExpression {
    /// One of the five fields: its name, its range, and the names its values may take.
    struct Field {
        let name: String
        let range: ClosedRange<Int>
        let names: [String: Int]

        static let minute = Field(name: "minute", range: 0...59, names: [:])
        static let hour = Field(name: "hour", range: 0...23, names: [:])
        static let dayOfMonth = Field(name: "day of month", range: 1...31, names: [:])
        static let month = Field(
            name: "month", range: 1...12,
            names: Dictionary(uniqueKeysWithValues: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
                .enumerated().map { ($1, $0 + 1) }))
        static let dayOfWeek = Field(
            name: "day of week", range: 0...7,
            names: Dictionary(uniqueKeysWithValues: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"].enumerated().map { ($1, $0) }))
    }

    /// The values a field's text selects: a list of `*`, `a`, `a-b`, each with an optional `/step`.
    static func values(_ text: String, field: Field, expression: String) throws -> Set<Int> {
        func fail(_ value: String, _ reason: String) -> CronExpressionError {
            CronExpressionError(expression: expression, field: field.name, value: value, reason: reason)
        }
        func number(_ token: String) throws -> Int {
            if let name = field.names[token.lowercased()] { return name }
            guard let value = Int(token), token.allSatisfy(\.isASCII) else {
                let names = field.names.isEmpty ? "" : " or a name such as \(field.names.min { $0.value < $1.value }!.key.uppercased())"
                throw fail(token, "is not a number\(names)")
            }
            guard field.range.contains(value) else {
                throw fail(token, "is out of range: \(field.range.lowerBound) to \(field.range.upperBound)")
            }
            return value
        }
        var selected: Set<Int> = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            guard !item.isEmpty else { throw fail(text, "has an empty item in its list") }
            let parts = item.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count <= 2 else { throw fail(item, "has more than one step") }
            var step = 1
            if parts.count == 2 {
                guard let value = Int(parts[1]), value >= 1, value <= field.range.upperBound + 1 else {
                    throw fail(item, "has a step that is not a whole number from 1 to \(field.range.upperBound + 1)")
                }
                step = value
            }
            let span: ClosedRange<Int>
            if parts[0] == "*" {
                span = field.range
            } else if let dash = parts[0].firstIndex(of: "-") {
                let low = try number(String(parts[0][..<dash]))
                let high = try number(String(parts[0][parts[0].index(after: dash)...]))
                guard low <= high else { throw fail(item, "is a range that ends before it starts") }
                span = low...high
            } else {
                let start = try number(parts[0])
                // `5/20`: from 5 to the field's end, every 20.
                span = start...(parts.count == 2 ? field.range.upperBound : start)
            }
            selected.formUnion(stride(from: span.lowerBound, through: span.upperBound, by: step))
        }
        return selected
    }
}
