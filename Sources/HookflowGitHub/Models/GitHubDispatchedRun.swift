/// The run a dispatch started.
public struct GitHubDispatchedRun: Codable, Sendable, Hashable {
    public var repository: GitHubRepository
    /// The workflow file name or id that was dispatched.
    public var workflow: String
    public var runID: Int64
    /// The run's page on GitHub.
    public var htmlURL: String?
    /// How the run id was learned.
    public var source: Source

    public enum Source: String, Codable, Sendable {
        /// GitHub returned it with the dispatch.
        case returned
        /// The server returned none; the run was found in the run list afterwards.
        case correlated
    }

    enum CodingKeys: String, CodingKey {
        case repository, workflow, runID = "run_id", htmlURL = "html_url", source
    }

    public init(repository: GitHubRepository, workflow: String, runID: Int64, htmlURL: String?, source: Source) {
        self.repository = repository
        self.workflow = workflow
        self.runID = runID
        self.htmlURL = htmlURL
        self.source = source
    }
}
