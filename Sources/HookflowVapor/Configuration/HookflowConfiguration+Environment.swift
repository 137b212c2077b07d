import Foundation

/// A setting that cannot be used, named with its value so the fix is obvious.
public struct HookflowConfigurationError: Error, CustomStringConvertible {
    /// The environment variable (or code-level setting) at fault.
    public let setting: String
    public let message: String

    public init(setting: String, message: String) {
        self.setting = setting
        self.message = message
    }

    public var description: String { "\(setting): \(message)" }
}

extension HookflowConfiguration {
    /// Reads `HOOKFLOW_*` settings from `environment`, starting from `defaults`.
    ///
    /// | variable | default | meaning |
    /// |---|---|---|
    /// | `HOOKFLOW_TRANSPORT` | `local` | how runs are driven |
    /// | `HOOKFLOW_DATABASE_URL` | `sqlite://hookflow.sqlite` | the database |
    /// | `HOOKFLOW_WORKERS` | `4` | in-process workers of the local transport |
    /// | `HOOKFLOW_LEASE_SECONDS` | `30` | lease of a claimed run |
    /// | `HOOKFLOW_WEBHOOK_PATH` | `/hookflow/` | base path of Hookflow's routes |
    public static func fromEnvironment(
        _ environment: [String: String], defaults: HookflowConfiguration = .init()
    ) throws -> HookflowConfiguration {
        var configuration = defaults
        var workers: Int?
        if let value = environment["HOOKFLOW_WORKERS"] {
            guard let count = Int(value), count >= 1 else {
                throw HookflowConfigurationError(setting: "HOOKFLOW_WORKERS", message: "must be a whole number of at least 1, got '\(value)'")
            }
            workers = count
        }
        switch environment["HOOKFLOW_TRANSPORT"]?.lowercased() {
        case nil, "local":
            if let workers { configuration.transport = .local(workers: workers) }
        case "qstash":
            throw HookflowConfigurationError(
                setting: "HOOKFLOW_TRANSPORT",
                message: "'qstash' is not available in this version of Hookflow yet; use 'local'")
        case let other?:
            throw HookflowConfigurationError(
                setting: "HOOKFLOW_TRANSPORT", message: "must be 'local' or 'qstash', got '\(other)'")
        }
        if let url = environment["HOOKFLOW_DATABASE_URL"] {
            configuration.database = try parseDatabaseURL(url)
        }
        if let value = environment["HOOKFLOW_LEASE_SECONDS"] {
            guard let seconds = Double(value), seconds > 0, seconds.isFinite else {
                throw HookflowConfigurationError(
                    setting: "HOOKFLOW_LEASE_SECONDS", message: "must be a positive number of seconds, got '\(value)'")
            }
            configuration.leaseDuration = .milliseconds(Int64(seconds * 1000))
        }
        configuration.webhookPath = try webhookPath(from: environment, default: defaults.webhookPath)
        return configuration
    }

    /// `HOOKFLOW_WEBHOOK_PATH`, normalised to end with `/`.
    static func webhookPath(from environment: [String: String], default: String = "/hookflow/") throws -> String {
        guard let path = environment["HOOKFLOW_WEBHOOK_PATH"] else { return `default` }
        guard path.hasPrefix("/") else {
            throw HookflowConfigurationError(
                setting: "HOOKFLOW_WEBHOOK_PATH", message: "must start with '/', got '\(path)'")
        }
        return path.hasSuffix("/") ? path : path + "/"
    }

    /// `sqlite://relative.sqlite`, `sqlite:///absolute/path.sqlite`.
    static func parseDatabaseURL(_ url: String) throws -> HookflowDatabase {
        let setting = "HOOKFLOW_DATABASE_URL"
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else {
                throw HookflowConfigurationError(setting: setting, message: "names no file, got '\(url)'; use sqlite://hookflow.sqlite")
            }
            return .sqlite(path: path)
        }
        let scheme = url.split(separator: ":", maxSplits: 1).first.map(String.init) ?? url
        if scheme == "postgres" || scheme == "postgresql" {
            throw HookflowConfigurationError(
                setting: setting, message: "PostgreSQL is not available in this version of Hookflow yet; use sqlite://FILE")
        }
        throw HookflowConfigurationError(
            setting: setting, message: "unsupported scheme '\(scheme)'; use sqlite://FILE (e.g. sqlite://hookflow.sqlite)")
    }
}
