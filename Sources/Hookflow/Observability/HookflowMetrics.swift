import CoreMetrics
import Foundation
import Synchronization

/// Hookflow's swift-metrics, all named `hookflow_*`: the engine's, and those the Vapor, QStash
/// and GitHub layers record through it. A metric is made once per set of dimensions, so
/// recording one costs what the backend's handler costs.
public final class HookflowMetrics: Sendable {
    /// The names of Hookflow's metrics.
    public enum Name: String, Sendable, CaseIterable {
        case runsTriggered = "hookflow_runs_triggered_total"
        case runsCompleted = "hookflow_runs_completed_total"
        case runsFailed = "hookflow_runs_failed_total"
        case runsCancelled = "hookflow_runs_cancelled_total"
        case stepAttempts = "hookflow_step_attempts_total"
        case stepRetries = "hookflow_step_retries_total"
        case leaseTakeovers = "hookflow_lease_takeovers_total"
        case qstashDeliveries = "hookflow_qstash_deliveries_total"
        case gitHubCalls = "hookflow_github_api_calls_total"
        case stepDuration = "hookflow_step_duration_seconds"
        case checkpointDuration = "hookflow_checkpoint_duration_seconds"
        case triggerToStart = "hookflow_trigger_to_start_seconds"
        case runnableRuns = "hookflow_runnable_runs"
        case sleepingRuns = "hookflow_sleeping_runs"
        case scheduleTicks = "hookflow_schedule_ticks_total"
        case scheduleTickLateness = "hookflow_schedule_tick_lateness_seconds"
    }

    private struct Key: Hashable {
        var name: Name
        var dimensions: [String]

        /// The dimensions' labels and values in one array, made without an array per pair (every step counts twice).
        init(name: Name, dimensions: [(String, String)]) {
            self.name = name
            var flat: [String] = []
            flat.reserveCapacity(dimensions.count * 2)
            for (label, value) in dimensions {
                flat.append(label)
                flat.append(value)
            }
            self.dimensions = flat
        }
    }

    private let factory: any MetricsFactory
    private let counters = Mutex<[Key: Counter]>([:])
    private let timers = Mutex<[Key: CoreMetrics.Timer]>([:])
    private let gauges = Mutex<[Key: Gauge]>([:])

    /// Metrics made by `factory` (by default, the one `MetricsSystem.bootstrap` installed).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// Adds one to the counter `name` with `dimensions`.
    public func increment(_ name: Name, _ dimensions: [(String, String)] = []) {
        let key = Key(name: name, dimensions: dimensions)
        let counter = counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: name.rawValue, dimensions: dimensions, factory: factory)
            counters[key] = counter
            return counter
        }
        counter.increment()
    }

    /// Records `duration` in the timer `name` with `dimensions`.
    public func record(_ name: Name, _ dimensions: [(String, String)] = [], _ duration: Duration) {
        let key = Key(name: name, dimensions: dimensions)
        let timer = timers.withLock { timers in
            if let timer = timers[key] { return timer }
            let timer = CoreMetrics.Timer(label: name.rawValue, dimensions: dimensions, factory: factory)
            timers[key] = timer
            return timer
        }
        timer.recordNanoseconds(HookflowTime.nanoseconds(of: duration))
    }

    /// Sets the gauge `name` to `value`.
    public func set(_ name: Name, _ value: Int) {
        let key = Key(name: name, dimensions: [])
        let gauge = gauges.withLock { gauges in
            if let gauge = gauges[key] { return gauge }
            let gauge = Gauge(label: name.rawValue, dimensions: [], factory: factory)
            gauges[key] = gauge
            return gauge
        }
        gauge.record(value)
    }

    /// Times `body` into the timer `name`, whether it returns or throws.
    func time<T>(_ name: Name, _ dimensions: [(String, String)] = [], _ body: () async throws -> T) async rethrows -> T {
        let started = ContinuousClock.now
        defer { record(name, dimensions, ContinuousClock.now - started) }
        return try await body()
    }
}
