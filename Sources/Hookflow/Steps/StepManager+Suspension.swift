import Foundation

/// Durable waits an invocation reached, to be written when its body has unwound.
struct PendingSuspension {
    /// One durable wait.
    struct Entry {
        /// The step to write (sleeping, waiting, retrying), or `nil` when it is stored already.
        var step: StepRecord?
        var wake: Date
        /// The race branches it was reached in (``StepManager/race(_:_:or:)``).
        var path: [RaceBranch]
    }

    /// The waits in the order they were reached.
    var entries: [Entry]

    /// The steps to write, in the order they were reached.
    var steps: [StepRecord] { entries.compactMap(\.step) }
    /// The earliest wake time among them.
    var wake: Date { entries.map(\.wake).min() ?? .distantFuture }
}

extension StepManager {
    /// Notes a durable wait, unless the invocation already ended otherwise (failed, released,
    /// lost its lease): then nothing more is written.
    func note(suspensionOf step: StepRecord?, until wake: Date) {
        let path = RaceBranch.path
        state.withLock { state in
            if state.abandoned || (state.ended != nil && state.suspension == nil) { return }
            var suspension = state.suspension ?? PendingSuspension(entries: [])
            suspension.entries.append(.init(step: step, wake: wake, path: path))
            state.suspension = suspension
            state.ended = .suspended(until: suspension.wake)
        }
    }

    /// The run's lease is gone: nothing more is written, not even a suspension noted already.
    func loseLease() {
        state.withLock { state in
            state.ended = .leaseLost
            state.suspension = nil
        }
    }

    /// A shutdown (or a cancellation, for `reason`) gives the invocation up while its body still
    /// runs: the durable waits it reached are written (their steps running beside them will run
    /// again), or else the run is released; the unwinding body writes nothing more.
    func abandon(because reason: String = "shutdown timeout passed; releasing the run while its step still runs") async {
        // The release is claimed under the lock: a step ending the invocation meanwhile writes nothing.
        let (pending, open) = state.withLock { state -> (PendingSuspension?, Bool) in
            state.abandoned = true
            let open = state.suspension == nil && state.ended == nil
            if open { state.ended = .released }
            return (state.suspension, open)
        }
        if pending != nil {
            _ = await finish()
            return
        }
        guard open else { return }
        logger.warning("\(reason)")
        do {
            try await engine.commit(runID: runID, owner: owner, step: nil, transition: .release)
        } catch {
            _ = record(storeError: error)
            state.withLock { $0.ended = error is LeaseLostError ? .leaseLost : .storeUnavailable }
        }
    }

    /// Ends the invocation once the body has returned or thrown, when every step that ran beside
    /// a durable wait has checkpointed: writes the waits (one transaction when there is one) and
    /// returns how the invocation ended, or `nil` when no step ended it.
    func finish() async -> InvocationOutcome? {
        guard let suspension = state.withLock({ state -> PendingSuspension? in
            defer { state.suspension = nil }
            return state.suspension
        }) else { return ended }
        // A run with an execution timeout wakes by it at the latest, and fails then.
        var wake = min(suspension.wake, deadline ?? suspension.wake)
        do {
            for step in suspension.steps.dropLast() {
                try await engine.commit(
                    runID: runID, owner: owner, step: step,
                    transition: .keepRunning(leaseUntil: engine.leaseEnd(from: engine.now())))
                wrote(step)
            }
            try await engine.commit(runID: runID, owner: owner, step: suspension.steps.last, transition: .suspend(wakeAt: wake))
            if let last = suspension.steps.last { wrote(last) }
        } catch {
            _ = record(storeError: error)
            let outcome: InvocationOutcome = error is LeaseLostError ? .leaseLost : .storeUnavailable
            state.withLock { $0.ended = outcome }
            return outcome
        }
        // An event that landed while the run was suspending made the store wake it at once (see
        // `WorkflowStore.commit`): the next invocation is scheduled for now, not for the timeout.
        let now = engine.now()
        for step in suspension.steps where step.status == .waiting {
            if let key = step.eventKey, (try? await engine.store.event(key: key, now: now)) != nil {
                wake = min(wake, now)
            }
        }
        state.withLock { $0.ended = .suspended(until: wake) }
        return .suspended(until: wake)
    }
}
