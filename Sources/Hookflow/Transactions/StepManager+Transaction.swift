import Foundation
import Synchronization

/// The lease a step that commits in the app's own transaction fences its checkpoint by
/// (HookflowFluent's `ctx.step.transaction`).
package struct TransactionLease: Sendable {
    package let runID: WorkflowRunID
    /// The lease's holder.
    package let owner: String
    /// The lease's new end.
    package let leaseUntil: Date
    package let now: Date
}

extension StepManager {
    /// The app's database shared with the store (``WorkflowEngine/Configuration/sharedDatabase``), if set.
    package var sharedDatabase: (any Sendable)? { engine.configuration.sharedDatabase?() }

    /// Runs a step whose attempt writes its own checkpoint, in the transaction its body writes in:
    /// `attempt` fences its transaction by `lease`, runs the body, asks `checkpoint` for the record
    /// of its result, writes it, and commits. A replay returns the checkpointed result; a failed
    /// attempt (its transaction rolled back) is retried as any step is; a lost lease ends the invocation.
    package func executeCommittingItself<T: Codable & Sendable>(
        _ id: String, retry: RetryPolicy?,
        _ attempt: (_ lease: TransactionLease, _ checkpoint: @escaping @Sendable (T) throws -> StepRecord) async throws -> T
    ) async throws -> T {
        let stored = try await begin(id, kind: .run)
        if let stored, stored.status == .completed {
            return try await decode(T.self, stored)
        }
        try await stopIfRequested()
        try deliverCancellation(suspending: false)
        let attemptNumber = (stored?.attempts ?? 0) + 1
        let sequence = stored?.sequence ?? allocateSequence()
        let started = engine.now()
        var logger = self.logger
        logger[metadataKey: "hookflow.step"] = "\(id)"
        logger.info("step started in a transaction", metadata: attemptNumber > 1 ? ["hookflow.attempt": "\(attemptNumber)"] : [:])
        let written = Mutex<StepRecord?>(nil)
        let lease = TransactionLease(runID: runID, owner: owner, leaseUntil: engine.leaseEnd(from: started), now: started)
        let value: T
        do {
            value = try await attempt(lease) { [engine] result in
                let step = StepRecord(
                    stepID: id, kind: .run, status: .completed, result: try JSONCoding.encode(result),
                    attempts: attemptNumber, sequence: sequence, startedAt: started, executedAt: engine.now())
                written.withLock { $0 = step }
                return step
            }
        } catch let error as LeaseLostError {
            throw record(storeError: error)
        } catch {
            throw await failed(
                id, kind: .run, sequence: sequence, attempt: attemptNumber, started: started, error: error,
                policy: retry ?? defaultRetryPolicy, logger: logger)
        }
        guard let step = written.withLock({ $0 }) else {
            let error = StepCodingError(
                workflowID: workflowID, runID: runID, stepID: id, reason: "the transaction committed without writing its checkpoint")
            throw await end(step: nil, transition: .fail(stepID: id, error: error.description), outcome: .failed, logger: logger)
        }
        engine.leases.confirm(owner: owner, until: lease.leaseUntil)
        wrote(step)
        logger.info("step committed with its transaction")
        return value
    }
}

extension WorkflowEngine {
    /// What ``createRun`` would store for a run of `W`: its id (checked), workflow id, input and
    /// version, for a store's own statement to insert (HookflowFluent's transactional trigger).
    package func newRun<W: Workflow>(_ workflow: W.Type, input: W.Input, runID: WorkflowRunID?) throws
        -> (runID: WorkflowRunID, workflowID: String, input: String, version: Int, traceContext: String?, now: Date)
    {
        guard let registered = registry.workflow(W.id) else {
            throw UnknownWorkflowError(workflowID: W.id, registered: registry.ids)
        }
        // Admission counts slots under the store's own lock, which an app's transaction does not hold.
        if let limit = registered.concurrency {
            throw InvalidParameterError(
                parameter: "\(W.id).concurrency", value: "\(limit)",
                reason: "limits its runs, which trigger(on:) cannot admit in the app's transaction; trigger them with trigger(_:input:)")
        }
        let runID = runID ?? .random()
        try Identifier.validate(runID.rawValue, as: "run id")
        return (runID, W.id, try JSONCoding.encode(input), registered.version, currentTraceContext(), now())
    }

    /// Invokes `runID` now, or when its trigger's transaction has committed and a worker looks
    /// again: after ``WorkflowEngine/trigger(_:input:runID:ifExists:)`` in an app's transaction.
    public func wake(_ runID: WorkflowRunID, workflowID: String, after delay: Duration = .zero) async throws {
        try await transport.schedule(
            runID, workflowID: workflowID, at: delay > .zero ? HookflowTime.date(now(), plus: delay) : nil,
            key: "\(runID):wake-after-commit:\(HookflowTime.milliseconds(since1970: now()))")
    }
}
