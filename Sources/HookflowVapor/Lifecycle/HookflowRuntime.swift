import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Hookflow
import HookflowFluent
import HookflowQStash
import Logging
import Synchronization
import Vapor

/// Hookflow's state in one app: what was configured before boot, and the running parts after.
final class HookflowRuntime: Sendable {
    struct Key: StorageKey { typealias Value = HookflowRuntime }

    struct Started: Sendable {
        let configuration: HookflowConfiguration
        let store: any WorkflowStore
        /// Closes the database, unless in stateless mode.
        let closeDatabase: @Sendable () async throws -> Void
        let engine: WorkflowEngine
        let transport: RunningTransport
        /// The local workers, or the lease keeper of webhook invocations.
        let task: Task<Void, Never>
    }

    /// The transport in force, with what its routes need.
    enum RunningTransport: Sendable {
        case local(LocalTransport)
        case qstash(QStashDelivery)
    }

    /// What the QStash webhook needs to verify and execute a delivery.
    struct QStashDelivery: Sendable {
        let settings: QStashSettings
        let receiver: QStashReceiver
        let stopping: StopFlag
        /// Stateless mode: runs arrive in their messages.
        let stateless: MessageStateStore?
        let transport: QStashTransport
    }

    private struct State {
        var registry = WorkflowRegistry()
        var overrides: [@Sendable (inout HookflowConfiguration) -> Void] = []
        var started: Started?
    }

    private let state = Mutex(State())
    let logger: Logger
    /// GitHub's settings and client, created on first use.
    let gitHub = GitHubState()

    init(logger: Logger) { self.logger = logger }

    func register<W: Workflow>(_ workflow: W) {
        state.withLock { $0.registry.register(workflow) }
    }

    func override(_ change: @escaping @Sendable (inout HookflowConfiguration) -> Void) throws {
        try state.withLock { state in
            guard state.started == nil else {
                throw HookflowConfigurationError(
                    setting: "app.hookflow.use", message: "Hookflow is already running; configure it before the app boots")
            }
            state.overrides.append(change)
        }
    }

    var configuration: HookflowConfiguration? { state.withLock { $0.started?.configuration } }

    func started() throws -> Started {
        guard let started = state.withLock({ $0.started }) else {
            throw HookflowConfigurationError(
                setting: "app.hookflow", message: "Hookflow has not started yet; it starts when the app boots")
        }
        return started
    }

    /// Resolves the configuration (code over environment), opens the store and starts the workers.
    func start(application: Application) async throws {
        let (registry, overrides) = state.withLock { ($0.registry, $0.overrides) }
        var configuration = try HookflowConfiguration.fromEnvironment(ProcessInfo.processInfo.environment)
        for change in overrides { change(&configuration) }

        try configuration.validate()
        var database: (any WorkflowStore)?
        var closeDatabase: @Sendable () async throws -> Void = {}
        if configuration.persistenceEnabled {
            switch configuration.database {
            case .sqlite(let path):
                let sqlite = try await SQLiteWorkflowStore.open(path: path, logger: logger)
                (database, closeDatabase) = (sqlite, { try await sqlite.close() })
                if application.databases.configuration(for: .hookflow) == nil {
                    application.databases.use(.sqlite(.file(path)), as: .hookflow)
                }
            case .postgres(let url):
                let postgres = try await PostgresWorkflowStore.open(url: url, logger: logger)
                (database, closeDatabase) = (postgres, { await postgres.close() })
                if application.databases.configuration(for: .hookflow) == nil {
                    application.databases.use(
                        .postgres(configuration: try PostgresWorkflowStore.fluentConfiguration(url: url)), as: .hookflow)
                }
            }
        }
        let stateless = database == nil ? MessageStateStore() : nil
        let store: any WorkflowStore = database ?? stateless!
        let engineConfiguration = WorkflowEngine.Configuration(
            leaseDuration: configuration.leaseDuration, logger: logger)
        let started: Started
        switch configuration.transport.kind {
        case .local(let workers):
            let transport = LocalTransport(workers: workers)
            let engine = WorkflowEngine(
                store: store, registry: registry, transport: transport, configuration: engineConfiguration)
            started = Started(
                configuration: configuration, store: store, closeDatabase: closeDatabase, engine: engine,
                transport: .local(transport), task: Task { await transport.run(engine: engine) })
        case .qstash(let settings):
            let client = QStashClient(baseURL: settings.url, token: settings.token, httpClient: application.http.client.shared)
            let transport = QStashTransport(
                client: client, webhookBaseURL: settings.domain + configuration.webhookPath, stateless: stateless,
                maxPayloadSize: configuration.maxPayloadSize)
            let engine = WorkflowEngine(
                store: store, registry: registry, transport: transport, configuration: engineConfiguration)
            let delivery = QStashDelivery(
                settings: settings, receiver: QStashReceiver(keys: settings.signingKeys, clockTolerance: settings.clockTolerance),
                stopping: StopFlag(), stateless: stateless, transport: transport)
            // The lease keeper of webhook invocations, and the sweeper that re-publishes runs left
            // with no message (a wake-up in QStash's dead letter queue, a publish that failed).
            let sweepInterval = configuration.sweepInterval
            started = Started(
                configuration: configuration, store: store, closeDatabase: closeDatabase, engine: engine,
                transport: .qstash(delivery),
                task: Task {
                    await withDiscardingTaskGroup { group in
                        group.addTask { await engine.maintainLeases() }
                        group.addTask { await engine.sweepOverdueRuns(every: sweepInterval) }
                    }
                })
        }
        state.withLock { $0.started = started }
        logger.info(
            "hookflow started",
            metadata: [
                "hookflow.database": "\(database == nil ? "none (stateless)" : configuration.database.description)",
                "hookflow.transport": "\(configuration.transport)",
                "hookflow.workflows": "\(registry.ids.joined(separator: ","))",
            ])
    }

    /// Stops claiming, lets in-flight steps finish and hands their runs back, then closes the store.
    func stop() async {
        guard let started = state.withLock({ state -> Started? in
            defer { state.started = nil }
            return state.started
        }) else { return }
        switch started.transport {
        case .local(let transport):
            transport.shutDown()
        case .qstash(let delivery):
            // In-flight deliveries finish their step and hand the run back before the store closes.
            delivery.stopping.set()
            await delivery.stopping.drain(timeout: started.configuration.leaseDuration)
            started.task.cancel()
        }
        await started.task.value
        do { try await started.closeDatabase() } catch { logger.error("could not close the hookflow store: \(error)") }
        logger.info("hookflow stopped")
    }
}
