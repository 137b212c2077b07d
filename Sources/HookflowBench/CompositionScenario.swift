import Foundation
import Hookflow
import Synchronization

/// `n` no-op steps: one after another, or fanned out `concurrency` at a time with `ctx.step.map`.
struct FanOutSteps: Workflow {
    static let id = "fan-out-steps"
    struct Input: Codable, Sendable {
        var steps: Int
        /// `nil`: one after another.
        var concurrency: Int?
    }

    func run(_ ctx: WorkflowContext<Input>) async throws -> Int {
        guard let concurrency = ctx.data.concurrency else {
            var sum = 0
            for index in 0..<ctx.data.steps { sum += try await ctx.step.run("s[\(index)]") { index } }
            return sum
        }
        return try await ctx.step.map("s", Array(0..<ctx.data.steps), concurrency: concurrency) { $0 }.reduce(0, +)
    }
}

/// `n` inline steps, or `n` child runs of one step each, one after another.
struct InlineOrChildren: Workflow {
    static let id = "inline-or-children"
    struct Input: Codable, Sendable {
        var count: Int
        var children: Bool
    }

    func run(_ ctx: WorkflowContext<Input>) async throws -> Int {
        var sum = 0
        for index in 0..<ctx.data.count {
            if ctx.data.children {
                sum += try await ctx.step.invoke("c\(index)", OneStep.self, input: index)
            } else {
                sum += try await ctx.step.run("c\(index)") { index }
            }
        }
        return sum
    }
}

/// Ticks once, then continues as new until its count reaches `until`; notes when each run ticked.
struct Looper: Workflow {
    static let id = "looper"
    struct Input: Codable, Sendable {
        var count: Int
        var until: Int
    }

    let ticks: Ticks

    func run(_ ctx: WorkflowContext<Input>) async throws -> Int {
        try await ctx.step.run("tick") { ticks.record() }
        guard ctx.data.count >= ctx.data.until else {
            throw ctx.continueAsNew(input: .init(count: ctx.data.count + 1, until: ctx.data.until))
        }
        return ctx.data.count
    }
}

/// When each run of a continuing loop ticked.
final class Ticks: Sendable {
    private let times = Mutex<[Double]>([])

    func record() { times.withLock { $0.append(ProcessInfo.processInfo.systemUptime) } }

    /// The mean time between ticks over the first and the last `window` ticks, in milliseconds.
    func firstAndLast(_ window: Int) -> (first: Double, last: Double) {
        let all = times.withLock { $0 }
        let gaps = zip(all.dropFirst(), all).map { ($0 - $1) * 1000 }
        let first = gaps.prefix(window), last = gaps.suffix(window)
        return (first.reduce(0, +) / Double(max(first.count, 1)), last.reduce(0, +) / Double(max(last.count, 1)))
    }
}

/// One no-op step: the smallest child.
struct OneStep: Workflow {
    static let id = "one-step"

    func run(_ ctx: WorkflowContext<Int>) async throws -> Int {
        try await ctx.step.run("only") { ctx.data }
    }
}

/// Issue 14's figures: a fan-out of steps against the same steps in sequence, and what a child
/// run costs over an inline step (runs of one each, trigger to completion), each of many
/// children invoked one after another by one run, and a loop's last continuations against its first.
enum CompositionScenario {
    static func measure(sizes: Sizes, workers: Int) async throws -> BenchResult {
        let ticks = Ticks()
        let bench = try await BenchEngine.start(workers: workers, sizes: sizes) {
            $0.register(Looper(ticks: ticks))
            $0.register(FanOutSteps())
            $0.register(InlineOrChildren())
            $0.register(OneStep())
        }
        func time<W: Workflow>(_ workflow: W.Type, _ input: W.Input) async throws -> Double {
            let runID = WorkflowRunID.random()
            bench.finished.expect(runID)
            return try await Measure.seconds {
                try await bench.engine.trigger(W.self, input: input, runID: runID)
                await bench.finished.wait(for: runID)
            }
        }
        let steps = sizes.fanOutSteps
        let children = sizes.children
        _ = try await time(FanOutSteps.self, .init(steps: 10, concurrency: nil))
        _ = try await time(InlineOrChildren.self, .init(count: 5, children: true))
        let sequential = try await time(FanOutSteps.self, .init(steps: steps, concurrency: nil))
        let fanOut8 = try await time(FanOutSteps.self, .init(steps: steps, concurrency: 8))
        let fanOut64 = try await time(FanOutSteps.self, .init(steps: steps, concurrency: 64))
        // One child per run against one inline step per run, alternating so that drift hits both alike.
        var inline = 0.0
        var invoked = 0.0
        for _ in 0..<children {
            inline += try await time(InlineOrChildren.self, .init(count: 1, children: false))
            invoked += try await time(InlineOrChildren.self, .init(count: 1, children: true))
        }
        // Many children one after another in one run: each wakes a parent that replays a longer history.
        let inOneRun = try await time(InlineOrChildren.self, .init(count: children, children: true))
        // A loop that continues as new: its 10,000th run costs what its first did.
        let continuations = sizes.continuations
        bench.finished.reset()
        try await bench.engine.trigger(Looper.self, input: .init(count: 0, until: continuations))
        await bench.finished.wait(forCount: continuations + 1)
        let window = max(1, min(100, continuations / 4))
        let (firstGap, lastGap) = ticks.firstAndLast(window)
        try await bench.stop()
        return BenchResult(scenario: "composition", fields: [
            ("steps", .integer(steps)),
            ("sequential_ms", .number(sequential * 1000)),
            ("fan_out_8_ms", .number(fanOut8 * 1000)),
            ("fan_out_64_ms", .number(fanOut64 * 1000)),
            ("fan_out_8_ratio", .number(fanOut8 / sequential)),
            ("fan_out_64_ratio", .number(fanOut64 / sequential)),
            ("children", .integer(children)),
            ("inline_run_ms", .number(inline * 1000 / Double(children))),
            ("child_run_ms", .number(invoked * 1000 / Double(children))),
            ("child_overhead_ms", .number((invoked - inline) * 1000 / Double(children))),
            ("children_in_one_run_each_ms", .number(inOneRun * 1000 / Double(children))),
            ("continuations", .integer(continuations)),
            ("first_continuations_each_ms", .number(firstGap)),
            ("last_continuations_each_ms", .number(lastGap)),
            ("continuation_ratio", .number(lastGap / firstGap)),
        ])
    }
}
