import Foundation
import Hookflow

/// K no-op `run` steps.
struct NoOpSteps: Workflow {
    static let id = "no-op-steps"
    struct Input: Codable, Sendable { var steps: Int }

    func run(_ ctx: WorkflowContext<Input>) async throws -> Int {
        var sum = 0
        for index in 0..<ctx.data.steps {
            sum += try await ctx.step.run("s\(index)") { index }
        }
        return sum
    }
}

/// Sleeps for `seconds`, then one step.
struct Sleeper: Workflow {
    static let id = "sleeper"
    struct Input: Codable, Sendable { var seconds: Double }

    func run(_ ctx: WorkflowContext<Input>) async throws -> Bool {
        try await ctx.step.sleep("sleep", for: .milliseconds(Int64(ctx.data.seconds * 1000)))
        try await ctx.step.run("after") {}
        return true
    }
}

/// Records when it meant to wake and how late it woke.
struct LateWaker: Workflow {
    static let id = "late-waker"
    let lateness: Lateness

    func run(_ ctx: WorkflowContext<Double>) async throws -> Double {
        let target = try await ctx.step.run("target") { Date().timeIntervalSince1970 + ctx.data }
        try await ctx.step.sleep("sleep", until: Date(timeIntervalSince1970: target))
        let late = try await ctx.step.run("woke") { Date().timeIntervalSince1970 - target }
        lateness.record(late)
        return late
    }
}
