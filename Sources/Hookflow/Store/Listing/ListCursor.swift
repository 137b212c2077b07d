import Foundation

/// Where a page of a listing (runs, dead letters) ended: the next page starts after this
/// entry, newest first. Opaque to callers; ``encoded`` is what an API hands out and
/// ``init(encoded:)`` takes back.
public struct ListCursor: Sendable, Hashable {
    /// When the last entry of the page was created.
    public let createdAt: Date
    /// The last entry's id: a run id or a dead letter's id.
    public let id: String

    public init(createdAt: Date, id: String) {
        self.createdAt = createdAt
        self.id = id
    }

    /// The cursor after `run`.
    public init(after run: RunRecord) {
        self.init(createdAt: run.createdAt, id: run.runID.rawValue)
    }

    /// The cursor after `letter`.
    public init(after letter: DeadLetterRecord) {
        self.init(createdAt: letter.createdAt, id: letter.id)
    }

    /// The cursor as URL-safe text.
    public var encoded: String {
        // The time as Date keeps it, so that it comes back exactly.
        Base64URL.encode("\(createdAt.timeIntervalSinceReferenceDate)|\(id)")
    }

    /// The cursor `encoded` names, or `nil` when it is not one ``encoded`` made.
    public init?(encoded: String) {
        guard encoded.utf8.count <= 4096, let text = Base64URL.decode(encoded),
            let bar = text.firstIndex(of: "|"), let seconds = Double(text[..<bar]), seconds.isFinite
        else { return nil }
        let id = String(text[text.index(after: bar)...])
        guard (try? Identifier.validate(id, as: "id")) != nil else { return nil }
        self.init(createdAt: Date(timeIntervalSinceReferenceDate: seconds), id: id)
    }

    /// Whether an entry created at `createdAt` with `id` comes after this cursor in a listing
    /// (newest first, then by id).
    public func precedes(createdAt: Date, id: String) -> Bool {
        if createdAt != self.createdAt { return createdAt < self.createdAt }
        return id.utf8.lexicographicallyPrecedes(self.id.utf8)
    }
}
