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
    public var completedAt: Date?

    public init(
        runID: WorkflowRunID, workflowID: String, status: RunStatus, input: String, result: String? = nil,
        errorMessage: String? = nil, wakeAt: Date? = nil, leaseUntil: Date? = nil, createdAt: Date,
        completedAt: Date? = nil
    ) {
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
    }
}
