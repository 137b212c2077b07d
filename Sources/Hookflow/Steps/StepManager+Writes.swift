extension StepManager {
    /// The history as this invocation, which claimed the run at history version `version`, leaves it,
    /// for the run's next invocation here (``HistoryCache``): kept for version `version + 1`, which the
    /// next claim finds when nothing but this invocation wrote the run's steps meanwhile. `nil` when
    /// a write's outcome is unknown.
    func history(claimedAt version: Int) -> CachedHistory? {
        state.withLock { state in
            guard !state.writesUncertain else { return nil }
            return CachedHistory(
                version: version + 1, steps: state.history, decoded: state.decoded, nextSequence: state.nextSequence)
        }
    }

    /// `step` was committed: the history has it.
    func wrote(_ step: StepRecord) {
        state.withLock { state in
            state.history[step.stepID] = step
            state.decoded[step.stepID] = nil
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
