import Foundation

extension WorkflowEngine {
    /// After `run` ended (completed, failed, cancelled): its parent, which the store has woken,
    /// is invoked now, and its children that end with it are cancelled.
    func settleFamily(ofEnded run: RunRecord, mayHaveChildren: Bool = true) async {
        if let parent = run.parent { await wake(parent: parent.runID, of: run.runID) }
        if mayHaveChildren { await cancelChildren(of: run.runID) }
    }

    /// Invokes a parent whose child ended. The store made it due in the child's last transaction,
    /// so a wake-up lost here is found by a worker's next look, or by the sweep under QStash.
    func wake(parent: WorkflowRunID, of child: WorkflowRunID) async {
        do {
            guard let run = try await store.run(parent), !run.status.isFinished else { return }
            try await transport.schedule(parent, workflowID: run.workflowID, at: nil, key: "\(parent):child-ended:\(child)")
        } catch {
            logger.warning(
                "could not wake the parent of an ended child run: \(error)",
                metadata: ["hookflow.run_id": "\(child)", "hookflow.parent_run_id": "\(parent)"])
        }
    }

    /// Cancels the unfinished children of `runID` started with ``ParentCancellationPolicy/cascade``,
    /// and theirs in turn.
    func cancelChildren(of runID: WorkflowRunID) async {
        let filter = RunFilter(statuses: [.pending, .running, .sleeping], parentRunID: runID)
        var cursor: ListCursor?
        repeat {
            do {
                let page = try await store.listRuns(filter, after: cursor, limit: 500)
                for child in page.runs where child.parent?.cancelsWithParent == true {
                    logger.info(
                        "cancelling a child run with its parent",
                        metadata: ["hookflow.run_id": "\(child.runID)", "hookflow.parent_run_id": "\(runID)"])
                    try await cancel(child.runID)
                }
                cursor = page.next
            } catch {
                logger.error("could not cancel the children of a run: \(error)", metadata: ["hookflow.run_id": "\(runID)"])
                return
            }
        } while cursor != nil
    }

    /// The children of `runID`, newest first: at most `limit`.
    public func children(of runID: WorkflowRunID, limit: Int = 1000) async throws -> [RunRecord] {
        try await store.listRuns(RunFilter(parentRunID: runID), after: nil, limit: limit).runs
    }
}
