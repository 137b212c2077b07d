import Foundation
import Hookflow

/// A value bound to, or read from, an SQLite statement.
enum SQLiteValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    /// Dates are stored as seconds since 1970, as Fluent's SQLite driver stores them.
    init(_ date: Date?) { self = date.map { .real(HookflowTime.clamp($0).timeIntervalSince1970) } ?? .null }
    init(_ text: String?) { self = text.map { .text($0) } ?? .null }
    init(_ integer: Int) { self = .integer(Int64(integer)) }

    var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    var integer: Int? {
        switch self {
        case .integer(let value): return Int(value)
        case .real(let value): return Int(exactly: value.rounded(.towardZero))
        default: return nil
        }
    }

    var date: Date? {
        switch self {
        case .real(let value): return Date(timeIntervalSince1970: value)
        case .integer(let value): return Date(timeIntervalSince1970: Double(value))
        default: return nil
        }
    }
}
