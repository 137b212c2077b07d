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
    /// | `HOOKFLOW_CANCELLATION_GRACE_SECONDS` | `30` | how long a run cancelled while executing may run compensating steps |
    /// | `HOOKFLOW_MAX_CHILD_DEPTH` | `32` | how deep child runs may nest before starting another fails the run |
    /// | `HOOKFLOW_RETENTION_DAYS` | – (forever) | finished runs and dead letters older than this are deleted every hour |
    /// | `HOOKFLOW_API_TOKEN` | – | the bearer token the JSON API asks for (at least 16 characters) |
    public static func fromEnvironment(
        _ environment: [String: String], defaults: HookflowConfiguration = .init()
    ) throws -> HookflowConfiguration {
        let reading = Self.read(environment, defaults: defaults)
        if let problem = reading.problems.first { throw problem }
        return reading.configuration
    }

    /// What ``fromEnvironment(_:defaults:)`` makes of `environment`, without stopping at the first
    /// bad setting: the configuration (the default standing in for each setting that is wrong) and
    /// every setting that is wrong, in the order `fromEnvironment` checks them, so that its error
    /// is the first of them. `hookflow settings` lists them all.
    static func read(_ environment: [String: String], defaults: HookflowConfiguration = .init()) -> EnvironmentReading {
        var configuration = defaults
        var problems: [HookflowConfigurationError] = []
        /// The value of `name` as `parse` reads it; `nil` when unset, or when wrong (then recorded).
        func setting<Value>(_ name: String, _ parse: (String) throws -> Value) -> Value? {
            guard let text = environment[name] else { return nil }
            do {
                return try parse(text)
            } catch {
                problems.append(error as? HookflowConfigurationError ?? HookflowConfigurationError(setting: name, message: "\(error)"))
                return nil
            }
        }
        let workers = setting("HOOKFLOW_WORKERS") { value -> Int in
            guard let count = Int(value), count >= 1 else {
                throw HookflowConfigurationError(setting: "HOOKFLOW_WORKERS", message: "must be a whole number of at least 1, got '\(value)'")
            }
            return count
        }
        switch environment["HOOKFLOW_TRANSPORT"]?.lowercased() {
        case nil, "local":
            if let workers { configuration.transport = .local(workers: workers) }
        case "qstash":
            let qstash = Self.readQStash(from: environment)
            problems += qstash.problems
            if let settings = qstash.settings { configuration.transport = .qstash(settings) }
        case let other?:
            problems.append(HookflowConfigurationError(
                setting: "HOOKFLOW_TRANSPORT", message: "must be 'local' or 'qstash', got '\(other)'"))
        }
        if let database = setting("HOOKFLOW_DATABASE_URL", Self.parseDatabaseURL) {
            configuration.database = database
        }
        let lease = setting("HOOKFLOW_LEASE_SECONDS") { value -> Duration in
            guard let seconds = Double(value), seconds > 0, seconds.isFinite else {
                throw HookflowConfigurationError(
                    setting: "HOOKFLOW_LEASE_SECONDS", message: "must be a positive number of seconds, got '\(value)'")
            }
            return HookflowTime.duration(seconds: seconds)
        }
        if let lease { configuration.leaseDuration = lease }
        let sweep = setting("HOOKFLOW_SWEEP_INTERVAL_SECONDS") { value -> Duration in
            guard let seconds = Double(value), seconds >= 1, seconds.isFinite else {
                throw HookflowConfigurationError(
                    setting: "HOOKFLOW_SWEEP_INTERVAL_SECONDS", message: "must be at least 1 second, got '\(value)'")
            }
            return HookflowTime.duration(seconds: seconds)
        }
        if let sweep { configuration.sweepInterval = sweep }
        let shutdown = setting("HOOKFLOW_SHUTDOWN_TIMEOUT_SECONDS") { value -> Duration in
            guard let seconds = Double(value), seconds >= 0, seconds.isFinite else {
                throw HookflowConfigurationError(
                    setting: "HOOKFLOW_SHUTDOWN_TIMEOUT_SECONDS", message: "must be a number of seconds (0 or more), got '\(value)'")
            }
            return HookflowTime.duration(seconds: seconds)
        }
        if let shutdown { configuration.shutdownTimeout = shutdown }
        let grace = setting("HOOKFLOW_CANCELLATION_GRACE_SECONDS") { value -> Duration in
            guard let seconds = Double(value), seconds >= 0, seconds.isFinite else {
                throw HookflowConfigurationError(
                    setting: "HOOKFLOW_CANCELLATION_GRACE_SECONDS", message: "must be a number of seconds (0 or more), got '\(value)'")
            }
            return HookflowTime.duration(seconds: seconds)
        }
        if let grace { configuration.cancellationGracePeriod = grace }
        let depth = setting("HOOKFLOW_MAX_CHILD_DEPTH") { value -> Int in
            guard let depth = Int(value), (1...1000).contains(depth) else {
                throw HookflowConfigurationError(
                    setting: "HOOKFLOW_MAX_CHILD_DEPTH", message: "must be a whole number from 1 to 1000, got '\(value)'")
            }
            return depth
        }
        if let depth { configuration.maxChildDepth = depth }
        let retention = setting("HOOKFLOW_RETENTION_DAYS") { value -> Duration in
            guard let days = Double(value), days > 0, days.isFinite else {
                throw HookflowConfigurationError(
                    setting: "HOOKFLOW_RETENTION_DAYS", message: "must be a positive number of days, got '\(value)'")
            }
            return HookflowTime.duration(seconds: days * 86_400)
        }
        if let retention { configuration.retention = retention }
        let token = setting("HOOKFLOW_API_TOKEN") { token -> HookflowAPIToken in
            guard token.count >= 16, !token.contains(where: \.isWhitespace) else {
                // The length only: the value is a secret.
                throw HookflowConfigurationError(
                    setting: "HOOKFLOW_API_TOKEN", message: "must be at least 16 characters with no spaces (got \(token.count) characters)")
            }
            return HookflowAPIToken(token)
        }
        if let token { configuration.apiToken = token }
        let path = setting("HOOKFLOW_WEBHOOK_PATH") { _ in try Self.webhookPath(from: environment, default: defaults.webhookPath) }
        if let path { configuration.webhookPath = path }
        let size = setting("HOOKFLOW_MAX_PAYLOAD_SIZE") { _ in try Self.maxPayloadSize(from: environment, default: defaults.maxPayloadSize) }
        if let size { configuration.maxPayloadSize = size }
        switch environment["HOOKFLOW_PERSISTENCE_ENABLED"]?.lowercased() {
        case nil: break
        case "true", "1", "yes": configuration.persistenceEnabled = true
        case "false", "0", "no": configuration.persistenceEnabled = false
        case let other?:
            problems.append(HookflowConfigurationError(
                setting: "HOOKFLOW_PERSISTENCE_ENABLED", message: "must be true or false, got '\(other)'"))
        }
        // Settings that contradict each other, once each one is right on its own.
        if problems.isEmpty { problems = configuration.problems }
        return EnvironmentReading(configuration: configuration, problems: problems)
    }

    /// The QStash settings of `environment`, or what keeps them from working: every required
    /// variable that is unset or empty, then every value that is wrong.
    static func readQStash(from environment: [String: String]) -> QStashReading {
        var missing: [String] = []
        var problems: [HookflowConfigurationError] = []
        func required(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else {
                missing.append(name)
                problems.append(HookflowConfigurationError(setting: name, message: "is required with HOOKFLOW_TRANSPORT=qstash"))
                return nil
            }
            return value
        }
        func seconds(_ name: String, default value: Double, allowZero: Bool) -> Duration? {
            guard let text = environment[name] else { return HookflowTime.duration(seconds: value) }
            guard let number = Double(text), number.isFinite, allowZero ? number >= 0 : number > 0 else {
                problems.append(HookflowConfigurationError(setting: name, message: "must be a number of seconds, got '\(text)'"))
                return nil
            }
            return HookflowTime.duration(seconds: number)
        }
        let token = required("QSTASH_TOKEN")
        let current = required("QSTASH_CURRENT_SIGNING_KEY")
        let next = required("QSTASH_NEXT_SIGNING_KEY")
        let domain = required("HOOKFLOW_DOMAIN")
        let budget = seconds("HOOKFLOW_INVOCATION_BUDGET_SECONDS", default: 30, allowZero: false)
        let tolerance = seconds("QSTASH_CLOCK_TOLERANCE_SECONDS", default: 0, allowZero: true)
        guard let token, let current, let next, let domain, let budget, let tolerance else {
            return QStashReading(settings: nil, missing: missing, problems: problems)
        }
        let settings = QStashSettings(
            url: environment["QSTASH_URL"] ?? QStashClient.defaultBaseURL, token: token,
            signingKeys: QStashSigningKeys(current: current, next: next), domain: domain,
            invocationBudget: budget, clockTolerance: tolerance)
        return QStashReading(settings: settings, missing: [], problems: settings.problems)
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
