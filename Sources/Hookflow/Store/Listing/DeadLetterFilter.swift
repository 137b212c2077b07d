/// Which dead letters a listing shows; every condition that is set must hold.
public struct DeadLetterFilter: Sendable, Hashable {
    /// Entries of this workflow only.
    public var workflowID: String?
    /// Entries of this run only.
    public var runID: WorkflowRunID?
    /// `false`: entries still waiting for a replay; `true`: replayed ones; `nil`: both.
    public var replayed: Bool?

    public init(workflowID: String? = nil, runID: WorkflowRunID? = nil, replayed: Bool? = nil) {
        self.workflowID = workflowID
        self.runID = runID
        self.replayed = replayed
    }

    /// Whether `letter` matches, for a store that filters in memory.
    public func matches(_ letter: DeadLetterRecord) -> Bool {
        (workflowID.map { letter.workflowID == $0 } ?? true)
            && (runID.map { letter.runID == $0 } ?? true)
            && (replayed.map { $0 == (letter.replayedAt != nil) } ?? true)
    }
}
