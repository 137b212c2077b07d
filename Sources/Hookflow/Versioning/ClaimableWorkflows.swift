/// The workflows an instance executes, each with the versions of it that the instance's code
/// replays (``Workflow/supportedVersions``): a claim takes only such runs, so that during a
/// rolling deploy an instance never executes a run its code cannot replay.
public struct ClaimableWorkflows: Sendable, Hashable, ExpressibleByArrayLiteral {
    /// The versions claimed of each workflow.
    public var versions: [String: ClosedRange<Int>]

    public init(versions: [String: ClosedRange<Int>]) {
        self.versions = versions
    }

    /// These workflows, at any version.
    public init(arrayLiteral ids: String...) {
        versions = Dictionary(ids.map { ($0, 1...Int.max) }, uniquingKeysWith: { first, _ in first })
    }

    /// Whether a claim may take `run`.
    public func admits(_ run: RunRecord) -> Bool {
        versions[run.workflowID]?.contains(run.workflowVersion) ?? false
    }

    /// The workflows, sorted, with their lowest and highest versions: what the SQL stores bind.
    public var rows: [(id: String, lowest: Int, highest: Int)] {
        versions.keys.sorted().map { ($0, versions[$0]!.lowerBound, versions[$0]!.upperBound) }
    }
}

/// A run was delivered to an instance whose code does not replay its version (a rolling deploy):
/// the run is handed back and the delivery fails, so that it is retried.
public struct UnsupportedWorkflowVersionError: Error, CustomStringConvertible, Sendable {
    public let runID: WorkflowRunID
    public let workflowID: String
    /// The version the run was created by.
    public let version: Int
    /// The versions this instance's code replays.
    public let supported: ClosedRange<Int>

    public var description: String {
        "run \(StoredText.shown(runID.rawValue)) is version \(version) of workflow '\(workflowID)'; this instance replays "
            + "versions \(supported.lowerBound) to \(supported.upperBound) (its supportedVersions): left to another instance"
    }
}
