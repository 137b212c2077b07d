import Foundation

extension GitHubClient {
    /// Runs of a repository, or of one workflow (file name or id), newest first.
    public func listRuns(
        in repository: GitHubRepository, workflow: String? = nil, filter: GitHubRunFilter = .init()
    ) async throws -> GitHubRunPage {
        struct Page: Decodable {
            var total_count: Int
            var workflow_runs: [GitHubWorkflowRun]
        }
        let path =
            workflow.map { "\(Self.path(repository))/actions/workflows/\(Self.segment($0))/runs" }
            ?? "\(Self.path(repository))/actions/runs"
        let response = try await send(.GET, path, query: filter.query)
        let page: Page
        do {
            page = try Self.decoder.decode(Page.self, from: response.body)
        } catch {
            throw GitHubError.invalidResponse(request: "GET \(path)", reason: "\(error)")
        }
        return GitHubRunPage(
            totalCount: page.total_count, runs: page.workflow_runs,
            nextPage: Self.nextPage(response.headers.first(name: "Link")))
    }

    /// One run.
    public func run(_ runID: Int64, in repository: GitHubRepository) async throws -> GitHubWorkflowRun {
        try await send(GitHubWorkflowRun.self, .GET, "\(Self.path(repository))/actions/runs/\(runID)")
    }

    /// One run, unless it is unchanged since the answer that carried `etag`: a conditional
    /// request, which GitHub does not count against the rate limit when it answers 304.
    public func run(
        _ runID: Int64, in repository: GitHubRepository, ifNoneMatch etag: String?
    ) async throws -> (run: GitHubWorkflowRun?, etag: String?) {
        let path = "\(Self.path(repository))/actions/runs/\(runID)"
        let response = try await send(.GET, path, ifNoneMatch: etag)
        if response.status == 304 { return (nil, etag) }
        do {
            return (try Self.decoder.decode(GitHubWorkflowRun.self, from: response.body), response.headers.first(name: "ETag"))
        } catch {
            throw GitHubError.invalidResponse(request: "GET \(path)", reason: "\(error)")
        }
    }

    /// Asks GitHub to cancel a run; cancellation finishes asynchronously (the run then
    /// completes with `cancelled`). Throws ``GitHubError/conflict(request:message:)`` when
    /// the run cannot be cancelled, e.g. it already completed.
    public func cancel(_ runID: Int64, in repository: GitHubRepository) async throws {
        try await send(.POST, "\(Self.path(repository))/actions/runs/\(runID)/cancel")
    }

    /// Cancels a run even past `always()` conditions; for runs that ``cancel(_:in:)`` does not stop.
    public func forceCancel(_ runID: Int64, in repository: GitHubRepository) async throws {
        try await send(.POST, "\(Self.path(repository))/actions/runs/\(runID)/force-cancel")
    }

    /// Re-runs a whole run: same run id, next attempt.
    public func rerun(_ runID: Int64, in repository: GitHubRepository, debugLogging: Bool = false) async throws {
        try await send(
            .POST, "\(Self.path(repository))/actions/runs/\(runID)/rerun", body: RerunBody(enable_debug_logging: debugLogging))
    }

    /// Re-runs the failed jobs of a run and the jobs that depend on them.
    public func rerunFailedJobs(_ runID: Int64, in repository: GitHubRepository, debugLogging: Bool = false) async throws {
        try await send(
            .POST, "\(Self.path(repository))/actions/runs/\(runID)/rerun-failed-jobs",
            body: RerunBody(enable_debug_logging: debugLogging))
    }

    /// The jobs of a run (the first 100).
    public func jobs(
        of runID: Int64, in repository: GitHubRepository, filter: GitHubJob.Filter = .latest
    ) async throws -> [GitHubJob] {
        struct Page: Decodable { var jobs: [GitHubJob] }
        return try await send(
            Page.self, .GET, "\(Self.path(repository))/actions/runs/\(runID)/jobs",
            query: [("filter", filter.rawValue), ("per_page", "100")]
        ).jobs
    }

    /// The short-lived URL (about a minute) of a run's log archive. Fetch it without
    /// GitHub credentials: it is signed.
    public func logsURL(of runID: Int64, in repository: GitHubRepository) async throws -> URL {
        let path = "\(Self.path(repository))/actions/runs/\(runID)/logs"
        let response = try await send(.GET, path, followRedirects: false)
        guard (300..<400).contains(response.status), let location = response.headers.first(name: "Location"),
            let url = URL(string: location)
        else {
            throw GitHubError.invalidResponse(request: "GET \(path)", reason: "expected a redirect to the logs, got \(response.status)")
        }
        return url
    }

    private struct RerunBody: Encodable, Sendable {
        var enable_debug_logging: Bool
    }

    // MARK: Paths

    static func path(_ repository: GitHubRepository) -> String {
        "/repos/\(segment(repository.owner))/\(segment(repository.name))"
    }

    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// The page number of `rel="next"` in a `Link` header.
    static func nextPage(_ link: String?) -> Int? {
        guard let link else { return nil }
        for part in link.split(separator: ",") where part.contains("rel=\"next\"") {
            guard let start = part.firstIndex(of: "<"), let end = part.firstIndex(of: ">"),
                let components = URLComponents(string: String(part[part.index(after: start)..<end])),
                let page = components.queryItems?.first(where: { $0.name == "page" })?.value
            else { continue }
            return Int(page)
        }
        return nil
    }
}
