/// One page of a run's steps.
public struct StepPage: Sendable, Hashable {
    /// The steps, in execution order.
    public var steps: [StepRecord]
    /// Where the next page starts, or `nil` on the last page.
    public var next: StepCursor?

    public init(steps: [StepRecord], next: StepCursor?) {
        self.steps = steps
        self.next = next
    }
}
