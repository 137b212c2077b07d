import Foundation
import Hookflow

/// Rows as the store's statements read them.
extension SQLiteWorkflowStore {
    static func runRecord(_ row: [SQLiteValue]) throws -> RunRecord {
        RunRecord(
            runID: WorkflowRunID(try required(row[0].text, "id")),
            workflowID: try required(row[1].text, "workflow_id"),
            status: try required(row[2].text.flatMap(RunStatus.init(rawValue:)), "status", row[2]),
            input: try required(row[3].text, "data"),
            result: row[4].text,
            errorMessage: row[5].text,
            wakeAt: row[6].date,
            leaseUntil: row[9].date,
            createdAt: try required(row[7].date, "created_at"),
            completedAt: row[8].date,
            unfinishedInvocations: row[10].integer ?? 0,
            lastInvocationError: row[11].text,
            traceContext: row[12].text,
            updatedAt: row[13].date,
            cancelRequestedAt: row[14].date,
            parent: row[15].text.map { RunParent(runID: WorkflowRunID($0), cancelsWithParent: row[16].integer == 1) },
            continuedFrom: row[17].text.map { WorkflowRunID($0) },
            workflowVersion: row[18].integer ?? 1,
            scheduledBy: row[19].text.flatMap { name in row[20].date.map { ScheduleTick(name: name, tick: $0) } },
            flow: RunFlow(
                concurrencyKey: row[21].text, keyLimit: row[22].integer, workflowLimit: row[23].integer,
                priority: row[24].integer ?? 0),
            historyVersion: row[25].integer ?? 0)
    }

    static func stepRecord(_ row: [SQLiteValue]) throws -> StepRecord {
        StepRecord(
            stepID: try required(row[0].text, "step_id"),
            kind: try required(row[1].text.flatMap(StepKind.init(rawValue:)), "kind", row[1]),
            status: try required(row[2].text.flatMap(StepStatus.init(rawValue:)), "status", row[2]),
            result: row[3].text,
            errorMessage: row[4].text,
            attempts: try required(row[5].integer, "attempts"),
            sequence: try required(row[6].integer, "sequence"),
            wakeAt: row[7].date,
            eventKey: row[9].text,
            startedAt: row[10].date, executedAt: try required(row[8].date, "executed_at"))
    }

    /// The parameters of ``HookflowSQL/insertRun(_:)``.
    static func runBinds(
        _ runID: WorkflowRunID, workflowID: String, input: String, traceContext: String?, parent: RunParent?,
        continuedFrom: WorkflowRunID? = nil, workflowVersion: Int, startAt: Date? = nil, scheduledBy: ScheduleTick? = nil,
        flow: RunFlow = .unlimited, admitted: Bool = false, now: Date
    ) -> [SQLiteValue] {
        let start = RunStart(startAt, now: now, flow: admitted ? .unlimited : flow)
        return [
            .text(runID.rawValue), .text(workflowID), .text(input), SQLiteValue(now), SQLiteValue(traceContext),
            SQLiteValue(parent?.runID.rawValue), .integer(parent?.cancelsWithParent == true ? 1 : 0),
            SQLiteValue(continuedFrom?.rawValue), SQLiteValue(workflowVersion), SQLiteValue(start.wakeAt),
            .text(start.status.rawValue), SQLiteValue(scheduledBy?.name), SQLiteValue(scheduledBy?.tick),
            SQLiteValue(flow.concurrencyKey), flow.keyLimit.map(SQLiteValue.init) ?? .null,
            flow.workflowLimit.map(SQLiteValue.init) ?? .null, SQLiteValue(flow.priority), SQLiteValue(flow.queueTime(createdAt: now)),
        ]
    }

    /// ``HookflowSQL/upsertStep(_:)`` in SQLite's dialect, built once: every checkpoint runs it.
    static let upsertStep = HookflowSQL.upsertStep(.sqlite)

    /// The parameters of ``HookflowSQL/upsertStep(_:)`` for `step` of `runID`.
    static func stepBinds(_ step: StepRecord, of runID: WorkflowRunID) -> [SQLiteValue] {
        [
            .text(TimeOrderedID.text()), .text(runID.rawValue), .text(step.stepID), .text(step.kind.rawValue),
            .text(step.status.rawValue), SQLiteValue(step.result), SQLiteValue(step.errorMessage),
            SQLiteValue(step.attempts), SQLiteValue(step.sequence), SQLiteValue(step.wakeAt),
            SQLiteValue(step.executedAt), SQLiteValue(step.eventKey), SQLiteValue(step.startedAt),
        ]
    }

    static func deadLetterRecord(_ row: [SQLiteValue]) throws -> DeadLetterRecord {
        DeadLetterRecord(
            id: try required(row[0].text, "id"),
            runID: WorkflowRunID(try required(row[1].text, "run_id")),
            workflowID: try required(row[2].text, "workflow_id"),
            stepID: row[3].text,
            input: try required(row[4].text, "data"),
            errorMessage: try required(row[5].text, "error_message"),
            createdAt: try required(row[6].date, "created_at"),
            replayedAt: row[7].date)
    }

    static func required<T>(_ value: T?, _ column: String, _ stored: SQLiteValue? = nil) throws -> T {
        guard let value else { throw StoreDataError(column: column, value: stored.map { "\($0)" } ?? "NULL") }
        return value
    }
}

/// A stored value the engine does not recognise (a newer schema, or a hand edit).
struct StoreDataError: Error, CustomStringConvertible {
    let column: String
    let value: String

    var description: String { "unexpected value \(value) in column \(column)" }
}
