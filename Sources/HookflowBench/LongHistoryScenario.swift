import Foundation
import Hookflow
import Synchronization

/// What a wake-up costs a run with a long history: a run of many completed steps followed by
/// many short sleeps, against a run of the same sleeps and no steps before them.
enum LongHistoryScenario {
    static func measure(sizes: Sizes, workers: Int) async throws -> BenchResult {
        let starts = InvocationStarts()
        let bench = try await BenchEngine.start(workers: workers, sizes: sizes) { $0.register(StepsThenSleeps(starts: starts)) }
        func wakes(afterSteps steps: Int) async throws -> [Double] {
            let runID = WorkflowRunID.random()
            bench.finished.expect(runID)
            try await bench.engine.trigger(StepsThenSleeps.self, input: .init(steps: steps, sleeps: sizes.historySleeps), runID: runID)
            await bench.finished.wait(for: runID)
            // From one invocation's start to the next: the replay, the sleep's commit, the 1 ms sleep, the claim and the load.
            let times = starts.take(runID)
            return zip(times.dropFirst(), times).map { ($0 - $1) * 1000 }
        }
        let short = try await wakes(afterSteps: 0)
        let long = try await wakes(afterSteps: sizes.historySteps)
        try await bench.stop()
        let later = Array(long.dropFirst(2))
        return BenchResult(scenario: "long-history", fields: [
            ("history_steps", .integer(sizes.historySteps)),
            ("wakes", .integer(long.count - 1)),
            ("first_wake_ms", .number(long.dropFirst().first ?? .nan)),
            ("wake_p50_ms", .number(Measure.percentile(later, 0.5))),
            ("wake_max_ms", .number(later.max() ?? .nan)),
            ("max_to_first_ratio", .number((later.max() ?? .nan) / (long.dropFirst().first ?? .nan))),
            ("no_history_wake_p50_ms", .number(Measure.percentile(Array(short.dropFirst(2)), 0.5))),
        ])
    }
}

/// K no-op steps, then N sleeps of a millisecond; notes when each invocation's body begins.
struct StepsThenSleeps: Workflow {
    static let id = "steps-then-sleeps"
    struct Input: Codable, Sendable {
        var steps: Int
        var sleeps: Int
    }
    let starts: InvocationStarts

    func run(_ ctx: WorkflowContext<Input>) async throws -> Int {
        starts.note(ctx.runID)
        for index in 0..<ctx.data.steps {
            try await ctx.step.run("s\(index)") { index }
        }
        for index in 0..<ctx.data.sleeps {
            try await ctx.step.sleep("z\(index)", for: .milliseconds(1))
        }
        return ctx.data.steps
    }
}

/// When each invocation of each run began, in seconds of a monotonic clock.
final class InvocationStarts: Sendable {
    private let starts = Mutex<[WorkflowRunID: [Double]]>([:])
    private let origin = ContinuousClock.now

    func note(_ runID: WorkflowRunID) {
        let elapsed = origin.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        starts.withLock { $0[runID, default: []].append(seconds) }
    }

    func take(_ runID: WorkflowRunID) -> [Double] {
        starts.withLock { $0.removeValue(forKey: runID) ?? [] }
    }
}
