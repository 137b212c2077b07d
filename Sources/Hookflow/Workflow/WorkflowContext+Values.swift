import Foundation

extension WorkflowContext {
    /// The time, recorded the first time the body reads it and the same on every replay: a
    /// workflow that branches on the time takes the same branch when it is replayed.
    ///
    /// Each read is a step of its own (`"hookflow.now#1"`, `"hookflow.now#2"`, … in the order
    /// the body reads them), so read it outside branches that run in parallel.
    ///
    /// ```swift
    /// if try await ctx.now > order.deadline { try await ctx.step.run("expire") { … } }
    /// ```
    public var now: Date {
        get async throws { try await step.recordedValue("now") { step.now } }
    }

    /// A random UUID, recorded the first time and the same on every replay (see ``now``).
    public func uuid() async throws -> UUID {
        try await step.recordedValue("uuid") { UUID() }
    }

    /// A random integer in `range`, recorded the first time and the same on every replay (see ``now``).
    public func random(in range: ClosedRange<Int>) async throws -> Int {
        try await step.recordedValue("random") { Int.random(in: range) }
    }

    /// A random number in `range`, recorded the first time and the same on every replay (see ``now``).
    public func random(in range: Range<Double>) async throws -> Double {
        try await step.recordedValue("random") { Double.random(in: range) }
    }
}

extension StepManager {
    /// A value made once and checkpointed as the step `"hookflow.<kind>#<n>"`, its `n` counting
    /// the reads of that kind in this invocation's body, in order.
    func recordedValue<T: Codable & Sendable>(_ kind: String, _ make: () -> T) async throws -> T {
        let count = state.withLock { state -> Int in
            state.recordedValues[kind, default: 0] += 1
            return state.recordedValues[kind]!
        }
        return try await run("hookflow.\(kind)#\(count)", retry: .never) { make() }
    }
}
