/// The two keys QStash signs deliveries with: `current`, and `next` for zero-downtime rotation.
public struct QStashSigningKeys: Sendable, Hashable, Codable {
    public var current: String
    public var next: String

    public init(current: String, next: String) {
        self.current = current
        self.next = next
    }

    /// Throws ``QStashSigningKeyError`` when a key is too short to be a QStash signing key
    /// (HS256 wants 32 bytes or more), naming the key: `QStashSigningKeys.current` or `.next`.
    public func validate() throws {
        for (setting, key) in [("QStashSigningKeys.current", current), ("QStashSigningKeys.next", next)]
        where key.utf8.count < 32 {
            throw QStashSigningKeyError(setting: setting, length: key.utf8.count)
        }
    }

    /// The keys of QStash's local development server (and of `hookflow-qstash-dev`).
    public static let development = QStashSigningKeys(
        current: "sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r", next: "sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs")
}

/// A signing key that cannot be QStash's: too short for HS256.
public struct QStashSigningKeyError: Error, CustomStringConvertible, Hashable {
    /// The key at fault: `QStashSigningKeys.current` or `QStashSigningKeys.next`.
    public let setting: String
    public let length: Int

    public var description: String {
        "\(setting): a QStash signing key (sig_...) has at least 32 characters, this one has \(length); copy it from the Upstash console"
    }
}
