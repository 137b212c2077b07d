import Foundation
import Hookflow

/// A workflow run's state as a `workflow_run` webhook or a poll reports it: what a durable
/// wait for the run receives.
public struct GitHubRunSnapshot: Codable, Sendable, Hashable {
    public var repository: GitHubRepository
    public var runID: Int64
    public var runAttempt: Int
    public var status: GitHubRunStatus?
    public var conclusion: GitHubRunConclusion?
    public var htmlURL: String?
    /// When the snapshot was taken (the poll's time, or the webhook's arrival).
    public var observedAt: Date
    /// The `ETag` of the poll that took it, for the next poll's conditional request.
    public var etag: String?

    enum CodingKeys: String, CodingKey {
        case repository, runID = "run_id", runAttempt = "run_attempt", status, conclusion, htmlURL = "html_url"
        case observedAt = "observed_at", etag
    }

    public init(_ run: GitHubWorkflowRun, in repository: GitHubRepository, observedAt: Date, etag: String? = nil) {
        self.repository = repository
        self.runID = run.id
        self.runAttempt = run.runAttempt ?? 1
        self.status = run.status
        self.conclusion = run.conclusion
        self.htmlURL = run.htmlURL
        self.observedAt = observedAt
        self.etag = etag
    }

    public var isCompleted: Bool { status == .completed }

    /// The event key under which the completion of attempt `attempt` of a run is notified.
    public static func eventKey(repository: GitHubRepository, runID: Int64, attempt: Int) -> String {
        "github.workflow_run:\(repository.description.lowercased()):\(runID):\(attempt)"
    }
}

/// A `workflow_run` delivery, decoded.
public struct GitHubWorkflowRunEvent: Decodable, Sendable {
    public var action: String
    public var workflowRun: GitHubWorkflowRun
    public var repository: Repository

    public struct Repository: Decodable, Sendable {
        public var fullName: String
        enum CodingKeys: String, CodingKey { case fullName = "full_name" }
    }

    enum CodingKeys: String, CodingKey {
        case action, workflowRun = "workflow_run", repository
    }

    /// Decodes a delivery's body.
    public static func decode(_ body: Data) throws -> GitHubWorkflowRunEvent {
        try GitHubClient.decoder.decode(GitHubWorkflowRunEvent.self, from: body)
    }
}

extension WorkflowEngine {
    /// Wakes the runs waiting in ``Hookflow/StepManager/waitForGitHubRun(_:_:using:timeout:)``
    /// for the run a `workflow_run` `completed` delivery reports. Returns the runs woken;
    /// other actions wake none.
    @discardableResult
    public func notify(_ event: GitHubWorkflowRunEvent, receivedAt: Date = Date()) async throws -> [WorkflowRunID] {
        guard event.action == "completed", event.workflowRun.isCompleted else { return [] }
        let repository = try GitHubRepository(event.repository.fullName)
        let snapshot = GitHubRunSnapshot(event.workflowRun, in: repository, observedAt: receivedAt)
        return try await notify(
            key: GitHubRunSnapshot.eventKey(repository: repository, runID: snapshot.runID, attempt: snapshot.runAttempt),
            payload: snapshot)
    }
}
