import Foundation

extension StepManager {
    /// Suspends the run for `duration`. Durable: the run holds no task and no memory
    /// while it sleeps, and wakes even if the process restarted meanwhile.
    public func sleep(_ id: String, for duration: Duration) async throws {
        try await sleep(id, until: HookflowTime.date(engine.now(), plus: duration))
    }

    /// Suspends the run until `date`; returns at once when `date` has passed.
    /// The wake time is recorded on first execution; replays keep it.
    public func sleep(_ id: String, until date: Date) async throws {
        let date = HookflowTime.clamp(date)
        let record = try await begin(id, kind: .sleep)
        let now = engine.now()
        if let record {
            if record.status == .completed { return }
            try deliverCancellation(suspending: true)
            let wake = record.wakeAt ?? now
            if wake <= now.addingTimeInterval(earlyBy) {
                var done = record
                done.status = .completed
                done.startedAt = record.startedAt ?? record.executedAt
                done.executedAt = now
                try await checkpoint(done)
                logger.info("step completed", metadata: ["hookflow.step": "\(id)"])
                return
            }
            throw await end(step: nil, transition: .suspend(wakeAt: wake), outcome: .suspended(until: wake))
        }
        try await stopIfRequested()
        try deliverCancellation(suspending: true)
        let sequence = allocateSequence()
        if date <= now {
            try await checkpoint(StepRecord(
                stepID: id, kind: .sleep, status: .completed, attempts: 1, sequence: sequence, wakeAt: date,
                startedAt: now, executedAt: now))
            return
        }
        logger.info("step sleeping", metadata: ["hookflow.step": "\(id)", "hookflow.wake_at": "\(date)"])
        let step = StepRecord(
            stepID: id, kind: .sleep, status: .sleeping, attempts: 1, sequence: sequence, wakeAt: date, startedAt: now,
            executedAt: now)
        throw await end(step: step, transition: .suspend(wakeAt: date), outcome: .suspended(until: date))
    }
}
