import Foundation

/// Debounced triggers.
extension WorkflowEngine {
    /// Starts a run of `W` once triggers with `debounceKey` have been quiet for `debounce`:
    /// triggers in the window collapse into that one run, which takes the last trigger's input.
    /// With `maxWait` the run starts at most that long after the first trigger, however often
    /// the key is triggered. Returns the id of the run that will start.
    ///
    /// ```swift
    /// try await engine.trigger(Reindex.self, input: user, debounceKey: "user-42:reindex", debounce: .seconds(10))
    /// ```
    @discardableResult
    public func trigger<W: Workflow>(
        _ workflow: W.Type, input: W.Input, debounceKey: String, debounce: Duration, maxWait: Duration? = nil,
        concurrencyKey: String? = nil, priority: Int = 0
    ) async throws -> WorkflowRunID {
        guard let registered = registry.workflow(W.id) else {
            throw UnknownWorkflowError(workflowID: W.id, registered: registry.ids)
        }
        try Identifier.validate(debounceKey, as: "debounce key")
        guard debounce > .zero else {
            throw InvalidParameterError(parameter: "debounce", value: "\(debounce)", reason: "must be positive")
        }
        if let maxWait, maxWait < debounce {
            throw InvalidParameterError(parameter: "maxWait", value: "\(maxWait)", reason: "must be at least the debounce window (\(debounce))")
        }
        let flow = RunFlow(
            concurrencyKey: concurrencyKey, keyLimit: registered.concurrencyPerKey, workflowLimit: registered.concurrency,
            priority: priority, rates: [])
        try flow.validate()
        let outcome = try await store.debounceRun(
            DebouncedTrigger(
                runID: .random(), workflowID: W.id, input: try JSONCoding.encode(input), traceContext: currentTraceContext(),
                workflowVersion: registered.version, key: debounceKey, window: debounce, maxWait: maxWait, flow: flow),
            now: now())
        var logger = self.logger
        logger[metadataKey: "hookflow.run_id"] = "\(outcome.runID)"
        logger[metadataKey: "hookflow.workflow"] = "\(W.id)"
        logger[metadataKey: "hookflow.debounce_key"] = "\(debounceKey)"
        if outcome.created {
            logger.info("run triggered, debounced")
            metrics.increment(.runsTriggered, [("workflow", W.id)])
        } else {
            logger.debug("trigger collapsed into the waiting run")
        }
        // Each trigger moves the start: the transport wakes the run then (an earlier wake finds it not due).
        try await transport.schedule(outcome.runID, workflowID: W.id, at: outcome.startAt, key: Self.wakeKey(outcome.runID, outcome.startAt))
        return outcome.runID
    }
}
