import Foundation

/// Schedules, kept beside the runs.
extension InMemoryWorkflowStore {
    public func saveSchedule(_ schedule: Schedule, nextFireAt: Date, now: Date) async throws -> ScheduleRecord {
        state.withLock { state in
            guard var stored = state.schedules[schedule.name] else {
                let record = ScheduleRecord(schedule: schedule, nextFireAt: nextFireAt, createdAt: now, updatedAt: now)
                state.schedules[schedule.name] = InMemorySchedule(record: record)
                return record
            }
            if stored.record.schedule.spec.storedText != schedule.spec.storedText { stored.record.nextFireAt = nextFireAt }
            stored.record.schedule = schedule
            stored.record.updatedAt = now
            state.schedules[schedule.name] = stored
            return stored.record
        }
    }

    public func schedules() async throws -> [ScheduleRecord] {
        state.withLock { state in state.schedules.values.map(\.record).sorted { $0.schedule.name < $1.schedule.name } }
    }

    public func schedule(named name: String) async throws -> ScheduleRecord? {
        state.withLock { state in state.schedules[name]?.record }
    }

    public func setSchedulePaused(_ name: String, paused: Bool, nextFireAt: Date, now: Date) async throws -> ScheduleRecord? {
        state.withLock { state in
            guard var stored = state.schedules[name] else { return nil }
            if stored.record.paused && !paused { stored.record.nextFireAt = nextFireAt }
            stored.record.paused = paused
            stored.record.updatedAt = now
            state.schedules[name] = stored
            return stored.record
        }
    }

    public func deleteSchedule(named name: String) async throws -> Bool {
        state.withLock { state in state.schedules.removeValue(forKey: name) != nil }
    }

    public func leaseDueSchedule(owner: String, leaseUntil: Date, now: Date) async throws -> ScheduleRecord? {
        state.withLock { state in
            let due = state.schedules.values.filter { stored in
                !stored.record.paused && stored.record.nextFireAt <= now && (stored.leaseUntil.map { $0 < now } ?? true)
            }
            guard let chosen = due.min(by: { $0.record.nextFireAt < $1.record.nextFireAt }) else { return nil }
            state.schedules[chosen.record.schedule.name]?.owner = owner
            state.schedules[chosen.record.schedule.name]?.leaseUntil = leaseUntil
            return chosen.record
        }
    }

    public func advanceSchedule(
        _ name: String, owner: String, nextFireAt: Date, lastRunID: WorkflowRunID?, now: Date
    ) async throws -> Bool {
        state.withLock { state in
            guard var stored = state.schedules[name], stored.owner == owner else { return false }
            stored.record.nextFireAt = nextFireAt
            stored.record.lastRunID = lastRunID ?? stored.record.lastRunID
            stored.record.updatedAt = now
            stored.owner = nil
            stored.leaseUntil = nil
            state.schedules[name] = stored
            return true
        }
    }

    public func nextScheduleFireTime() async throws -> Date? {
        state.withLock { state in
            state.schedules.values.filter { !$0.record.paused }
                .map { stored in max(stored.record.nextFireAt, stored.leaseUntil ?? stored.record.nextFireAt) }.min()
        }
    }
}
