import Foundation
import Hookflow
import HookflowFluent

/// Where Hookflow keeps its runs.
public enum HookflowDatabase: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// An SQLite file, created with its tables on first start.
    case sqlite(path: String)
    /// A PostgreSQL database (`postgres://user:password@host:5432/name`), shared by every
    /// instance of the app; its tables are created on first start. It may be the app's own
    /// database: Hookflow's tables are prefixed `hookflow_`.
    case postgres(url: String)

    /// The database, without a password.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite://\(path)"
        case .postgres(let url): (try? PostgresWorkflowStore.redacted(url: url)) ?? "postgres://(invalid)"
        }
    }

    public var customMirror: Mirror { Mirror(self, children: ["database": description]) }
}

/// How runs are driven.
public struct HookflowTransportConfiguration: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    enum Kind: Hashable {
        case local(workers: Int)
        case qstash(QStashSettings)
    }
    let kind: Kind

    /// In-process workers claiming runs from the database: the embedded default.
    public static func local(workers: Int = 4) -> Self { Self(kind: .local(workers: workers)) }

    /// Upstash QStash calls the app's webhook for every invocation; no worker runs in the app.
    /// Mount the webhook with `app.hookflow.mountWebhooks(on:)`.
    public static func qstash(_ settings: QStashSettings) -> Self { Self(kind: .qstash(settings)) }

    /// In-process workers, four of them.
    public static var local: Self { .local() }

    public var description: String {
        switch kind {
        case .local(let workers): return "local(workers: \(workers))"
        case .qstash(let settings): return "qstash(\(settings))"
        }
    }

    public var customMirror: Mirror { Mirror(self, children: ["transport": description]) }
}

/// Hookflow's settings after code and environment are combined.
public struct HookflowConfiguration: Sendable, Hashable {
    public var database: HookflowDatabase
    public var transport: HookflowTransportConfiguration
    /// How long a run stays leased to a worker without a checkpoint or heartbeat.
    public var leaseDuration: Duration
    /// The base path of Hookflow's routes (`HOOKFLOW_WEBHOOK_PATH`, `/hookflow/`).
    public var webhookPath: String
    /// The largest webhook body accepted, in bytes (`HOOKFLOW_MAX_PAYLOAD_SIZE`, 1 MiB).
    public var maxPayloadSize: Int
    /// `HOOKFLOW_PERSISTENCE_ENABLED`: `false` is stateless mode (QStash only): no database,
    /// runs travel in their messages.
    public var persistenceEnabled: Bool
    /// `HOOKFLOW_SWEEP_INTERVAL_SECONDS` (60): with QStash, how often runs left with no message
    /// coming (due, pending or with an expired lease for that long) are published again.
    public var sweepInterval: Duration
    /// `HOOKFLOW_SHUTDOWN_TIMEOUT_SECONDS` (30): how long shutdown waits for the steps in flight
    /// before it cancels them and releases their runs.
    public var shutdownTimeout: Duration
    /// `HOOKFLOW_CANCELLATION_GRACE_SECONDS` (30): how long a run cancelled while it executed may
    /// run the compensating steps after the `WorkflowCancelledError` it catches.
    public var cancellationGracePeriod: Duration
    /// `HOOKFLOW_MAX_CHILD_DEPTH` (32): how deep child runs may nest; a run that deep fails when
    /// it starts another child (a workflow that invokes itself stops there).
    public var maxChildDepth: Int
    /// `HOOKFLOW_RETENTION_DAYS` (unset: forever): finished runs and dead letters older than this
    /// are deleted, every hour, by the service that executes runs.
    public var retention: Duration?
    /// `HOOKFLOW_API_TOKEN`: when set, ``Application/Hookflow/mountAPI(on:)`` asks every request
    /// for `Authorization: Bearer <token>`.
    public var apiToken: HookflowAPIToken?

    public init(
        database: HookflowDatabase = .sqlite(path: "hookflow.sqlite"),
        transport: HookflowTransportConfiguration = .local,
        leaseDuration: Duration = .seconds(30),
        webhookPath: String = "/hookflow/",
        maxPayloadSize: Int = 1024 * 1024,
        persistenceEnabled: Bool = true,
        sweepInterval: Duration = .seconds(60),
        shutdownTimeout: Duration = .seconds(30),
        retention: Duration? = nil,
        apiToken: HookflowAPIToken? = nil,
        cancellationGracePeriod: Duration = .seconds(30),
        maxChildDepth: Int = 32
    ) {
        self.maxChildDepth = maxChildDepth
        self.cancellationGracePeriod = cancellationGracePeriod
        self.apiToken = apiToken
        self.retention = retention
        self.shutdownTimeout = shutdownTimeout
        self.database = database
        self.transport = transport
        self.leaseDuration = leaseDuration
        self.webhookPath = webhookPath
        self.maxPayloadSize = maxPayloadSize
        self.persistenceEnabled = persistenceEnabled
        self.sweepInterval = sweepInterval
    }

    /// Throws the first of ``problems``.
    func validate() throws {
        if let problem = problems.first { throw problem }
    }

    /// The settings that cannot work or contradict each other, each naming its setting.
    var problems: [HookflowConfigurationError] {
        var problems: [HookflowConfigurationError] = []
        if case .qstash(let settings) = transport.kind { problems += settings.problems }
        if !persistenceEnabled, case .local = transport.kind {
            problems.append(HookflowConfigurationError(
                setting: "HOOKFLOW_PERSISTENCE_ENABLED",
                message: "false (stateless mode) needs HOOKFLOW_TRANSPORT=qstash: the local transport's queue is the database"))
        }
        return problems
    }
}

/// The bearer token of Hookflow's API; it prints redacted.
public struct HookflowAPIToken: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// The token.
    public let value: String

    public init(_ value: String) { self.value = value }

    public var description: String { "HookflowAPIToken(redacted)" }
    public var customMirror: Mirror { Mirror(self, children: ["value": "redacted"]) }
}
