/// The run's lease passed to another worker (this one stalled past the lease time);
/// its checkpoint was not written, and this invocation stops.
public struct LeaseLostError: Error, CustomStringConvertible {
    public let runID: WorkflowRunID

    public init(runID: WorkflowRunID) { self.runID = runID }

    public var description: String { "run \(runID) is no longer leased to this worker" }
}
