import FluentKit
import Hookflow
import HookflowFluent
import Synchronization
import Vapor

extension Application {
    /// Hookflow in this app: register workflows, choose the transport, trigger runs.
    ///
    /// ```swift
    /// app.hookflow.register(ProcessOrder())
    /// try app.hookflow.use(.local(workers: 4))
    /// try app.hookflow.mountStatusAPI(on: app)
    /// ```
    ///
    /// The engine starts when the app boots and stops with it.
    public var hookflow: Hookflow { Hookflow(application: self) }

    public struct Hookflow: Sendable {
        /// The app, for modules that extend `app.hookflow` (as `HookflowGitHubVapor` does):
        ///
        /// ```swift
        /// extension Application.Hookflow {
        ///     public var slack: SlackClient { SlackClient(http: application.client) }
        /// }
        /// ```
        public let application: Application

        var runtime: HookflowRuntime {
            if let runtime = application.storage[HookflowRuntime.Key.self] { return runtime }
            let runtime = HookflowRuntime(
                logger: application.logger,
                reportsSettings: HookflowRuntime.isSettingsCommand(application.environment.arguments))
            application.storage[HookflowRuntime.Key.self] = runtime
            application.lifecycle.use(HookflowLifecycle(runtime: runtime))
            application.asyncCommands.use(runtime.commands, as: "hookflow")
            for (name, command) in HookflowCommandGroup.operatorCommands { runtime.commands.use(command, as: name) }
            return runtime
        }

        /// The `hookflow` command group, `swift run App hookflow <command> …`, to add commands to.
        ///
        /// ```swift
        /// app.hookflow.commands.use(RunsCommand(), as: "runs")
        /// ```
        public var commands: HookflowCommandGroup { runtime.commands }

        /// Adds a module's section to `swift run App hookflow settings`, under `name` (replacing a
        /// section of that name): its settings, secrets redacted, and whether it is ready.
        /// `section` is called when the command runs.
        ///
        /// ```swift
        /// app.hookflow.reportSettings(as: "slack") {
        ///     let token = Environment.get("SLACK_TOKEN")
        ///     return HookflowSettingsSection(
        ///         name: "slack", active: token != nil,
        ///         settings: [.secret("SLACK_TOKEN", value: token, source: token == nil ? .unset : .environment)],
        ///         missing: token == nil ? ["SLACK_TOKEN"] : [])
        /// }
        /// ```
        public func reportSettings(as name: String, _ section: @escaping @Sendable () -> HookflowSettingsSection) {
            runtime.reportSettings(as: name, section)
        }

        /// Makes `workflow` executable and triggerable. Call before the app boots.
        public func register<W: Workflow>(_ workflow: W) {
            runtime.register(workflow)
        }

        /// Declares a schedule that runs `W` on a cron expression read in `timeZone` (an IANA
        /// identifier). It is saved when the app boots, changing the stored one of that name in
        /// place; a bad expression, time zone or policy is refused here, naming the field and the
        /// value, and a workflow that is not registered stops the boot. At runtime,
        /// `app.hookflow.engine` pauses, resumes, fires now and deletes schedules.
        ///
        /// ```swift
        /// try app.hookflow.schedule("nightly-report", cron: "0 3 * * *", timeZone: "Europe/Paris",
        ///                           workflow: NightlyReport.self, input: .init(region: "eu"))
        /// ```
        public func schedule<W: Workflow>(
            _ name: String, cron: String, timeZone: String = "UTC", workflow: W.Type, input: W.Input,
            missedTicks: MissedTickPolicy = .runLatest, overlap: OverlapPolicy = .skip, gracePeriod: Duration = .seconds(60)
        ) throws {
            runtime.declare(try Schedule(
                name, cron: cron, timeZone: timeZone, workflow: workflow, input: input, missedTicks: missedTicks,
                overlap: overlap, gracePeriod: gracePeriod))
        }

        /// Declares a schedule that runs `W` every `interval` (a whole number of seconds; ticks
        /// fall on multiples of it since 1970, so `.minutes(5)` fires at :00, :05, …).
        public func schedule<W: Workflow>(
            _ name: String, every interval: Duration, workflow: W.Type, input: W.Input,
            missedTicks: MissedTickPolicy = .runLatest, overlap: OverlapPolicy = .skip, gracePeriod: Duration = .seconds(60)
        ) throws {
            runtime.declare(try Schedule(
                name, every: interval, workflow: workflow, input: input, missedTicks: missedTicks, overlap: overlap,
                gracePeriod: gracePeriod))
        }

        /// Chooses the transport, overriding `HOOKFLOW_TRANSPORT`.
        public func use(_ transport: HookflowTransportConfiguration) throws {
            try runtime.override { $0.transport = transport }
        }

        /// Chooses the database, overriding `HOOKFLOW_DATABASE_URL`.
        public func use(database: HookflowDatabase) throws {
            try runtime.override { $0.database = database }
        }

        /// `false` is stateless mode (QStash only): no database, runs travel in their messages.
        /// Overrides `HOOKFLOW_PERSISTENCE_ENABLED`.
        public func use(persistence enabled: Bool) throws {
            try runtime.override { $0.persistenceEnabled = enabled }
        }

        /// Sends Hookflow's `hookflow_*` metrics to `metrics` instead of the swift-metrics backend
        /// the process bootstrapped.
        public func use(metrics: HookflowMetrics) throws {
            try runtime.use(metrics: metrics)
        }

        /// The bearer token ``mountAPI(on:)`` asks for, overriding `HOOKFLOW_API_TOKEN`.
        public func use(apiToken: String) throws {
            try runtime.override { $0.apiToken = HookflowAPIToken(apiToken) }
        }

        /// Sets the lease of claimed runs, overriding `HOOKFLOW_LEASE_SECONDS`.
        public func use(leaseDuration: Duration) throws {
            try runtime.override { $0.leaseDuration = leaseDuration }
        }

        /// The running engine. Throws before the app has booted.
        public var engine: WorkflowEngine {
            get throws { try runtime.started().engine }
        }

        /// The settings in force, once the app has booted.
        public var configuration: HookflowConfiguration? { runtime.configuration }

        /// Starts a run of `W`; returns its id once the run is committed.
        /// A `runID` of your own makes the call idempotent; `at:` or `delay:` starts the run later
        /// (it sleeps until then, holding nothing); a `concurrencyKey` limits the runs with that key
        /// admitted at once to ``Workflow/concurrencyPerKey`` (the others wait as `queued`); a higher
        /// `priority` goes first.
        @discardableResult
        public func trigger<W: Workflow>(
            _ workflow: W.Type, input: W.Input, runID: WorkflowRunID? = nil, at start: Date? = nil, delay: Duration? = nil,
            concurrencyKey: String? = nil, priority: Int = 0
        ) async throws -> WorkflowRunID {
            try await engine.trigger(
                workflow, input: input, runID: runID, at: start, delay: delay, concurrencyKey: concurrencyKey, priority: priority)
        }

        /// Starts a run of `W` once triggers with `debounceKey` have been quiet for `debounce`; the
        /// triggers in the window collapse into that run, with the last input (at most `maxWait`
        /// after the first, when given). Returns the id of the run that will start.
        @discardableResult
        public func trigger<W: Workflow>(
            _ workflow: W.Type, input: W.Input, debounceKey: String, debounce: Duration, maxWait: Duration? = nil,
            concurrencyKey: String? = nil, priority: Int = 0
        ) async throws -> WorkflowRunID {
            try await engine.trigger(
                workflow, input: input, debounceKey: debounceKey, debounce: debounce, maxWait: maxWait,
                concurrencyKey: concurrencyKey, priority: priority)
        }

        /// Starts a run of `workflow` inside the app's own transaction on `database` (`app.db(.hookflow)`,
        /// the store's own database): the run exists only if the transaction commits (a transactional outbox).
        @discardableResult
        public func trigger<W: Workflow>(
            _ workflow: W.Type, input: W.Input, runID: WorkflowRunID? = nil, on database: any Database
        ) async throws -> WorkflowRunID {
            try await engine.trigger(workflow, input: input, runID: runID, on: database)
        }

        /// Starts a run of the workflow registered as `workflowID` with a JSON payload.
        @discardableResult
        public func trigger(
            workflowID: String, data: JSON, runID: WorkflowRunID? = nil, at start: Date? = nil, delay: Duration? = nil
        ) async throws -> WorkflowRunID {
            try await engine.trigger(workflowID: workflowID, data: data, runID: runID, at: start, delay: delay)
        }

        /// A run, its children, and a page of its steps (`stepsLimit`, 1 to ``WorkflowEngine/maximumPageSize``,
        /// from the first or after `cursor`), or `nil`. The answer's
        /// ``RunStatusResponse/nextStepsCursor`` leads to the next page.
        public func status(
            of runID: WorkflowRunID, stepsAfter cursor: StepCursor? = nil, stepsLimit: Int = WorkflowEngine.maximumPageSize
        ) async throws -> RunStatusResponse? {
            let engine = try self.engine
            guard let run = try await engine.store.run(runID) else { return nil }
            return RunStatusResponse(
                run: run, steps: try await engine.steps(of: runID, after: cursor, limit: stepsLimit),
                children: try await engine.children(of: runID, limit: WorkflowEngine.maximumPageSize))
        }

        /// Dead letter entries, newest first.
        public func deadLetters(limit: Int = 100) async throws -> [DeadLetterRecord] {
            try await engine.store.deadLetters(limit: limit)
        }

        /// Resumes the failed run of a dead letter entry from its failed step.
        @discardableResult
        public func replayDeadLetter(id: String) async throws -> WorkflowRunID {
            try await engine.replayDeadLetter(id: id)
        }
    }
}

extension Request {
    /// Hookflow from a route handler: `try await req.hookflow.trigger(ProcessOrder.self, input: ...)`.
    public var hookflow: Application.Hookflow { application.hookflow }
}
