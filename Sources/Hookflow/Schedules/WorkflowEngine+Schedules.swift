import Foundation

/// Creating, changing, pausing, resuming, firing now and deleting schedules.
extension WorkflowEngine {
    /// Creates `schedule`, or changes the one of that name in place (a deploy that changes its
    /// spec, input or policies): a changed spec fires next at its first tick from now, an
    /// unchanged one keeps its next fire time; a paused schedule stays paused.
    ///
    /// Throws ``UnknownWorkflowError`` when its workflow is not registered, and
    /// ``WorkflowInputError`` when its input does not decode as the workflow's `Input`.
    @discardableResult
    public func saveSchedule(_ schedule: Schedule) async throws -> ScheduleRecord {
        guard let workflow = registry.workflow(schedule.workflowID) else {
            throw UnknownWorkflowError(workflowID: schedule.workflowID, registered: registry.ids)
        }
        try workflow.validateInput(schedule.input)
        let now = now()
        let record = try await store.saveSchedule(
            schedule, nextFireAt: schedule.spec.tick(after: now) ?? HookflowTime.latest, now: now)
        logger.info("schedule saved", metadata: ["hookflow.schedule": "\(schedule.name)", "hookflow.spec": "\(schedule.spec)"])
        scheduleSignal.schedule(record.nextFireAt)
        return record
    }

    /// Every schedule, by name.
    public func schedules() async throws -> [ScheduleRecord] {
        try await store.schedules()
    }

    /// The schedule called `name`; throws ``ScheduleNotFoundError`` when there is none.
    public func schedule(named name: String) async throws -> ScheduleRecord {
        guard let record = try await store.schedule(named: name) else { throw ScheduleNotFoundError(name: name) }
        return record
    }

    /// Stops the schedule called `name` from firing until ``resumeSchedule(_:)``.
    @discardableResult
    public func pauseSchedule(_ name: String) async throws -> ScheduleRecord {
        try await setPaused(name, true)
    }

    /// Lets the schedule called `name` fire again, from its first tick after now: the ticks
    /// that passed while it was paused do not run.
    @discardableResult
    public func resumeSchedule(_ name: String) async throws -> ScheduleRecord {
        let record = try await setPaused(name, false)
        scheduleSignal.schedule(record.nextFireAt)
        return record
    }

    private func setPaused(_ name: String, _ paused: Bool) async throws -> ScheduleRecord {
        let current = try await schedule(named: name)
        let now = now()
        guard let record = try await store.setSchedulePaused(
            name, paused: paused, nextFireAt: current.schedule.spec.tick(after: now) ?? HookflowTime.latest, now: now)
        else { throw ScheduleNotFoundError(name: name) }
        logger.info(paused ? "schedule paused" : "schedule resumed", metadata: ["hookflow.schedule": "\(name)"])
        return record
    }

    /// Starts a run of the schedule called `name` now, beside its ticks (whether or not it is
    /// paused), and returns its id; the run shows the schedule and the time it was asked for.
    @discardableResult
    public func triggerSchedule(_ name: String) async throws -> WorkflowRunID {
        let record = try await schedule(named: name)
        return try await createRun(
            workflowID: record.schedule.workflowID, input: record.schedule.input, runID: nil, ifExists: .returnExisting,
            scheduledBy: ScheduleTick(name: name, tick: now()))
    }

    /// Deletes the schedule called `name`; the runs it started are kept.
    public func deleteSchedule(_ name: String) async throws {
        guard try await store.deleteSchedule(named: name) else { throw ScheduleNotFoundError(name: name) }
        logger.info("schedule deleted", metadata: ["hookflow.schedule": "\(name)"])
    }
}

extension ScheduleRecord {
    /// The next `count` times the schedule fires, from its next fire time (as if it were not paused).
    public func upcomingTicks(_ count: Int) -> [Date] {
        guard count > 0 else { return [] }
        return [nextFireAt] + schedule.spec.ticks(count - 1, after: nextFireAt)
    }
}
