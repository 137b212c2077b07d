import AsyncHTTPClient
import Foundation
import Logging
import Tracing

extension WorkflowEngine {
    /// The engine's settings, with defaults for the embedded case.
    public struct Configuration: Sendable {
        /// How long a claimed run stays leased without a checkpoint or heartbeat.
        /// After it, another worker may take the run over (its worker is presumed dead).
        public var leaseDuration: Duration
        /// The client that `ctx.step.call` uses. It must not follow redirects itself: the step
        /// follows them, so that request headers never reach another origin.
        public var httpClient: HTTPClient
        /// The largest response body `ctx.step.call` accepts.
        public var maxCallResponseBytes: Int
        /// The engine's logger; run, workflow and step ids are added as metadata.
        public var logger: Logger
        /// The clock. Tests may inject one.
        public var now: @Sendable () -> Date
        /// Called after each invocation, with how it ended (completed, suspended, failed, …):
        /// a place for metrics, or for waiting on a run in a benchmark.
        public var onInvocationEnd: (@Sendable (_ runID: WorkflowRunID, _ outcome: InvocationOutcome) -> Void)?
        /// How many invocations in a row may end without progress (each crashed its process,
        /// or hit a store error) before the run is failed with a dead letter naming the cause,
        /// instead of taking down the next instance too.
        public var maxUnfinishedInvocations: Int
        /// Where the engine's `hookflow_*` metrics go: by default, the swift-metrics backend
        /// the process bootstrapped.
        public var metrics: HookflowMetrics
        /// Where the engine's spans go (a trigger, each invocation, each step): by default, the
        /// tracer the process bootstrapped (`InstrumentationSystem.bootstrap`).
        public var tracer: any Tracer
        /// How long a run cancelled while it executed may run compensating steps (those after
        /// the ``WorkflowCancelledError`` it catches), from when it was cancelled; then its body
        /// is cancelled and the run ends `cancelled`.
        public var cancellationGracePeriod: Duration
        /// How deep child runs may nest (``StepManager/invoke(_:_:input:onParentCancel:)``): a run
        /// this many parents deep fails when it starts a child, rather than recursing without end.
        public var maxChildDepth: Int
        /// How many steps of the histories of runs asleep the engine keeps in memory, so that a
        /// run with a long history (64 steps or more) that wakes here neither reloads nor decodes
        /// it again; 0 keeps none. A step is its stored record and its decoded result.
        public var historyCacheSteps: Int
        /// Set by a replay of a recorded history: invocations stop at the end of the history.
        package var replayLog: ReplayLog?
        /// The app's database when it is the store's own: a FluentKit `Database` that reaches the
        /// same SQLite file or PostgreSQL database, which `ctx.step.transaction` (HookflowFluent)
        /// writes a step's effects and its checkpoint through, in one transaction. HookflowVapor
        /// sets it to `app.db(.hookflow)`.
        public var sharedDatabase: (@Sendable () -> any Sendable)?

        public init(
            leaseDuration: Duration = .seconds(30),
            httpClient: HTTPClient = Configuration.callHTTPClient,
            maxCallResponseBytes: Int = 10 * 1024 * 1024,
            logger: Logger = Logger(label: "hookflow"),
            now: @escaping @Sendable () -> Date = { Date() },
            onInvocationEnd: (@Sendable (_ runID: WorkflowRunID, _ outcome: InvocationOutcome) -> Void)? = nil,
            maxUnfinishedInvocations: Int = 3,
            metrics: HookflowMetrics = HookflowMetrics(),
            tracer: any Tracer = InstrumentationSystem.tracer,
            cancellationGracePeriod: Duration = .seconds(30),
            maxChildDepth: Int = 32,
            historyCacheSteps: Int = 100_000
        ) {
            self.historyCacheSteps = max(0, historyCacheSteps)
            self.maxChildDepth = maxChildDepth
            self.cancellationGracePeriod = cancellationGracePeriod
            self.tracer = tracer
            self.metrics = metrics
            self.leaseDuration = leaseDuration
            self.httpClient = httpClient
            self.maxCallResponseBytes = maxCallResponseBytes
            self.logger = logger
            self.now = now
            self.onInvocationEnd = onInvocationEnd
            self.maxUnfinishedInvocations = maxUnfinishedInvocations
        }

        /// The default client of `ctx.step.call`: shared for the life of the process, redirects left to the step.
        public static let callHTTPClient = HTTPClient(
            eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
    }
}
