import Foundation

/// Where schedules and their state are kept: part of every ``WorkflowStore``.
///
/// Several instances fire a store's schedules: one at a time holds a schedule's lease while it
/// fires its due ticks, and a tick's run id (``ScheduleTick/runID``) makes a tick fired again
/// after a crash find the run it already started.
public protocol ScheduleStore: Sendable {
    /// Creates `schedule`, or changes the definition of the one of that name in place (a deploy
    /// that changes it): its paused state and last run are kept, and its next fire time too
    /// unless its spec changed. `nextFireAt` is the next fire time of a new or changed spec.
    func saveSchedule(_ schedule: Schedule, nextFireAt: Date, now: Date) async throws -> ScheduleRecord

    /// Every schedule, by name.
    func schedules() async throws -> [ScheduleRecord]

    /// The schedule called `name`, if there is one.
    func schedule(named name: String) async throws -> ScheduleRecord?

    /// Pauses or resumes the schedule called `name`; a resumed schedule fires next at
    /// `nextFireAt` (ticks while paused are not run). `nil` when there is no such schedule.
    func setSchedulePaused(_ name: String, paused: Bool, nextFireAt: Date, now: Date) async throws -> ScheduleRecord?

    /// Deletes the schedule called `name` (its runs are kept); whether there was one.
    func deleteSchedule(named name: String) async throws -> Bool

    /// Leases to `owner`, until `leaseUntil`, one schedule not paused whose next fire time has
    /// come by `now` and that no live lease holds.
    func leaseDueSchedule(owner: String, leaseUntil: Date, now: Date) async throws -> ScheduleRecord?

    /// Records what the holder of the lease fired (the next tick to fire, the last run) and
    /// releases the lease; `false`, changing nothing, when `owner` no longer holds it.
    func advanceSchedule(
        _ name: String, owner: String, nextFireAt: Date, lastRunID: WorkflowRunID?, now: Date
    ) async throws -> Bool

    /// When the next schedule not paused is due: its next fire time, or the end of the lease
    /// that holds it when later; `nil` when no schedule is active.
    func nextScheduleFireTime() async throws -> Date?
}
