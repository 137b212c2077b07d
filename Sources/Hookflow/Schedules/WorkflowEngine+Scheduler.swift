import Foundation
import Logging

/// Firing due schedules: one run per tick, across restarts and instances.
extension WorkflowEngine {
    /// How long the scheduler waits at most before it reads the store's schedules again, in
    /// case another instance created or resumed one.
    static let scheduleCheckInterval: Duration = .seconds(5)

    /// Fires due schedules until cancelled: sleeps until the next fire time (or a schedule
    /// saved or resumed here), then fires every due tick. ``HookflowService`` runs it.
    public func fireSchedules() async {
        while !Task.isCancelled {
            do {
                try await fireDueSchedules()
            } catch {
                logger.error("could not fire the due schedules: \(error)")
            }
            var next = HookflowTime.date(now(), plus: Self.scheduleCheckInterval)
            do {
                if let due = try await store.nextScheduleFireTime() { next = min(next, due) }
            } catch {
                logger.error("could not read the next schedule fire time: \(error)")
            }
            if let saved = scheduleSignal.takeDeadline() { next = min(next, saved) }
            if next > now() { await scheduleSignal.sleepTimer(until: next) }
        }
    }

    /// Fires every due tick of every due schedule, each schedule under a lease so that one
    /// instance at a time fires it; returns the runs started.
    @discardableResult
    public func fireDueSchedules() async throws -> [WorkflowRunID] {
        var started: [WorkflowRunID] = []
        let owner = "\(ownerPrefix):scheduler"
        while let record = try await store.leaseDueSchedule(owner: owner, leaseUntil: leaseEnd(from: now()), now: now()) {
            let plan = TickPlan(record, now: now())
            var lastRunID = record.lastRunID
            var metadata: Logger.Metadata = ["hookflow.schedule": "\(record.schedule.name)"]
            if plan.skipped > 0 {
                logger.warning("missed ticks skipped", metadata: metadata.merging(["hookflow.skipped": "\(plan.skipped)"]) { $1 })
            }
            for tick in plan.ticks {
                let scheduled = ScheduleTick(name: record.schedule.name, tick: tick)
                metadata["hookflow.tick"] = "\(ScheduleTick.format(tick))"
                if let runID = try await fire(record.schedule, scheduled, previous: lastRunID, metadata: metadata) {
                    lastRunID = runID
                    started.append(runID)
                }
            }
            guard try await store.advanceSchedule(
                record.schedule.name, owner: owner, nextFireAt: plan.nextFireAt, lastRunID: lastRunID, now: now())
            else {
                logger.warning("schedule lease lost while firing; another instance fires it", metadata: metadata)
                continue
            }
        }
        return started
    }

    /// Starts the run of one tick, unless the previous run is still going and the overlap
    /// policy skips it; returns the run's id, or `nil` when skipped.
    private func fire(
        _ schedule: Schedule, _ tick: ScheduleTick, previous: WorkflowRunID?, metadata: Logger.Metadata
    ) async throws -> WorkflowRunID? {
        if schedule.overlap != .allow, let previous, previous != tick.runID,
            let run = try await store.run(previous), !run.status.isFinished
        {
            switch schedule.overlap {
            case .skip:
                logger.info("tick skipped: the previous run is still going", metadata: metadata)
                metrics.increment(.scheduleTicks, [("schedule", schedule.name), ("outcome", "skipped")])
                return nil
            case .cancelPrevious:
                logger.info("cancelling the previous run of the schedule", metadata: metadata)
                _ = try await cancel(previous)
            case .allow:
                break
            }
        }
        let runID = try await createRun(
            workflowID: schedule.workflowID, input: schedule.input, runID: tick.runID, ifExists: .returnExisting,
            scheduledBy: tick)
        metrics.increment(.scheduleTicks, [("schedule", schedule.name), ("outcome", "started")])
        metrics.record(
            .scheduleTickLateness, [("schedule", schedule.name)], HookflowTime.duration(seconds: now().timeIntervalSince(tick.tick)))
        return runID
    }
}
