import Foundation
import Hookflow

extension SQLiteWorkflowStore {
    public func createRun(
        runID: WorkflowRunID, workflowID: String, input: String, traceContext: String?, parent: RunParent?,
        workflowVersion: Int, startAt: Date?, scheduledBy: ScheduleTick?, flow: RunFlow, now: Date
    ) async throws -> (workflowID: String, status: RunStatus, input: String, created: Bool) {
        try await writer.transaction { db in
            var startAt = startAt
            if !flow.rates.isEmpty, try db.query("SELECT 1 FROM hookflow_runs WHERE id = ?", [.text(runID.rawValue)]).isEmpty {
                for scope in flow.rates {
                    let slot = try db.query(HookflowSQL.takeRateSlot(scope, now: now, dialect: .sqlite)).first?[0].date
                    if let slot, slot > (startAt ?? now) { startAt = slot }
                }
            }
            // A run with a free slot is admitted as it is created; the others queue.
            let admitted = try !flow.isLimited
                || db.query(HookflowSQL.slotFree(flow, workflowID: workflowID, dialect: .sqlite)).first?[0].integer == 1
            let inserted = try db.query(
                HookflowSQL.insertRun(.sqlite) + " RETURNING id",
                Self.runBinds(
                    runID, workflowID: workflowID, input: input, traceContext: traceContext, parent: parent,
                    workflowVersion: workflowVersion, startAt: startAt, scheduledBy: scheduledBy, flow: flow, admitted: admitted,
                    now: now))
            if !inserted.isEmpty {
                return (workflowID, RunStart(startAt, now: now, flow: admitted ? .unlimited : flow).status, input, true)
            }
            let existing = try db.query(
                "SELECT workflow_id, status, data FROM hookflow_runs WHERE id = ?", [.text(runID.rawValue)])
            guard let row = existing.first else { throw StoreDataError(column: "id", value: runID.rawValue) }
            return (
                try Self.required(row[0].text, "workflow_id"),
                try Self.required(row[1].text.flatMap(RunStatus.init(rawValue:)), "status", row[1]),
                try Self.required(row[2].text, "data"), !inserted.isEmpty
            )
        }
    }

    /// Admits the queued runs next in line of each scope, while they have free slots.
    static func admit(_ scopes: [HookflowSQL.AdmissionScope], now: Date, on db: SQLiteHandle) throws {
        for scope in scopes {
            switch scope {
            case .key(let key):
                let queued = try db.query(HookflowSQL.queuedOfKey(key, limit: QueuedRun.batch, dialect: .sqlite)).compactMap { row in
                    row[0].text.map { QueuedRun(id: $0, keyLimit: row[1].integer ?? 1, workflowID: row[2].text ?? "", workflowLimit: row[3].integer) }
                }
                guard !queued.isEmpty else { continue }
                let holders = try db.query(HookflowSQL.keyHolders(key, dialect: .sqlite)).first?[0].integer ?? 0
                let admitted = try QueuedRun.admissible(queued, keyHolders: holders) { workflowID in
                    try db.query(HookflowSQL.workflowHolders(workflowID, dialect: .sqlite)).first?[0].integer ?? 0
                }
                for runID in admitted { _ = try db.query(HookflowSQL.admit(runID, now: now, dialect: .sqlite)) }
            case .workflow(let workflowID):
                while !(try db.query(HookflowSQL.admitNext(workflow: workflowID, now: now, dialect: .sqlite))).isEmpty {}
            }
        }
    }
}
