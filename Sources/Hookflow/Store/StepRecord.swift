import Foundation

/// One step of a run as stored: its checkpoint, or its attempts so far.
public struct StepRecord: Sendable, Hashable, Codable {
    public var stepID: String
    public var kind: StepKind
    public var status: StepStatus
    /// The result as JSON text, once completed.
    public var result: String?
    public var errorMessage: String?
    /// Attempts made so far.
    public var attempts: Int
    /// The step's position in the run, from 0.
    public var sequence: Int
    /// For a sleep: when it ends; for a wait: when it times out.
    public var wakeAt: Date?
    /// For a wait: the key of the event it waits for.
    public var eventKey: String?
    /// When the step's latest attempt began (a sleep or a wait: when it was first recorded);
    /// `nil` for a step recorded before this was kept.
    public var startedAt: Date?
    /// When the step was last written.
    public var executedAt: Date

    enum CodingKeys: String, CodingKey {
        case stepID = "step_id", kind, status, result, errorMessage = "error_message", attempts, sequence
        case wakeAt = "wake_at", eventKey = "event_key", startedAt = "started_at", executedAt = "executed_at"
    }

    public init(
        stepID: String, kind: StepKind, status: StepStatus, result: String? = nil, errorMessage: String? = nil,
        attempts: Int, sequence: Int, wakeAt: Date? = nil, eventKey: String? = nil, startedAt: Date? = nil, executedAt: Date
    ) {
        self.stepID = stepID
        self.kind = kind
        self.status = status
        self.result = result
        self.errorMessage = errorMessage
        self.attempts = attempts
        self.sequence = sequence
        self.wakeAt = wakeAt
        self.eventKey = eventKey
        self.startedAt = startedAt
        self.executedAt = executedAt
    }
}
