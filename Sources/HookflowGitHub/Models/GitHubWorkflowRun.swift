import Foundation

/// A workflow run, as `GET /repos/{owner}/{repo}/actions/runs/{run_id}` returns it (the fields Hookflow uses).
public struct GitHubWorkflowRun: Codable, Sendable, Hashable {
    public var id: Int64
    public var name: String?
    /// The run's `run-name`, or an event-specific title.
    public var displayTitle: String
    public var status: GitHubRunStatus?
    public var conclusion: GitHubRunConclusion?
    public var runNumber: Int
    /// 1 for the first attempt; a re-run keeps the id and increments this.
    public var runAttempt: Int?
    public var event: String
    public var headBranch: String?
    public var headSHA: String
    public var path: String
    public var workflowID: Int64
    /// The run's page on GitHub.
    public var htmlURL: String
    /// The run in the REST API.
    public var url: String
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, displayTitle = "display_title", status, conclusion, runNumber = "run_number"
        case runAttempt = "run_attempt", event, headBranch = "head_branch", headSHA = "head_sha", path
        case workflowID = "workflow_id", htmlURL = "html_url", url, createdAt = "created_at", updatedAt = "updated_at"
    }

    /// Whether the run has finished (its conclusion is set).
    public var isCompleted: Bool { status == .completed }
}

/// One page of a run list.
public struct GitHubRunPage: Sendable {
    /// All runs that match the filter, across pages (GitHub caps filtered searches at 1,000).
    public var totalCount: Int
    public var runs: [GitHubWorkflowRun]
    /// The next page's number, when the `Link` header names one.
    public var nextPage: Int?
}

/// Filters of a run list; `nil` leaves a filter out.
public struct GitHubRunFilter: Sendable, Hashable {
    public var actor: String?
    public var branch: String?
    public var event: String?
    /// A status or a conclusion: `completed`, `success`, `in_progress`, …
    public var status: String?
    /// GitHub's date search syntax: `>=2026-01-01T00:00:00Z`, `2026-01-01..2026-01-31`.
    public var created: String?
    public var headSHA: String?
    public var checkSuiteID: Int64?
    public var excludePullRequests: Bool?
    /// At most 100.
    public var perPage: Int?
    public var page: Int?

    public init(
        actor: String? = nil, branch: String? = nil, event: String? = nil, status: String? = nil,
        created: String? = nil, headSHA: String? = nil, checkSuiteID: Int64? = nil,
        excludePullRequests: Bool? = nil, perPage: Int? = nil, page: Int? = nil
    ) {
        self.actor = actor
        self.branch = branch
        self.event = event
        self.status = status
        self.created = created
        self.headSHA = headSHA
        self.checkSuiteID = checkSuiteID
        self.excludePullRequests = excludePullRequests
        self.perPage = perPage
        self.page = page
    }

    var query: [(String, String)] {
        var query: [(String, String)] = []
        if let actor { query.append(("actor", actor)) }
        if let branch { query.append(("branch", branch)) }
        if let event { query.append(("event", event)) }
        if let status { query.append(("status", status)) }
        if let created { query.append(("created", created)) }
        if let headSHA { query.append(("head_sha", headSHA)) }
        if let checkSuiteID { query.append(("check_suite_id", String(checkSuiteID))) }
        if let excludePullRequests { query.append(("exclude_pull_requests", String(excludePullRequests))) }
        if let perPage { query.append(("per_page", String(perPage))) }
        if let page { query.append(("page", String(page))) }
        return query
    }
}
