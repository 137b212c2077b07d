import FluentKit
import FluentPostgresDriver
import Foundation
import Hookflow
import Logging
import PostgresKit
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The shared store: PostgreSQL, for several app instances working on the same runs.
///
/// Instances claim runs with `FOR UPDATE SKIP LOCKED`, so none waits on another's locks,
/// and every write after a claim is fenced by the lease. Work that becomes runnable now
/// (a trigger, a release, an event, a replayed dead letter) is announced to all of them
/// with `NOTIFY`, so an idle instance starts at once instead of at its next look; a burst of
/// such work is announced with one notification per 20 ms (``WakeUps``).
/// The tables are the same as SQLite's, created by the same Fluent migrations.
///
/// The store executes through a `PostgresClient`: one the app owns and runs in its own
/// `ServiceGroup` (before ``HookflowService``, so that it outlives the last checkpoint), or one
/// of its own, which ``run()`` runs (``HookflowService`` does that): until it runs, operations
/// get no connection and time out.
public final class PostgresWorkflowStore: WakeAnnouncingStore {
    /// The database, without its password.
    public let location: String
    /// The longest one store operation may take before it fails.
    public let operationTimeout: Duration
    let client: PostgresClient
    /// Whether ``run()`` runs the client (the store made it) or the app does.
    let ownsClient: Bool
    let logger: Logger
    let announcements: AsyncStream<Date?>
    /// Checkpoints of runs that go on, committed together when they arrive together. A flush is a
    /// round trip of about a millisecond, many times a step's own work: its leader first lets the
    /// last batch's callers come back (up to half a millisecond), so that one batch carries them all.
    let checkpoints = GroupCommit<PostgresCheckpoint>(gathering: .init(limit: .microseconds(500), patience: 4))
    /// What committed transactions made runnable, to announce to every instance.
    let wakeUps = WakeUps()

    /// How many wake-up notifications it sent to the other instances so far.
    package var notificationsSent: Int { wakeUps.sentCount }

    /// What its checkpoint statements carried: how many runs' checkpoints each committed.
    package var groupCommitStatistics: GroupCommitStatistics { checkpoints.statistics }
    let announcer: AsyncStream<Date?>.Continuation
    /// ``run()`` began (it runs once), ``close()`` asked it to end, and it ended.
    private let started = Atomic<Bool>(false)
    private let closing = Latch()
    private let ended = Latch()
    /// Opens as ``run()`` starts the store's own client: until then its operations wait (asking the
    /// client for a connection earlier logs a warning, and gets none before it runs anyway).
    let clientRunning = Latch()

    static let channel = "hookflow_wake"

    private init(location: String, client: PostgresClient, ownsClient: Bool, operationTimeout: Duration, logger: Logger) {
        self.location = location
        self.operationTimeout = operationTimeout
        self.logger = logger
        self.client = client
        self.ownsClient = ownsClient
        (announcements, announcer) = AsyncStream.makeStream(of: Date?.self, bufferingPolicy: .bufferingNewest(64))
    }

    /// Migrates the tables of the database at `url` (`postgres://user:password@host:port/database`)
    /// over a connection of its own (instances starting together migrate one at a time) and
    /// returns the store. It executes through `client` when given, which the app runs; otherwise
    /// through a client of its own, which runs in ``run()``. An operation that takes longer than
    /// `operationTimeout` fails.
    public static func open(
        url: String, client: PostgresClient? = nil, operationTimeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "hookflow.postgres")
    ) async throws -> PostgresWorkflowStore {
        let parsed = try PostgresURL(url)
        if let warning = parsed.weakTLSWarning { logger.warning("\(warning)") }
        try await migrate(parsed, logger: logger)
        return PostgresWorkflowStore(
            location: parsed.redacted, client: client ?? PostgresClient(configuration: parsed.clientConfiguration, backgroundLogger: logger),
            ownsClient: client == nil, operationTimeout: operationTimeout, logger: logger)
    }

    /// `url` without its password; throws ``PostgresURLError`` when it is not a usable PostgreSQL URL.
    public static func redacted(url: String) throws -> String {
        try PostgresURL(url).redacted
    }

    /// The connection the store makes to `url`, for a Fluent database on the same tables
    /// (TLS and server-side timeouts as the store sets them).
    public static func fluentConfiguration(url: String) throws -> SQLPostgresConfiguration {
        try PostgresURL(url).fluentConfiguration
    }

    /// Listens for other instances' announcements, and runs the store's own client, until the
    /// task is cancelled or the store is closed. The client is kept out of the service group's
    /// graceful shutdown and out of this task's cancellation: it stops when this returns, after
    /// the last checkpoint and the wake-ups it made. A second call returns at once.
    public func run() async throws {
        guard started.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        defer { ended.open() }
        // Detached: a child would inherit the group's graceful shutdown and this task's cancellation,
        // which would close the pool before the last wake-ups are sent.
        let connections = ownsClient ? Task.detached { [client, clientRunning] in
            clientRunning.open()
            await client.run()
        } : nil
        await withDiscardingTaskGroup { group in
            group.addTask { await self.listen() }
            group.addTask { await self.sendWakeUps() }
            await closing.wait()
            // The last operations' wake-ups go out before the connections close.
            await sendPendingWakeUps()
            group.cancelAll()
        }
        connections?.cancel()
        await connections?.value
    }

    /// Ends ``run()`` (its connections close) and waits for it. The store must not be used afterwards.
    public func close() async throws {
        closing.open()
        if started.load(ordering: .relaxed) { await ended.wait() }
    }

    private static func migrate(_ parsed: PostgresURL, logger: Logger) async throws {
        // A session lock, on a connection of its own: instances starting at once would race to create the tables.
        let configuration = try parsed.fluentConfiguration
        let connection = try await PostgresConnection.connect(
            configuration: configuration.coreConfiguration, id: 1, logger: logger)
        do {
            try await connection.query("SELECT pg_advisory_lock(7262873)", logger: logger)
            try await HookflowMigrations.run(on: .postgres(configuration: configuration), logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}
