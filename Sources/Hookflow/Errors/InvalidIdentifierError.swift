/// A run id, event key or step id that Hookflow cannot store faithfully.
///
/// Ids and keys are compared byte for byte in both databases, so they must be non-empty,
/// hold no NUL character (PostgreSQL cannot store it, and C strings end at it), and be at
/// most ``Identifier/maximumBytes`` bytes of UTF-8 (what an index can hold).
public struct InvalidIdentifierError: Error, CustomStringConvertible {
    /// What the value names: "run id", "event key", "step id".
    public let kind: String
    /// The value, escaped and shortened for display.
    public let shownValue: String
    /// Why it was refused.
    public let reason: String

    public var description: String { "invalid \(kind) \(shownValue): \(reason)" }
}

/// The rules for ids and keys.
public enum Identifier {
    /// The longest id or key, in bytes of UTF-8.
    public static let maximumBytes = 512

    /// Throws ``InvalidIdentifierError`` when `value` is empty, holds a NUL, or is too long.
    public static func validate(_ value: String, as kind: String) throws {
        let reason: String? =
            if value.isEmpty { "must not be empty" }
            else if value.utf8.contains(0) { "must not contain a NUL character" }
            else if value.utf8.count > maximumBytes { "is \(value.utf8.count) bytes long; at most \(maximumBytes) are allowed" }
            else { nil }
        if let reason { throw InvalidIdentifierError(kind: kind, shownValue: StoredText.shown(value), reason: reason) }
    }
}
