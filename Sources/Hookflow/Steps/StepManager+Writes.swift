extension StepManager {
    /// The history as this invocation leaves it, for the run's next invocation here
    /// (``HistoryCache``): `nil` when a write's outcome is unknown.
    func history(after version: Int) -> CachedHistory? {
        state.withLock { state in
            guard !state.writesUncertain else { return nil }
            return CachedHistory(
                version: version + state.stepWrites, steps: state.history, decoded: state.decoded, nextSequence: state.nextSequence)
        }
    }

    /// `step` was committed: the history has it, and the run's history version moved on.
    func wrote(_ step: StepRecord) {
        state.withLock { state in
            state.history[step.stepID] = step
            state.decoded[step.stepID] = nil
            state.stepWrites += 1
        }
    }

    /// The store's error that ended the invocation, if one did.
    var storeError: String? { state.withLock { $0.storeError } }

    /// Notes a write that failed: the invocation ends (its lease lost, or the store unavailable),
    /// and whether the write was committed is not known. Returns the error that unwinds the body.
    func record(storeError error: any Error) -> any Error {
        let outcome: InvocationOutcome = error is LeaseLostError ? .leaseLost : .storeUnavailable
        if outcome == .storeUnavailable {
            logger.error("checkpoint failed: \(error)")
            state.withLock { if $0.storeError == nil { $0.storeError = "\(error)" } }
        }
        state.withLock { $0.writesUncertain = true }
        // With steps in parallel, the first step to end the invocation decides its outcome.
        state.withLock { if $0.ended == nil { $0.ended = outcome } }
        return WorkflowSuspension()
    }
}
