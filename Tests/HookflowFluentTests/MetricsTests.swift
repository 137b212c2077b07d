import Foundation
import Hookflow
import HookflowFluent
import Logging
import MetricsTestKit
import XCTest

/// A step that fails once, a second step, and a sleep long enough to be seen by the gauge when asked.
struct Metered: Workflow {
    let counter: Counter
    let sleep: Duration

    func run(_ ctx: WorkflowContext<JSON>) async throws -> String {
        try await ctx.step.run("flaky", retry: .exponential(maxAttempts: 3, initialDelay: .milliseconds(10))) {
            if counter.hit("flaky") == 1 { throw MeteredFailure() }
        }
        try await ctx.step.run("steady") { counter.hit("steady") }
        try await ctx.step.sleep("nap", for: sleep)
        return "done"
    }
}

struct RefusesAtOnce: Workflow {
    func run(_ ctx: WorkflowContext<JSON>) async throws -> String {
        try await ctx.step.run("refuse") { () -> String in throw NonRetryableError("refused") }
    }
}

struct MeteredFailure: Error {}

final class MetricsTests: XCTestCase {
    private func engine(
        _ metrics: TestMetrics, sleep: Duration = .milliseconds(10)
    ) async throws -> (WorkflowEngine, any WorkflowStore) {
        let store = try await openTestStore(try await temporaryDatabasePath())
        addTeardownBlock { try await store.close() }
        var registry = WorkflowRegistry()
        registry.register(Metered(counter: Counter(), sleep: sleep))
        registry.register(RefusesAtOnce())
        var logger = Logger(label: "hookflow.test")
        logger.logLevel = .critical
        let engine = WorkflowEngine(
            store: store, registry: registry, transport: LocalTransport(workers: 2, safetyInterval: .seconds(3600)),
            configuration: .init(logger: logger, metrics: HookflowMetrics(factory: metrics)))
        return (engine, store)
    }

    func testRunsStepsRetriesAndLatenciesAreCountedByWorkflowAndKind() async throws {
        let metrics = TestMetrics()
        let (engine, store) = try await engine(metrics)
        let service = Task { await HookflowService(engine: engine, gaugeInterval: nil).run() }
        let metered = try await engine.trigger(Metered.self, input: [:])
        let refused = try await engine.trigger(RefusesAtOnce.self, input: [:])
        let ended = try await eventually {
            let completed = try await store.run(metered)?.status == .completed
            let failed = try await store.run(refused)?.status == .failed
            return completed && failed
        }
        engine.beginShutdown()
        await service.value
        XCTAssertTrue(ended)

        let workflow = [("workflow", Metered.id)]
        let run = [("workflow", Metered.id), ("kind", "run")]
        XCTAssertEqual(metrics.counterTotal(label: "hookflow_runs_triggered_total", dimensions: workflow), 1)
        XCTAssertEqual(metrics.counterTotal(label: "hookflow_runs_completed_total", dimensions: workflow), 1)
        XCTAssertEqual(metrics.counterTotal(label: "hookflow_runs_failed_total", dimensions: workflow), 0)
        XCTAssertEqual(metrics.counterTotal(label: "hookflow_runs_failed_total", dimensions: [("workflow", RefusesAtOnce.id)]), 1)
        XCTAssertEqual(metrics.counterTotal(label: "hookflow_step_attempts_total", dimensions: run), 3, "flaky twice, steady once")
        XCTAssertEqual(metrics.counterTotal(label: "hookflow_step_retries_total", dimensions: run), 1)
        XCTAssertEqual(try metrics.expectTimer("hookflow_step_duration_seconds", run).values.count, 3)
        XCTAssertEqual(try metrics.expectTimer("hookflow_trigger_to_start_seconds", workflow).values.count, 1)
        let checkpoints = try metrics.expectTimer("hookflow_checkpoint_duration_seconds").values
        XCTAssertGreaterThanOrEqual(checkpoints.count, 5, "a checkpoint per step, a suspension per wait, the completion")
        XCTAssertTrue(checkpoints.allSatisfy { $0 > 0 })
    }

    func testTheGaugesShowRunnableAndSleepingRunsFromOneSampledCount() async throws {
        let metrics = TestMetrics()
        let (engine, store) = try await engine(metrics, sleep: .seconds(3600))
        let asleep = try await engine.trigger(Metered.self, input: [:])
        // No service yet: the run waits for a worker.
        let waiting = Task { await engine.sampleRunCounts(every: .milliseconds(20)) }
        let runnable = try await eventually { (try? metrics.expectGauge("hookflow_runnable_runs").lastValue) == 1 }
        waiting.cancel()
        await waiting.value
        XCTAssertTrue(runnable)

        let service = Task { await HookflowService(engine: engine, gaugeInterval: .milliseconds(20)).run() }
        let sleeping = try await eventually {
            let asleepNow = try await store.run(asleep)?.status == .sleeping
            return asleepNow && (try? metrics.expectGauge("hookflow_sleeping_runs").lastValue) == 1
                && (try? metrics.expectGauge("hookflow_runnable_runs").lastValue) == 0
        }
        engine.beginShutdown()
        await service.value
        XCTAssertTrue(sleeping, "the gauges did not follow the run to sleep")
    }

    func testACancelledRunIsCountedOnceByWorkflow() async throws {
        let metrics = TestMetrics()
        let (engine, store) = try await engine(metrics, sleep: .seconds(3600))
        let service = Task { await HookflowService(engine: engine, gaugeInterval: nil).run() }
        let runID = try await engine.trigger(Metered.self, input: [:])
        // Asleep in its nap, not in the back-off of its first step's retry, from which a worker takes it again at once.
        let asleep = try await eventually {
            let napping = try await store.steps(of: runID).contains { $0.stepID == "nap" }
            let status = try await store.run(runID)?.status
            return napping && status == .sleeping
        }
        XCTAssertTrue(asleep)
        try await engine.cancel(runID)
        try await engine.cancel(runID)
        engine.beginShutdown()
        await service.value
        let workflow = [("workflow", Metered.id)]
        XCTAssertEqual(metrics.counterTotal(label: "hookflow_runs_cancelled_total", dimensions: workflow), 1)
        XCTAssertEqual(metrics.counterTotal(label: "hookflow_runs_completed_total", dimensions: workflow), 0)
    }
}
