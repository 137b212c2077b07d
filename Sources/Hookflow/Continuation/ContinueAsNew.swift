import Foundation
import Logging

/// Thrown by a workflow's body to end its run and start a successor of the same workflow with
/// new input: ``WorkflowContext/continueAsNew(input:)``.
public struct ContinueAsNew: Error, Sendable {
    /// The successor's input, as JSON text, or why it does not encode.
    let input: Result<String, StepCodingError>
}

extension WorkflowContext {
    /// The error to throw to end this run and start its successor with `input`: a run of the same
    /// workflow, linked to this one (its `continuedFrom`), that starts with an empty history.
    /// A loop that lives for months (a poller, an entity) stays as fast to replay as on its first
    /// day. The run completes with `{"hookflow.continued_as": "<successor's run id>"}`, in the
    /// transaction that creates the successor; a parent waiting for it waits for the successor.
    ///
    /// ```swift
    /// let seen = try await ctx.step.run("poll") { try await feed.poll(since: ctx.data.cursor) }
    /// try await ctx.step.sleep("pause", for: .seconds(60))
    /// throw ctx.continueAsNew(input: .init(cursor: seen.cursor))
    /// ```
    public func continueAsNew(input: Input) -> ContinueAsNew {
        do {
            return ContinueAsNew(input: .success(try JSONCoding.encode(input)))
        } catch {
            return ContinueAsNew(input: .failure(StepCodingError(
                workflowID: workflowID, runID: runID, stepID: "(continue as new)",
                reason: "the successor's input does not encode: \(error)")))
        }
    }
}

/// The result of a run that continued as new.
package enum ContinuedAs {
    private struct Marker: Codable {
        var successor: WorkflowRunID
        enum CodingKeys: String, CodingKey { case successor = "hookflow.continued_as" }
    }

    /// The result that names `successor`.
    static func result(_ successor: WorkflowRunID) throws -> String {
        try JSONCoding.encode(Marker(successor: successor))
    }

    /// The successor of a completed run, when it continued as new.
    package static func successor(of run: RunRecord) -> WorkflowRunID? {
        guard run.status == .completed, let result = run.result, result.contains("hookflow.continued_as") else { return nil }
        return try? JSONCoding.decode(Marker.self, from: result).successor
    }
}

extension WorkflowEngine {
    /// Completes `run`, whose body threw ``ContinueAsNew``, and creates its successor in the same
    /// transaction; then schedules the successor.
    func continueAsNew(_ run: RunRecord, owner: String, _ next: ContinueAsNew, logger: Logger) async -> Ended {
        let input: String
        switch next.input {
        case .success(let encoded): input = encoded
        case .failure(let error): return await fail(run, owner: owner, stepID: nil, message: error.description, logger: logger)
        }
        let successor = WorkflowRunID.random()
        let spawn = RunSpawn(
            runID: successor, workflowID: run.workflowID, input: input, traceContext: run.traceContext, parent: run.parent,
            continuedFrom: run.runID, workflowVersion: registry.workflow(run.workflowID)?.version ?? run.workflowVersion,
            flow: run.flow)
        do {
            try await commit(
                runID: run.runID, owner: owner, step: nil, transition: .complete(result: ContinuedAs.result(successor)),
                spawning: spawn)
        } catch is LeaseLostError {
            return Ended(outcome: .leaseLost)
        } catch {
            logger.error("could not record the run's continuation: \(error)")
            return Ended(outcome: .storeUnavailable, storeError: "recording its continuation: \(error)")
        }
        logger.info("run continued as new", metadata: ["hookflow.successor_run_id": "\(successor)"])
        do {
            try await transport.schedule(successor, workflowID: run.workflowID, at: nil, key: successor.rawValue)
        } catch {
            // Pending in the store: a worker's next look, or the sweep under QStash, finds it.
            logger.warning("could not schedule the successor: \(error)", metadata: ["hookflow.successor_run_id": "\(successor)"])
        }
        return Ended(outcome: .completed)
    }
}
