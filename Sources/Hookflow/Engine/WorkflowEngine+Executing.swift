import Foundation

extension WorkflowEngine {
    /// Claims one runnable run, if any, and executes an invocation of it.
    /// Returns `nil` when nothing was runnable, or the engine is shutting down, or the task is cancelled.
    public func executeNext(shouldStop: @escaping @Sendable () -> Bool = { false }) async throws -> InvocationOutcome? {
        guard !isShuttingDown, !Task.isCancelled else { return nil }
        // In flight from the claim on: a shutdown waits for it before the store closes.
        return try await shutdown.track {
            guard !isShuttingDown, !Task.isCancelled else { return nil }
            return try await claimAndExecuteNext(shouldStop: shouldStop)
        }
    }

    private func claimAndExecuteNext(shouldStop: @escaping @Sendable () -> Bool) async throws -> InvocationOutcome? {
        let owner = newOwner()
        let now = now()
        guard let run = try await store.claimNextRun(
            owner: owner, leaseUntil: leaseEnd(from: now), now: now, workflows: registry.claimable)
        else {
            return nil
        }
        let (outcome, scheduling) = await execute(run, owner: owner, shouldStop: shouldStop)
        if let scheduling { logger.error("could not schedule the next invocation of run \(run.runID): \(scheduling)") }
        return outcome
    }

    /// Claims `runID` if it is runnable and executes an invocation of it; `nil` when it is
    /// not runnable (finished, asleep, or held by another worker). This is what a webhook
    /// delivery does.
    ///
    /// - Parameters:
    ///   - scheduledFor: the wake time the delivered message was published for, if it is a wake-up.
    ///   - earlyTolerance: how early by this instance's clock a wake-up may arrive and still execute
    ///     (clock skew between instances, or with QStash).
    ///
    /// Throws when the next invocation could not be scheduled, so that the delivery is retried.
    /// A delivery that finds its run asleep until the very time it was published for arrived
    /// early: it is published again once, for that time. Any other delivery that finds the run
    /// asleep schedules the run's own wake-up under its own key (deduplicated, so a wake-up lost
    /// by a failed publish is restored and nothing multiplies); one that finds the run held by a
    /// worker is dropped: that invocation schedules what follows, and ``sweepOverdueRuns(olderThan:limit:)``
    /// re-publishes a run whose worker died.
    public func executeRun(
        _ runID: WorkflowRunID, scheduledFor: Date? = nil, earlyTolerance: Duration = .zero,
        shouldStop: @escaping @Sendable () -> Bool = { false }
    ) async throws -> InvocationOutcome? {
        try await shutdown.track {
            try await claimAndExecute(runID, scheduledFor: scheduledFor, earlyTolerance: earlyTolerance, shouldStop: shouldStop)
        }
    }

    private func claimAndExecute(
        _ runID: WorkflowRunID, scheduledFor: Date?, earlyTolerance: Duration, shouldStop: @escaping @Sendable () -> Bool
    ) async throws -> InvocationOutcome? {
        let owner = newOwner()
        let now = now()
        var claimed = try await store.claimRun(runID, owner: owner, leaseUntil: leaseEnd(from: now), now: now)
        var early: TimeInterval = 0
        if claimed == nil, earlyTolerance > .zero, let run = try await store.run(runID), run.status == .sleeping,
            let wake = run.wakeAt, wake > now, wake <= HookflowTime.date(now, plus: earlyTolerance)
        {
            // Early by this clock, within the tolerance for skew: it executes as if at its wake time
            // (a lease is still judged by this clock).
            claimed = try await store.claimRun(
                runID, owner: owner, leaseUntil: leaseEnd(from: now), now: now, wakingBy: wake)
            early = wake.timeIntervalSince(now)
        }
        guard let run = claimed else {
            try await rescheduleUnclaimed(runID, scheduledFor: scheduledFor, now: now)
            return nil
        }
        if let workflow = registry.workflow(run.workflowID), !workflow.supportedVersions.contains(run.workflowVersion) {
            // Delivered to an instance whose code cannot replay it (a rolling deploy): handed back, and
            // the delivery fails, to be retried, perhaps on another instance.
            try? await store.commit(runID: runID, owner: owner, step: nil, transition: .release, now: self.now())
            throw UnsupportedWorkflowVersionError(
                runID: runID, workflowID: run.workflowID, version: run.workflowVersion, supported: workflow.supportedVersions)
        }
        let (outcome, scheduling) = await execute(run, owner: owner, earlyBy: early, shouldStop: shouldStop)
        if let scheduling { throw scheduling }
        return outcome
    }

    private func rescheduleUnclaimed(_ runID: WorkflowRunID, scheduledFor: Date?, now: Date) async throws {
        guard let run = try await store.run(runID), run.status == .sleeping, let wake = run.wakeAt, wake > now else {
            return
        }
        let isItsWakeUp = scheduledFor.map { abs($0.timeIntervalSince(wake)) < 0.001 } ?? false
        if isItsWakeUp {
            logger.warning(
                "wake-up arrived early; publishing it once more",
                metadata: ["hookflow.run_id": "\(runID)", "hookflow.early_seconds": "\(wake.timeIntervalSince(now))"])
        }
        // Published again once per day at most: a wake-up further away than a transport's longest delay
        // arrives early once per hop.
        let day = HookflowTime.milliseconds(since1970: now) / 86_400_000
        let key =
            isItsWakeUp
            ? "\(runID):early:\(HookflowTime.milliseconds(since1970: wake)):\(day)" : Self.wakeKey(runID, wake)
        try await transport.schedule(runID, workflowID: run.workflowID, at: wake, key: key)
    }

    /// Publishes again the runs that should be executing but, by their state, have no invocation
    /// coming: pending, due to wake, or whose lease expired, `olderThan` ago or more (a
    /// wake-up QStash gave up on, a publish that failed after its commit). One message per run
    /// and period; returns the runs published. The QStash transport runs it every minute.
    @discardableResult
    public func sweepOverdueRuns(olderThan grace: Duration, limit: Int = 1000) async throws -> [WorkflowRunID] {
        let now = now()
        let before = HookflowTime.date(now, plus: .zero - grace)
        let overdue = try await store.overdueRuns(before: before, limit: limit, workflows: registry.claimable)
        // One key per run and period of `grace`: a sweep that finds the run stuck again publishes again.
        let period = max(1, HookflowTime.milliseconds(since1970: Date(timeIntervalSince1970: grace.seconds)) / 1000)
        let bucket = HookflowTime.milliseconds(since1970: now) / 1000 / period
        var published: [WorkflowRunID] = []
        for run in overdue {
            logger.warning(
                "run is overdue with no invocation coming; publishing it again",
                metadata: ["hookflow.run_id": "\(run.runID)", "hookflow.status": "\(run.status)"])
            do {
                try await transport.schedule(run.runID, workflowID: run.workflowID, at: nil, key: "\(run.runID):sweep:\(bucket)")
                published.append(run.runID)
            } catch {
                // One run that cannot be published must not keep the others from being swept.
                logger.error("could not publish an overdue run: \(error)", metadata: ["hookflow.run_id": "\(run.runID)"])
            }
        }
        return published
    }

    /// Runs ``sweepOverdueRuns(olderThan:limit:)`` every `interval` until the task is cancelled.
    public func sweepOverdueRuns(every interval: Duration) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            do {
                try await sweepOverdueRuns(olderThan: interval)
            } catch {
                logger.error("could not sweep overdue runs: \(error)")
            }
        }
    }

    func newOwner() -> String { "\(ownerPrefix):\(UUID().uuidString.prefix(8))" }
}
