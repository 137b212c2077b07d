/// One page of a run listing.
public struct RunPage: Sendable, Hashable {
    /// The runs, newest first.
    public var runs: [RunRecord]
    /// Where the next page starts, or `nil` on the last page.
    public var next: ListCursor?

    public init(runs: [RunRecord], next: ListCursor?) {
        self.runs = runs
        self.next = next
    }
}
