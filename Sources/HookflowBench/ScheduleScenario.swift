import Foundation
import Hookflow

/// A one-second schedule fired while the workers execute a steady load of other runs: how late
/// each tick's run is created (the tick's lateness) and how late its first step starts.
enum ScheduleScenario {
    static func measure(sizes: Sizes, workers: Int) async throws -> BenchResult {
        let bench = try await BenchEngine.start(workers: workers, sizes: sizes) { $0.register(NoOpSteps()) }
        try await bench.engine.saveSchedule(
            try Schedule("bench-tick", every: .seconds(1), workflow: NoOpSteps.self, input: .init(steps: 1), overlap: .allow))
        // The load: waves of runs of 10 steps, twice as many as there are workers, for as long as the ticks are counted.
        let end = ContinuousClock.now + .seconds(sizes.scheduleSeconds)
        var loadRuns = 0
        while ContinuousClock.now < end {
            let wave = workers * 2
            bench.finished.reset()
            for _ in 0..<wave { try await bench.engine.trigger(NoOpSteps.self, input: .init(steps: 10)) }
            await bench.finished.wait(forCount: wave)
            loadRuns += wave
        }
        try await Task.sleep(for: .milliseconds(500))
        let runs = try await bench.store.listRuns(RunFilter(schedule: "bench-tick"), after: nil, limit: 10_000).runs
        var created: [Double] = []
        var started: [Double] = []
        for run in runs {
            guard let tick = run.scheduledBy?.tick else { continue }
            created.append(run.createdAt.timeIntervalSince(tick) * 1000)
            if let start = try await bench.store.steps(of: run.runID).first?.startedAt {
                started.append(start.timeIntervalSince(tick) * 1000)
            }
        }
        try await bench.stop()
        return BenchResult(scenario: "schedules", fields: [
            ("backend", .text(sizes.postgres == nil ? "sqlite" : "postgres")),
            ("seconds", .integer(sizes.scheduleSeconds)),
            ("ticks", .integer(created.count)),
            ("load_runs", .integer(loadRuns)),
            ("tick_late_p50_ms", .number(Measure.percentile(created, 0.5))),
            ("tick_late_p99_ms", .number(Measure.percentile(created, 0.99))),
            ("tick_late_max_ms", .number(created.max() ?? 0)),
            ("first_step_late_p99_ms", .number(Measure.percentile(started, 0.99))),
        ])
    }
}
