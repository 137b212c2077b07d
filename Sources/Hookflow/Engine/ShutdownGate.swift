import Foundation
import Synchronization

/// An engine's shutdown, in two stages, and the invocations it has in flight.
///
/// Once stopping, an invocation hands its run back before its next step and no worker claims
/// another; once abandoned, the bodies still running are cancelled and their runs released.
final class ShutdownGate: Sendable {
    enum Stage: Sendable {
        /// The engine was asked to stop.
        case stopping
        /// The shutdown timeout passed: bodies still running are given up.
        case abandoned
        /// Stopping, and no invocation is in flight.
        case idle
    }

    private struct State {
        var stopping = false
        var abandoned = false
        var inFlight = 0
        var waiters: [UUID: (stage: Stage, continuation: CheckedContinuation<Void, Never>)] = [:]

        func reached(_ stage: Stage) -> Bool {
            switch stage {
            case .stopping: stopping
            case .abandoned: abandoned
            case .idle: stopping && inFlight == 0
            }
        }

        /// Takes out the waiters whose stage is reached.
        mutating func takeReady() -> [CheckedContinuation<Void, Never>] {
            let ready = waiters.filter { reached($0.value.stage) }
            for id in ready.keys { waiters.removeValue(forKey: id) }
            return ready.values.map(\.continuation)
        }
    }

    private let state = Mutex(State())

    func isReached(_ stage: Stage) -> Bool { state.withLock { $0.reached(stage) } }

    func stop() { change { $0.stopping = true } }

    func abandon() {
        change { state in
            state.stopping = true
            state.abandoned = true
        }
    }

    /// Runs `body` as an invocation in flight.
    func track<T>(_ body: () async throws -> T) async rethrows -> T {
        change { $0.inFlight += 1 }
        defer { change { $0.inFlight -= 1 } }
        return try await body()
    }

    /// Returns once `stage` is reached, or the task is cancelled.
    func wait(for stage: Stage) async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.reached(stage) || Task.isCancelled { return true }
                    state.waiters[id] = (stage, continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            // Resumed once: taken out here, or when its stage is reached, whichever comes first.
            state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume()
        }
    }

    private func change(_ update: (inout State) -> Void) {
        let ready = state.withLock { state in
            update(&state)
            return state.takeReady()
        }
        for waiter in ready { waiter.resume() }
    }
}
