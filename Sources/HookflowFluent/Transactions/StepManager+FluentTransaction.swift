import FluentKit
import Foundation
import Hookflow
import SQLKit
import Synchronization

extension StepManager {
    /// Runs `body` with the app's database inside one transaction with the step's checkpoint:
    /// the body's writes and the checkpoint commit together or not at all, so the body's effects
    /// happen exactly once, however the process dies. A replay returns the checkpointed result; an
    /// attempt that throws rolls its writes back and is retried as any step is.
    ///
    /// The database is the store's own (SQLite file or PostgreSQL database), reached through
    /// ``WorkflowEngine/Configuration/sharedDatabase``: in a Vapor app, `app.db(.hookflow)`, where the
    /// app's tables that such steps write must live. On SQLite the transaction holds the file's
    /// write lock while the body runs: keep such bodies short.
    ///
    /// ```swift
    /// let reservation = try await ctx.step.transaction("reserve-stock") { db in
    ///     let item = StockReservation(orderID: ctx.data.orderID, sku: ctx.data.sku)
    ///     try await item.create(on: db)
    ///     return item.id!
    /// }
    /// ```
    public func transaction<T: Codable & Sendable>(
        _ id: String, retry: RetryPolicy? = nil, _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        try await executeCommittingItself(id, retry: retry) { lease, checkpoint in
            guard let database = sharedDatabase as? any Database else {
                throw NonRetryableError(
                    "step '\(id)' is a transaction, but the engine has no database shared with its store "
                        + "(WorkflowEngine.Configuration.sharedDatabase; a Vapor app with a database store sets it)")
            }
            return try await database.transaction { transaction in
                guard let sql = transaction as? any SQLDatabase else {
                    throw NonRetryableError("step '\(id)': the shared database does not speak SQL")
                }
                let dialect: SQLDialect = sql.dialect.name == "sqlite" ? .sqlite : .postgres
                // The fence first: it takes the run's row (and, on SQLite, the write lock) before the body writes;
                // and again after it, should the body have touched the run.
                try await Self.fence(lease, on: sql, dialect: dialect)
                let value = try await body(transaction)
                try await Self.fence(lease, on: sql, dialect: dialect)
                let step = try checkpoint(value)
                try await sql.execute(sql: NumberedSQL(HookflowSQL.upsertStep(dialect), Self.binds(step, of: lease.runID, dialect))) { _ in }
                return value
            }
        }
    }

    /// The lease's fence, in the transaction: a lost lease rolls the body's writes back.
    private static func fence(_ lease: TransactionLease, on sql: any SQLDatabase, dialect: SQLDialect) async throws {
        let rows = Mutex(0)
        try await sql.execute(
            sql: NumberedSQL(
                HookflowSQL.fence(dialect),
                [lease.runID.rawValue, lease.owner, time(lease.leaseUntil, dialect), time(lease.now, dialect)])
        ) { _ in rows.withLock { $0 += 1 } }
        guard rows.withLock({ $0 }) == 1 else { throw LeaseLostError(runID: lease.runID) }
    }

    /// The parameters of ``HookflowSQL/upsertStep(_:)``, as each store writes them.
    private static func binds(_ step: StepRecord, of runID: WorkflowRunID, _ dialect: SQLDialect) -> [any Encodable & Sendable] {
        let id = TimeOrderedID.make()
        let rowID: any Encodable & Sendable = dialect == .sqlite ? id.uuidString : id
        return [
            rowID, runID.rawValue, step.stepID, step.kind.rawValue, step.status.rawValue, step.result, step.errorMessage,
            step.attempts, step.sequence, time(step.wakeAt, dialect), time(step.executedAt, dialect), step.eventKey,
            time(step.startedAt, dialect),
        ]
    }

    /// A time as each store keeps it: seconds since 1970 in SQLite, a timestamp in PostgreSQL.
    private static func time(_ date: Date?, _ dialect: SQLDialect) -> any Encodable & Sendable {
        if dialect == .sqlite { return date.map { HookflowTime.clamp($0).timeIntervalSince1970 } }
        return date
    }
}

/// A statement of ``HookflowSQL`` with its numbered placeholders (`?1`, `$1`) and their values,
/// for a SQLKit database: SQLKit's own `SQLRaw` writes no values.
struct NumberedSQL: SQLExpression {
    let sql: String
    let binds: [any Encodable & Sendable]

    init(_ sql: String, _ binds: [any Encodable & Sendable]) {
        self.sql = sql
        self.binds = binds
    }

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write(sql)
        serializer.binds += binds
    }
}
