/// One page of a dead letter listing.
public struct DeadLetterPage: Sendable, Hashable {
    /// The entries, newest first.
    public var deadLetters: [DeadLetterRecord]
    /// Where the next page starts, or `nil` on the last page.
    public var next: ListCursor?

    public init(deadLetters: [DeadLetterRecord], next: ListCursor?) {
        self.deadLetters = deadLetters
        self.next = next
    }
}
