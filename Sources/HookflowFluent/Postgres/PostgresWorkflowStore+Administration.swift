import Foundation
import Hookflow
import PostgresNIO

/// What operators do: manage dead letters, fork runs, clean up.
extension PostgresWorkflowStore {
    public func listDeadLetters(_ filter: DeadLetterFilter, after cursor: ListCursor?, limit: Int) async throws -> DeadLetterPage {
        let (sql, arguments) = HookflowSQL.listDeadLetters(filter, after: cursor, limit: limit, dialect: .postgres)
        let query = PostgresQuery(unsafeSQL: sql, binds: PostgresBindings(arguments))
        let rows = try await operation { [self] connection in
            try await Self.decodeDeadLetters(try await connection.query(query, logger: logger))
        }
        let letters = Array(rows.prefix(limit))
        return DeadLetterPage(deadLetters: letters, next: rows.count > limit ? letters.last.map(ListCursor.init(after:)) : nil)
    }

    public func deadLetter(id: String) async throws -> DeadLetterRecord? {
        guard let key = UUID(uuidString: id) else { return nil }
        return try await operation { [self] connection in
            try await Self.decodeDeadLetters(
                try await connection.query(Self.shared(HookflowSQL.deadLetter) { $0.append(key) }, logger: logger)
            ).first
        }
    }

    public func deleteDeadLetter(id: String) async throws -> Bool {
        guard let key = UUID(uuidString: id) else { return false }
        return try await operation { [self] connection in
            !(try await connection.query(Self.shared(HookflowSQL.deleteDeadLetter) { $0.append(key) }, logger: logger)
                .collect().isEmpty)
        }
    }

    public func forkRun(
        _ runID: WorkflowRunID, as newRunID: WorkflowRunID, fromStep stepID: String, now: Date
    ) async throws -> RunRecord {
        try await operation { [self] connection in
            try await transaction(on: connection) { connection in
                guard let source = try await runs(
                    "SELECT \(unescaped: HookflowSQL.runColumns) FROM hookflow_runs WHERE id = \(runID.rawValue)", on: connection
                ).first else { throw WorkflowRunNotFoundError(runID: runID) }
                let steps = try await Self.decodeSteps(
                    try await connection.query(Self.shared(HookflowSQL.steps) { $0.append(runID.rawValue) }, logger: logger))
                guard let fork = steps.first(where: { $0.stepID == stepID }) else {
                    throw StepNotFoundError(runID: runID, stepID: stepID)
                }
                guard let run = try await runs(Self.shared(HookflowSQL.insertFork) {
                    $0.append(newRunID.rawValue)
                    $0.append(now)
                    $0.append(runID.rawValue)
                }, on: connection).first else {
                    let existing = try await runs(
                        "SELECT \(unescaped: HookflowSQL.runColumns) FROM hookflow_runs WHERE id = \(newRunID.rawValue)",
                        on: connection)
                    throw WorkflowRunConflictError(
                        runID: newRunID, existingWorkflowID: existing.first?.workflowID ?? "?",
                        requestedWorkflowID: source.workflowID)
                }
                for step in steps where step.sequence < fork.sequence {
                    try await connection.query(Self.upsertStep(step, of: newRunID), logger: logger)
                }
                announce(nil, on: connection)
                return run
            }
        }
    }

    public func deleteFinishedRuns(before: Date, limit: Int, keepingDeadLetters: Bool) async throws -> CleanupReport {
        try await operation { [self] connection in
            try await transaction(on: connection) { connection in
                var ids: [String] = []
                for try await id in try await connection.query(Self.shared(HookflowSQL.expiredRuns) {
                    $0.append(before)
                    $0.append(limit)
                }, logger: logger).decode(String.self) {
                    ids.append(id)
                }
                guard !ids.isEmpty else { return CleanupReport(runs: 0, deadLetters: 0) }
                let delete = { (table: String) in Self.shared({ HookflowSQL.deleteOfRuns(table, $0) }) { $0.append(ids) } }
                let letters = keepingDeadLetters
                    ? 0 : try await connection.query(delete("hookflow_dead_letters"), logger: logger).collect().count
                for table in ["hookflow_steps", "hookflow_runs"] { try await connection.query(delete(table), logger: logger) }
                return CleanupReport(runs: ids.count, deadLetters: letters)
            }
        }
    }

    public func deleteDeadLetters(before: Date, limit: Int) async throws -> Int {
        try await operation { [self] connection in
            try await connection.query(Self.shared(HookflowSQL.deleteExpiredDeadLetters) {
                $0.append(before)
                $0.append(limit)
            }, logger: logger).collect().count
        }
    }

    public func countExpired(before: Date) async throws -> (runs: Int, deadLetters: Int) {
        try await operation { [self] connection in
            for try await counts in try await connection.query(
                Self.shared(HookflowSQL.countExpired) { $0.append(before) }, logger: logger
            ).decode((Int, Int).self) {
                return counts
            }
            return (0, 0)
        }
    }

    public func countStepRetries(since: Date) async throws -> Int {
        try await operation { [self] connection in
            for try await retries in try await connection.query(
                Self.shared(HookflowSQL.countStepRetries) { $0.append(since) }, logger: logger
            ).decode(Int.self) {
                return retries
            }
            return 0
        }
    }

    public func cancelRun(_ runID: WorkflowRunID, now: Date, handingOver: Bool) async throws -> CancellationOutcome? {
        try await operation { [self] connection in
            try await transaction(on: connection) { connection in
                let cancelled = try await runs(Self.shared(HookflowSQL.cancelRun) {
                    $0.append(runID.rawValue)
                    $0.append(now)
                    $0.append(CancellationOutcome.reasonWhileIdle)
                    $0.append(handingOver)
                }, on: connection)
                if let run = cancelled.first {
                    guard run.status == .cancelled else {
                        if run.status == .pending { announce(nil, on: connection) }
                        return .requested(run)
                    }
                    if run.parent != nil { try await announceEnd(of: runID, as: .cancelled, now: now, on: connection) }
                    try await admit(
                        HookflowSQL.AdmissionScope.of(
                            concurrencyKey: run.flow.concurrencyKey, workflowID: run.workflowID, workflowLimit: run.flow.workflowLimit),
                        now: now, on: connection)
                    return .cancelled(run)
                }
                // Not unfinished: finished, or not there (a finished run is never made unfinished but by a retry).
                return try await runs(
                    "SELECT \(unescaped: HookflowSQL.runColumns) FROM hookflow_runs WHERE id = \(runID.rawValue)", on: connection
                ).first.map(CancellationOutcome.alreadyFinished)
            }
        }
    }
}
