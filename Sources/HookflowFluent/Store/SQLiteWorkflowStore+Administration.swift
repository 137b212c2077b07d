import Foundation
import Hookflow

/// What operators do: manage dead letters, fork runs, clean up.
extension SQLiteWorkflowStore {
    public func listDeadLetters(_ filter: DeadLetterFilter, after cursor: ListCursor?, limit: Int) async throws -> DeadLetterPage {
        let (sql, arguments) = HookflowSQL.listDeadLetters(filter, after: cursor, limit: limit, dialect: .sqlite)
        let rows = try await writer.read { db in try db.query(sql, arguments.map(SQLiteValue.init)).map(Self.deadLetterRecord) }
        let letters = Array(rows.prefix(limit))
        return DeadLetterPage(deadLetters: letters, next: rows.count > limit ? letters.last.map(ListCursor.init(after:)) : nil)
    }

    public func deadLetter(id: String) async throws -> DeadLetterRecord? {
        let key = UUID(uuidString: id)?.uuidString ?? id
        return try await writer.read { db in
            try db.query(HookflowSQL.deadLetter(.sqlite), [.text(key)]).first.map(Self.deadLetterRecord)
        }
    }

    public func deleteDeadLetter(id: String) async throws -> Bool {
        let key = UUID(uuidString: id)?.uuidString ?? id
        return try await writer.transaction { db in !(try db.query(HookflowSQL.deleteDeadLetter(.sqlite), [.text(key)]).isEmpty) }
    }

    public func forkRun(
        _ runID: WorkflowRunID, as newRunID: WorkflowRunID, fromStep stepID: String, now: Date
    ) async throws -> RunRecord {
        try await writer.transaction { db in
            let steps = try db.query(HookflowSQL.steps(.sqlite), [.text(runID.rawValue)]).map(Self.stepRecord)
            guard let source = try db.query("SELECT \(HookflowSQL.runColumns) FROM hookflow_runs WHERE id = ?", [.text(runID.rawValue)])
                .first.map(Self.runRecord)
            else { throw WorkflowRunNotFoundError(runID: runID) }
            guard let fork = steps.first(where: { $0.stepID == stepID }) else { throw StepNotFoundError(runID: runID, stepID: stepID) }
            guard let run = try db.query(
                HookflowSQL.insertFork(.sqlite), [.text(newRunID.rawValue), SQLiteValue(now), .text(runID.rawValue)]
            ).first.map(Self.runRecord) else {
                let existing = try db.query("SELECT workflow_id FROM hookflow_runs WHERE id = ?", [.text(newRunID.rawValue)])
                throw WorkflowRunConflictError(
                    runID: newRunID, existingWorkflowID: existing.first?[0].text ?? "?", requestedWorkflowID: source.workflowID)
            }
            for step in steps where step.sequence < fork.sequence {
                try db.execute(Self.upsertStep, Self.stepBinds(step, of: newRunID))
            }
            return run
        }
    }

    public func deleteFinishedRuns(before: Date, limit: Int, keepingDeadLetters: Bool) async throws -> CleanupReport {
        try await writer.transaction { db in
            let ids = try db.query(HookflowSQL.expiredRuns(.sqlite), [SQLiteValue(before), SQLiteValue(limit)]).compactMap(\.[0].text)
            guard !ids.isEmpty else { return CleanupReport(runs: 0, deadLetters: 0) }
            let list = SQLiteValue(SQLArgument.texts(ids))
            let letters = keepingDeadLetters ? 0 : try db.query(HookflowSQL.deleteOfRuns("hookflow_dead_letters", .sqlite), [list]).count
            for table in ["hookflow_steps", "hookflow_runs"] { try db.execute(HookflowSQL.deleteOfRuns(table, .sqlite), [list]) }
            return CleanupReport(runs: ids.count, deadLetters: letters)
        }
    }

    public func deleteDeadLetters(before: Date, limit: Int) async throws -> Int {
        try await writer.transaction { db in
            try db.query(HookflowSQL.deleteExpiredDeadLetters(.sqlite), [SQLiteValue(before), SQLiteValue(limit)]).count
        }
    }

    public func countExpired(before: Date) async throws -> (runs: Int, deadLetters: Int) {
        try await writer.read { db in
            let row = try db.query(HookflowSQL.countExpired(.sqlite), [SQLiteValue(before)]).first
            return (row?[0].integer ?? 0, row?[1].integer ?? 0)
        }
    }

    public func countStepRetries(since: Date) async throws -> Int {
        try await writer.read { db in
            try db.query(HookflowSQL.countStepRetries(.sqlite), [SQLiteValue(since)]).first?[0].integer ?? 0
        }
    }

    public func cancelRun(_ runID: WorkflowRunID, now: Date, handingOver: Bool) async throws -> CancellationOutcome? {
        try await writer.transaction { db in
            let binds: [SQLiteValue] = [
                .text(runID.rawValue), SQLiteValue(now), .text(CancellationOutcome.reasonWhileIdle), .integer(handingOver ? 1 : 0),
            ]
            if let run = try db.query(HookflowSQL.cancelRun(.sqlite), binds).first.map(Self.runRecord) {
                guard run.status == .cancelled else { return .requested(run) }
                if run.parent != nil { try Self.announceEnd(of: runID, as: .cancelled, now: now, on: db) }
                try Self.admit(HookflowSQL.AdmissionScope.of(
                    concurrencyKey: run.flow.concurrencyKey, workflowID: run.workflowID, workflowLimit: run.flow.workflowLimit),
                    now: now, on: db)
                return .cancelled(run)
            }
            return try db.query("SELECT \(HookflowSQL.runColumns) FROM hookflow_runs WHERE id = ?", [.text(runID.rawValue)])
                .first.map(Self.runRecord).map(CancellationOutcome.alreadyFinished)
        }
    }
}
