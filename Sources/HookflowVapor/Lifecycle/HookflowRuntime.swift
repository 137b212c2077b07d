import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Hookflow
import HookflowFluent
import HookflowQStash
import Logging
import ServiceLifecycle
import Synchronization
import Vapor

/// Hookflow's state in one app: what was configured before boot, and the running parts after.
final class HookflowRuntime: Sendable {
    struct Key: StorageKey { typealias Value = HookflowRuntime }

    struct Started: Sendable {
        let configuration: HookflowConfiguration
        let store: any WorkflowStore
        let engine: WorkflowEngine
        let transport: RunningTransport
        /// Runs the ``HookflowService``; its graceful shutdown is how ``stop()`` stops it.
        let services: ServiceGroup
        /// Vapor 4's lifecycle handlers are callbacks with no task to run a service in: this one runs the group.
        let running: Task<Void, Never>
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
        /// Stateless mode: runs arrive in their messages.
        let stateless: MessageStateStore?
        let transport: QStashTransport
    }

    private struct State {
        var registry = WorkflowRegistry()
        /// The schedules declared in code, by name: saved when the app boots.
        var schedules: [String: Schedule] = [:]
        /// The `HOOKFLOW_*` and `QSTASH_*` environment, read once, on first use.
        var environment: HookflowConfiguration?
        var overrides: [@Sendable (inout HookflowConfiguration) -> Void] = []
        var metrics: HookflowMetrics?
        var started: Started?
        /// Modules' sections of `hookflow settings`, by name.
        var settingsSections: [String: @Sendable () -> HookflowSettingsSection] = [:]
    }

    private let state = Mutex(State())
    let logger: Logger
    /// The `hookflow` command group, registered with the app's commands.
    let commands = HookflowCommandGroup()
    /// The command line is `hookflow settings`, which lists every setting that is wrong: Hookflow
    /// does not start, and a wrong setting does not stop the app's configuration (its default stands
    /// in), so that the command gets to run.
    let reportsSettings: Bool

    init(logger: Logger, reportsSettings: Bool = false) {
        self.logger = logger
        self.reportsSettings = reportsSettings
    }

    /// Whether `arguments` (the executable first) run `hookflow settings`.
    static func isSettingsCommand(_ arguments: [String]) -> Bool {
        Array(arguments.dropFirst().prefix(2)) == ["hookflow", "settings"]
    }

    func register<W: Workflow>(_ workflow: W) {
        state.withLock { $0.registry.register(workflow) }
    }

    func declare(_ schedule: Schedule) {
        state.withLock { $0.schedules[schedule.name] = schedule }
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

    /// The settings known so far: the environment (read on the first call only) with the
    /// code-level overrides made so far. Throws ``HookflowConfigurationError`` naming the
    /// variable at fault.
    func settings() throws -> HookflowConfiguration {
        try state.withLock { state in
            let environment: HookflowConfiguration
            if let read = state.environment {
                environment = read
            } else if reportsSettings {
                environment = HookflowConfiguration.read(ProcessInfo.processInfo.environment).configuration
            } else {
                environment = try HookflowConfiguration.fromEnvironment(ProcessInfo.processInfo.environment)
            }
            state.environment = environment
            var configuration = environment
            for change in state.overrides { change(&configuration) }
            return configuration
        }
    }

    /// `configuration` with the code-level overrides made so far, as ``settings()`` applies them.
    func overriding(_ configuration: HookflowConfiguration) -> HookflowConfiguration {
        let overrides = state.withLock { $0.overrides }
        var configuration = configuration
        for change in overrides { change(&configuration) }
        return configuration
    }

    /// Adds a module's section to `hookflow settings`, replacing one of the same name.
    func reportSettings(as name: String, _ section: @escaping @Sendable () -> HookflowSettingsSection) {
        state.withLock { $0.settingsSections[name] = section }
    }

    /// The modules' sections of `hookflow settings`, by name, made now.
    func settingsSections() -> [HookflowSettingsSection] {
        let makers = state.withLock { state in state.settingsSections.sorted { $0.key < $1.key }.map { $0.value } }
        // Made outside the lock: a section may read `app.hookflow`.
        return makers.map { $0() }
    }

    /// Where the database setting in force comes from, for log lines about it.
    private func databaseSetting(_ database: HookflowDatabase) -> String {
        let environment = state.withLock { $0.environment?.database }
        return database == environment && environment != HookflowConfiguration().database
            ? "HOOKFLOW_DATABASE_URL" : "app.hookflow.use(database:)"
    }

    func use(metrics: HookflowMetrics) throws {
        try state.withLock { state in
            guard state.started == nil else {
                throw HookflowConfigurationError(
                    setting: "app.hookflow.use(metrics:)", message: "Hookflow is already running; configure it before the app boots")
            }
            state.metrics = metrics
        }
    }

    func started() throws -> Started {
        guard let started = state.withLock({ $0.started }) else {
            throw HookflowConfigurationError(
                setting: "app.hookflow", message: "Hookflow has not started yet; it starts when the app boots")
        }
        return started
    }

    /// Resolves the configuration (code over environment), opens the store and starts the workers.
    func start(application: Application) async throws {
        guard !reportsSettings else {
            logger.debug("hookflow not started: `hookflow settings` only reports the settings")
            return
        }
        let (registry, metrics, schedules) = state.withLock { ($0.registry, $0.metrics, $0.schedules) }
        let configuration = try settings()
        try configuration.validate()
        do {
            try registry.validate()
        } catch let error as InvalidParameterError {
            throw HookflowConfigurationError(setting: error.parameter, message: "\(error.shownValue) \(error.reason)")
        }
        let database = configuration.persistenceEnabled ? try await openDatabase(configuration.database, for: application) : nil
        let stateless = database == nil ? MessageStateStore() : nil
        let store: any WorkflowStore = database ?? stateless!
        var engineConfiguration = WorkflowEngine.Configuration(
            leaseDuration: configuration.leaseDuration, logger: logger, metrics: metrics ?? HookflowMetrics(),
            cancellationGracePeriod: configuration.cancellationGracePeriod, maxChildDepth: configuration.maxChildDepth)
        // `ctx.step.transaction` writes through the app's connection to the store's own database.
        if database != nil { engineConfiguration.sharedDatabase = { [application] in application.db(.hookflow) } }
        let engine: WorkflowEngine
        let transport: RunningTransport
        switch configuration.transport.kind {
        case .local(let workers):
            let local = LocalTransport(workers: workers)
            engine = WorkflowEngine(store: store, registry: registry, transport: local, configuration: engineConfiguration)
            transport = .local(local)
        case .qstash(let settings):
            let client = QStashClient(baseURL: settings.url, token: settings.token, httpClient: application.http.client.shared)
            // It also sweeps: runs left with no message (a wake-up in QStash's dead letter queue, a
            // publish that failed) are published again.
            let qstash = QStashTransport(
                client: client, webhookBaseURL: settings.domain + configuration.webhookPath, stateless: stateless,
                maxPayloadSize: configuration.maxPayloadSize, sweepInterval: configuration.sweepInterval)
            engine = WorkflowEngine(store: store, registry: registry, transport: qstash, configuration: engineConfiguration)
            transport = .qstash(QStashDelivery(
                settings: settings, receiver: QStashReceiver(keys: settings.signingKeys, clockTolerance: settings.clockTolerance),
                stateless: stateless, transport: qstash))
        }
        // Declared schedules are saved in place (a deploy changes them); one of a workflow not registered stops the boot.
        for schedule in schedules.values.sorted(by: { $0.name < $1.name }) {
            do {
                try await engine.saveSchedule(schedule)
            } catch {
                throw HookflowConfigurationError(
                    setting: "app.hookflow.schedule(\"\(schedule.name)\")", message: "\(error)")
            }
        }
        // A command other than `serve` (migrate, routes, --help) only needs the store: no workers.
        let commands = Set(application.asyncCommands.commands.keys).union(application.commands.commands.keys)
        let executesRuns = Self.serves(arguments: application.environment.arguments, commands: commands)
        let service = HookflowService(
            engine: engine, shutdownTimeout: configuration.shutdownTimeout, executesRuns: executesRuns,
            retention: configuration.retention)
        let services = ServiceGroup(configuration: .init(
            services: [.init(service: service)], gracefulShutdownSignals: [], cancellationSignals: [], logger: logger))
        let logger = self.logger
        let started = Started(
            configuration: configuration, store: store, engine: engine, transport: transport, services: services,
            // A task, because Vapor 4's lifecycle handlers are callbacks with no task to run a service in.
            running: Task {
                do { try await services.run() } catch { logger.error("hookflow stopped with an error: \(error)") }
            })
        state.withLock { $0.started = started }
        logger.info(
            "hookflow started",
            metadata: [
                "hookflow.database": "\(database == nil ? "none (stateless)" : configuration.database.description)",
                "hookflow.transport": "\(configuration.transport)",
                "hookflow.workflows": "\(registry.ids.joined(separator: ","))",
                "hookflow.executes_runs": "\(executesRuns)",
            ])
    }

    /// Opens the store of `database` and, unless the app configured one, the `.hookflow` Fluent database on it.
    private func openDatabase(_ database: HookflowDatabase, for application: Application) async throws -> any WorkflowStore {
        // The store's own lines (such as a warning about the URL's TLS) say which setting to change.
        var logger = self.logger
        logger[metadataKey: "hookflow.database_setting"] = "\(databaseSetting(database))"
        switch database {
        case .sqlite(let path):
            if application.databases.configuration(for: .hookflow) == nil {
                application.databases.use(.sqlite(.file(path)), as: .hookflow)
            }
            return try await SQLiteWorkflowStore.open(path: path, logger: logger)
        case .postgres(let url):
            if application.databases.configuration(for: .hookflow) == nil {
                application.databases.use(
                    .postgres(configuration: try PostgresWorkflowStore.fluentConfiguration(url: url)), as: .hookflow)
            }
            return try await PostgresWorkflowStore.open(url: url, logger: logger)
        }
    }

    /// Whether the app's command line runs the server: it names no registered command but `serve`
    /// (Vapor's default), and does not ask for help.
    static func serves(arguments: [String], commands: Set<String>) -> Bool {
        let rest = arguments.dropFirst()
        if rest.contains("--help") || rest.contains("-h") { return false }
        guard let command = rest.first, commands.contains(command) else { return true }
        return command == "serve"
    }

    /// Stops claiming, lets in-flight steps finish (for up to the shutdown timeout) and hands
    /// their runs back, then closes the store.
    func stop() async {
        guard let started = state.withLock({ state -> Started? in
            defer { state.started = nil }
            return state.started
        }) else { return }
        await started.services.triggerGracefulShutdown()
        await started.running.value
        do { try await started.store.close() } catch { logger.error("could not close the hookflow store: \(error)") }
        logger.info("hookflow stopped")
    }
}
