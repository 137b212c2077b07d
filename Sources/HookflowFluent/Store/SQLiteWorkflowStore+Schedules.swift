import Foundation
import Hookflow

/// Schedules, in the same file as the runs they start.
extension SQLiteWorkflowStore {
    public func saveSchedule(_ schedule: Schedule, nextFireAt: Date, now: Date) async throws -> ScheduleRecord {
        let statement = HookflowSQL.saveSchedule(schedule, nextFireAt: nextFireAt, now: now, dialect: .sqlite)
        return try await writer.transaction { db in try Self.scheduleRecord(try db.query(statement), column: "name") }
    }

    public func schedules() async throws -> [ScheduleRecord] {
        let statement = HookflowSQL.schedules(named: nil, dialect: .sqlite)
        return try await writer.read { db in try Self.scheduleRecords(try db.query(statement)) }
    }

    public func schedule(named name: String) async throws -> ScheduleRecord? {
        let statement = HookflowSQL.schedules(named: name, dialect: .sqlite)
        return try await writer.read { db in try Self.scheduleRecords(try db.query(statement)).first }
    }

    public func setSchedulePaused(_ name: String, paused: Bool, nextFireAt: Date, now: Date) async throws -> ScheduleRecord? {
        let statement = HookflowSQL.setSchedulePaused(name, paused: paused, nextFireAt: nextFireAt, now: now, dialect: .sqlite)
        return try await writer.transaction { db in try Self.scheduleRecords(try db.query(statement)).first }
    }

    public func deleteSchedule(named name: String) async throws -> Bool {
        let statement = HookflowSQL.deleteSchedule(name, dialect: .sqlite)
        return try await writer.transaction { db in !(try db.query(statement)).isEmpty }
    }

    public func leaseDueSchedule(owner: String, leaseUntil: Date, now: Date) async throws -> ScheduleRecord? {
        let statement = HookflowSQL.leaseDueSchedule(owner: owner, leaseUntil: leaseUntil, now: now, dialect: .sqlite)
        return try await writer.transaction { db in try Self.scheduleRecords(try db.query(statement)).first }
    }

    public func advanceSchedule(
        _ name: String, owner: String, nextFireAt: Date, lastRunID: WorkflowRunID?, now: Date
    ) async throws -> Bool {
        let statement = HookflowSQL.advanceSchedule(
            name, owner: owner, nextFireAt: nextFireAt, lastRunID: lastRunID, now: now, dialect: .sqlite)
        return try await writer.transaction { db in !(try db.query(statement)).isEmpty }
    }

    public func nextScheduleFireTime() async throws -> Date? {
        try await writer.read { db in try db.query(HookflowSQL.nextScheduleFireTime).first?[0].date }
    }
}

extension SQLiteWorkflowStore {
    fileprivate static func scheduleRecord(_ rows: [[SQLiteValue]], column: String) throws -> ScheduleRecord {
        guard let record = try scheduleRecords(rows).first else { throw StoreDataError(column: column, value: "no row") }
        return record
    }

    fileprivate static func scheduleRecords(_ rows: [[SQLiteValue]]) throws -> [ScheduleRecord] {
        try rows.map { row in
            try HookflowSQL.scheduleRecord(
                name: try required(row[0].text, "name"), spec: try required(row[1].text, "spec"),
                workflowID: try required(row[2].text, "workflow_id"), input: try required(row[3].text, "data"),
                missedTicks: try required(row[4].text, "missed_ticks"), overlap: try required(row[5].text, "overlap"),
                graceSeconds: try required(row[6].real, "grace_seconds", row[6]), paused: row[7].integer ?? 0,
                nextFireAt: try required(row[8].date, "next_fire_at", row[8]), lastRunID: row[9].text,
                createdAt: try required(row[10].date, "created_at", row[10]),
                updatedAt: try required(row[11].date, "updated_at", row[11]))
        }
    }
}

extension SQLiteHandle {
    /// Runs a shared statement.
    func query(_ statement: SQLStatement) throws -> [[SQLiteValue]] {
        try query(statement.sql, statement.arguments.map(SQLiteValue.init))
    }
}
