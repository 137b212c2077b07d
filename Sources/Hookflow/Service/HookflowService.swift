import Logging
import ServiceLifecycle

/// Hookflow's background work as one swift-service-lifecycle `Service`: the store's connections,
/// the lease keeper, the scheduler, the transport's workers, timer or sweeper, and the retention clean-up.
///
/// Run it in a `ServiceGroup` beside the app's other services (a Hummingbird app, a
/// command-line worker); the Vapor adapter runs it for you. On graceful shutdown it stops
/// claiming runs and lets each invocation in flight finish its current step and hand its run
/// back; after `shutdownTimeout` the step bodies still running are cancelled and their runs
/// released, and `run()` returns once no invocation is in flight.
///
/// ```swift
/// let store = try await PostgresWorkflowStore.open(url: databaseURL)
/// let engine = WorkflowEngine(store: store, registry: registry, transport: LocalTransport(workers: 4))
/// let group = ServiceGroup(
///     services: [HookflowService(engine: engine)], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
public struct HookflowService: Service, CustomStringConvertible {
    public let engine: WorkflowEngine
    /// How long a graceful shutdown waits for the steps in flight before it cancels them.
    public let shutdownTimeout: Duration
    /// `false` runs only the store's connections: a process that triggers runs and leaves
    /// executing them to others (a command, a web tier in front of dedicated workers).
    public let executesRuns: Bool
    /// How often the `hookflow_runnable_runs` and `hookflow_sleeping_runs` gauges are sampled
    /// (one count query each time, not one per step); `nil`: never.
    public let gaugeInterval: Duration?
    /// How long finished runs and dead letters are kept: older ones are deleted every
    /// `retentionInterval` (``WorkflowEngine/cleanUp(olderThan:scope:dryRun:batchSize:)``);
    /// `nil`: kept forever.
    public let retention: Duration?
    /// How often the retention clean-up runs.
    public let retentionInterval: Duration

    public init(
        engine: WorkflowEngine, shutdownTimeout: Duration = .seconds(30), executesRuns: Bool = true,
        gaugeInterval: Duration? = .seconds(15), retention: Duration? = nil, retentionInterval: Duration = .seconds(3600)
    ) {
        self.engine = engine
        self.shutdownTimeout = shutdownTimeout
        self.executesRuns = executesRuns
        self.gaugeInterval = gaugeInterval
        self.retention = retention
        self.retentionInterval = retentionInterval
    }

    public var description: String { "HookflowService" }

    public func run() async {
        let engine = self.engine
        let timeout = shutdownTimeout
        let executesRuns = self.executesRuns
        await withDiscardingTaskGroup { background in
            background.addTask {
                do { try await engine.store.run() } catch { engine.logger.error("the hookflow store stopped: \(error)") }
            }
            if executesRuns {
                background.addTask { await engine.maintainLeases() }
                background.addTask { await engine.fireSchedules() }
            }
            if let gaugeInterval { background.addTask { await engine.sampleRunCounts(every: gaugeInterval) } }
            if executesRuns, let retention {
                background.addTask { [retentionInterval] in await engine.keepTables(for: retention, every: retentionInterval) }
            }
            await withTaskCancellationHandler {
                await withGracefulShutdownHandler {
                    if executesRuns {
                        await Self.execute(engine, shutdownTimeout: timeout)
                    } else {
                        await engine.waitUntilShuttingDown()
                    }
                } onGracefulShutdown: {
                    engine.beginShutdown()
                }
            } onCancel: {
                engine.abandonInFlightInvocations()
            }
            // The last invocation has written: the lease keeper and the store's connections stop.
            background.cancelAll()
        }
    }

    /// The transport's work until shutdown, then the invocations in flight, given up after `shutdownTimeout`.
    private static func execute(_ engine: WorkflowEngine, shutdownTimeout: Duration) async {
        await withDiscardingTaskGroup { group in
            group.addTask {
                await engine.waitUntilShuttingDown()
                guard (try? await Task.sleep(for: shutdownTimeout)) != nil else { return }
                engine.logger.warning("shutdown timeout (\(shutdownTimeout)) passed; cancelling the steps still running")
                engine.abandonInFlightInvocations()
            }
            await engine.transport.run(engine: engine)
            await engine.waitUntilIdle()
            group.cancelAll()
        }
    }
}
