import FluentKit
import Foundation
import Hookflow
import SQLKit

extension WorkflowEngine {
    /// Starts a run of `W` inside the app's own transaction on `database` (the store's own
    /// database): the run exists only if that transaction commits, and nothing runs before it
    /// does: a transactional outbox.
    ///
    /// On PostgreSQL the workers are told when the transaction commits. Elsewhere the run is
    /// invoked a second after the call, by which the transaction has most often committed, or
    /// else when a worker next looks (and, under QStash, by the sweep); call
    /// ``wake(_:workflowID:after:)`` after the commit to start it at once.
    ///
    /// ```swift
    /// try await req.db(.hookflow).transaction { db in
    ///     try await order.save(on: db)
    ///     try await req.hookflow.engine.trigger(ProcessOrder.self, input: .init(orderID: order.id!), on: db)
    /// }
    /// ```
    @discardableResult
    public func trigger<W: Workflow>(
        _ workflow: W.Type, input: W.Input, runID: WorkflowRunID? = nil, on database: any Database
    ) async throws -> WorkflowRunID {
        let run = try newRun(W.self, input: input, runID: runID)
        guard let sql = database as? any SQLDatabase else {
            throw NonRetryableError("trigger(on:) needs a SQL database: the store's own SQLite file or PostgreSQL database")
        }
        let postgres = sql.dialect.name != "sqlite"
        let now: any Encodable & Sendable = postgres ? run.now : HookflowTime.clamp(run.now).timeIntervalSince1970
        let binds: [any Encodable & Sendable] = [
            run.runID.rawValue, run.workflowID, run.input, now, run.traceContext, String?.none, false, String?.none, run.version,
            postgres ? Date?.none as any Encodable & Sendable : Double?.none, RunStatus.pending.rawValue, String?.none,
            postgres ? Date?.none as any Encodable & Sendable : Double?.none, String?.none, Int?.none, Int?.none, 0, now,
        ]
        try await sql.execute(sql: NumberedSQL(HookflowSQL.insertRun(postgres ? .postgres : .sqlite), binds)) { _ in }
        if postgres {
            // Delivered when the transaction commits, and never if it rolls back.
            try await sql.execute(sql: NumberedSQL("SELECT pg_notify($1, '')", [PostgresWorkflowStore.channel])) { _ in }
        }
        try await wake(run.runID, workflowID: run.workflowID, after: .seconds(1))
        return run.runID
    }
}
