extension StepManager {
    /// Runs `body` once per round of a loop that keeps one row for step `id` however many rounds
    /// it runs (a poll): a replay returns the stored result while `isCurrent` accepts it, and runs
    /// `body` again, replacing it, once it is an earlier round's. The step may begin several times
    /// in one invocation. ``waitForEvent(_:key:as:timeout:startedAfter:)`` is its wait.
    package func run<T: Codable & Sendable>(
        _ id: String, retry: RetryPolicy? = nil, isCurrent: @escaping (T) -> Bool, _ body: () async throws -> T
    ) async throws -> T {
        try await execute(id, kind: .run, retry: retry, isCurrent: isCurrent, body)
    }
}
