import Foundation

/// A JSON value: the payload of untyped workflows and the form in which inputs,
/// step results and outputs are stored.
///
/// Whole numbers that fit in 64 bits are kept as ``integer(_:)``, so that ids such as
/// `9007199254740993` round-trip exactly; other numbers are ``number(_:)``. The two
/// compare equal when they hold the same value.
///
/// Decoding refuses values nested deeper than ``maximumDepth``, whatever decoder drives it,
/// so a hostile request body cannot exhaust the stack.
///
/// ```swift
/// struct Notify: Workflow {
///     func run(_ ctx: WorkflowContext<JSON>) async throws -> JSON {
///         let email = ctx.data["email"].stringValue ?? "unknown"
///         return ["sent_to": .string(email)]
///     }
/// }
/// ```
public enum JSON: Sendable {
    case null
    case bool(Bool)
    /// A number that is not a whole 64-bit integer (or was made from a `Double`).
    case number(Double)
    /// A whole number that fits in 64 bits.
    case integer(Int64)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    /// How deeply arrays and objects may nest in a decoded value.
    public static let maximumDepth = 128
}

extension JSON: Hashable {
    public static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        case (.integer(let a), .integer(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.integer(let a), .number(let b)), (.number(let b), .integer(let a)): return Int64(exactly: b) == a
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(1); hasher.combine(value)
        case .integer(let value): hasher.combine(2); hasher.combine(value)
        case .number(let value):
            // Equal to an integer when whole: hashed as one.
            if let whole = Int64(exactly: value) {
                hasher.combine(2); hasher.combine(whole)
            } else {
                hasher.combine(3); hasher.combine(value)
            }
        case .string(let value): hasher.combine(4); hasher.combine(value)
        case .array(let value): hasher.combine(5); hasher.combine(value)
        case .object(let value): hasher.combine(6); hasher.combine(value)
        }
    }
}

extension JSON: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else {
            self = try JSONDecodingDepth.nested {
                do {
                    return .array(try container.decode([JSON].self))
                } catch let error as DecodingError where JSONDecodingDepth.isExceeded(error) {
                    throw error
                } catch {
                    return .object(try container.decode([String: JSON].self))
                }
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value):
            // A whole number is written as one, never in exponent form: read back, it is the same value.
            if let whole = Int64(exactly: value) {
                try container.encode(whole)
            } else {
                try container.encode(value)
            }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

/// The nesting depth of the `JSON` value being decoded on this thread or task. Decoding is
/// synchronous, so a task-local value follows it through any decoder, even one (like a
/// form decoder fed `%`) that hands back the same fragment as an array forever.
enum JSONDecodingDepth {
    @TaskLocal static var current = 0

    static func nested<T>(_ body: () throws -> T) throws -> T {
        let depth = current + 1
        guard depth <= JSON.maximumDepth else {
            // A DecodingError, so that a web framework answers it as a bad request.
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: message))
        }
        return try $current.withValue(depth, operation: body)
    }

    static let message = "JSON nested deeper than \(JSON.maximumDepth) levels"

    static func isExceeded(_ error: DecodingError) -> Bool {
        if case .dataCorrupted(let context) = error { return context.debugDescription == message }
        return false
    }
}
