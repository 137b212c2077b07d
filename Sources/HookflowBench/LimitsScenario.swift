import Foundation
import Hookflow

/// Runs of 10 steps without limits, then the same number with concurrency keys (1,000 keys, one
/// run of each admitted at a time, the rest queued): steps per second of each, and their ratio.
enum LimitsScenario {
    static let steps = 10
    static let keys = 1_000

    static func measure(sizes: Sizes, workers: Int) async throws -> BenchResult {
        let unlimited = try await stepsPerSecond(sizes: sizes, workers: workers, keyed: false)
        let limited = try await stepsPerSecond(sizes: sizes, workers: workers, keyed: true)
        return BenchResult(scenario: "limits", fields: [
            ("backend", .text(sizes.postgres == nil ? "sqlite" : "postgres")),
            ("runs", .integer(sizes.limitRuns)),
            ("k", .integer(steps)),
            ("keys", .integer(min(keys, sizes.limitRuns))),
            ("peak_queued", .integer(limited.peakQueued)),
            ("unlimited_steps_per_sec", .number(unlimited.rate)),
            ("limited_steps_per_sec", .number(limited.rate)),
            ("ratio", .number(limited.rate / unlimited.rate)),
        ])
    }

    private static func stepsPerSecond(
        sizes: Sizes, workers: Int, keyed: Bool
    ) async throws -> (rate: Double, peakQueued: Int) {
        let bench = try await BenchEngine.start(workers: workers, sizes: sizes) { $0.register(NoOpSteps()) }
        let runs = sizes.limitRuns
        let input = NoOpSteps.Input(steps: steps)
        var peakQueued = 0
        let wall = try await Measure.seconds {
            for index in 0..<runs {
                try await bench.engine.trigger(NoOpSteps.self, input: input, concurrencyKey: keyed ? "key-\(index % keys)" : nil)
            }
            // The workers run meanwhile: this many were still queued when the last was triggered.
            if keyed { peakQueued = try await bench.engine.countRunsByStatus()[NoOpSteps.id]?[.queued] ?? 0 }
            await bench.finished.wait(forCount: runs)
        }
        try await bench.stop()
        return (Double(runs * steps) / wall, peakQueued)
    }
}
