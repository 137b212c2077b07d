import Foundation
import Hookflow

/// The schedule statements, the same in both databases.
extension HookflowSQL {
    /// A schedule, in the order both stores decode it.
    static let scheduleColumns =
        "name, spec, workflow_id, data, missed_ticks, overlap, grace_seconds, paused, next_fire_at, last_run_id, created_at, updated_at"

    /// Creates a schedule or changes its definition, keeping its state (and its next fire time
    /// unless its spec changed).
    static func saveSchedule(_ schedule: Schedule, nextFireAt: Date, now: Date, dialect: SQLDialect) -> SQLStatement {
        var statement = SQLStatement(dialect)
        let values = [
            statement.bind(.text(schedule.name)), statement.bind(.text(schedule.spec.storedText)),
            statement.bind(.text(schedule.workflowID)), statement.bind(.text(schedule.input)),
            statement.bind(.text(schedule.missedTicks.description)), statement.bind(.text(schedule.overlap.rawValue)),
            statement.bind(.double(HookflowTime.seconds(of: schedule.gracePeriod))), "0", statement.bind(.date(nextFireAt)),
        ]
        let now = statement.bind(.date(now))
        statement.sql = """
            INSERT INTO hookflow_schedules (name, spec, workflow_id, data, missed_ticks, overlap, grace_seconds, paused,
                next_fire_at, created_at, updated_at)
            VALUES (\(values.joined(separator: ", ")), \(now), \(now))
            ON CONFLICT (name) DO UPDATE SET
                next_fire_at = CASE WHEN hookflow_schedules.spec = excluded.spec THEN hookflow_schedules.next_fire_at
                    ELSE excluded.next_fire_at END,
                spec = excluded.spec, workflow_id = excluded.workflow_id, data = excluded.data,
                missed_ticks = excluded.missed_ticks, overlap = excluded.overlap, grace_seconds = excluded.grace_seconds,
                updated_at = excluded.updated_at
            RETURNING \(scheduleColumns)
            """
        return statement
    }

    /// Every schedule by name, or the one called `name`.
    static func schedules(named name: String?, dialect: SQLDialect) -> SQLStatement {
        var statement = SQLStatement(dialect)
        let condition = name.map { " WHERE name = \(statement.bind(.text($0)))" } ?? ""
        statement.sql = "SELECT \(scheduleColumns) FROM hookflow_schedules\(condition) ORDER BY name"
        return statement
    }

    /// Pauses or resumes a schedule; a resumed one fires next at `nextFireAt`.
    static func setSchedulePaused(_ name: String, paused: Bool, nextFireAt: Date, now: Date, dialect: SQLDialect) -> SQLStatement {
        var statement = SQLStatement(dialect)
        let name = statement.bind(.text(name))
        let paused = statement.bind(.integer(paused ? 1 : 0))
        let next = statement.bind(.date(nextFireAt))
        let now = statement.bind(.date(now))
        statement.sql = """
            UPDATE hookflow_schedules SET next_fire_at = CASE WHEN paused = 1 AND \(paused) = 0 THEN \(next) ELSE next_fire_at END,
                paused = \(paused), updated_at = \(now)
            WHERE name = \(name)
            RETURNING \(scheduleColumns)
            """
        return statement
    }

    /// Deletes a schedule, returning its name when there was one.
    static func deleteSchedule(_ name: String, dialect: SQLDialect) -> SQLStatement {
        var statement = SQLStatement(dialect)
        statement.sql = "DELETE FROM hookflow_schedules WHERE name = \(statement.bind(.text(name))) RETURNING name"
        return statement
    }

    /// Leases the due schedule whose tick is oldest, unless a live lease holds it.
    static func leaseDueSchedule(owner: String, leaseUntil: Date, now: Date, dialect: SQLDialect) -> SQLStatement {
        var statement = SQLStatement(dialect)
        let owner = statement.bind(.text(owner))
        let until = statement.bind(.date(leaseUntil))
        let now = statement.bind(.date(now))
        let free = "(lease_until IS NULL OR lease_until < \(now))"
        statement.sql = """
            UPDATE hookflow_schedules SET lease_owner = \(owner), lease_until = \(until)
            WHERE \(free) AND name = (
                SELECT name FROM hookflow_schedules WHERE paused = 0 AND next_fire_at <= \(now) AND \(free)
                ORDER BY next_fire_at LIMIT 1\(dialect.skippingLocked))
            RETURNING \(scheduleColumns)
            """
        return statement
    }

    /// Records what the lease holder fired and releases its lease; returns the name when it held the lease.
    static func advanceSchedule(
        _ name: String, owner: String, nextFireAt: Date, lastRunID: WorkflowRunID?, now: Date, dialect: SQLDialect
    ) -> SQLStatement {
        var statement = SQLStatement(dialect)
        let name = statement.bind(.text(name))
        let owner = statement.bind(.text(owner))
        let next = statement.bind(.date(nextFireAt))
        let last = statement.bind(lastRunID.map { .text($0.rawValue) } ?? .null)
        let now = statement.bind(.date(now))
        statement.sql = """
            UPDATE hookflow_schedules SET next_fire_at = \(next), last_run_id = COALESCE(\(last), last_run_id),
                updated_at = \(now), lease_owner = NULL, lease_until = NULL
            WHERE name = \(name) AND lease_owner = \(owner)
            RETURNING name
            """
        return statement
    }

    /// When the next active schedule is due: its next fire time, or its lease's end when later.
    static let nextScheduleFireTime = """
        SELECT MIN(CASE WHEN lease_until IS NOT NULL AND lease_until > next_fire_at THEN lease_until ELSE next_fire_at END)
        FROM hookflow_schedules WHERE paused = 0
        """

    /// A schedule row's values as a record; throws ``StoreDataError`` for a value no schedule writes.
    static func scheduleRecord(
        name: String, spec: String, workflowID: String, input: String, missedTicks: String, overlap: String,
        graceSeconds: Double, paused: Int, nextFireAt: Date, lastRunID: String?, createdAt: Date, updatedAt: Date
    ) throws -> ScheduleRecord {
        guard let missed = MissedTickPolicy(missedTicks) else { throw StoreDataError(column: "missed_ticks", value: missedTicks) }
        guard let overlapPolicy = OverlapPolicy(rawValue: overlap) else { throw StoreDataError(column: "overlap", value: overlap) }
        let schedule = try Schedule(
            name: name, spec: try ScheduleSpec(storedText: spec), workflowID: workflowID, input: input, missedTicks: missed,
            overlap: overlapPolicy, gracePeriod: HookflowTime.duration(seconds: graceSeconds))
        return ScheduleRecord(
            schedule: schedule, paused: paused != 0, nextFireAt: nextFireAt, lastRunID: lastRunID.map { WorkflowRunID($0) },
            createdAt: createdAt, updatedAt: updatedAt)
    }
}
