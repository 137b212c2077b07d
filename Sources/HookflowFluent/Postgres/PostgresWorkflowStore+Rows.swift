import Foundation
import Hookflow
import PostgresNIO

extension PostgresWorkflowStore {
    /// One of the statements shared with SQLite (``HookflowSQL``), its parameters bound in order by `bind`.
    static func shared(
        _ statement: (SQLDialect) -> String, _ bind: (inout PostgresBindings) -> Void
    ) -> PostgresQuery {
        var bindings = PostgresBindings()
        bind(&bindings)
        return PostgresQuery(unsafeSQL: statement(.postgres), binds: bindings)
    }

    func runs(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [RunRecord] {
        try await Self.decodeRuns(try await connection.query(query, logger: logger))
    }

    static func decodeRuns(_ rows: PostgresRowSequence) async throws -> [RunRecord] {
        var runs: [RunRecord] = []
        for try await row in rows.decode(
            (String, String, String, String, String?, String?, Date?, Date, Date?, Date?, Int, String?, String?, Date, Date?, String?, Bool, String?, Int,
                String?, Date?, String?, Int?, Int?, Int, Int)
                .self)
        {
            runs.append(RunRecord(
                runID: WorkflowRunID(row.0), workflowID: row.1, status: try status(row.2), input: row.3, result: row.4,
                errorMessage: row.5, wakeAt: row.6, leaseUntil: row.9, createdAt: row.7, completedAt: row.8,
                unfinishedInvocations: row.10, lastInvocationError: row.11, traceContext: row.12, updatedAt: row.13,
                cancelRequestedAt: row.14,
                parent: row.15.map { RunParent(runID: WorkflowRunID($0), cancelsWithParent: row.16) },
                continuedFrom: row.17.map { WorkflowRunID($0) }, workflowVersion: row.18,
                scheduledBy: row.19.flatMap { name in row.20.map { ScheduleTick(name: name, tick: $0) } },
                flow: RunFlow(concurrencyKey: row.21, keyLimit: row.22, workflowLimit: row.23, priority: row.24),
                historyVersion: row.25))
        }
        return runs
    }

    static func decodeSteps(_ rows: PostgresRowSequence) async throws -> [StepRecord] {
        var steps: [StepRecord] = []
        for try await row in rows.decode((String, String, String, String?, String?, Int, Int, Date?, Date, String?, Date?).self) {
            guard let kind = StepKind(rawValue: row.1) else { throw StoreDataError(column: "kind", value: row.1) }
            guard let status = StepStatus(rawValue: row.2) else { throw StoreDataError(column: "status", value: row.2) }
            steps.append(StepRecord(
                stepID: row.0, kind: kind, status: status, result: row.3, errorMessage: row.4, attempts: row.5,
                sequence: row.6, wakeAt: row.7, eventKey: row.9, startedAt: row.10, executedAt: row.8))
        }
        return steps
    }

    static func decodeDeadLetters(_ rows: PostgresRowSequence) async throws -> [DeadLetterRecord] {
        var letters: [DeadLetterRecord] = []
        for try await row in rows.decode((UUID, String, String, String?, String, String, Date, Date?).self) {
            letters.append(DeadLetterRecord(
                id: row.0.uuidString, runID: WorkflowRunID(row.1), workflowID: row.2, stepID: row.3, input: row.4,
                errorMessage: row.5, createdAt: row.6, replayedAt: row.7))
        }
        return letters
    }

    /// ``HookflowSQL/insertRun(_:)``, returning the id when it inserted.
    static func insertRun(
        _ runID: WorkflowRunID, workflowID: String, input: String, traceContext: String?, parent: RunParent?,
        continuedFrom: WorkflowRunID? = nil, workflowVersion: Int, startAt: Date? = nil, scheduledBy: ScheduleTick? = nil,
        flow: RunFlow = .unlimited, admitted: Bool = false, now: Date
    ) -> PostgresQuery {
        let start = RunStart(startAt, now: now, flow: admitted ? .unlimited : flow)
        return shared({ HookflowSQL.insertRun($0) + " RETURNING id" }) {
            $0.append(runID.rawValue)
            $0.append(workflowID)
            $0.append(input)
            $0.append(now)
            $0.append(traceContext)
            $0.append(parent?.runID.rawValue)
            $0.append(parent?.cancelsWithParent == true)
            $0.append(continuedFrom?.rawValue)
            $0.append(workflowVersion)
            $0.append(start.wakeAt)
            $0.append(start.status.rawValue)
            $0.append(scheduledBy?.name)
            $0.append(scheduledBy?.tick)
            $0.append(flow.concurrencyKey)
            $0.append(flow.keyLimit)
            $0.append(flow.workflowLimit)
            $0.append(flow.priority)
            $0.append(flow.queueTime(createdAt: now))
        }
    }

    /// ``HookflowSQL/upsertStep(_:)`` for `step` of `runID`.
    static func upsertStep(_ step: StepRecord, of runID: WorkflowRunID) -> PostgresQuery {
        shared(HookflowSQL.upsertStep) {
            $0.append(TimeOrderedID.make())
            $0.append(runID.rawValue)
            $0.append(step.stepID)
            $0.append(step.kind.rawValue)
            $0.append(step.status.rawValue)
            $0.append(step.result)
            $0.append(step.errorMessage)
            $0.append(step.attempts)
            $0.append(step.sequence)
            $0.append(step.wakeAt)
            $0.append(step.executedAt)
            $0.append(step.eventKey)
            $0.append(step.startedAt)
        }
    }

    static func status(_ text: String) throws -> RunStatus {
        guard let status = RunStatus(rawValue: text) else { throw StoreDataError(column: "status", value: text) }
        return status
    }
}
