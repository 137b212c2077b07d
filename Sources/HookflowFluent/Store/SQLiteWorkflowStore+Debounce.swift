import Foundation
import Hookflow

/// Debounced triggers: SQLite's one writer serialises them.
extension SQLiteWorkflowStore {
    public func debounceRun(_ trigger: DebouncedTrigger, now: Date) async throws -> DebounceOutcome {
        let quiet = HookflowTime.date(now, plus: trigger.window)
        let update = HookflowSQL.debounce(key: trigger.key, input: trigger.input, quietAt: quiet, now: now, dialect: .sqlite)
        return try await writer.transaction { db in
            if let row = try db.query(update).first, let id = row[0].text, let start = row[1].date {
                return DebounceOutcome(runID: WorkflowRunID(id), startAt: start, created: false)
            }
            let deadline = trigger.maxWait.map { HookflowTime.date(now, plus: $0) }
            let start = trigger.start(now: now, deadline: deadline)
            try db.execute(HookflowSQL.insertRun(.sqlite), Self.runBinds(
                trigger.runID, workflowID: trigger.workflowID, input: trigger.input, traceContext: trigger.traceContext,
                parent: nil, workflowVersion: trigger.workflowVersion, startAt: start, flow: trigger.flow, now: now))
            _ = try db.query(HookflowSQL.markDebounced(trigger.runID, key: trigger.key, deadline: deadline, dialect: .sqlite))
            if trigger.flow.isLimited {
                try Self.admit(HookflowSQL.AdmissionScope.of(
                    concurrencyKey: trigger.flow.concurrencyKey, workflowID: trigger.workflowID,
                    workflowLimit: trigger.flow.workflowLimit), now: now, on: db)
            }
            return DebounceOutcome(runID: trigger.runID, startAt: start, created: true)
        }
    }
}
