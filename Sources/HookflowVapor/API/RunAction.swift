import Hookflow
import Vapor

/// An operator's action on a run, as the JSON API and the dashboard take it from a route's
/// `:action`: cancel, retry, re-run or fork.
enum RunAction {
    /// Does `action` to `runID`; returns the run it leaves runnable (the same one, or the new
    /// one). Cancelling a finished run is a ``WorkflowRunStateError`` (409); `fromStep` gives a
    /// fork's step when asked.
    static func perform(
        _ action: String?, on runID: WorkflowRunID, engine: WorkflowEngine, fromStep: () throws -> String
    ) async throws -> WorkflowRunID {
        switch action {
        case "cancel":
            if case .alreadyFinished(let run) = try await engine.cancel(runID) {
                throw WorkflowRunStateError(
                    runID: runID, status: run.status, operation: "cancel", expected: [.pending, .running, .sleeping])
            }
            return runID
        case "retry": return try await engine.retry(runID).runID
        case "rerun": return try await engine.rerun(runID)
        case "fork": return try await engine.fork(runID, fromStep: try fromStep())
        case let other:
            throw APIError(.notFound, "unknown_action", "\(StoredText.shown(other ?? "")) is not cancel, retry, rerun or fork")
        }
    }
}
