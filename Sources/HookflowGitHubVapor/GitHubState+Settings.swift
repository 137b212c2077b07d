import Foundation
import HookflowGitHub
import HookflowVapor

extension GitHubState {
    /// The variables `GitHubSettings.fromEnvironment` reads, in the order `hookflow settings` shows them.
    static let variables = [
        "GITHUB_PERSONAL_ACCESS_TOKEN", "GITHUB_APP_ID", "GITHUB_APP_PRIVATE_KEY", "GITHUB_APP_PRIVATE_KEY_PATH",
        "GITHUB_APP_INSTALLATION_ID", "GITHUB_DEFAULT_REPO", "GITHUB_API_URL", "GITHUB_API_VERSION", "GITHUB_WEBHOOK_SECRET",
    ]

    /// The credentials among them, never shown.
    static let secrets: Set<String> = ["GITHUB_PERSONAL_ACCESS_TOKEN", "GITHUB_APP_PRIVATE_KEY", "GITHUB_WEBHOOK_SECRET"]

    /// The `github` section of `hookflow settings`: the settings given in code or the `GITHUB_*`
    /// environment, secrets redacted, and whether the client and the webhook can work. It is in use
    /// once anything is configured; a wrong value then makes the command exit with status 1,
    /// missing credentials do not (the app starts; dispatching fails).
    func settingsSection(environment: [String: String] = ProcessInfo.processInfo.environment) -> HookflowSettingsSection {
        let resolved: Resolved
        do {
            resolved = try self.resolved()
        } catch {
            // Only the environment can be wrong: settings given in code are not read.
            let shown = Self.variables.map { Self.given($0, in: environment) }
            return HookflowSettingsSection(
                name: "github", active: true, configured: true, settings: shown, problems: [Self.problem(error)])
        }
        let settings = resolved.settings
        let shown = resolved.fromEnvironment ? Self.variables.map { Self.given($0, in: environment) } : Self.inCode(settings)
        let configured = !resolved.fromEnvironment || shown.contains { $0.source == .environment }
        var missing: [String] = []
        var notes: [String] = []
        if configured, settings.credentials == nil {
            if resolved.fromEnvironment {
                missing.append("GITHUB_PERSONAL_ACCESS_TOKEN")
                notes.append("or a GitHub App: GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY (or GITHUB_APP_PRIVATE_KEY_PATH) and GITHUB_APP_INSTALLATION_ID")
            } else {
                missing.append("GitHubSettings.credentials")
            }
        }
        if configured, settings.webhookSecret == nil {
            notes.append("without GITHUB_WEBHOOK_SECRET the webhook refuses deliveries and durable waits for GitHub runs poll")
        }
        return HookflowSettingsSection(
            name: "github", active: configured, configured: configured, settings: shown, missing: missing, notes: notes)
    }

    /// `variable` as `GitHubSettings.fromEnvironment` reads it (trimmed, empty as unset), with its default.
    private static func given(_ variable: String, in environment: [String: String]) -> HookflowSetting {
        let text = environment[variable]?.trimmingCharacters(in: .whitespacesAndNewlines)
        let value = text?.isEmpty == false ? text : nil
        let fallback: String? =
            switch variable {
            case "GITHUB_API_URL": "https://api.github.com"
            case "GITHUB_API_VERSION": GitHubAPIVersion.v2022_11_28.rawValue
            default: nil
            }
        let source: HookflowSetting.Source = value != nil ? .environment : fallback != nil ? .default : .unset
        return secrets.contains(variable)
            ? .secret(variable, value: value, source: source) : HookflowSetting(variable, value: value ?? fallback, source: source)
    }

    /// Settings given in code (`app.hookflow.use(github:)`), by the variables they stand for.
    private static func inCode(_ settings: GitHubSettings) -> [HookflowSetting] {
        func shown(_ value: String?) -> HookflowSetting.Source { value == nil ? .unset : .code }
        var token: String?
        var app: GitHubAppCredentials?
        switch settings.credentials {
        case .token(let value): token = value
        case .app(let credentials): app = credentials
        case nil: break
        }
        let installation = app.map { "\($0.installationID)" }
        let repository = settings.defaultRepository.map { "\($0)" }
        return [
            .secret("GITHUB_PERSONAL_ACCESS_TOKEN", value: token, source: shown(token)),
            HookflowSetting("GITHUB_APP_ID", value: app?.appID, source: shown(app?.appID)),
            .secret("GITHUB_APP_PRIVATE_KEY", value: app?.privateKeyPEM, source: shown(app?.privateKeyPEM)),
            HookflowSetting("GITHUB_APP_PRIVATE_KEY_PATH", value: nil, source: .unset),
            HookflowSetting("GITHUB_APP_INSTALLATION_ID", value: installation, source: shown(installation)),
            HookflowSetting("GITHUB_DEFAULT_REPO", value: repository, source: shown(repository)),
            HookflowSetting("GITHUB_API_URL", value: settings.apiURL, source: .code),
            HookflowSetting("GITHUB_API_VERSION", value: settings.apiVersion.rawValue, source: .code),
            .secret("GITHUB_WEBHOOK_SECRET", value: settings.webhookSecret, source: shown(settings.webhookSecret)),
        ]
    }

    /// A setting `GitHubSettings.fromEnvironment` refused, as the variable and what is wrong with it
    /// (its reason starts with the variable's name).
    private static func problem(_ error: any Error) -> HookflowConfigurationError {
        guard case .invalidConfiguration(let reason) = error as? GitHubError,
            let colon = reason.range(of: ": "), reason[..<colon.lowerBound].hasPrefix("GITHUB_")
        else { return HookflowConfigurationError(setting: "GITHUB_*", message: "\(error)") }
        return HookflowConfigurationError(
            setting: String(reason[..<colon.lowerBound]), message: String(reason[colon.upperBound...]))
    }
}
