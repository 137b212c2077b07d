import Foundation
import Hookflow
import HookflowFluent
import HookflowQStash

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
    /// | `HOOKFLOW_DATABASE_URL` | `sqlite://hookflow.sqlite` | the database: `sqlite://FILE` or `postgres://…` |
    /// | `HOOKFLOW_WORKERS` | `4` | in-process workers of the local transport |
    /// | `HOOKFLOW_LEASE_SECONDS` | `30` | lease of a claimed run |
    /// | `HOOKFLOW_WEBHOOK_PATH` | `/hookflow/` | base path of Hookflow's routes |
    /// | `HOOKFLOW_MAX_PAYLOAD_SIZE` | `1048576` | largest webhook body, in bytes |
    /// | `QSTASH_URL`, `QSTASH_TOKEN`, `QSTASH_CURRENT_SIGNING_KEY`, `QSTASH_NEXT_SIGNING_KEY`, `HOOKFLOW_DOMAIN` | – | required with `HOOKFLOW_TRANSPORT=qstash` |
    /// | `HOOKFLOW_INVOCATION_BUDGET_SECONDS` | `30` | how long one QStash delivery executes steps |
    /// | `QSTASH_CLOCK_TOLERANCE_SECONDS` | `0` | slack for the signature's expiry |
    /// | `HOOKFLOW_PERSISTENCE_ENABLED` | `true` | `false`: stateless mode, QStash only |
    /// | `HOOKFLOW_SWEEP_INTERVAL_SECONDS` | `60` | with QStash, how often runs left with no message are published again |
    /// | `HOOKFLOW_SHUTDOWN_TIMEOUT_SECONDS` | `30` | how long shutdown waits for steps in flight before it cancels them |
    /// | `HOOKFLOW_RETENTION_DAYS` | – (forever) | finished runs and dead letters older than this are deleted every hour |
    /// | `HOOKFLOW_API_TOKEN` | – | the bearer token the JSON API asks for (at least 16 characters) |
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
            configuration.transport = .qstash(try qstashSettings(from: environment))
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
            configuration.leaseDuration = HookflowTime.duration(seconds: seconds)
        }
        if let value = environment["HOOKFLOW_SWEEP_INTERVAL_SECONDS"] {
            guard let seconds = Double(value), seconds >= 1, seconds.isFinite else {
                throw HookflowConfigurationError(
                    setting: "HOOKFLOW_SWEEP_INTERVAL_SECONDS", message: "must be at least 1 second, got '\(value)'")
            }
            configuration.sweepInterval = HookflowTime.duration(seconds: seconds)
        }
        if let value = environment["HOOKFLOW_SHUTDOWN_TIMEOUT_SECONDS"] {
            guard let seconds = Double(value), seconds >= 0, seconds.isFinite else {
                throw HookflowConfigurationError(
                    setting: "HOOKFLOW_SHUTDOWN_TIMEOUT_SECONDS", message: "must be a number of seconds (0 or more), got '\(value)'")
            }
            configuration.shutdownTimeout = HookflowTime.duration(seconds: seconds)
        }
        if let value = environment["HOOKFLOW_RETENTION_DAYS"] {
            guard let days = Double(value), days > 0, days.isFinite else {
                throw HookflowConfigurationError(
                    setting: "HOOKFLOW_RETENTION_DAYS", message: "must be a positive number of days, got '\(value)'")
            }
            configuration.retention = HookflowTime.duration(seconds: days * 86_400)
        }
        if let token = environment["HOOKFLOW_API_TOKEN"] {
            guard token.count >= 16, !token.contains(where: \.isWhitespace) else {
                throw HookflowConfigurationError(
                    setting: "HOOKFLOW_API_TOKEN", message: "must be at least 16 characters with no spaces (got \(token.count) characters)")
            }
            configuration.apiToken = HookflowAPIToken(token)
        }
        configuration.webhookPath = try webhookPath(from: environment, default: defaults.webhookPath)
        configuration.maxPayloadSize = try maxPayloadSize(from: environment, default: defaults.maxPayloadSize)
        switch environment["HOOKFLOW_PERSISTENCE_ENABLED"]?.lowercased() {
        case nil: break
        case "true", "1", "yes": configuration.persistenceEnabled = true
        case "false", "0", "no": configuration.persistenceEnabled = false
        case let other?:
            throw HookflowConfigurationError(
                setting: "HOOKFLOW_PERSISTENCE_ENABLED", message: "must be true or false, got '\(other)'")
        }
        try configuration.validate()
        return configuration
    }

    /// The QStash settings; fails closed, naming the first missing setting.
    static func qstashSettings(from environment: [String: String]) throws -> QStashSettings {
        func required(_ name: String) throws -> String {
            guard let value = environment[name], !value.isEmpty else {
                throw HookflowConfigurationError(setting: name, message: "is required with HOOKFLOW_TRANSPORT=qstash")
            }
            return value
        }
        func seconds(_ name: String, default value: Double, allowZero: Bool) throws -> Duration {
            guard let text = environment[name] else { return HookflowTime.duration(seconds: value) }
            guard let number = Double(text), number.isFinite, allowZero ? number >= 0 : number > 0 else {
                throw HookflowConfigurationError(setting: name, message: "must be a number of seconds, got '\(text)'")
            }
            return HookflowTime.duration(seconds: number)
        }
        let settings = QStashSettings(
            url: environment["QSTASH_URL"] ?? QStashClient.defaultBaseURL,
            token: try required("QSTASH_TOKEN"),
            signingKeys: QStashSigningKeys(
                current: try required("QSTASH_CURRENT_SIGNING_KEY"), next: try required("QSTASH_NEXT_SIGNING_KEY")),
            domain: try required("HOOKFLOW_DOMAIN"),
            invocationBudget: try seconds("HOOKFLOW_INVOCATION_BUDGET_SECONDS", default: 30, allowZero: false),
            clockTolerance: try seconds("QSTASH_CLOCK_TOLERANCE_SECONDS", default: 0, allowZero: true))
        try settings.validate()
        return settings
    }

    /// `HOOKFLOW_MAX_PAYLOAD_SIZE`, in bytes.
    static func maxPayloadSize(from environment: [String: String], default: Int = 1024 * 1024) throws -> Int {
        guard let text = environment["HOOKFLOW_MAX_PAYLOAD_SIZE"] else { return `default` }
        guard let bytes = Int(text), bytes > 0 else {
            throw HookflowConfigurationError(
                setting: "HOOKFLOW_MAX_PAYLOAD_SIZE", message: "must be a positive number of bytes, got '\(text)'")
        }
        return bytes
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

    /// `sqlite://relative.sqlite`, `sqlite:///absolute/path.sqlite`, `postgres://user:password@host:5432/name`.
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
            do {
                _ = try PostgresWorkflowStore.redacted(url: url)
            } catch {
                throw HookflowConfigurationError(setting: setting, message: "\(error)")
            }
            return .postgres(url: url)
        }
        throw HookflowConfigurationError(
            setting: setting,
            message: "unsupported scheme '\(scheme)'; use sqlite://FILE (e.g. sqlite://hookflow.sqlite) or postgres://USER:PASSWORD@HOST/NAME")
    }
}
