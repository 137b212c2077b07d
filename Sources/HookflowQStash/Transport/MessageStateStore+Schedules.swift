import Foundation
import Hookflow

/// A schedule saved in stateless mode, which keeps no schedule that could fire.
public struct StatelessSchedulesError: Error, CustomStringConvertible {
    public let name: String

    public var description: String {
        "cannot save schedule '\(name)': stateless QStash mode (MessageStateStore) keeps no schedules; "
            + "use a database store to schedule runs"
    }
}

/// Stateless mode has no schedules: saving one is refused, and there is none to read or fire.
extension MessageStateStore {
    public func saveSchedule(_ schedule: Schedule, nextFireAt: Date, now: Date) async throws -> ScheduleRecord {
        throw StatelessSchedulesError(name: schedule.name)
    }

    public func schedules() async throws -> [ScheduleRecord] { [] }

    public func schedule(named name: String) async throws -> ScheduleRecord? { nil }

    public func setSchedulePaused(_ name: String, paused: Bool, nextFireAt: Date, now: Date) async throws -> ScheduleRecord? {
        nil
    }

    public func deleteSchedule(named name: String) async throws -> Bool { false }

    public func leaseDueSchedule(owner: String, leaseUntil: Date, now: Date) async throws -> ScheduleRecord? { nil }

    public func advanceSchedule(
        _ name: String, owner: String, nextFireAt: Date, lastRunID: WorkflowRunID?, now: Date
    ) async throws -> Bool { false }

    public func nextScheduleFireTime() async throws -> Date? { nil }
}

/// Stateless mode keeps no run that a later trigger could find.
extension MessageStateStore {
    public func debounceRun(_ trigger: DebouncedTrigger, now: Date) async throws -> DebounceOutcome {
        throw ChildRunsUnsupportedError(
            reason: "stateless QStash mode (MessageStateStore) keeps no run state; use a database store to debounce triggers")
    }
}
