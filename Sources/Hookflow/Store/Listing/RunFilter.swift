import Foundation

/// Which runs a listing shows; every condition that is set must hold.
///
/// ```swift
/// let stuck = RunFilter(workflowID: "process-order", statuses: [.sleeping, .running], createdUntil: .now - 3600)
/// let page = try await engine.listRuns(stuck, limit: 50)
/// ```
public struct RunFilter: Sendable, Hashable {
    /// Runs of this workflow only.
    public var workflowID: String?
    /// Runs in one of these statuses; empty for any.
    public var statuses: Set<RunStatus>
    /// Runs created at or after this time.
    public var createdSince: Date?
    /// Runs created before this time.
    public var createdUntil: Date?
    /// Runs last written at or after this time.
    public var updatedSince: Date?
    /// Runs last written before this time.
    public var updatedUntil: Date?
    /// Runs whose id starts with this text.
    public var runIDPrefix: String?
    /// Children of this run only.
    public var parentRunID: WorkflowRunID?
    /// Runs started by this schedule only.
    public var schedule: String?

    public init(
        workflowID: String? = nil, statuses: Set<RunStatus> = [], createdSince: Date? = nil, createdUntil: Date? = nil,
        updatedSince: Date? = nil, updatedUntil: Date? = nil, runIDPrefix: String? = nil,
        parentRunID: WorkflowRunID? = nil, schedule: String? = nil
    ) {
        self.schedule = schedule
        self.parentRunID = parentRunID
        self.workflowID = workflowID
        self.statuses = statuses
        self.createdSince = createdSince
        self.createdUntil = createdUntil
        self.updatedSince = updatedSince
        self.updatedUntil = updatedUntil
        self.runIDPrefix = runIDPrefix
    }

    /// Whether `run` matches, for a store that filters in memory.
    public func matches(_ run: RunRecord) -> Bool {
        let updated = run.updatedAt ?? run.createdAt
        return (workflowID.map { run.workflowID == $0 } ?? true)
            && (statuses.isEmpty || statuses.contains(run.status))
            && (createdSince.map { run.createdAt >= $0 } ?? true)
            && (createdUntil.map { run.createdAt < $0 } ?? true)
            && (updatedSince.map { updated >= $0 } ?? true)
            && (updatedUntil.map { updated < $0 } ?? true)
            && (runIDPrefix.map { run.runID.rawValue.utf8.starts(with: $0.utf8) } ?? true)
            && (parentRunID.map { run.parent?.runID == $0 } ?? true)
            && (schedule.map { run.scheduledBy?.name == $0 } ?? true)
    }
}
