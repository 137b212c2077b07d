/// A dead letter replay named an entry that does not exist or was already replayed.
public struct DeadLetterNotFoundError: Error, CustomStringConvertible {
    public let id: String

    public init(id: String) { self.id = id }

    public var description: String { "no dead letter entry \(id) waiting for replay" }
}
