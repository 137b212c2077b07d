import HookflowGitHub
import HookflowVapor
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
    ///
    /// ```swift
    /// app.hookflow.use(github: GitHubSettings(credentials: .token(token), defaultRepository: try GitHubRepository("acme/shop")))
    /// ```
    public func use(github settings: GitHubSettings) {
        gitHubState.use(settings)
    }

    /// Mounts GitHub's webhook, `POST {HOOKFLOW_WEBHOOK_PATH}github/` (`/hookflow/github/`), on
    /// `routes`: it wakes the runs waiting for a GitHub Actions run
    /// (`ctx.step.waitForGitHubRun`) when the run completes.
    ///
    /// ```swift
    /// try app.hookflow.mountGitHubWebhook(on: app)
    /// ```
    ///
    /// Each delivery is verified with the webhook secret (`GITHUB_WEBHOOK_SECRET`, or
    /// `GitHubSettings.webhookSecret`). Answers: 200 handled, 202 an event or action with
    /// nothing to do, 401 unsigned or mis-signed (or no secret configured), 413 over
    /// `HOOKFLOW_MAX_PAYLOAD_SIZE`, 400 malformed, 500 when the database is unavailable.
    /// Throws `HookflowConfigurationError` when a `HOOKFLOW_*` setting is wrong.
    public func mountGitHubWebhook(on routes: any RoutesBuilder) throws {
        _ = gitHubState
        try mountWebhook("github", on: routes) { request in try await GitHubWebhookController.deliver(request) }
    }

    /// The app's GitHub state, made on first use; making it adds `hookflow github` to the app's
    /// commands and the `github` section to `hookflow settings`.
    var gitHubState: GitHubState {
        application.locks.lock(for: GitHubState.Key.self).withLock {
            if let state = application.storage[GitHubState.Key.self] { return state }
            let state = GitHubState()
            application.storage[GitHubState.Key.self] = state
            commands.use(GitHubCommandGroup(), as: "github")
            reportSettings(as: "github") { state.settingsSection() }
            return state
        }
    }
}
