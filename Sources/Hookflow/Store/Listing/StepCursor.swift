/// Where a page of a run's steps ended: the next page starts after this step. Opaque to
/// callers; ``encoded`` is what an API hands out and ``init(encoded:)`` takes back.
public struct StepCursor: Sendable, Hashable {
    /// The last step's position in the run (``StepRecord/sequence``).
    public let sequence: Int

    public init(sequence: Int) {
        self.sequence = sequence
    }

    /// The cursor after `step`.
    public init(after step: StepRecord) {
        self.init(sequence: step.sequence)
    }

    /// The cursor as URL-safe text.
    public var encoded: String {
        Base64URL.encode(String(sequence))
    }

    /// The cursor `encoded` names, or `nil` when it is not one ``encoded`` made.
    public init?(encoded: String) {
        guard encoded.utf8.count <= 32, let text = Base64URL.decode(encoded), !text.isEmpty,
            text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), let sequence = Int(text)
        else { return nil }
        self.init(sequence: sequence)
    }
}
