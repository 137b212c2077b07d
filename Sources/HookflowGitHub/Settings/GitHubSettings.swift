import Foundation

/// GitHub settings, usually read from the environment with ``fromEnvironment(_:)``.
///
/// | Variable | Meaning |
/// |---|---|
/// | `GITHUB_PERSONAL_ACCESS_TOKEN` | a token; or the three `GITHUB_APP_*` below |
/// | `GITHUB_APP_ID` | the GitHub App's client id or app id |
/// | `GITHUB_APP_PRIVATE_KEY` or `GITHUB_APP_PRIVATE_KEY_PATH` | the app's private key, PEM, or its file |
/// | `GITHUB_APP_INSTALLATION_ID` | the app's installation |
/// | `GITHUB_DEFAULT_REPO` | `owner/name` used when a call names no repository |
/// | `GITHUB_API_URL` | `https://api.github.com`; `https://HOST/api/v3` for Enterprise Server |
/// | `GITHUB_API_VERSION` | `2022-11-28` (default) or `2026-03-10` |
/// | `GITHUB_WEBHOOK_SECRET` | the secret of the `workflow_run` webhook; without it durable waits poll |
public struct GitHubSettings: Sendable {
    public var credentials: GitHubCredentials?
    public var defaultRepository: GitHubRepository?
    public var apiURL: String
    public var apiVersion: GitHubAPIVersion
    public var webhookSecret: String?

    public init(
        credentials: GitHubCredentials?, defaultRepository: GitHubRepository? = nil,
        apiURL: String = "https://api.github.com", apiVersion: GitHubAPIVersion = .v2022_11_28,
        webhookSecret: String? = nil
    ) {
        self.credentials = credentials
        self.defaultRepository = defaultRepository
        self.apiURL = apiURL
        self.apiVersion = apiVersion
        self.webhookSecret = webhookSecret
    }

    /// Reads the settings; throws ``GitHubError/invalidConfiguration(_:)`` naming the variable at fault.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> GitHubSettings
    {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
                return nil
            }
            return text
        }
        var credentials: GitHubCredentials?
        if let token = value("GITHUB_PERSONAL_ACCESS_TOKEN") {
            credentials = .token(token)
        } else if let appID = value("GITHUB_APP_ID") {
            var key = value("GITHUB_APP_PRIVATE_KEY")
            if key == nil, let path = value("GITHUB_APP_PRIVATE_KEY_PATH") {
                guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw GitHubError.invalidConfiguration("GITHUB_APP_PRIVATE_KEY_PATH: cannot read '\(path)'")
                }
                key = contents
            }
            guard let key else {
                throw GitHubError.invalidConfiguration(
                    "GITHUB_APP_PRIVATE_KEY: GITHUB_APP_ID is set, but neither GITHUB_APP_PRIVATE_KEY nor GITHUB_APP_PRIVATE_KEY_PATH")
            }
            guard let text = value("GITHUB_APP_INSTALLATION_ID") else {
                throw GitHubError.invalidConfiguration("GITHUB_APP_INSTALLATION_ID: GITHUB_APP_ID is set, but not its installation id")
            }
            guard let installation = Int64(text), installation > 0 else {
                throw GitHubError.invalidConfiguration("GITHUB_APP_INSTALLATION_ID: must be a number, got '\(text)'")
            }
            credentials = .app(GitHubAppCredentials(appID: appID, privateKeyPEM: key, installationID: installation))
        }
        var repository: GitHubRepository?
        if let text = value("GITHUB_DEFAULT_REPO") {
            do {
                repository = try GitHubRepository(text)
            } catch {
                throw GitHubError.invalidConfiguration("GITHUB_DEFAULT_REPO: '\(text)' is not owner/name")
            }
        }
        let apiURL = value("GITHUB_API_URL") ?? "https://api.github.com"
        guard let url = URL(string: apiURL), url.scheme == "https" || url.scheme == "http", url.host != nil else {
            throw GitHubError.invalidConfiguration("GITHUB_API_URL: '\(apiURL)' is not an http(s) URL")
        }
        let version = value("GITHUB_API_VERSION").map(GitHubAPIVersion.init(rawValue:)) ?? .v2022_11_28
        guard version == .v2022_11_28 || version == .v2026_03_10 else {
            throw GitHubError.invalidConfiguration("GITHUB_API_VERSION: must be 2022-11-28 or 2026-03-10, got '\(version)'")
        }
        return GitHubSettings(
            credentials: credentials, defaultRepository: repository, apiURL: apiURL, apiVersion: version,
            webhookSecret: value("GITHUB_WEBHOOK_SECRET"))
    }

    /// A client with these settings; throws when no credentials are set.
    public func client(configure: (inout GitHubClient.Configuration) -> Void = { _ in }) throws -> GitHubClient {
        guard let credentials else {
            throw GitHubError.invalidConfiguration(
                "GitHubSettings.credentials: not set; give a token (.token) or a GitHub App (.app)")
        }
        var configuration = GitHubClient.Configuration(
            apiURL: apiURL, apiVersion: apiVersion, defaultRepository: defaultRepository,
            receivesWebhooks: webhookSecret != nil)
        configure(&configuration)
        return GitHubClient(credentials: credentials, configuration: configuration)
    }
}
