import Foundation
import Hookflow

/// How big each scenario is: the defaults, or tiny ones for the smoke test.
struct Sizes: Sendable {
    var runsPerK: [Int: Int]
    var latencyRuns: Int
    var longRunSteps: (short: Int, long: Int)
    var sleepers: Int
    var idleSeconds: Double
    var wakeupRuns: Int
    var floorIterations: Int
    /// Runs stored for the operations scenario, and how often each listing is timed.
    var operationRuns: Int
    var operationRepetitions: Int
    /// The composition scenario: steps fanned out, and child runs invoked one after another.
    var fanOutSteps = 1000
    var children = 200
    var continuations = 10_000
    /// How long the schedules scenario counts the ticks of its one-second schedule.
    var scheduleSeconds = 30
    /// Runs of each half of the limits scenario.
    var limitRuns = 100_000
    /// The long-history scenario: steps completed before the sleeps whose wake-ups are timed.
    var historySteps = 10_000
    var historySleeps = 100
    /// A PostgreSQL server to measure on (a database is created per engine) instead of SQLite files.
    var postgres: String? = nil
    /// Hookflow's metrics go to a Prometheus registry instead of swift-metrics' no-op backend.
    var prometheus = false
    /// Spans go to an in-memory tracer instead of swift-distributed-tracing's no-op one.
    var trace = false
    /// Steps of sleeping runs' histories the engine keeps in memory (`WorkflowEngine.Configuration.historyCacheSteps`).
    var historyCacheSteps = 100_000
    /// The SQLite store without the operators' indexes and the tallies' triggers, to measure what they cost.
    var withoutOperatorIndexes = false

    static let standard = Sizes(
        runsPerK: [1: 2000, 10: 400, 100: 60], latencyRuns: 1000, longRunSteps: (1000, 10_000), sleepers: 100_000,
        idleSeconds: 10, wakeupRuns: 1000, floorIterations: 5000, operationRuns: 1_000_000, operationRepetitions: 200)

    static let quick = Sizes(
        runsPerK: [1: 10, 10: 4, 100: 2], latencyRuns: 10, longRunSteps: (10, 100), sleepers: 50,
        idleSeconds: 0.5, wakeupRuns: 10, floorIterations: 50, operationRuns: 2000, operationRepetitions: 10,
        fanOutSteps: 20, children: 5, continuations: 20, scheduleSeconds: 2, limitRuns: 200, historySteps: 50,
        historySleeps: 5)
}

enum Scenarios {
    /// N runs of K no-op steps, one at a time and all at once.
    static func steps(sizes: Sizes, workers: Int) async throws -> [BenchResult] {
        var results: [BenchResult] = []
        for k in sizes.runsPerK.keys.sorted() {
            let runs = sizes.runsPerK[k] ?? 10
            for concurrent in [false, true] {
                let bench = try await BenchEngine.start(workers: workers, sizes: sizes) { $0.register(NoOpSteps()) }
                let input = NoOpSteps.Input(steps: k)
                let warmUp = WorkflowRunID.random()
                bench.finished.expect(warmUp)
                try await bench.engine.trigger(NoOpSteps.self, input: input, runID: warmUp)
                await bench.finished.wait(for: warmUp)
                bench.finished.reset()

                let before = bench.groupCommit
                let wall = try await Measure.seconds {
                    if concurrent {
                        for _ in 0..<runs { try await bench.engine.trigger(NoOpSteps.self, input: input) }
                        await bench.finished.wait(forCount: runs)
                    } else {
                        for _ in 0..<runs {
                            let runID = WorkflowRunID.random()
                            bench.finished.expect(runID)
                            try await bench.engine.trigger(NoOpSteps.self, input: input, runID: runID)
                            await bench.finished.wait(for: runID)
                        }
                    }
                }
                let after = bench.groupCommit
                try await bench.stop()
                let steps = Double(runs * k)
                // Writes per transaction: several runs' checkpoints share one when they are ready together.
                var grouped = Double.nan
                if let before, let after {
                    grouped = Double(after.requests - before.requests) / Double(max(1, after.batches - before.batches))
                }
                results.append(BenchResult(scenario: "steps", fields: [
                    ("k", .integer(k)),
                    ("concurrency", concurrent ? .text("default") : .integer(1)),
                    ("workers", .integer(concurrent ? workers : 1)),
                    ("runs", .integer(runs)),
                    ("steps_per_sec", .number(steps / wall)),
                    ("runs_per_sec", .number(Double(runs) / wall)),
                    ("step_overhead_us", .number(wall / steps * 1e6)),
                    ("rss_mb", .number(Measure.peakRSSMiB())),
                    ("writes_per_commit", .number(grouped)),
                ]))
            }
        }
        return results
    }

    /// Trigger → completed of a 3-step workflow, one run at a time.
    static func latency(sizes: Sizes, workers: Int) async throws -> BenchResult {
        let bench = try await BenchEngine.start(workers: workers, sizes: sizes) { $0.register(NoOpSteps()) }
        var samples: [Double] = []
        for index in 0..<(sizes.latencyRuns + 10) {
            let runID = WorkflowRunID.random()
            bench.finished.expect(runID)
            let seconds = try await Measure.seconds {
                try await bench.engine.trigger(NoOpSteps.self, input: .init(steps: 3), runID: runID)
                await bench.finished.wait(for: runID)
            }
            if index >= 10 { samples.append(seconds * 1e6) }
        }
        try await bench.stop()
        return BenchResult(scenario: "latency", fields: [
            ("runs", .integer(samples.count)),
            ("p50_us", .number(Measure.percentile(samples, 0.5))),
            ("p99_us", .number(Measure.percentile(samples, 0.99))),
            ("max_us", .number(samples.max() ?? .nan)),
        ])
    }

    /// One run of 10× the steps of another: flat per-step cost gives a ratio near 10.
    static func longRun(sizes: Sizes, workers: Int) async throws -> BenchResult {
        let bench = try await BenchEngine.start(workers: workers, sizes: sizes) { $0.register(NoOpSteps()) }
        func time(_ steps: Int) async throws -> Double {
            let runID = WorkflowRunID.random()
            bench.finished.expect(runID)
            return try await Measure.seconds {
                try await bench.engine.trigger(NoOpSteps.self, input: .init(steps: steps), runID: runID)
                await bench.finished.wait(for: runID)
            }
        }
        _ = try await time(10)
        let short = try await time(sizes.longRunSteps.short)
        let long = try await time(sizes.longRunSteps.long)
        try await bench.stop()
        return BenchResult(scenario: "long-run", fields: [
            ("short_steps", .integer(sizes.longRunSteps.short)),
            ("long_steps", .integer(sizes.longRunSteps.long)),
            ("short_ms", .number(short * 1000)),
            ("long_ms", .number(long * 1000)),
            ("ratio", .number(long / short)),
        ])
    }

    /// Many runs asleep for an hour: what they cost in memory, and what an idle engine burns.
    static func sleepers(sizes: Sizes, workers: Int) async throws -> BenchResult {
        let bench = try await BenchEngine.start(workers: workers, sizes: sizes) { $0.register(Sleeper()) }
        let setup = try await Measure.seconds {
            for _ in 0..<sizes.sleepers { try await bench.engine.trigger(Sleeper.self, input: .init(seconds: 3600)) }
            await bench.finished.wait(forCount: sizes.sleepers, suspensions: true)
        }
        let rss = Measure.currentRSSMiB()
        let notifications = bench.notificationsSent
        let cpuBefore = Measure.cpuMilliseconds()
        try await Task.sleep(for: .milliseconds(Int64(sizes.idleSeconds * 1000)))
        let idleCPU = Measure.cpuMilliseconds() - cpuBefore
        try await bench.stop()
        return BenchResult(scenario: "sleepers", fields: [
            ("runs", .integer(sizes.sleepers)),
            ("setup_s", .number(setup)),
            ("rss_mb", .number(rss)),
            ("idle_seconds", .number(sizes.idleSeconds)),
            ("idle_cpu_ms", .number(idleCPU)),
            ("notifications_sent", notifications.map { .integer($0) } ?? .number(.nan)),
        ])
    }

    /// Runs that sleep one second: how late they wake.
    static func wakeup(sizes: Sizes, workers: Int) async throws -> BenchResult {
        let lateness = Lateness()
        let bench = try await BenchEngine.start(workers: workers, sizes: sizes) { $0.register(LateWaker(lateness: lateness)) }
        for _ in 0..<sizes.wakeupRuns { try await bench.engine.trigger(LateWaker.self, input: 1.0) }
        await bench.finished.wait(forCount: sizes.wakeupRuns)
        try await bench.stop()
        let late = lateness.all.map { $0 * 1000 }
        return BenchResult(scenario: "wakeup", fields: [
            ("runs", .integer(late.count)),
            ("late_p50_ms", .number(Measure.percentile(late, 0.5))),
            ("late_p99_ms", .number(Measure.percentile(late, 0.99))),
            ("late_max_ms", .number(late.max() ?? .nan)),
        ])
    }
}
