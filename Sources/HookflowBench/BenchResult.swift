/// One row of the report: a scenario and its figures, in a stable order.
struct BenchResult: Sendable {
    enum Value: Sendable {
        case number(Double)
        case integer(Int)
        case text(String)

        var json: String {
            switch self {
            case .number(let value): return value.isFinite ? String(format: "%.3f", value) : "null"
            case .integer(let value): return "\(value)"
            case .text(let value): return "\"\(value)\""
            }
        }

        var table: String {
            switch self {
            case .number(let value): return value >= 100 ? String(format: "%.0f", value) : String(format: "%.2f", value)
            case .integer(let value): return "\(value)"
            case .text(let value): return value
            }
        }
    }

    let scenario: String
    var fields: [(String, Value)]

    var json: String {
        let members = [("scenario", Value.text(scenario))] + fields
        return "{" + members.map { "\"\($0.0)\": \($0.1.json)" }.joined(separator: ", ") + "}"
    }

    var line: String {
        scenario.padding(toLength: 17, withPad: " ", startingAt: 0)
            + fields.map { "\($0.0)=\($0.1.table)" }.joined(separator: "  ")
    }
}
