import HookflowGitHub
import Synchronization
import Vapor

extension Application.Hookflow {
    /// The app's GitHub client, built from ``use(github:)`` or the `GITHUB_*` environment
    /// (see `GitHubSettings`). Throws, naming the setting, when GitHub is not configured.
    ///
    /// ```swift
    /// let run = try await app.hookflow.github.dispatch("deploy.yml", inputs: ["version": "1.4.2"])
    /// ```
    public var github: GitHubClient {
        get throws { try gitHubState.client(logger: application.logger) }
    }

    /// GitHub settings, overriding the `GITHUB_*` environment. Call before the first use of ``github``.
    public func use(github settings: GitHubSettings) {
        gitHubState.settings.withLock { $0 = (settings, nil) }
    }

    /// The webhook secret in force, if any.
    var gitHubWebhookSecret: String? {
        get throws { try gitHubState.resolvedSettings().webhookSecret }
    }

    var gitHubState: GitHubState { runtime.gitHub }
}

/// The app's GitHub settings and client, created on first use.
final class GitHubState: Sendable {
    let settings = Mutex<(GitHubSettings, GitHubClient?)?>(nil)

    func resolvedSettings() throws -> GitHubSettings {
        if let stored = settings.withLock({ $0?.0 }) { return stored }
        let loaded = try GitHubSettings.fromEnvironment()
        return settings.withLock { state in
            if state == nil { state = (loaded, nil) }
            return state!.0
        }
    }

    func client(logger: Logger) throws -> GitHubClient {
        let resolved = try resolvedSettings()
        if let client = settings.withLock({ $0?.1 }) { return client }
        let client = try resolved.client { $0.logger = logger }
        return settings.withLock { state in
            if state?.1 == nil { state?.1 = client }
            return state?.1 ?? client
        }
    }
}
