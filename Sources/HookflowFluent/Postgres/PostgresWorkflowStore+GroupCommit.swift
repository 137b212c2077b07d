import Foundation
import Hookflow
import PostgresNIO

/// A step checkpointed while its run goes on (``PostgresWorkflowStore/checkpoint(runID:owner:step:leaseUntil:now:)``),
/// for ``PostgresWorkflowStore/checkpoints``: answers whether a cancellation was asked for.
struct PostgresCheckpoint: GroupCommitRequest {
    typealias Response = Bool
    let runID: String
    /// The row of the batch statement's `jsonb_to_recordset`, as JSON: encoded by its caller, so
    /// that the flush, which the batches wait for one after another, only joins the rows.
    let row: String

    /// `leaseUntil`: `nil` leaves the lease as it is.
    init(runID: String, owner: String, leaseUntil: Date?, now: Date, step: StepRecord) {
        self.runID = runID
        row = Self.row(runID: runID, owner: owner, leaseUntil: leaseUntil, now: now, step: step, rowID: TimeOrderedID.text())
    }

    /// A run's checkpoints are committed one after another.
    var batchKey: String? { runID }
}

extension PostgresWorkflowStore {
    /// Commits the checkpoints of a batch of runs in one prepared statement: one round trip and
    /// one WAL flush. A run whose lease is lost gets ``LeaseLostError`` alone. Should the statement
    /// fail, each checkpoint is written on its own, so that one cannot fail the others.
    func flushCheckpoints(_ batch: [PostgresCheckpoint]) async -> [Result<Bool, any Error>] {
        do {
            let fenced = try await commitCheckpoints(batch)
            return batch.map { checkpoint in
                fenced[checkpoint.runID].map { .success($0) } ?? .failure(LeaseLostError(runID: WorkflowRunID(checkpoint.runID)))
            }
        } catch {
            guard batch.count > 1 else { return [.failure(error)] }
            logger.debug("a batch of \(batch.count) checkpoints failed (\(error)); writing each alone")
            var results: [Result<Bool, any Error>] = []
            for checkpoint in batch { results.append(await flushCheckpoints([checkpoint])[0]) }
            return results
        }
    }

    /// Runs the batch statement; answers, for each run whose fence matched, whether its cancellation was asked for.
    private func commitCheckpoints(_ batch: [PostgresCheckpoint]) async throws -> [String: Bool] {
        let statement = CheckpointStatement(rows: "[" + batch.map(\.row).joined(separator: ",") + "]")
        return try await operation { [self] connection in
            var fenced: [String: Bool] = [:]
            for try await (runID, cancelRequested) in try await connection.execute(statement, logger: logger) {
                fenced[runID] = cancelRequested
            }
            return fenced
        }
    }
}

/// The checkpoints of a batch of runs, prepared once per connection: the fence extends each run's
/// lease where one is given, and a step is written only where its fence matched. A run's indexed
/// columns keep their values when its lease is not extended, so that its row is updated in place
/// (a heap-only tuple: none of its indexes is written). Answers a
/// row per run whose fence matched: its id and whether its cancellation was asked for.
struct CheckpointStatement: PostgresPreparedStatement {
    static let name = "hookflow_checkpoints"
    static let sql = """
        WITH input AS (
            SELECT * FROM jsonb_to_recordset($1::jsonb) AS i(run_id text, owner text, lease_until float8, now float8,
                id uuid, step_id text, kind text, status text, result text, error_message text, attempts bigint,
                sequence bigint, wake_at float8, executed_at float8, event_key text, started_at float8)),
        fence AS (
            UPDATE hookflow_runs r SET lease_until = GREATEST(r.lease_until, to_timestamp(i.lease_until)),
                updated_at = CASE WHEN i.lease_until IS NULL THEN r.updated_at ELSE to_timestamp(i.now) END,
                unfinished_invocations = 1
            FROM input i
            WHERE r.id = i.run_id AND r.lease_owner = i.owner AND r.status = 'running'
            RETURNING r.id, r.cancel_requested_at),
        written AS (
            INSERT INTO hookflow_steps (id, run_id, step_id, kind, status, result, error_message, attempts,
                sequence, wake_at, executed_at, event_key, started_at)
            SELECT i.id, i.run_id, i.step_id, i.kind, i.status, i.result, i.error_message, i.attempts, i.sequence,
                to_timestamp(i.wake_at), to_timestamp(i.executed_at), i.event_key, to_timestamp(i.started_at)
            FROM input i JOIN fence f ON f.id = i.run_id
            \(HookflowSQL.stepConflict)
            RETURNING 1)
        SELECT id, cancel_requested_at IS NOT NULL FROM fence
        """
    static let bindingDataTypes: [PostgresDataType] = [.text]

    /// The batch as a JSON array of ``PostgresCheckpoint/row``s.
    let rows: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(rows)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> (String, Bool) {
        try row.decode((String, Bool).self)
    }
}
