import Foundation

/// A trigger that collapses into the run its key is waiting to start: see
/// ``WorkflowEngine/trigger(_:input:debounceKey:debounce:maxWait:concurrencyKey:priority:)``.
public struct DebouncedTrigger: Sendable, Hashable {
    /// The id of the run to create when none is waiting.
    public var runID: WorkflowRunID
    public var workflowID: String
    /// The input, as JSON text: the last trigger's wins.
    public var input: String
    public var traceContext: String?
    public var workflowVersion: Int
    /// Triggers with the same key collapse while their run has not started.
    public var key: String
    /// How long the key must stay quiet before the run starts.
    public var window: Duration
    /// How long after the first trigger the run starts however often it is triggered; `nil` for no bound.
    public var maxWait: Duration?
    public var flow: RunFlow

    public init(
        runID: WorkflowRunID, workflowID: String, input: String, traceContext: String?, workflowVersion: Int, key: String,
        window: Duration, maxWait: Duration?, flow: RunFlow
    ) {
        self.runID = runID
        self.workflowID = workflowID
        self.input = input
        self.traceContext = traceContext
        self.workflowVersion = workflowVersion
        self.key = key
        self.window = window
        self.maxWait = maxWait
        self.flow = flow
    }

    /// When the run starts after a trigger at `now`: once the window passes quietly, or at its deadline when sooner.
    public func start(now: Date, deadline: Date?) -> Date {
        let quiet = HookflowTime.date(now, plus: window)
        return deadline.map { min($0, quiet) } ?? quiet
    }
}

/// What a debounced trigger did.
public struct DebounceOutcome: Sendable, Hashable {
    /// The run that will start: the one waiting, or a new one.
    public var runID: WorkflowRunID
    /// When it starts, unless triggered again.
    public var startAt: Date
    /// Whether the trigger created the run.
    public var created: Bool

    public init(runID: WorkflowRunID, startAt: Date, created: Bool) {
        self.runID = runID
        self.startAt = startAt
        self.created = created
    }
}
