/// The REST API version sent as `X-GitHub-Api-Version`.
public struct GitHubAPIVersion: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// GitHub's default version. A dispatch asks for the run's id with `return_run_details`;
    /// servers that do not know it (GitHub Enterprise Server before 3.21) answer without one,
    /// and the client finds the run by correlation.
    public static let v2022_11_28 = GitHubAPIVersion(rawValue: "2022-11-28")
    /// The first version whose dispatch always returns the run's id. GitHub Enterprise Server
    /// before 3.21 rejects it.
    public static let v2026_03_10 = GitHubAPIVersion(rawValue: "2026-03-10")

    public var description: String { rawValue }
}
