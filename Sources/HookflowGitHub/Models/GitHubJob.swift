import Foundation

/// A job of a workflow run.
public struct GitHubJob: Codable, Sendable, Hashable {
    public var id: Int64
    public var runID: Int64
    public var runAttempt: Int?
    public var name: String
    public var status: GitHubRunStatus
    public var conclusion: GitHubRunConclusion?
    public var htmlURL: String?
    public var startedAt: Date
    public var completedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, runID = "run_id", runAttempt = "run_attempt", name, status, conclusion, htmlURL = "html_url"
        case startedAt = "started_at", completedAt = "completed_at"
    }

    /// Which attempts' jobs a list returns.
    public enum Filter: String, Sendable {
        /// The latest attempt's jobs (GitHub's default).
        case latest
        /// Every attempt's jobs.
        case all
    }
}
