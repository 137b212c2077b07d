import Foundation
import Hookflow
import PostgresNIO

/// Schedules, shared by every instance on the database.
extension PostgresWorkflowStore {
    public func saveSchedule(_ schedule: Schedule, nextFireAt: Date, now: Date) async throws -> ScheduleRecord {
        let records = try await schedules(HookflowSQL.saveSchedule(schedule, nextFireAt: nextFireAt, now: now, dialect: .postgres))
        guard let record = records.first else { throw StoreDataError(column: "name", value: "no row") }
        return record
    }

    public func schedules() async throws -> [ScheduleRecord] {
        try await schedules(HookflowSQL.schedules(named: nil, dialect: .postgres))
    }

    public func schedule(named name: String) async throws -> ScheduleRecord? {
        try await schedules(HookflowSQL.schedules(named: name, dialect: .postgres)).first
    }

    public func setSchedulePaused(_ name: String, paused: Bool, nextFireAt: Date, now: Date) async throws -> ScheduleRecord? {
        try await schedules(
            HookflowSQL.setSchedulePaused(name, paused: paused, nextFireAt: nextFireAt, now: now, dialect: .postgres)
        ).first
    }

    public func deleteSchedule(named name: String) async throws -> Bool {
        try await changesRows(HookflowSQL.deleteSchedule(name, dialect: .postgres))
    }

    public func leaseDueSchedule(owner: String, leaseUntil: Date, now: Date) async throws -> ScheduleRecord? {
        try await schedules(HookflowSQL.leaseDueSchedule(owner: owner, leaseUntil: leaseUntil, now: now, dialect: .postgres)).first
    }

    public func advanceSchedule(
        _ name: String, owner: String, nextFireAt: Date, lastRunID: WorkflowRunID?, now: Date
    ) async throws -> Bool {
        try await changesRows(HookflowSQL.advanceSchedule(
            name, owner: owner, nextFireAt: nextFireAt, lastRunID: lastRunID, now: now, dialect: .postgres))
    }

    public func nextScheduleFireTime() async throws -> Date? {
        try await operation { [self] connection in
            for try await (next,) in try await connection.query(
                PostgresQuery(unsafeSQL: HookflowSQL.nextScheduleFireTime), logger: logger
            ).decode((Date?,).self) {
                return next
            }
            return nil
        }
    }

    private func schedules(_ statement: SQLStatement) async throws -> [ScheduleRecord] {
        let query = PostgresQuery(unsafeSQL: statement.sql, binds: PostgresBindings(statement.arguments))
        return try await operation { [self] connection in
            var records: [ScheduleRecord] = []
            for try await row in try await connection.query(query, logger: logger).decode(
                (String, String, String, String, String, String, Double, Int, Date, String?, Date, Date).self)
            {
                records.append(try HookflowSQL.scheduleRecord(
                    name: row.0, spec: row.1, workflowID: row.2, input: row.3, missedTicks: row.4, overlap: row.5,
                    graceSeconds: row.6, paused: row.7, nextFireAt: row.8, lastRunID: row.9, createdAt: row.10, updatedAt: row.11))
            }
            return records
        }
    }

    private func changesRows(_ statement: SQLStatement) async throws -> Bool {
        let query = PostgresQuery(unsafeSQL: statement.sql, binds: PostgresBindings(statement.arguments))
        return try await operation { [self] connection in
            !(try await connection.query(query, logger: logger).collect().isEmpty)
        }
    }
}
