import Foundation

extension StepManager {
    /// Suspends the run until an event is notified under `key`, and returns its payload;
    /// returns `nil` when `timeout` passes first.
    ///
    /// Durable like ``sleep(_:for:)``: the waiting run holds no task and no memory.
    /// ``WorkflowEngine/notify(key:payload:)`` delivers the event, from any process that
    /// shares the store. An event notified before the run reached the wait is kept
    /// (see ``WorkflowStore/deliverEvent(key:payload:now:)``) and returned at once, so
    /// the order of the two does not matter; it also means a key must name one occurrence
    /// (`"order-approved:A-1"`, not `"order-approved"`), or a later wait receives an old
    /// event. The payload and the timeout are checkpointed: a replay returns the same outcome.
    ///
    /// ```swift
    /// let approval = try await ctx.step.waitForEvent(
    ///     "approval", key: "order-approved:\(order.id)", as: Approval.self, timeout: .seconds(86_400))
    /// ```
    public func waitForEvent<T: Decodable & Sendable>(
        _ id: String, key: String, as type: T.Type = T.self, timeout: Duration
    ) async throws -> T? {
        try await waitForEvent(id, key: key, as: type, timeout: timeout, startedAfter: nil)
    }

    /// ``waitForEvent(_:key:as:timeout:)`` as a round of a loop that keeps one row for the wait:
    /// a stored wait that began before `startedAfter` is an earlier round's, and a new wait replaces it.
    package func waitForEvent<T: Decodable & Sendable>(
        _ id: String, key: String, as type: T.Type = T.self, timeout: Duration, startedAfter: Date?
    ) async throws -> T? {
        let stored = try await begin(id, kind: .wait, again: startedAfter != nil)
        let earlierRound = startedAfter.map { start in stored.map { ($0.startedAt ?? $0.executedAt) < start } ?? false } ?? false
        let record = earlierRound ? nil : stored
        if let record, record.status == .completed {
            // A wait that timed out is checkpointed without a result.
            guard record.result != nil else { return nil }
            return try await decode(T.self, record)
        }
        try await require(key, as: "event key")
        if record == nil { try await stopIfRequested() }
        try deliverCancellation(suspending: true)
        let now = engine.now()
        let sequence = stored?.sequence ?? allocateSequence()
        let deadline = record?.wakeAt ?? HookflowTime.date(now, plus: timeout)
        let payload: String?
        do {
            payload = try await engine.store.event(key: key, now: engine.now())
        } catch {
            throw self.record(storeError: error)
        }
        var step = StepRecord(
            stepID: id, kind: .wait, status: .completed, result: payload, attempts: 1, sequence: sequence,
            wakeAt: deadline, eventKey: key, startedAt: record.map { $0.startedAt ?? $0.executedAt } ?? now, executedAt: now)
        if payload != nil {
            try await checkpoint(step)
            logger.info("step received its event", metadata: ["hookflow.step": "\(id)", "hookflow.event": "\(key)"])
            return try await decode(T.self, step)
        }
        if deadline <= now.addingTimeInterval(earlyBy) {
            try await checkpoint(step)
            logger.info("step timed out waiting", metadata: ["hookflow.step": "\(id)", "hookflow.event": "\(key)"])
            return nil
        }
        step.status = .waiting
        if record == nil {
            logger.info(
                "step waiting for event",
                metadata: ["hookflow.step": "\(id)", "hookflow.event": "\(key)", "hookflow.wake_at": "\(deadline)"])
        }
        throw await end(step: step, transition: .suspend(wakeAt: deadline), outcome: .suspended(until: deadline))
    }
}
