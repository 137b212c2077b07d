import Foundation
import Hookflow
import PostgresNIO

/// Debounced triggers: the key's lock serialises them across instances.
extension PostgresWorkflowStore {
    public func debounceRun(_ trigger: DebouncedTrigger, now: Date) async throws -> DebounceOutcome {
        let quiet = HookflowTime.date(now, plus: trigger.window)
        let update = HookflowSQL.debounce(key: trigger.key, input: trigger.input, quietAt: quiet, now: now, dialect: .postgres)
        let deadline = trigger.maxWait.map { HookflowTime.date(now, plus: $0) }
        let mark = HookflowSQL.markDebounced(trigger.runID, key: trigger.key, deadline: deadline, dialect: .postgres)
        return try await operation { [self] connection in
            try await transaction(on: connection) { connection in
                try await connection.query(
                    "SELECT pg_advisory_xact_lock(hashtext(\("hookflow:debounce:" + trigger.key)))", logger: logger)
                for try await (id, start) in try await connection.query(
                    PostgresQuery(unsafeSQL: update.sql, binds: PostgresBindings(update.arguments)), logger: logger
                ).decode((String, Date).self) {
                    return DebounceOutcome(runID: WorkflowRunID(id), startAt: start, created: false)
                }
                let start = trigger.start(now: now, deadline: deadline)
                try await connection.query(Self.insertRun(
                    trigger.runID, workflowID: trigger.workflowID, input: trigger.input, traceContext: trigger.traceContext,
                    parent: nil, workflowVersion: trigger.workflowVersion, startAt: start, flow: trigger.flow, now: now
                ), logger: logger)
                try await connection.query(PostgresQuery(unsafeSQL: mark.sql, binds: PostgresBindings(mark.arguments)), logger: logger)
                if trigger.flow.isLimited {
                    try await admit(
                        HookflowSQL.AdmissionScope.of(
                            concurrencyKey: trigger.flow.concurrencyKey, workflowID: trigger.workflowID,
                            workflowLimit: trigger.flow.workflowLimit),
                        now: now, on: connection)
                }
                return DebounceOutcome(runID: trigger.runID, startAt: start, created: true)
            }
        }
    }
}
