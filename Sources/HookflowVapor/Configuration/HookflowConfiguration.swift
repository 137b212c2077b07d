import Foundation
import Hookflow

/// Where Hookflow keeps its runs.
public enum HookflowDatabase: Sendable, Hashable {
    /// An SQLite file, created with its tables on first start.
    case sqlite(path: String)
}

/// How runs are driven.
public struct HookflowTransportConfiguration: Sendable, Hashable {
    enum Kind: Hashable { case local(workers: Int) }
    let kind: Kind

    /// In-process workers claiming runs from the database: the embedded default.
    public static func local(workers: Int = 4) -> Self { Self(kind: .local(workers: workers)) }

    /// In-process workers, four of them.
    public static var local: Self { .local() }
}

/// Hookflow's settings after code and environment are combined.
public struct HookflowConfiguration: Sendable, Hashable {
    public var database: HookflowDatabase
    public var transport: HookflowTransportConfiguration
    /// How long a run stays leased to a worker without a checkpoint or heartbeat.
    public var leaseDuration: Duration
    /// The base path of Hookflow's routes (`/hookflow/`).
    public var webhookPath: String

    public init(
        database: HookflowDatabase = .sqlite(path: "hookflow.sqlite"),
        transport: HookflowTransportConfiguration = .local,
        leaseDuration: Duration = .seconds(30),
        webhookPath: String = "/hookflow/"
    ) {
        self.database = database
        self.transport = transport
        self.leaseDuration = leaseDuration
        self.webhookPath = webhookPath
    }
}
