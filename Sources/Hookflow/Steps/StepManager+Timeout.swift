extension StepManager {
    /// Runs `body` once and checkpoints its result, as `run(_:retry:_:)` does, giving
    /// each attempt at most `timeout`: then the body's task is cancelled and the attempt fails with
    /// ``StepTimeoutError``, retried by `retry` like any failure.
    ///
    /// A body that ignores cancellation keeps the step until it returns; its result is dropped.
    ///
    /// ```swift
    /// let quote = try await ctx.step.run("quote", timeout: .seconds(10)) { try await carrier.quote(parcel) }
    /// ```
    @discardableResult
    public func run<T: Codable & Sendable>(
        _ id: String, timeout: Duration, retry: RetryPolicy? = nil, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await execute(id, kind: .run, retry: retry) { try await Self.within(timeout, stepID: id, body) }
    }

    /// Runs `body` once for its effect within `timeout` per attempt; a replay skips it.
    public func run(
        _ id: String, timeout: Duration, retry: RetryPolicy? = nil, _ body: @escaping @Sendable () async throws -> Void
    ) async throws {
        let _: JSON = try await execute(id, kind: .run, retry: retry) {
            try await Self.within(timeout, stepID: id) {
                try await body()
                return .null
            }
        }
    }

    /// `body`'s result, or ``StepTimeoutError`` once `timeout` has passed (the body's task cancelled).
    static func within<T: Sendable>(
        _ timeout: Duration, stepID: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw StepTimeoutError(stepID: stepID, timeout: timeout)
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }
}

/// An attempt of a step ran longer than its `timeout` (`ctx.step.run(_:timeout:retry:_:)`):
/// its task was cancelled, and the attempt counts as failed.
public struct StepTimeoutError: Error, CustomStringConvertible, Sendable {
    public let stepID: String
    public let timeout: Duration

    public var description: String { "step '\(stepID)' timed out after \(timeout)" }
}
