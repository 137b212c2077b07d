import Foundation

/// A run as stored.
public struct RunRecord: Sendable, Hashable {
    public var runID: WorkflowRunID
    public var workflowID: String
    public var status: RunStatus
    /// The input as JSON text.
    public var input: String
    /// The output as JSON text, once completed.
    public var result: String?
    public var errorMessage: String?
    /// When a sleeping run wakes.
    public var wakeAt: Date?
    /// Until when a running run is leased to its worker.
    public var leaseUntil: Date?
    public var createdAt: Date
    /// When the run was last written (a claim, a lease extension, a transition), where the store keeps
    /// it. A checkpoint that leaves the lease as it is does not write the run.
    public var updatedAt: Date?
    public var completedAt: Date?
    /// Invocations claimed since the run last made progress, the current one included: a claim
    /// increments it, a checkpoint sets it to 1, and the end of an invocation (a wait, a release,
    /// the run's end) to 0. So it counts the invocations in a row that crashed or could not write.
    public var unfinishedInvocations: Int
    /// Why the last unfinished invocation could not write, when it could say.
    public var lastInvocationError: String?
    /// The trace context of the trigger, as propagated by the tracer (JSON of its fields), so
    /// that the run's spans join the trace of the request that started it.
    public var traceContext: String?
    /// When an operator asked to cancel the run while it was executing: its next invocation
    /// delivers ``WorkflowCancelledError`` at its first step not yet checkpointed.
    public var cancelRequestedAt: Date?
    /// The run that started this one as its child, if one did.
    public var parent: RunParent?
    /// The run this one continues (``WorkflowContext/continueAsNew(input:)``), if it does.
    public var continuedFrom: WorkflowRunID?
    /// The version of the workflow's code that created the run (``Workflow/version``).
    public var workflowVersion: Int
    /// The schedule tick that started the run, if one did.
    public var scheduledBy: ScheduleTick?
    /// Its concurrency limits and priority.
    public var flow: RunFlow
    /// Moves on by one with every claim of the run and with every reopening of its dead letter: only
    /// the invocation that holds the run writes its steps, so a history its invocation at version
    /// `v` left behind is the whole history if the next claim finds `v + 1`.
    public var historyVersion: Int

    public init(
        runID: WorkflowRunID, workflowID: String, status: RunStatus, input: String, result: String? = nil,
        errorMessage: String? = nil, wakeAt: Date? = nil, leaseUntil: Date? = nil, createdAt: Date,
        completedAt: Date? = nil, unfinishedInvocations: Int = 0, lastInvocationError: String? = nil,
        traceContext: String? = nil, updatedAt: Date? = nil, cancelRequestedAt: Date? = nil, parent: RunParent? = nil,
        continuedFrom: WorkflowRunID? = nil, workflowVersion: Int = 1, scheduledBy: ScheduleTick? = nil,
        flow: RunFlow = .unlimited, historyVersion: Int = 0
    ) {
        self.historyVersion = historyVersion
        self.flow = flow
        self.scheduledBy = scheduledBy
        self.workflowVersion = workflowVersion
        self.parent = parent
        self.continuedFrom = continuedFrom
        self.cancelRequestedAt = cancelRequestedAt
        self.updatedAt = updatedAt
        self.traceContext = traceContext
        self.runID = runID
        self.workflowID = workflowID
        self.status = status
        self.input = input
        self.result = result
        self.errorMessage = errorMessage
        self.wakeAt = wakeAt
        self.leaseUntil = leaseUntil
        self.createdAt = createdAt
        self.completedAt = completedAt
        self.unfinishedInvocations = unfinishedInvocations
        self.lastInvocationError = lastInvocationError
    }
}
