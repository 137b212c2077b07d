import HookflowGitHub
import HookflowVapor
import Logging
import Synchronization
import Vapor

/// The app's GitHub settings and client: the settings given to `use(github:)` or, on first
/// use, read from the `GITHUB_*` environment; the client made from them on first use.
final class GitHubState: Sendable {
    struct Key: StorageKey, LockKey { typealias Value = GitHubState }

    /// The settings in force and where they came from.
    struct Resolved: Sendable {
        let settings: GitHubSettings
        /// `true` when read from the `GITHUB_*` environment, `false` when given in code.
        let fromEnvironment: Bool
        var client: GitHubClient?
    }

    private let state = Mutex<Resolved?>(nil)

    func use(_ settings: GitHubSettings) {
        state.withLock { $0 = Resolved(settings: settings, fromEnvironment: false) }
    }

    /// The settings in force; reads the environment on the first call when none were given.
    func resolved() throws -> Resolved {
        try state.withLock { try Self.resolve(&$0) }
    }

    /// The client, made on the first call.
    func client(logger: Logger) throws -> GitHubClient {
        try state.withLock { state in
            var resolved = try Self.resolve(&state)
            if let client = resolved.client { return client }
            if resolved.settings.credentials == nil, resolved.fromEnvironment {
                throw HookflowConfigurationError(
                    setting: "GITHUB_PERSONAL_ACCESS_TOKEN",
                    message: "not set (nor GITHUB_APP_ID with GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID)")
            }
            let client = try resolved.settings.client { $0.logger = logger }
            resolved.client = client
            state = resolved
            return client
        }
    }

    private static func resolve(_ state: inout Resolved?) throws -> Resolved {
        if let state { return state }
        let loaded = Resolved(settings: try GitHubSettings.fromEnvironment(), fromEnvironment: true)
        state = loaded
        return loaded
    }
}
