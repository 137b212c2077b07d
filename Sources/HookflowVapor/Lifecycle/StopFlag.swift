import Synchronization

/// Set once when the app shuts down, so webhook invocations hand their run back; counts the
/// invocations in flight, so that shutdown waits for them before it closes the store.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    private let inFlight = Atomic<Int>(0)

    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }

    /// Runs `body` as an invocation in flight.
    func track<T>(_ body: () async throws -> T) async rethrows -> T {
        inFlight.add(1, ordering: .relaxed)
        defer { inFlight.subtract(1, ordering: .relaxed) }
        return try await body()
    }

    /// Waits until no invocation is in flight, or `timeout` passed.
    func drain(timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while inFlight.load(ordering: .relaxed) > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
