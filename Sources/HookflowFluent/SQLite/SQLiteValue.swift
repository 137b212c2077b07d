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

    /// A shared statement's argument as SQLite binds it: a list as JSON text (read with `json_each`).
    init(_ argument: SQLArgument) {
        switch argument {
        case .text(let text): self = .text(text)
        case .date(let date): self.init(date)
        case .integer(let integer): self.init(integer)
        case .double(let double): self = .real(double)
        case .null: self = .null
        case .uuid(let uuid): self = .text(uuid.uuidString)
        case .texts(let texts): self = .text(String(decoding: (try? JSONEncoder().encode(texts)) ?? Data("[]".utf8), as: UTF8.self))
        }
    }

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

    var real: Double? {
        switch self {
        case .real(let value): value
        case .integer(let value): Double(value)
        default: nil
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
